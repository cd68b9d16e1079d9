import type { Fix } from '../../report/types.ts';
import type { Rule } from '../types.ts';
import { listenerLabel } from '../util.ts';
import { declaredProtocol, targetProtocolFix } from './fixes.ts';

export const lbc008: Rule = {
  meta: {
    code: 'GWTLS-LBC-008',
    severity: 'info',
    title: 'TLSRoute on a terminating NLB listener re-encrypts to the pods',
    inputs: ['Gateway', 'GatewayClass', 'TLSRoute', 'Service', 'TargetGroupConfiguration', 'LoadBalancerConfiguration'],
    description:
      'On a TLS listener with mode Terminate, the AWS Load Balancer Controller (v3.1.0+) infers a TLS target group for a TLSRoute: the NLB terminates the client\'s TLS and opens a new TLS connection to the pods. Pods that speak plaintext then fail every connection; a TargetGroupConfiguration with protocol TCP (or a TCPRoute) sends plaintext instead.',
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
          // Only the inferred protocol: a TargetGroupConfiguration that says TLS is a decision (GWTLS-LBC-014 explains it).
          if (route.kind !== 'TLSRoute' || !choice || choice.props.protocol || choice.protocol !== 'TLS') continue;
          const svc = hop.backend.service?.found ? hop.backend.service.obj : undefined;
          const key = `${route.meta.namespace}/${route.meta.name}|${hop.backend.ref.namespace}/${hop.backend.ref.name}`;
          if (seen.has(key)) continue;
          seen.add(key);
          const plaintext = declaredProtocol(hop.backend.servicePort) === 'plaintext';
          const fixes: Fix[] = [];
          if (plaintext && svc) {
            const f = targetProtocolFix(ctx.snapshot, hop, svc, 'TCP', 'the pods speak plaintext');
            if (f) fixes.push(f);
          }
          const port = hop.backend.servicePort;
          ctx.report({
            object: route,
            field: `spec.rules[${hop.backend.rule}].backendRefs[${hop.backend.index}]`,
            severity: plaintext ? 'error' : 'info',
            message: plaintext
              ? `TLSRoute ${route.meta.namespace}/${route.meta.name} on ${listenerLabel(lm)} makes the NLB open TLS to Service ${hop.backend.ref.namespace}/${hop.backend.ref.name}, whose port ${port?.name ?? port?.port} is declared plaintext: every connection fails at the TLS handshake with the pods. Set the target-group protocol to TCP (or use a TCPRoute).`
              : `TLSRoute ${route.meta.namespace}/${route.meta.name} on ${listenerLabel(lm)}: the NLB terminates the client's TLS and opens a new TLS connection to Service ${hop.backend.ref.namespace}/${hop.backend.ref.name} (TLS target group inferred from the route kind), so the pods must serve TLS; if they speak plaintext, set the target-group protocol to TCP or use a TCPRoute.`,
            evidence: [choice.source, ...(port ? [`Service port ${port.port}${port.name ? ` (${port.name})` : ''}${port.appProtocol ? `, appProtocol ${port.appProtocol}` : ''}`] : [])],
            fixes,
            gateway: g,
            listener: lm,
          });
        }
      }
    }
  },
};
