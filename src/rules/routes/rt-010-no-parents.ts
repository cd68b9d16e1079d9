import { ROUTE_KINDS } from '../../cluster/kinds.ts';
import type { RouteObject } from '../../cluster/objects.ts';
import { fix, identity } from '../../fixes/builders.ts';
import type { GatewayModel } from '../../graph/model.ts';
import type { Rule } from '../types.ts';

/** Gateways in scope with a listener that serves the route's kind, the route's own namespace first. */
function candidates(gateways: GatewayModel[], route: RouteObject): GatewayModel[] {
  const serving = gateways.filter((g) => g.listeners.some((l) => l.kinds.allowed.includes(route.kind)));
  const local = serving.filter((g) => g.obj.meta.namespace === route.meta.namespace);
  return local.length ? local : serving;
}

export const rt010: Rule = {
  meta: {
    code: 'GWTLS-RT-010',
    severity: 'warning',
    title: 'Route has no parentRefs: it serves nothing',
    inputs: ['Gateway', 'HTTPRoute', 'GRPCRoute', 'TLSRoute', 'TCPRoute', 'UDPRoute'],
    description: 'A route attaches only to the parents its spec.parentRefs names. With none (the field left out, emptied, or removed by a server-side apply that no longer carried it), no Gateway serves the route and no controller writes a status for it, so nothing else says that it is idle.',
  },
  check(ctx) {
    const named = ctx.model.scope.gatewayName;
    // With a Gateway named, the routes beside it; otherwise every namespace in scope.
    const namespaces = named ? new Set(ctx.model.gateways.map((g) => g.obj.meta.namespace)) : null;
    const inScope = (ns: string) => (namespaces ? namespaces.has(ns) : ctx.model.scope.allNamespaces || ctx.model.scope.namespace === undefined || ctx.model.scope.namespace === ns);
    for (const kind of ROUTE_KINDS) {
      for (const route of ctx.snapshot.list(kind)) {
        if (route.parentRefs.length > 0 || !inScope(route.meta.namespace)) continue;
        const options = candidates(ctx.model.gateways, route);
        const fixes = [];
        if (options.length === 1) {
          const gw = options[0]!.obj;
          const ref: Record<string, unknown> = { name: gw.meta.name };
          if (gw.meta.namespace !== route.meta.namespace) ref.namespace = gw.meta.namespace;
          fixes.push(fix(`attach it to Gateway ${gw.meta.namespace}/${gw.meta.name}, the only one in scope that serves ${kind}`, [{ ...identity(route), spec: { parentRefs: [ref] } }]));
        }
        ctx.report({
          object: route,
          field: 'spec.parentRefs',
          message: `${kind} ${route.meta.namespace}/${route.meta.name} has no parentRefs, so no Gateway serves it and no controller reports on it${route.rules.length ? ` (its ${route.rules.length} rule${route.rules.length > 1 ? 's are' : ' is'} idle)` : ''}.`,
          evidence: ['spec.parentRefs: none', options.length ? `Gateways in scope that serve ${kind}: ${options.map((g) => `${g.obj.meta.namespace}/${g.obj.meta.name}`).join(', ')}` : `no Gateway in scope serves ${kind}`],
          fixes,
          ...(options.length === 1 ? { gateway: options[0]! } : {}),
        });
      }
    }
  },
};
