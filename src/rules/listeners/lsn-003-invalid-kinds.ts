import { GATEWAY_GROUP, type RouteKind } from '../../cluster/kinds.ts';
import type { RouteGroupKind } from '../../cluster/objects.ts';
import { fix, FORCE_NOTE, listenerPatch, rawListener } from '../../fixes/builders.ts';
import type { ListenerModel } from '../../graph/model.ts';
import { routeKindList } from '../../graph/providers/index.ts';
import type { Fix } from '../../report/types.ts';
import { sentence } from './words.ts';
import type { Rule } from '../types.ts';
import { gatewayId, listenerField, listenerLabel, listeners, listenerOwner } from '../util.ts';
import { conditionEvidence, isEnvoyGateway, listenerCondition } from './status.ts';

const kindName = (k: RouteGroupKind) => (k.group === GATEWAY_GROUP ? k.kind : `${k.kind}.${k.group || 'core'}`);

/** Protocols (and TLS modes) to try when the listed kinds are the point, from what the listener is now. */
function candidates(lm: ListenerModel): Array<{ protocol: string; mode?: 'Terminate' | 'Passthrough' }> {
  switch (lm.spec.protocol) {
    case 'HTTPS':
      return [{ protocol: 'TLS', mode: 'Terminate' }];
    case 'TLS':
      return lm.spec.tls?.mode === 'Passthrough' ? [{ protocol: 'TLS', mode: 'Terminate' }] : [{ protocol: 'HTTPS', mode: 'Terminate' }, { protocol: 'TLS', mode: 'Passthrough' }];
    case 'HTTP':
      return [{ protocol: 'TCP' }];
    case 'TCP':
      return [{ protocol: 'UDP' }, { protocol: 'HTTP' }, { protocol: 'TLS', mode: 'Passthrough' }];
    case 'UDP':
      return [{ protocol: 'TCP' }];
    default:
      return [];
  }
}

function fixes(lm: ListenerModel): Fix[] {
  const { spec, gateway } = lm;
  const listed = spec.allowedRoutes.kinds ?? [];
  const raw = rawListener(listenerOwner(lm), spec);
  const ar = (raw.allowedRoutes ?? {}) as Record<string, unknown>;
  if (lm.kinds.allowed.length > 0) {
    // Keep what the listener can serve; the rest never attaches (routes of that kind are GWTLS-RT-003's).
    const kept = listed.filter((k) => k.group === GATEWAY_GROUP && (lm.kinds.allowed as string[]).includes(k.kind)).map((k) => ({ group: k.group, kind: k.kind }));
    raw.allowedRoutes = { ...ar, kinds: kept };
    return [fix(`drop ${lm.kinds.invalid.map(kindName).join(', ')} from allowedRoutes.kinds of listener ${spec.name}`, [listenerPatch(listenerOwner(lm), raw)], { note: FORCE_NOTE })];
  }
  // Nothing listed can attach: the kind list says what the listener is for, so change the protocol to one that serves it.
  const wanted = listed.filter((k) => k.group === GATEWAY_GROUP).map((k) => k.kind as RouteKind);
  if (wanted.length !== listed.length || wanted.length === 0) return [];
  const target = candidates(lm).find((c) => {
    const valid = gateway.impl.routeKinds(c.protocol, c.mode, gateway.features);
    // The protocol's own kinds: an AWS NLB accepts other listed L4 kinds too, but they then fail (GWTLS-LBC-016).
    return !valid.unsupportedProtocol && wanted.every((k) => valid.defaults.includes(k));
  });
  if (!target) return [];
  raw.protocol = target.protocol;
  if (target.protocol === 'TCP' || target.protocol === 'UDP') {
    delete raw.tls;
    delete raw.hostname;
  } else if (target.protocol === 'HTTP') {
    delete raw.tls;
  } else if (target.mode === 'Passthrough') {
    raw.tls = { mode: 'Passthrough' };
  } else {
    const tls = (raw.tls ?? {}) as Record<string, unknown>;
    if (!(Array.isArray(tls.certificateRefs) && tls.certificateRefs.length > 0) && !tls.options) return []; // would need a certificate we do not know
    raw.tls = { ...tls, mode: 'Terminate' };
  }
  const what = `${target.protocol}${target.protocol === 'TLS' ? ` with tls.mode ${target.mode}` : ''}`;
  return [fix(`make listener ${spec.name} a ${what} listener, which serves ${routeKindList(wanted)}`, [listenerPatch(listenerOwner(lm), raw)], { note: FORCE_NOTE })];
}

export const lsn003: Rule = {
  meta: {
    code: 'GWTLS-LSN-003',
    severity: 'error',
    title: 'allowedRoutes.kinds names a kind the listener protocol cannot serve',
    inputs: ['Gateway', 'GatewayClass'],
    description:
      'allowedRoutes.kinds may only narrow the kinds the listener protocol serves (HTTPS: HTTPRoute, GRPCRoute; TLS/Terminate: TCPRoute and, where supported, TLSRoute; TLS/Passthrough: TLSRoute; TCP: TCPRoute). Any other kind makes the listener ResolvedRefs=False (InvalidRouteKinds); Envoy Gateway then does not program the listener at all.',
  },
  check(ctx) {
    for (const lm of listeners(ctx.model)) {
      if (lm.kinds.unsupportedProtocol) continue; // GWTLS-LSN-001: the listener itself is refused.
      const resolved = listenerCondition(lm, 'ResolvedRefs');
      const statusSays = resolved?.status === 'False' && resolved.reason === 'InvalidRouteKinds';
      if (lm.kinds.invalid.length === 0 && !statusSays) continue;
      const gm = lm.gateway;
      const eg = isEnvoyGateway(gm.impl);
      const none = lm.kinds.allowed.length === 0;
      // Routes of an invalid kind that target this listener: GWTLS-RT-003 reports them with the protocol change they
      // need, and dropping their kind here would contradict it.
      const invalidKinds = new Set(lm.kinds.invalid.filter((k) => k.group === GATEWAY_GROUP).map((k) => k.kind));
      const wanting = [...new Set(lm.attachments.filter((a) => invalidKinds.has(a.route.obj.kind)).map((a) => `${a.route.obj.kind} ${a.route.obj.meta.namespace}/${a.route.obj.meta.name}`))];
      const invalid = lm.kinds.invalid.map(kindName);
      const cannot = invalid.length
        ? `${invalid.join(' and ')} cannot attach to ${/^HTTPS?$/.test(lm.spec.protocol) ? 'an' : 'a'} ${lm.spec.protocol}${lm.spec.protocol === 'TLS' ? `/${lm.spec.tls?.mode ?? 'Terminate'}` : ''} listener on ${gm.impl.name}, which serves ${routeKindList(gm.impl.routeKinds(lm.spec.protocol, lm.spec.tls?.mode, gm.features).valid)}`
        : `the controller reports an invalid route kind (${resolved?.message ?? 'no message'})`;
      const effect = none
        ? 'no route of any kind can attach, so the listener serves nothing'
        : eg
          ? `${gm.impl.name} marks the listener ResolvedRefs=False and does not program it, so ${routeKindList(lm.kinds.allowed)} traffic fails too`
          : `the listener is ResolvedRefs=False; ${routeKindList(lm.kinds.allowed)} may still attach, depending on the implementation`;
      ctx.report({
        object: listenerOwner(lm),
        field: listenerField(lm, 'allowedRoutes.kinds'),
        severity: none || eg ? 'error' : 'warning',
        message: sentence(`${listenerLabel(lm)} of Gateway ${gatewayId(gm)} lists route kinds it can never serve: ${cannot}; ${effect}, whether or not such a route exists.${wanting.length ? ` ${wanting.join(', ')} ${wanting.length > 1 ? 'target' : 'targets'} it: GWTLS-RT-003 gives the protocol change ${wanting.length > 1 ? 'they need' : 'it needs'}.` : ''}`),
        evidence: [`${listenerField(lm, 'allowedRoutes.kinds')}: ${(lm.spec.allowedRoutes.kinds ?? []).map(kindName).join(', ')}`, ...(resolved?.status === 'False' ? [conditionEvidence(lm, resolved)] : [])],
        fixes: lm.kinds.invalid.length && !wanting.length ? fixes(lm) : [],
        listener: lm,
      });
    }
  },
};
