import { ENVOY_GROUP, LBC_GROUP } from '../../cluster/kinds.ts';
import type { GatewayClassObject, LoadBalancerConfigurationObject } from '../../cluster/objects.ts';
import type { Snapshot } from '../../cluster/snapshot.ts';
import { fix, FORCE_NOTE, identity } from '../../fixes/builders.ts';
import type { GatewayModel } from '../../graph/model.ts';
import { isAwsLbc } from '../../graph/providers/aws-lbc.ts';
import { lbcListenerKey } from '../../graph/providers/aws-lbc-config.ts';
import type { Fix } from '../../report/types.ts';
import type { Rule, RuleContext } from '../types.ts';
import { condition, describeCondition, isCrdDefault } from './conditions.ts';
import { lbcMissingKinds } from './prerequisites.ts';

interface Problem {
  field: string;
  /** What the controller does about it, in words. */
  why: string;
  fixes: Fix[];
}

/** Whether every object of a kind in every namespace is known (files, or a cluster-wide LIST). */
function fullyListed(snapshot: Snapshot, kind: 'LoadBalancerConfiguration' | 'GatewayClass'): boolean {
  // A namespace no LIST was scoped to ('' is never one) is covered only by an unscoped, complete listing.
  return snapshot.coverage(kind, '').complete && snapshot.state(kind).state === 'listed';
}

/** The one LoadBalancerConfiguration the class could mean: the only one there is, and its entries fit the class's listeners. */
function onlyFittingLbc(snapshot: Snapshot, gateways: GatewayModel[]): LoadBalancerConfigurationObject | undefined {
  if (!fullyListed(snapshot, 'LoadBalancerConfiguration')) return undefined;
  const all = snapshot.list('LoadBalancerConfiguration');
  if (all.length !== 1) return undefined;
  const lbc = all[0]!;
  const keys = new Set(gateways.flatMap((g) => g.obj.listeners.map(lbcListenerKey)));
  return lbc.listenerConfigurations.every((e) => keys.has(e.protocolPort.toLowerCase())) ? lbc : undefined;
}

/**
 * With several LoadBalancerConfigurations, the one most likely meant: in a namespace of the class's Gateways,
 * referenced by no GatewayClass or Gateway, and with entries that fit the listeners. Only a unique best is named.
 */
function bestCandidate(snapshot: Snapshot, gateways: GatewayModel[]): { lbc: LoadBalancerConfigurationObject; why: string[] } | undefined {
  const all = snapshot.list('LoadBalancerConfiguration');
  if (all.length < 2) return undefined;
  const namespaces = new Set(gateways.map((g) => g.obj.meta.namespace));
  const keys = new Set(gateways.flatMap((g) => g.obj.listeners.map(lbcListenerKey)));
  const referenced = new Set<string>();
  for (const c of snapshot.list('GatewayClass')) if (c.parametersRef?.kind === 'LoadBalancerConfiguration' && c.parametersRef.namespace) referenced.add(`${c.parametersRef.namespace}/${c.parametersRef.name}`);
  for (const g of snapshot.list('Gateway')) if (g.infrastructureParametersRef?.kind === 'LoadBalancerConfiguration') referenced.add(`${g.meta.namespace}/${g.infrastructureParametersRef.name}`);
  const scored = all.map((lbc) => {
    const why: string[] = [];
    if (namespaces.has(lbc.meta.namespace)) why.push(`it is in namespace ${lbc.meta.namespace}, beside the class's Gateway`);
    if (!referenced.has(`${lbc.meta.namespace}/${lbc.meta.name}`)) why.push('nothing else references it');
    if (lbc.listenerConfigurations.length > 0 && lbc.listenerConfigurations.every((e) => keys.has(e.protocolPort.toLowerCase()))) why.push('its listenerConfigurations fit the listeners');
    return { lbc, why };
  });
  const top = Math.max(...scored.map((x) => x.why.length));
  const best = scored.filter((x) => x.why.length === top);
  return top === 3 && best.length === 1 ? best[0] : undefined;
}

function pointAt(cls: GatewayClassObject, lbc: LoadBalancerConfigurationObject, because?: string[]): Fix {
  const doc = {
    ...identity(cls),
    spec: { controllerName: cls.controllerName, parametersRef: { group: LBC_GROUP, kind: 'LoadBalancerConfiguration', name: lbc.meta.name, namespace: lbc.meta.namespace } },
  };
  if (because) {
    return fix(`point GatewayClass ${cls.meta.name} at LoadBalancerConfiguration ${lbc.meta.namespace}/${lbc.meta.name}, the most likely of several`, [doc], {
      note: `A guess, so only a suggestion: ${because.join('; ')}. Check that it holds the listener settings you meant. ${FORCE_NOTE}`,
      suggestion: true,
    });
  }
  return fix(`point GatewayClass ${cls.meta.name} at LoadBalancerConfiguration ${lbc.meta.namespace}/${lbc.meta.name}, the only one there is`, [doc], { note: FORCE_NOTE });
}

function parameterProblems(ctx: RuleContext, cls: GatewayClassObject, gateways: GatewayModel[]): Problem[] {
  const g = gateways[0]!;
  const ref = cls.parametersRef;
  if (!ref) return [];
  if (isAwsLbc(g.impl)) {
    const cfg = g.lbc?.classConfig;
    if (!cfg) return [];
    if (cfg.problem && !ref.namespace && ref.group === LBC_GROUP && ref.kind === 'LoadBalancerConfiguration') {
      const same = ctx.snapshot.list('LoadBalancerConfiguration').filter((l) => l.meta.name === ref.name);
      const fixes = same.length === 1 && fullyListed(ctx.snapshot, 'LoadBalancerConfiguration') ? [pointAt(cls, same[0]!)] : [];
      return [{ field: 'spec.parametersRef.namespace', why: `the AWS Load Balancer Controller needs the namespace of a LoadBalancerConfiguration and refuses the class (Accepted=False, reason InvalidParametersRef: "Namespace must be specified in ParametersRef for LoadBalancerConfiguration")`, fixes }];
    }
    if (cfg.problem) return [{ field: 'spec.parametersRef', why: `${cfg.problem}; the AWS Load Balancer Controller refuses the class (Accepted=False, reason InvalidParametersRef)`, fixes: [] }];
    if (cfg.lookup && !cfg.lookup.found && cfg.lookup.known) {
      const lbc = onlyFittingLbc(ctx.snapshot, gateways);
      const best = lbc || !fullyListed(ctx.snapshot, 'LoadBalancerConfiguration') ? undefined : bestCandidate(ctx.snapshot, gateways);
      const fixes = lbc ? [pointAt(cls, lbc)] : best ? [pointAt(cls, best.lbc, best.why)] : [];
      return [{ field: 'spec.parametersRef', why: `it names LoadBalancerConfiguration ${cfg.ref.namespace}/${ref.name}, which does not exist${ctx.snapshot.source.type === 'files' ? ' in the input' : ''}; the AWS Load Balancer Controller refuses the class (Accepted=False, reason NotFound)`, fixes }];
    }
    return [];
  }
  if ((g.impl.id === 'envoy-gateway' || g.impl.id === 'calico') && ref.group === ENVOY_GROUP && ref.kind === 'EnvoyProxy') {
    if (!ref.namespace) return [{ field: 'spec.parametersRef.namespace', why: 'an EnvoyProxy referenced from a GatewayClass needs a namespace; Envoy Gateway refuses the class (Accepted=False, reason InvalidParameters)', fixes: [] }];
    // Live reads do not list EnvoyProxies: only manifests can prove one missing.
    const found = ctx.snapshot.source.type === 'files' ? ctx.snapshot.lookup('EnvoyProxy', ref.namespace, ref.name) : undefined;
    if (found && !found.found && found.known) return [{ field: 'spec.parametersRef', why: `${found.why}; Envoy Gateway refuses the class (Accepted=False, reason InvalidParameters)`, fixes: [] }];
  }
  return [];
}

function statusProblem(cls: GatewayClassObject): { why: string; evidence: string } | undefined {
  const accepted = condition(cls.conditions, 'Accepted');
  if (!accepted || accepted.stale || accepted.status === 'True') return undefined;
  const evidence = describeCondition(accepted, 'status');
  if (accepted.status === 'Unknown' || accepted.reason === 'Pending' || accepted.reason === 'Waiting') {
    const never = isCrdDefault(accepted) ? ' The condition still holds the CRD default: no controller ever wrote status.' : '';
    return { why: `no controller has claimed controllerName ${cls.controllerName} (a typo, a controller that is not running, or one whose gateway support is switched off).${never}`, evidence };
  }
  return { why: `its controller refuses it (${accepted.reason ?? 'no reason'}${accepted.message ? `: ${accepted.message}` : ''}).`, evidence };
}

function missingClass(ctx: RuleContext, gateways: GatewayModel[]): void {
  const classes = ctx.snapshot.list('GatewayClass');
  for (const g of gateways) {
    const fixes: Fix[] = [];
    if (classes.length === 1 && fullyListed(ctx.snapshot, 'GatewayClass')) {
      const only = classes[0]!;
      fixes.push(fix(`use GatewayClass ${only.meta.name}, the only one there is`, [{ ...identity(g.obj), spec: { gatewayClassName: only.meta.name } }], { note: FORCE_NOTE }));
    }
    ctx.report({
      object: g.obj,
      field: 'spec.gatewayClassName',
      message: `Gateway ${g.obj.meta.namespace}/${g.obj.meta.name} names GatewayClass ${g.obj.className}, which does not exist${ctx.snapshot.source.type === 'files' ? ' in the input' : ''}: no controller reconciles the Gateway, so none of its listeners is served.`,
      evidence: [classes.length ? `GatewayClasses that exist: ${classes.map((c) => `${c.meta.name} (${c.controllerName})`).join(', ')}` : 'no GatewayClass exists'],
      fixes,
      gateway: g,
    });
  }
}

export const plat003: Rule = {
  meta: {
    code: 'GWTLS-PLAT-003',
    severity: 'error',
    title: 'GatewayClass missing or not Accepted',
    inputs: ['GatewayClass', 'Gateway', 'LoadBalancerConfiguration', 'EnvoyProxy'],
    description:
      'A Gateway is reconciled only when its GatewayClass exists and its controller accepts it. Accepted=Unknown (Pending, "Waiting for controller") means no controller claims the controllerName; Accepted=False means the controller refuses the class, typically for its parametersRef (AWS Load Balancer Controller: InvalidParametersRef without a namespace, NotFound for a missing LoadBalancerConfiguration). Every Gateway of the class is then left without a data plane.',
  },
  check(ctx) {
    const byClass = new Map<string, GatewayModel[]>();
    for (const g of ctx.model.gateways) byClass.set(g.obj.className, [...(byClass.get(g.obj.className) ?? []), g]);
    for (const gateways of byClass.values()) {
      const lookup = gateways[0]!.gatewayClass;
      if (!lookup.found) {
        if (lookup.known) missingClass(ctx, gateways);
        continue;
      }
      const cls = lookup.obj;
      // A switched-off controller explains a Pending class (GWTLS-PLAT-002).
      if (lbcMissingKinds(ctx.snapshot, gateways[0]!.impl.id).length > 0 && condition(cls.conditions, 'Accepted')?.status !== 'True') continue;
      const problems = parameterProblems(ctx, cls, gateways);
      const status = statusProblem(cls);
      if (problems.length === 0 && !status) continue;
      const names = gateways.map((g) => `${g.obj.meta.namespace}/${g.obj.meta.name}`).join(', ');
      const cause = problems.length ? problems.map((p) => p.why).join('; ') : status!.why;
      ctx.report({
        object: cls,
        field: problems[0]?.field ?? 'status.conditions',
        message: `GatewayClass ${cls.meta.name} is not usable: ${cause.replace(/\.$/, '')}. No Gateway of the class (${names}) gets a data plane.`,
        evidence: [
          `controllerName: ${cls.controllerName}`,
          ...(cls.parametersRef ? [`parametersRef: ${cls.parametersRef.kind}.${cls.parametersRef.group} ${cls.parametersRef.namespace ? `${cls.parametersRef.namespace}/` : '(no namespace) '}${cls.parametersRef.name}`] : []),
          ...(status ? [status.evidence] : []),
        ],
        fixes: problems.flatMap((p) => p.fixes),
        ...(gateways.length === 1 ? { gateway: gateways[0]! } : {}),
      });
    }
  },
};

/** Whether the Gateway's class already explains why nothing serves it (GWTLS-PLAT-002/003): Gateway-level symptoms stay quiet. */
export function classBlocks(ctx: RuleContext, g: GatewayModel): boolean {
  if (!g.gatewayClass.found) return true;
  const cls = g.gatewayClass.obj;
  if (lbcMissingKinds(ctx.snapshot, g.impl.id).length > 0 && condition(cls.conditions, 'Accepted')?.status !== 'True') return true;
  return parameterProblems(ctx, cls, [g]).length > 0 || statusProblem(cls) !== undefined;
}
