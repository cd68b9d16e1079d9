import type { Rule } from '../types.ts';

export const rt009: Rule = {
  meta: {
    code: 'GWTLS-RT-009',
    severity: 'warning',
    title: 'Route status does not match the Gateway\'s controller',
    inputs: ['Gateway', 'GatewayClass', 'HTTPRoute', 'GRPCRoute', 'TLSRoute', 'TCPRoute', 'UDPRoute'],
    description: 'A route\'s status.parents should carry one entry per parentRef, written by the controller of the Gateway\'s class. A missing entry means the controller has not processed the route (not running, not watching the kind or version); an entry from another controller or a rejection the objects do not explain means the controller sees something this analysis does not. Traefik also rejects a fitting route (NoMatchingParent) while the listener it fits is refused for its certificate references; that is reported as info, pointing at the listener.',
  },
  check(ctx) {
    if (ctx.snapshot.source.type === 'files') return; // Manifests carry no status worth judging.
    for (const route of ctx.model.routes) {
      for (const parent of route.parents) {
        // A ListenerSet its Gateway does not admit belongs to no Gateway: no controller writes status for it (GWTLS-LS-006).
        if (!parent.gateway?.found || parent.reason === 'ListenerSetNotAccepted') continue;
        const gm = ctx.model.gateways.find((g) => g.obj === (parent.gateway as { obj: unknown }).obj);
        const controller = gm?.gatewayClass.found ? gm.gatewayClass.obj.controllerName : undefined;
        if (!gm || !controller) continue;
        const entries = route.obj.parents.filter((p) => p.parentRef.name === parent.ref.name && p.parentRef.namespace === parent.ref.namespace && p.parentRef.kind === parent.ref.kind && (p.parentRef.sectionName ?? '') === (parent.ref.sectionName ?? ''));
        const mine = entries.find((e) => e.controllerName === controller);
        if (!mine) {
          ctx.report({
            object: route.obj,
            field: 'status.parents',
            message: `${route.obj.kind} ${route.obj.meta.namespace}/${route.obj.meta.name} has no status from ${controller} for ${parent.ref.kind} ${parent.ref.namespace}/${parent.ref.name}${entries.length ? ` (only from ${entries.map((e) => e.controllerName).join(', ')})` : ''}: the controller has not processed it. Check that it runs and serves this route kind at version ${route.obj.apiVersion}.`,
            evidence: entries.length ? entries.map((e) => `status.parents entry by ${e.controllerName}`) : ['status.parents has no entry for this parentRef'],
            gateway: gm,
          });
          continue;
        }
        const accepted = mine.conditions.find((c) => c.type === 'Accepted');
        // Traefik attaches a route only to listeners it programmed: one refused for its certificateRefs leaves the
        // route NoMatchingParent although the route itself is fine (its own findings say what to repair).
        const refused = gm.impl.attachesOnlyToProgrammedListeners
          ? parent.listeners.filter((l) => l.accepted).map((l) => ({ l, bad: gm.obj.listenerStatus.find((s) => s.name === l.listener.name)?.conditions.filter((c) => ['Accepted', 'ResolvedRefs', 'Programmed'].includes(c.type) && c.status === 'False') ?? [] }))
          : [];
        if (parent.accepted && accepted?.status === 'False' && refused.length > 0 && refused.every((r) => r.bad.length > 0)) {
          ctx.report({
            object: route.obj,
            field: 'status.parents',
            severity: 'info',
            message: `${gm.impl.name} leaves ${route.obj.kind} ${route.obj.meta.namespace}/${route.obj.meta.name} unattached to ${parent.ref.kind} ${parent.ref.namespace}/${parent.ref.name} (${accepted.reason || 'no reason'}) because it attaches routes only to listeners it has programmed, and ${refused.map((r) => `listener ${r.l.listener.name} has ${r.bad.map((c) => `${c.type}=False (${c.reason || 'no reason'})`).join(', ')}`).join('; ')}: repair the listener and the route attaches.`,
            evidence: [`status: Accepted=False, reason ${accepted.reason ?? ''}`, ...refused.map((r) => `listener ${r.l.listener.name}: ${r.bad.map((c) => `${c.type}=False ${c.reason ?? ''}${c.message ? ` (${c.message})` : ''}`).join('; ')}`)],
            gateway: gm,
          });
          continue;
        }
        if (parent.accepted && accepted?.status === 'False') {
          ctx.report({
            object: route.obj,
            field: 'status.parents',
            message: `${controller} rejects ${route.obj.kind} ${route.obj.meta.namespace}/${route.obj.meta.name} for ${parent.ref.kind} ${parent.ref.namespace}/${parent.ref.name} (${accepted.reason ?? 'no reason'}: ${accepted.message ?? 'no message'}), although its parentRef, kind, namespace and hostnames fit the listeners: believe the controller, and look for what it checks beyond the spec.`,
            evidence: [`status: Accepted=False, reason ${accepted.reason ?? ''}`],
            gateway: gm,
          });
        }
      }
    }
  },
};
