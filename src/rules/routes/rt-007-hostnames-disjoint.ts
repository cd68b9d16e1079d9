import { intersectHostnames } from '../../graph/hostnames.ts';
import type { Rule } from '../types.ts';
import { listenerLabel } from '../util.ts';

export const rt007: Rule = {
  meta: {
    code: 'GWTLS-RT-007',
    severity: 'error',
    title: 'Route hostnames do not intersect the listener hostname',
    inputs: ['Gateway', 'HTTPRoute', 'GRPCRoute', 'TLSRoute'],
    description:
      'When both the listener and the route set hostnames, at least one pair must match (a listener *.example.com covers any name under example.com; a listener a.example.com matches a route *.example.com). Otherwise the route is not accepted (NoMatchingListenerHostname). Envoy Gateway also leaves a route hostname that is exactly another same-port listener\'s hostname to that listener: a less specific listener (no hostname, or a wildcard) does not serve it.',
  },
  check(ctx) {
    for (const g of ctx.model.gateways) {
      for (const lm of g.listeners) {
        for (const a of lm.attachments) {
          if (a.parent.accepted || a.result.reason !== 'NoMatchingListenerHostname') continue;
          const route = a.route.obj;
          const label = `${route.kind} ${route.meta.namespace}/${route.meta.name}`;
          // The names meet, but the implementation leaves them to a more specific listener on the same port.
          const claimed = intersectHostnames(lm.spec.hostname, route.hostnames).filter((h) => h !== '*');
          const taken = g.listeners.filter((o) => o !== lm && o.spec.port === lm.spec.port && o.spec.hostname && claimed.includes(o.spec.hostname));
          ctx.report({
            object: route,
            field: 'spec.hostnames',
            message:
              claimed.length > 0 && taken.length > 0
                ? `${label} serves ${route.hostnames.join(', ')}, which ${listenerLabel(lm)} would match, but ${g.impl.name} leaves ${claimed.join(', ')} to ${taken.map((o) => `${listenerLabel(o)} (hostname ${o.spec.hostname})`).join(', ')} on the same port: the route is not attached through ${lm.spec.name} (NoMatchingListenerHostname). Attach it to ${taken.map((o) => o.spec.name).join(', ')} (parentRefs sectionName), or give it a hostname only ${lm.spec.name} serves.`
                : `${label} serves ${route.hostnames.join(', ')}, none of which falls under hostname ${lm.spec.hostname} of ${listenerLabel(lm)}: the route is not attached (NoMatchingListenerHostname).`,
            evidence: [`listener hostname: ${lm.spec.hostname ?? '(none: all names)'}`, `route hostnames: ${route.hostnames.join(', ')}`, ...taken.map((o) => `listener ${o.spec.name} (port ${o.spec.port}) hostname: ${o.spec.hostname}`)],
            gateway: g,
            listener: lm,
          });
        }
      }
    }
  },
};
