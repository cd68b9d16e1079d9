import type { GatewayModel } from '../../graph/model.ts';
import { isAwsLbc } from '../../graph/providers/aws-lbc.ts';
import type { Rule, RuleContext } from '../types.ts';
import { condition, describeCondition } from './conditions.ts';
import { classBlocks } from './plat-003-gatewayclass.ts';

/** What the controller's reason means for this implementation (gateway-tls-domain.md §2.1, §2.2, §4.2). */
function explain(g: GatewayModel, reason: string | undefined, message: string | undefined): string {
  const eg = g.impl.id === 'envoy-gateway' || g.impl.id === 'calico';
  if (eg && reason === 'AddressNotAssigned') return 'the Envoy proxy Service of type LoadBalancer got no external address (no load-balancer controller in the cluster, or its pool is exhausted); an EnvoyProxy with envoyService type NodePort, referenced from the class or the Gateway, avoids the dependency';
  if (eg && reason === 'NoResources') return 'the Envoy proxy replicas are not available (check the proxy Deployment in the Gateway namespace or the controller namespace)';
  if (isAwsLbc(g.impl) && /Waiting for load balancer to be active/i.test(message ?? '')) return 'the AWS load balancer is still being provisioned (this takes a few minutes; if it lasts, check the Gateway Events and the subnet tags)';
  return `${reason ?? 'no reason'}${message ? `: ${message}` : ''}`;
}

function check(ctx: RuleContext, g: GatewayModel): void {
  const id = `${g.obj.meta.namespace}/${g.obj.meta.name}`;
  const accepted = condition(g.obj.conditions, 'Accepted');
  if (!accepted || accepted.stale || accepted.status !== 'True') return; // GWTLS-GW-001 / GW-004 speak first.
  const programmed = condition(g.obj.conditions, 'Programmed');
  if (programmed && !programmed.stale && programmed.status !== 'True') {
    const pending = programmed.status === 'Unknown' || programmed.reason === 'Pending';
    ctx.report({
      object: g.obj,
      field: 'status.conditions',
      severity: pending ? 'warning' : 'error',
      message: `Gateway ${id} is ${pending ? 'not yet' : 'not'} Programmed: ${explain(g, programmed.reason, programmed.message)}. Until it is, clients have no address to connect to and external-dns publishes nothing for it.`,
      evidence: [describeCondition(programmed, 'status'), `status.addresses: ${g.obj.statusAddresses.map((a) => a.value).join(', ') || 'none'}`],
      gateway: g,
    });
    return;
  }
  if (programmed?.status === 'True' && g.obj.statusAddresses.length === 0) {
    ctx.report({
      object: g.obj,
      field: 'status.addresses',
      severity: 'warning',
      message: `Gateway ${id} is Programmed but has no address in status.addresses: clients and external-dns have nothing to resolve it to.`,
      evidence: [describeCondition(programmed, 'status')],
      gateway: g,
    });
  }
}

export const gw002: Rule = {
  meta: {
    code: 'GWTLS-GW-002',
    severity: 'error',
    title: 'Gateway not Programmed or without an address',
    inputs: ['Gateway', 'GatewayClass'],
    description:
      'An accepted Gateway whose Programmed condition is not True (Envoy Gateway: AddressNotAssigned, NoResources; AWS Load Balancer Controller: Pending while the load balancer is provisioned), or that has no status.addresses, has no reachable endpoint. Checked against a live cluster only: manifests carry no status worth judging.',
  },
  check(ctx) {
    if (ctx.snapshot.source.type !== 'cluster') return;
    for (const g of ctx.model.gateways) if (!classBlocks(ctx, g)) check(ctx, g);
  },
};
