import { fix, FORCE_NOTE } from '../../fixes/builders.ts';
import type { Rule } from '../types.ts';
import { backendRefField, backendRefLabel, backendUses, failureConsequence, rawBackendRef, routeBackendRefPatch, routeLabel } from './uses.ts';

/** Edit distance, to recognise a misspelt name. */
function distance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) cur.push(Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1)));
    prev = cur;
  }
  return prev[b.length]!;
}

export const be001: Rule = {
  meta: {
    code: 'GWTLS-BE-001',
    severity: 'error',
    title: 'Backend Service (or Envoy Gateway Backend) does not exist',
    inputs: ['HTTPRoute', 'GRPCRoute', 'TLSRoute', 'TCPRoute', 'UDPRoute', 'Service'],
    description:
      'A route backendRef names a Service (or an Envoy Gateway Backend) that does not exist in the namespace it points at. The controller sets ResolvedRefs=False (BackendNotFound); requests for that rule get HTTP 500, and L4 connections are rejected.',
  },
  check(ctx) {
    for (const use of backendUses(ctx.model)) {
      const b = use.backend;
      if (!b.problems.some((p) => p.problem === 'missing')) continue;
      const kind = b.type === 'envoy-backend' ? 'Backend' : 'Service';
      const existing = ctx.snapshot.list(kind, b.ref.namespace);
      const names = existing.map((o) => o.meta.name).sort();
      const near = existing.filter((o) => distance(o.meta.name, b.ref.name) <= 2 && (o.kind !== 'Service' || b.ref.port === undefined || o.ports.some((p) => p.port === b.ref.port)));
      const fixes = [];
      if (near.length === 1) {
        const raw = rawBackendRef(use.route.obj, b.rule, b.index);
        raw.name = near[0]!.meta.name;
        fixes.push(fix(`point backendRefs[${b.index}] of rule ${b.rule} at ${kind} ${b.ref.namespace}/${near[0]!.meta.name}`, [routeBackendRefPatch(use.route.obj, b.rule, b.index, raw)], { note: FORCE_NOTE }));
      }
      const status = use.route.obj.parents.flatMap((p) => p.conditions.filter((c) => c.type === 'ResolvedRefs' && c.status === 'False').map((c) => `status: ResolvedRefs=False (${c.reason ?? ''}) ${c.message ?? ''}`.trim()));
      ctx.report({
        object: use.route.obj,
        field: backendRefField(b),
        message: `${routeLabel(use.route.obj)} sends traffic to ${kind} ${b.ref.namespace}/${b.ref.name}, which does not exist${ctx.snapshot.source.type === 'files' ? ' in the input' : ''}: ${failureConsequence(use.route.obj)}.${near.length === 1 ? ` Did you mean ${near[0]!.meta.name}?` : ''}`,
        evidence: [
          `${backendRefField(b)}: ${backendRefLabel(b)}`,
          names.length ? `${kind}s in namespace ${b.ref.namespace}: ${names.slice(0, 10).join(', ')}${names.length > 10 ? ', …' : ''}` : `no ${kind} in namespace ${b.ref.namespace}`,
          ...status,
        ],
        fixes,
        ...use.at,
      });
    }
  },
};
