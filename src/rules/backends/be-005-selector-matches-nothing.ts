import type { PodObject } from '../../cluster/objects.ts';
import type { Rule } from '../types.ts';
import { backendUses, routeLabel } from './uses.ts';

function labels(p: PodObject): string {
  const l = Object.entries(p.meta.labels).filter(([k]) => k !== 'pod-template-hash');
  return l.length ? l.map(([k, v]) => `${k}=${v}`).join(',') : 'no labels';
}

export const be005: Rule = {
  meta: {
    code: 'GWTLS-BE-005',
    severity: 'error',
    title: 'Service selector matches no pods',
    inputs: ['Service', 'Pod', 'EndpointSlice'],
    description:
      'The backend Service selects pods by labels, and no pod in its namespace carries them (or the Service has neither a selector nor manually managed EndpointSlices). The Service has no endpoints, so the gateway has nowhere to send the traffic.',
  },
  check(ctx) {
    const seen = new Set<string>();
    const uses = [...backendUses(ctx.model)];
    for (const use of uses) {
      const b = use.backend;
      const svc = b.service?.found ? b.service.obj : undefined;
      if (!svc) continue;
      const ns = svc.meta.namespace;
      const noSelector = b.problems.some((p) => p.problem === 'no-selector') && ctx.snapshot.coverage('EndpointSlice', ns).complete;
      const nothing = b.problems.some((p) => p.problem === 'selector-matches-nothing');
      if (!noSelector && !nothing) continue;
      const podsInNs = ctx.snapshot.list('Pod', ns);
      // From files, pods of other workloads do not say that this Service's pods are missing: they may come from a Deployment.
      if (nothing && ctx.snapshot.source.type === 'files' && podsInNs.length === 0) continue;
      if (seen.has(`${ns}/${svc.meta.name}`)) continue;
      seen.add(`${ns}/${svc.meta.name}`);
      const routes = [...new Set(uses.filter((u) => u.backend.service?.found && u.backend.service.obj === svc).map((u) => routeLabel(u.route.obj)))];
      const selector = Object.entries(svc.selector ?? {}).map(([k, v]) => `${k}=${v}`).join(',');
      const inInput = ctx.snapshot.source.type === 'files' ? ' in the input' : '';
      ctx.report({
        object: svc,
        field: 'spec.selector',
        message: noSelector
          ? `Service ${ns}/${svc.meta.name} has no selector and no EndpointSlices${inInput}: it has no endpoints, so ${routes.join(', ')} ${routes.length > 1 ? 'have' : 'has'} nowhere to send traffic.`
          : `Service ${ns}/${svc.meta.name} selects pods with ${selector}, and no Pod in namespace ${ns}${inInput} carries these labels: the Service has no endpoints, so ${routes.join(', ')} ${routes.length > 1 ? 'have' : 'has'} nowhere to send traffic. Make the selector equal to the pod template labels of the workload.`,
        evidence: [
          noSelector ? 'spec.selector: none' : `spec.selector: ${selector}`,
          ...(podsInNs.length ? podsInNs.slice(0, 5).map((p) => `Pod ${ns}/${p.meta.name}: ${labels(p)}`) : [`no Pod in namespace ${ns}${inInput}`]),
        ],
        ...use.at,
      });
    }
  },
};
