import type { Rule } from '../types.ts';
import { listenerLabel } from '../util.ts';

export const lbc009: Rule = {
  meta: {
    code: 'GWTLS-LBC-009',
    severity: 'info',
    title: 'Route kind on a TLS listener accepted only by recent AWS Load Balancer Controller releases',
    inputs: ['Gateway', 'GatewayClass', 'TLSRoute', 'TCPRoute'],
    description:
      'AWS Load Balancer Controller v2.14.0 to v3.0.x attach a TCPRoute to a TLS listener only in Terminate mode and a TLSRoute only in Passthrough mode; v3.1.0 dropped the mode check (PR #4559). A TLSRoute on a Terminate listener or a TCPRoute on a Passthrough listener therefore works only on v3.1.0 and later.',
  },
  check(ctx) {
    for (const g of ctx.model.gateways) {
      if (g.impl.id !== 'aws-lbc-nlb') continue;
      for (const lm of g.listeners) {
        if (lm.spec.protocol !== 'TLS') continue;
        const passthrough = lm.spec.tls?.mode === 'Passthrough';
        const late = passthrough ? 'TCPRoute' : 'TLSRoute';
        for (const a of lm.attachments) {
          const route = a.route.obj;
          if (!a.result.accepted || route.kind !== late) continue;
          // The controller's own verdict, when the route carries status from it.
          const rejected = route.parents.some(
            (p) => p.controllerName === 'gateway.k8s.aws/nlb' && p.parentRef.name === g.obj.meta.name && p.conditions.some((c) => c.type === 'Accepted' && c.status === 'False' && c.reason === 'NotAllowedByListeners' && !c.stale),
          );
          ctx.report({
            object: route,
            field: `spec.parentRefs[${a.parent.index}]`,
            severity: rejected ? 'error' : 'info',
            message: rejected
              ? `The AWS Load Balancer Controller rejects ${late} ${route.meta.namespace}/${route.meta.name} on ${listenerLabel(lm)} (NotAllowedByListeners): it is a release from v2.14.0 to v3.0.x, which attaches ${late}s to TLS listeners only in ${passthrough ? 'Terminate' : 'Passthrough'} mode. Upgrade to v3.1.0 or later${passthrough ? ', or use a TLSRoute here' : ', or use a TCPRoute here'}.`
              : `${late} ${route.meta.namespace}/${route.meta.name} attaches to ${listenerLabel(lm)} only on AWS Load Balancer Controller v3.1.0 and later; v2.14.0 to v3.0.x accept ${late}s on TLS listeners only in ${passthrough ? 'Terminate' : 'Passthrough'} mode and reject this one (NotAllowedByListeners).`,
            evidence: ['pkg/gateway/routeutils/listener_attachment_helper.go (v2.14.0-v3.0.x mode check), removed by PR #4559 (v3.1.0)'],
            gateway: g,
            listener: lm,
          });
        }
      }
    }
  },
};
