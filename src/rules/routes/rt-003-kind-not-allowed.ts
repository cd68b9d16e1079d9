import { GATEWAY_GROUP, type RouteKind } from '../../cluster/kinds.ts';
import type { ListenerSpec } from '../../cluster/objects.ts';
import { fix, FORCE_NOTE, listenerPatch, rawListener } from '../../fixes/builders.ts';
import type { Attachment, ListenerModel } from '../../graph/model.ts';
import { listenerKinds } from '../../graph/attach.ts';
import { routeKindList } from '../../graph/providers/index.ts';
import type { Fix } from '../../report/types.ts';
import type { Rule } from '../types.ts';
import { listenerField, listenerLabel, listenerOwner } from '../util.ts';

/** The listener protocol (and TLS mode) that serves a route kind, starting from what the listener is now. */
function targetProtocol(kind: RouteKind, l: ListenerSpec): { protocol: string; mode?: 'Terminate' | 'Passthrough' } | null {
  switch (kind) {
    case 'TCPRoute':
      return l.protocol === 'HTTPS' || (l.protocol === 'TLS' && l.tls) ? { protocol: 'TLS', mode: 'Terminate' } : l.protocol === 'HTTP' ? { protocol: 'TCP' } : null;
    case 'TLSRoute':
      return l.protocol === 'HTTPS' ? { protocol: 'TLS', mode: 'Terminate' } : l.protocol === 'TCP' ? { protocol: 'TLS', mode: 'Passthrough' } : null;
    case 'HTTPRoute':
    case 'GRPCRoute':
      return l.protocol === 'TLS' && l.tls?.mode !== 'Passthrough' ? { protocol: 'HTTPS', mode: 'Terminate' } : l.protocol === 'TCP' ? { protocol: 'HTTP' } : null;
    case 'UDPRoute':
      return l.protocol === 'TCP' ? { protocol: 'UDP' } : null;
  }
}

/** Whether a route kind on a TLS/Terminate listener fails only because the implementation lacks TLSRouteModeTerminate (GWTLS-RT-004). */
export function isTlsRouteTerminateGap(kind: RouteKind, lm: ListenerModel): boolean {
  return kind === 'TLSRoute' && lm.spec.protocol === 'TLS' && lm.spec.tls?.mode !== 'Passthrough' && !lm.kinds.unsupportedProtocol;
}

function fixesFor(a: Attachment, lm: ListenerModel): Fix[] {
  const gw = lm.gateway;
  const kind = a.route.obj.kind;
  const spec = lm.spec;
  // The protocol's own kinds: an AWS NLB also lets allowedRoutes.kinds list the other L4 kinds, but what it then
  // builds may not work (GWTLS-LBC-016), so the fix never widens the list beyond the protocol's own kinds.
  const own = gw.impl.routeKinds(spec.protocol, spec.tls?.mode, gw.features).defaults;
  const raw = rawListener(listenerOwner(lm), spec);
  if (own.includes(kind) && spec.allowedRoutes.kinds) {
    const ar = (raw.allowedRoutes ?? {}) as Record<string, unknown>;
    raw.allowedRoutes = { ...ar, kinds: [...((ar.kinds as unknown[]) ?? []), { group: GATEWAY_GROUP, kind }] };
    return [fix(`allow ${kind} on listener ${spec.name}`, [listenerPatch(listenerOwner(lm), raw)], { note: FORCE_NOTE })];
  }
  const target = targetProtocol(kind, spec);
  if (!target) return [];
  // Changing the protocol must not strand the routes that attach there today.
  // Routes that would stay attached through another listener of the same parentRef are not stranded.
  const others = lm.attachments
    .filter((o) => o !== a && o.result.accepted && !o.parent.listeners.some((x) => x.accepted && x.listener !== spec))
    .map((o) => o.route.obj.kind);
  const afterValid = gw.impl.routeKinds(target.protocol, target.mode, gw.features).valid;
  if (others.some((k) => !afterValid.includes(k))) return [];
  if (!afterValid.includes(kind)) return [];
  raw.protocol = target.protocol;
  if (target.protocol === 'TCP' || target.protocol === 'UDP') {
    delete raw.tls;
    delete raw.hostname;
  } else if (target.protocol === 'HTTP') {
    delete raw.tls;
  } else {
    const tls = (raw.tls ?? {}) as Record<string, unknown>;
    raw.tls = target.mode === 'Passthrough' ? { mode: 'Passthrough' } : { ...tls, mode: target.mode };
  }
  if (spec.allowedRoutes.kinds) {
    const ar = (raw.allowedRoutes ?? {}) as Record<string, unknown>;
    raw.allowedRoutes = { ...ar, kinds: [{ group: GATEWAY_GROUP, kind }] };
  }
  const what = `${target.protocol}${target.mode && target.protocol === 'TLS' ? ` with tls.mode ${target.mode}` : ''}`;
  return [fix(`make listener ${spec.name} a ${what} listener, which accepts ${kind}`, [listenerPatch(listenerOwner(lm), raw)], { note: FORCE_NOTE })];
}

export const rt003: Rule = {
  meta: {
    code: 'GWTLS-RT-003',
    severity: 'error',
    title: 'Route kind not allowed by the listener protocol or allowedRoutes.kinds',
    inputs: ['Gateway', 'GatewayClass', 'HTTPRoute', 'GRPCRoute', 'TLSRoute', 'TCPRoute', 'UDPRoute'],
    description: 'Each listener protocol accepts certain route kinds (HTTPS: HTTPRoute and GRPCRoute; TLS/Passthrough: TLSRoute; TLS/Terminate: TCPRoute and, where supported, TLSRoute; TCP: TCPRoute; UDP: UDPRoute), narrowed by allowedRoutes.kinds. A route of another kind is not attached (NotAllowedByListeners) and gets no traffic.',
  },
  check(ctx) {
    for (const route of ctx.model.routes) {
      for (const parent of route.parents) {
        // A ListenerSet the Gateway does not admit is GWTLS-LS-001's: its listeners are no Gateway's.
        if (parent.accepted || !parent.gateway?.found || parent.reason === 'ListenerSetNotAccepted') continue;
        const selected = parent.listeners.filter((l) => l.selected);
        if (selected.length === 0 || selected.some((l) => l.kindAllowed)) continue;
        const gm = ctx.model.gateways.find((g) => g.obj === (parent.gateway as { obj: unknown }).obj);
        if (!gm) continue;
        const models = selected.map((s) => gm.listeners.find((l) => l.spec === s.listener)).filter((l): l is ListenerModel => l !== undefined);
        if (models.length === 0) continue;
        if (models.every((lm) => isTlsRouteTerminateGap(route.obj.kind, lm))) continue;
        // Prefer the listener that terminates TLS when the parentRef names none (TCPRoute behind HTTPS in the Calico guide).
        const ranked = [...models].sort((a, b) => Number(b.spec.protocol === 'HTTPS' || b.spec.protocol === 'TLS') - Number(a.spec.protocol === 'HTTPS' || a.spec.protocol === 'TLS'));
        const attachment = ranked.map((lm) => ({ lm, a: lm.attachments.find((x) => x.route === route && x.parent === parent) })).find((x) => x.a);
        const fixes = attachment ? fixesFor(attachment.a!, attachment.lm) : [];
        const explain = models.map((lm) => {
          const kinds = listenerKinds(lm.spec, gm.impl, gm.features);
          if (kinds.unsupportedProtocol) return `${listenerLabel(lm)}: ${kinds.unsupportedProtocol}`;
          return `${listenerLabel(lm)} accepts ${routeKindList(kinds.allowed)}${kinds.explicit ? ' (allowedRoutes.kinds)' : ` (${lm.spec.protocol} default on ${gm.impl.name})`}`;
        });
        const hint =
          route.obj.kind === 'TCPRoute' && models.some((lm) => lm.spec.protocol === 'HTTPS')
            ? ' To terminate TLS for TCP traffic, the listener protocol must be TLS (mode Terminate), not HTTPS; HTTPS listeners carry HTTP.'
            : '';
        ctx.report({
          object: route.obj,
          field: `spec.parentRefs[${parent.index}]`,
          message: `${route.obj.kind} ${route.obj.meta.namespace}/${route.obj.meta.name} cannot attach to ${parent.listenerSet?.found ? `${parent.listenerSet.obj.kind} ${parent.listenerSet.obj.meta.namespace}/${parent.listenerSet.obj.meta.name} of ` : ''}Gateway ${gm.obj.meta.namespace}/${gm.obj.meta.name}: ${explain.join('; ')}.${hint}`,
          evidence: [
            ...route.obj.parents.filter((p) => p.parentRef.name === parent.ref.name).flatMap((p) => p.conditions.filter((c) => c.type === 'Accepted').map((c) => `status: Accepted=${c.status} (${c.reason ?? ''}) ${c.message ?? ''}`.trim())),
            ...models.map((lm) => `${listenerField(lm)}: protocol ${lm.spec.protocol}${lm.spec.tls ? `, tls.mode ${lm.spec.tls.mode}` : ''}`),
          ],
          fixes,
          gateway: gm,
          ...(attachment ? { listener: attachment.lm } : {}),
        });
      }
    }
  },
};
