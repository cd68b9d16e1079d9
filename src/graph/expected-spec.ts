// The status the Gateway API spec asks of any implementation (apis/v1 gateway_types.go, shared_types.go,
// backendtlspolicy_types.go @v1.6.1; gateway-tls-domain.md §1.10), from the objects alone. Implementations
// add their own reasons and conditions; the Envoy Gateway profile (expected-envoy.ts) models one of them.
import type { ExpectedCondition } from '../report/types.ts';
import type { BackendTLSPolicyObject } from '../cluster/objects.ts';
import { ConditionSet, type GatewayExpectations, type ListenerExpectation, type PolicyAncestorExpectation, type RouteParent } from './expected-core.ts';
import type { GatewayModel, ListenerModel, Model } from './model.ts';
import type { ResolvedBackend } from './backends.ts';
// The Gateway's spec.tls references resolve the same way for any implementation (GEP-91 frontend validation,
// GEP-3155 backend client certificate); the Envoy Gateway profile's reading of them is shared.
import { backendClientCertificate, frontendErrorFor, frontendTls, type FrontendTls } from './gateway-tls-refs.ts';

const GATEWAY_ADDRESS_TYPES = new Set(['IPAddress', 'Hostname']);

export function specExpectations(gm: GatewayModel, parents: RouteParent[], model: Model): GatewayExpectations {
  const basis = `the Gateway API specification (v1.6), for ${gm.impl.name}`;
  // An address type the implementation does not support: Accepted=False, UnsupportedAddress (apis/v1
  // GatewayReasonUnsupportedAddress; conformance GatewayStaticAddresses). The spec defines only the core types.
  if (gm.obj.specAddresses.some((a) => a.type !== undefined && !GATEWAY_ADDRESS_TYPES.has(a.type))) {
    return { profile: 'gateway-api', basis, gateway: [{ type: 'Accepted', status: 'False', reason: 'UnsupportedAddress' }], listeners: new Map(gm.listeners.map((lm) => [lm, { conditions: [], attachedRoutes: 0 }])), parents: new Map(), policies: [] };
  }
  const frontend = frontendTls(gm.obj, model);
  const conflicts = listenerConflicts(gm.listeners);
  const listeners = new Map<ListenerModel, ListenerExpectation>();
  for (const lm of gm.listeners) listeners.set(lm, { conditions: listenerConditions(lm, conflicts.get(lm), frontend), attachedRoutes: 0 });
  const parentConds = new Map<RouteParent['parent'], ExpectedCondition[]>();
  const policies: PolicyAncestorExpectation[] = [];
  for (const { route, parent } of parents) {
    const conds = new ConditionSet();
    conds.set('Accepted', parent.accepted ? 'True' : 'False', parent.reason === 'GatewayUnknown' || parent.reason === 'GatewayNotFound' ? 'NoMatchingParent' : parent.reason);
    const refs = resolvedRefs(route.backends);
    if (refs) conds.set('ResolvedRefs', refs.status, refs.reason);
    parentConds.set(parent, conds.list());
    for (const l of parent.listeners) {
      if (!l.accepted) continue;
      const lm = gm.listeners.find((x) => x.spec === l.listener);
      if (lm) listeners.get(lm)!.attachedRoutes++;
    }
  }
  for (const lm of gm.listeners) {
    for (const hop of lm.backends) {
      const p = hop.tls.policy;
      if (!p) continue;
      const ref = hop.attachment.parent.ref;
      if (policies.some((x) => x.policy === p.policy && x.ancestor.name === ref.name && x.ancestor.namespace === ref.namespace)) continue;
      policies.push({ policy: p.policy, ancestor: { group: ref.group, kind: ref.kind, namespace: ref.namespace, name: ref.name }, conditions: policyConditions(p.policy, p.problems, p.caRefs) });
      for (const loser of p.losers) {
        policies.push({ policy: loser, ancestor: { group: ref.group, kind: ref.kind, namespace: ref.namespace, name: ref.name }, conditions: [{ type: 'Accepted', status: 'False', reason: 'Conflicted' }] });
      }
    }
  }
  const accepted = gm.listeners.map((lm) => listeners.get(lm)!.conditions.some((c) => c.type === 'Accepted' && c.status === 'True'));
  const gateway = new ConditionSet();
  gatewayTlsConditions(gm, model, frontend, gateway);
  const params = parametersRefState(gm, model);
  if (params === 'missing') gateway.set('Accepted', 'False', 'InvalidParameters');
  else if (params === 'unknown') {
    // Not predicted: whether the implementation supports the referent's kind is not in the objects.
  } else if (accepted.every(Boolean)) gateway.set('Accepted', 'True', 'Accepted');
  else if (accepted.some(Boolean)) gateway.set('Accepted', 'True', 'ListenersNotValid');
  else gateway.set('Accepted', 'False', 'ListenersNotValid');
  return {
    profile: 'gateway-api',
    basis,
    gateway: gateway.list(),
    listeners,
    parents: parentConds,
    policies,
  };
}

/** Conflicted (apis/v1 ListenerConditionConflicted): same port, different protocol families, or same hostname. */
function listenerConflicts(listeners: ListenerModel[]): Map<ListenerModel, string> {
  const out = new Map<ListenerModel, string>();
  const family = (p: string) => (p === 'HTTPS' || p === 'TLS' ? 'https/tls' : p);
  const byPort = new Map<number, ListenerModel[]>();
  for (const lm of listeners) {
    const list = byPort.get(lm.spec.port) ?? [];
    if (list.length === 0) byPort.set(lm.spec.port, list);
    list.push(lm);
  }
  for (const list of byPort.values()) {
    const nonUdp = list.filter((l) => l.spec.protocol !== 'UDP');
    if (new Set(nonUdp.map((l) => family(l.spec.protocol))).size > 1) {
      for (const l of nonUdp) out.set(l, 'ProtocolConflict');
      continue;
    }
    const seen = new Map<string, number>();
    for (const l of list) seen.set(`${l.spec.protocol}/${l.spec.hostname ?? ''}`, (seen.get(`${l.spec.protocol}/${l.spec.hostname ?? ''}`) ?? 0) + 1);
    for (const l of list) if ((seen.get(`${l.spec.protocol}/${l.spec.hostname ?? ''}`) ?? 0) > 1) out.set(l, 'HostnameConflict');
  }
  return out;
}

/**
 * The Gateway's spec.tls: ResolvedRefs from the backend client certificate (GatewayReasonInvalidClientCertificateRef,
 * RefNotPermitted; conformance GatewayInvalidTLSBackendConfiguration, GatewayTLSBackendClientCertificate), and
 * InsecureFrontendValidationMode when a resolved frontend validation allows an insecure fallback (conformance
 * GatewayFrontendClientCertificateValidationInsecureFallback). An unresolvable frontend CA is the listener's.
 */
function gatewayTlsConditions(gm: GatewayModel, model: Model, frontend: FrontendTls | undefined, out: ConditionSet): void {
  const ref = gm.obj.backendClientCertificateRef;
  if (ref) {
    const backend = backendClientCertificate(gm.obj, ref, model);
    if (backend) out.set('ResolvedRefs', backend.status, backend.reason);
  }
  if (frontend?.insecureFallback) out.set('InsecureFrontendValidationMode', 'True', 'ConfigurationChanged');
}

/**
 * spec.infrastructure.parametersRef: a referent that cannot be found, or of a kind the implementation does not
 * support, gets Accepted=False, InvalidParameters (apis/v1 GatewayInfrastructure.ParametersRef; conformance
 * GatewayInvalidParametersRef). A ConfigMap (the one core kind) is looked up; the AWS Load Balancer Controller's
 * LoadBalancerConfiguration is resolved by its provider; any other kind is the implementation's own, which the
 * objects do not describe: Accepted is then not predicted rather than guessed.
 */
function parametersRefState(gm: GatewayModel, model: Model): 'ok' | 'missing' | 'unknown' {
  const ref = gm.obj.infrastructureParametersRef;
  if (!ref) return 'ok';
  const lookup = ref.group === '' && ref.kind === 'ConfigMap' ? model.snapshot.lookup('ConfigMap', gm.obj.meta.namespace, ref.name) : gm.lbc?.gatewayConfig?.lookup;
  if (!lookup) return 'unknown';
  if (lookup.found) return 'ok';
  return lookup.known && ref.kind === 'ConfigMap' ? 'missing' : 'unknown';
}

function listenerConditions(lm: ListenerModel, conflict: string | undefined, frontend: FrontendTls | undefined): ExpectedCondition[] {
  const c = new ConditionSet();
  // Frontend client-certificate validation that does not resolve refuses the HTTPS listener it applies to
  // (ListenerReasonNoValidCACertificate; ResolvedRefs InvalidCACertificateRef / InvalidCACertificateKind /
  // RefNotPermitted; conformance GatewayInvalidFrontendClientCertificateValidation).
  const caProblem = lm.set ? null : frontendErrorFor(frontend, lm.spec);
  if (lm.kinds.unsupportedProtocol) c.set('Accepted', 'False', 'UnsupportedProtocol');
  else if (caProblem) c.set('Accepted', 'False', 'NoValidCACertificate');
  else c.set('Accepted', 'True', 'Accepted');
  const certProblem = certificateRefsReason(lm);
  if (lm.kinds.invalid.length > 0) c.set('ResolvedRefs', 'False', 'InvalidRouteKinds');
  else if (certProblem) c.set('ResolvedRefs', 'False', certProblem);
  else if (caProblem) c.set('ResolvedRefs', 'False', caProblem === 'NoValidCACertificate' ? 'InvalidCACertificateRef' : caProblem);
  else c.set('ResolvedRefs', 'True', 'ResolvedRefs');
  // Conflicted=False may be absent (Gateway API v1.6, gateway-api#4642): only a conflict is predicted.
  if (conflict) c.set('Conflicted', 'True', conflict);
  const ok = c.has('Accepted', 'True') && c.has('ResolvedRefs', 'True') && !conflict;
  c.set('Programmed', ok ? 'True' : 'False', ok ? 'Programmed' : 'Invalid');
  return c.list();
}

/** InvalidCertificateRef when a ref is unusable; RefNotPermitted when a cross-namespace ref has no grant. */
function certificateRefsReason(lm: ListenerModel): string | null {
  const terminates = lm.spec.protocol === 'HTTPS' || (lm.spec.protocol === 'TLS' && lm.spec.tls?.mode !== 'Passthrough');
  if (!terminates || !lm.gateway.impl.readsCertificateRefs) return null;
  if (lm.certRefs.some((r) => r.state === 'not-permitted')) return 'RefNotPermitted';
  if (lm.certRefs.some((r) => r.state !== 'ok' && r.state !== 'unknown' && r.state !== 'ignored')) return 'InvalidCertificateRef';
  return null;
}

function resolvedRefs(backends: ResolvedBackend[]): { status: 'True' | 'False'; reason: string } | null {
  for (const b of backends) {
    if (b.grant.allowed === false) return { status: 'False', reason: 'RefNotPermitted' };
    if (b.type === 'other') return { status: 'False', reason: 'InvalidKind' };
    if (b.resolved === false) return { status: 'False', reason: b.problems.some((p) => p.problem === 'missing') ? 'BackendNotFound' : 'UnsupportedValue' };
  }
  if (backends.some((b) => b.resolved === null && b.type !== 'other')) return null;
  return { status: 'True', reason: 'ResolvedRefs' };
}

function policyConditions(_p: BackendTLSPolicyObject, problems: string[], caRefs: Array<{ problem?: string; lookup: unknown; unresolved?: { known: boolean } }>): ExpectedCondition[] {
  const c = new ConditionSet();
  const badKind = caRefs.some((r) => r.problem?.includes('InvalidKind'));
  const missing = caRefs.some((r) => r.unresolved?.known === true || (r.problem && !r.problem.includes('InvalidKind')));
  if (badKind) {
    c.set('Accepted', 'False', 'NoValidCACertificate');
    c.set('ResolvedRefs', 'False', 'InvalidKind');
  } else if (missing) {
    c.set('Accepted', 'False', 'NoValidCACertificate');
    c.set('ResolvedRefs', 'False', 'InvalidCACertificateRef');
  } else if (problems.length > 0) {
    c.set('Accepted', 'False', 'Invalid');
    c.set('ResolvedRefs', 'True', 'ResolvedRefs');
  } else {
    c.set('Accepted', 'True', 'Accepted');
    c.set('ResolvedRefs', 'True', 'ResolvedRefs');
  }
  return c.list();
}
