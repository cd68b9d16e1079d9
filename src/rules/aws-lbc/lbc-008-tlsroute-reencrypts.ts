import { backendTLSEvidence } from '../../graph/backends.ts';
import type { Rule } from '../types.ts';
import { listenerLabel } from '../util.ts';

export const lbc008: Rule = {
  meta: {
    code: 'GWTLS-LBC-008',
    severity: 'info',
    title: 'TLSRoute on a terminating NLB listener re-encrypts to the pods',
    inputs: ['Gateway', 'GatewayClass', 'TLSRoute', 'Service', 'TargetGroupConfiguration', 'LoadBalancerConfiguration'],
    description:
      'On a TLS listener with mode Terminate, the AWS Load Balancer Controller (v3.1.0+) infers a TLS target group for a TLSRoute: the NLB terminates the client\'s TLS and opens a new TLS connection to the pods, which must therefore serve TLS. Reported while nothing in the objects says what the pods speak; a backend that looks plaintext is GWTLS-BTLS-002, one that serves TLS is explained by GWTLS-LBC-014.',
  },
  check(ctx) {
    for (const g of ctx.model.gateways) {
      if (g.impl.id !== 'aws-lbc-nlb') continue;
      for (const lm of g.listeners) {
        if (lm.spec.protocol !== 'TLS' || lm.spec.tls?.mode === 'Passthrough') continue;
        const seen = new Set<string>();
        for (const hop of lm.backends) {
          const route = hop.attachment.route.obj;
          const choice = hop.tls.targetGroup;
          // Only the inferred protocol: a TargetGroupConfiguration that says TLS is a decision.
          if (route.kind !== 'TLSRoute' || !choice || choice.props.protocol || choice.protocol !== 'TLS') continue;
          const key = `${route.meta.namespace}/${route.meta.name}|${hop.backend.ref.namespace}/${hop.backend.ref.name}`;
          if (seen.has(key) || backendTLSEvidence(hop.backend, ctx.snapshot, ctx.model.decoder).speaks !== 'unknown') continue;
          seen.add(key);
          ctx.report({
            object: route,
            field: `spec.rules[${hop.backend.rule}].backendRefs[${hop.backend.index}]`,
            message: `TLSRoute ${route.meta.namespace}/${route.meta.name} on ${listenerLabel(lm)}: the NLB terminates the client's TLS and opens a new TLS connection to Service ${hop.backend.ref.namespace}/${hop.backend.ref.name} (a TLS target group, inferred from the route kind), so its pods must serve TLS on that port. If they speak plaintext, set protocol TCP in the Service's TargetGroupConfiguration or use a TCPRoute.`,
            evidence: [choice.source],
            gateway: g,
            listener: lm,
          });
        }
      }
    }
  },
};
