// What cert-manager's gateway-shim makes of an annotated Gateway, rule for rule as cert-manager v1.21.2 does it
// (pkg/controller/certificate-shim/sync.go: SyncFnFor, issuerForIngressLike, handleGatewayAPIListeners,
// validateGatewayListenerBlock, buildCertificates; helper.go: translateAnnotations):
// - nothing happens without `cert-manager.io/issuer` or `cert-manager.io/cluster-issuer` (no auto annotation for
//   Gateways);
// - the issuer comes from those annotations plus `cert-manager.io/issuer-kind`/`-group`; both issuer annotations,
//   or cluster-issuer with kind or group, is a BadConfig event and no Certificate at all;
// - listeners whose protocol is not HTTPS or TLS (or one of config.gatewayAPIExtraProtocols), Passthrough
//   listeners, and listeners named in `cert-manager.io/ignore-tls-listeners` are passed over silently;
// - a listener without hostname, without tls or certificateRefs, without tls.mode, with a ref that is not a core
//   Secret or points into another namespace, is skipped with a Warning event "Skipped a listener block: ...";
// - every other certificateRef yields one Certificate named after the Secret, in the Secret's namespace, whose
//   dnsNames are the (de-duplicated) hostnames of every listener that references that Secret;
// - an existing Certificate of that name is updated only if this Gateway controls it.
//
// The ListenerSet shim (controller "listenerset", cert-manager v1.20+, behind the ListenerSets feature gate and
// config.enableGatewayAPIListenerSet) runs the same sync on a ListenerSet's listeners, with the ListenerSet as
// owner. When ListenerSets are modelled, call shimPlan() with { kind: 'ListenerSet', ... } and its listeners.
import type { ListenerSpec, Meta } from '../cluster/objects.ts';
import type { IssuerRef } from '../cluster/objects-cert-manager.ts';

export const CM = {
  issuer: 'cert-manager.io/issuer',
  clusterIssuer: 'cert-manager.io/cluster-issuer',
  issuerKind: 'cert-manager.io/issuer-kind',
  issuerGroup: 'cert-manager.io/issuer-group',
  ignoreListeners: 'cert-manager.io/ignore-tls-listeners',
  duration: 'cert-manager.io/duration',
  renewBefore: 'cert-manager.io/renew-before',
  commonName: 'cert-manager.io/common-name',
  altNames: 'cert-manager.io/alt-names',
  /** On Secrets (pkg/controller/certificates/issuing/internal/secret.go) and CertificateRequests. */
  certificateName: 'cert-manager.io/certificate-name',
  issuerName: 'cert-manager.io/issuer-name',
  certificateRevision: 'cert-manager.io/certificate-revision',
  /** On Certificates made by the shim (sync.go setIssuerSpecificConfig), copied to Orders. */
  parentRefName: 'acme.cert-manager.io/http01-parentrefname',
  parentRefKind: 'acme.cert-manager.io/http01-parentrefkind',
  parentRefNamespace: 'acme.cert-manager.io/http01-parentrefnamespace',
} as const;

/** A Gateway, or (later) a ListenerSet: what the shim reads. */
export interface IngressLike {
  kind: 'Gateway' | 'ListenerSet';
  meta: Meta;
  listeners: readonly ListenerSpec[];
}

export interface ShimIssuer {
  ref: IssuerRef;
  /** The annotation that named it, as written: `cert-manager.io/cluster-issuer: letsencrypt`. */
  from: string;
}

export type ListenerOutcome =
  | { listener: ListenerSpec; outcome: 'certificate'; secrets: Array<{ namespace: string; name: string }> }
  | { listener: ListenerSpec; outcome: 'passed-over' | 'skipped'; why: string };

export interface PlannedCertificate {
  namespace: string;
  name: string;
  dnsNames: string[];
  listeners: string[];
}

export interface ShimPlan {
  owner: IngressLike;
  /** The Gateway carries cert-manager.io/issuer or cert-manager.io/cluster-issuer. */
  annotated: boolean;
  issuer?: ShimIssuer;
  /** The BadConfig event text when the issuer annotations conflict: no Certificate at all. */
  issuerError?: string;
  listeners: ListenerOutcome[];
  /** Certificates the shim creates, by `namespace/name` (the Secret's). */
  certificates: Map<string, PlannedCertificate>;
}

const TLS_PROTOCOLS = new Set(['HTTPS', 'TLS']);

/** sync.go issuerForIngressLike with cert-manager's defaults (no default issuer name). */
export function issuerFromAnnotations(annotations: Record<string, string>): { issuer?: ShimIssuer; error?: string } {
  const issuer = annotations[CM.issuer];
  const cluster = annotations[CM.clusterIssuer];
  const kindAnn = annotations[CM.issuerKind];
  const groupAnn = annotations[CM.issuerGroup];
  let name = '';
  let kind = 'Issuer';
  let from = '';
  if (issuer !== undefined) {
    name = issuer;
    from = `${CM.issuer}: ${issuer}`;
  }
  if (cluster !== undefined) {
    name = cluster;
    kind = 'ClusterIssuer';
    from = `${CM.clusterIssuer}: ${cluster}`;
  }
  if (kindAnn !== undefined) kind = kindAnn;
  const group = groupAnn ?? 'cert-manager.io';
  const errs: string[] = [];
  if (name === '') errs.push('failed to determine issuer name to be used for ingress resource');
  if (issuer !== undefined && cluster !== undefined) errs.push(`both "${CM.issuer}" and "${CM.clusterIssuer}" may not be set`);
  if (cluster !== undefined && groupAnn !== undefined) errs.push(`both "${CM.clusterIssuer}" and "${CM.issuerGroup}" may not be set`);
  if (cluster !== undefined && kindAnn !== undefined) errs.push(`both "${CM.clusterIssuer}" and "${CM.issuerKind}" may not be set`);
  if (errs.length) return { error: `Could not determine issuer for ingress due to bad annotations: ${errs.join(', ')}` };
  return { issuer: { ref: { name, kind, group: group || 'cert-manager.io' }, from } };
}

/** sync.go validateGatewayListenerBlock: the reasons a TLS listener is skipped (joined as the event does). */
function listenerProblems(l: ListenerSpec, ownerNs: string): string[] {
  const path = `spec.listeners[${l.index}]`;
  const errs: string[] = [];
  if (!l.hostname) errs.push(`${path}.hostname: Required value: the hostname cannot be empty`);
  if (!l.tls) {
    errs.push(`${path}.tls: Required value: the TLS block cannot be empty`);
    return errs;
  }
  if (l.tls.certificateRefs.length === 0) errs.push(`${path}.tls.certificateRef: Required value: listener has no certificateRefs`);
  l.tls.certificateRefs.forEach((r, i) => {
    if (r.group !== 'core' && r.group !== '') errs.push(`${path}.tls.certificateRef[${i}].group: Unsupported value: "${r.group}": supported values: "core", ""`);
    if (r.kind !== 'Secret' && r.kind !== '') errs.push(`${path}.tls.certificateRef[${i}].kind: Unsupported value: "${r.kind}": supported values: "Secret", ""`);
    if (r.namespace !== undefined && r.namespace !== ownerNs) errs.push(`${path}.tls.certificateRef[${i}].namespace: Invalid value: "${r.namespace}": cross-namespace secret references are not allowed in listeners`);
  });
  // The API server defaults tls.mode to Terminate (Gateway API CRD); only files can leave it unset.
  if (l.tls.modeSet && l.tls.mode !== 'Terminate') errs.push(`${path}.tls.mode: Unsupported value: "${l.tls.mode}": supported values: "Terminate"`);
  return errs;
}

export function shimPlan(owner: IngressLike, extraProtocols: readonly string[] = []): ShimPlan {
  const a = owner.meta.annotations;
  const plan: ShimPlan = { owner, annotated: a[CM.issuer] !== undefined || a[CM.clusterIssuer] !== undefined, listeners: [], certificates: new Map() };
  if (!plan.annotated) return plan;
  const { issuer, error } = issuerFromAnnotations(a);
  if (error) {
    plan.issuerError = error;
    return plan;
  }
  plan.issuer = issuer!;
  const ignored = new Set((a[CM.ignoreListeners] ?? '').split(',').map((s) => s.trim()).filter(Boolean));
  for (const l of owner.listeners) {
    if (!TLS_PROTOCOLS.has(l.protocol) && !extraProtocols.includes(l.protocol)) {
      plan.listeners.push({ listener: l, outcome: 'passed-over', why: `protocol ${l.protocol} carries no TLS the gateway terminates` });
      continue;
    }
    if (l.tls?.mode === 'Passthrough') {
      plan.listeners.push({ listener: l, outcome: 'passed-over', why: 'cert-manager never issues certificates for Passthrough listeners' });
      continue;
    }
    if (ignored.has(l.name)) {
      plan.listeners.push({ listener: l, outcome: 'passed-over', why: `the ${owner.kind} lists it in ${CM.ignoreListeners}` });
      continue;
    }
    const problems = listenerProblems(l, owner.meta.namespace);
    if (problems.length) {
      plan.listeners.push({ listener: l, outcome: 'skipped', why: `Skipped a listener block: ${problems.length > 1 ? `[${problems.join(', ')}]` : problems[0]}` });
      continue;
    }
    const secrets = l.tls!.certificateRefs.map((r) => ({ namespace: r.namespace ?? owner.meta.namespace, name: r.name }));
    plan.listeners.push({ listener: l, outcome: 'certificate', secrets });
    for (const s of secrets) {
      const key = `${s.namespace}/${s.name}`;
      const c = plan.certificates.get(key) ?? { namespace: s.namespace, name: s.name, dnsNames: [], listeners: [] };
      plan.certificates.set(key, c);
      if (!c.dnsNames.includes(l.hostname!)) c.dnsNames.push(l.hostname!);
      c.listeners.push(l.name);
    }
  }
  // translateAnnotations appends cert-manager.io/alt-names to every Certificate's dnsNames.
  const alt = (a[CM.altNames] ?? '').split(',').filter(Boolean);
  for (const c of plan.certificates.values()) c.dnsNames.push(...alt);
  return plan;
}
