import type { Rule } from '../types.ts';
import { isTlsRouteTerminateGap } from './rt-003-kind-not-allowed.ts';
import { listenerLabel } from '../util.ts';

export const rt004: Rule = {
  meta: {
    code: 'GWTLS-RT-004',
    severity: 'error',
    title: 'TLSRoute on a TLS/Terminate listener where the implementation does not support it',
    inputs: ['Gateway', 'GatewayClass', 'TLSRoute'],
    description: 'TLSRoute on a Terminate listener is an Extended feature (TLSRouteModeTerminate). Implementations without it (Envoy Gateway up to v1.6, Cilium, NGINX Gateway Fabric up to 2.6, or any class whose status.supportedFeatures lacks it) reject the route.',
  },
  check(ctx) {
    for (const g of ctx.model.gateways) {
      for (const lm of g.listeners) {
        for (const a of lm.attachments) {
          if (a.result.accepted || a.result.kindAllowed || !isTlsRouteTerminateGap(a.route.obj.kind, lm)) continue;
          const features = g.features.length ? `status.supportedFeatures of GatewayClass ${g.obj.className} does not list TLSRouteModeTerminate` : `${g.impl.name} does not support TLSRoute on Terminate listeners`;
          ctx.report({
            object: a.route.obj,
            field: `spec.parentRefs[${a.parent.index}]`,
            message: `TLSRoute ${a.route.obj.meta.namespace}/${a.route.obj.meta.name} cannot attach to ${listenerLabel(lm)}: ${features}. Use a TCPRoute on this Terminate listener, or a Passthrough listener if the backend should terminate TLS.`,
            evidence: [features],
            gateway: g,
            listener: lm,
          });
        }
      }
    }
  },
};
