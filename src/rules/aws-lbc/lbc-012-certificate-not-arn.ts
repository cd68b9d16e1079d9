import type { LoadBalancerConfigurationObject } from '../../cluster/objects.ts';
import { lbcListenerKey } from '../../graph/providers/aws-lbc-config.ts';
import { namespaceInScope } from '../platform/scope.ts';
import type { Rule, RuleContext } from '../types.ts';
import { isCertificateArn } from './arn.ts';

/** Listeners the entry applies to: those of the Gateways that use this configuration, with the entry's key. */
function inEffect(ctx: RuleContext, lbc: LoadBalancerConfigurationObject, key: string): string[] {
  const out: string[] = [];
  for (const g of ctx.model.gateways) {
    const uses = [g.lbc?.classConfig, g.lbc?.gatewayConfig].some((c) => c?.lookup?.found && c.lookup.obj === lbc);
    if (!uses || g.lbc?.listenerConfigs.get(key)?.from !== lbc) continue;
    for (const l of g.obj.listeners) if (lbcListenerKey(l) === key) out.push(`Gateway ${g.obj.meta.namespace}/${g.obj.meta.name} listener ${l.name}`);
  }
  return out;
}

/** Hostnames of listeners in the namespace the entry is keyed for, to look the certificate up by. */
function hostnamesFor(ctx: RuleContext, lbc: LoadBalancerConfigurationObject, key: string): string[] {
  const hosts = ctx.snapshot.list('Gateway', lbc.meta.namespace).flatMap((g) => g.listeners.filter((l) => lbcListenerKey(l) === key && l.hostname).map((l) => l.hostname!));
  return [...new Set(hosts)];
}

export const lbc012: Rule = {
  meta: {
    code: 'GWTLS-LBC-012',
    severity: 'error',
    title: 'Listener certificate is not an ACM or IAM certificate ARN',
    inputs: ['LoadBalancerConfiguration', 'Gateway', 'GatewayClass'],
    description:
      'LoadBalancerConfiguration listenerConfigurations take certificates as ARNs (arn:aws:acm:<region>:<account>:certificate/<id>, or IAM server certificates). The CRD does not validate the value, so a placeholder such as "<ARN OF our ACM certificate>" is accepted by the API server and fails only when the controller creates the listener. Error when the entry is in effect; warning while the configuration is not used.',
  },
  check(ctx) {
    for (const lbc of ctx.snapshot.list('LoadBalancerConfiguration')) {
      if (!namespaceInScope(ctx.model, lbc.meta.namespace)) continue;
      for (const entry of lbc.listenerConfigurations) {
        const values = [
          ...(entry.defaultCertificate !== undefined ? [{ field: 'defaultCertificate', value: entry.defaultCertificate }] : []),
          ...entry.certificates.map((value, i) => ({ field: `certificates[${i}]`, value })),
        ];
        const key = entry.protocolPort.toLowerCase();
        for (const { field, value } of values) {
          if (isCertificateArn(value)) continue;
          const users = inEffect(ctx, lbc, key);
          const hosts = hostnamesFor(ctx, lbc, key);
          const lookup = `aws acm list-certificates --region <the load balancer's region> --query "CertificateSummaryList[${hosts.length ? `?DomainName=='${hosts[0]}'` : ''}].CertificateArn"`;
          ctx.report({
            object: lbc,
            field: `spec.listenerConfigurations[${entry.index}].${field}`,
            severity: users.length ? 'error' : 'warning',
            message: `"${value}" in listenerConfigurations[${entry.index}] (${entry.protocolPort}) of LoadBalancerConfiguration ${lbc.meta.namespace}/${lbc.meta.name} is not an ACM or IAM certificate ARN${/^<.*>$|example|changeme|xxx/i.test(value) ? ' (it looks like a template placeholder)' : ''}: ${users.length ? `the load balancer listener for ${users.join(', ')} cannot be created with it` : 'the configuration is not in use now, and the listener it configures would fail to be created with it'}. Put the ARN of the ACM certificate there.`,
            evidence: [`expected: arn:aws:acm:<region>:<account>:certificate/<id> (or arn:aws:iam::<account>:server-certificate/<name>)`, `find it with: ${lookup}`],
          });
        }
      }
    }
  },
};
