import { GATEWAY_GROUP, X_GATEWAY_GROUP } from '../../cluster/kinds.ts';
import { fix, FORCE_NOTE, routeParentRefsPatch } from '../../fixes/builders.ts';
import type { Fix } from '../../report/types.ts';
import type { Rule } from '../types.ts';

export const ls006: Rule = {
  meta: {
    code: 'GWTLS-LS-006',
    severity: 'error',
    title: 'Route parentRef names a ListenerSet that does not exist or serves nothing',
    inputs: ['Gateway', 'ListenerSet', 'HTTPRoute', 'GRPCRoute', 'TLSRoute', 'TCPRoute', 'UDPRoute'],
    description:
      'A route attaches to a ListenerSet\'s listeners by naming the ListenerSet in a parentRef (group gateway.networking.k8s.io, kind ListenerSet, optionally sectionName and port). When no such ListenerSet exists, or its Gateway does not admit it (or does not exist), the route attaches nowhere through that parentRef, and no controller writes status for it.',
  },
  check(ctx) {
    for (const route of ctx.model.routes) {
      for (const parent of route.parents) {
        const ref = parent.ref;
        if (parent.reason !== 'ListenerSetNotFound' && parent.reason !== 'ListenerSetNotAccepted') continue;
        const fixes: Fix[] = [];
        let hint = '';
        if (parent.reason === 'ListenerSetNotFound') {
          const raw = () => structuredClone((((route.obj.raw.spec ?? {}) as Record<string, unknown>).parentRefs as Array<Record<string, unknown>>)[parent.index] ?? {});
          const otherKind = ref.kind === 'ListenerSet' ? 'XListenerSet' : 'ListenerSet';
          const sameNameOtherKind = ctx.snapshot.get(otherKind, ref.namespace, ref.name);
          const elsewhere = ctx.snapshot.list(ref.kind === 'XListenerSet' ? 'XListenerSet' : 'ListenerSet').filter((l) => l.meta.name === ref.name && l.meta.namespace !== ref.namespace);
          if (sameNameOtherKind) {
            const r = raw();
            r.kind = otherKind;
            r.group = otherKind === 'ListenerSet' ? GATEWAY_GROUP : X_GATEWAY_GROUP;
            hint = ` ${otherKind} ${ref.namespace}/${ref.name} exists: the parentRef names the wrong kind.`;
            fixes.push(fix(`name ${otherKind} ${ref.namespace}/${ref.name} in parentRefs[${parent.index}]`, [routeParentRefsPatch(route.obj, parent.index, r)], { note: FORCE_NOTE }));
          } else if (elsewhere.length === 1) {
            const r = raw();
            r.namespace = elsewhere[0]!.meta.namespace;
            hint = ` A ${ref.kind} named ${ref.name} exists in namespace ${elsewhere[0]!.meta.namespace}; parentRef.namespace defaults to the route's own.`;
            fixes.push(fix(`point parentRefs[${parent.index}] at ${ref.kind} ${elsewhere[0]!.meta.namespace}/${ref.name}`, [routeParentRefsPatch(route.obj, parent.index, r)], { note: FORCE_NOTE }));
          }
        }
        ctx.report({
          object: route.obj,
          field: `spec.parentRefs[${parent.index}]`,
          message: `${route.obj.kind} ${route.obj.meta.namespace}/${route.obj.meta.name} attaches nowhere through parentRefs[${parent.index}]: ${parent.why}${parent.reason === 'ListenerSetNotAccepted' ? ' (see the ListenerSet\'s own finding)' : ''}.${hint}`,
          evidence: [`parentRefs[${parent.index}]: ${ref.kind}.${ref.group} ${ref.namespace}/${ref.name}${ref.sectionName ? `, sectionName ${ref.sectionName}` : ''}${ref.port !== undefined ? `, port ${ref.port}` : ''}`],
          fixes,
          ...(parent.gateway?.found ? { gateway: ctx.model.gateways.find((g) => g.obj === (parent.gateway as { obj: unknown }).obj) } : {}),
        });
      }
    }
  },
};
