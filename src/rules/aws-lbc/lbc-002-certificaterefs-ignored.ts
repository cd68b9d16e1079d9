import type { ListenerModel } from '../../graph/model.ts';
import { isAwsLbc } from '../../graph/providers/aws-lbc.ts';
import type { Rule } from '../types.ts';
import { listenerField, listenerLabel, listenerOwner } from '../util.ts';

function source(lm: ListenerModel): string {
  const s = lm.served;
  switch (s.type) {
    case 'acm-arn':
      return `The certificate clients get is ${s.arns[0]} from ${s.from} ${s.entry}`;
    case 'acm-discovery':
      return s.hostnames.length
        ? `No LoadBalancerConfiguration in effect has a ${lm.spec.protocol}:${lm.spec.port} entry, so the controller looks up an ACM certificate for ${s.hostnames.join(', ')}`
        : 'No certificate source is configured at all (GWTLS-LBC-001)';
    case 'passthrough':
      return 'The listener passes TLS through, so no certificate is served by the load balancer';
    default:
      return 'The load balancer serves no certificate on this listener';
  }
}

export const lbc002: Rule = {
  meta: {
    code: 'GWTLS-LBC-002',
    severity: 'info',
    title: 'Listener certificateRefs are ignored by the AWS Load Balancer Controller',
    inputs: ['Gateway', 'GatewayClass', 'LoadBalancerConfiguration'],
    description:
      'The AWS Load Balancer Controller never reads listener tls.certificateRefs: NLB and ALB certificates come from LoadBalancerConfiguration listenerConfigurations (ACM/IAM ARNs) or ACM discovery by hostname. The reference exists only because Gateway API requires certificateRefs or options on a Terminate listener; the Secret need not exist and nothing reports it missing.',
  },
  check(ctx) {
    for (const g of ctx.model.gateways) {
      if (!isAwsLbc(g.impl)) continue;
      for (const lm of g.listeners) {
        const refs = lm.spec.tls?.certificateRefs ?? [];
        if (refs.length === 0) continue;
        ctx.report({
          object: listenerOwner(lm),
          field: listenerField(lm, 'tls.certificateRefs'),
          message: `${listenerLabel(lm)} names certificateRefs (${refs.map((r) => `Secret ${r.namespace ?? listenerOwner(lm).meta.namespace}/${r.name}`).join(', ')}), which the AWS Load Balancer Controller ignores: they only satisfy the Gateway API rule that a Terminate listener names certificateRefs or options. ${source(lm)}.`,
          evidence: [`${g.impl.name}: certificates come from LoadBalancerConfiguration listenerConfigurations or ACM discovery, never from certificateRefs`, 'tls.options with a domain-prefixed key satisfies the same rule without pointing at a Secret'],
          gateway: g,
          listener: lm,
        });
      }
    }
  },
};
