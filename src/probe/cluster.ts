// The probe's use of a cluster: the cross-check of what a host serves against the Gateway listeners that
// should serve it, and backends (svc/NAME:PORT, pod/NAME:PORT) reached through the API server's port-forward and
// judged as the gateway would judge them. Loaded only when there is a cluster to talk to.
import type { KubeConfig } from '@kubernetes/client-node';
import { UserError } from '../cli/errors.ts';
import { ApiClient, ApiError, ConnectionError } from '../cluster/api-client.ts';
import { KINDS, type KindName } from '../cluster/kinds.ts';
import { loadKubeConfig } from '../cluster/kubeconfig.ts';
import { normalize } from '../cluster/normalize.ts';
import type { AnyObject, GatewayObject, RouteObject } from '../cluster/objects.ts';
import { openPortForward, PortForwardError, podPort, serviceEndpoint, type BackendEndpoint } from '../cluster/port-forward.ts';
import { Snapshot } from '../cluster/snapshot.ts';
import type { ClusterAccess } from '../cluster/source.ts';
import { proxyBackendTLS, type BackendTLSDecision } from '../graph/backend-tls.ts';
import { resolveBackends, type ResolvedBackend } from '../graph/backends.ts';
import { buildModel, type ListenerModel, type Model } from '../graph/model.ts';
import { genericImplementation } from '../graph/providers/index.ts';
import { applyBackendFindings, backendFindings, decodeServed, gatewayView } from './backend.ts';
import { ConnectError } from './connect.ts';
import { compareWithListener, listenerEntry, matchListeners } from './cross-check.ts';
import { probe } from './probe.ts';
import { joinHostPort } from './target.ts';
import type { Connector, ProbeBackendTarget, ProbeOptions, ProbeReport, ProbeTarget } from './types.ts';

export interface Session {
  kc: KubeConfig;
  client: ApiClient;
  context: string;
  server: string;
  /** The context's namespace. */
  namespace: string;
  access: ClusterAccess;
}

/** Reads the kubeconfig (throws UserError when it is unusable). */
export function openSession(access: ClusterAccess): Session {
  const { kc, context, server, namespace } = loadKubeConfig(access);
  const client = new ApiClient(kc, server, { timeoutMs: access.requestTimeoutMs ?? 30_000, concurrency: 8 });
  return { kc, client, context, server, namespace, access };
}

/** The API error in words, naming the server and context. */
export function describeApiError(e: unknown, s: Pick<Session, 'server' | 'context'>): string {
  if (e instanceof UserError) return e.message;
  if (e instanceof ConnectionError) return `cannot reach the API server ${s.server} (context ${s.context}): ${e.message}`;
  if (e instanceof ApiError) {
    if (e.status === 401) return `the API server ${s.server} (context ${s.context}) rejected the credentials (401 Unauthorized)`;
    return `the API server ${s.server} (context ${s.context}) answered ${e.status}${e.reason ? ` ${e.reason}` : ''}: ${e.message}`;
  }
  return e instanceof Error ? e.message : String(e);
}

// ---------------------------------------------------------------------------------------------------------
// Cross-check

export interface Scope {
  namespace?: string;
  allNamespaces?: boolean;
}

/** The Gateways to match against, or why the cross-check cannot run. */
export type GatewayListing = { ok: true; session: Session; gateways: GatewayObject[]; where: string } | { ok: false; note: string; context?: string };

/** Lists the Gateways the cross-check may match: all namespaces (or -n), falling back to the context's namespace when a cluster-wide LIST is forbidden. */
export async function listGateways(access: ClusterAccess, scope: Scope): Promise<GatewayListing> {
  let session: Session;
  try {
    session = openSession(access);
  } catch (e) {
    return { ok: false, note: e instanceof Error ? e.message : String(e) };
  }
  const wanted = scope.allNamespaces ? undefined : scope.namespace;
  const list = async (version: string, ns: string | undefined) => ({
    version,
    items: (await session.client.list(ns ? `/apis/gateway.networking.k8s.io/${version}/namespaces/${encodeURIComponent(ns)}/gateways` : `/apis/gateway.networking.k8s.io/${version}/gateways`)).items,
  });
  const attempt = async (ns: string | undefined) => {
    try {
      return await list('v1', ns);
    } catch (e) {
      if (e instanceof ApiError && e.status === 404) return list('v1beta1', ns);
      throw e;
    }
  };
  let where = wanted ? `namespace ${wanted}` : 'all namespaces';
  try {
    let res: Awaited<ReturnType<typeof attempt>>;
    try {
      res = await attempt(wanted);
    } catch (e) {
      if (!(e instanceof ApiError && e.status === 403) || wanted) throw e;
      res = await attempt(session.namespace);
      where = `namespace ${session.namespace} (listing all namespaces is forbidden)`;
    }
    const apiVersion = `gateway.networking.k8s.io/${res.version}`;
    const gateways = res.items.map((raw) => normalize({ ...raw, apiVersion, kind: 'Gateway' }, KINDS.Gateway, session.namespace) as GatewayObject);
    return { ok: true, session, gateways, where };
  } catch (e) {
    const note = e instanceof ApiError && e.status === 404 ? `the cluster (context ${session.context}) does not serve Gateways (Gateway API CRDs not installed)` : describeApiError(e, session);
    return { ok: false, note, context: session.context };
  }
}

/** Loads one Gateway's path model (its listeners with certificates, routes and backends) through the live source. */
async function gatewayModel(access: ClusterAccess, gw: GatewayObject, now: Date): Promise<Model> {
  const { loadFromCluster } = await import('../cluster/live.ts');
  const loaded = await loadFromCluster({ namespace: gw.meta.namespace, allNamespaces: false, gatewayName: gw.meta.name, cluster: access });
  return buildModel(loaded.snapshot, loaded.scope, now);
}

/**
 * Fills `cluster` of every host report: the listeners that should serve its name and port, and whether the
 * served leaf is the configured one; a finding (GWTLS-PRB-004 / -009) when it is not. Never throws: whatever
 * cannot be read becomes the note in `cluster.why`.
 */
export async function crossCheck(reports: ProbeReport[], listing: GatewayListing, now: Date): Promise<void> {
  const models = new Map<string, Promise<Model>>();
  for (const r of reports) {
    if (r.backend) continue;
    if (!listing.ok) {
      r.cluster = { gateway: null, listener: null, hostname: null, configuredFrom: null, configuredFingerprintSha256: null, servedMatchesConfigured: null, outcome: 'skipped', why: `cluster cross-check skipped: ${listing.note}`, context: listing.context ?? null };
      continue;
    }
    const { candidates, note } = matchListeners(listing.gateways, r);
    const base = { context: listing.session.context, matched: candidates.map(listenerEntry) };
    const best = candidates[0];
    if (!best) {
      r.cluster = { gateway: null, listener: null, hostname: null, configuredFrom: null, configuredFingerprintSha256: null, servedMatchesConfigured: null, outcome: 'no-listener', why: `${note ?? 'no Gateway listener serves this name and port'} (Gateways in ${listing.where})`, ...base };
      continue;
    }
    const id = `${best.gateway.meta.namespace}/${best.gateway.meta.name}`;
    let model = models.get(id);
    if (!model) models.set(id, (model = gatewayModel(listing.session.access, best.gateway, now)));
    const endpoint = joinHostPort(r.target.host, r.target.port);
    let lm: ListenerModel | undefined;
    let m: Model;
    try {
      m = await model;
      lm = m.gateways[0]?.listeners.find((l) => l.spec.name === best.listener.name);
    } catch (e) {
      r.cluster = { gateway: { namespace: best.gateway.meta.namespace, name: best.gateway.meta.name }, listener: best.listener.name, hostname: best.listener.hostname ?? null, configuredFrom: null, configuredFingerprintSha256: null, servedMatchesConfigured: null, outcome: 'unknown', why: `Gateway ${id} could not be read: ${describeApiError(e, listing.session)}`, ...base };
      continue;
    }
    if (!lm) {
      r.cluster = { gateway: { namespace: best.gateway.meta.namespace, name: best.gateway.meta.name }, listener: best.listener.name, hostname: best.listener.hostname ?? null, configuredFrom: null, configuredFingerprintSha256: null, servedMatchesConfigured: null, outcome: 'unknown', why: `Gateway ${id} changed while it was read: listener ${best.listener.name} is gone`, ...base };
      continue;
    }
    const { check, finding } = compareWithListener(lm, m, r, endpoint);
    if (note) check.why = `${check.why ?? ''}; ${note}`;
    r.cluster = { ...check, ...base };
    if (finding) addFinding(r, finding);
  }
}

function addFinding(r: ProbeReport, f: ProbeReport['findings'][number]): void {
  r.findings.push(f);
  if (f.severity === 'error') {
    r.summary.errors++;
    r.ok = false;
  } else if (f.severity === 'warning') r.summary.warnings++;
  else r.summary.info++;
}

// ---------------------------------------------------------------------------------------------------------
// Backends through port-forward

/** A connector that opens a port-forward to one Pod port, whatever the target says. */
export function portForwardConnector(kc: KubeConfig, endpoint: Pick<BackendEndpoint, 'namespace' | 'pod' | 'port'>): Connector {
  const address = `pod/${endpoint.namespace}/${endpoint.pod}`;
  return async (_target, ctx) => {
    try {
      const pf = await openPortForward(kc, { namespace: endpoint.namespace, pod: endpoint.pod, port: endpoint.port }, ctx.signal);
      const failure = () => {
        const f = pf.failure();
        return f ? new ConnectError(f.message, f.code, 'connect', null, address, { summary: f.summary, explanation: f.explanation }) : null;
      };
      return { stream: pf.stream, address, port: endpoint.port, dns: null, connectMs: pf.connectMs, failure };
    } catch (e) {
      if (e instanceof PortForwardError) throw new ConnectError(e.message, e.code, 'connect', null, address, { summary: e.summary, explanation: e.explanation });
      throw e;
    }
  };
}

export interface BackendProbeInput {
  kc: KubeConfig;
  snapshot: Snapshot;
  /** The Service backend (resolved against `snapshot`); absent for pod/ targets. */
  backend?: ResolvedBackend;
  decision?: BackendTLSDecision;
  endpoint: BackendEndpoint;
  info: ProbeBackendTarget;
  options: ProbeOptions;
  now: Date;
  /** The target as the user wrote it (default: `svc/NAMESPACE/NAME:PORT`). */
  input?: string;
}

/** The SNI a gateway sends to this backend: the policy (or Backend) hostname, else the Service DNS name. */
export function backendSni(backend: ResolvedBackend | undefined, decision: BackendTLSDecision | undefined): string | null {
  if (decision?.tls.hostname) return decision.tls.hostname;
  const svc = backend?.service?.found ? backend.service.obj : undefined;
  return svc ? `${svc.meta.name}.${svc.meta.namespace}.svc.cluster.local` : null;
}

/** Probes a backend endpoint through port-forward and judges it as the gateway would (gatewayView, BPRB findings). */
export async function probeBackendEndpoint(input: BackendProbeInput): Promise<ProbeReport> {
  const { info, endpoint, now } = input;
  const sni = input.options.sni !== undefined ? input.options.sni : (backendSni(input.backend, input.decision) ?? '');
  const label = backendLabel(info);
  const target: ProbeTarget = { kind: info.kind, input: input.input ?? label, name: info.name, port: info.servicePort ?? endpoint.port, namespace: info.namespace };
  const report = await probe(target, { ...input.options, sni, connector: portForwardConnector(input.kc, endpoint), now });
  report.backend = info;
  const chain = decodeServed(report, now, `pod ${endpoint.namespace}/${endpoint.pod}`);
  // A bare pod has no Service, so no BackendTLSPolicy: null says the gateway's view was not judged.
  report.gatewayView = info.kind === 'service' ? gatewayView(input.decision ?? null, report, chain, now) : null;
  applyBackendFindings(report, backendFindings(report, chain, label, now));
  return report;
}

export function backendLabel(info: Pick<ProbeBackendTarget, 'kind' | 'namespace' | 'name' | 'servicePort' | 'targetPort'>): string {
  return `${info.kind === 'service' ? 'svc' : 'pod'}/${info.namespace}/${info.name}:${info.kind === 'service' ? (info.servicePort ?? '?') : (info.targetPort ?? '?')}`;
}

type BackendTargetInput = Extract<ProbeTarget, { kind: 'service' | 'pod' }>;

/** `probe svc/NAME:PORT` / `pod/NAME:PORT`: reads what is needed, resolves the endpoint, probes it. */
export async function probeBackendTarget(session: Session, target: BackendTargetInput, namespace: string, options: ProbeOptions, now: Date): Promise<ProbeReport> {
  const ns = target.namespace ?? namespace;
  const fail = (summary: string, explanation: string, code = 'ETARGET') => failedReport(target, ns, summary, explanation, code, now);
  const snapshot = new Snapshot({ type: 'cluster', context: session.context, server: session.server });
  const add = (kind: KindName, raw: Record<string, unknown>, apiVersion: string) => {
    const obj = normalize({ ...raw, apiVersion, kind }, KINDS[kind], ns) as AnyObject;
    snapshot.add(obj);
    return obj;
  };
  try {
    if (target.kind === 'pod') {
      const raw = await session.client.getOptional(`/api/v1/namespaces/${encodeURIComponent(ns)}/pods/${encodeURIComponent(target.name)}`);
      if (!raw) return fail(`pod ${ns}/${target.name} not found`, `There is no Pod ${target.name} in namespace ${ns} (use -n for another namespace).`, 'ENOTFOUND');
      const pod = add('Pod', raw, 'v1');
      if (pod.kind !== 'Pod') throw new Error('unexpected object');
      const port = podPort(pod, target.port);
      if (port === undefined) return fail(`pod ${ns}/${target.name} has no container port named ${target.port}`, `Its container ports: ${pod.containerPorts.map((c) => `${c.name ?? '(unnamed)'} ${c.containerPort}`).join(', ') || 'none declared'}.`);
      const info: ProbeBackendTarget = { kind: 'pod', namespace: ns, name: target.name, pod: target.name, targetPort: port, resolvedBy: `pod ${ns}/${target.name} port ${port}${pod.ready === false ? ' (the Pod is not ready)' : ''}`, via: 'port-forward' };
      return await probeBackendEndpoint({ kc: session.kc, snapshot, endpoint: { namespace: ns, pod: target.name, port, why: info.resolvedBy }, info, options, now, input: target.input });
    }
    const svcRaw = await session.client.getOptional(`/api/v1/namespaces/${encodeURIComponent(ns)}/services/${encodeURIComponent(target.name)}`);
    if (!svcRaw) return fail(`Service ${ns}/${target.name} not found`, `There is no Service ${target.name} in namespace ${ns} (use -n for another namespace).`, 'ENOTFOUND');
    const svc = add('Service', svcRaw, 'v1');
    if (svc.kind !== 'Service') throw new Error('unexpected object');
    const sp = svc.ports.find((p) => (typeof target.port === 'number' ? p.port === target.port : p.name === target.port));
    if (!sp) return fail(`Service ${ns}/${target.name} has no port ${target.port}`, `Its ports: ${svc.ports.map((p) => (p.name ? `${p.name} (${p.port})` : String(p.port))).join(', ') || 'none'}.`);
    const selector = svc.selector && Object.keys(svc.selector).length ? Object.entries(svc.selector).map(([k, v]) => `${k}=${v}`).join(',') : null;
    const [slices, pods] = await Promise.all([
      session.client.list(`/apis/discovery.k8s.io/v1/namespaces/${encodeURIComponent(ns)}/endpointslices`, { labelSelector: `kubernetes.io/service-name=${target.name}` }),
      selector ? session.client.list(`/api/v1/namespaces/${encodeURIComponent(ns)}/pods`, { labelSelector: selector }) : Promise.resolve({ items: [] }),
      readPolicies(session, snapshot, ns),
    ]);
    for (const s of slices.items) add('EndpointSlice', s, 'discovery.k8s.io/v1');
    for (const p of pods.items) add('Pod', p, 'v1');
    await readCaConfigMaps(session, snapshot, ns, target.name);
    const route = syntheticRoute(ns, target.name, sp.port);
    const backend = resolveBackends(route, snapshot)[0]!;
    const decision = proxyBackendTLS(backend, genericImplementation, false, snapshot, now);
    const choice = serviceEndpoint(snapshot, svc, sp);
    if (!choice.ok) return fail(choice.reason, 'A backend is reached through one of its ready endpoint Pods: wait for a Pod to become ready, or check the selector and readiness probe (kubectl get endpointslices -l kubernetes.io/service-name=NAME).', 'ENOENDPOINT');
    const info: ProbeBackendTarget = { kind: 'service', namespace: ns, name: target.name, servicePort: sp.port, portName: sp.name ?? null, pod: choice.endpoint.pod, targetPort: choice.endpoint.port, resolvedBy: choice.endpoint.why, via: 'port-forward' };
    return await probeBackendEndpoint({ kc: session.kc, snapshot, backend, decision, endpoint: choice.endpoint, info, options, now, input: target.input });
  } catch (e) {
    if (e instanceof ApiError || e instanceof ConnectionError) return fail(describeApiError(e, session), e instanceof ApiError && e.status === 403 ? 'The kubeconfig user may not read this object (RBAC): reaching a backend needs get on services and pods, list on endpointslices, and create on pods/portforward.' : 'The backend could not be looked up.', 'ECLUSTER');
    throw e;
  }
}

async function readPolicies(session: Session, snapshot: Snapshot, ns: string): Promise<void> {
  for (const version of ['v1', 'v1alpha3']) {
    try {
      const res = await session.client.list(`/apis/gateway.networking.k8s.io/${version}/namespaces/${encodeURIComponent(ns)}/backendtlspolicies`);
      for (const p of res.items) snapshot.add(normalize({ ...p, apiVersion: `gateway.networking.k8s.io/${version}`, kind: 'BackendTLSPolicy' }, KINDS.BackendTLSPolicy, ns) as AnyObject);
      return;
    } catch (e) {
      if (e instanceof ApiError && e.status === 404) continue;
      if (e instanceof ApiError && e.status === 403) {
        snapshot.setState('BackendTLSPolicy', { state: 'forbidden', detail: e.message });
        return;
      }
      throw e;
    }
  }
  snapshot.setState('BackendTLSPolicy', { state: 'not-served', detail: 'the cluster does not serve backendtlspolicies.gateway.networking.k8s.io' });
}

/** The ConfigMaps the policies for this Service reference (CA references are local to the policy's namespace). */
async function readCaConfigMaps(session: Session, snapshot: Snapshot, ns: string, service: string): Promise<void> {
  const names = new Set<string>();
  for (const p of snapshot.list('BackendTLSPolicy', ns)) {
    if (!p.targetRefs.some((t) => t.kind === 'Service' && t.name === service)) continue;
    for (const r of p.caCertificateRefs) if (r.group === '' && r.kind === 'ConfigMap') names.add(r.name);
  }
  await Promise.all(
    [...names].map(async (name) => {
      try {
        const raw = await session.client.getOptional(`/api/v1/namespaces/${encodeURIComponent(ns)}/configmaps/${encodeURIComponent(name)}`);
        if (raw) snapshot.add(normalize({ ...raw, apiVersion: 'v1', kind: 'ConfigMap' }, KINDS.ConfigMap, ns) as AnyObject);
      } catch (e) {
        if (e instanceof ApiError && e.status === 403) snapshot.setState('ConfigMap', { state: 'forbidden', detail: e.message });
        else throw e;
      }
    }),
  );
}

/** A route with one backendRef, so a Service port resolves exactly as a route's backend does. */
function syntheticRoute(namespace: string, service: string, port: number): RouteObject {
  return {
    kind: 'HTTPRoute',
    apiVersion: 'gateway.networking.k8s.io/v1',
    meta: { name: 'kubectl-gwtls-probe', namespace, labels: {}, annotations: {} },
    raw: {},
    parentRefs: [],
    hostnames: [],
    rules: [{ index: 0, backendRefs: [{ group: '', kind: 'Service', name: service, namespace, port }] }],
    parents: [],
  };
}

/** A report for a target that could not be probed at all (not found, no ready endpoint): phase `target`. */
export function failedReport(target: ProbeTarget, namespace: string, summary: string, explanation: string, code: string, now: Date): ProbeReport {
  const name = target.kind === 'host' ? target.host : target.name;
  const port = typeof target.port === 'number' ? target.port : 0;
  return {
    apiVersion: 'gwtls.dev/v1alpha1',
    kind: 'ProbeReport',
    generatedAt: now.toISOString(),
    target: { input: target.input, host: name, port, sni: null, address: null },
    dns: null,
    connection: { ok: false, phase: 'target', dnsMs: null, tcpMs: null, preambleMs: null, tlsMs: null, totalMs: 0, protocol: null, cipher: null, alpn: null, bytesReceived: 0, firstByteMs: null, error: { code, message: summary, summary, explanation }, notTls: null },
    chain: [],
    chainAnalysis: null,
    verification: { trusted: null, hostnameMatches: null, error: null, name: null, trustStore: 'system' },
    findings: [],
    ...(target.kind === 'host' ? {} : { backend: { kind: target.kind, namespace, name: target.name, pod: null, targetPort: null, resolvedBy: summary, via: 'port-forward' as const } }),
    ok: false,
    summary: { errors: 0, warnings: 0, info: 0 },
  };
}
