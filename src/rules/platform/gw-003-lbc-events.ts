import type { EventObject } from '../../cluster/objects.ts';
import type { GatewayModel } from '../../graph/model.ts';
import { isAwsLbc } from '../../graph/providers/aws-lbc.ts';
import { describeEvent, incompatiblePassthroughHops, lbcFailureEvents, listenersWithoutCertificate } from '../aws-lbc/detect.ts';
import type { Rule, RuleContext } from '../types.ts';
import { condition, describeCondition } from './conditions.ts';
import { classBlocks } from './plat-003-gatewayclass.ts';

/** Event messages a static finding already explains, with the code that does. */
function explainedBy(g: GatewayModel, e: EventObject): string | undefined {
  if (/No hostnames found for TLS cert discovery/i.test(e.message) && listenersWithoutCertificate(g).length > 0) return 'GWTLS-LBC-001';
  if (/IncompatibleProtocols/i.test(e.message) && incompatiblePassthroughHops(g).length > 0) return 'GWTLS-LBC-005';
  return undefined;
}

/** Where to look next for messages the objects cannot explain. */
function hint(message: string): string {
  if (/No hostnames found for TLS cert discovery/i.test(message)) return ' The TLS listener has neither a LoadBalancerConfiguration certificate nor a hostname for ACM discovery (GWTLS-LBC-001).';
  if (/IncompatibleProtocols/i.test(message)) return ' A TLS target group sits behind a TCP (passthrough) listener (GWTLS-LBC-005).';
  if (/certificate|arn|acm/i.test(message)) return ' Check the certificate ARNs in the LoadBalancerConfiguration listenerConfigurations (GWTLS-LBC-012) and that they live in the load balancer\'s region.';
  if (/TargetGroup port is empty/i.test(message)) return ' Instance targets need a NodePort or LoadBalancer Service; use targetType ip in a TargetGroupConfiguration.';
  return '';
}

function check(ctx: RuleContext, g: GatewayModel): void {
  const accepted = condition(g.obj.conditions, 'Accepted');
  const programmed = condition(g.obj.conditions, 'Programmed');
  // Events outlive their cause: a Gateway that is Accepted and Programmed now has recovered.
  if (accepted?.status === 'True' && programmed?.status === 'True' && !accepted.stale && !programmed.stale) return;
  const events = lbcFailureEvents(ctx.snapshot, g).filter((e) => !explainedBy(g, e));
  if (events.length === 0) return;
  const latest = events[0]!;
  ctx.report({
    object: g.obj,
    field: 'status.conditions',
    message: `The AWS Load Balancer Controller failed to ${latest.reason === 'FailedDeployModel' ? 'deploy' : latest.reason === 'FailedBuildModel' ? 'build' : 'reconcile'} the load balancer of Gateway ${g.obj.meta.namespace}/${g.obj.meta.name}; its status only says "Check Gateway Events", and the latest event says: ${latest.message}.${hint(latest.message)}`,
    evidence: [...(accepted ? [describeCondition(accepted, 'status')] : []), ...events.slice(0, 5).map(describeEvent)],
    gateway: g,
  });
}

export const gw003: Rule = {
  meta: {
    code: 'GWTLS-GW-003',
    severity: 'error',
    title: 'AWS Load Balancer Controller failure recorded only in Gateway Events',
    inputs: ['Gateway', 'GatewayClass', 'Event'],
    description:
      'When the AWS Load Balancer Controller cannot build or deploy a load balancer it sets Accepted=False, reason Invalid, "Check Gateway Events for more information." and records the cause as Warning events (FailedBuildModel, FailedDeployModel). This surfaces those events; causes the objects already explain are reported under their own code (GWTLS-LBC-001, GWTLS-LBC-005).',
  },
  check(ctx) {
    for (const g of ctx.model.gateways) if (isAwsLbc(g.impl) && !classBlocks(ctx, g)) check(ctx, g);
  },
};
