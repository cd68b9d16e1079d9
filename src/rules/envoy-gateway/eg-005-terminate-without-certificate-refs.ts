// Envoy Gateway refuses a Terminate listener without certificateRefs, even when tls.options satisfies the API
// server's "certificateRefs or options must be specified when mode is Terminate": envoyproxy/gateway
// internal/gatewayapi/validate.go (validateTLSConfiguration, v1.2.0 … v1.9.0) sets Programmed=False, reason
// Invalid, "Listener must have TLS certificate refs set for TLS mode Terminate." on TLS listeners, and
// validateTerminateModeAndGetTLSSecrets "Listener must have at least 1 TLS certificate ref" on HTTPS listeners.
import { fix, FORCE_NOTE, listenerPatch, rawListener } from '../../fixes/builders.ts';
import type { Fix } from '../../report/types.ts';
import { fittingSecret, namesToCover } from '../listeners/lsn-008-no-tls.ts';
import type { Rule } from '../types.ts';
import { gatewayId, listenerField, listenerLabel, listenerOwner } from '../util.ts';
import { isEnvoyGateway } from './config.ts';

export const eg005: Rule = {
  meta: {
    code: 'GWTLS-EG-005',
    severity: 'error',
    title: 'Envoy Gateway refuses a Terminate listener that has tls.options but no certificateRefs',
    inputs: ['Gateway', 'GatewayClass', 'Secret'],
    description:
      'The Gateway API lets a Terminate listener carry implementation-specific tls.options instead of certificateRefs, and the API server accepts it. Envoy Gateway does not: it reads its certificates only from certificateRefs, so it marks the listener Programmed=False, reason Invalid ("Listener must have TLS certificate refs set for TLS mode Terminate." on TLS listeners, "Listener must have at least 1 TLS certificate ref" on HTTPS ones) and the port serves nothing.',
  },
  check(ctx) {
    for (const g of ctx.model.gateways) {
      if (!isEnvoyGateway(g)) continue;
      for (const lm of g.listeners) {
        const tls = lm.spec.tls;
        if (lm.spec.protocol !== 'HTTPS' && lm.spec.protocol !== 'TLS') continue;
        if (!tls || tls.mode !== 'Terminate' || tls.certificateRefs.length > 0 || Object.keys(tls.options).length === 0) continue;
        const words = lm.spec.protocol === 'TLS' ? 'Listener must have TLS certificate refs set for TLS mode Terminate.' : 'Listener must have at least 1 TLS certificate ref';
        const fixes: Fix[] = [];
        const secret = fittingSecret(ctx, lm);
        if (secret) {
          const raw = rawListener(listenerOwner(lm), lm.spec);
          raw.tls = { ...((raw.tls ?? {}) as Record<string, unknown>), mode: 'Terminate', certificateRefs: [{ group: '', kind: 'Secret', name: secret.meta.name }] };
          fixes.push(fix(`give listener ${lm.spec.name} certificateRefs: Secret ${secret.meta.namespace}/${secret.meta.name}, whose certificate covers ${namesToCover(lm).join(', ')}`, [listenerPatch(listenerOwner(lm), raw)], { note: FORCE_NOTE }));
        }
        const observed = lm.status?.conditions.find((c) => c.type === 'Programmed' && c.status === 'False');
        ctx.report({
          object: listenerOwner(lm),
          field: listenerField(lm, 'tls.certificateRefs'),
          message: `${listenerLabel(lm)} of Gateway ${gatewayId(g)} terminates TLS with tls.options (${Object.keys(tls.options).join(', ')}) but no certificateRefs: the API server accepts that, ${g.impl.name} does not ("${words}"), so the listener is not programmed and port ${lm.spec.port} serves nothing. Envoy Gateway takes listener certificates only from certificateRefs (a kubernetes.io/tls Secret)${secret ? '' : `: create one in namespace ${listenerOwner(lm).meta.namespace} and name it there`}.`,
          evidence: [
            `${listenerField(lm, 'tls')}: mode Terminate, 0 certificateRefs, options ${Object.entries(tls.options).map(([k, v]) => `${k}=${v}`).join(', ')}`,
            ...(observed ? [`listener status: Programmed=False, reason ${observed.reason ?? ''}${observed.message ? `: ${observed.message}` : ''}`] : []),
          ],
          fixes,
          gateway: g,
          listener: lm,
        });
      }
    }
  },
};
