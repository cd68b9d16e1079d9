/**
 * One input of the differential test, shaped so that both the tool and `egctl x translate` read the same
 * objects (internal/gatewayapi/resource/load.go and internal/cmd/egctl/translate.go of Envoy Gateway v1.9.1):
 * - every namespaced object gets its namespace written out (egctl puts objects without one in
 *   envoy-gateway-system whatever `-n` says);
 * - route kinds and BackendTLSPolicy are written at v1, ReferenceGrant at v1beta1 (egctl asserts v1 spec types:
 *   it panics on a TCPRoute v1alpha2); a v1alpha2 BackendTLSPolicy (spec.targetRef, spec.tls) is rewritten to
 *   the v1 shape, as the tool's own migration does (GWTLS-PLAT-001);
 * - route parentRefs name their namespace (egctl copies a parentRef as written into BackendTLSPolicy ancestors);
 * - status is left out (egctl validates it, and recomputes it);
 * - Services get a spec.clusterIP (the xDS translation fails on an empty one);
 * - kinds outside egctl's scheme abort a whole file: the AWS LBC kinds, ListenerSets (egctl's loader does not
 *   load them), Events and CRDs are dropped, as are EnvoyProxies other than the class's parametersRef (egctl
 *   keeps one EnvoyProxy per input);
 * - one input per Envoy Gateway GatewayClass (egctl keeps the last GatewayClass it reads).
 */
import * as yaml from 'js-yaml';

export type Doc = Record<string, unknown>;

export const EG_CONTROLLER = 'gateway.envoyproxy.io/gatewayclass-controller';
const GW = 'gateway.networking.k8s.io';
const EG = 'gateway.envoyproxy.io';

const CLUSTER_SCOPED = new Set(['GatewayClass', 'Namespace', 'ClusterTrustBundle']);
const KEEP: Record<string, string> = {
  GatewayClass: `${GW}/v1`,
  Gateway: `${GW}/v1`,
  HTTPRoute: `${GW}/v1`,
  GRPCRoute: `${GW}/v1`,
  TLSRoute: `${GW}/v1`,
  TCPRoute: `${GW}/v1`,
  UDPRoute: `${GW}/v1`,
  ReferenceGrant: `${GW}/v1beta1`,
  BackendTLSPolicy: `${GW}/v1`,
  Service: 'v1',
  Secret: 'v1',
  ConfigMap: 'v1',
  Namespace: 'v1',
  Pod: 'v1',
  EndpointSlice: 'discovery.k8s.io/v1',
  Backend: `${EG}/v1alpha1`,
  EnvoyProxy: `${EG}/v1alpha1`,
};

export interface PreparedInput {
  /** GatewayClass this input is for. */
  className: string;
  /** Multi-document YAML both tools read. */
  yaml: string;
  documents: Doc[];
  /** What was dropped or rewritten, for the record. */
  notes: string[];
}

function rec(v: unknown): Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
}

function groupOf(apiVersion: unknown): string {
  const s = typeof apiVersion === 'string' ? apiVersion : '';
  return s.includes('/') ? s.slice(0, s.lastIndexOf('/')) : '';
}

/** Parses a multi-document YAML text into objects (List kinds flattened). */
export function parseDocuments(text: string): Doc[] {
  const out: Doc[] = [];
  for (const d of yaml.loadAll(text)) {
    const doc = rec(d);
    if (doc.kind === 'List' || (typeof doc.kind === 'string' && doc.kind.endsWith('List') && Array.isArray(doc.items))) {
      for (const item of doc.items as unknown[]) out.push(rec(item));
    } else if (Object.keys(doc).length) {
      out.push(doc);
    }
  }
  return out;
}

/** v1alpha2 BackendTLSPolicy (targetRef, tls) -> v1 (targetRefs, validation). */
function backendTlsPolicyV1(doc: Doc): Doc {
  const spec = rec(doc.spec);
  if (!spec.tls && !spec.targetRef) return doc;
  const tls = rec(spec.tls);
  const target = rec(spec.targetRef);
  const validation: Record<string, unknown> = {};
  if (tls.caCertRefs) validation.caCertificateRefs = tls.caCertRefs;
  if (tls.caCertificateRefs) validation.caCertificateRefs = tls.caCertificateRefs;
  if (tls.wellKnownCACerts) validation.wellKnownCACertificates = tls.wellKnownCACerts;
  if (tls.wellKnownCACertificates) validation.wellKnownCACertificates = tls.wellKnownCACertificates;
  if (tls.hostname) validation.hostname = tls.hostname;
  const targetRef: Record<string, unknown> = { group: target.group ?? '', kind: target.kind ?? 'Service', name: target.name };
  if (target.sectionName) targetRef.sectionName = target.sectionName;
  return { ...doc, spec: { targetRefs: [targetRef], validation } };
}

function normalizeDoc(doc: Doc, notes: string[], ip: () => string): Doc | null {
  const kind = typeof doc.kind === 'string' ? doc.kind : '';
  const group = groupOf(doc.apiVersion);
  const wanted = KEEP[kind];
  if (!wanted || groupOf(wanted) !== group) {
    notes.push(`dropped ${kind || '(no kind)'} ${String(rec(doc.metadata).name ?? '')} (${String(doc.apiVersion)}): outside egctl's loader`);
    return null;
  }
  let out: Doc = structuredClone(doc);
  if (out.apiVersion !== wanted) {
    if (kind === 'BackendTLSPolicy') out = backendTlsPolicyV1(out);
    out.apiVersion = wanted;
  }
  // Status is what controllers wrote: egctl validates it against the CRD (and refuses a file with a condition
  // lacking lastTransitionTime or message), and neither side's prediction reads it.
  delete out.status;
  const meta = { ...rec(out.metadata) };
  if (!CLUSTER_SCOPED.has(kind) && !meta.namespace) meta.namespace = 'default';
  out.metadata = meta;
  // Parent references name their namespace, so that route parents and policy ancestors read the same in both.
  if (kind.endsWith('Route')) {
    const spec = { ...rec(out.spec) };
    if (Array.isArray(spec.parentRefs)) spec.parentRefs = spec.parentRefs.map((p) => ({ namespace: meta.namespace, ...rec(p) }));
    out.spec = spec;
  }
  if (kind === 'Service') {
    const spec = { ...rec(out.spec) };
    if (spec.type !== 'ExternalName' && !spec.clusterIP) spec.clusterIP = ip();
    out.spec = spec;
  }
  return out;
}

/**
 * The inputs for egctl and the tool: one per Envoy Gateway GatewayClass in the documents (none when there is
 * no such class).
 */
export function prepareInputs(documents: Doc[]): PreparedInput[] {
  const notes: string[] = [];
  let n = 0;
  const ip = () => {
    n++;
    return `10.96.${Math.floor(n / 250) % 250}.${(n % 250) + 1}`;
  };
  const docs = documents.map((d) => normalizeDoc(d, notes, ip)).filter((d): d is Doc => d !== null);
  const classes = docs.filter((d) => d.kind === 'GatewayClass' && rec(d.spec).controllerName === EG_CONTROLLER);
  return classes.map((cls) => {
    const className = String(rec(cls.metadata).name);
    const pref = rec(rec(cls.spec).parametersRef);
    const own: string[] = [...notes];
    const kept = docs.filter((d) => {
      if (d.kind === 'GatewayClass') return d === cls;
      if (d.kind === 'EnvoyProxy') {
        const m = rec(d.metadata);
        const mine = pref.kind === 'EnvoyProxy' && pref.name === m.name && (pref.namespace ?? 'default') === m.namespace;
        if (!mine) own.push(`dropped EnvoyProxy ${String(m.namespace)}/${String(m.name)}: egctl keeps only the GatewayClass's EnvoyProxy`);
        return mine;
      }
      return true;
    });
    return { className, documents: kept, yaml: kept.map((d) => yaml.dump(d, { noRefs: true, lineWidth: -1 })).join('---\n'), notes: own };
  });
}
