// Live reads of cert-manager's issuance chain for the Gateways in question, scoped like the rest of live.ts: the
// namespaces of the listeners' certificate Secrets (Certificates, and where they exist CertificateRequests and
// Issuers), ClusterIssuers once, ACME Orders and Challenges only where an ACME issuer is involved, and the
// Gateways' Events where a Gateway asks cert-manager for certificates (the gateway-shim reports skipped listeners
// there). A cluster without cert-manager's CRDs costs nothing: unserved kinds are not requested.
import type { KindName } from './kinds.ts';
import type { ListenerSpec, Meta, ObjectsByKind } from './objects.ts';
import type { Snapshot } from './snapshot.ts';

export interface CertManagerQuery {
  namespace: string;
  labelSelector?: string;
  fieldSelector?: string;
}

export interface CertManagerReadContext {
  list<K extends KindName>(kind: K, queries: CertManagerQuery[], opts?: { quiet?: boolean }): Promise<Array<ObjectsByKind[K]>>;
  snapshot: Snapshot;
  /** Gateways, and the ListenerSets attached to them (with the issuer annotations cert-manager lets them inherit). */
  gateways: ReadonlyArray<{ kind: string; meta: Meta; listeners: readonly ListenerSpec[] }>;
  /** -A: one cluster-wide LIST per kind. */
  all: boolean;
  /** Kinds the cluster serves (kind -> version). */
  served: Record<string, string>;
}

const ALL = '*';
const SHIM_ANNOTATIONS = ['cert-manager.io/issuer', 'cert-manager.io/cluster-issuer'];

export async function readCertManager(ctx: CertManagerReadContext): Promise<void> {
  if (!ctx.served.Certificate) return;
  const scope = (set: Set<string>): CertManagerQuery[] => (ctx.all ? [{ namespace: ALL }] : [...set].sort().map((namespace) => ({ namespace })));
  const secretNs = new Set<string>();
  const annotatedNs = new Set<string>();
  const eventKinds = new Set<string>();
  for (const g of ctx.gateways) {
    for (const l of g.listeners) for (const r of l.tls?.certificateRefs ?? []) secretNs.add(r.namespace ?? g.meta.namespace);
    if (SHIM_ANNOTATIONS.some((a) => g.meta.annotations[a] !== undefined)) {
      annotatedNs.add(g.meta.namespace);
      secretNs.add(g.meta.namespace);
      eventKinds.add(g.kind);
    }
  }
  if (secretNs.size === 0) return;
  const [certificates] = await Promise.all([
    ctx.list('Certificate', scope(secretNs)),
    // The shim's events sit on the object that asks: the Gateway, or the ListenerSet.
    ...[...eventKinds].sort().map((kind) => ctx.list('Event', ctx.all ? [{ namespace: ALL, fieldSelector: `involvedObject.kind=${kind}` }] : [...annotatedNs].map((namespace) => ({ namespace, fieldSelector: `involvedObject.kind=${kind}` })), { quiet: true })),
  ]);
  const certNs = new Set(certificates.map((c) => c.meta.namespace));
  const issuerNs = new Set(certificates.filter((c) => c.issuerRef.kind === 'Issuer').map((c) => c.meta.namespace));
  for (const g of ctx.gateways) if (g.meta.annotations['cert-manager.io/issuer'] !== undefined) issuerNs.add(g.meta.namespace);
  const clusterIssuers = certificates.some((c) => c.issuerRef.kind === 'ClusterIssuer') || ctx.gateways.some((g) => g.meta.annotations['cert-manager.io/cluster-issuer'] !== undefined);
  const [, issuers, cluster] = await Promise.all([
    certNs.size ? ctx.list('CertificateRequest', scope(certNs)) : Promise.resolve([]),
    issuerNs.size ? ctx.list('Issuer', scope(issuerNs)) : Promise.resolve([]),
    clusterIssuers ? ctx.list('ClusterIssuer', [{ namespace: ALL }]) : Promise.resolve([]),
  ]);
  // ACME objects only where a Certificate is issued by an ACME issuer.
  const acmeNs = new Set<string>();
  for (const c of certificates) {
    const issuer = c.issuerRef.kind === 'ClusterIssuer' ? cluster.find((i) => i.meta.name === c.issuerRef.name) : issuers.find((i) => i.meta.namespace === c.meta.namespace && i.meta.name === c.issuerRef.name);
    if (issuer?.spec.type === 'acme') acmeNs.add(c.meta.namespace);
  }
  if (acmeNs.size && ctx.served.Order) await Promise.all([ctx.list('Order', scope(acmeNs)), ctx.list('Challenge', scope(acmeNs))]);
}
