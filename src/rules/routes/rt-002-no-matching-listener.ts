import { GATEWAY_GROUP } from '../../cluster/kinds.ts';
import type { RouteObject } from '../../cluster/objects.ts';
import { fix, FORCE_NOTE, routeParentRefsPatch } from '../../fixes/builders.ts';
import { resolveParent, type ParentResolution } from '../../graph/attach.ts';
import type { ListenerSetModel, Model } from '../../graph/model.ts';
import type { Fix } from '../../report/types.ts';
import type { Rule } from '../types.ts';

/**
 * A Gateway parentRef whose sectionName names a listener of one of the Gateway's ListenerSets: a Gateway parentRef
 * reaches only the Gateway's own spec.listeners (GEP-1713 "Gateway Parents and sectionName"; conformance test
 * listenerset-gateway-parent-section-name-not-found), so the route must name the ListenerSet.
 */
function viaListenerSet(model: Model, route: RouteObject, parent: ParentResolution): { sets: ListenerSetModel[]; fix?: Fix } {
  const section = parent.ref.sectionName;
  if (!section || parent.listenerSet || !parent.gateway?.found) return { sets: [] };
  const gm = model.gateways.find((g) => g.obj === (parent.gateway as { obj: unknown }).obj);
  const sets = (gm?.listenerSets ?? []).filter((s) => s.admission.allowed === true && s.obj.listeners.some((l) => l.name === section));
  if (sets.length !== 1 || !gm) return { sets };
  const ls = sets[0]!.obj;
  const ref = { group: ls.kind === 'ListenerSet' ? GATEWAY_GROUP : 'gateway.networking.x-k8s.io', kind: ls.kind, namespace: ls.meta.namespace, name: ls.meta.name, sectionName: section };
  // Offer the repair only when the route then attaches (kind, namespace and hostnames fit that listener).
  const after = resolveParent(route, ref, parent.index, { snapshot: model.snapshot, implFor: () => gm.impl, featuresFor: () => gm.features });
  if (!after.accepted) return { sets };
  const raw: Record<string, unknown> = { group: ref.group, kind: ref.kind, name: ref.name, sectionName: section };
  if (ls.meta.namespace !== route.meta.namespace) raw.namespace = ls.meta.namespace;
  return { sets, fix: fix(`name ${ls.kind} ${ls.meta.namespace}/${ls.meta.name} in parentRefs[${parent.index}], whose listener ${section} it is`, [routeParentRefsPatch(route, parent.index, raw)], { note: FORCE_NOTE }) };
}

export const rt002: Rule = {
  meta: {
    code: 'GWTLS-RT-002',
    severity: 'error',
    title: 'parentRef sectionName or port matches no listener',
    inputs: ['Gateway', 'HTTPRoute', 'GRPCRoute', 'TLSRoute', 'TCPRoute', 'UDPRoute'],
    description: 'sectionName must be the name of a listener (not its protocol or port), and port must be a listener port; when both are set they must select the same listener. Otherwise the route is not accepted (NoMatchingParent). A Gateway parentRef reaches only the Gateway\'s own listeners: a listener of a ListenerSet is reached by naming the ListenerSet.',
  },
  check(ctx) {
    for (const route of ctx.model.routes) {
      for (const parent of route.parents) {
        if (parent.reason !== 'NoMatchingParent' || !parent.gateway?.found) continue;
        const gw = parent.gateway.obj;
        const named = ctx.model.gateways.find((m) => m.obj === gw);
        const ls = parent.listenerSet?.found ? parent.listenerSet.obj : undefined;
        const specs = ls ? ls.listeners : gw.listeners;
        // If exactly one listener would accept the route, point the parentRef at it.
        const fitting = parent.listeners.filter((l) => l.kindAllowed && l.namespaceAllowed !== false && (l.hostnames.length > 0 || !['HTTPRoute', 'GRPCRoute', 'TLSRoute'].includes(route.obj.kind)));
        const fixes = [];
        const elsewhere = viaListenerSet(ctx.model, route.obj, parent);
        if (elsewhere.fix) fixes.push(elsewhere.fix);
        else if (fitting.length === 1) {
          const target = fitting[0]!.listener;
          const raw = structuredClone((((route.obj.raw.spec ?? {}) as Record<string, unknown>).parentRefs as Array<Record<string, unknown>>)[parent.index] ?? {});
          raw.sectionName = target.name;
          delete raw.port;
          fixes.push(fix(`attach to listener ${target.name} (sectionName is the listener name)`, [routeParentRefsPatch(route.obj, parent.index, raw)], { note: FORCE_NOTE }));
        }
        const hint = elsewhere.sets.length
          ? ` Listener ${parent.ref.sectionName} is defined in ${elsewhere.sets.map((s) => `${s.obj.kind} ${s.obj.meta.namespace}/${s.obj.meta.name}`).join(' and ')}, attached to this Gateway: a Gateway parentRef reaches only the Gateway's own listeners, so the parentRef must name the ListenerSet (kind ${elsewhere.sets[0]!.obj.kind}).`
          : '';
        ctx.report({
          object: route.obj,
          field: `spec.parentRefs[${parent.index}]${parent.ref.sectionName ? '.sectionName' : '.port'}`,
          message: `${route.obj.kind} ${route.obj.meta.namespace}/${route.obj.meta.name}: ${parent.why}.${hint}`,
          evidence: [...specs.map((l) => `${ls ? `${ls.kind} ${ls.meta.namespace}/${ls.meta.name} ` : ''}listener ${l.name}: ${l.protocol} port ${l.port}${l.hostname ? ` hostname ${l.hostname}` : ''}`), ...elsewhere.sets.map((s) => `${s.obj.kind} ${s.obj.meta.namespace}/${s.obj.meta.name} listeners: ${s.obj.listeners.map((l) => l.name).join(', ')}`)],
          fixes,
          // The Gateway this parentRef names, not whichever other Gateway the route attaches to.
          ...(named ? { gateway: named } : {}),
        });
      }
    }
  },
};
