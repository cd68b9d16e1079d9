import { KINDS } from '../../cluster/kinds.ts';
import type { GatewayClassObject } from '../../cluster/objects.ts';
import type { GatewayModel } from '../../graph/model.ts';
import { isAwsLbc } from '../../graph/providers/aws-lbc.ts';
import type { Rule, RuleContext } from '../types.ts';
import { condition, describeCondition } from './conditions.ts';
import { lbcMissingKinds } from './prerequisites.ts';
import { versionServed } from './served.ts';

const CRDS = 'kubectl apply --server-side -f https://github.com/kubernetes-sigs/gateway-api/releases/download/v1.6.1/standard-install.yaml';

export const plat002: Rule = {
  meta: {
    code: 'GWTLS-PLAT-002',
    severity: 'error',
    title: 'Controller prerequisites missing: the implementation silently switches a feature off',
    inputs: ['GatewayClass', 'Gateway', 'TCPRoute', 'UDPRoute'],
    description:
      'AWS Load Balancer Controller v3.5 needs the Gateway API v1.6 kinds at v1 (TLSRoute, TCPRoute, UDPRoute for NLB; HTTPRoute, GRPCRoute for ALB) and its own kinds at gateway.k8s.aws/v1; when one is not served it disables its gateway support at start-up and only logs it. Envoy Gateway v1.9 reads TCPRoute and UDPRoute at v1 and silently skips them without the v1.6 CRDs. Checked against a live cluster.',
  },
  check(ctx) {
    if (ctx.snapshot.source.type !== 'cluster') return;
    const seen = new Set<string>();
    for (const g of ctx.model.gateways) {
      const cls = g.gatewayClass.found ? g.gatewayClass.obj : undefined;
      const key = `${g.obj.className}|${g.impl.id}`;
      if (seen.has(key)) continue;
      seen.add(key);
      if (isAwsLbc(g.impl)) lbc(ctx, g, cls);
      else if (g.impl.id === 'envoy-gateway' || g.impl.id === 'calico') envoy(ctx, g);
    }
  },
};

function lbc(ctx: RuleContext, g: GatewayModel, cls: GatewayClassObject | undefined): void {
  const missing = lbcMissingKinds(ctx.snapshot, g.impl.id);
  if (missing.length === 0) return;
  const accepted = cls ? condition(cls.conditions, 'Accepted') : undefined;
  const running = accepted?.status === 'True' && !accepted.stale;
  const kind = g.impl.id === 'aws-lbc-nlb' ? 'NLB' : 'ALB';
  ctx.report({
    object: cls ?? g.obj,
    severity: running ? 'warning' : 'error',
    message: running
      ? `This cluster does not serve ${missing.join(', ')}: AWS Load Balancer Controller v3.5 and later switch their ${kind} gateway support off at start-up when any of these is missing. GatewayClass ${g.obj.className} is Accepted, so the controller running now is older (v3.4 or before) or the status predates an upgrade: upgrading the controller without the CRDs stops all ${kind} gateways.`
      : `This cluster does not serve ${missing.join(', ')}: AWS Load Balancer Controller v3.5 and later switch their ${kind} gateway support off at start-up when any of these is missing, and say so only in a log line. GatewayClass ${g.obj.className} is not Accepted, which is what a switched-off controller looks like: no load balancer is built for Gateway ${g.obj.meta.namespace}/${g.obj.meta.name}.`,
    evidence: [
      ...missing.map((m) => `not served: ${m}`),
      accepted ? describeCondition(accepted, `GatewayClass ${g.obj.className} status`) : `GatewayClass ${g.obj.className} has no Accepted condition`,
      `install the Gateway API v1.6 CRDs (${CRDS}) and the CRDs of the running LBC release, then restart the controller`,
    ],
    gateway: g,
  });
}

function envoy(ctx: RuleContext, g: GatewayModel): void {
  for (const kind of ['TCPRoute', 'UDPRoute'] as const) {
    if (versionServed(ctx.snapshot, kind, 'v1') !== false) continue;
    const routes = ctx.model.routes.filter((r) => r.obj.kind === kind && r.parents.some((p) => p.gateway?.found && p.gateway.obj === g.obj));
    if (routes.length === 0) continue;
    ctx.report({
      object: g.obj,
      severity: 'warning',
      message: `This cluster serves ${kind} only at ${ctx.snapshot.source.kinds?.[kind] ?? 'an older version'}, not v1: Envoy Gateway v1.9 and later reconcile ${KINDS[kind].plural} at v1 and silently skip them without the Gateway API v1.6 CRDs, so ${routes.map((r) => `${kind} ${r.obj.meta.namespace}/${r.obj.meta.name}`).join(', ')} would carry no traffic on ${g.impl.name}.`,
      evidence: [`not served: ${KINDS[kind].plural}.${KINDS[kind].group}/v1`, `install the v1.6 CRDs: ${CRDS}`],
      gateway: g,
    });
  }
}
