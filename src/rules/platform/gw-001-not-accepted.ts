import { LBC_GROUP } from '../../cluster/kinds.ts';
import type { GatewayModel } from '../../graph/model.ts';
import { isAwsLbc } from '../../graph/providers/aws-lbc.ts';
import { lbcFailureEvents } from '../aws-lbc/detect.ts';
import type { Rule, RuleContext } from '../types.ts';
import { condition, describeCondition, isCrdDefault } from './conditions.ts';
import { classBlocks } from './plat-003-gatewayclass.ts';

/** A Gateway-level parametersRef the controller cannot resolve (LBC: same-namespace LoadBalancerConfiguration). */
function parametersProblem(g: GatewayModel): string | undefined {
  const cfg = g.lbc?.gatewayConfig;
  if (!cfg) return undefined;
  if (cfg.problem) return cfg.problem;
  if (cfg.lookup && !cfg.lookup.found && cfg.lookup.known) {
    return `spec.infrastructure.parametersRef names LoadBalancerConfiguration ${cfg.ref.namespace}/${cfg.ref.name} (${cfg.ref.group === LBC_GROUP ? 'it must be in the Gateway namespace' : cfg.ref.group}), which does not exist: the controller cannot build the load balancer`;
  }
  return undefined;
}

function report(ctx: RuleContext, g: GatewayModel): void {
  const id = `${g.obj.meta.namespace}/${g.obj.meta.name}`;
  const param = parametersProblem(g);
  if (param) {
    ctx.report({ object: g.obj, field: 'spec.infrastructure.parametersRef', message: `Gateway ${id} cannot be reconciled: ${param}.`, evidence: [], gateway: g });
    return;
  }
  const accepted = condition(g.obj.conditions, 'Accepted');
  // Stale conditions are GWTLS-GW-004's; ListenersNotValid is explained listener by listener.
  if (!accepted || accepted.stale || accepted.status === 'True' || accepted.reason === 'ListenersNotValid') return;
  // The AWS Load Balancer Controller puts the cause in Events (GWTLS-GW-003).
  if (isAwsLbc(g.impl) && lbcFailureEvents(ctx.snapshot, g).length > 0) return;
  const evidence = [describeCondition(accepted, 'status')];
  let cause: string;
  if (accepted.status === 'Unknown' || accepted.reason === 'Pending') {
    cause = isCrdDefault(accepted)
      ? `no controller ever wrote its status (the condition is the CRD default), although GatewayClass ${g.obj.className} is Accepted: its controller ignores this Gateway (another controller instance, a namespace or label filter) or has not reached it`
      : `its controller has not finished processing it (Pending${accepted.message ? `: ${accepted.message}` : ''})`;
  } else if (accepted.reason === 'Invalid' && isAwsLbc(g.impl) && /Gateway Events/i.test(accepted.message ?? '')) {
    cause = 'the AWS Load Balancer Controller failed to build or deploy its load balancer and put the cause in Events, which could not be read; run kubectl describe gateway to see them';
  } else {
    cause = `its controller rejects it (${accepted.reason ?? 'no reason'}${accepted.message ? `: ${accepted.message}` : ''})`;
  }
  ctx.report({ object: g.obj, field: 'status.conditions', message: `Gateway ${id} is not Accepted: ${cause}. None of its listeners is served.`, evidence, gateway: g });
}

export const gw001: Rule = {
  meta: {
    code: 'GWTLS-GW-001',
    severity: 'error',
    title: 'Gateway not Accepted',
    inputs: ['Gateway', 'GatewayClass', 'LoadBalancerConfiguration'],
    description:
      'The controller of the class has not accepted the Gateway (Accepted=False with Invalid, InvalidParameters or UnsupportedAddress, or Accepted=Unknown/Pending), or the Gateway points spec.infrastructure.parametersRef at an object that does not exist. Nothing of the Gateway is programmed. Listener-level causes (ListenersNotValid) are reported per listener; a class that is itself not accepted is reported as GWTLS-PLAT-003.',
  },
  check(ctx) {
    for (const g of ctx.model.gateways) {
      if (classBlocks(ctx, g)) continue;
      report(ctx, g);
    }
  },
};
