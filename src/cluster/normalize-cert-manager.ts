// Raw cert-manager objects (cert-manager.io/v1, acme.cert-manager.io/v1) -> typed views (objects-cert-manager.ts).
// Field names and defaults follow cert-manager v1.21.2 (pkg/apis/certmanager/v1, pkg/apis/acme/v1).
import { CERT_MANAGER_GROUP, type KindInfo } from './kinds.ts';
import { arr, conditions, num, parentRef, rec, str } from './normalize.ts';
import type { BaseObject, Meta, Origin } from './objects.ts';
import type {
  AcmeSolver,
  CertificateObject,
  CertificateRequestObject,
  CertManagerKindName,
  CertManagerObjectsByKind,
  ChallengeObject,
  ClusterIssuerObject,
  IssuerObject,
  IssuerRef,
  IssuerSpec,
  OrderObject,
  OwnerRef,
} from './objects-cert-manager.ts';

type Raw = Record<string, unknown>;
type BaseFn = <K extends CertManagerKindName>(raw: Raw, info: KindInfo & { kind: K }, ns: string, origin?: Origin) => BaseObject<K>;

function owners(raw: Raw): OwnerRef[] {
  return arr(rec(raw.metadata).ownerReferences).map((o) => {
    const r = rec(o);
    const out: OwnerRef = { apiVersion: str(r.apiVersion) ?? '', kind: str(r.kind) ?? '', name: str(r.name) ?? '', controller: r.controller === true };
    const uid = str(r.uid);
    if (uid) out.uid = uid;
    return out;
  });
}

/** cert-manager's defaults: kind Issuer, group cert-manager.io (an empty group means cert-manager.io too). */
function issuerRef(x: unknown): IssuerRef {
  const r = rec(x);
  return { name: str(r.name) ?? '', kind: str(r.kind) || 'Issuer', group: str(r.group) || CERT_MANAGER_GROUP };
}

function strings(x: unknown): string[] {
  return arr(x)
    .map((v) => str(v) ?? '')
    .filter(Boolean);
}

function solver(x: unknown, index: number, challengeNs?: string): AcmeSolver {
  const r = rec(x);
  const http01 = rec(r.http01);
  const out: AcmeSolver = { index, type: 'unknown', parentRefs: [] };
  if (r.selector !== undefined && r.selector !== null) {
    const s = rec(r.selector);
    const labels: Record<string, string> = {};
    for (const [k, v] of Object.entries(rec(s.matchLabels))) if (typeof v === 'string') labels[k] = v;
    out.selector = { dnsNames: strings(s.dnsNames), dnsZones: strings(s.dnsZones), matchLabels: labels };
  }
  if (http01.gatewayHTTPRoute !== undefined && http01.gatewayHTTPRoute !== null) {
    out.type = 'http01-gateway';
    out.parentRefs = arr(rec(http01.gatewayHTTPRoute).parentRefs).map((p) => {
      const ref = parentRef(p, challengeNs ?? '');
      const written = str(rec(p).namespace);
      const { namespace: _ns, ...rest } = ref;
      return written ? { ...rest, namespace: written } : challengeNs ? { ...rest, namespace: challengeNs } : rest;
    });
  } else if (http01.ingress !== undefined && http01.ingress !== null) {
    out.type = 'http01-ingress';
    const ing = rec(http01.ingress);
    const cls = str(ing.ingressClassName) ?? str(ing.class) ?? str(ing.name);
    if (cls) out.detail = cls;
  } else if (r.dns01 !== undefined && r.dns01 !== null) {
    out.type = 'dns01';
    const provider = Object.keys(rec(r.dns01)).find((k) => k !== 'cnameStrategy');
    if (provider) out.detail = provider;
  }
  return out;
}

function issuerSpec(raw: Raw): IssuerSpec {
  const spec = rec(raw.spec);
  if (spec.acme !== undefined && spec.acme !== null) {
    const acme = rec(spec.acme);
    const out: IssuerSpec = { type: 'acme', acme: { server: str(acme.server) ?? '', solvers: arr(acme.solvers).map((s, i) => solver(s, i)) } };
    const email = str(acme.email);
    if (email) out.acme!.email = email;
    return out;
  }
  if (spec.ca !== undefined && spec.ca !== null) return { type: 'ca', ca: { secretName: str(rec(spec.ca).secretName) ?? '' } };
  if (spec.selfSigned !== undefined && spec.selfSigned !== null) return { type: 'selfSigned' };
  if (spec.vault !== undefined && spec.vault !== null) return { type: 'vault' };
  if (spec.venafi !== undefined && spec.venafi !== null) return { type: 'venafi' };
  return { type: 'unknown' };
}

function setOptional<T extends object, K extends keyof T>(obj: T, key: K, value: T[K] | undefined): void {
  if (value !== undefined && value !== '') obj[key] = value;
}

function annotationNumber(meta: Meta, key: string): number | undefined {
  const v = meta.annotations[key];
  return v !== undefined && /^\d+$/.test(v) ? Number(v) : undefined;
}

export function certManagerNormalizers(base: BaseFn): { [K in CertManagerKindName]: (raw: Raw, info: KindInfo, ns: string, origin?: Origin) => CertManagerObjectsByKind[K] } {
  return {
    Certificate: (raw, info, ns, origin) => {
      const spec = rec(raw.spec);
      const status = rec(raw.status);
      const b = base(raw, info as KindInfo & { kind: 'Certificate' }, ns, origin);
      const out: CertificateObject = {
        ...b,
        owners: owners(raw),
        secretName: str(spec.secretName) ?? '',
        dnsNames: strings(spec.dnsNames),
        ipAddresses: strings(spec.ipAddresses),
        issuerRef: issuerRef(spec.issuerRef),
        conditions: conditions(status.conditions, b.meta.generation),
      };
      setOptional(out, 'commonName', str(spec.commonName));
      setOptional(out, 'duration', str(spec.duration));
      setOptional(out, 'renewBefore', str(spec.renewBefore));
      setOptional(out, 'notBefore', str(status.notBefore));
      setOptional(out, 'notAfter', str(status.notAfter));
      setOptional(out, 'renewalTime', str(status.renewalTime));
      setOptional(out, 'revision', num(status.revision));
      setOptional(out, 'failedIssuanceAttempts', num(status.failedIssuanceAttempts));
      setOptional(out, 'lastFailureTime', str(status.lastFailureTime));
      setOptional(out, 'nextPrivateKeySecretName', str(status.nextPrivateKeySecretName));
      return out;
    },
    CertificateRequest: (raw, info, ns, origin) => {
      const spec = rec(raw.spec);
      const status = rec(raw.status);
      const b = base(raw, info as KindInfo & { kind: 'CertificateRequest' }, ns, origin);
      const out: CertificateRequestObject = {
        ...b,
        owners: owners(raw),
        issuerRef: issuerRef(spec.issuerRef),
        conditions: conditions(status.conditions, b.meta.generation),
        issued: typeof status.certificate === 'string' && status.certificate !== '',
      };
      setOptional(out, 'certificateName', b.meta.annotations['cert-manager.io/certificate-name']);
      setOptional(out, 'revision', annotationNumber(b.meta, 'cert-manager.io/certificate-revision'));
      setOptional(out, 'failureTime', str(status.failureTime));
      return out;
    },
    Issuer: (raw, info, ns, origin) => {
      const b = base(raw, info as KindInfo & { kind: 'Issuer' }, ns, origin);
      const out: IssuerObject = { ...b, spec: issuerSpec(raw), conditions: conditions(rec(raw.status).conditions, b.meta.generation) };
      return out;
    },
    ClusterIssuer: (raw, info, ns, origin) => {
      const b = base(raw, info as KindInfo & { kind: 'ClusterIssuer' }, ns, origin);
      const out: ClusterIssuerObject = { ...b, spec: issuerSpec(raw), conditions: conditions(rec(raw.status).conditions, b.meta.generation) };
      return out;
    },
    Order: (raw, info, ns, origin) => {
      const spec = rec(raw.spec);
      const status = rec(raw.status);
      const b = base(raw, info as KindInfo & { kind: 'Order' }, ns, origin);
      const out: OrderObject = { ...b, owners: owners(raw), issuerRef: issuerRef(spec.issuerRef), dnsNames: strings(spec.dnsNames), state: str(status.state) ?? '' };
      setOptional(out, 'reason', str(status.reason));
      setOptional(out, 'failureTime', str(status.failureTime));
      setOptional(out, 'url', str(status.url));
      return out;
    },
    Challenge: (raw, info, ns, origin) => {
      const spec = rec(raw.spec);
      const status = rec(raw.status);
      const b = base(raw, info as KindInfo & { kind: 'Challenge' }, ns, origin);
      const out: ChallengeObject = {
        ...b,
        owners: owners(raw),
        issuerRef: issuerRef(spec.issuerRef),
        type: str(spec.type) ?? '',
        dnsName: str(spec.dnsName) ?? '',
        wildcard: spec.wildcard === true,
        solver: solver(spec.solver, 0, b.meta.namespace),
        state: str(status.state) ?? '',
        presented: typeof status.presented === 'boolean' ? status.presented : null,
        processing: typeof status.processing === 'boolean' ? status.processing : null,
      };
      setOptional(out, 'token', str(spec.token));
      setOptional(out, 'reason', str(status.reason));
      return out;
    },
  };
}
