import type { Fix } from '../../report/types.ts';
import type { Rule } from '../types.ts';
import { listenerLabel } from '../util.ts';
import { describeEvent, incompatiblePassthroughHops, lbcFailureEvents } from './detect.ts';
import { targetProtocolFix } from './fixes.ts';

export const lbc005: Rule = {
  meta: {
    code: 'GWTLS-LBC-005',
    severity: 'error',
    title: 'TLS target group behind a passthrough (TCP) NLB listener: IncompatibleProtocols',
    inputs: ['Gateway', 'GatewayClass', 'TLSRoute', 'TCPRoute', 'Service', 'TargetGroupConfiguration', 'LoadBalancerConfiguration'],
    description:
      'Since v3.1.0 the AWS Load Balancer Controller builds a TLS listener with mode Passthrough as an NLB TCP listener, but it still infers a TLS target group for a TLSRoute (and a TargetGroupConfiguration may set TLS explicitly). AWS refuses a TCP listener in front of a TLS target group ("IncompatibleProtocols"), so the listener is never created. The fix PR (#4853) was closed unmerged; set the target-group protocol to TCP.',
  },
  check(ctx) {
    for (const g of ctx.model.gateways) {
      const events = lbcFailureEvents(ctx.snapshot, g).filter((e) => /IncompatibleProtocols/i.test(e.message));
      const seen = new Set<string>();
      for (const { listener, hop } of incompatiblePassthroughHops(g)) {
        const svc = hop.backend.service?.found ? hop.backend.service.obj : undefined;
        const route = hop.attachment.route.obj;
        const id = `${listener.spec.name}|${hop.backend.ref.namespace}/${hop.backend.ref.name}|${route.kind}/${route.meta.name}`;
        if (seen.has(id)) continue;
        seen.add(id);
        const choice = hop.tls.targetGroup!;
        const fixes: Fix[] = [];
        const f = svc ? targetProtocolFix(ctx.snapshot, hop, svc, 'TCP', 'the passthrough listener is TCP, and TLS passes through a TCP target group') : undefined;
        if (f) fixes.push(f);
        ctx.report({
          object: route,
          field: `spec.rules[${hop.backend.rule}].backendRefs[${hop.backend.index}]`,
          message: `${listenerLabel(listener)} becomes an NLB TCP listener, but ${choice.source} for Service ${hop.backend.ref.namespace}/${hop.backend.ref.name}: AWS refuses a TCP listener in front of a TLS target group (IncompatibleProtocols), so the listener is never created. Set the target-group protocol to TCP; TLS still passes through to the pods.`,
          evidence: [`${route.kind} ${route.meta.namespace}/${route.meta.name} -> ${hop.backend.ref.kind} ${hop.backend.ref.namespace}/${hop.backend.ref.name}:${hop.backend.ref.port ?? '?'}`, 'kubernetes-sigs/aws-load-balancer-controller#4556; fix PR #4853 closed unmerged', ...events.slice(0, 2).map(describeEvent)],
          fixes,
          gateway: g,
          listener,
        });
      }
    }
  },
};
