// An NLB listener takes any L4 route kind that allowedRoutes.kinds lists, whatever its protocol
// (kubernetes-sigs/aws-load-balancer-controller pkg/gateway/routeutils/listener_utils.go@v3.5.0 getSupportedKinds,
// listener_attachment_helper.go kindCheck): no InvalidRouteKinds, the route attaches. The target group is then
// inferred from the route kind (model_build_target_group.go inferTargetGroupProtocolFromRoute: TCPRoute -> TCP,
// UDPRoute -> UDP, TLSRoute -> TLS) and may not fit the listener protocol.
import type { Fix } from '../../report/types.ts';
import { lbcListenerProtocol } from '../../graph/providers/aws-lbc.ts';
import type { Rule } from '../types.ts';
import { listenerField, listenerLabel } from '../util.ts';
import { describeEvent, lbcFailureEvents } from './detect.ts';
import { targetProtocolFix } from './fixes.ts';

/** The protocol's own kinds (DefaultProtocolToRouteKindMap, routeutils/constants.go@v3.5.0). */
const OWN: Record<string, string[]> = { TCP: ['TCPRoute'], UDP: ['UDPRoute'], TLS: ['TLSRoute', 'TCPRoute'] };

/** Target-group protocols AWS pairs with an NLB listener protocol (TCP_UDP listeners take TCP_UDP only). */
const COMPATIBLE: Record<string, string[]> = { TCP: ['TCP', 'TCP_UDP'], TLS: ['TCP', 'TLS'], UDP: ['UDP', 'TCP_UDP'] };

export const lbc016: Rule = {
  meta: {
    code: 'GWTLS-LBC-016',
    severity: 'error',
    title: 'NLB listener accepts a route kind of another protocol (allowedRoutes.kinds)',
    inputs: ['Gateway', 'GatewayClass', 'TCPRoute', 'TLSRoute', 'UDPRoute', 'Service', 'TargetGroupConfiguration'],
    description:
      'The AWS Load Balancer Controller accepts every L4 route kind (TCPRoute, TLSRoute, UDPRoute) that a listener\'s allowedRoutes.kinds lists, whatever the listener protocol: there is no InvalidRouteKinds and the route attaches, where the Gateway API spec would refuse it. The target group is then inferred from the route kind, and where it does not fit the listener (a UDP target group behind a TCP or TLS listener, TCP or TLS behind UDP, TLS behind a TCP listener) AWS refuses the pair and the listener is never created. Where it fits, the setup works on this controller only.',
  },
  check(ctx) {
    for (const g of ctx.model.gateways) {
      if (g.impl.id !== 'aws-lbc-nlb') continue;
      const events = lbcFailureEvents(ctx.snapshot, g).filter((e) => /IncompatibleProtocols|incompatible protocols/i.test(e.message));
      const ports = new Map<number, Set<string>>();
      for (const lm of g.listeners) ports.set(lm.spec.port, (ports.get(lm.spec.port) ?? new Set()).add(lm.spec.protocol));
      const seen = new Set<string>();
      for (const lm of g.listeners) {
        if (!lm.spec.allowedRoutes.kinds) continue;
        const own = OWN[lm.spec.protocol] ?? [];
        // TCP and UDP listeners on one port merge into a TCP_UDP listener whose target groups are TCP_UDP.
        if ((ports.get(lm.spec.port)?.size ?? 0) > 1) continue;
        const listenerProtocol = lbcListenerProtocol(lm.spec.protocol, lm.spec.tls?.mode);
        for (const hop of lm.backends) {
          const route = hop.attachment.route.obj;
          if (!hop.attachment.result.accepted || own.includes(route.kind)) continue;
          const choice = hop.tls.targetGroup;
          if (!choice) continue;
          const id = `${lm.spec.name}|${route.kind}/${route.meta.namespace}/${route.meta.name}|${hop.backend.ref.namespace}/${hop.backend.ref.name}`;
          if (seen.has(id)) continue;
          seen.add(id);
          const fits = (COMPATIBLE[listenerProtocol] ?? []).includes(choice.protocol);
          const svc = hop.backend.service?.found ? hop.backend.service.obj : undefined;
          const fixes: Fix[] = [];
          if (!fits && listenerProtocol === 'TCP' && choice.protocol === 'TLS' && svc) {
            const f = targetProtocolFix(ctx.snapshot, hop, svc, 'TCP', 'the listener is TCP, and TLS passes through a TCP target group');
            if (f) fixes.push(f);
          }
          const base = `${listenerLabel(lm)} lists ${route.kind} in allowedRoutes.kinds, and the AWS Load Balancer Controller attaches ${route.kind} ${route.meta.namespace}/${route.meta.name} to it (no InvalidRouteKinds, unlike the Gateway API spec, which admits only ${own.join(' and ') || 'other kinds'} on a ${lm.spec.protocol} listener)`;
          // Where it fits, the listener's kinds are what is worth knowing; where it does not, the backendRef to fix.
          ctx.report({
            object: fits ? g.obj : route,
            field: fits ? listenerField(lm, 'allowedRoutes.kinds') : `spec.rules[${hop.backend.rule}].backendRefs[${hop.backend.index}]`,
            severity: fits ? 'info' : 'error',
            message: fits
              ? `${base}; ${choice.source}, which an NLB ${listenerProtocol} listener takes, so it works, but only on this controller: other implementations refuse the route.`
              : `${base}. ${choice.source}, which AWS does not pair with an NLB ${listenerProtocol} listener (it takes ${(COMPATIBLE[listenerProtocol] ?? []).join(' or ')} target groups): the listener is never created. ${fixes.length ? 'Set the target-group protocol to TCP, or attach the route to a listener of its own protocol.' : `Attach the route to a ${route.kind === 'UDPRoute' ? 'UDP' : route.kind === 'TLSRoute' ? 'TLS' : 'TCP'} listener instead, and list only ${own.join(' and ')} on this one.`}`,
            evidence: [`listener ${lm.spec.name}: protocol ${lm.spec.protocol}${lm.spec.tls ? `, tls.mode ${lm.spec.tls.mode}` : ''} (NLB ${listenerProtocol} listener), allowedRoutes.kinds ${lm.spec.allowedRoutes.kinds.map((k) => k.kind).join(', ')}`, `target group protocol ${choice.protocol}: ${choice.source}`, ...(fits ? [] : events.slice(0, 2).map(describeEvent))],
            fixes,
            gateway: g,
            listener: lm,
          });
        }
      }
    }
  },
};
