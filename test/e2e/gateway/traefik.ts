// Shared pieces of the gateway scenarios: a real Traefik (harness/gateway.ts) reconciling the e2e API server,
// object builders, waiting for the status Traefik writes, the tool's prediction (from the manifests alone, before
// any status exists) and its live report, `kubectl gwtls probe` through the real entry point, and real requests.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { connect as netConnect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect as tlsConnect } from 'node:tls';
import * as yaml from 'js-yaml';
import { afterAll, beforeAll, expect } from 'vitest';
import { BACKEND_ADDRESS, GATEWAY_CLASS, GatewayUnavailable, TraefikGateway, unavailableReason } from '../harness/gateway.ts';
import { applyObjects, deleteNamespace, deleteObject, e2eEnv, getObject, kubeConfig, runPlugin, setStatus, type KubeObject } from '../harness/kube.ts';
import { TRAEFIK_CONTROLLER_NAME } from '../harness/versions.ts';
import type { Issued } from '../../helpers/tls-certs.ts';

export { BACKEND_ADDRESS, GATEWAY_CLASS };
export const GW_GROUP = 'gateway.networking.k8s.io';
const delay = (ms: number) => new Promise((r) => setTimeout(r, ms));

// ---------------------------------------------------------------------------------------------------------
// The gateway for one test file

export interface GatewayHandle {
  /** undefined when the gateway cannot run here; `reason` says why (printed once). */
  gw?: TraefikGateway;
  reason: string;
}

/** Starts Traefik for this file (beforeAll) and stops it (afterAll). Tests call `requireGateway(h, ctx)` first. */
export function useTraefik(): GatewayHandle {
  const h: GatewayHandle = { reason: '' };
  const env = e2eEnv();
  const reason = !env.available ? env.reason : !env.goAvailable ? 'no Go toolchain to build Traefik' : !/^https:\/\/127\.0\.0\.1:/.test(env.server) ? `the API server ${env.server} is not on 127.0.0.1 (the gateway reaches it through a loopback relay)` : unavailableReason();
  beforeAll(async () => {
    if (reason) {
      h.reason = reason;
      console.warn(`[gwtls-e2e] SKIPPING gateway scenarios: ${reason}`);
      return;
    }
    try {
      h.gw = await new TraefikGateway().start({ kubeconfig: env.kubeconfig, context: env.adminContext });
    } catch (err) {
      if (!(err instanceof GatewayUnavailable)) throw err;
      h.reason = err.message;
      console.warn(`[gwtls-e2e] SKIPPING gateway scenarios: ${err.message}`);
    }
  });
  afterAll(async () => {
    if (!h.gw) return;
    // the GatewayClass is cluster-scoped: leave no trace for the other e2e files (a scenario file may create one of that name)
    await deleteObject({ apiVersion: `${GW_GROUP}/v1`, kind: 'GatewayClass', name: GATEWAY_CLASS });
    await h.gw.stop();
  });
  return h;
}

/** The running gateway, or skips the test (the reason was printed by useTraefik). */
export function requireGateway(h: GatewayHandle, ctx: { skip: (note?: string) => void }): TraefikGateway {
  if (!h.gw) ctx.skip(h.reason);
  return h.gw!;
}

/** A namespace per scenario, deleted afterwards (so no route of one scenario sits on another's entry point). */
export async function withNamespace<T>(ns: string, body: () => Promise<T>): Promise<T> {
  try {
    return await body();
  } finally {
    await deleteNamespace(ns);
  }
}

// ---------------------------------------------------------------------------------------------------------
// Objects

export function tlsSecret(ns: string, name: string, cert: Issued | string, keyPem: string): KubeObject {
  const crt = typeof cert === 'string' ? cert : cert.pem;
  return { apiVersion: 'v1', kind: 'Secret', metadata: { name, namespace: ns }, type: 'kubernetes.io/tls', data: { 'tls.crt': Buffer.from(crt).toString('base64'), 'tls.key': Buffer.from(keyPem).toString('base64') } } as KubeObject;
}

export interface ListenerSpec {
  name: string;
  protocol: 'HTTP' | 'HTTPS' | 'TLS' | 'TCP';
  port: number;
  hostname?: string;
  mode?: 'Terminate' | 'Passthrough';
  certificateRefs?: Array<{ name: string; namespace?: string }>;
}

export function gateway(ns: string, name: string, listeners: ListenerSpec[]): KubeObject {
  return {
    apiVersion: `${GW_GROUP}/v1`,
    kind: 'Gateway',
    metadata: { name, namespace: ns },
    spec: {
      gatewayClassName: GATEWAY_CLASS,
      listeners: listeners.map((l) => ({
        name: l.name,
        protocol: l.protocol,
        port: l.port,
        ...(l.hostname ? { hostname: l.hostname } : {}),
        ...(l.mode || l.certificateRefs ? { tls: { ...(l.mode ? { mode: l.mode } : {}), ...(l.certificateRefs ? { certificateRefs: l.certificateRefs.map((r) => ({ group: '', kind: 'Secret', name: r.name, ...(r.namespace ? { namespace: r.namespace } : {}) })) } : {}) } } : {}),
      })),
    },
  } as KubeObject;
}

export function route(kind: 'HTTPRoute' | 'TCPRoute' | 'TLSRoute', ns: string, name: string, parent: { gateway: string; sectionName?: string }, backend: { service: string; port: number }, hostnames: string[] = []): KubeObject {
  const apiVersion = kind === 'HTTPRoute' ? `${GW_GROUP}/v1` : kind === 'TLSRoute' ? `${GW_GROUP}/v1` : `${GW_GROUP}/v1alpha2`;
  return {
    apiVersion,
    kind,
    metadata: { name, namespace: ns },
    spec: {
      parentRefs: [{ group: GW_GROUP, kind: 'Gateway', name: parent.gateway, ...(parent.sectionName ? { sectionName: parent.sectionName } : {}) }],
      ...(hostnames.length ? { hostnames } : {}),
      rules: [{ backendRefs: [{ group: '', kind: 'Service', name: backend.service, port: backend.port }] }],
    },
  } as KubeObject;
}

/**
 * A Service whose endpoints are a real server on BACKEND_ADDRESS, written the way the endpoint controller would:
 * the Service, a Pod (so the tool can read which certificate Secret it mounts, like a real backend Deployment),
 * and an EndpointSlice with the Pod as target. Pod status is written as the kubelet would (Running, Ready).
 */
export function backendService(ns: string, name: string, port: { name: string; port: number; targetPort: number; appProtocol?: string }, mountsSecret?: string): KubeObject[] {
  const pod = `${name}-0`;
  return [
    { apiVersion: 'v1', kind: 'Service', metadata: { name, namespace: ns }, spec: { selector: { app: name }, ports: [{ name: port.name, port: port.port, targetPort: port.targetPort, protocol: 'TCP', ...(port.appProtocol ? { appProtocol: port.appProtocol } : {}) }] } },
    {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: pod, namespace: ns, labels: { app: name } },
      spec: {
        nodeName: 'gateway-e2e-node',
        containers: [{ name: 'server', image: 'registry.example.test/backend:1', ports: [{ name: port.name, containerPort: port.targetPort }], ...(mountsSecret ? { volumeMounts: [{ name: 'tls', mountPath: '/etc/tls', readOnly: true }] } : {}) }],
        ...(mountsSecret ? { volumes: [{ name: 'tls', secret: { secretName: mountsSecret } }] } : {}),
      },
    },
    {
      apiVersion: 'discovery.k8s.io/v1',
      kind: 'EndpointSlice',
      metadata: { name: `${name}-e2e`, namespace: ns, labels: { 'kubernetes.io/service-name': name } },
      addressType: 'IPv4',
      ports: [{ name: port.name, port: port.targetPort, protocol: 'TCP', ...(port.appProtocol ? { appProtocol: port.appProtocol } : {}) }],
      endpoints: [{ addresses: [BACKEND_ADDRESS], conditions: { ready: true, serving: true, terminating: false }, nodeName: 'gateway-e2e-node', targetRef: { kind: 'Pod', name: pod, namespace: ns } }],
    },
  ] as KubeObject[];
}

export const podStatus = { phase: 'Running', podIP: BACKEND_ADDRESS, conditions: [{ type: 'Ready', status: 'True' }], containerStatuses: [{ name: 'server', ready: true, restartCount: 0, image: 'registry.example.test/backend:1', imageID: '', started: true, state: { running: { startedAt: new Date().toISOString().replace(/\.\d+Z$/, 'Z') } } }] };

export async function load(objects: KubeObject[]): Promise<void> {
  await applyObjects(objects);
  for (const o of objects) if (o.kind === 'Pod') await setStatus(o, podStatus);
}

// ---------------------------------------------------------------------------------------------------------
// Traefik's status

export interface Cond {
  type: string;
  status: string;
  reason: string;
  message?: string;
  observedGeneration?: number;
}
export interface ListenerStatus {
  name: string;
  attachedRoutes: number;
  conditions: Cond[];
  supportedKinds?: Array<{ kind: string }>;
}
export interface GatewayStatus {
  metadata: { generation: number };
  status?: { addresses?: Array<{ value: string }>; conditions?: Cond[]; listeners?: ListenerStatus[] };
}
export interface RouteStatus {
  metadata: { generation: number };
  status?: { parents?: Array<{ controllerName: string; parentRef: { name: string; sectionName?: string }; conditions: Cond[] }> };
}

export const cond = (list: Cond[] | undefined, type: string) => list?.find((c) => c.type === type);

/** Polls until `check` returns a value (Traefik has written the status for the current generation). */
export async function eventually<T>(what: string, check: () => Promise<T | undefined>, timeoutMs = 30_000, gw?: TraefikGateway): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await check();
      if (v !== undefined) return v;
    } catch (err) {
      last = err;
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}${last ? ` (${String(last)})` : ''}${gw ? `\nTraefik log:\n${gw.log(30)}` : ''}`);
    await delay(200);
  }
}

/** The Gateway status Traefik wrote for the Gateway's current generation (every listener reported). */
export function gatewayStatus(ns: string, name: string, gw?: TraefikGateway, predicate: (s: GatewayStatus) => boolean = () => true): Promise<GatewayStatus> {
  return eventually(
    `Traefik's status on Gateway ${ns}/${name}`,
    async () => {
      const g = await getObject<GatewayStatus & { spec: { listeners: unknown[] } }>({ apiVersion: `${GW_GROUP}/v1`, kind: 'Gateway', name, namespace: ns });
      const accepted = cond(g?.status?.conditions, 'Accepted');
      const ready = g && accepted?.observedGeneration === g.metadata.generation && (g.status?.listeners?.length ?? 0) === g.spec.listeners.length;
      return ready && predicate(g) ? g : undefined;
    },
    30_000,
    gw,
  );
}

/** The route's parent status written by Traefik for the route's current generation. */
export function routeStatus(kind: string, apiVersion: string, ns: string, name: string, gw?: TraefikGateway, predicate: (s: RouteStatus) => boolean = () => true): Promise<RouteStatus> {
  return eventually(
    `Traefik's status on ${kind} ${ns}/${name}`,
    async () => {
      const r = await getObject<RouteStatus>({ apiVersion, kind, name, namespace: ns });
      const parents = r?.status?.parents?.filter((p) => p.controllerName === TRAEFIK_CONTROLLER_NAME) ?? [];
      const current = parents.length > 0 && parents.every((p) => cond(p.conditions, 'Accepted')?.observedGeneration === r!.metadata.generation);
      return current && predicate(r!) ? r : undefined;
    },
    30_000,
    gw,
  );
}

export function traefikParent(r: RouteStatus, sectionName?: string) {
  return r.status?.parents?.find((p) => p.controllerName === TRAEFIK_CONTROLLER_NAME && (sectionName === undefined || p.parentRef.sectionName === sectionName));
}

// ---------------------------------------------------------------------------------------------------------
// The tool

export interface Report {
  gateways: Array<{
    name: string;
    implementation?: string;
    verdict?: string;
    ok?: boolean;
    conditions: Cond[];
    listeners: Array<{
      name: string;
      port: number;
      ok?: boolean;
      verdict?: string;
      attachedRoutes?: number | null;
      tls: { certificates: Array<{ fingerprintSha256: string; subject: string }>; certificateRefs?: Array<{ name: string; namespace: string; state: string; why?: string }> } | null;
      routes: Array<{ kind: string; name: string; attached: boolean; why?: string; backends: Array<{ name: string; tls: { mode: string; verified: boolean | null; by: string } }> }>;
      path: Array<{ hop: string; tls: string; ok: boolean | null; why: string }>;
      probe?: Array<{ status: string; endpoint: string | null; ok: boolean | null; leaf?: { fingerprintSha256: string; subject: string } | null; configured?: { outcome: string; servedMatchesConfigured: boolean | null } | null; summary: string }>;
    }>;
  }>;
  findings: Array<{ code: string; severity: string; message: string; object: { kind: string; name: string; namespace?: string }; listener?: string; fixes: Array<{ title: string; type: 'fix' | 'suggestion'; yaml: string; note?: string; widensAccess?: boolean }> }>;
  summary: { errors: number; warnings: number; info: number };
}

export interface ProbeJson {
  ok: boolean;
  chain: Array<{ fingerprintSha256: string; subject: string }>;
  verification: { trusted: boolean | null; hostnameMatches: boolean | null; error: string | null };
  findings: Array<{ code: string; severity: string; message: string }>;
  cluster?: { outcome?: string; servedMatchesConfigured: boolean | null; listener: string | null; configuredFrom: string | null; configuredFingerprintSha256: string | null } | null;
}

function parse<T>(what: string, r: { code: number; stdout: string; stderr: string }): T {
  expect(r.stderr, `${what}: no stack trace`).not.toMatch(/^\s+at /m);
  try {
    return JSON.parse(r.stdout) as T;
  } catch {
    throw new Error(`${what} printed no JSON (exit ${r.code}): ${r.stderr.slice(0, 2000)}`);
  }
}

/** The e2e API server's CA, as kube-root-ca.crt would hold it. */
function e2eCaPem(): string {
  const kc = kubeConfig();
  const c = kc.getCurrentCluster();
  return c?.caData ? Buffer.from(c.caData, 'base64').toString() : '';
}

/** The tool's prediction from the manifests alone (files mode: no status exists for it to read). */
export async function predict(objects: KubeObject[], gatewayName: string, ns: string): Promise<{ code: number; report: Report }> {
  const dir = mkdtempSync(join(tmpdir(), 'gwtls-gw-predict-'));
  try {
    const file = join(dir, 'scenario.yaml');
    const cls = { apiVersion: `${GW_GROUP}/v1`, kind: 'GatewayClass', metadata: { name: GATEWAY_CLASS }, spec: { controllerName: TRAEFIK_CONTROLLER_NAME } };
    // Every namespace of a real cluster holds the ConfigMap kube-root-ca.crt (kube-controller-manager's root CA
    // publisher): with it in the input, ConfigMaps count as read, and a missing CA ConfigMap is known to be missing.
    const namespaces = [...new Set(objects.map((o) => o.metadata.namespace).filter((n): n is string => !!n))];
    const rootCa = namespaces.map((namespace) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'kube-root-ca.crt', namespace }, data: { 'ca.crt': e2eCaPem() } }));
    writeFileSync(file, [cls, ...rootCa, ...objects].map((o) => yaml.dump(o)).join('---\n'));
    const r = await runPlugin(['inspect', gatewayName, '-n', ns, '-f', file, '-o', 'json'], { timeoutMs: 90_000 });
    return { code: r.code, report: parse<Report>('inspect -f', r) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The tool on the live cluster (reads Traefik's status too). */
export async function inspectLive(gatewayName: string, ns: string, extra: string[] = []): Promise<{ code: number; report: Report; stderr: string }> {
  const r = await runPlugin(['inspect', gatewayName, '-n', ns, '-o', 'json', ...extra], { timeoutMs: 90_000 });
  return { code: r.code, report: parse<Report>('inspect', r), stderr: r.stderr };
}

/** `kubectl gwtls probe HOST:PORT --connect-to 127.0.0.1` through Traefik's real entry point, cross-checked against the cluster. */
export async function probeListener(host: string, port: number, caFile?: string): Promise<{ code: number; report: ProbeJson }> {
  const r = await runPlugin(['probe', `${host}:${port}`, '--connect-to', '127.0.0.1', '-o', 'json', ...(caFile ? ['--ca-file', caFile] : [])], { timeoutMs: 60_000 });
  return { code: r.code, report: parse<ProbeJson>('probe', r) };
}

/** Applies the safe fixes (`inspect --apply --yes`). */
export async function applySafeFixes(gatewayName: string, ns: string): Promise<{ code: number; stdout: string; stderr: string }> {
  return runPlugin(['inspect', gatewayName, '-n', ns, '--apply', '--yes', '-o', 'text'], { timeoutMs: 90_000, env: { NO_COLOR: '1' } });
}

/** Applies a suggestion's YAML as a person would: `kubectl apply --server-side -f -`. */
export async function kubectlApply(yamlText: string): Promise<void> {
  const { spawn } = await import('node:child_process');
  const env = e2eEnv();
  await new Promise<void>((resolve, reject) => {
    const child = spawn(process.env.GWTLS_E2E_KUBECTL || 'kubectl', ['apply', '--server-side', '--field-manager=e2e-person', '-f', '-'], { env: { ...process.env, KUBECONFIG: env.kubeconfig }, stdio: ['pipe', 'pipe', 'pipe'] });
    let err = '';
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`kubectl apply failed (${code}): ${err}`))));
    child.stdin.end(yamlText);
  });
}

export function writeTemp(name: string, text: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'gwtls-gw-'));
  const file = join(dir, name);
  writeFileSync(file, text);
  process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
  return file;
}

// ---------------------------------------------------------------------------------------------------------
// Real traffic through the entry points (127.0.0.1:PORT on the host, relayed byte for byte into Traefik)

export interface Outcome {
  ok: boolean;
  status?: number;
  body?: string;
  error?: string;
}

const REQUEST_TIMEOUT_MS = 5_000;

/** GET over HTTPS with SNI and Host `host`, verifying the served certificate against `ca`. ok: 200 from the expected backend. */
export function httpsGet(port: number, host: string, ca: string, expectBackend: string, path = '/'): Promise<Outcome> {
  return new Promise((resolve) => {
    const req = httpsRequest({ host: '127.0.0.1', port, path, servername: host, headers: { host }, ca, timeout: REQUEST_TIMEOUT_MS, agent: false }, (res) => {
      let body = '';
      res.on('data', (d: Buffer) => (body += d.toString()));
      res.on('end', () => resolve({ ok: res.statusCode === 200 && body.startsWith(`${expectBackend} ok`), status: res.statusCode, body }));
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', (e: NodeJS.ErrnoException) => resolve({ ok: false, error: e.code ?? e.message }));
    req.end();
  });
}

export function httpGet(port: number, host: string, expectBackend: string, path = '/'): Promise<Outcome> {
  return new Promise((resolve) => {
    const req = httpRequest({ host: '127.0.0.1', port, path, headers: { host }, timeout: REQUEST_TIMEOUT_MS, agent: false }, (res) => {
      let body = '';
      res.on('data', (d: Buffer) => (body += d.toString()));
      res.on('end', () => resolve({ ok: res.statusCode === 200 && body.startsWith(`${expectBackend} ok`), status: res.statusCode, body }));
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', (e: NodeJS.ErrnoException) => resolve({ ok: false, error: e.code ?? e.message }));
    req.end();
  });
}

/** TLS (SNI `host`, verified against `ca`) then a line; ok when the echo backend answers it. */
export function tlsEcho(port: number, host: string, ca: string, expectBackend: string): Promise<Outcome & { peerFingerprint?: string }> {
  return new Promise((resolve) => {
    let body = '';
    let fp: string | undefined;
    const done = (o: Outcome) => {
      clearTimeout(timer);
      socket.destroy();
      resolve({ ...o, peerFingerprint: fp });
    };
    const socket = tlsConnect({ host: '127.0.0.1', port, servername: host, ca }, () => {
      fp = socket.getPeerX509Certificate()?.fingerprint256;
      socket.write('ping\n');
    });
    const timer = setTimeout(() => done({ ok: false, body, error: 'timeout' }), REQUEST_TIMEOUT_MS);
    socket.on('data', (d: Buffer) => {
      body += d.toString();
      if (body.includes('\n')) done({ ok: body === `${expectBackend}: ping\n`, body });
    });
    socket.on('error', (e: NodeJS.ErrnoException) => done({ ok: false, body, error: e.code ?? e.message }));
    socket.on('end', () => done({ ok: false, body, error: 'closed' }));
  });
}

export function tcpEcho(port: number, expectBackend: string): Promise<Outcome> {
  return new Promise((resolve) => {
    let body = '';
    const done = (o: Outcome) => {
      clearTimeout(timer);
      socket.destroy();
      resolve(o);
    };
    const socket = netConnect(port, '127.0.0.1', () => socket.write('ping\n'));
    const timer = setTimeout(() => done({ ok: false, body, error: 'timeout' }), REQUEST_TIMEOUT_MS);
    socket.on('data', (d: Buffer) => {
      body += d.toString();
      if (body.includes('\n')) done({ ok: body === `${expectBackend}: ping\n`, body });
    });
    socket.on('error', (e: NodeJS.ErrnoException) => done({ ok: false, body, error: e.code ?? e.message }));
    socket.on('end', () => done({ ok: false, body, error: 'closed' }));
  });
}

/** Retries until the outcome is ok (Traefik applies a new configuration a moment after writing status). */
export async function until<T extends Outcome>(send: () => Promise<T>, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const o = await send();
    if (o.ok || Date.now() > deadline) return o;
    await delay(250);
  }
}

/** Sends for a while and returns the last outcome if it never succeeded (a failure that is not a moment's lag). */
export async function stillFails<T extends Outcome>(send: () => Promise<T>, forMs = 3_000): Promise<T> {
  const deadline = Date.now() + forMs;
  let last: T;
  do {
    last = await send();
    if (last.ok) return last;
    await delay(250);
  } while (Date.now() < deadline);
  return last;
}

/** One row of the closing table: printed so a run shows what was predicted, written and seen. */
export function record(row: { scenario: string; predicted: string; traefik: string; request: string; afterFix: string }): void {
  console.info(`[gwtls-e2e] SCENARIO ${JSON.stringify(row)}`);
}

export function errorsOn(report: Report, listener: string): Report['findings'] {
  return report.findings.filter((f) => f.severity === 'error' && (f.listener === undefined || f.listener === listener));
}

// ---------------------------------------------------------------------------------------------------------
// One scenario: prediction, Traefik's status, the comparison, and the request

export interface RouteRef {
  kind: 'HTTPRoute' | 'TCPRoute' | 'TLSRoute';
  apiVersion: string;
  name: string;
}

export interface Observed {
  gateway: GatewayStatus;
  routes: Map<string, RouteStatus>;
}

const strip = (s: GatewayStatus) => JSON.stringify(s.status, (k, v: unknown) => (k === 'lastTransitionTime' ? undefined : v));

/** Waits for Traefik's status on every route (current generation), then for the Gateway status to settle. */
export async function observe(gw: TraefikGateway, ns: string, gatewayName: string, routes: RouteRef[]): Promise<Observed> {
  const out = new Map<string, RouteStatus>();
  for (const r of routes) out.set(`${r.kind}/${r.name}`, await routeStatus(r.kind, r.apiVersion, ns, r.name, gw));
  let last = '';
  let since = Date.now();
  const g = await eventually(
    `a settled status on Gateway ${ns}/${gatewayName}`,
    async () => {
      const s = await gatewayStatus(ns, gatewayName, gw);
      const now = strip(s);
      if (now !== last) {
        last = now;
        since = Date.now();
        return undefined;
      }
      return Date.now() - since >= 1_500 ? s : undefined;
    },
    30_000,
    gw,
  );
  // routes may have been rewritten meanwhile: read them once more
  for (const r of routes) out.set(`${r.kind}/${r.name}`, await routeStatus(r.kind, r.apiVersion, ns, r.name, gw));
  return { gateway: g, routes: out };
}

const condLine = (list: Cond[] | undefined) => (list ?? []).map((c) => `${c.type}=${c.status}${c.status === 'True' ? '' : `(${c.reason})`}`).join(' ');

/** Traefik's listener status in one line, e.g. `Accepted=True ResolvedRefs=False(InvalidCertificateRef) Programmed=False(Invalid) attachedRoutes=0`. */
export function traefikListenerLine(o: Observed, listener: string): string {
  const l = o.gateway.status?.listeners?.find((x) => x.name === listener);
  return `${condLine(l?.conditions)} attachedRoutes=${l?.attachedRoutes ?? '?'}`;
}

export function traefikRouteLine(o: Observed, r: RouteRef): string {
  const p = o.routes.get(`${r.kind}/${r.name}`)?.status?.parents?.find((x) => x.controllerName === TRAEFIK_CONTROLLER_NAME);
  return `${r.kind} ${r.name}: ${condLine(p?.conditions)}`;
}

/** Whether Traefik's status says the listener works: Accepted, ResolvedRefs and Programmed all True. */
export function traefikListenerHealthy(o: Observed, listener: string): boolean {
  const l = o.gateway.status?.listeners?.find((x) => x.name === listener);
  return ['Accepted', 'ResolvedRefs', 'Programmed'].every((t) => cond(l?.conditions, t)?.status === 'True');
}

/**
 * The tool's prediction against what Traefik wrote:
 * - attachedRoutes (Traefik counts a route the listener allows even when the listener itself is refused, as the
 *   spec asks) against the routes the tool attaches to the listener;
 * - on a listener Traefik programs, each route's Accepted against the tool's `attached`;
 * - on a listener Traefik refuses, the tool must call the listener broken, and for ResolvedRefs=False say what
 *   is wrong with the certificate reference (a reference it cannot use, or an error on the Secret).
 */
export function compare(prediction: Report, o: Observed, gatewayName: string, listener: string, routes: RouteRef[]): void {
  const gwReport = prediction.gateways.find((g) => g.name === gatewayName);
  expect(gwReport, `prediction has Gateway ${gatewayName}`).toBeDefined();
  expect(gwReport!.implementation).toBe('Traefik');
  const lr = gwReport!.listeners.find((l) => l.name === listener)!;
  const ls = o.gateway.status?.listeners?.find((x) => x.name === listener);
  expect(ls, `Traefik wrote a status for listener ${listener}`).toBeDefined();
  const line = traefikListenerLine(o, listener);
  const predictedAttached = lr.routes.filter((x) => x.attached).length;
  expect(ls!.attachedRoutes, `attachedRoutes on ${listener}: Traefik ${line}; tool attaches ${predictedAttached}`).toBe(predictedAttached);
  if (traefikListenerHealthy(o, listener)) {
    for (const r of routes) {
      const predicted = lr.routes.find((x) => x.kind === r.kind && x.name === r.name);
      const p = o.routes.get(`${r.kind}/${r.name}`)?.status?.parents?.find((x) => x.controllerName === TRAEFIK_CONTROLLER_NAME);
      const traefikAccepted = cond(p?.conditions, 'Accepted')?.status === 'True';
      expect(predicted?.attached ?? false, `${r.kind} ${r.name} on listener ${listener}: tool (${predicted?.why ?? 'not listed'}) vs Traefik (${line}; ${traefikRouteLine(o, r)})`).toBe(traefikAccepted);
    }
    return;
  }
  expect(lr.ok, `Traefik refuses listener ${listener} (${line}); the tool says ${lr.verdict}`).toBe(false);
  const resolved = cond(ls!.conditions, 'ResolvedRefs');
  if (resolved?.status === 'False' && lr.tls) {
    const refs = lr.tls.certificateRefs ?? [];
    const refNotOk = refs.some((c) => c.state !== 'ok');
    const secretError = prediction.findings.some((f) => f.severity === 'error' && f.object.kind === 'Secret' && refs.some((c) => c.name === f.object.name && c.namespace === f.object.namespace));
    expect(refNotOk || secretError, `Traefik: ResolvedRefs=False (${resolved.reason}: ${resolved.message}); tool's certificateRefs: ${JSON.stringify(refs)}`).toBe(true);
  }
}
