/**
 * Both sides as the same set of facts, keyed by object:
 * - `Gateway ns/name`, `Listener ns/gw/listener`, `Route Kind ns/name -> ns/gw#section:port`,
 *   `Policy ns/name -> ns/gw#section:port`: conditions as sorted `Type=Status/Reason`;
 * - `Listener ... attachedRoutes`: a number;
 * - `Listener ... served`: the Secrets in its filter chain and the SNI names it matches, with leaf fingerprints;
 * - `Upstream Kind ns/name rule R backend B -> ns/gw/listener`: plaintext, tls-unverified or tls-verified with
 *   SNI, the names verified and the CA.
 */
import { X509Certificate } from 'node:crypto';
import type { Condition, ExpectedCondition, InspectReport } from '../../src/report/types.ts';
import { selectServed, type ServingCandidate } from '../../src/graph/tls-facts.ts';
import type { EgctlOutput } from './run.ts';

export type Facts = Map<string, string>;

type Obj = Record<string, unknown>;
const rec = (v: unknown): Obj => (v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : {});
const arr = (v: unknown): Obj[] => (Array.isArray(v) ? v.map(rec) : []);
const str = (v: unknown): string => (typeof v === 'string' ? v : v === undefined || v === null ? '' : String(v));

export function conditionsFact(conds: ReadonlyArray<Pick<Condition | ExpectedCondition, 'type' | 'status' | 'reason'>>): string {
  return conds
    .map((c) => `${c.type}=${c.status}/${c.reason ?? ''}`)
    .sort()
    .join(' ');
}

export function parentKey(routeKind: string, routeNs: string, routeName: string, ref: { namespace?: string; name: string; sectionName?: string; port?: number | string }): string {
  return `Route ${routeKind} ${routeNs}/${routeName} -> ${ref.namespace ?? routeNs}/${ref.name}${ref.sectionName ? `#${ref.sectionName}` : ''}${ref.port !== undefined && ref.port !== '' ? `:${ref.port}` : ''}`;
}

export function ancestorKey(policyNs: string, policyName: string, ref: { namespace?: string; name: string; sectionName?: string; port?: number | string }): string {
  return `Policy ${policyNs}/${policyName} -> ${ref.namespace ?? '?'}/${ref.name}${ref.sectionName ? `#${ref.sectionName}` : ''}${ref.port !== undefined && ref.port !== '' ? `:${ref.port}` : ''}`;
}

// ---------------------------------------------------------------------------------------------------------
// The oracle

/** provider/kubernetes/status.go: the Gateway's Accepted, derived from its listeners (status/gateway.go). */
function derivedAccepted(listeners: Obj[]): ExpectedCondition {
  const accepted = listeners.map((l) => arr(l.conditions).some((c) => c.type === 'Accepted' && c.status === 'True'));
  if (accepted.every(Boolean)) return { type: 'Accepted', status: 'True', reason: 'Accepted' };
  if (accepted.some(Boolean)) return { type: 'Accepted', status: 'True', reason: 'ListenersNotValid' };
  return { type: 'Accepted', status: 'False', reason: 'ListenersNotValid' };
}

const ROUTE_LISTS: Array<[string, string]> = [
  ['httpRoutes', 'HTTPRoute'],
  ['grpcRoutes', 'GRPCRoute'],
  ['tlsRoutes', 'TLSRoute'],
  ['tcpRoutes', 'TCPRoute'],
  ['udpRoutes', 'UDPRoute'],
];

export function oracleFacts(out: EgctlOutput, controller: string, className: string): Facts {
  const facts: Facts = new Map();
  const r = out.resources;
  for (const g of arr(r.gateways)) {
    if (str(rec(g.spec).gatewayClassName) !== className) continue;
    const meta = rec(g.metadata);
    const id = `${str(meta.namespace)}/${str(meta.name)}`;
    const status = rec(g.status);
    const listeners = arr(status.listeners);
    const conds: ExpectedCondition[] = arr(status.conditions).map((c) => ({ type: str(c.type), status: str(c.status), reason: str(c.reason) }));
    if (!conds.some((c) => c.type === 'Accepted' && c.status === 'False')) {
      const i = conds.findIndex((c) => c.type === 'Accepted');
      if (i >= 0) conds.splice(i, 1);
      conds.push(derivedAccepted(listeners));
    }
    facts.set(`Gateway ${id}`, conditionsFact(conds));
    for (const l of listeners) {
      const key = `Listener ${id}/${str(l.name)}`;
      facts.set(key, conditionsFact(arr(l.conditions) as unknown as Condition[]));
      facts.set(`${key} attachedRoutes`, String(Number(l.attachedRoutes ?? 0)));
    }
  }
  for (const [list, kind] of ROUTE_LISTS) {
    for (const route of arr(r[list])) {
      const meta = rec(route.metadata);
      for (const p of arr(rec(route.status).parents)) {
        if (str(p.controllerName) !== controller) continue;
        const ref = rec(p.parentRef);
        const key = parentKey(kind, str(meta.namespace), str(meta.name), { namespace: str(ref.namespace) || undefined, name: str(ref.name), sectionName: str(ref.sectionName) || undefined, port: ref.port as number | undefined } as never);
        facts.set(key, conditionsFact(arr(p.conditions) as unknown as Condition[]));
      }
    }
  }
  for (const policy of arr(r.backendTLSPolicies)) {
    const meta = rec(policy.metadata);
    for (const a of arr(rec(policy.status).ancestors)) {
      if (str(a.controllerName) !== controller) continue;
      const ref = rec(a.ancestorRef);
      if (str(ref.kind || 'Gateway') !== 'Gateway') continue;
      const key = ancestorKey(str(meta.namespace), str(meta.name), { namespace: str(ref.namespace) || undefined, name: str(ref.name), sectionName: str(ref.sectionName) || undefined, port: ref.port as number | undefined } as never);
      facts.set(key, conditionsFact(arr(a.conditions) as unknown as Condition[]));
    }
  }
  return facts;
}

// ---------------------------------------------------------------------------------------------------------
// The tool

export function toolFacts(report: InspectReport, className: string): Facts {
  const facts: Facts = new Map();
  for (const g of report.gateways) {
    if (g.className !== className) continue;
    const id = `${g.namespace}/${g.name}`;
    facts.set(`Gateway ${id}`, conditionsFact(g.expectedConditions ?? []));
    // A Gateway Envoy Gateway refuses before processing its listeners (an unsupported address, an invalid
    // EnvoyProxy) gets no listener status.
    const refused = (g.expectedConditions ?? []).some((c) => c.type === 'Accepted' && c.status === 'False' && c.reason !== 'ListenersNotValid');
    for (const l of refused ? [] : g.listeners) {
      const key = `Listener ${id}/${l.name}`;
      facts.set(key, conditionsFact(l.expectedConditions ?? []));
      facts.set(`${key} attachedRoutes`, String(l.expectedAttachedRoutes ?? 0));
    }
    for (const rt of g.routes ?? []) {
      if ((rt.expectedConditions ?? []).length === 0) continue;
      const key = parentKey(rt.kind, rt.namespace, rt.name, { namespace: g.namespace, name: g.name, ...(rt.parentRef.sectionName !== undefined ? { sectionName: rt.parentRef.sectionName } : {}), ...(rt.parentRef.port !== undefined ? { port: rt.parentRef.port } : {}) });
      facts.set(key, conditionsFact(rt.expectedConditions));
    }
    for (const p of g.backendTLSPolicies ?? []) {
      facts.set(ancestorKey(p.namespace, p.name, p.ancestorRef), conditionsFact(p.expectedConditions));
    }
  }
  return facts;
}

export function fingerprint(pem: string): string | null {
  try {
    return new X509Certificate(pem).fingerprint256.replace(/:/g, '').toLowerCase();
  } catch {
    return null;
  }
}

// ---------------------------------------------------------------------------------------------------------
// Per-hop TLS facts. Compared only where Envoy Gateway programs something (a ready listener, a usable
// backend): what it does not program is covered by the conditions above.

const FP = 16;

function decodeLeaf(b64: string): { names: string[]; keyType: string; fingerprintSha256: string | null } {
  const pem = Buffer.from(b64, 'base64').toString('utf8');
  const first = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/.exec(pem)?.[0];
  if (!first) return { names: [], keyType: '?', fingerprintSha256: null };
  const x = new X509Certificate(first);
  const names = (x.subjectAltName ?? '')
    .split(', ')
    .filter((n) => n.startsWith('DNS:'))
    .map((n) => n.slice(4));
  const t = x.publicKey.asymmetricKeyType;
  return { names, keyType: t === 'ec' ? 'ECDSA' : t === 'rsa' || t === 'rsa-pss' ? 'RSA' : t === 'ed25519' ? 'Ed25519' : String(t), fingerprintSha256: x.fingerprint256 };
}

function pemFingerprint(b64: string): string | null {
  const pem = Buffer.from(b64, 'base64').toString('utf8');
  const first = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/.exec(pem)?.[0];
  const fp = first ? fingerprint(first) : null;
  return fp ? fp.slice(0, FP) : null;
}

/** Served certificates as pairs `SNI>secret@leaf`, sorted. */
export function servedFact(entries: Array<{ sni: string; secret: string | null; fingerprintSha256: string | null }>): string {
  return entries
    .map((e) => `${e.sni}>${e.secret ?? '?'}@${e.fingerprintSha256 ? e.fingerprintSha256.replace(/:/g, '').toLowerCase().slice(0, FP) : '?'}`)
    .sort()
    .join(' ');
}

export function upstreamFact(state: string, sni: string | undefined, names: string[], ca: string[]): string {
  if (state !== 'tls-verified') return `${state}${state === 'tls-unverified' && sni ? ` sni=${sni}` : ''}`;
  return `tls-verified sni=${sni ?? '-'} names=${[...names].sort().join(',')} ca=${[...ca].sort().join(',')}`;
}

interface XdsIndex {
  chains: Map<string, Obj>;
  clusters: Map<string, Obj>;
  /** Destination setting name -> the transport_socket_match of its endpoints (or '' when none). */
  settings: Map<string, { cluster: string; match: string }>;
}

function indexXds(xds: Record<string, unknown>): XdsIndex {
  const out: XdsIndex = { chains: new Map(), clusters: new Map(), settings: new Map() };
  for (const dump of Object.values(xds)) {
    for (const c of arr(rec(dump).configs)) {
      const type = str(c['@type']);
      if (type.endsWith('ListenersConfigDump')) {
        for (const l of arr(c.dynamicListeners)) for (const fc of arr(rec(rec(rec(l).activeState).listener).filterChains)) out.chains.set(str(fc.name), fc);
      } else if (type.endsWith('ClustersConfigDump')) {
        for (const d of arr(c.dynamicActiveClusters)) out.clusters.set(str(rec(d.cluster).name), rec(d.cluster));
      } else if (type.endsWith('EndpointsConfigDump')) {
        for (const e of arr(c.dynamicEndpointConfigs)) {
          const cla = rec(e.endpointConfig);
          for (const g of arr(cla.endpoints)) {
            const region = str(rec(g.locality).region);
            const lb = arr(g.lbEndpoints)[0];
            // An invalid backendRef keeps its place in the cluster with no endpoint (an empty destination).
            if (!lb) continue;
            const match = str(rec(rec(rec(lb?.metadata).filterMetadata)['envoy.transport_socket_match']).name);
            if (region) out.settings.set(region, { cluster: str(cla.clusterName), match });
          }
        }
      }
    }
  }
  return out;
}

/** The UpstreamTlsContext an endpoint group uses: its transport_socket_match, else the cluster's socket. */
function upstreamContext(ix: XdsIndex, setting: string): Obj | null {
  const s = ix.settings.get(setting);
  if (!s) return null;
  const cluster = ix.clusters.get(s.cluster) ?? {};
  const matched = s.match ? arr(cluster.transportSocketMatches).find((m) => str(m.name) === s.match) : undefined;
  const socket = rec(matched ? matched.transportSocket : cluster.transportSocket);
  if (!socket.name || str(socket.name) === 'dummy.transport_socket') return {};
  return rec(socket.typedConfig);
}

export function oracleTlsFacts(out: EgctlOutput, facts: Facts): void {
  const ix = indexXds(out.xds);
  const caBySetting = new Map<string, string>();
  const passthroughSettings = new Set<string>();
  const otherSettings = new Set<string>();
  const listenerHostnames = new Map<string, string>();
  for (const g of arr(out.resources.gateways)) {
    const meta = rec(g.metadata);
    for (const l of arr(rec(g.spec).listeners)) if (l.hostname) listenerHostnames.set(`${str(meta.namespace)}/${str(meta.name)}/${str(l.name)}`, str(l.hostname));
  }
  for (const gw of Object.values(out.xdsIR)) {
    const g = rec(gw);
    for (const l of [...arr(g.http), ...arr(g.tcp), ...arr(g.udp)]) {
      const name = str(l.name);
      const certs = arr(rec(l.tls).certificates);
      if (certs.length > 0) {
        // The filter chain's certificates (xDS), in order, decoded from the IR's copies.
        const chain = ix.chains.get(name);
        const sdsNames = arr(rec(rec(rec(chain?.transportSocket).typedConfig).commonTlsContext).tlsCertificateSdsSecretConfigs).map((x) => str(x.name));
        const byName = new Map(certs.map((c) => [str(c.name), decodeLeaf(str(c.certificate))]));
        const order = chain && sdsNames.length ? sdsNames : certs.map((c) => str(c.name));
        const candidates: ServingCandidate[] = order.map((n) => ({ secret: n, ...(byName.get(n) ?? { names: [], keyType: '?', fingerprintSha256: null }) }));
        const hostname = listenerHostnames.get(name);
        facts.set(`Served ${name}`, servedFact(selectServed(hostname, candidates).map(({ sni, candidate: c }) => ({ sni, secret: c.secret, fingerprintSha256: c.fingerprintSha256 }))));
      }
      for (const r of [...arr(l.routes), ...(l.route ? [rec(l.route)] : [])]) {
        // A TLS route on a listener that does not terminate: the client's TLS passes through to the backend.
        const passthrough = Object.keys(rec(r.tls)).length > 0 && !rec(r.tls).terminate;
        for (const s of arr(rec(r.destination).settings)) {
          (passthrough ? passthroughSettings : otherSettings).add(str(s.name));
          const tls = rec(s.tls);
          const ca = rec(tls.caCertificate);
          if (tls.useSystemTrustStore === true) caBySetting.set(str(s.name), 'system');
          else if (ca.certificate) caBySetting.set(str(s.name), pemFingerprint(str(ca.certificate)) ?? '?');
        }
      }
    }
  }
  for (const setting of ix.settings.keys()) {
    const ctx = upstreamContext(ix, setting);
    if (ctx === null) continue;
    const key = `Upstream ${setting}`;
    if (!ctx['@type']) {
      // One cluster serves every listener the route is on: plaintext behind a terminating one, the client's
      // TLS behind a passthrough one.
      const states = [...(passthroughSettings.has(setting) ? ['passthrough'] : []), ...(otherSettings.has(setting) || !passthroughSettings.has(setting) ? ['plaintext'] : [])];
      facts.set(key, states.sort().join(' | '));
      continue;
    }
    const common = rec(ctx.commonTlsContext);
    const combined = rec(common.combinedValidationContext);
    const validation = Object.keys(combined).length ? rec(combined.defaultValidationContext) : rec(common.validationContext);
    const verifying = Object.keys(combined).length > 0 || Object.keys(rec(common.validationContext)).length > 0 || !!common.validationContextSdsSecretConfig;
    const sni = str(ctx.sni) || undefined;
    if (!verifying) {
      facts.set(key, upstreamFact('tls-unverified', sni, [], []));
      continue;
    }
    const names = arr(validation.matchTypedSubjectAltNames).map((m) => str(rec(m.matcher).exact) || str(rec(m.matcher).prefix) || '?');
    facts.set(key, upstreamFact('tls-verified', sni, names, [caBySetting.get(setting) ?? '?']));
  }
}

const L4 = new Set(['TCPRoute', 'TLSRoute', 'UDPRoute']);

export function toolTlsFacts(report: InspectReport, className: string, facts: Facts): void {
  const upstream = new Map<string, Set<string>>();
  for (const g of report.gateways) {
    if (g.className !== className) continue;
    for (const l of g.listeners) {
      const served = l.tls?.served ?? [];
      if (served.length > 0) facts.set(`Served ${g.namespace}/${g.name}/${l.name}`, servedFact(served));
      // Envoy Gateway programs routes on ready listeners only.
      const programmed = (l.expectedConditions ?? []).some((c) => c.type === 'Programmed' && c.status === 'True');
      for (const rt of l.routes) {
        if (!programmed || !rt.attached || rt.expectedConditions?.some((c) => c.type === 'Accepted' && c.status === 'False')) continue;
        for (const b of rt.backends) {
          if (b.rule === undefined || b.index === undefined) continue;
          const rule = L4.has(rt.kind) ? -1 : b.rule;
          const key = `Upstream ${rt.kind.toLowerCase()}/${rt.namespace}/${rt.name}/rule/${rule}/backend/${b.index}`;
          const t = b.tls;
          const state = t.state ?? 'unknown';
          // The first certificate of the CA bundle, or '?' when none could be decoded (as on the oracle's side).
          const first = (t.caCertificates ?? [])[0];
          const ca = t.system ? ['system'] : [first ? first.fingerprintSha256.replace(/:/g, '').toLowerCase().slice(0, FP) : '?'];
          const set = upstream.get(key) ?? new Set<string>();
          upstream.set(key, set);
          set.add(upstreamFact(state, t.hostname, t.verifyNames ?? [], ca));
        }
      }
    }
  }
  for (const [key, states] of upstream) facts.set(key, [...states].sort().join(' | '));
}
