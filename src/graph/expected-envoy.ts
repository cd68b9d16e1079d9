// The status Envoy Gateway (and Calico Ingress Gateway) writes, modelled on its translator, envoyproxy/gateway
// v1.9.1 internal/gatewayapi: listener.go ProcessListeners, validate.go (validateListenerSpec,
// validateTLSConfiguration, validateTerminateModeAndGetTLSSecrets, validateListenerConditions, the conflict
// checks, validateBackendRef), tls.go parseCertsFromTLSSecretsData, route.go (processAllowedListenersForParentRefs,
// process*RouteParentRefs, processDestination), backendtlspolicy.go, backend.go validateBackend, and
// provider/kubernetes/status.go for the Gateway's Accepted (status/gateway.go computeGatewayAcceptedFromListeners).
// The differential test (test/oracle) compares this with `egctl x translate` on every fixture.
import type { BackendTLSPolicyObject, ListenerSpec, ParentReference, RouteObject } from '../cluster/objects.ts';
import type { ExpectedCondition } from '../report/types.ts';
import { envoyConfig } from '../rules/envoy-gateway/config.ts';
import type { CertRef } from './listener-certs.ts';
import type { GatewayModel, ListenerModel, Model } from './model.ts';
import type { ResolvedBackend } from './backends.ts';
import { ConditionSet, type GatewayExpectations, type ListenerExpectation, type PolicyAncestorExpectation, type RouteParent } from './expected-core.ts';
import { backendClientCertificate, caText, frontendErrorFor, frontendTls, list, raw, text, type FrontendTls, type Raw } from './gateway-tls-refs.ts';

const GW_GROUP = 'gateway.networking.k8s.io';
const EG_GROUP = 'gateway.envoyproxy.io';

/** Route kinds per protocol (listener.go allowedRouteKindsForProtocol). */
function kindsForProtocol(protocol: string, mode: string | undefined): string[] | null {
  switch (protocol) {
    case 'HTTP':
    case 'HTTPS':
      return ['HTTPRoute', 'GRPCRoute'];
    case 'TLS':
      return mode === 'Passthrough' ? ['TLSRoute'] : ['TCPRoute', 'TLSRoute'];
    case 'TCP':
      return ['TCPRoute'];
    case 'UDP':
      return ['UDPRoute'];
    default:
      return null;
  }
}

interface ListenerState {
  lm: ListenerModel;
  conds: ConditionSet;
  specValid: boolean;
  supportedKinds: string[];
  protocolConflicted: boolean;
  /** certificateRefs that end up in the filter chain (validateTerminateModeAndGetTLSSecrets). */
  servedRefs: CertRef[];
  /** HTTPS: the DNS SANs of the usable certificates (listener.tls.certDNSNames). */
  certDnsNames: string[];
}

/**
 * What a certificateRef the input cannot settle (its Secret's kind is not in the input, its ReferenceGrants
 * could not be read) is taken to be: the listener conditions are computed both ways, and only what both agree
 * on is predicted.
 */
type Assumption = 'present' | 'missing';

function listenerStates(gm: GatewayModel, now: Date, assume: Assumption, frontend: FrontendTls | undefined): ListenerState[] {
  const states = gm.listeners.map((lm) => validateListenerSpec(lm, now, assume, frontend));
  checkProtocolConflicts(states);
  checkHostnameConflicts(states);
  checkLayer4Conflicts(states, 'TCP');
  checkLayer4Conflicts(states, 'UDP');
  for (const s of states) finalizeListenerConditions(s);
  checkOverlappingTlsConfig(states);
  return states;
}

/** The conditions two outcomes agree on (type, status and reason). */
function agreed(a: readonly ExpectedCondition[], b: readonly ExpectedCondition[]): ExpectedCondition[] {
  return a.filter((x) => b.some((y) => y.type === x.type && y.status === x.status && y.reason === x.reason));
}

export function envoyGatewayExpectations(gm: GatewayModel, parents: RouteParent[], model: Model): GatewayExpectations {
  const basis = `${gm.impl.name}: the status Envoy Gateway v1.9 writes (internal/gatewayapi translator; the Gateway's Accepted as its Kubernetes provider derives it from the listeners)`;
  // GetRelevantGateways: an address of a type Envoy Gateway does not know fails the Gateway before its
  // listeners and routes are processed (no listener status, no route status).
  const badAddress = gm.obj.specAddresses.find((a) => a.type !== undefined && a.type !== 'IPAddress' && a.type !== 'Hostname');
  if (badAddress) {
    return {
      profile: 'envoy-gateway',
      basis,
      gateway: [{ type: 'Accepted', status: 'False', reason: 'UnsupportedAddress' }],
      listeners: new Map(gm.listeners.map((lm) => [lm, { conditions: [], attachedRoutes: 0 }])),
      parents: new Map(),
      policies: [],
    };
  }
  const frontend = frontendTls(gm.obj, model);
  const states = listenerStates(gm, model.now, 'present', frontend);
  const otherwise = listenerStates(gm, model.now, 'missing', frontend);
  const programmed = (i: number) => states[i]!.conds.has('Programmed', 'True') && otherwise[i]!.conds.has('Programmed', 'True');

  const listeners = new Map<ListenerModel, ListenerExpectation>();
  states.forEach((s, i) => listeners.set(s.lm, { conditions: agreed(s.conds.list(), otherwise[i]!.conds.list()), attachedRoutes: 0 }));
  const byListener = new Map<ListenerSpec, ListenerState>(states.map((s) => [s.lm.spec, s]));
  const indexOf = new Map<ListenerSpec, number>(states.map((s, i) => [s.lm.spec, i]));

  const backendEnabled = backendApiEnabled(gm, model);
  const parentConds = new Map<RouteParent['parent'], ConditionSet>();
  const ancestors: PolicyAncestorExpectation[] = [];
  const programmedRoutes: Array<{ rp: RouteParent; listener: ListenerSpec }> = [];
  const allowedOf = new Map<RouteParent['parent'], ListenerSpec[]>();
  for (const rp of parents) {
    const { conds, attachedTo, allowed } = routeParentConditions(rp, gm, byListener, model, backendEnabled, ancestors);
    parentConds.set(rp.parent, conds);
    allowedOf.set(rp.parent, allowed);
    for (const spec of attachedTo) {
      const s = byListener.get(spec);
      if (!s) continue;
      listeners.get(s.lm)!.attachedRoutes++;
      if (programmed(indexOf.get(spec)!) && conds.get('Accepted')?.status !== 'False') programmedRoutes.push({ rp, listener: spec });
    }
  }
  markRouteOverlaps(parents, programmedRoutes, allowedOf, parentConds);
  return {
    profile: 'envoy-gateway',
    basis,
    gateway: agreed(gatewayConditions(gm, states, model, frontend), gatewayConditions(gm, otherwise, model, frontend)),
    listeners,
    parents: new Map([...parentConds].map(([k, v]) => [k, v.list()])),
    policies: resolvePolicyConflicts(ancestors, model),
  };
}

export function servedRefsEnvoy(lm: ListenerModel, now: Date): CertRef[] {
  // The certificates Envoy Gateway loads into the filter chain (frontend validation does not change them).
  return validateListenerSpec(lm, now, 'missing').servedRefs;
}

// ---------------------------------------------------------------------------------------------------------
// Listeners

function validateListenerSpec(lm: ListenerModel, now: Date, assume: Assumption, frontend?: FrontendTls): ListenerState {
  const l = lm.spec;
  const conds = new ConditionSet();
  const state: ListenerState = { lm, conds, specValid: true, supportedKinds: [], protocolConflicted: false, servedRefs: [], certDnsNames: [] };
  // Phase 1: allowedRoutes.namespaces (validateAllowedNamespaces)
  if (l.allowedRoutes.from === 'Selector' && (!l.allowedRoutes.selector || !selectorParses(l))) {
    conds.set('Programmed', 'False', 'Invalid');
    state.specValid = false;
  }
  // Phase 2: route kinds (validateAllowedRoutes)
  const kinds = kindsForProtocol(l.protocol, l.tls?.mode);
  if (kinds) {
    if (!l.allowedRoutes.kinds || l.allowedRoutes.kinds.length === 0) {
      state.supportedKinds = kinds;
    } else {
      for (const k of l.allowedRoutes.kinds) {
        if (k.group !== GW_GROUP) {
          conds.set('ResolvedRefs', 'False', 'InvalidRouteKinds');
          state.specValid = false;
        } else if (kinds.includes(k.kind)) {
          state.supportedKinds.push(k.kind);
        } else {
          conds.set('ResolvedRefs', 'False', 'InvalidRouteKinds');
          state.specValid = false;
        }
      }
    }
  } else {
    conds.set('Accepted', 'False', 'UnsupportedProtocol');
    state.specValid = false;
  }
  // Phase 3: TLS (validateTLSConfiguration)
  if (!validateTls(state, now, assume)) state.specValid = false;
  const fe = frontendErrorFor(frontend, l);
  if (fe) {
    conds.set('ResolvedRefs', 'False', fe);
    conds.set('Programmed', 'False', fe);
    conds.set('Accepted', 'False', 'NoValidCACertificate');
    state.specValid = false;
  }
  // Phase 4: hostname on L4 listeners (validateHostName)
  if ((l.protocol === 'TCP' || l.protocol === 'UDP') && l.hostname) {
    conds.set('Programmed', 'False', 'Invalid');
    state.specValid = false;
  }
  return state;
}

function selectorParses(l: ListenerSpec): boolean {
  const ops = new Set(['In', 'NotIn', 'Exists', 'DoesNotExist']);
  return (l.allowedRoutes.selector?.matchExpressions ?? []).every((e) => ops.has(e.operator) && ((e.operator === 'In' || e.operator === 'NotIn') === e.values.length > 0));
}

function validateTls(s: ListenerState, now: Date, assume: Assumption): boolean {
  const l = s.lm.spec;
  switch (l.protocol) {
    case 'HTTP':
    case 'UDP':
    case 'TCP':
      if (l.tls) {
        s.conds.set('Programmed', 'False', 'Invalid');
        return false;
      }
      return true;
    case 'HTTPS':
      if (!l.tls) {
        s.conds.set('Programmed', 'False', 'Invalid');
        return false;
      }
      if (l.tls.mode !== 'Terminate') {
        s.conds.set('Programmed', 'False', 'UnsupportedTLSMode');
        return false;
      }
      return validateTerminate(s, now, assume);
    case 'TLS':
      if (!l.tls) {
        s.conds.set('Programmed', 'False', 'Invalid');
        return false;
      }
      if (l.tls.mode === 'Passthrough') {
        if (l.tls.certificateRefs.length > 0) {
          s.conds.set('Programmed', 'False', 'Invalid');
          return false;
        }
        return true;
      }
      if (l.tls.mode === 'Terminate') return validateTerminate(s, now, assume);
      return true;
    default:
      return true;
  }
}

type RefError = 'InvalidCertificateRef' | 'RefNotPermitted';

/** validateTerminateModeAndGetTLSSecrets + parseCertsFromTLSSecretsData. */
function validateTerminate(s: ListenerState, now: Date, assume: Assumption): boolean {
  const refs = s.lm.certRefs;
  if (refs.length === 0) {
    s.conds.set('Programmed', 'False', 'Invalid');
    return false;
  }
  const errors: RefError[] = [];
  const candidates: CertRef[] = [];
  const unsettled: CertRef[] = [];
  for (const r of refs) {
    const e = preParseError(r);
    if (e === 'unknown') {
      // Not settled by the input: a usable certificate, or a missing Secret (or refused reference).
      if (assume === 'missing') errors.push(r.crossNamespace && r.grant.allowed === null ? 'RefNotPermitted' : 'InvalidCertificateRef');
      else unsettled.push(r);
      continue;
    }
    if (e) errors.push(e);
    else candidates.push(r);
  }
  if (candidates.length === 0 && unsettled.length === 0) {
    s.conds.set('ResolvedRefs', 'False', errors.every((e) => e === 'RefNotPermitted') ? 'RefNotPermitted' : 'InvalidCertificateRef');
    return false;
  }
  // parseCertsFromTLSSecretsData: chain intact and current, key present and matching, one certificate per
  // (key algorithm, domain) on the listener.
  const seen = new Set<string>();
  const valid: CertRef[] = [];
  let parseErrors = 0;
  for (const r of candidates) {
    if (!servingChainUsable(r, now)) {
      parseErrors++;
      continue;
    }
    const leaf = r.chain!.certs[0]!.cert;
    const domains = leaf.sans.dns.length ? leaf.sans.dns : leaf.commonName ? [leaf.commonName] : [];
    const algo = leaf.keyType;
    const clash = [...new Set(domains)].some((d) => seen.has(`${algo}/${d}`));
    if (clash) {
      parseErrors++;
      continue;
    }
    for (const d of domains) seen.add(`${algo}/${d}`);
    valid.push(r);
  }
  if (valid.length === 0 && unsettled.length === 0) {
    s.conds.set('ResolvedRefs', 'False', 'InvalidCertificateRef');
    return false;
  }
  s.servedRefs = valid;
  if (s.lm.spec.protocol === 'HTTPS') s.certDnsNames = valid.flatMap((r) => r.chain!.certs[0]!.cert.sans.dns);
  if (parseErrors > 0 || errors.length > 0) s.conds.set('ResolvedRefs', 'False', 'PartiallyInvalidCertificateRef');
  return true;
}

function preParseError(r: CertRef): RefError | 'unknown' | null {
  if (r.state === 'invalid-kind') return 'InvalidCertificateRef';
  if (r.crossNamespace && r.grant.allowed === false) return 'RefNotPermitted';
  if (r.crossNamespace && r.grant.allowed === null) return 'unknown';
  if (r.state === 'unknown') return 'unknown';
  if (r.state === 'missing') return 'InvalidCertificateRef';
  const secret = r.secret?.found ? r.secret.obj : undefined;
  if (!secret) return 'InvalidCertificateRef';
  if (secret.type !== 'kubernetes.io/tls') return 'InvalidCertificateRef';
  if (!secret.tlsCrt || !secret.tlsKey) return 'InvalidCertificateRef';
  return null;
}

/** validateServingCertificateChain + the key checks: every PEM block a current certificate, a matching key. */
function servingChainUsable(r: CertRef, now: Date): boolean {
  const chain = r.chain;
  if (!chain || chain.certs.length === 0 || chain.errors.length > 0) return false;
  const t = now.getTime();
  for (const c of chain.certs) {
    if (t > Date.parse(c.cert.notAfter) || t < Date.parse(c.cert.notBefore)) return false;
  }
  return r.keyMatches === true;
}

function sameGroup(a: ListenerState): string {
  return a.lm.spec.protocol === 'HTTPS' || a.lm.spec.protocol === 'TLS' ? 'https/tls' : a.lm.spec.protocol;
}

const SUPPORTED = new Set(['HTTP', 'HTTPS', 'TLS', 'TCP', 'UDP']);

function byPort(states: ListenerState[], include: (s: ListenerState) => boolean): Map<number, ListenerState[]> {
  const out = new Map<number, ListenerState[]>();
  for (const s of states) {
    if (!include(s)) continue;
    const list = out.get(s.lm.spec.port) ?? [];
    if (list.length === 0) out.set(s.lm.spec.port, list);
    list.push(s);
  }
  return out;
}

/** validateConflictedProtocolsListeners: HTTPS and TLS may share a port; any other mix conflicts (UDP aside). */
function checkProtocolConflicts(states: ListenerState[]): void {
  for (const list of byPort(states, (s) => s.specValid && SUPPORTED.has(s.lm.spec.protocol)).values()) {
    const nonUdp = list.filter((s) => s.lm.spec.protocol !== 'UDP');
    if (new Set(nonUdp.map(sameGroup)).size <= 1) continue;
    for (const s of nonUdp) {
      s.conds.set('Conflicted', 'True', 'ProtocolConflict');
      s.protocolConflicted = true;
    }
  }
}

/** validateConflictedHostnameListeners: two Gateway listeners on one port with one hostname conflict, no winner. */
function checkHostnameConflicts(states: ListenerState[]): void {
  const include = (s: ListenerState) => s.lm.spec.protocol !== 'TCP' && s.lm.spec.protocol !== 'UDP' && s.specValid && !s.protocolConflicted;
  for (const list of byPort(states, include).values()) {
    const count = new Map<string, number>();
    for (const s of list) count.set(s.lm.spec.hostname ?? '', (count.get(s.lm.spec.hostname ?? '') ?? 0) + 1);
    for (const s of list) if ((count.get(s.lm.spec.hostname ?? '') ?? 0) > 1) s.conds.set('Conflicted', 'True', 'HostnameConflict');
  }
}

/** validateConflictedLayer4Listeners: the first TCP (UDP) listener on a port keeps it. */
function checkLayer4Conflicts(states: ListenerState[], protocol: string): void {
  for (const list of byPort(states, (s) => s.specValid && s.lm.spec.protocol === protocol).values()) {
    for (const s of list.slice(1)) s.conds.set('Conflicted', 'True', 'ProtocolConflict');
  }
}

/** validateListenerConditions. */
function finalizeListenerConditions(s: ListenerState): void {
  const c = s.conds;
  if (c.size === 0) {
    c.set('Programmed', 'True', 'Programmed');
    c.set('Accepted', 'True', 'Accepted');
    c.set('ResolvedRefs', 'True', 'ResolvedRefs');
    return;
  }
  const only = c.size === 1 ? c.get('ResolvedRefs') : undefined;
  if (only?.reason === 'PartiallyInvalidCertificateRef') {
    c.set('Accepted', 'True', 'Accepted');
    c.set('Programmed', 'True', 'Programmed');
    return;
  }
  if (only?.reason === 'InvalidCertificateRef') {
    c.set('Accepted', 'True', 'Accepted');
    c.set('Programmed', 'False', 'Invalid');
    return;
  }
  if (!c.has('Programmed')) c.set('Programmed', 'False', 'Invalid');
  if (!c.has('ResolvedRefs')) c.set('ResolvedRefs', 'True', 'ResolvedRefs');
}

/** hasInvalidCondition: Programmed=False, Accepted=False, or ResolvedRefs=False other than PartiallyInvalid. */
function invalid(s: ListenerState): boolean {
  const r = s.conds.get('ResolvedRefs');
  return s.conds.has('Programmed', 'False') || s.conds.has('Accepted', 'False') || (r?.status === 'False' && r.reason !== 'PartiallyInvalidCertificateRef');
}

/** areOverlappingHostnames: no hostname overlaps everything; a wildcard covers exactly one label. */
function hostnamesOverlap(a: string | undefined, b: string | undefined): boolean {
  if (a === undefined || b === undefined) return true;
  const matches = (x: string, y: string) => (y.length > 1 && y.startsWith('*') && !(x.length > 1 && x.startsWith('*')) ? x.endsWith(y.slice(1)) && !x.slice(0, x.length - y.length + 1).includes('.') : x === y);
  return matches(a, b) || matches(b, a);
}

/** pairs: the first overlapping partner of each listener, greedily, as checkOverlappingHostnames pairs them. */
function pairOverlaps(list: ListenerState[], overlap: (a: ListenerState, b: ListenerState) => boolean): Set<ListenerState> {
  const marked = new Set<ListenerState>();
  for (let i = 0; i < list.length; i++) {
    if (marked.has(list[i]!) || invalid(list[i]!)) continue;
    for (let j = i + 1; j < list.length; j++) {
      if (marked.has(list[j]!) || invalid(list[j]!) || list[i]!.lm.spec.port !== list[j]!.lm.spec.port) continue;
      if (overlap(list[i]!, list[j]!)) {
        marked.add(list[i]!);
        marked.add(list[j]!);
        break;
      }
    }
  }
  return marked;
}

/** checkOverlappingTLSConfig: HTTPS listeners on one port whose hostnames, or certificates' DNS names, overlap. */
function checkOverlappingTlsConfig(states: ListenerState[]): void {
  const https = states.filter((s) => s.lm.spec.protocol === 'HTTPS');
  for (const s of pairOverlaps(https, (a, b) => hostnamesOverlap(a.lm.spec.hostname, b.lm.spec.hostname))) s.conds.set('OverlappingTLSConfig', 'True', 'OverlappingHostnames');
  for (const s of pairOverlaps(https, (a, b) => a.certDnsNames.some((x) => b.certDnsNames.some((y) => hostnamesOverlap(x, y))))) s.conds.set('OverlappingTLSConfig', 'True', 'OverlappingCertificates');
}

// ---------------------------------------------------------------------------------------------------------
// ---------------------------------------------------------------------------------------------------------
// The Gateway

function gatewayConditions(gm: GatewayModel, states: ListenerState[], model: Model, frontend: FrontendTls | undefined): ExpectedCondition[] {
  const out = new ConditionSet();
  const ref = gm.obj.backendClientCertificateRef;
  const backend = ref ? backendClientCertificate(gm.obj, ref, model) : { status: 'True' as const, reason: 'ResolvedRefs' };
  // ProcessGatewayTLS writes ResolvedRefs when spec.tls is set: the frontend CA references, then the backend
  // client certificate.
  if (frontend || ref) {
    if (frontend?.failed) out.set('ResolvedRefs', 'False', 'InvalidParameters');
    else if (backend && !frontend?.unknown) out.set('ResolvedRefs', backend.status, backend.reason);
    if (frontend?.insecureFallback) out.set('InsecureFrontendValidationMode', 'True', 'ConfigurationChanged');
  }
  // provider/kubernetes/status.go: UpdateGatewayStatusAccepted from the listeners' Accepted conditions.
  const accepted = states.map((s) => s.conds.has('Accepted', 'True'));
  if (accepted.every(Boolean)) out.set('Accepted', 'True', 'Accepted');
  else if (accepted.some(Boolean)) out.set('Accepted', 'True', 'ListenersNotValid');
  else out.set('Accepted', 'False', 'ListenersNotValid');
  return out.list();
}

// ---------------------------------------------------------------------------------------------------------
// Route parents

function backendApiEnabled(gm: GatewayModel, model: Model): boolean | null {
  const cfg = envoyConfig(model.snapshot);
  if (cfg) return cfg.enableBackend;
  // The Tigera operator (v1.39+) always sets extensionApis.enableBackend (gateway-tls-domain.md §2.3).
  return gm.impl.id === 'calico' ? true : null;
}

function routeParentConditions(
  rp: RouteParent,
  gm: GatewayModel,
  byListener: Map<ListenerSpec, ListenerState>,
  model: Model,
  backendEnabled: boolean | null,
  ancestors: PolicyAncestorExpectation[],
): { conds: ConditionSet; attachedTo: ListenerSpec[]; allowed: ListenerSpec[] } {
  const { route, parent } = rp;
  const r = route.obj;
  const conds = new ConditionSet();
  const l4 = r.kind === 'TCPRoute' || r.kind === 'UDPRoute';
  // processAllowedListenersForParentRefs: selected listeners, then kind (supportedKinds) and namespace.
  const selected = parent.listeners.filter((l) => l.selected);
  const allowed = selected.filter((l) => {
    const s = byListener.get(l.listener);
    return s !== undefined && s.supportedKinds.includes(r.kind) && l.namespaceAllowed === true;
  });
  const undetermined = selected.some((l) => l.namespaceAllowed === null && byListener.get(l.listener)?.supportedKinds.includes(r.kind));
  if (selected.length === 0) conds.set('Accepted', 'False', 'NoMatchingParent');
  else if (allowed.length === 0 && !undetermined) conds.set('Accepted', 'False', 'NotAllowedByListeners');
  else if (allowed.length > 0) conds.set('Accepted', 'True', 'Accepted');
  if (l4 && r.rules.length !== 1) {
    // processTCPRouteParentRefs / processUDPRouteParentRefs: exactly one rule, checked first.
    const invalid = new ConditionSet();
    invalid.set('Accepted', 'False', 'InvalidRule');
    return { conds: invalid, attachedTo: [], allowed: [] };
  }
  // Backends, per parentRef (processDestination); BackendTLSPolicy ancestors are recorded on the way.
  const reasons = new Set<string>();
  let unknown = false;
  for (const b of route.backends) {
    const res = backendReason(b, r, model, backendEnabled);
    if (res === 'unknown') unknown = true;
    else if (res) reasons.add(res);
    else if ((b.ref.weight ?? 1) !== 0) {
      const tls = backendTlsReason(b, r, parent.ref, model, ancestors);
      if (tls === 'unknown') unknown = true;
      else if (tls) reasons.add(tls);
    }
  }
  if (reasons.size > 0) conds.set('ResolvedRefs', 'False', [...reasons].sort().join(','));
  else if (!unknown) conds.set('ResolvedRefs', 'True', 'ResolvedRefs');
  // Hostnames (HTTPRoute, GRPCRoute, TLSRoute); attachedRoutes counts every allowed listener that intersects.
  const attachedTo: ListenerSpec[] = [];
  for (const l of allowed) {
    if (!l4 && l.hostnames.length === 0) continue;
    attachedTo.push(l.listener);
  }
  if (!l4 && allowed.length > 0 && attachedTo.length === 0) conds.set('Accepted', 'False', 'NoMatchingListenerHostname');
  return { conds, attachedTo, allowed: allowed.map((l) => l.listener) };
}

// ---------------------------------------------------------------------------------------------------------
// Route overlaps (route.go checkRouteOverlaps): two HTTPRoutes/GRPCRoutes on one programmed listener with a
// request match in common (hostname, path, headers, query parameters, cookies) both get RouteRulesOverlap.

function markRouteOverlaps(
  parents: RouteParent[],
  programmed: Array<{ rp: RouteParent; listener: ListenerSpec }>,
  allowedOf: Map<RouteParent['parent'], ListenerSpec[]>,
  conds: Map<RouteParent['parent'], ConditionSet>,
): void {
  const buckets = new Map<ListenerSpec, Map<string, Set<string>>>();
  for (const { rp, listener } of programmed) {
    const r = rp.route.obj;
    if (r.kind !== 'HTTPRoute' && r.kind !== 'GRPCRoute') continue;
    const byKey = buckets.get(listener) ?? new Map<string, Set<string>>();
    buckets.set(listener, byKey);
    const id = `${r.kind}/${r.meta.namespace}/${r.meta.name}`;
    for (const host of rp.parent.listeners.find((x) => x.listener === listener)?.hostnames ?? []) {
      for (const m of matchKeys(r)) {
        const k = `${host}\u0001${m}`;
        const set = byKey.get(k) ?? new Set<string>();
        byKey.set(k, set);
        set.add(id);
      }
    }
  }
  for (const { route, parent } of parents) {
    const r = route.obj;
    if (r.kind !== 'HTTPRoute' && r.kind !== 'GRPCRoute') continue;
    const id = `${r.kind}/${r.meta.namespace}/${r.meta.name}`;
    const overlaps = (allowedOf.get(parent) ?? []).some((l) => [...(buckets.get(l)?.values() ?? [])].some((set) => set.size > 1 && set.has(id)));
    if (overlaps) conds.get(parent)?.set('RouteRulesOverlap', 'True', 'RouteRulesOverlap');
  }
}

/** buildOverlapKey of every IR route a route's rules produce (one per rule match). */
function matchKeys(r: RouteObject): string[] {
  const out: string[] = [];
  for (const rule of list(raw(r.raw.spec).rules)) {
    const matches = list(rule.matches);
    if (matches.length === 0) out.push(overlapKey(undefined, [], []));
    for (const m of matches) out.push(r.kind === 'GRPCRoute' ? grpcKey(m) : httpKey(m));
  }
  return out;
}

function pathKey(kind: 'e' | 'p' | 'r', value: string): string {
  return `${kind}:${kind === 'p' && value !== '/' ? value.replace(/\/$/, '') : value}`;
}

function overlapKey(path: string | undefined, headers: string[], query: string[]): string {
  return `${path ?? pathKey('p', '/')}\u0002${[...headers].sort().join('\u0003')}\u0002${[...query].sort().join('\u0003')}`;
}

function httpKey(m: Raw): string {
  const p = raw(m.path);
  const type = text(p.type) || 'PathPrefix';
  const value = text(p.value) || '/';
  const path = m.path === undefined ? undefined : pathKey(type === 'Exact' ? 'e' : type === 'RegularExpression' ? 'r' : 'p', value);
  const headers = list(m.headers).map((h) => `${text(h.name).toLowerCase()}=${text(h.type) === 'RegularExpression' ? 'r' : 'e'}:${text(h.value)}`);
  const query = list(m.queryParams).map((q) => `${text(q.name)}=${text(q.type) === 'RegularExpression' ? 'r' : 'e'}:${text(q.value)}`);
  return overlapKey(path, headers, query);
}

const GRPC_SERVICE = '(?i)\\.?[a-z_][a-z_0-9]*(\\.[a-z_][a-z_0-9]*)*';
const GRPC_METHOD = '[A-Za-z_][A-Za-z_0-9]*';

function grpcKey(m: Raw): string {
  const headers = list(m.headers).map((h) => `${text(h.name).toLowerCase()}=${text(h.type) === 'RegularExpression' ? 'r' : 'e'}:${text(h.value)}`);
  const method = m.method === undefined ? undefined : raw(m.method);
  let path: string | undefined;
  if (method) {
    const service = method.service === undefined ? undefined : text(method.service);
    const name = method.method === undefined ? undefined : text(method.method);
    if (text(method.type) === 'RegularExpression') {
      if (service !== undefined || name !== undefined) path = pathKey('r', `/${service ?? GRPC_SERVICE}/${name ?? GRPC_METHOD}`);
    } else if (service !== undefined && name !== undefined) path = pathKey('e', `/${service}/${name}`);
    else if (name !== undefined) headers.push(`:path=s:/${name}`);
    else if (service !== undefined) path = pathKey('p', `/${service}`);
  }
  return overlapKey(path, headers, []);
}

/** validateBackendRef: the first failing check's reason, null when the backendRef is usable. */
function backendReason(b: ResolvedBackend, route: RouteObject, model: Model, backendEnabled: boolean | null): string | null | 'unknown' {
  const ref = b.ref;
  if (ref.group !== '' && ref.group !== 'multicluster.x-k8s.io' && ref.group !== EG_GROUP) return 'InvalidKind';
  if (ref.kind !== 'Service' && ref.kind !== 'ServiceImport' && ref.kind !== 'Backend') return 'InvalidKind';
  if (ref.namespace !== route.meta.namespace) {
    if (b.grant.allowed === false) return 'RefNotPermitted';
    if (b.grant.allowed === null) return 'unknown';
  }
  if (ref.kind !== 'Backend' && ref.port === undefined) return 'PortNotSpecified';
  if (ref.kind === 'Service') {
    const svc = b.service;
    if (!svc || !svc.found) return svc && !svc.known ? 'unknown' : 'BackendNotFound';
    if (svc.obj.type === 'ExternalName') return 'UnsupportedValue';
    const protocol = route.kind === 'UDPRoute' ? 'UDP' : 'TCP';
    if (!svc.obj.ports.some((p) => p.port === ref.port && (p.protocol || 'TCP') === protocol)) return 'PortNotFound';
    return null;
  }
  if (ref.kind === 'Backend') {
    if (backendEnabled === false) return 'UnsupportedValue';
    const be = b.envoyBackend;
    if (!be || !be.found) return be && !be.known ? 'unknown' : 'BackendNotFound';
    if (backendEnabled === null) return 'unknown';
    const tls = be.obj.tls;
    if (tls && !tls.insecureSkipVerify && tls.caCertificateRefs.length === 0 && !tls.wellKnownCACertificates && !policyGivesBackendCa(be.obj.meta.namespace, be.obj.meta.name, be.obj.endpoints, model)) {
      return 'InvalidBackendRef';
    }
    if (be.obj.endpoints.some((e) => e.unix)) return 'UnsupportedAddressType';
    for (const e of be.obj.endpoints) {
      if (e.fqdn && !validFqdn(e.fqdn.hostname)) return 'InvalidAddress';
      if (e.ip && !validIp(e.ip.address)) return 'InvalidAddress';
    }
    return null;
  }
  return 'unknown'; // ServiceImport: not read by this tool
}

/** backend.go validateBackendTLSSettings: a BackendTLSPolicy may supply the CA of a Backend. */
function policyGivesBackendCa(ns: string, name: string, endpoints: Array<{ fqdn?: { port?: number }; ip?: { port?: number } }>, model: Model): boolean {
  const policies = model.snapshot.list('BackendTLSPolicy', ns).filter((p) => p.targetRefs.some((t) => t.group === EG_GROUP && t.kind === 'Backend' && t.name === name));
  const hasCa = (p: BackendTLSPolicyObject) => !!p.wellKnownCACertificates || p.caCertificateRefs.length > 0;
  if (policies.some((p) => hasCa(p) && p.targetRefs.some((t) => t.kind === 'Backend' && t.name === name && t.sectionName === undefined))) return true;
  const ports = new Set(endpoints.map((e) => String(e.fqdn?.port ?? e.ip?.port ?? '')).filter(Boolean));
  if (ports.size === 0) return false;
  for (const port of ports) {
    if (!policies.some((p) => hasCa(p) && p.targetRefs.some((t) => t.kind === 'Backend' && t.name === name && t.sectionName === port))) return false;
  }
  return true;
}

function validFqdn(h: string): boolean {
  const name = h.replace(/\.$/, '');
  if (!/^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/.test(name) || name.length > 253) return false;
  if (h.split('.').length < 2) return false;
  return !validIp(h);
}

function validIp(a: string): boolean {
  if (/^\d{1,3}(\.\d{1,3}){3}$/.test(a)) {
    const parts = a.split('.').map(Number);
    return parts.every((p) => p <= 255) && parts[0] !== 127;
  }
  return a.includes(':') && a !== '::1' && /^[0-9a-f:.]+$/i.test(a);
}

/** applyBackendTLSSetting: the BackendTLSPolicy for this backend (its CA bundle), merged with a Backend's tls. */
function backendTlsReason(b: ResolvedBackend, route: RouteObject, parentRef: ParentReference, model: Model, ancestors: PolicyAncestorExpectation[]): string | null | 'unknown' {
  const policy = policyFor(b, model);
  let policyCa: 'ok' | 'error' | 'none' = 'none';
  if (policy) {
    const bundle = caBundle(policy, model);
    if (bundle === 'unknown') return 'unknown';
    const conditions = new ConditionSet();
    if (bundle.error) {
      conditions.set('Accepted', 'False', 'NoValidCACertificate');
      conditions.set('ResolvedRefs', 'False', bundle.error);
      policyCa = 'error';
    } else {
      conditions.set('ResolvedRefs', 'True', 'ResolvedRefs');
      conditions.set('Accepted', 'True', 'Accepted');
      policyCa = 'ok';
    }
    addAncestor(ancestors, policy, parentRef, route, conditions.list());
  }
  if (policyCa === 'error') return 'InvalidBackendTLS';
  if (b.type === 'envoy-backend' && b.envoyBackend?.found) {
    const tls = b.envoyBackend.obj.tls;
    if (tls && !tls.insecureSkipVerify && policyCa === 'none') {
      if (tls.wellKnownCACertificates) return null;
      if (tls.caCertificateRefs.length === 0) return 'InvalidBackendTLS';
      const bundle = caRefsBundle(tls.caCertificateRefs, b.envoyBackend.obj.meta.namespace, model);
      if (bundle === 'unknown') return 'unknown';
      if (bundle.error) return 'InvalidBackendTLS';
    }
  }
  return null;
}

/** resource.go Sort: creation timestamp, then namespace, then name (byte order); each timestamp parsed once. */
function byAgeThenName(policies: readonly BackendTLSPolicyObject[]): BackendTLSPolicyObject[] {
  const keyed = policies.map((p) => ({ p, t: p.meta.creationTimestamp ? Date.parse(p.meta.creationTimestamp) : 0 }));
  keyed.sort((a, b) => {
    if (a.t !== b.t) return a.t - b.t;
    const [na, nb] = [a.p.meta.namespace, b.p.meta.namespace];
    if (na !== nb) return na < nb ? -1 : 1;
    return a.p.meta.name < b.p.meta.name ? -1 : a.p.meta.name > b.p.meta.name ? 1 : 0;
  });
  return keyed.map((k) => k.p);
}

/** getBackendTLSPolicy: a policy naming the port's section wins over one naming the whole target. */
export function policyFor(b: ResolvedBackend, model: Model): BackendTLSPolicyObject | undefined {
  const ref = b.ref;
  const group = ref.group;
  const kind = ref.kind;
  let section: string | undefined;
  if (ref.port !== undefined) {
    if (kind === 'Service') section = b.service?.found ? b.service.obj.ports.find((p) => p.port === ref.port)?.name || undefined : undefined;
    else section = String(ref.port);
  }
  const policies = byAgeThenName(model.snapshot.list('BackendTLSPolicy', ref.namespace));
  const matches = (p: BackendTLSPolicyObject, exact: boolean) =>
    p.targetRefs.some((t) => t.group === group && t.kind === kind && t.name === ref.name && (t.sectionName === section || (!exact && t.sectionName === undefined && section !== undefined)));
  if (section !== undefined) {
    const exact = policies.find((p) => matches(p, true));
    if (exact) return exact;
  }
  return policies.find((p) => matches(p, false));
}

/** getBackendTLSBundle: System trust needs nothing; CA refs must hold a CA (InvalidKind, InvalidCACertificateRef). */
function caBundle(policy: BackendTLSPolicyObject, model: Model): { error?: string } | 'unknown' {
  if (policy.wellKnownCACertificates === 'System') return {};
  return caRefsBundle(policy.caCertificateRefs, policy.meta.namespace, model);
}

function caRefsBundle(refs: ReadonlyArray<{ group: string; kind: string; name: string }>, ns: string, model: Model): { error?: string } | 'unknown' {
  let supported = false;
  let found = false;
  for (const r of refs) {
    if (r.kind !== 'ConfigMap' && r.kind !== 'Secret' && r.kind !== 'ClusterTrustBundle') continue;
    supported = true;
    if (r.kind === 'ClusterTrustBundle') return 'unknown';
    const obj = r.kind === 'ConfigMap' ? model.snapshot.lookup('ConfigMap', ns, r.name) : model.snapshot.lookup('Secret', ns, r.name);
    if (!obj.found) {
      if (!obj.known) return 'unknown';
      return { error: 'InvalidCACertificateRef' };
    }
    // getFirstMatchOrFirstFromData: ca.crt, else tls.crt, else the only key.
    const text = caText(obj.obj);
    if (text === null) return { error: 'InvalidCACertificateRef' };
    if (text !== '') found = true;
  }
  if (!found) return { error: supported ? 'InvalidCACertificateRef' : 'InvalidKind' };
  return {};
}

function sameAncestor(a: ParentReference, b: ParentReference): boolean {
  return a.name === b.name && a.namespace === b.namespace && (a.sectionName ?? '') === (b.sectionName ?? '') && (a.port ?? 0) === (b.port ?? 0);
}

function addAncestor(ancestors: PolicyAncestorExpectation[], policy: BackendTLSPolicyObject, ref: ParentReference, _route: RouteObject, conditions: ExpectedCondition[]): void {
  const existing = ancestors.find((a) => a.policy === policy && sameAncestor(a.ancestor, ref));
  if (existing) existing.conditions = conditions;
  else ancestors.push({ policy, ancestor: ref, conditions });
  // SetConditionForPolicyAncestors writes the same conditions on every ancestor the policy already has.
  for (const a of ancestors) if (a.policy === policy) a.conditions = conditions;
}

/** Each policy that loses a target to an older one, with the one it loses to, oldest first (once per model). */
const conflictLosers = new WeakMap<Model, Map<BackendTLSPolicyObject, BackendTLSPolicyObject>>();

function policyConflicts(model: Model): Map<BackendTLSPolicyObject, BackendTLSPolicyObject> {
  const cached = conflictLosers.get(model);
  if (cached) return cached;
  const losers = new Map<BackendTLSPolicyObject, BackendTLSPolicyObject>();
  const owner = new Map<string, BackendTLSPolicyObject>();
  for (const p of byAgeThenName(model.snapshot.list('BackendTLSPolicy'))) {
    for (const t of p.targetRefs) {
      const key = `${p.meta.namespace}/${t.group}/${t.kind}/${t.name}/${t.sectionName ?? ''}`;
      const w = owner.get(key);
      if (w) {
        losers.set(p, w);
        break;
      }
      owner.set(key, p);
    }
  }
  conflictLosers.set(model, losers);
  return losers;
}

/** ProcessBackendTLSPolicyStatus: a later policy with the same target (section included) is Conflicted. */
function resolvePolicyConflicts(ancestors: PolicyAncestorExpectation[], model: Model): PolicyAncestorExpectation[] {
  const out = [...ancestors];
  for (const [p, winner] of policyConflicts(model)) {
    for (const a of ancestors.filter((x) => x.policy === winner)) {
      const existing = out.find((x) => x.policy === p && sameAncestor(x.ancestor, a.ancestor));
      const conds = new ConditionSet();
      for (const c of existing?.conditions ?? []) conds.set(c.type, c.status as 'True' | 'False', c.reason);
      conds.set('Accepted', 'False', 'Conflicted');
      if (existing) existing.conditions = conds.list();
      else out.push({ policy: p, ancestor: a.ancestor, conditions: conds.list() });
    }
  }
  return out;
}
