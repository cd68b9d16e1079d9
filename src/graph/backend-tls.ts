// Gateway -> backend TLS: whether the gateway (or load balancer) opens TLS to the backend, and whether it
// verifies the backend's certificate, per implementation:
// - proxies (Envoy Gateway, Istio, ...): BackendTLSPolicy targeting the Service (+ port name), or an Envoy
//   Gateway Backend with tls settings (gateway-tls-domain.md §1.9, §2.2);
// - AWS NLB/ALB: the target-group protocol (TargetGroupConfiguration, or inferred from the route kind); the
//   load balancer never validates target certificates (§2.1).
import type { BackendTLSPolicyObject, ConfigMapObject, EnvoyBackendObject, SecretObject, ServicePort } from '../cluster/objects.ts';
import type { Lookup, Snapshot } from '../cluster/snapshot.ts';
import type { BackendTLS } from '../report/types.ts';
import { decodePemChain, type DecodedChain } from '../tls/certificate.ts';
import type { ResolvedBackend } from './backends.ts';
import { reportCitation, sanValidationClaim } from './providers/conformance.ts';
import type { Implementation } from './providers/index.ts';
import type { TargetGroupChoice } from './providers/aws-lbc-config.ts';

export interface CaRef {
  kind: string;
  name: string;
  namespace: string;
  lookup: Lookup<ConfigMapObject> | null;
  chain?: DecodedChain;
  problem?: string;
  /** Set when the referenced object was not found: known (it does not exist) or not (its kind could not be read). */
  unresolved?: { known: boolean; why: string };
}

export interface PolicyCheck {
  policy: BackendTLSPolicyObject;
  /** Other policies for the same target that lose the conflict. */
  losers: BackendTLSPolicyObject[];
  caRefs: CaRef[];
  problems: string[];
  /** The implementation's conformance report lists BackendTLSPolicySANValidation as unsupported: subjectAltNames are not checked. */
  sanNotChecked?: string;
}

export interface BackendTLSDecision {
  tls: BackendTLS;
  policy?: PolicyCheck;
  /** Policies that exist for this Service but are not used (implementation ignores them, or wrong sectionName). */
  ignoredPolicies: Array<{ policy: BackendTLSPolicyObject; why: string }>;
  envoyBackend?: EnvoyBackendObject;
  targetGroup?: TargetGroupChoice;
  /** Set when the implementation opens TLS without any policy (Traefik: port 443, a port named https*, appProtocol https): why. */
  implicitTls?: string;
  /** false: traffic on this hop certainly fails for a reason visible in the objects. */
  ok: boolean | null;
  why: string;
}

/** Policies in the Service's namespace whose targetRefs name this Service (any port). */
export function policiesForService(snapshot: Snapshot, namespace: string, service: string): BackendTLSPolicyObject[] {
  return snapshot
    .indexBy('BackendTLSPolicy', 'target', (p) => p.targetRefs.filter((t) => t.group === '' && t.kind === 'Service').map((t) => `${p.meta.namespace}/${t.name}`))(`${namespace}/${service}`)
    .filter((p, i, all) => all.indexOf(p) === i);
}

function appliesToPort(p: BackendTLSPolicyObject, service: string, port: ServicePort | undefined): boolean {
  return p.targetRefs.some((t) => t.group === '' && t.kind === 'Service' && t.name === service && (t.sectionName === undefined || t.sectionName === port?.name));
}

/** Conflict resolution: a policy naming the port beats one naming the whole Service; then the oldest; then by name. */
function rank(a: BackendTLSPolicyObject, b: BackendTLSPolicyObject, service: string): number {
  const specific = (p: BackendTLSPolicyObject) => (p.targetRefs.some((t) => t.name === service && t.sectionName !== undefined) ? 0 : 1);
  return specific(a) - specific(b) || (a.meta.creationTimestamp ?? '').localeCompare(b.meta.creationTimestamp ?? '') || a.meta.name.localeCompare(b.meta.name);
}

export function checkPolicy(policy: BackendTLSPolicyObject, losers: BackendTLSPolicyObject[], snapshot: Snapshot, impl: Implementation, now: Date): PolicyCheck {
  const problems: string[] = [];
  const ns = policy.meta.namespace;
  if (!policy.hostname) problems.push('validation.hostname is required (it is the SNI and the name verified)');
  const hasRefs = policy.caCertificateRefs.length > 0;
  if (hasRefs && policy.wellKnownCACertificates) problems.push('caCertificateRefs and wellKnownCACertificates are mutually exclusive');
  if (!hasRefs && !policy.wellKnownCACertificates) problems.push('neither caCertificateRefs nor wellKnownCACertificates is set: nothing to verify the backend against');
  if (policy.wellKnownCACertificates && policy.wellKnownCACertificates !== 'System') problems.push(`wellKnownCACertificates ${policy.wellKnownCACertificates} is not the core value System`);
  // ConfigMap is the core kind; Envoy Gateway also reads Secrets (implementation-specific).
  const secretsAccepted = impl.id === 'envoy-gateway' || impl.id === 'calico';
  const caRefs: CaRef[] = policy.caCertificateRefs.map((r) => caRef(r, ns, secretsAccepted, snapshot, now));
  for (const c of caRefs) if (c.problem) problems.push(c.problem);
  const out: PolicyCheck = { policy, losers, caRefs, problems };
  const claim = policy.subjectAltNames.length > 0 ? sanValidationClaim(impl.id) : undefined;
  if (claim && !claim.supported) out.sanNotChecked = `${impl.name} does not check validation.subjectAltNames: the conformance report of ${claim.release} lists BackendTLSPolicySANValidation as unsupported (${reportCitation(claim)}); see GWTLS-BTLS-012`;
  return out;
}

function caRef(r: { group: string; kind: string; name: string }, ns: string, secretsAccepted: boolean, snapshot: Snapshot, now: Date): CaRef {
  const base = { kind: r.kind, name: r.name, namespace: ns };
  if (r.group !== '' || (r.kind !== 'ConfigMap' && !(r.kind === 'Secret' && secretsAccepted))) {
    return { ...base, lookup: null, problem: `caCertificateRefs ${r.kind} ${r.name}: only ConfigMap (key ca.crt) is portable (ResolvedRefs=False, InvalidKind)` };
  }
  const lookup = r.kind === 'Secret' ? snapshot.lookup('Secret', ns, r.name) : snapshot.lookup('ConfigMap', ns, r.name);
  if (!lookup.found) {
    const out: CaRef = { ...base, lookup: null, unresolved: { known: lookup.known, why: lookup.why } };
    if (lookup.known) out.problem = `${lookup.why} (ResolvedRefs=False, InvalidCACertificateRef; CA references are local: a CA in another namespace cannot be used)`;
    return out;
  }
  const out: CaRef = { ...base, lookup: lookup.obj.kind === 'ConfigMap' ? (lookup as Lookup<ConfigMapObject>) : null };
  // Envoy Gateway reads ca.crt, else tls.crt, else the only key there is (getFirstMatchOrFirstFromData,
  // internal/gatewayapi/helpers.go v1.9.1), and checks only that there is something to read.
  const fallback = lookup.obj.caCrt === undefined && secretsAccepted ? envoyFallbackKey(lookup.obj) : undefined;
  const key = lookup.obj.caCrt !== undefined ? 'ca.crt' : fallback?.key;
  const text = lookup.obj.caCrt ?? fallback?.text;
  if (key === undefined || text === undefined) {
    out.problem = `${r.kind} ${ns}/${r.name} has no key ca.crt`;
    return out;
  }
  out.chain = decodePemChain(text, `${r.kind.toLowerCase()} ${ns}/${r.name}`, now);
  if (out.chain.certs.length === 0) {
    out.problem =
      key === 'ca.crt'
        ? `${r.kind} ${ns}/${r.name} ca.crt holds no readable certificate (${out.chain.errors.join('; ')})`
        : `${r.kind} ${ns}/${r.name} has no key ca.crt; Envoy Gateway takes its key ${key} instead, which holds no readable certificate (${out.chain.errors.join('; ')}): Envoy Gateway accepts the policy and Envoy cannot load the CA`;
  }
  return out;
}

function envoyFallbackKey(o: ConfigMapObject | SecretObject): { key: string; text: string } | undefined {
  if (o.kind === 'ConfigMap') {
    if (o.data['tls.crt'] !== undefined) return { key: 'tls.crt', text: o.data['tls.crt'] };
    const keys = Object.keys(o.data);
    return keys.length === 1 ? { key: keys[0]!, text: o.data[keys[0]!]! } : undefined;
  }
  return o.tlsCrt !== undefined ? { key: 'tls.crt', text: o.tlsCrt } : undefined;
}

export function proxyBackendTLS(backend: ResolvedBackend, impl: Implementation, passthrough: boolean, snapshot: Snapshot, now: Date, routeKind?: string): BackendTLSDecision {
  if (passthrough) {
    const wrapped = impl.id === 'envoy-gateway' || impl.id === 'calico' ? passthroughOrigination(backend, impl, snapshot, now, routeKind) : undefined;
    if (wrapped) return wrapped;
    return { tls: { mode: 'tls', verified: null, by: 'passthrough: the client TLS session reaches the backend unchanged' }, ignoredPolicies: [], ok: null, why: 'TLS passes through to the backend, which must serve a certificate the client trusts' };
  }
  if (backend.type === 'envoy-backend') {
    const b = backend.envoyBackend?.found ? backend.envoyBackend.obj : undefined;
    if (!b) return { tls: { mode: 'unknown', verified: null, by: 'Envoy Gateway Backend not found' }, ignoredPolicies: [], ok: backend.resolved === false ? false : null, why: backend.why };
    const id = `Backend ${b.meta.namespace}/${b.meta.name}`;
    if (!b.tls) return { tls: { mode: 'none', verified: null, by: `${id} has no tls settings` }, ignoredPolicies: [], envoyBackend: b, ok: null, why: `${id} sends plaintext` };
    const trust = b.tls.caCertificateRefs.map((r) => `${r.kind} ${b.meta.namespace}/${r.name}`).concat(b.tls.wellKnownCACertificates ? [b.tls.wellKnownCACertificates] : []);
    const tls: BackendTLS = { mode: 'tls', verified: !b.tls.insecureSkipVerify, by: `${id}${b.tls.insecureSkipVerify ? ' (insecureSkipVerify: true)' : ''}`, trust };
    if (b.tls.sni) tls.hostname = b.tls.sni;
    const invalid = !b.tls.insecureSkipVerify && trust.length === 0;
    return {
      tls,
      ignoredPolicies: [],
      envoyBackend: b,
      ok: invalid ? false : null,
      why: invalid
        ? `${id} sets tls without insecureSkipVerify or a CA: Envoy Gateway rejects it ("CACertificate must be specified when InsecureSkipVerify is false")`
        : b.tls.insecureSkipVerify
          ? `${id} originates TLS and skips verification of the backend certificate`
          : `${id} originates TLS and verifies against ${trust.join(', ')}`,
    };
  }
  const svc = backend.service?.found ? backend.service.obj : undefined;
  if (!svc) return { tls: { mode: 'unknown', verified: null, by: backend.type === 'other' ? backend.why : 'Service not resolved' }, ignoredPolicies: [], ok: null, why: backend.why };
  const all = policiesForService(snapshot, svc.meta.namespace, svc.meta.name);
  const applicable = all.filter((p) => appliesToPort(p, svc.meta.name, backend.servicePort)).sort((a, b) => rank(a, b, svc.meta.name));
  const ignoredPolicies = all
    .filter((p) => !applicable.includes(p))
    .map((p) => ({ policy: p, why: `targets Service ${svc.meta.name} sectionName ${p.targetRefs.find((t) => t.name === svc.meta.name)?.sectionName}, but the route uses port ${backend.servicePort?.name ? `named ${backend.servicePort.name}` : `${backend.ref.port} (unnamed)`}` }));
  const readsPolicies = !routeKind || !impl.backendTLSPolicyRouteKinds || (impl.backendTLSPolicyRouteKinds as readonly string[]).includes(routeKind);
  if (!readsPolicies) {
    const only = `${impl.name} reads BackendTLSPolicy only for ${impl.backendTLSPolicyRouteKinds!.join(' and ')} backends, not ${routeKind}`;
    ignoredPolicies.push(...applicable.map((p) => ({ policy: p, why: only })));
    return { tls: { mode: 'none', verified: null, by: applicable.length ? `BackendTLSPolicy ${applicable[0]!.meta.namespace}/${applicable[0]!.meta.name} is ignored: ${only}` : `${routeKind} backends get plaintext on ${impl.name}` }, ignoredPolicies, ok: null, why: `${impl.name} sends the ${routeKind} stream to the backend as it is` };
  }
  const [winner, ...rest] = applicable;
  // Only policies for the same target and sectionName conflict (BackendTLSPolicySpec.targetRefs, apis/v1@v1.6.1):
  // a whole-Service policy is not Conflicted by a port-specific one; it stays Accepted and covers the other ports.
  const portSpecific = (p: BackendTLSPolicyObject) => p.targetRefs.some((t) => t.group === '' && t.kind === 'Service' && t.name === svc.meta.name && t.sectionName !== undefined);
  const losers = winner ? rest.filter((p) => portSpecific(p) === portSpecific(winner)) : [];
  const implicit = !winner ? impl.upstreamTlsWithoutPolicy?.(backend.servicePort) : null;
  if (implicit) {
    const by = `no BackendTLSPolicy targets Service ${svc.meta.namespace}/${svc.meta.name}${backend.servicePort?.name ? ` port ${backend.servicePort.name}` : ''}, but ${impl.name} speaks HTTPS to it (${implicit})`;
    return { tls: { mode: 'tls', verified: true, by, trust: ['System'] }, ignoredPolicies, implicitTls: implicit, ok: null, why: `${impl.name} opens TLS to the backend because of its ${implicit} and verifies it against the system roots and the endpoint's IP address (its default ServersTransport sets no server name): a private or self-signed backend certificate fails` };
  }
  if (!winner) {
    return { tls: { mode: 'none', verified: null, by: `no BackendTLSPolicy targets Service ${svc.meta.namespace}/${svc.meta.name}${backend.servicePort?.name ? ` port ${backend.servicePort.name}` : ''}` }, ignoredPolicies, ok: null, why: 'the gateway sends plaintext to the backend' };
  }
  const id = `BackendTLSPolicy ${winner.meta.namespace}/${winner.meta.name}`;
  if (impl.supportsBackendTLSPolicy === false) {
    ignoredPolicies.push(...applicable.map((p) => ({ policy: p, why: `${impl.name} does not support BackendTLSPolicy` })));
    return { tls: { mode: 'none', verified: null, by: `${id} is ignored: ${impl.name} does not support BackendTLSPolicy` }, ignoredPolicies, ok: null, why: `${impl.name} ignores ${id} and sends plaintext` };
  }
  const check = checkPolicy(winner, losers, snapshot, impl, now);
  const trust = winner.caCertificateRefs.length ? winner.caCertificateRefs.map((r) => `${r.kind} ${winner.meta.namespace}/${r.name}`) : winner.wellKnownCACertificates ? [winner.wellKnownCACertificates] : [];
  const tls: BackendTLS = { mode: 'tls', verified: true, by: id, trust };
  if (winner.hostname) tls.hostname = winner.hostname;
  const san = winner.subjectAltNames.map((s) => s.hostname ?? s.uri).filter(Boolean);
  return {
    tls,
    policy: check,
    ignoredPolicies,
    ok: check.problems.length ? false : null,
    why: check.problems.length
      ? `${id} is invalid (${check.problems.join('; ')}); the gateway must fail these connections rather than fall back to plaintext`
      : `${id} originates TLS with SNI ${winner.hostname} and verifies ${san.length ? `SAN ${san.join(', ')}` : `hostname ${winner.hostname}`} against ${trust.join(', ')}`,
  };
}

export function loadBalancerBackendTLS(backend: ResolvedBackend, choice: TargetGroupChoice | undefined, passthroughListener: boolean, impl: Implementation, snapshot: Snapshot): BackendTLSDecision {
  const svc = backend.service?.found ? backend.service.obj : undefined;
  const ignoredPolicies = svc
    ? policiesForService(snapshot, svc.meta.namespace, svc.meta.name).map((p) => ({ policy: p, why: `${impl.name} does not support BackendTLSPolicy; the target-group protocol decides` }))
    : [];
  if (!choice) return { tls: { mode: 'unknown', verified: null, by: backend.why }, ignoredPolicies, ok: null, why: backend.why };
  const tlsTarget = choice.protocol === 'TLS' || choice.protocol === 'HTTPS';
  if (passthroughListener) {
    if (tlsTarget) {
      return {
        tls: { mode: 'tls', verified: false, by: choice.source },
        ignoredPolicies,
        targetGroup: choice,
        ok: false,
        why: `the passthrough listener becomes an NLB TCP listener, but ${choice.source}: AWS rejects the pair (IncompatibleProtocols; aws-load-balancer-controller issue 4556)`,
      };
    }
    return { tls: { mode: 'tls', verified: null, by: 'passthrough: the NLB forwards the client TLS session over TCP' }, ignoredPolicies, targetGroup: choice, ok: null, why: 'TLS passes through the NLB (TCP listener and target group) to the pods' };
  }
  if (tlsTarget) {
    return {
      tls: { mode: 'tls', verified: false, by: choice.source },
      ignoredPolicies,
      targetGroup: choice,
      ok: null,
      why: `${choice.source}: the load balancer opens TLS to the targets and does not validate their certificates`,
    };
  }
  return { tls: { mode: 'none', verified: null, by: choice.source }, ignoredPolicies, targetGroup: choice, ok: null, why: `${choice.source}: the load balancer sends plaintext to the targets` };
}

/**
 * Envoy Gateway applies a BackendTLSPolicy (or a Backend's tls) to the backend of a passthrough TLSRoute too:
 * the route's cluster gets an UpstreamTlsContext (internal/gatewayapi/route.go processDestination applies it
 * for every route kind; internal/xds/translator builds the cluster from it), so Envoy opens its own TLS session
 * to the backend and carries the client's TLS session inside it. The backend, which expects the client's
 * ClientHello, receives Envoy's: the path fails. Found by the differential test against egctl (test/oracle).
 */
function passthroughOrigination(backend: ResolvedBackend, impl: Implementation, snapshot: Snapshot, now: Date, routeKind?: string): BackendTLSDecision | undefined {
  const inner = proxyBackendTLS(backend, impl, false, snapshot, now, routeKind);
  if (inner.tls.mode !== 'tls') return undefined;
  const source = inner.policy ? `BackendTLSPolicy ${inner.policy.policy.meta.namespace}/${inner.policy.policy.meta.name}` : inner.envoyBackend ? `Backend ${inner.envoyBackend.meta.namespace}/${inner.envoyBackend.meta.name} (tls)` : inner.tls.by;
  return {
    ...inner,
    ok: false,
    why: `the listener passes the client's TLS through, but ${impl.name} applies ${source} to this backend as well: Envoy opens its own TLS session to the backend and sends the client's TLS inside it, so the backend receives Envoy's ClientHello instead of the client's. Remove the policy (or the Backend's tls) for a passthrough backend, or terminate TLS at the listener`,
  };
}

