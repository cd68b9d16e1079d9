import { fix, objectName, referenceGrant } from '../../fixes/builders.ts';
import type { Rule } from '../types.ts';
import { backendRefField, backendRefLabel, backendUses, failureConsequence, routeLabel } from './uses.ts';

export const be003: Rule = {
  meta: {
    code: 'GWTLS-BE-003',
    severity: 'error',
    title: 'Cross-namespace backendRef without a ReferenceGrant',
    inputs: ['HTTPRoute', 'GRPCRoute', 'TLSRoute', 'TCPRoute', 'UDPRoute', 'ReferenceGrant'],
    description:
      'A route may reference a backend in another namespace only when a ReferenceGrant in the backend\'s namespace allows that route kind from the route\'s namespace. Without it the reference is refused (ResolvedRefs=False, RefNotPermitted) and the rule gets no traffic.',
  },
  check(ctx) {
    for (const use of backendUses(ctx.model)) {
      const b = use.backend;
      if (!b.problems.some((p) => p.problem === 'not-permitted')) continue;
      const route = use.route.obj;
      const grant = referenceGrant({
        namespace: b.ref.namespace,
        name: objectName(route.meta.namespace, route.kind.toLowerCase(), 'to', b.ref.name),
        fromKind: route.kind,
        fromNamespace: route.meta.namespace,
        toGroup: b.ref.group,
        toKind: b.ref.kind,
        toName: b.ref.name,
      });
      const grants = ctx.snapshot.list('ReferenceGrant', b.ref.namespace).map((g) => `ReferenceGrant ${g.meta.namespace}/${g.meta.name}: from ${g.from.map((f) => `${f.kind}/${f.namespace}`).join(', ') || 'nothing'} to ${g.to.map((t) => `${t.kind}${t.name ? `/${t.name}` : ''}`).join(', ') || 'nothing'}`);
      ctx.report({
        object: route,
        field: `${backendRefField(b)}.namespace`,
        message: `${routeLabel(route)} references ${b.ref.kind} ${b.ref.namespace}/${b.ref.name} in another namespace, and no ReferenceGrant in namespace ${b.ref.namespace} allows ${route.kind}s from namespace ${route.meta.namespace}: the reference is refused (RefNotPermitted) and ${failureConsequence(route)}.`,
        evidence: [`${backendRefField(b)}: ${backendRefLabel(b)}`, ...(grants.length ? grants : [`no ReferenceGrant in namespace ${b.ref.namespace}`])],
        fixes: [fix(`allow ${route.kind}s in ${route.meta.namespace} to reference ${b.ref.kind} ${b.ref.namespace}/${b.ref.name}`, [grant])],
        ...use.at,
      });
    }
  },
};
