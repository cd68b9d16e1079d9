// inspect --probe: probe every listener of the report (each Gateway status address × listener port; SNI = the
// listener hostname, or for wildcard/empty hostnames the attached routes' effective hostnames, bounded) and every
// backend of an attached route (a ready endpoint through the API server's port-forward), with bounded concurrency
// and a short timeout; then compare what was served with what is configured, and turn it all into findings,
// observations for the backend-TLS rules, and the `probe` fields of the report.
import { isIP } from 'node:net';
import type { KubeConfig } from '@kubernetes/client-node';
import { refOf, type BaseObject } from '../cluster/objects.ts';
import { serviceEndpoint, type BackendEndpoint } from '../cluster/port-forward.ts';
import { observationKey, observeBackend, type BackendObservation } from '../graph/backends.ts';
import type { BackendHop, ListenerModel, Model } from '../graph/model.ts';
import type { EndpointProbe, Finding } from '../report/types.ts';
import { decodeServed } from './backend.ts';
import { shortName } from './chain.ts';
import type { ProbeFinding } from './codes.ts';
import { certManagerReloadFinding } from './cert-manager-reload.ts';
import { compareWithListener, listenerEntry } from './cross-check.ts';
import { probe } from './probe.ts';
import { verdict } from './render.ts';
import { joinHostPort } from './target.ts';
import type { ProbeReport, ProbeTarget } from './types.ts';

export const INSPECT_PROBE_TIMEOUT_MS = 5_000;
export const INSPECT_PROBE_CONCURRENCY = 8;
/** Per listener: at most this many Gateway addresses and SNI names are combined. */
export const MAX_ADDRESSES = 2;
export const MAX_NAMES = 3;
/** Per run: listener and backend probes beyond these are skipped (with that reason). */
export const MAX_LISTENER_PROBES = 48;
export const MAX_BACKEND_PROBES = 32;

export interface InspectProbeOptions {
  timeoutMs?: number;
  concurrency?: number;
  /** For backends: the kubeconfig the port-forwards use; null in files mode. */
  kc: KubeConfig | null;
  now: Date;
}

export interface InspectProbes {
  listeners: Map<ListenerModel, EndpointProbe[]>;
  backends: Map<BackendHop, EndpointProbe>;
  observations: Map<string, BackendObservation>;
  /** PRB-* findings (object: the Gateway) and BPRB-* findings (object: the Service), with gateway and listener set. */
  findings: Finding[];
  /** The full probe reports, listener by listener and backend by backend (for the terminal UI). */
  listenerReports: Map<ListenerModel, ProbeReport[]>;
  backendReports: Map<BackendHop, ProbeReport>;
}

interface ListenerPlan {
  lm: ListenerModel;
  skip?: string;
  targets: Array<{ address: string; port: number; sni: string | null }>;
}

/** What to probe for one listener: addresses × names, or why nothing. */
export function planListener(lm: ListenerModel): ListenerPlan {
  const spec = lm.spec;
  if (spec.protocol !== 'HTTPS' && spec.protocol !== 'TLS') return { lm, skip: `not probed: the listener is ${spec.protocol}, no TLS is expected on it`, targets: [] };
  const addresses = lm.gateway.obj.statusAddresses.map((a) => a.value).filter(Boolean);
  if (addresses.length === 0) return { lm, skip: 'not probed: the Gateway has no address in its status yet (not Programmed, or the load balancer is still being provisioned)', targets: [] };
  const names: Array<string | null> = [];
  if (spec.hostname && !spec.hostname.startsWith('*')) names.push(spec.hostname.toLowerCase());
  else {
    for (const a of lm.attachments) {
      if (!a.result.accepted) continue;
      for (const h of a.result.hostnames) if (h !== '*' && !h.startsWith('*.') && !names.includes(h.toLowerCase())) names.push(h.toLowerCase());
    }
    // No concrete name: what a client without SNI (or with an unknown one) gets.
    if (names.length === 0) names.push(null);
  }
  const targets = addresses.slice(0, MAX_ADDRESSES).flatMap((address) => names.slice(0, MAX_NAMES).map((sni) => ({ address, port: spec.port, sni })));
  return { lm, targets };
}

/** Probes one listener address with one SNI name (library: no cluster comparison). */
export function probeListenerTarget(t: { address: string; port: number; sni: string | null }, timeoutMs: number, now: Date): Promise<ProbeReport> {
  const host = t.sni ?? t.address;
  const target: ProbeTarget = { kind: 'host', input: joinHostPort(host, t.port), host, port: t.port, ip: t.sni === null && isIP(t.address) !== 0 };
  return probe(target, { connectTo: joinHostPort(t.address, t.port), sni: t.sni ?? '', timeoutMs, now });
}

/** Runs fns with at most `n` at a time; results in order. */
async function pool<T>(fns: Array<() => Promise<T>>, n: number): Promise<T[]> {
  const out = new Array<T>(fns.length);
  let next = 0;
  const worker = async () => {
    while (next < fns.length) {
      const i = next++;
      out[i] = await fns[i]!();
    }
  };
  await Promise.all(Array.from({ length: Math.min(n, fns.length) }, worker));
  return out;
}

interface BackendPlan {
  hop: BackendHop;
  lm: ListenerModel;
  skip?: string;
  key?: string;
  endpoint?: BackendEndpoint;
}

/** Whether (and where) a backend hop can be probed. */
export function planBackend(model: Model, lm: ListenerModel, hop: BackendHop, filesMode: boolean): BackendPlan {
  const b = hop.backend;
  if (b.type !== 'service') return { hop, lm, skip: `not probed: only Service backends are probed (${b.ref.kind} ${b.ref.namespace}/${b.ref.name})` };
  if (filesMode) return { hop, lm, skip: 'not probed: read from files, there is no cluster to reach the pods through' };
  const svc = b.service?.found ? b.service.obj : undefined;
  if (!svc || !b.servicePort) return { hop, lm, skip: `not probed: ${b.why || 'the Service port does not resolve'}` };
  const choice = serviceEndpoint(model.snapshot, svc, b.servicePort);
  if (!choice.ok) return { hop, lm, skip: `not probed: ${choice.reason}` };
  return { hop, lm, endpoint: choice.endpoint, key: observationKey(svc.meta.namespace, svc.meta.name, b.servicePort.port) };
}

/** The observation the backend-TLS rules read, from a backend probe. */
export function observationOf(r: ProbeReport, now: Date): BackendObservation {
  const chain = decodeServed(r, now, r.backend?.pod ? `pod ${r.backend.namespace}/${r.backend.pod}` : 'probe');
  const c = r.connection;
  const where = r.backend?.pod ? `pod ${r.backend.namespace}/${r.backend.pod} port ${r.backend.targetPort}` : r.target.input;
  const speaks: BackendObservation['speaks'] = c.notTls ? 'plaintext' : c.phase === 'done' || chain.length > 0 ? 'tls' : c.phase === 'connect' && c.error?.code === 'ECONNREFUSED' ? 'refused' : 'failed';
  return { speaks, chain, where, sni: r.target.sni, summary: backendSummary(r), protocol: c.notTls?.name ?? null };
}

/** One line in words for a backend probe. */
export function backendSummary(r: ProbeReport): string {
  const c = r.connection;
  const v = r.gatewayView;
  if (c.phase === 'target' || c.phase === 'dns' || c.phase === 'connect') return c.error?.summary ?? 'could not connect';
  if (c.notTls) return `answers in ${c.notTls.name}, not TLS${v ? (v.verdict === 'fail' ? ', yet the gateway opens TLS to it' : v.verdict === 'plaintext' ? ', as the gateway expects (it sends plaintext)' : '') : ''}`;
  const leaf = r.chain[0];
  const tls = c.protocol ? `TLS (${c.protocol})` : 'TLS handshake incomplete';
  const served = leaf ? `, serves ${shortName(leaf.subject)}${leaf.selfSigned ? ' (self-signed)' : ''}` : '';
  const err = c.error && c.phase !== 'done' ? `: ${c.error.summary}` : '';
  const gw = v ? (v.verdict === 'pass' ? '; the gateway would accept it' : v.verdict === 'fail' ? (v.policy ? '; the gateway would reject it' : '; but the gateway sends plaintext to it') : v.verdict === 'plaintext' ? '; the gateway sends plaintext' : '') : '';
  return `${tls}${served}${err}${gw}`;
}

/** One line in words for a listener probe. */
export function listenerSummary(r: ProbeReport): string {
  const base = verdict(r);
  const cl = r.cluster;
  if (!cl || cl.outcome === 'skipped' || cl.outcome === 'no-listener') return base;
  if (cl.outcome === 'same') return `${base}; the served certificate is the configured one`;
  return base;
}

function endpointProbe(r: ProbeReport, kind: 'listener' | 'backend', codes: string[]): EndpointProbe {
  const c = r.connection;
  const out: EndpointProbe = {
    status: 'probed',
    endpoint: kind === 'backend' ? (r.backend?.pod ? `pod ${r.backend.namespace}/${r.backend.pod}:${r.backend.targetPort}` : r.target.input) : r.target.address ? joinHostPort(r.target.address, r.target.addressPort ?? r.target.port) : r.target.input,
    sni: r.target.sni,
    summary: kind === 'backend' ? backendSummary(r) : listenerSummary(r),
    ok: r.ok,
    tls: c.protocol ? { protocol: c.protocol, cipher: c.cipherStandardName ?? c.cipher, alpn: c.alpn } : null,
    notTls: c.notTls ? { protocol: c.notTls.protocol, name: c.notTls.name } : null,
    error: c.error ? { code: c.error.code, summary: c.error.summary } : null,
    leaf: r.chain[0] ?? null,
    chainLength: r.chain.length,
    codes,
    durationMs: c.totalMs,
  };
  if (kind === 'listener') {
    out.trusted = r.verification.trusted;
    out.hostnameMatches = r.verification.hostnameMatches;
    out.trustStore = r.verification.trustStore;
    const cl = r.cluster;
    out.configured = cl && cl.outcome !== 'skipped' && cl.outcome !== 'no-listener' ? { outcome: cl.outcome ?? 'unknown', servedMatchesConfigured: cl.servedMatchesConfigured, configuredFrom: cl.configuredFrom, why: cl.why ?? '' } : null;
  } else {
    const v = r.gatewayView;
    out.gateway = v ? { verdict: v.verdict, trusted: v.trusted, nameMatches: v.nameMatches, sni: v.sni, why: v.why } : null;
    // A backend is fine when the gateway's connection to it works: plaintext is fine when the gateway sends plaintext.
    const reached = c.phase !== 'target' && c.phase !== 'dns' && c.phase !== 'connect';
    out.ok = reached && v?.verdict !== 'fail' && !r.findings.some((f) => f.severity === 'error' && codes.includes(f.code));
  }
  return out;
}

const skipped = (summary: string, sni: string | null = null): EndpointProbe => ({ status: 'skipped', endpoint: null, sni, summary, ok: null });

/** A probe finding as an inspect finding: on the given object, under its Gateway and listener, the hint as evidence. */
function asInspectFinding(f: ProbeFinding, object: BaseObject, lm: ListenerModel, prefix: string): Finding {
  const gw = lm.gateway.obj;
  return {
    code: f.code,
    severity: f.severity,
    title: f.title,
    message: `${prefix}: ${f.message}`,
    object: refOf(object),
    evidence: [...f.evidence, ...(f.hint ? [`to resolve: ${f.hint}`] : [])],
    docs: f.docs,
    fixes: [],
    gateway: `${gw.meta.namespace}/${gw.meta.name}`,
    listener: lm.spec.name,
  };
}

/** In inspect, BPRB-002/003 are reported by the backend-TLS rules (BTLS-006/007/010) from the observation; BPRB-001 only explains. */
function inspectBackendFinding(f: ProbeFinding): ProbeFinding | null {
  if (f.code === 'GWTLS-BPRB-002' || f.code === 'GWTLS-BPRB-003') return null;
  if (f.code === 'GWTLS-BPRB-001') return { ...f, severity: 'info' };
  return f;
}

/**
 * Probes listeners and backends of the model. Backends are probed first so that a Passthrough listener's served
 * certificate can be compared with what its backend really serves; observations are attached to the model's
 * backends (the backend-TLS rules read them), so run the rules after this.
 */
export async function probeModel(model: Model, opts: InspectProbeOptions): Promise<InspectProbes> {
  const timeoutMs = opts.timeoutMs ?? INSPECT_PROBE_TIMEOUT_MS;
  const concurrency = opts.concurrency ?? INSPECT_PROBE_CONCURRENCY;
  const out: InspectProbes = { listeners: new Map(), backends: new Map(), observations: new Map(), findings: [], listenerReports: new Map(), backendReports: new Map() };
  const filesMode = model.snapshot.source.type === 'files' || !opts.kc;

  // Backends: one probe per Service port (and SNI), shared by every hop that uses it.
  const plans: BackendPlan[] = [];
  for (const g of model.gateways) for (const lm of g.listeners) for (const hop of lm.backends) plans.push(planBackend(model, lm, hop, filesMode));
  const unique = new Map<string, BackendPlan>();
  for (const p of plans) if (p.key && !unique.has(p.key)) unique.set(p.key, p);
  const toProbe = [...unique.values()];
  const backendReports = new Map<string, ProbeReport>();
  const tasks = toProbe.slice(0, MAX_BACKEND_PROBES).map((p) => async () => {
    backendReports.set(p.key!, await probeHop(model, p.hop, p.endpoint!, opts.kc!, timeoutMs, opts.now));
  });
  await pool(tasks, concurrency);
  const limited = new Set(toProbe.slice(MAX_BACKEND_PROBES).map((p) => p.key!));
  const reported = new Set<string>();
  for (const p of plans) {
    if (p.skip || !p.key) {
      out.backends.set(p.hop, skipped(p.skip ?? 'not probed'));
      continue;
    }
    if (limited.has(p.key)) {
      out.backends.set(p.hop, skipped(`not probed: more than ${MAX_BACKEND_PROBES} backends`));
      continue;
    }
    const r = backendReports.get(p.key)!;
    out.backendReports.set(p.hop, r);
    const findings = (r.findings as ProbeFinding[]).map(inspectBackendFinding).filter((f): f is ProbeFinding => f !== null);
    out.backends.set(p.hop, endpointProbe(r, 'backend', findings.map((f) => f.code)));
    if (!out.observations.has(p.key)) {
      const obs = observationOf(r, opts.now);
      out.observations.set(p.key, obs);
    }
    observeBackend(p.hop.backend, out.observations.get(p.key)!);
    if (reported.has(p.key)) continue;
    reported.add(p.key);
    const svc = p.hop.backend.service?.found ? p.hop.backend.service.obj : undefined;
    if (svc) for (const f of findings) out.findings.push(asInspectFinding(f, svc, p.lm, `Service ${svc.meta.namespace}/${svc.meta.name} port ${p.hop.backend.servicePort?.port ?? '?'} (probed through ${out.backends.get(p.hop)?.endpoint ?? 'port-forward'})`));
  }
  // Model backends that share a Service port but belong to other routes get the same observation.
  for (const route of model.routes) {
    for (const b of route.backends) {
      const obs = b.type === 'service' && b.ref.port !== undefined ? out.observations.get(observationKey(b.ref.namespace, b.ref.name, b.ref.port)) : undefined;
      if (obs && b.observation !== obs) observeBackend(b, obs);
    }
  }

  // Listeners.
  const lplans: ListenerPlan[] = [];
  for (const g of model.gateways) for (const lm of g.listeners) lplans.push(planListener(lm));
  let budget = MAX_LISTENER_PROBES;
  const ltasks: Array<() => Promise<void>> = [];
  for (const p of lplans) {
    if (p.skip) {
      out.listeners.set(p.lm, [skipped(p.skip)]);
      continue;
    }
    const targets = p.targets.slice(0, Math.max(0, budget));
    budget -= targets.length;
    if (targets.length === 0) {
      out.listeners.set(p.lm, [skipped(`not probed: more than ${MAX_LISTENER_PROBES} listener probes`)]);
      continue;
    }
    const reports: ProbeReport[] = new Array<ProbeReport>(targets.length);
    out.listenerReports.set(p.lm, reports);
    targets.forEach((t, i) => ltasks.push(async () => {
      reports[i] = await probeListenerTarget(t, timeoutMs, opts.now);
    }));
  }
  await pool(ltasks, concurrency);
  for (const [lm, reports] of out.listenerReports) {
    const probes: EndpointProbe[] = [];
    for (const r of reports) {
      compareReport(model, lm, r);
      const at = `${joinHostPort(r.target.address ?? r.target.host, r.target.addressPort ?? r.target.port)}${r.target.sni ? ` (SNI ${r.target.sni})` : ' (no SNI)'}`;
      for (const f of r.findings as ProbeFinding[]) out.findings.push(asInspectFinding(f, lm.gateway.obj, lm, at));
      probes.push(endpointProbe(r, 'listener', r.findings.map((f) => f.code)));
    }
    out.listeners.set(lm, probes);
  }
  return out;
}

/** Probes the backend of one hop through port-forward (the terminal UI's probeBackend, and probeModel). */
export async function probeHop(model: Model, hop: BackendHop, endpoint: BackendEndpoint, kc: KubeConfig, timeoutMs: number, now: Date): Promise<ProbeReport> {
  const { probeBackendEndpoint } = await import('./cluster.ts');
  const b = hop.backend;
  return probeBackendEndpoint({
    kc,
    snapshot: model.snapshot,
    backend: b,
    decision: hop.tls,
    endpoint,
    info: { kind: 'service', namespace: b.ref.namespace, name: b.ref.name, servicePort: b.servicePort?.port ?? b.ref.port ?? null, portName: b.servicePort?.name ?? null, pod: endpoint.pod, targetPort: endpoint.port, resolvedBy: endpoint.why, via: 'port-forward' },
    options: { timeoutMs },
    now,
  });
}

/** Probes one listener (every address × name) and compares with its configuration: the terminal UI's probeListener. */
export async function probeListenerReports(model: Model, lm: ListenerModel, timeoutMs: number, now: Date): Promise<ProbeReport[]> {
  const plan = planListener(lm);
  if (plan.skip) return [];
  const reports = await Promise.all(plan.targets.map((t) => probeListenerTarget(t, timeoutMs, now)));
  for (const r of reports) compareReport(model, lm, r);
  return reports;
}

/** Fills `cluster` of a listener probe (this listener, known) and adds the comparison's finding. */
function compareReport(model: Model, lm: ListenerModel, r: ProbeReport): void {
  const endpoint = joinHostPort(r.target.host, r.target.port);
  const { check, finding: compared } = compareWithListener(lm, model, r, endpoint);
  r.cluster = { ...check, context: model.snapshot.source.context ?? null, matched: [listenerEntry({ gateway: lm.gateway.obj, listener: lm.spec, addressMatch: true, rank: 3 })] };
  // An older issuance of the Secret's cert-manager Certificate: say that the gateway has not reloaded it.
  const reload = certManagerReloadFinding(lm, r, endpoint);
  if (reload) r.cluster.code = reload.code;
  const finding = reload ?? compared;
  if (!finding) return;
  r.findings.push(finding);
  if (finding.severity === 'error') {
    r.summary.errors++;
    r.ok = false;
  } else if (finding.severity === 'warning') r.summary.warnings++;
  else r.summary.info++;
}
