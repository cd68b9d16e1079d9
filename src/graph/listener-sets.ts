// ListenerSets (GEP-1713): listeners attached to a Gateway from another object, as Gateway API v1.6.1 defines
// them (apis/v1/listenerset_types.go, gateway_types.go AllowedListeners; geps/gep-1713/index.md):
// - a ListenerSet (gateway.networking.k8s.io/v1, Standard since v1.5) or XListenerSet
//   (gateway.networking.x-k8s.io/v1alpha1, Experimental in v1.3/v1.4) names one Gateway in spec.parentRef;
// - the Gateway admits it only when spec.allowedListeners.namespaces.from allows the set's namespace (None, the
//   default, admits nothing; Same, All, Selector on Namespace labels);
// - admitted listeners are merged into the Gateway's in this precedence: the Gateway's own, then ListenerSets by
//   creation time (oldest first), then by "{namespace}/{name}"; a listener that conflicts with one of higher
//   precedence gets Conflicted=True and is not accepted, the earlier one keeps working ("Listener and
//   ListenerSet Conflicts"; conformance tests listenerset-hostname-conflict and -protocol-conflict: the loser
//   gets Accepted=False, Programmed=False and Conflicted=True, all with the reason HostnameConflict or
//   ProtocolConflict);
// - the set is Accepted when at least one of its listeners is valid, else Accepted=False ListenersNotValid
//   (conformance listenerset-reference-grant); NotAllowed when the Gateway does not admit it;
//   ParentNotAccepted when the Gateway is not accepted. status.attachedListenerSets of the Gateway counts the
//   accepted ones.
// Listener names need be unique only within one object: a listener is identified by its origin and its name.
import { GATEWAY_GROUP, KINDS, X_GATEWAY_GROUP, type ListenerSetKind } from '../cluster/kinds.ts';
import type { GatewayObject, ListenerSetObject, ListenerSpec } from '../cluster/objects.ts';
import type { Lookup, Snapshot } from '../cluster/snapshot.ts';
import type { Condition } from '../report/types.ts';
import { isAwsLbc } from './providers/aws-lbc.ts';
import type { Implementation } from './providers/index.ts';
import { describeSelector, selectorMatches } from './selectors.ts';
import type { GatewayModel, ListenerModel } from './model.ts';

/** The ListenerSet kind a reference (route parentRef, grant `from`) names, if it names one. */
export function listenerSetKindOf(ref: { group: string; kind: string }): ListenerSetKind | undefined {
  if (ref.kind === 'ListenerSet' && ref.group === GATEWAY_GROUP) return 'ListenerSet';
  if (ref.kind === 'XListenerSet' && ref.group === X_GATEWAY_GROUP) return 'XListenerSet';
  return undefined;
}

export function listenerSetId(ls: { kind: string; meta: { namespace: string; name: string } }): string {
  return `${ls.kind} ${ls.meta.namespace}/${ls.meta.name}`;
}

export interface Admission {
  /** null when the namespace's labels are needed and could not be read. */
  allowed: boolean | null;
  why: string;
}

/** Whether the Gateway's spec.allowedListeners admits ListenerSets from this namespace. */
export function admitListenerSet(gw: GatewayObject, namespace: string, snapshot: Snapshot): Admission {
  const gwId = `Gateway ${gw.meta.namespace}/${gw.meta.name}`;
  const al = gw.allowedListeners;
  if (!al) return { allowed: false, why: `${gwId} has no spec.allowedListeners, so it admits no ListenerSets (the default is namespaces.from: None)` };
  switch (al.from) {
    case 'All':
      return { allowed: true, why: `${gwId} admits ListenerSets from every namespace (allowedListeners.namespaces.from: All)` };
    case 'Same':
      return namespace === gw.meta.namespace
        ? { allowed: true, why: `${gwId} admits ListenerSets of its own namespace (allowedListeners.namespaces.from: Same)` }
        : { allowed: false, why: `${gwId} admits only ListenerSets of its own namespace ${gw.meta.namespace} (allowedListeners.namespaces.from: Same), not of ${namespace}` };
    case 'Selector': {
      const selector = al.selector;
      if (!selector) return { allowed: false, why: `${gwId} sets allowedListeners.namespaces.from: Selector without a selector, which admits nothing` };
      const ns = snapshot.get('Namespace', '', namespace);
      const labels = ns?.meta.labels ?? { 'kubernetes.io/metadata.name': namespace };
      if (selectorMatches(selector, labels)) return { allowed: true, why: `namespace ${namespace} matches the allowedListeners selector ${describeSelector(selector)} of ${gwId}` };
      if (!ns) {
        const cov = snapshot.coverage('Namespace', '');
        if (!cov.complete) return { allowed: null, why: `the allowedListeners selector ${describeSelector(selector)} of ${gwId} needs the labels of namespace ${namespace}, and ${cov.why}` };
      }
      return { allowed: false, why: `namespace ${namespace} does not match the allowedListeners selector ${describeSelector(selector)} of ${gwId}` };
    }
    case 'None':
      return { allowed: false, why: `${gwId} admits no ListenerSets (allowedListeners.namespaces.from: None)` };
    default:
      return { allowed: false, why: `${gwId} sets allowedListeners.namespaces.from: ${al.from}, which admits nothing` };
  }
}

/** The Gateway a ListenerSet names, or why it names none. */
export function parentGatewayOf(ls: ListenerSetObject, snapshot: Snapshot): Lookup<GatewayObject> | { found: false; known: true; why: string; notGateway: true } {
  const p = ls.parentRef;
  if (p.group !== GATEWAY_GROUP || p.kind !== 'Gateway') return { found: false, known: true, why: `spec.parentRef names ${p.kind}.${p.group || 'core'} ${p.namespace}/${p.name}; a ListenerSet attaches only to a Gateway`, notGateway: true };
  return snapshot.lookup('Gateway', p.namespace, p.name);
}

/** GEP-1713 precedence among ListenerSets: creation time (oldest first), then "{namespace}/{name}". Without a timestamp (files) a set counts as created now. */
export function compareListenerSets(a: ListenerSetObject, b: ListenerSetObject): number {
  const ta = a.meta.creationTimestamp ? Date.parse(a.meta.creationTimestamp) : Number.POSITIVE_INFINITY;
  const tb = b.meta.creationTimestamp ? Date.parse(b.meta.creationTimestamp) : Number.POSITIVE_INFINITY;
  // Kubernetes timestamps have one-second resolution; equal seconds fall through to the name.
  const sa = Number.isFinite(ta) ? Math.floor(ta / 1000) : ta;
  const sb = Number.isFinite(tb) ? Math.floor(tb / 1000) : tb;
  if (sa !== sb) return sa < sb ? -1 : 1;
  const ka = `${a.meta.namespace}/${a.meta.name}`;
  const kb = `${b.meta.namespace}/${b.meta.name}`;
  return ka < kb ? -1 : ka > kb ? 1 : 0;
}

export type ListenerSetReason = 'Accepted' | 'NotAllowed' | 'ParentNotAccepted' | 'ListenersNotValid' | 'AdmissionUnknown';

export interface ListenerSetModel {
  obj: ListenerSetObject;
  gateway: GatewayModel;
  admission: Admission;
  /** 1 for the oldest ListenerSet of the Gateway (the Gateway's own listeners come first). */
  precedence: number;
  /** Models of its listeners, in spec order (merged into the Gateway's view only when the set is admitted). */
  listeners: ListenerModel[];
  /**
   * What a conformant controller writes on the set: Accepted (True with reason Accepted, or ListenersNotValid
   * when only some listeners are valid; False with NotAllowed, ParentNotAccepted or ListenersNotValid).
   * null when the tool cannot tell (admission unknown).
   */
  expected: { accepted: boolean | null; reason: ListenerSetReason; why: string };
  /** Listeners the controller is expected to accept (not conflicted, references resolved). */
  validListeners: ListenerModel[];
}

/** A ListenerSet that attaches to no Gateway the question covers: its parentRef names none, or no Gateway of that name exists. */
export interface OrphanListenerSet {
  obj: ListenerSetObject;
  parent: ReturnType<typeof parentGatewayOf>;
}

/** Why a listener is not valid for its ListenerSet's Accepted condition (undefined: valid, as far as the objects tell). */
export function listenerInvalidity(lm: ListenerModel): string | undefined {
  if (lm.conflict) return `Conflicted (${lm.conflict.reason}) with ${describeListener(lm.conflict.with)}`;
  if (lm.kinds.unsupportedProtocol) return lm.kinds.unsupportedProtocol;
  if (lm.kinds.invalid.length > 0 && lm.kinds.allowed.length === 0) return `allowedRoutes.kinds lists only kinds a ${lm.spec.protocol} listener cannot serve (InvalidRouteKinds)`;
  const terminates = lm.spec.protocol === 'HTTPS' || (lm.spec.protocol === 'TLS' && lm.spec.tls?.mode !== 'Passthrough');
  if (terminates && lm.gateway.impl.readsCertificateRefs) {
    const bad = lm.certRefs.find((r) => r.state === 'not-permitted') ?? lm.certRefs.find((r) => r.state !== 'ok' && r.state !== 'unknown' && r.state !== 'ignored');
    if (bad) return `certificateRefs[${bad.index}]: ${bad.why} (${bad.state === 'not-permitted' ? 'RefNotPermitted' : 'InvalidCertificateRef'})`;
  }
  return undefined;
}

export function describeListener(lm: ListenerModel): string {
  const where = lm.set ? `ListenerSet ${lm.set.obj.meta.namespace}/${lm.set.obj.meta.name}` : `Gateway ${lm.gateway.obj.meta.namespace}/${lm.gateway.obj.meta.name}`;
  return `listener ${lm.spec.name} (${lm.spec.protocol}${lm.spec.protocol === 'TLS' ? `/${lm.spec.tls?.mode ?? 'Terminate'}` : ''}, port ${lm.spec.port}${lm.spec.hostname ? `, hostname ${lm.spec.hostname}` : ''}) of ${where}`;
}

/** The expected Accepted condition of a ListenerSet, once its listeners and their conflicts are known. */
export function listenerSetVerdict(lsm: ListenerSetModel): ListenerSetModel['expected'] {
  const gw = lsm.gateway.obj;
  const gwId = `Gateway ${gw.meta.namespace}/${gw.meta.name}`;
  const gwAccepted = gw.conditions.find((c) => c.type === 'Accepted');
  if (gwAccepted?.status === 'False' && !gwAccepted.stale) return { accepted: false, reason: 'ParentNotAccepted', why: `${gwId} is not accepted (${gwAccepted.reason ?? 'no reason'}${gwAccepted.message ? `: ${gwAccepted.message}` : ''})` };
  if (lsm.admission.allowed === false) return { accepted: false, reason: 'NotAllowed', why: lsm.admission.why };
  if (lsm.admission.allowed === null) return { accepted: null, reason: 'AdmissionUnknown', why: lsm.admission.why };
  const invalid = lsm.listeners.filter((l) => !lsm.validListeners.includes(l));
  if (lsm.validListeners.length === 0) return { accepted: false, reason: 'ListenersNotValid', why: `none of its listeners is valid: ${invalid.map((l) => `${l.spec.name}: ${listenerInvalidity(l)}`).join('; ')}` };
  if (invalid.length > 0) return { accepted: true, reason: 'ListenersNotValid', why: `${lsm.validListeners.length} of ${lsm.listeners.length} listeners are valid; ${invalid.map((l) => `${l.spec.name}: ${listenerInvalidity(l)}`).join('; ')}` };
  return { accepted: true, reason: 'Accepted', why: `admitted by ${gwId}: ${lsm.admission.why}` };
}

const L7 = new Set(['HTTP', 'HTTPS', 'TLS']);

export interface ListenerConflict {
  reason: 'HostnameConflict' | 'ProtocolConflict';
  why: string;
}

/**
 * Whether `later` conflicts with `earlier` on one data plane (the merged listener list of a Gateway): the spec's
 * distinctness rules (gateway_types.go "Distinct Listeners") plus the limits the implementation is known to add
 * (AWS NLB/ALB: one protocol per port except TCP+UDP; Envoy Gateway: no plaintext HTTP beside HTTPS/TLS on a
 * port, HTTPS and TLS of one hostname collide).
 */
export function listenerConflict(earlier: ListenerSpec, later: ListenerSpec, impl: Implementation, features: readonly string[]): ListenerConflict | null {
  if (earlier.port !== later.port) return null;
  const port = later.port;
  const [a, b] = [earlier.protocol, later.protocol];
  const host = (l: ListenerSpec) => (l.hostname ?? '').toLowerCase();
  if ((a === 'TCP' && L7.has(b)) || (b === 'TCP' && L7.has(a))) return { reason: 'ProtocolConflict', why: `a TCP listener cannot share port ${port} with HTTP, HTTPS or TLS listeners` };
  if (isAwsLbc(impl) && a !== b && !((a === 'TCP' && b === 'UDP') || (a === 'UDP' && b === 'TCP'))) return { reason: 'ProtocolConflict', why: `${impl.name} allows one protocol per port (only TCP and UDP combine), and port ${port} already has ${a}` };
  if (a === b && host(earlier) === host(later)) {
    return { reason: 'HostnameConflict', why: a === 'TCP' || a === 'UDP' ? `both are ${a} on port ${port}` : `both are ${a} on port ${port} with ${later.hostname ? `hostname ${later.hostname}` : 'no hostname'}` };
  }
  const envoy = impl.id === 'envoy-gateway' || impl.id === 'calico';
  const secure = (p: string) => p === 'HTTPS' || p === 'TLS';
  if (envoy && ((a === 'HTTP' && secure(b)) || (b === 'HTTP' && secure(a)))) return { reason: 'ProtocolConflict', why: `${impl.name} cannot serve plaintext HTTP and TLS on one port` };
  if (envoy && secure(a) && secure(b) && a !== b && host(earlier) === host(later)) return { reason: 'HostnameConflict', why: `${impl.name} matches HTTPS and TLS listeners of one port by SNI alike, and both have ${later.hostname ? `hostname ${later.hostname}` : 'no hostname'}` };
  if (a === 'TLS' && b === 'TLS' && (earlier.tls?.mode ?? 'Terminate') !== (later.tls?.mode ?? 'Terminate')) {
    const mixedUnsupported = features.length > 0 ? !features.includes('TLSRouteModeMixed') : impl.id === 'cilium';
    if (mixedUnsupported) return { reason: 'ProtocolConflict', why: `TLS listeners in Passthrough and Terminate mode share port ${port}, and ${impl.name} does not support mixing them (feature TLSRouteModeMixed)` };
  }
  return null;
}

/**
 * Marks the listeners of admitted ListenerSets that lose to a listener of higher precedence (the Gateway's own,
 * or an older ListenerSet's). Conflicts within one object are not precedence conflicts: the Gateway API refuses
 * every member (GWTLS-LSN-002), and such listeners still hold their port against later objects.
 */
export function applyPrecedence(gm: GatewayModel, sets: readonly ListenerSetModel[]): void {
  const claimed: ListenerModel[] = [...gm.listeners.filter((l) => !l.set)];
  for (const lsm of sets) {
    if (lsm.admission.allowed !== true) continue;
    const kept: ListenerModel[] = [];
    for (const lm of lsm.listeners) {
      for (const earlier of claimed) {
        const c = listenerConflict(earlier.spec, lm.spec, gm.impl, gm.features);
        if (c) {
          lm.conflict = { ...c, with: earlier };
          break;
        }
      }
      if (!lm.conflict) kept.push(lm);
    }
    claimed.push(...kept);
  }
}

/** cert-manager's listenerset shim (v1.20+ inheritAnnotations): issuer annotations come from the Gateway when the set has none; issuer-kind and -group always do. */
export function inheritedShimAnnotations(ls: ListenerSetObject, gw: GatewayObject): Record<string, string> {
  const out = { ...ls.meta.annotations };
  const g = gw.meta.annotations;
  const ISSUER = 'cert-manager.io/issuer';
  const CLUSTER = 'cert-manager.io/cluster-issuer';
  if (out[ISSUER] === undefined && out[CLUSTER] === undefined) {
    if (g[CLUSTER] !== undefined) out[CLUSTER] = g[CLUSTER];
    if (g[ISSUER] !== undefined) out[ISSUER] = g[ISSUER];
  }
  for (const k of ['cert-manager.io/issuer-kind', 'cert-manager.io/issuer-group']) if (g[k] !== undefined) out[k] = g[k];
  return out;
}

/** A condition of the set's own status. */
export function setCondition(lsm: { obj: ListenerSetObject }, type: string): Condition | undefined {
  return lsm.obj.conditions.find((c) => c.type === type);
}

/** `ListenerSet` and `XListenerSet` as their group names them, for ReferenceGrant `from`. */
export function listenerSetGroup(kind: ListenerSetKind): string {
  return KINDS[kind].group;
}
