import type { Rule } from '../types.ts';
import { backendUses, routeLabel, type BackendUse } from './uses.ts';

export const be004: Rule = {
  meta: {
    code: 'GWTLS-BE-004',
    severity: 'error',
    title: 'Backend Service has no ready endpoints',
    inputs: ['Service', 'EndpointSlice', 'Pod'],
    description:
      'The Service a route sends traffic to has no ready endpoint on the referenced port: its pods are not Ready (failing readiness probe, crash loop, image pull) or none exist. The gateway has nowhere to send the traffic (HTTP 503, connections reset). Envoy Gateway keeps ResolvedRefs=True and sets BackendsAvailable=False (EndpointsNotFound).',
  },
  check(ctx) {
    const byService = new Map<string, BackendUse[]>();
    for (const use of backendUses(ctx.model)) {
      const b = use.backend;
      if (!b.service?.found || !b.problems.some((p) => p.problem === 'no-ready-endpoints')) continue;
      // A named targetPort the pods lack explains the missing endpoints (GWTLS-BE-006).
      if (b.problems.some((p) => p.problem === 'named-target-port')) continue;
      // Pods from manifests usually carry no status: their readiness is unknown, not false.
      if (b.endpointsFrom === 'pods' && b.pods.some((p) => p.ready === null)) continue;
      const id = `${b.ref.namespace}/${b.ref.name}:${b.ref.port ?? ''}`;
      byService.set(id, [...(byService.get(id) ?? []), use]);
    }
    for (const uses of byService.values()) {
      const first = uses[0]!;
      const b = first.backend;
      const svc = b.service?.found ? b.service.obj : undefined;
      if (!svc || !b.endpoints) continue;
      const port = b.servicePort;
      const routes = [...new Set(uses.map((u) => routeLabel(u.route.obj)))];
      const pods = b.pods.slice(0, 5).map((p) => `Pod ${p.namespace}/${p.name}: ${p.ready ? 'ready' : 'not ready'}${p.phase ? ` (${p.phase})` : ''}${p.node ? ` on ${p.node}` : ''}`);
      const what = b.endpoints.total === 0 ? 'has no endpoints' : `has no ready endpoint (0 of ${b.endpoints.total} ready)`;
      ctx.report({
        object: svc,
        field: port ? `spec.ports[${svc.ports.indexOf(port)}]` : 'spec.selector',
        message: `Service ${svc.meta.namespace}/${svc.meta.name} ${what}${port ? ` for port ${port.name ?? port.port}` : ''}: ${routes.join(', ')} ${routes.length > 1 ? 'have' : 'has'} nowhere to send traffic (HTTP 503, connections reset) until its pods become Ready.`,
        evidence: [
          `endpoints: ${b.endpoints.ready} ready of ${b.endpoints.total} (from ${b.endpointsFrom === 'pods' ? 'the Pods the selector matches' : 'EndpointSlices'})`,
          ...pods,
          `used by ${routes.join(', ')}`,
        ],
        ...first.at,
      });
    }
  },
};
