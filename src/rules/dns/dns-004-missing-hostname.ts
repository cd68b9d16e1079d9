import { fix, identity } from '../../fixes/builders.ts';
import type { RouteModel } from '../../graph/model.ts';
import type { Fix } from '../../report/types.ts';
import type { Rule } from '../types.ts';
import { ALPHA, GA, hostnameAnnotation } from './annotations.ts';

/** Hostnames of the listeners the route attaches to, when every one of them has one. */
function listenerHostnames(r: RouteModel): string[] {
  const listeners = r.parents.flatMap((p) => p.listeners.filter((l) => l.accepted).map((l) => l.listener));
  if (listeners.length === 0 || listeners.some((l) => !l.hostname || l.hostname.startsWith('*'))) return [];
  return [...new Set(listeners.map((l) => l.hostname!))];
}

export const dns004: Rule = {
  meta: {
    code: 'GWTLS-DNS-004',
    severity: 'info',
    title: 'TCPRoute or UDPRoute without an external-dns hostname annotation',
    inputs: ['Gateway', 'HTTPRoute', 'GRPCRoute', 'TLSRoute', 'TCPRoute', 'UDPRoute'],
    description:
      'TCPRoute and UDPRoute have no spec.hostnames, so external-dns publishes a record for them only from the hostname annotation on the route. When other routes here use external-dns annotations, one without it is probably an omission: it gets no DNS record.',
  },
  check(ctx) {
    const annotated = ctx.model.routes.filter((r) => hostnameAnnotation(r.obj) !== undefined);
    if (annotated.length === 0) return;
    for (const r of ctx.model.routes) {
      const route = r.obj;
      if ((route.kind !== 'TCPRoute' && route.kind !== 'UDPRoute') || hostnameAnnotation(route) !== undefined) continue;
      const hosts = listenerHostnames(r);
      const fixes: Fix[] = [];
      if (hosts.length) {
        const id = identity(route);
        // Both prefixes, as GWTLS-DNS-002 asks: which one external-dns reads depends on its release and flags.
        fixes.push(fix(`annotate it with hostname: ${hosts.join(',')} (the listener hostname) under both external-dns prefixes`, [{ ...id, metadata: { ...id.metadata, annotations: { [`${ALPHA}hostname`]: hosts.join(','), [`${GA}hostname`]: hosts.join(',') } } }]));
      }
      ctx.report({
        object: route,
        field: 'metadata.annotations',
        message: `${route.kind} ${route.meta.namespace}/${route.meta.name} has no external-dns hostname annotation, while ${annotated.map((a) => `${a.obj.kind} ${a.obj.meta.namespace}/${a.obj.meta.name}`).slice(0, 3).join(', ')} ${annotated.length > 1 ? 'use' : 'uses'} one: ${route.kind}s have no spec.hostnames, so external-dns publishes no record for it.`,
        evidence: annotated.slice(0, 3).map((a) => `${a.obj.kind} ${a.obj.meta.namespace}/${a.obj.meta.name}: hostname ${hostnameAnnotation(a.obj)}`),
        fixes,
      });
    }
  },
};
