// backendRefs -> Service (port, targetPort) -> EndpointSlices -> Pods, or an Envoy Gateway Backend, or a kind
// the tool names but does not follow.
import type { RouteKind } from '../cluster/kinds.ts';
import type { BackendReference, EndpointSliceObject, EnvoyBackendObject, PodObject, RouteObject, SecretObject, ServiceObject, ServicePort } from '../cluster/objects.ts';
import type { Lookup, Snapshot } from '../cluster/snapshot.ts';
import type { Pod } from '../report/types.ts';
import type { DecodedCert, DecodedChain } from '../tls/certificate.ts';
import { checkGrant, type GrantCheck } from './grants.ts';
import type { CertificateDecoder } from './listener-certs.ts';
import { isEnvoyBackend } from './providers/index.ts';
import { mapSelectorMatches } from './selectors.ts';

export type BackendProblem =
  | 'port-missing'
  | 'port-not-found'
  | 'external-name'
  | 'no-selector'
  | 'selector-matches-nothing'
  | 'named-target-port'
  | 'no-ready-endpoints'
  | 'not-permitted'
  | 'missing'
  | 'unsupported-kind';

export interface ResolvedBackend {
  ref: BackendReference;
  rule: number;
  index: number;
  type: 'service' | 'envoy-backend' | 'other';
  grant: GrantCheck;
  service?: Lookup<ServiceObject>;
  servicePort?: ServicePort;
  envoyBackend?: Lookup<EnvoyBackendObject>;
  endpoints: { ready: number; total: number } | null;
  /** Where the endpoint counts come from. */
  endpointsFrom?: 'endpointslices' | 'pods';
  /** Why a Service's endpoints could not be counted (`endpoints` null): its EndpointSlices (and, with a selector, its Pods) were not read. */
  endpointsNotChecked?: string;
  pods: Pod[];
  /** Pods selected by the Service (only computed when needed to explain a problem). */
  selectedPods?: PodObject[];
  resolved: boolean | null;
  problems: Array<{ problem: BackendProblem; why: string }>;
  why: string;
  /** What a probe of the backend saw (inspect --probe): the strongest evidence of what it speaks. */
  observation?: BackendObservation;
}

/** What probing a backend's target port (through the API server's port-forward) showed. */
export interface BackendObservation {
  /** tls: a TLS server answered; plaintext: another protocol answered; refused: nothing listens; failed: no verdict (aborted handshake, timeout). */
  speaks: 'tls' | 'plaintext' | 'refused' | 'failed';
  /** The chain as served, leaf first (empty when none was). */
  chain: DecodedCert[];
  /** Where it was probed, e.g. `pod apps/app-1 port 8443`. */
  where: string;
  /** The SNI sent. */
  sni: string | null;
  /** What the probe saw, in words. */
  summary: string;
  /** The protocol that answered instead of TLS (`plain HTTP`, `PostgreSQL`, ...). */
  protocol?: string | null;
}

/** The key of an observation: the Service port a backendRef uses. */
export function observationKey(namespace: string, service: string, port: number): string {
  return `${namespace}/${service}:${port}`;
}

/** Attaches what a probe saw to a backend (and forgets evidence computed without it). */
export function observeBackend(backend: ResolvedBackend, observation: BackendObservation): void {
  backend.observation = observation;
  evidenceCache.delete(backend);
}

export function resolveBackends(route: RouteObject, snapshot: Snapshot): ResolvedBackend[] {
  const out: ResolvedBackend[] = [];
  for (const rule of route.rules) rule.backendRefs.forEach((ref, index) => out.push(resolveBackend(route, ref, rule.index, index, snapshot)));
  return out;
}

function resolveBackend(route: RouteObject, ref: BackendReference, rule: number, index: number, snapshot: Snapshot): ResolvedBackend {
  const grant = checkGrant(snapshot, { group: 'gateway.networking.k8s.io', kind: route.kind, namespace: route.meta.namespace }, { group: ref.group, kind: ref.kind, namespace: ref.namespace, name: ref.name });
  const base = { ref, rule, index, grant, endpoints: null, pods: [] as Pod[], problems: [] as ResolvedBackend['problems'] };
  if (isEnvoyBackend(ref.group, ref.kind)) {
    const envoyBackend = snapshot.lookup('Backend', ref.namespace, ref.name);
    const out: ResolvedBackend = { ...base, type: 'envoy-backend', envoyBackend, resolved: envoyBackend.found ? true : envoyBackend.known ? false : null, why: '' };
    if (!envoyBackend.found) {
      out.why = envoyBackend.why;
      if (envoyBackend.known) out.problems.push({ problem: 'missing', why: envoyBackend.why });
    } else {
      const eps = envoyBackend.obj.endpoints.map((e) => (e.fqdn ? `${e.fqdn.hostname}:${e.fqdn.port ?? '?'}` : e.ip ? `${e.ip.address}:${e.ip.port ?? '?'}` : (e.unix?.path ?? '?')));
      out.why = `Envoy Gateway Backend ${ref.namespace}/${ref.name} -> ${eps.join(', ') || 'no endpoints'}`;
    }
    addGrantProblem(out, route.kind);
    return out;
  }
  if (ref.group !== '' || ref.kind !== 'Service') {
    return { ...base, type: 'other', resolved: null, why: `${ref.kind}${ref.group ? `.${ref.group}` : ''} ${ref.namespace}/${ref.name} is not followed by this tool` };
  }
  const service = snapshot.lookup('Service', ref.namespace, ref.name);
  const out: ResolvedBackend = { ...base, type: 'service', service, resolved: null, why: '' };
  addGrantProblem(out, route.kind);
  if (!service.found) {
    out.resolved = service.known ? false : null;
    out.why = service.why;
    if (service.known) out.problems.push({ problem: 'missing', why: service.why });
    return out;
  }
  const svc = service.obj;
  if (svc.type === 'ExternalName') {
    out.problems.push({ problem: 'external-name', why: `Service ${ref.namespace}/${ref.name} is type ExternalName (${svc.externalName ?? '?'}); implementations should not follow it (CVE-2021-25740)` });
  }
  if (ref.port === undefined) {
    out.problems.push({ problem: 'port-missing', why: `backendRefs to a Service must set port` });
  } else {
    const port = svc.ports.find((p) => p.port === ref.port);
    if (!port) {
      const byTarget = svc.ports.find((p) => p.targetPort === ref.port);
      out.problems.push({
        problem: 'port-not-found',
        why: `Service ${ref.namespace}/${ref.name} has no port ${ref.port} (ports: ${svc.ports.map((p) => p.port).join(', ') || 'none'})${byTarget ? `; ${ref.port} is the targetPort of port ${byTarget.port}: backendRefs name the Service port` : ''}`,
      });
    } else {
      out.servicePort = port;
    }
  }
  endpointsOf(out, svc, snapshot);
  const blocking = out.problems.filter((p) => p.problem !== 'no-ready-endpoints' && p.problem !== 'named-target-port' && p.problem !== 'selector-matches-nothing');
  out.resolved = out.grant.allowed === false ? false : blocking.length === 0;
  out.why = out.problems.length ? out.problems.map((p) => p.why).join('; ') : `Service ${ref.namespace}/${ref.name}:${ref.port}`;
  return out;
}

function addGrantProblem(out: ResolvedBackend, routeKind: RouteKind): void {
  if (out.grant.allowed === false) out.problems.push({ problem: 'not-permitted', why: `${routeKind} in another namespace may not reference ${out.ref.kind} ${out.ref.namespace}/${out.ref.name}: ${out.grant.why}` });
}

function endpointsOf(out: ResolvedBackend, svc: ServiceObject, snapshot: Snapshot): void {
  const ns = svc.meta.namespace;
  const slicesCov = snapshot.coverage('EndpointSlice', ns);
  const slices = snapshot.indexBy('EndpointSlice', 'service', (s) => (s.serviceName ? [`${s.meta.namespace}/${s.serviceName}`] : []))(`${ns}/${svc.meta.name}`);
  const portName = out.servicePort?.name ?? '';
  if (slices.length > 0 || (slicesCov.complete && svc.selector !== undefined)) {
    fromSlices(out, slices, portName, snapshot);
  } else if (svc.selector !== undefined) {
    fromPods(out, svc, snapshot);
  } else if (slicesCov.complete) {
    out.endpoints = { ready: 0, total: 0 };
  }
  if (out.endpoints === null && svc.type !== 'ExternalName' && !slicesCov.complete) {
    const podsCov = svc.selector !== undefined ? snapshot.coverage('Pod', ns) : undefined;
    out.endpointsNotChecked = [slicesCov.why, ...(podsCov && !podsCov.complete ? [podsCov.why] : [])].join('; ');
  }
  // Without EndpointSlices in the input, a Service without a selector may well have slices of its own: not checked.
  if (svc.selector === undefined && slices.length === 0 && svc.type !== 'ExternalName' && slicesCov.complete) {
    out.problems.push({ problem: 'no-selector', why: `Service ${ns}/${svc.meta.name} has no selector and no EndpointSlices` });
  }
  const tp = out.servicePort?.targetPort;
  const needPods = svc.selector !== undefined && (typeof tp === 'string' || out.endpoints?.total === 0);
  if (needPods && snapshot.coverage('Pod', ns).complete) {
    const selected = selectedPods(svc, snapshot);
    out.selectedPods = selected;
    if (selected.length === 0 && Object.keys(svc.selector ?? {}).length > 0) {
      out.problems.push({ problem: 'selector-matches-nothing', why: `selector ${Object.entries(svc.selector ?? {}).map(([k, v]) => `${k}=${v}`).join(',')} of Service ${ns}/${svc.meta.name} matches no Pod` });
    } else if (typeof tp === 'string') {
      const lacking = selected.filter((p) => !p.containerPorts.some((c) => c.name === tp));
      if (lacking.length > 0) {
        out.problems.push({ problem: 'named-target-port', why: `targetPort ${tp} is a port name, and ${lacking.length} of ${selected.length} selected Pods declare no container port named ${tp} (e.g. ${lacking[0]!.meta.name})` });
      }
    }
  }
  if (out.endpoints && out.endpoints.ready === 0 && !out.problems.some((p) => p.problem === 'selector-matches-nothing' || p.problem === 'no-selector')) {
    out.problems.push({
      problem: 'no-ready-endpoints',
      why: out.endpoints.total === 0 ? `Service ${ns}/${svc.meta.name} has no endpoints` : `none of the ${out.endpoints.total} endpoints of Service ${ns}/${svc.meta.name} is ready`,
    });
  }
}

function fromSlices(out: ResolvedBackend, slices: EndpointSliceObject[], portName: string, snapshot: Snapshot): void {
  const seen = new Map<string, Pod>();
  for (const slice of slices) {
    // A slice lists the endpoints of the ports it names; match the Service port by name ('' when unnamed).
    if (slice.ports.length > 0 && !slice.ports.some((p) => (p.name ?? '') === portName)) continue;
    for (const ep of slice.endpoints) {
      const key = ep.targetRef ? `${ep.targetRef.namespace ?? slice.meta.namespace}/${ep.targetRef.name}` : (ep.addresses[0] ?? '');
      if (seen.has(key)) continue;
      const podObj = ep.targetRef?.kind === 'Pod' ? snapshot.get('Pod', ep.targetRef.namespace ?? slice.meta.namespace, ep.targetRef.name) : undefined;
      const pod: Pod = {
        name: ep.targetRef?.name ?? ep.addresses[0] ?? '?',
        namespace: ep.targetRef?.namespace ?? slice.meta.namespace,
        // EndpointConditions.ready: "nil should be interpreted as true".
        ready: ep.ready ?? true,
      };
      const node = ep.nodeName ?? podObj?.nodeName;
      if (node) pod.node = node;
      const ip = ep.addresses[0] ?? podObj?.ip;
      if (ip) pod.ip = ip;
      if (podObj?.phase) pod.phase = podObj.phase;
      seen.set(key, pod);
    }
  }
  out.pods = [...seen.values()];
  out.endpoints = { ready: out.pods.filter((p) => p.ready).length, total: out.pods.length };
  out.endpointsFrom = 'endpointslices';
}

function fromPods(out: ResolvedBackend, svc: ServiceObject, snapshot: Snapshot): void {
  if (!snapshot.coverage('Pod', svc.meta.namespace).complete) return;
  const selected = selectedPods(svc, snapshot);
  out.selectedPods = selected;
  const tp = out.servicePort?.targetPort;
  out.pods = selected.map((p) => {
    const servesPort = typeof tp !== 'string' || p.containerPorts.some((c) => c.name === tp);
    const pod: Pod = { name: p.meta.name, namespace: p.meta.namespace, ready: p.ready === null ? null : p.ready && servesPort && p.phase !== 'Failed' && p.phase !== 'Succeeded' };
    if (p.nodeName) pod.node = p.nodeName;
    if (p.ip) pod.ip = p.ip;
    if (p.phase) pod.phase = p.phase;
    return pod;
  });
  out.endpoints = { ready: out.pods.filter((p) => p.ready).length, total: out.pods.length };
  out.endpointsFrom = 'pods';
}

export function selectedPods(svc: ServiceObject, snapshot: Snapshot): PodObject[] {
  const selector = svc.selector;
  if (!selector || Object.keys(selector).length === 0) return [];
  const [firstKey, firstValue] = Object.entries(selector)[0]!;
  const candidates = snapshot.indexBy('Pod', 'label', (p) => Object.entries(p.meta.labels).map(([k, v]) => `${p.meta.namespace}/${k}=${v}`))(`${svc.meta.namespace}/${firstKey}=${firstValue}`);
  return candidates.filter((p) => mapSelectorMatches(selector, p.meta.labels));
}

// ---------------------------------------------------------------------------------------------------------
// What a backend speaks, without a probe: the serving certificate its pods mount from a Secret, and the
// names and appProtocol of the Service port (gateway-tls-domain.md §4.6, BTLS-001/002).

export interface MountedCertificate {
  secret: SecretObject;
  chain: DecodedChain;
  /** The first certificate of tls.crt, the one the pod serves. */
  leaf: DecodedCert;
  /** Pods that mount it, and the volume name (of the first pod). */
  pods: string[];
  volume: string;
}

export interface BackendTLSEvidence {
  speaks: 'tls' | 'plaintext' | 'unknown';
  /**
   * probe: a probe of the backend's port saw it (the strongest); certificate: the pods mount a serving certificate
   * for this port; hint: only names/appProtocol say so.
   */
  strength: 'probe' | 'certificate' | 'hint' | null;
  /** What a probe of the port saw, when the backend was probed. */
  observed?: BackendObservation;
  /** Serving certificates the pods mount (tls.crt of a Secret volume), whatever the verdict. */
  certificates: MountedCertificate[];
  /** The Service and port the evidence is about (for an Envoy Gateway Backend: the Service its FQDN names). */
  service?: ServiceObject;
  port?: ServicePort;
  /** What the port names and appProtocol say. */
  hints: { tls: string[]; plaintext: string[] };
  /** One line per fact used, for finding evidence. */
  facts: string[];
}

/** Pod objects behind a Service backend that the snapshot holds: the selected pods, or those its endpoints name. */
export function backendPods(backend: ResolvedBackend, snapshot: Snapshot): PodObject[] {
  if (backend.selectedPods) return backend.selectedPods;
  return backend.pods.map((p) => snapshot.get('Pod', p.namespace, p.name)).filter((p): p is PodObject => p !== undefined);
}

/** Serving certificates mounted by pods: Secret volumes whose tls.crt starts with a non-CA certificate usable for serverAuth. */
export function mountedCertificates(pods: readonly PodObject[], snapshot: Snapshot, decoder: CertificateDecoder): MountedCertificate[] {
  const out = new Map<string, MountedCertificate>();
  for (const pod of pods) {
    for (const v of pod.secretVolumes ?? []) {
      const id = `${pod.meta.namespace}/${v.secretName}`;
      const seen = out.get(id);
      if (seen) {
        if (!seen.pods.includes(pod.meta.name)) seen.pods.push(pod.meta.name);
        continue;
      }
      const secret = snapshot.get('Secret', pod.meta.namespace, v.secretName);
      if (!secret?.tlsCrt) continue;
      const { chain } = decoder.secret(secret);
      const leaf = chain.certs[0];
      if (!leaf || leaf.cert.isCA) continue;
      const eku = leaf.cert.extendedKeyUsage ?? [];
      if (eku.length > 0 && !eku.includes('serverAuth') && !eku.includes('anyExtendedKeyUsage')) continue;
      out.set(id, { secret, chain, leaf, pods: [pod.meta.name], volume: v.volume });
    }
  }
  return [...out.values()];
}

const TLS_NAME = /^(https|tls)/i;
const PLAIN_NAME = /^(http|h2c|http2)([-_].*)?$/i;
const TLS_APP_PROTOCOLS = new Set(['https', 'tls', 'kubernetes.io/wss']);
const PLAIN_APP_PROTOCOLS = new Set(['http', 'h2c', 'http2', 'kubernetes.io/h2c', 'kubernetes.io/ws']);

/** What the names on a Service port (and the container port it targets) say about TLS, as short phrases. */
export function portNameHints(port: ServicePort, pods: readonly PodObject[]): { tls: string[]; plaintext: string[] } {
  const tls: string[] = [];
  const plaintext: string[] = [];
  const ap = port.appProtocol?.toLowerCase();
  if (ap && TLS_APP_PROTOCOLS.has(ap)) tls.push(`appProtocol ${port.appProtocol}`);
  if (ap && PLAIN_APP_PROTOCOLS.has(ap)) plaintext.push(`appProtocol ${port.appProtocol}`);
  const names = new Map<string, string>();
  if (port.name) names.set(port.name, 'port name');
  if (typeof port.targetPort === 'string') names.set(port.targetPort, 'targetPort');
  else for (const p of pods) for (const c of p.containerPorts) if (c.containerPort === port.targetPort && c.name && !names.has(c.name)) names.set(c.name, 'container port name');
  for (const [n, what] of names) {
    if (TLS_NAME.test(n)) tls.push(`${what} ${n}`);
    else if (PLAIN_NAME.test(n)) plaintext.push(`${what} ${n}`);
  }
  return { tls, plaintext };
}

const evidenceCache = new WeakMap<ResolvedBackend, BackendTLSEvidence>();

/** Whether the backend behind a backendRef speaks TLS on the port the route uses, from the objects alone. */
export function backendTLSEvidence(backend: ResolvedBackend, snapshot: Snapshot, decoder: CertificateDecoder): BackendTLSEvidence {
  const cached = evidenceCache.get(backend);
  if (cached) return cached;
  const out = computeEvidence(backend, snapshot, decoder);
  if (backend.observation) withObservation(out, backend.observation);
  evidenceCache.set(backend, out);
  return out;
}

/** A probe's observation outranks what the objects suggest: TLS or plaintext seen on the wire is a fact. */
function withObservation(out: BackendTLSEvidence, obs: BackendObservation): void {
  out.observed = obs;
  out.facts.unshift(`probe of ${obs.where}: ${obs.summary}`);
  if (obs.speaks === 'tls') {
    out.speaks = 'tls';
    out.strength = 'probe';
  } else if (obs.speaks === 'plaintext') {
    out.speaks = 'plaintext';
    out.strength = 'probe';
  }
}

function computeEvidence(backend: ResolvedBackend, snapshot: Snapshot, decoder: CertificateDecoder): BackendTLSEvidence {
  let service: ServiceObject | undefined;
  let port: ServicePort | undefined;
  let pods: PodObject[] = [];
  if (backend.type === 'service' && backend.service?.found) {
    service = backend.service.obj;
    port = backend.servicePort;
    pods = backendPods(backend, snapshot);
  } else if (backend.type === 'envoy-backend' && backend.envoyBackend?.found) {
    const target = serviceForBackend(backend.envoyBackend.obj, snapshot);
    if (target) {
      service = target.service;
      port = target.port;
      pods = snapshot.coverage('Pod', service.meta.namespace).complete ? selectedPods(service, snapshot) : [];
    }
  }
  const out: BackendTLSEvidence = { speaks: 'unknown', strength: null, certificates: [], hints: { tls: [], plaintext: [] }, facts: [] };
  if (!service || !port) return out;
  out.service = service;
  out.port = port;
  const hints = portNameHints(port, pods);
  out.hints = hints;
  out.certificates = mountedCertificates(pods, snapshot, decoder);
  const declared = new Set(pods.flatMap((p) => p.containerPorts.filter((c) => c.protocol === 'TCP').map((c) => c.containerPort)));
  for (const m of out.certificates) {
    const leaf = m.leaf.cert;
    out.facts.push(`Pod ${m.pods[0]}${m.pods.length > 1 ? ` (and ${m.pods.length - 1} more)` : ''} mounts Secret ${m.secret.meta.namespace}/${m.secret.meta.name}: ${leaf.sans.dns.join(', ') || `CN=${leaf.commonName ?? '?'}`}${leaf.selfSigned ? ', self-signed' : `, issued by ${leaf.issuer}`}`);
  }
  if (hints.tls.length + hints.plaintext.length > 0) out.facts.push(`Service ${service.meta.namespace}/${service.meta.name} port ${port.name ? `${port.name} (${port.port})` : port.port}: ${[...hints.tls, ...hints.plaintext].join(', ')}`);
  if (hints.plaintext.length > 0) {
    if (out.certificates.length === 0 && hints.tls.length === 0) {
      out.speaks = 'plaintext';
      out.strength = 'hint';
    }
    return out;
  }
  // A mounted certificate says which port serves TLS only when the pods serve one port, or the port's name says TLS.
  if (out.certificates.length > 0 && (hints.tls.length > 0 || declared.size <= 1)) {
    out.speaks = 'tls';
    out.strength = 'certificate';
  } else if (hints.tls.length > 0) {
    out.speaks = 'tls';
    out.strength = 'hint';
  }
  return out;
}

/** The in-cluster Service an Envoy Gateway Backend FQDN endpoint names (`svc.ns.svc[.cluster-domain]`), if the snapshot has it. */
export function serviceForBackend(b: EnvoyBackendObject, snapshot: Snapshot): { service: ServiceObject; port: ServicePort } | undefined {
  for (const e of b.endpoints) {
    const m = e.fqdn ? /^([a-z0-9-]+)\.([a-z0-9-]+)\.svc(\.[a-z0-9.-]+)?\.?$/.exec(e.fqdn.hostname.toLowerCase()) : null;
    if (!m || e.fqdn?.port === undefined) continue;
    const service = snapshot.get('Service', m[2]!, m[1]!);
    const port = service?.ports.find((p) => p.port === e.fqdn!.port && p.protocol === 'TCP');
    if (service && port) return { service, port };
  }
  return undefined;
}
