import type { Rule } from '../types.ts';
import { listenerLabel } from '../util.ts';

export const rt005: Rule = {
  meta: {
    code: 'GWTLS-RT-005',
    severity: 'info',
    title: 'TCPRoute on a TLS/Terminate listener is implementation-specific',
    inputs: ['Gateway', 'TCPRoute'],
    description: 'Gateway API removed "TLS listener, Terminate, TCPRoute" from its TLS guide in v1.5 (now TLSRoute with Terminate, Extended). Envoy Gateway and the AWS Load Balancer Controller still accept it, other implementations may not.',
  },
  check(ctx) {
    for (const g of ctx.model.gateways) {
      for (const lm of g.listeners) {
        if (lm.spec.protocol !== 'TLS' || lm.spec.tls?.mode === 'Passthrough') continue;
        for (const a of lm.attachments) {
          if (!a.result.accepted || a.route.obj.kind !== 'TCPRoute') continue;
          ctx.report({
            object: a.route.obj,
            message: `TCPRoute ${a.route.obj.meta.namespace}/${a.route.obj.meta.name} on ${listenerLabel(lm)} works on ${g.impl.name}, but the spec now documents TLSRoute for Terminate listeners (Gateway API v1.5+); other implementations may reject it.${g.impl.id === 'aws-lbc-nlb' ? ' On the AWS NLB a TLSRoute would also change the target group to TLS.' : ''}`,
            evidence: ['gateway-api CHANGELOG 1.5: "Remove TCPRoute support from TLS listeners" from the TLS guide (#4427)'],
            gateway: g,
            listener: lm,
          });
        }
      }
    }
  },
};
