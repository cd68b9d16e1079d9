import type { LoadBalancerConfigurationObject, TargetGroupConfigurationObject } from '../../cluster/objects.ts';
import { fix, FORCE_NOTE, identity } from '../../fixes/builders.ts';
import type { Fix } from '../../report/types.ts';
import { namespaceInScope } from '../platform/scope.ts';
import type { Rule, RuleContext } from '../types.ts';

function id(o: { meta: { namespace: string; name: string } }): string {
  return `${o.meta.namespace}/${o.meta.name}`;
}

/** LoadBalancerConfigurations a GatewayClass or Gateway in the model points at. */
function configsInUse(ctx: RuleContext): Set<LoadBalancerConfigurationObject> {
  const out = new Set<LoadBalancerConfigurationObject>();
  for (const g of ctx.model.gateways) for (const cfg of [g.lbc?.classConfig, g.lbc?.gatewayConfig]) if (cfg?.lookup?.found) out.add(cfg.lookup.obj);
  return out;
}

function withoutTarget(ctx: RuleContext, tgc: TargetGroupConfigurationObject, inUse: Set<LoadBalancerConfigurationObject>): void {
  const ns = tgc.meta.namespace;
  const namedBy = ctx.snapshot.list('LoadBalancerConfiguration', ns).filter((l) => l.defaultTargetGroupConfiguration === tgc.meta.name);
  if (namedBy.length > 0) return;
  const known = ctx.snapshot.coverage('LoadBalancerConfiguration', ns).complete;
  const candidates = [...inUse].filter((l) => l.meta.namespace === ns && !l.defaultTargetGroupConfiguration);
  const fixes: Fix[] = [];
  if (candidates.length === 1) {
    const lbc = candidates[0]!;
    fixes.push(fix(`make it the default TargetGroupConfiguration of LoadBalancerConfiguration ${id(lbc)}`, [{ ...identity(lbc), spec: { defaultTargetGroupConfiguration: { name: tgc.meta.name } } }], { note: `${FORCE_NOTE} Default TargetGroupConfigurations need AWS Load Balancer Controller v3.2 or later.` }));
  }
  ctx.report({
    object: tgc,
    field: 'spec.targetReference',
    message: `TargetGroupConfiguration ${id(tgc)} has no targetReference, so it applies to no Service by itself: the AWS Load Balancer Controller uses such a TargetGroupConfiguration only as the spec.defaultTargetGroupConfiguration of a LoadBalancerConfiguration, and ${known ? `no LoadBalancerConfiguration in namespace ${ns} names it` : `the ${ctx.snapshot.source.type === 'files' ? 'input holds' : 'readable objects hold'} no LoadBalancerConfiguration that names it`}. Its settings${tgc.defaultConfiguration.protocol ? ` (protocol ${tgc.defaultConfiguration.protocol})` : ''} do not reach any target group; releases before v3.2 even reject it, as they require targetReference.`,
    evidence: [
      `spec.defaultConfiguration: ${JSON.stringify(tgc.defaultConfiguration)}`,
      known ? `LoadBalancerConfigurations in ${ns}: ${ctx.snapshot.list('LoadBalancerConfiguration', ns).map((l) => `${l.meta.name} (default TGC: ${l.defaultTargetGroupConfiguration ?? 'none'})`).join(', ') || 'none'}` : 'LoadBalancerConfigurations of this namespace are not in the input',
      'alternatively set spec.targetReference.name to the Service whose target groups it should shape (same namespace)',
    ],
    fixes,
  });
}

function missingService(ctx: RuleContext, tgc: TargetGroupConfigurationObject): void {
  const name = tgc.targetReference!.name;
  const svc = ctx.snapshot.lookup('Service', tgc.meta.namespace, name);
  if (svc.found || !svc.known) return;
  const elsewhere = ctx.snapshot.list('Service').filter((s) => s.meta.name === name);
  ctx.report({
    object: tgc,
    field: 'spec.targetReference.name',
    message: `TargetGroupConfiguration ${id(tgc)} targets Service ${name}, which does not exist in namespace ${tgc.meta.namespace}${elsewhere.length ? `; a Service of that name exists in ${elsewhere.map((s) => s.meta.namespace).join(', ')}, and a TargetGroupConfiguration must live in its Service's namespace` : ''}: its settings reach no target group.`,
    evidence: [svc.why],
  });
}

function duplicates(ctx: RuleContext, group: TargetGroupConfigurationObject[]): void {
  const [first, ...rest] = group;
  ctx.report({
    object: first!,
    field: 'spec.targetReference',
    message: `${group.length} TargetGroupConfigurations target Service ${first!.meta.namespace}/${first!.targetReference!.name} (${group.map((t) => t.meta.name).join(', ')}): the AWS Load Balancer Controller uses one of them and which one is not defined, so their settings may flip between reconciliations. Keep one per Service.`,
    evidence: rest.map((t) => `also targets it: TargetGroupConfiguration ${id(t)}${t.defaultConfiguration.protocol ? ` (protocol ${t.defaultConfiguration.protocol})` : ''}`),
  });
}

function badDefault(ctx: RuleContext, lbc: LoadBalancerConfigurationObject): void {
  const name = lbc.defaultTargetGroupConfiguration;
  if (!name) return;
  const tgc = ctx.snapshot.lookup('TargetGroupConfiguration', lbc.meta.namespace, name);
  if (!tgc.found) {
    if (!tgc.known) return;
    ctx.report({
      object: lbc,
      field: 'spec.defaultTargetGroupConfiguration',
      message: `LoadBalancerConfiguration ${id(lbc)} names default TargetGroupConfiguration ${name}, which does not exist in namespace ${lbc.meta.namespace}: target groups fall back to the controller defaults.`,
      evidence: [tgc.why],
    });
    return;
  }
  if (tgc.obj.targetReference) {
    ctx.report({
      object: lbc,
      field: 'spec.defaultTargetGroupConfiguration',
      severity: 'error',
      message: `LoadBalancerConfiguration ${id(lbc)} names TargetGroupConfiguration ${id(tgc.obj)} as its default, but that one has a targetReference (Service ${tgc.obj.targetReference.name}): the AWS Load Balancer Controller refuses a default with a targetReference and fails the reconciliation of every Gateway using this configuration. Point the default at a TargetGroupConfiguration without targetReference.`,
      evidence: [`TargetGroupConfiguration ${id(tgc.obj)} spec.targetReference.name: ${tgc.obj.targetReference.name}`],
    });
  }
}

export const lbc007: Rule = {
  meta: {
    code: 'GWTLS-LBC-007',
    severity: 'warning',
    title: 'TargetGroupConfiguration not applied',
    inputs: ['TargetGroupConfiguration', 'LoadBalancerConfiguration', 'Service'],
    description:
      'A TargetGroupConfiguration shapes the target groups of the Service its targetReference names, in the Service\'s namespace. Without targetReference it applies only as the spec.defaultTargetGroupConfiguration of a LoadBalancerConfiguration; naming a Service that does not exist (or one in another namespace) applies it to nothing; two for one Service make the choice undefined; a default that has a targetReference makes the controller fail. In each case the intended protocol (for instance TLS to the pods) silently does not happen.',
  },
  check(ctx) {
    const inUse = configsInUse(ctx);
    const byService = new Map<string, TargetGroupConfigurationObject[]>();
    for (const tgc of ctx.snapshot.list('TargetGroupConfiguration')) {
      if (!namespaceInScope(ctx.model, tgc.meta.namespace)) continue;
      if (!tgc.targetReference) {
        withoutTarget(ctx, tgc, inUse);
        continue;
      }
      if ((tgc.targetReference.kind ?? 'Service') !== 'Service') continue;
      missingService(ctx, tgc);
      const key = `${tgc.meta.namespace}/${tgc.targetReference.name}`;
      byService.set(key, [...(byService.get(key) ?? []), tgc]);
    }
    for (const group of byService.values()) if (group.length > 1) duplicates(ctx, group.sort((a, b) => a.meta.name.localeCompare(b.meta.name)));
    for (const lbc of inUse) badDefault(ctx, lbc);
  },
};
