/**
 * A seeded generator of valid Gateway API configurations for the Envoy Gateway class: every configuration lives
 * in its own pair of namespaces (c<i>, c<i>-b), so that many of them share one input file and one egctl run
 * without touching each other. The structure (listeners, certificateRefs, routes, parentRefs, backends,
 * policies) is drawn from a seeded PRNG; the certificates come from a pool issued once per run (their bytes
 * differ between runs, their properties do not).
 *
 * Dimensions: listener protocol x TLS mode x hostname x certificateRefs (present, missing, cross-namespace with
 * and without ReferenceGrant, expired, not yet valid, key of another certificate, wrong Secret type, wrong kind,
 * CN only, two certificates for one name); allowedRoutes (Same, All, Selector, explicit kinds, valid or not);
 * every route kind with parentRefs by name, sectionName (existing or not) and port (existing or not); route
 * hostnames; Services with and without appProtocol and named ports, missing Services and ports, cross-namespace
 * backendRefs with and without ReferenceGrant; BackendTLSPolicy with a CA, with wellKnownCACertificates, with
 * SANs, with a missing ConfigMap, on the whole Service or one port, two for one target; Envoy Gateway Backends
 * with TLS (insecureSkipVerify, CA, System, SNI, none of them); the Backend API on or off (ConfigMap
 * envoy-gateway-config, one value per batch).
 */
import { issue, tlsSecret, type Issued } from '../helpers/certs.ts';
import type { Doc } from './input.ts';

const DAY = 86_400_000;

/** mulberry32: small, fast, good enough to spread choices. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Pool {
  ca: Issued;
  /** By name: a valid leaf for the name. */
  valid: Record<string, Issued>;
  validEc: Record<string, Issued>;
  expired: Issued;
  notYet: Issued;
  cnOnly: Issued;
  /** A certificate whose key is another certificate's key. */
  mismatched: { certPem: string; keyPem: string };
}

const NAMES = ['app.example.com', '*.example.com', 'other.test'];

export function certificatePool(): Pool {
  const ca = issue({ cn: 'Oracle Test CA', ca: true, keyType: 'ec' });
  const valid: Record<string, Issued> = {};
  const validEc: Record<string, Issued> = {};
  for (const n of NAMES) {
    valid[n] = issue({ dns: [n], issuer: ca });
    validEc[n] = issue({ dns: [n], issuer: ca, keyType: 'ec' });
  }
  const other = issue({ dns: ['app.example.com'], issuer: ca, keyType: 'ec' });
  return {
    ca,
    valid,
    validEc,
    expired: issue({ dns: ['app.example.com'], issuer: ca, keyType: 'ec', notBefore: new Date(Date.now() - 400 * DAY), notAfter: new Date(Date.now() - 30 * DAY) }),
    notYet: issue({ dns: ['app.example.com'], issuer: ca, keyType: 'ec', notBefore: new Date(Date.now() + 30 * DAY), notAfter: new Date(Date.now() + 400 * DAY) }),
    cnOnly: issue({ cn: 'app.example.com', noSan: true, issuer: ca, keyType: 'ec' }),
    mismatched: { certPem: valid['app.example.com']!.certPem, keyPem: other.keyPem },
  };
}

export interface GeneratedConfig {
  index: number;
  /** The namespaces it owns. */
  namespaces: string[];
  documents: Doc[];
  /** What was drawn, in words (shown when it disagrees). */
  summary: string[];
}

type Protocol = 'HTTP' | 'HTTPS' | 'TLS-Terminate' | 'TLS-Passthrough' | 'TCP' | 'UDP';
const ROUTE_KINDS = ['HTTPRoute', 'GRPCRoute', 'TLSRoute', 'TCPRoute', 'UDPRoute'] as const;
const KINDS_FOR: Record<Protocol, string[]> = {
  HTTP: ['HTTPRoute', 'GRPCRoute'],
  HTTPS: ['HTTPRoute', 'GRPCRoute'],
  'TLS-Terminate': ['TCPRoute', 'TLSRoute'],
  'TLS-Passthrough': ['TLSRoute'],
  TCP: ['TCPRoute'],
  UDP: ['UDPRoute'],
};

export function generateConfig(index: number, seed: number, pool: Pool, className = 'eg'): GeneratedConfig {
  const rnd = prng(seed * 100_003 + index);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
  const chance = (p: number) => rnd() < p;
  const a = `c${index}`;
  const b = `c${index}-b`;
  const docs: Doc[] = [];
  const summary: string[] = [];
  docs.push({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: a, labels: { 'kubernetes.io/metadata.name': a, team: 'red' } } });
  docs.push({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: b, labels: { 'kubernetes.io/metadata.name': b, team: pick(['blue', 'red']) } } });

  // Secrets: one of each flavour, in both namespaces when needed.
  const secret = (name: string, ns: string, flavour: string): void => {
    const p = pool;
    switch (flavour) {
      case 'valid':
        docs.push(tlsSecret(name, ns, p.valid['app.example.com']!.certPem, p.valid['app.example.com']!.keyPem) as Doc);
        break;
      case 'wildcard':
        docs.push(tlsSecret(name, ns, p.valid['*.example.com']!.certPem, p.valid['*.example.com']!.keyPem) as Doc);
        break;
      case 'other':
        docs.push(tlsSecret(name, ns, p.valid['other.test']!.certPem, p.valid['other.test']!.keyPem) as Doc);
        break;
      case 'valid-ec':
        docs.push(tlsSecret(name, ns, p.validEc['app.example.com']!.certPem, p.validEc['app.example.com']!.keyPem) as Doc);
        break;
      case 'expired':
        docs.push(tlsSecret(name, ns, p.expired.certPem, p.expired.keyPem) as Doc);
        break;
      case 'not-yet':
        docs.push(tlsSecret(name, ns, p.notYet.certPem, p.notYet.keyPem) as Doc);
        break;
      case 'cn-only':
        docs.push(tlsSecret(name, ns, p.cnOnly.certPem, p.cnOnly.keyPem) as Doc);
        break;
      case 'mismatched':
        docs.push(tlsSecret(name, ns, p.mismatched.certPem, p.mismatched.keyPem) as Doc);
        break;
      case 'opaque':
        docs.push(tlsSecret(name, ns, p.valid['app.example.com']!.certPem, p.valid['app.example.com']!.keyPem, 'Opaque') as Doc);
        break;
      case 'no-key':
        docs.push({ apiVersion: 'v1', kind: 'Secret', metadata: { name, namespace: ns }, type: 'kubernetes.io/tls', data: { 'tls.crt': Buffer.from(p.valid['app.example.com']!.certPem).toString('base64'), 'tls.key': '' } });
        break;
    }
  };

  // Listeners
  const nListeners = 1 + Math.floor(rnd() * 3);
  const listeners: Array<Record<string, unknown>> = [];
  const protocols: Protocol[] = [];
  const grants: Doc[] = [];
  let secretN = 0;
  for (let i = 0; i < nListeners; i++) {
    const protocol = pick<Protocol>(['HTTP', 'HTTPS', 'HTTPS', 'TLS-Terminate', 'TLS-Passthrough', 'TCP', 'UDP']);
    const port = pick([80, 443, 443, 8443, 9000]);
    const l: Record<string, unknown> = { name: `l${i}`, port, protocol: protocol.startsWith('TLS') ? 'TLS' : protocol };
    if (protocol !== 'TCP' && protocol !== 'UDP' && chance(0.6)) l.hostname = pick(NAMES.concat(['www.example.com']));
    if (protocol === 'HTTPS' || protocol === 'TLS-Terminate') {
      const refs: Array<Record<string, unknown>> = [];
      const nRefs = chance(0.2) ? 2 : 1;
      for (let r = 0; r < nRefs; r++) {
        const flavour = pick(['valid', 'valid', 'wildcard', 'other', 'valid-ec', 'missing', 'cross-grant', 'cross-nogrant', 'expired', 'not-yet', 'mismatched', 'opaque', 'cn-only', 'wrong-kind', 'no-key']);
        const name = `cert${secretN++}`;
        if (flavour === 'missing') refs.push({ name });
        else if (flavour === 'wrong-kind') refs.push({ kind: 'ConfigMap', group: '', name });
        else if (flavour === 'cross-grant' || flavour === 'cross-nogrant') {
          secret(name, b, 'valid');
          refs.push({ name, namespace: b });
          if (flavour === 'cross-grant') {
            grants.push({
              apiVersion: 'gateway.networking.k8s.io/v1beta1',
              kind: 'ReferenceGrant',
              metadata: { name: `grant-${name}`, namespace: b },
              spec: { from: [{ group: 'gateway.networking.k8s.io', kind: 'Gateway', namespace: a }], to: [{ group: '', kind: 'Secret', ...(chance(0.5) ? { name } : {}) }] },
            });
          }
        } else {
          secret(name, a, flavour);
          refs.push({ name });
        }
        summary.push(`listener l${i} ${protocol} certificateRef ${name}: ${flavour}`);
      }
      l.tls = { mode: 'Terminate', certificateRefs: refs };
    } else if (protocol === 'TLS-Passthrough') {
      l.tls = { mode: 'Passthrough' };
    }
    const from = pick(['default', 'default', 'All', 'Same', 'Selector']);
    const allowed: Record<string, unknown> = {};
    if (from !== 'default') allowed.namespaces = from === 'Selector' ? { from, selector: { matchLabels: { team: 'blue' } } } : { from };
    if (chance(0.15)) {
      const valid = KINDS_FOR[protocol];
      allowed.kinds = chance(0.6) ? [{ kind: pick(valid) }] : [{ kind: pick(ROUTE_KINDS) }, { kind: pick(valid) }];
    }
    if (Object.keys(allowed).length) l.allowedRoutes = allowed;
    summary.push(`listener l${i} ${protocol} port ${port}${l.hostname ? ` hostname ${String(l.hostname)}` : ''} allowedRoutes ${JSON.stringify(allowed)}`);
    listeners.push(l);
    protocols.push(protocol);
  }
  // The CRD refuses two listeners with one port, protocol and hostname; keep only the first of each.
  const seenTriples = new Set<string>();
  const keep = listeners.map((l) => {
    const key = `${String(l.port)}/${String(l.protocol)}/${String(l.hostname ?? '')}`;
    if (seenTriples.has(key)) return false;
    seenTriples.add(key);
    return true;
  });
  const finalListeners = listeners.filter((_, i) => keep[i]);
  const finalProtocols = protocols.filter((_, i) => keep[i]);
  docs.push({ apiVersion: 'gateway.networking.k8s.io/v1', kind: 'Gateway', metadata: { name: 'gw', namespace: a }, spec: { gatewayClassName: className, listeners: finalListeners } });
  docs.push(...grants);

  // Services and backend objects
  const svcPort = (name: string | undefined, port: number, appProtocol?: string, protocol = 'TCP') => ({ ...(name ? { name } : {}), port, targetPort: port, protocol, ...(appProtocol ? { appProtocol } : {}) });
  const services = new Set<string>();
  const service = (name: string, ns: string) => {
    if (services.has(`${ns}/${name}`)) return;
    services.add(`${ns}/${name}`);
    const named = chance(0.5);
    docs.push({
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name, namespace: ns },
      spec: {
        selector: { app: name },
        ports: [svcPort(named ? 'http' : undefined, 8080, chance(0.3) ? pick(['kubernetes.io/h2c', 'http', 'https']) : undefined), svcPort(named ? 'tls' : undefined, 8443), svcPort(named ? 'dns' : undefined, 5353, undefined, 'UDP')],
      },
    });
  };
  let policyN = 0;
  const policy = (svc: string, ns: string) => {
    const flavour = pick(['ca', 'ca', 'system', 'sans', 'missing-ca', 'section', 'two']);
    const name = `btls${policyN++}`;
    const validation: Record<string, unknown> = { hostname: 'backend.internal' };
    if (flavour === 'system') validation.wellKnownCACertificates = 'System';
    else {
      const cm = `ca-${name}`;
      validation.caCertificateRefs = [{ group: '', kind: 'ConfigMap', name: cm }];
      if (flavour !== 'missing-ca') docs.push({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: cm, namespace: ns }, data: { 'ca.crt': pool.ca.certPem } });
    }
    if (flavour === 'sans') validation.subjectAltNames = [{ type: 'Hostname', hostname: 'backend.internal' }, { type: 'URI', uri: 'spiffe://cluster.local/ns/x/sa/y' }];
    const target: Record<string, unknown> = { group: '', kind: 'Service', name: svc };
    if (flavour === 'section') target.sectionName = pick(['tls', 'http']);
    docs.push({ apiVersion: 'gateway.networking.k8s.io/v1', kind: 'BackendTLSPolicy', metadata: { name, namespace: ns }, spec: { targetRefs: [target], validation } });
    if (flavour === 'two') {
      docs.push({ apiVersion: 'gateway.networking.k8s.io/v1', kind: 'BackendTLSPolicy', metadata: { name: `${name}-z`, namespace: ns }, spec: { targetRefs: [{ group: '', kind: 'Service', name: svc }], validation: { hostname: 'backend.internal', wellKnownCACertificates: 'System' } } });
    }
    summary.push(`BackendTLSPolicy ${ns}/${name} on ${svc}: ${flavour}`);
  };
  const envoyBackend = (name: string, ns: string) => {
    const flavour = pick(['plain', 'skip', 'ca', 'system', 'sni', 'invalid']);
    const spec: Record<string, unknown> = { endpoints: [{ fqdn: { hostname: 'backend.example.net', port: 443 } }] };
    if (flavour === 'skip') spec.tls = { insecureSkipVerify: true };
    if (flavour === 'ca') {
      docs.push({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: `ca-${name}`, namespace: ns }, data: { 'ca.crt': pool.ca.certPem } });
      spec.tls = { caCertificateRefs: [{ group: '', kind: 'ConfigMap', name: `ca-${name}` }] };
    }
    if (flavour === 'system') spec.tls = { wellKnownCACertificates: 'System' };
    if (flavour === 'sni') spec.tls = { wellKnownCACertificates: 'System', sni: 'backend.example.net' };
    if (flavour === 'invalid') spec.tls = { sni: 'backend.example.net' };
    docs.push({ apiVersion: 'gateway.envoyproxy.io/v1alpha1', kind: 'Backend', metadata: { name, namespace: ns }, spec });
    summary.push(`Backend ${ns}/${name}: ${flavour}`);
  };

  // Routes
  const nRoutes = 1 + Math.floor(rnd() * 3);
  for (let r = 0; r < nRoutes; r++) {
    const kind = chance(0.7) && finalProtocols.length ? pick(KINDS_FOR[pick(finalProtocols)]!) : pick(ROUTE_KINDS);
    const ns = chance(0.75) ? a : b;
    const parentRef: Record<string, unknown> = { name: 'gw' };
    if (ns !== a) parentRef.namespace = a;
    const how = pick(['name', 'name', 'section', 'section', 'port', 'bad-section', 'bad-port']);
    if (how === 'section') parentRef.sectionName = String(pick(finalListeners).name);
    if (how === 'port') parentRef.port = Number(pick(finalListeners).port);
    if (how === 'bad-section') parentRef.sectionName = 'nope';
    if (how === 'bad-port') parentRef.port = 7777;
    const parentRefs = [parentRef];
    // A second parentRef to the same Gateway: the CRD wants sectionName (or port) on both, and distinct.
    const second = finalListeners.find((l) => l.name !== parentRef.sectionName);
    if (parentRef.sectionName !== undefined && second && chance(0.15)) parentRefs.push({ name: 'gw', ...(ns !== a ? { namespace: a } : {}), sectionName: String(second.name) });
    const spec: Record<string, unknown> = { parentRefs };
    if ((kind === 'HTTPRoute' || kind === 'GRPCRoute' || kind === 'TLSRoute') && (kind === 'TLSRoute' || chance(0.5))) {
      spec.hostnames = [pick(['app.example.com', 'a.b.example.com', 'x.other.test', 'other.test'])];
    }
    const backends: Array<Record<string, unknown>> = [];
    const nBackends = chance(0.2) ? 2 : 1;
    for (let k = 0; k < nBackends; k++) {
      const what = pick(['svc', 'svc', 'svc', 'svc-policy', 'svc-policy', 'missing', 'bad-port', 'cross-grant', 'cross-nogrant', 'backend', 'backend']);
      const port = kind === 'UDPRoute' ? 5353 : pick([8080, 8443]);
      const name = `be${r}${k}`;
      if (what === 'svc' || what === 'svc-policy') {
        service(name, ns);
        if (what === 'svc-policy') policy(name, ns);
        backends.push({ name, port });
      } else if (what === 'missing') {
        backends.push({ name: `absent${r}${k}`, port });
      } else if (what === 'bad-port') {
        service(name, ns);
        backends.push({ name, port: 9999 });
      } else if (what === 'cross-grant' || what === 'cross-nogrant') {
        const other = ns === a ? b : a;
        service(name, other);
        if (chance(0.5)) policy(name, other);
        backends.push({ name, namespace: other, port });
        if (what === 'cross-grant') {
          docs.push({
            apiVersion: 'gateway.networking.k8s.io/v1beta1',
            kind: 'ReferenceGrant',
            metadata: { name: `grant-${r}-${k}`, namespace: other },
            spec: { from: [{ group: 'gateway.networking.k8s.io', kind, namespace: ns }], to: [{ group: '', kind: 'Service' }] },
          });
        }
      } else {
        envoyBackend(name, ns);
        backends.push({ group: 'gateway.envoyproxy.io', kind: 'Backend', name, ...(chance(0.5) ? { port: 443 } : {}) });
      }
      summary.push(`${kind} ${ns}/r${r} backend ${name}: ${what} port ${String(backends.at(-1)!.port ?? '-')}`);
    }
    const rules = [{ backendRefs: backends }];
    spec.rules = rules;
    summary.push(`${kind} ${ns}/r${r} parentRefs ${JSON.stringify(parentRefs)} hostnames ${JSON.stringify(spec.hostnames ?? [])}`);
    docs.push({ apiVersion: 'gateway.networking.k8s.io/v1', kind, metadata: { name: `r${r}`, namespace: ns }, spec });
  }
  return { index, namespaces: [a, b], documents: docs, summary };
}

/** The shared objects of a batch: the GatewayClass and the Envoy Gateway startup config (Backend API on/off). */
export function batchPreamble(className: string, backendApi: boolean): Doc[] {
  return [
    { apiVersion: 'gateway.networking.k8s.io/v1', kind: 'GatewayClass', metadata: { name: className }, spec: { controllerName: 'gateway.envoyproxy.io/gatewayclass-controller' } },
    {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'envoy-gateway-config', namespace: 'envoy-gateway-system' },
      data: { 'envoy-gateway.yaml': `apiVersion: gateway.envoyproxy.io/v1alpha1\nkind: EnvoyGateway\nextensionApis:\n  enableBackend: ${backendApi}\n` },
    },
  ];
}
