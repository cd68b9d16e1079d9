import { fix, FORCE_NOTE, routeParentRefsPatch } from '../../fixes/builders.ts';
import type { Rule } from '../types.ts';

export const rt002: Rule = {
  meta: {
    code: 'GWTLS-RT-002',
    severity: 'error',
    title: 'parentRef sectionName or port matches no listener',
    inputs: ['Gateway', 'HTTPRoute', 'GRPCRoute', 'TLSRoute', 'TCPRoute', 'UDPRoute'],
    description: 'sectionName must be the name of a listener (not its protocol or port), and port must be a listener port; when both are set they must select the same listener. Otherwise the route is not accepted (NoMatchingParent).',
  },
  check(ctx) {
    for (const route of ctx.model.routes) {
      for (const parent of route.parents) {
        if (parent.reason !== 'NoMatchingParent' || !parent.gateway?.found) continue;
        const gw = parent.gateway.obj;
        // If exactly one listener would accept the route, point the parentRef at it.
        const fitting = parent.listeners.filter((l) => l.kindAllowed && l.namespaceAllowed !== false && (l.hostnames.length > 0 || !['HTTPRoute', 'GRPCRoute', 'TLSRoute'].includes(route.obj.kind)));
        const fixes = [];
        if (fitting.length === 1) {
          const target = fitting[0]!.listener;
          const raw = structuredClone((((route.obj.raw.spec ?? {}) as Record<string, unknown>).parentRefs as Array<Record<string, unknown>>)[parent.index] ?? {});
          raw.sectionName = target.name;
          delete raw.port;
          fixes.push(fix(`attach to listener ${target.name} (sectionName is the listener name)`, [routeParentRefsPatch(route.obj, parent.index, raw)], { note: FORCE_NOTE }));
        }
        ctx.report({
          object: route.obj,
          field: `spec.parentRefs[${parent.index}]${parent.ref.sectionName ? '.sectionName' : '.port'}`,
          message: `${route.obj.kind} ${route.obj.meta.namespace}/${route.obj.meta.name}: ${parent.why}.`,
          evidence: gw.listeners.map((l) => `listener ${l.name}: ${l.protocol} port ${l.port}${l.hostname ? ` hostname ${l.hostname}` : ''}`),
          fixes,
        });
      }
    }
  },
};
