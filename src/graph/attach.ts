// Route -> listener attachment, as the spec defines it (gateway-tls-domain.md §1.6):
// parentRefs (group/kind/namespace defaults, sectionName = listener name, port), allowedRoutes kinds
// (explicit, or the protocol's defaults) and namespaces (Same, All, Selector on Namespace labels), and
// hostname intersection for routes that carry hostnames.
import { GATEWAY_GROUP, type RouteKind } from '../cluster/kinds.ts';
import type { GatewayObject, ListenerSetObject, ListenerSpec, ParentReference, RouteGroupKind, RouteObject } from '../cluster/objects.ts';
import type { Lookup, Snapshot } from '../cluster/snapshot.ts';
import { intersectHostnames } from './hostnames.ts';
import { admitListenerSet, listenerSetKindOf, parentGatewayOf } from './listener-sets.ts';
import { routeKindList, type Implementation } from './providers/index.ts';
import { describeSelector, selectorMatches } from './selectors.ts';

export interface ListenerKinds {
  allowed: RouteKind[];
  /** Kinds listed in allowedRoutes.kinds that this protocol/implementation cannot serve (InvalidRouteKinds). */
  invalid: RouteGroupKind[];
  /** Whether allowedRoutes.kinds was written, or the protocol's defaults apply. */
  explicit: boolean;
  unsupportedProtocol?: string;
}

export function listenerKinds(listener: ListenerSpec, impl: Implementation, features: readonly string[]): ListenerKinds {
  const rule = impl.routeKinds(listener.protocol, listener.tls?.mode, features);
  const out: ListenerKinds = { allowed: [], invalid: [], explicit: listener.allowedRoutes.kinds !== undefined };
  if (rule.unsupportedProtocol) out.unsupportedProtocol = rule.unsupportedProtocol;
  if (!listener.allowedRoutes.kinds) {
    out.allowed = rule.defaults;
    return out;
  }
  for (const k of listener.allowedRoutes.kinds) {
    if (k.group === GATEWAY_GROUP && (rule.valid as string[]).includes(k.kind)) out.allowed.push(k.kind as RouteKind);
    else out.invalid.push(k);
  }
  out.allowed = [...new Set(out.allowed)];
  return out;
}

/**
 * ListenerSetNotFound/-Unknown: the parentRef names a ListenerSet that does not exist (or could not be read);
 * ListenerSetNotAccepted: the ListenerSet exists but its Gateway does not admit it (allowedListeners) or does not
 * exist, so its listeners are no Gateway's and the route attaches nowhere (implementations write no status for it).
 */
export type AttachReason = 'Accepted' | 'NotAllowedByListeners' | 'NoMatchingListenerHostname' | 'NoMatchingParent' | 'GatewayNotFound' | 'GatewayUnknown' | 'UnsupportedParent' | 'ListenerSetNotFound' | 'ListenerSetUnknown' | 'ListenerSetNotAccepted';

export interface ListenerAttach {
  listener: ListenerSpec;
  /** Chosen by sectionName/port (or by their absence). */
  selected: boolean;
  kindAllowed: boolean;
  /** null when the namespace's labels are not known. */
  namespaceAllowed: boolean | null;
  hostnames: string[];
  accepted: boolean;
  reason: AttachReason;
  why: string;
}

export interface ParentResolution {
  index: number;
  ref: ParentReference;
  /** The Gateway the parentRef names, or for a ListenerSet parent, the Gateway the ListenerSet names. */
  gateway: Lookup<GatewayObject> | null;
  /** A parentRef of kind ListenerSet (or XListenerSet): the set it names. */
  listenerSet?: Lookup<ListenerSetObject>;
  listeners: ListenerAttach[];
  accepted: boolean;
  reason: AttachReason;
  why: string;
}

export interface AttachContext {
  snapshot: Snapshot;
  implFor(gateway: GatewayObject): Implementation;
  featuresFor(gateway: GatewayObject): readonly string[];
}

export function resolveParent(route: RouteObject, ref: ParentReference, index: number, ctx: AttachContext): ParentResolution {
  const base = { index, ref, listeners: [] as ListenerAttach[] };
  if (listenerSetKindOf(ref)) return resolveListenerSetParent(route, ref, index, ctx);
  if (ref.group !== GATEWAY_GROUP || ref.kind !== 'Gateway') {
    return { ...base, gateway: null, accepted: false, reason: 'UnsupportedParent', why: `parentRef to ${ref.kind}.${ref.group || 'core'} ${ref.name} is not a Gateway; only Gateway parents are analysed` };
  }
  const gateway = ctx.snapshot.lookup('Gateway', ref.namespace, ref.name);
  if (!gateway.found) {
    const others = ctx.snapshot.list('Gateway').filter((g) => g.meta.name === ref.name);
    const hint = others.length ? ` (a Gateway named ${ref.name} exists in ${others.map((g) => g.meta.namespace).join(', ')}; set parentRefs[${index}].namespace)` : '';
    return {
      ...base,
      gateway,
      accepted: false,
      reason: gateway.known ? 'GatewayNotFound' : 'GatewayUnknown',
      why: gateway.known ? `Gateway ${ref.namespace}/${ref.name} does not exist${hint}` : gateway.why,
    };
  }
  const gw = gateway.obj;
  const listeners = gw.listeners.map((l) => attachToListener(route, ref, l, gw, ctx.implFor(gw), ctx.featuresFor(gw), ctx.snapshot));
  return judgeListeners({ ...base, gateway }, listeners, `Gateway ${gw.meta.namespace}/${gw.meta.name}`, gw.listeners);
}

/** A parentRef of kind ListenerSet: the set's own listeners, admitted by the set's allowedRoutes in the set's namespace (GEP-1713 "Route Attachment"). */
function resolveListenerSetParent(route: RouteObject, ref: ParentReference, index: number, ctx: AttachContext): ParentResolution {
  const kind = listenerSetKindOf(ref)!;
  const base = { index, ref, listeners: [] as ListenerAttach[] };
  const listenerSet = ctx.snapshot.lookup(kind, ref.namespace, ref.name);
  if (!listenerSet.found) {
    return { ...base, gateway: null, listenerSet, accepted: false, reason: listenerSet.known ? 'ListenerSetNotFound' : 'ListenerSetUnknown', why: listenerSet.known ? `${kind} ${ref.namespace}/${ref.name} does not exist` : listenerSet.why };
  }
  const ls = listenerSet.obj;
  const label = `${kind} ${ls.meta.namespace}/${ls.meta.name}`;
  const parent = parentGatewayOf(ls, ctx.snapshot);
  if (!parent.found) {
    const gateway = 'notGateway' in parent ? null : parent;
    return { ...base, gateway, listenerSet, accepted: false, reason: 'ListenerSetNotAccepted', why: `${label} is attached to no Gateway: ${parent.why}` };
  }
  const gw = parent.obj;
  const gateway = parent;
  const listeners = ls.listeners.map((l) => attachToListener(route, ref, l, gw, ctx.implFor(gw), ctx.featuresFor(gw), ctx.snapshot, ls.meta.namespace));
  const admission = admitListenerSet(gw, ls.meta.namespace, ctx.snapshot);
  if (admission.allowed !== true) {
    const why = `${label} is not part of Gateway ${gw.meta.namespace}/${gw.meta.name}: ${admission.why}`;
    const refused = listeners.map((l) => ({ ...l, accepted: false, reason: 'ListenerSetNotAccepted' as const, why }));
    return { ...base, gateway, listenerSet, listeners: refused, accepted: false, reason: 'ListenerSetNotAccepted', why };
  }
  return judgeListeners({ ...base, gateway, listenerSet }, listeners, label, ls.listeners);
}

/** The parentRef's verdict from what each listener of its parent made of the route. */
function judgeListeners(base: Omit<ParentResolution, 'listeners' | 'accepted' | 'reason' | 'why'>, listeners: ListenerAttach[], parentLabel: string, specs: readonly ListenerSpec[]): ParentResolution {
  const ref = base.ref;
  const selected = listeners.filter((l) => l.selected);
  const accepted = selected.filter((l) => l.accepted);
  if (accepted.length > 0) {
    return { ...base, listeners, accepted: true, reason: 'Accepted', why: `attached to ${accepted.map((l) => `listener ${l.listener.name}`).join(', ')}` };
  }
  if (selected.length === 0) {
    const names = specs.map((l) => `${l.name} (${l.protocol}/${l.port})`).join(', ') || 'none';
    const wanted = [ref.sectionName ? `sectionName ${ref.sectionName}` : '', ref.port !== undefined ? `port ${ref.port}` : ''].filter(Boolean).join(' and ');
    return { ...base, listeners, accepted: false, reason: 'NoMatchingParent', why: `no listener of ${parentLabel} matches ${wanted || 'this parentRef'}; its listeners are ${names}` };
  }
  const kindOk = selected.filter((l) => l.kindAllowed);
  if (kindOk.length === 0) return { ...base, listeners, accepted: false, reason: 'NotAllowedByListeners', why: selected.map((l) => l.why).join('; ') };
  const nsOk = kindOk.filter((l) => l.namespaceAllowed !== false);
  if (nsOk.length === 0) return { ...base, listeners, accepted: false, reason: 'NotAllowedByListeners', why: kindOk.map((l) => l.why).join('; ') };
  const unknownNs = nsOk.filter((l) => l.namespaceAllowed === null);
  if (unknownNs.length === nsOk.length && nsOk.every((l) => l.hostnames.length > 0)) {
    return { ...base, listeners, accepted: false, reason: 'NotAllowedByListeners', why: unknownNs.map((l) => l.why).join('; ') };
  }
  return { ...base, listeners, accepted: false, reason: 'NoMatchingListenerHostname', why: nsOk.map((l) => l.why).join('; ') };
}

/** `ownerNamespace`: where the listener is defined (a ListenerSet's listeners admit routes relative to the set's namespace). */
function attachToListener(route: RouteObject, ref: ParentReference, l: ListenerSpec, gw: GatewayObject, impl: Implementation, features: readonly string[], snapshot: Snapshot, ownerNamespace = gw.meta.namespace): ListenerAttach {
  const selected = (ref.sectionName === undefined || ref.sectionName === l.name) && (ref.port === undefined || ref.port === l.port);
  const kinds = listenerKinds(l, impl, features);
  const kindAllowed = kinds.allowed.includes(route.kind);
  const ns = namespaceAllowed(l, ownerNamespace, route.meta.namespace, snapshot);
  const hasHostnames = route.kind === 'HTTPRoute' || route.kind === 'GRPCRoute' || route.kind === 'TLSRoute';
  const hostnames = hasHostnames ? servedHostnames(l, gw, route, impl) : l.hostname ? [l.hostname] : [];
  const hostnamesOk = !hasHostnames || hostnames.length > 0;
  const who = `listener ${l.name} (${l.protocol}${l.tls?.mode && l.protocol === 'TLS' ? `/${l.tls.mode}` : ''}, port ${l.port})`;
  let why: string;
  let reason: AttachReason;
  if (!selected) {
    reason = 'NoMatchingParent';
    why = `${who} not selected by sectionName/port`;
  } else if (!kindAllowed) {
    reason = 'NotAllowedByListeners';
    why = kinds.unsupportedProtocol
      ? `${who} is not usable: ${kinds.unsupportedProtocol}`
      : kinds.explicit
        ? `${who} allows ${routeKindList(kinds.allowed)} (allowedRoutes.kinds${kinds.invalid.length ? `; ${kinds.invalid.map((k) => k.kind).join(', ')} cannot be served on ${l.protocol}` : ''}), not ${route.kind}`
        : `${who} accepts ${routeKindList(kinds.allowed)} on ${impl.name}, not ${route.kind}`;
  } else if (ns.allowed === false) {
    reason = 'NotAllowedByListeners';
    why = `${who} does not admit routes from namespace ${route.meta.namespace}: ${ns.why}`;
  } else if (!hostnamesOk) {
    reason = 'NoMatchingListenerHostname';
    const claimed = intersectHostnames(l.hostname, route.hostnames);
    why =
      claimed.length > 0
        ? `${who} would serve ${claimed.join(', ')}, but ${impl.name} leaves ${claimed.length > 1 ? 'these names' : 'this name'} to the listener on port ${l.port} whose hostname ${claimed.length > 1 ? 'they are' : 'it is'} (${otherListenerNames(l, gw, claimed)})`
        : `${who} hostname ${l.hostname} does not intersect the route's hostnames ${route.hostnames.join(', ')}`;
  } else if (ns.allowed === null) {
    reason = 'NotAllowedByListeners';
    why = `${who}: cannot tell whether namespace ${route.meta.namespace} is admitted: ${ns.why}`;
  } else {
    reason = 'Accepted';
    why = `${who} accepts it`;
  }
  return { listener: l, selected, kindAllowed, namespaceAllowed: ns.allowed, hostnames: hostnamesOk ? hostnames : [], accepted: reason === 'Accepted', reason, why };
}

/** The route hostnames a listener serves: the intersection, less names another same-port listener is exactly for. */
function servedHostnames(l: ListenerSpec, gw: GatewayObject, route: RouteObject, impl: Implementation): string[] {
  const names = intersectHostnames(l.hostname, route.hostnames);
  if (!impl.listenerHostnamesExclusive || route.hostnames.length === 0) return names;
  const taken = new Set(gw.listeners.filter((o) => o !== l && o.port === l.port && o.hostname).map((o) => o.hostname!));
  return names.filter((n) => !taken.has(n));
}

function otherListenerNames(l: ListenerSpec, gw: GatewayObject, names: string[]): string {
  return gw.listeners
    .filter((o) => o !== l && o.port === l.port && o.hostname && names.includes(o.hostname))
    .map((o) => `listener ${o.name}`)
    .join(', ');
}

export function namespaceAllowed(l: ListenerSpec, gatewayNs: string, routeNs: string, snapshot: Snapshot): { allowed: boolean | null; why: string } {
  const from = l.allowedRoutes.from;
  if (from === 'All') return { allowed: true, why: 'allowedRoutes.namespaces.from is All' };
  if (from === 'Same') return { allowed: gatewayNs === routeNs, why: `it admits only routes in its own namespace ${gatewayNs} (allowedRoutes.namespaces.from: Same, the default)` };
  if (from === 'Selector') {
    const selector = l.allowedRoutes.selector;
    if (!selector) return { allowed: false, why: 'from is Selector but no selector is set' };
    const ns = snapshot.get('Namespace', '', routeNs);
    const labels = ns?.meta.labels ?? { 'kubernetes.io/metadata.name': routeNs };
    const matches = selectorMatches(selector, labels);
    if (matches) return { allowed: true, why: `namespace ${routeNs} matches selector ${describeSelector(selector)}` };
    if (!ns) {
      const cov = snapshot.coverage('Namespace', '');
      if (!cov.complete) return { allowed: null, why: `selector ${describeSelector(selector)} needs the labels of namespace ${routeNs}, and ${cov.why}` };
    }
    return { allowed: false, why: `namespace ${routeNs} does not match selector ${describeSelector(selector)}` };
  }
  return { allowed: false, why: `allowedRoutes.namespaces.from ${from} admits no routes` };
}
