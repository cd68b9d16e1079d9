import { LBC_GROUP } from '../../cluster/kinds.ts';
import type { GatewayObject, LoadBalancerConfigurationObject } from '../../cluster/objects.ts';
import { fix, FORCE_NOTE, identity } from '../../fixes/builders.ts';
import { implementationFor } from '../../graph/providers/index.ts';
import { isAwsLbc } from '../../graph/providers/aws-lbc.ts';
import type { Fix } from '../../report/types.ts';
import { namespaceInScope } from '../platform/scope.ts';
import type { Rule, RuleContext } from '../types.ts';

function names(ref: { group: string; kind: string; name: string } | undefined, lbc: LoadBalancerConfigurationObject): boolean {
  return !!ref && ref.group === LBC_GROUP && ref.kind === 'LoadBalancerConfiguration' && ref.name === lbc.meta.name;
}

function referenced(ctx: RuleContext, lbc: LoadBalancerConfigurationObject): boolean {
  // A class ref without namespace is broken, but it still shows what was meant (GWTLS-PLAT-003 reports it).
  if (ctx.snapshot.list('GatewayClass').some((c) => names(c.parametersRef, lbc) && (c.parametersRef!.namespace ?? lbc.meta.namespace) === lbc.meta.namespace)) return true;
  return ctx.snapshot.list('Gateway', lbc.meta.namespace).some((g) => names(g.infrastructureParametersRef, lbc));
}

function lbcGateways(ctx: RuleContext, namespace: string): GatewayObject[] {
  return ctx.snapshot.list('Gateway', namespace).filter((g) => isAwsLbc(implementationFor(ctx.snapshot.get('GatewayClass', '', g.className)?.controllerName, g.className)));
}

export const lbc011: Rule = {
  meta: {
    code: 'GWTLS-LBC-011',
    severity: 'warning',
    title: 'LoadBalancerConfiguration referenced by no GatewayClass or Gateway',
    inputs: ['LoadBalancerConfiguration', 'GatewayClass', 'Gateway'],
    description:
      'The AWS Load Balancer Controller reads a LoadBalancerConfiguration only when a GatewayClass names it in spec.parametersRef (with its namespace) or a Gateway in the same namespace names it in spec.infrastructure.parametersRef. One that nothing references does nothing: its listenerConfigurations (certificate ARNs, SSL and ALPN policies), scheme and name never reach a load balancer. Matching names do not count.',
  },
  check(ctx) {
    const classesKnown = ctx.snapshot.coverage('GatewayClass', '').complete && ctx.snapshot.state('GatewayClass').state === 'listed';
    for (const lbc of ctx.snapshot.list('LoadBalancerConfiguration')) {
      const ns = lbc.meta.namespace;
      if (!namespaceInScope(ctx.model, ns) || !classesKnown || !ctx.snapshot.coverage('Gateway', ns).complete) continue;
      if (referenced(ctx, lbc)) continue;
      const gateways = lbcGateways(ctx, ns);
      const sameName = gateways.find((g) => g.meta.name === lbc.meta.name);
      const free = gateways.filter((g) => !g.infrastructureParametersRef);
      const target = sameName && !sameName.infrastructureParametersRef ? sameName : free.length === 1 ? free[0] : undefined;
      const fixes: Fix[] = [];
      if (target) {
        const doc = { ...identity(target), spec: { gatewayClassName: target.className, infrastructure: { parametersRef: { group: LBC_GROUP, kind: 'LoadBalancerConfiguration', name: lbc.meta.name } } } };
        fixes.push(fix(`reference it from Gateway ${target.meta.namespace}/${target.meta.name} (spec.infrastructure.parametersRef)`, [doc], { note: FORCE_NOTE }));
      }
      const certs = lbc.listenerConfigurations.filter((e) => e.defaultCertificate).map((e) => `${e.protocolPort} -> ${e.defaultCertificate}`);
      const gm = target ? ctx.model.gateways.find((g) => g.obj === target) : undefined;
      ctx.report({
        object: lbc,
        message: `LoadBalancerConfiguration ${ns}/${lbc.meta.name} is referenced by no GatewayClass (spec.parametersRef) and no Gateway (spec.infrastructure.parametersRef), so the AWS Load Balancer Controller never reads it: ${certs.length ? `its certificates (${certs.join(', ')}) and other settings` : 'its settings'} never reach a load balancer.${sameName ? ` It shares its name with Gateway ${ns}/${sameName.meta.name}, but the controller goes by references, not names.` : ''}`,
        evidence: [
          ...ctx.snapshot.list('GatewayClass').filter((c) => c.parametersRef?.group === LBC_GROUP).map((c) => `GatewayClass ${c.meta.name} parametersRef: ${c.parametersRef!.namespace ?? '(no namespace)'}/${c.parametersRef!.name}`),
          ...gateways.map((g) => `Gateway ${ns}/${g.meta.name} spec.infrastructure.parametersRef: ${g.infrastructureParametersRef ? g.infrastructureParametersRef.name : 'not set'}`),
        ],
        fixes,
        ...(gm ? { gateway: gm } : {}),
      });
    }
  },
};
