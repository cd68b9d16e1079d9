import type { Rule } from '../types.ts';
import { listenerLabel } from '../util.ts';

export const rt007: Rule = {
  meta: {
    code: 'GWTLS-RT-007',
    severity: 'error',
    title: 'Route hostnames do not intersect the listener hostname',
    inputs: ['Gateway', 'HTTPRoute', 'GRPCRoute', 'TLSRoute'],
    description: 'When both the listener and the route set hostnames, at least one pair must match (a listener *.example.com covers any name under example.com; a listener a.example.com matches a route *.example.com). Otherwise the route is not accepted (NoMatchingListenerHostname).',
  },
  check(ctx) {
    for (const g of ctx.model.gateways) {
      for (const lm of g.listeners) {
        for (const a of lm.attachments) {
          if (a.parent.accepted || a.result.reason !== 'NoMatchingListenerHostname') continue;
          ctx.report({
            object: a.route.obj,
            field: 'spec.hostnames',
            message: `${a.route.obj.kind} ${a.route.obj.meta.namespace}/${a.route.obj.meta.name} serves ${a.route.obj.hostnames.join(', ')}, none of which falls under hostname ${lm.spec.hostname} of ${listenerLabel(lm)}: the route is not attached (NoMatchingListenerHostname).`,
            evidence: [`listener hostname: ${lm.spec.hostname}`, `route hostnames: ${a.route.obj.hostnames.join(', ')}`],
            gateway: g,
            listener: lm,
          });
        }
      }
    }
  },
};
