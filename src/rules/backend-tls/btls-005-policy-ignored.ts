import type { Implementation } from '../../graph/providers/index.ts';
import type { Fix } from '../../report/types.ts';
import type { Rule } from '../types.ts';
import { tlsTargetGroupFix } from './fixes.ts';
import { at, evidenceOf, hopUses, portLabel, sender } from './hops.ts';
import { policyLabel } from './policy.ts';

/** The implementation's own way to open TLS to backends (gateway-tls-domain.md §2.1, §2.4). */
function ownMechanism(impl: Implementation): string {
  if (impl.id === 'aws-lbc-nlb') return 'The AWS Load Balancer Controller opens TLS to the pods when the target group is TLS: a TargetGroupConfiguration for the Service with protocol TLS (or a TLSRoute, which infers it). The NLB never verifies the pods\' certificates.';
  if (impl.id === 'aws-lbc-alb') return 'The AWS Load Balancer Controller opens TLS to the pods when the target group is HTTPS: a TargetGroupConfiguration for the Service with protocol HTTPS. The ALB does not verify the pods\' certificates.';
  if (impl.id === 'kong') return 'Kong opens TLS to an upstream when the Service carries the annotation konghq.com/protocol: https; or move the route to an implementation that supports BackendTLSPolicy.';
  return 'Use the implementation\'s own upstream TLS settings, or an implementation whose conformance report includes BackendTLSPolicy (Envoy Gateway, Istio, Cilium, NGINX Gateway Fabric, Traefik, kgateway, GKE).';
}

export const btls005: Rule = {
  meta: {
    code: 'GWTLS-BTLS-005',
    severity: 'error',
    title: 'BackendTLSPolicy ignored by the implementation',
    inputs: ['BackendTLSPolicy', 'Gateway', 'GatewayClass', 'Service'],
    description:
      'The Gateway\'s implementation does not support BackendTLSPolicy (AWS Load Balancer Controller, Kong per its conformance report): a policy written for the backend has no effect and the backend gets plaintext. An error when the backend serves TLS; the implementation has its own mechanism (AWS: a TLS target group).',
  },
  check(ctx) {
    const seen = new Set<string>();
    for (const u of hopUses(ctx.model)) {
      const { hop, gateway: gm } = u;
      // Opening TLS by the implementation's own means makes the policy merely redundant.
      if (gm.impl.supportsBackendTLSPolicy !== false || hop.tls.ignoredPolicies.length === 0 || hop.tls.tls.mode === 'tls') continue;
      const svc = hop.backend.service?.found ? hop.backend.service.obj : undefined;
      if (!svc) continue;
      const e = evidenceOf(ctx.model, hop);
      const route = hop.attachment.route.obj;
      for (const { policy: p } of hop.tls.ignoredPolicies) {
        const id = `${p.meta.namespace}/${p.meta.name}|${gm.impl.id}`;
        if (seen.has(id)) continue;
        seen.add(id);
        const needsTLS = e.speaks === 'tls';
        const fixes: Fix[] = [];
        if (gm.impl.dataPlane === 'load-balancer' && hop.tls.targetGroup) {
          const f = tlsTargetGroupFix(ctx.snapshot, svc, hop.tls.targetGroup, gm.impl, route);
          if (f) fixes.push(f);
        }
        const port = hop.backend.servicePort;
        ctx.report({
          object: p,
          severity: needsTLS ? 'error' : 'warning',
          message: `${gm.impl.name} does not implement BackendTLSPolicy, so ${policyLabel(p)} is ignored and ${sender(gm)} sends plaintext to ${portLabel(svc, port)}${needsTLS ? `, which serves TLS (${e.strength === 'probe' ? `the probe of ${e.observed?.where ?? 'its port'} saw TLS` : e.strength === 'certificate' ? 'its pods mount a serving certificate' : e.hints.tls.join(', ')}): connections fail` : ': the policy has no effect'}. ${ownMechanism(gm.impl)}`,
          evidence: [`Gateway ${gm.obj.meta.namespace}/${gm.obj.meta.name}: ${gm.impl.name}`, `gateway -> backend: ${hop.tls.tls.by}`, ...e.facts],
          fixes,
          ...at(u),
        });
      }
    }
  },
};
