import { GATEWAY_GROUP } from '../../cluster/kinds.ts';
import { fix, FORCE_NOTE, routeParentRefsPatch } from '../../fixes/builders.ts';
import type { Rule } from '../types.ts';

export const rt001: Rule = {
  meta: {
    code: 'GWTLS-RT-001',
    severity: 'error',
    title: 'Route parentRef points at a Gateway that does not exist',
    inputs: ['Gateway', 'HTTPRoute', 'GRPCRoute', 'TLSRoute', 'TCPRoute', 'UDPRoute'],
    description: 'A parentRef names a Gateway (name, namespace: the route\'s own by default) that does not exist, so the route attaches to nothing. Controllers do not even write a status entry for such a parent.',
  },
  check(ctx) {
    for (const route of ctx.model.routes) {
      for (const parent of route.parents) {
        if (parent.reason !== 'GatewayNotFound') continue;
        const ref = parent.ref;
        const candidates = ctx.snapshot.list('Gateway').filter((g) => g.meta.name === ref.name);
        const fixes = [];
        if (candidates.length === 1) {
          const target = candidates[0]!;
          const raw = structuredClone((((route.obj.raw.spec ?? {}) as Record<string, unknown>).parentRefs as Array<Record<string, unknown>>)[parent.index] ?? {});
          raw.namespace = target.meta.namespace;
          if (!raw.name) raw.name = ref.name;
          fixes.push(fix(`point parentRefs[${parent.index}] at Gateway ${target.meta.namespace}/${target.meta.name}`, [routeParentRefsPatch(route.obj, parent.index, raw)], { note: FORCE_NOTE }));
        }
        const exists = ctx.snapshot.list('Gateway').map((g) => `${g.meta.namespace}/${g.meta.name}`);
        ctx.report({
          object: route.obj,
          field: `spec.parentRefs[${parent.index}]`,
          message: `${route.obj.kind} ${route.obj.meta.namespace}/${route.obj.meta.name} names Gateway ${ref.namespace}/${ref.name}${ref.group !== GATEWAY_GROUP ? ` (group ${ref.group})` : ''}, which does not exist${ctx.snapshot.source.type === 'files' ? ' in the input' : ''}: the route is attached to nothing.`,
          evidence: [
            `parentRefs[${parent.index}]: name ${ref.name}, namespace ${ref.namespace}${ref.sectionName ? `, sectionName ${ref.sectionName}` : ''}`,
            exists.length ? `Gateways that exist: ${exists.slice(0, 10).join(', ')}` : 'no Gateway exists',
          ],
          fixes,
        });
      }
    }
  },
};
