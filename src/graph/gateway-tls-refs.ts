// The references of a Gateway's spec.tls (GEP-91 frontend client-certificate validation, GEP-3155 backend client
// certificate) and how a CA is read from a ConfigMap or Secret, as Envoy Gateway's translator resolves them
// (envoyproxy/gateway v1.9.1 internal/gatewayapi listener.go ProcessGatewayTLS, validate.go
// validateTLSConfiguration, helpers getCaCertsFromCARefs / getFirstMatchOrFirstFromData). Both profiles use it:
// the spec (expected-spec.ts) names the same reasons and leaves the reading of the objects to implementations;
// this one is the reading checked against a running translator (test/oracle).
import type { ConfigMapObject, GatewayObject, ListenerSpec, SecretObject } from '../cluster/objects.ts';
import { checkGrant } from './grants.ts';
import type { Model } from './model.ts';

const GW_GROUP = 'gateway.networking.k8s.io';

export type Raw = Record<string, unknown>;
export const raw = (v: unknown): Raw => (v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Raw) : {});
export const list = (v: unknown): Raw[] => (Array.isArray(v) ? v.map(raw) : []);
export const text = (v: unknown): string => (typeof v === 'string' ? v : '');

// Frontend client-certificate validation (listener.go ProcessGatewayTLS; validate.go validateTLSConfiguration):
// Gateway spec.tls.frontend, default and per port, for HTTPS listeners.

export type FrontendError = 'RefNotPermitted' | 'InvalidCACertificateKind' | 'NoValidCACertificate' | 'InvalidCACertificateRef';

export interface FrontendTls {
  /** null: validation configured and resolved; a reason: it does not resolve; absent: none for that port. */
  byPort: Map<number, FrontendError | null>;
  fallback: FrontendError | null | undefined;
  /** Some resolved validation allows an insecure fallback. */
  insecureFallback: boolean;
  /** Some validation does not resolve (Gateway ResolvedRefs=False, InvalidParameters). */
  failed: boolean;
  /** A reference the input cannot settle. */
  unknown: boolean;
}

export function frontendTls(gw: GatewayObject, model: Model): FrontendTls | undefined {
  const frontend = raw(raw(raw(gw.raw.spec).tls).frontend);
  if (Object.keys(frontend).length === 0) return undefined;
  const out: FrontendTls = { byPort: new Map(), fallback: undefined, insecureFallback: false, failed: false, unknown: false };
  const resolve = (validation: Raw): FrontendError | null => {
    const res = frontendCaBundle(gw, list(validation.caCertificateRefs), model);
    if (res === 'unknown') {
      out.unknown = true;
      return null;
    }
    if (res) out.failed = true;
    else if (text(validation.mode) === 'AllowInsecureFallback') out.insecureFallback = true;
    return res;
  };
  const def = raw(raw(frontend.default).validation);
  if (Object.keys(def).length) out.fallback = resolve(def);
  for (const p of list(frontend.perPort)) {
    const v = raw(raw(p.tls).validation);
    if (Object.keys(v).length === 0) out.byPort.set(Number(p.port), null);
    else out.byPort.set(Number(p.port), resolve(v));
  }
  return out;
}

/** getCaCertsFromCARefs for the Gateway: cross-namespace references need a ReferenceGrant. */
function frontendCaBundle(gw: GatewayObject, refs: Raw[], model: Model): FrontendError | null | 'unknown' {
  let supported = false;
  let found = false;
  for (const r of refs) {
    const kind = text(r.kind) || 'ConfigMap';
    const ns = text(r.namespace) || gw.meta.namespace;
    const name = text(r.name);
    if (ns !== gw.meta.namespace) {
      const g = checkGrant(model.snapshot, { group: GW_GROUP, kind: 'Gateway', namespace: gw.meta.namespace }, { group: text(r.group), kind, namespace: ns, name });
      if (g.allowed === null) return 'unknown';
      if (!g.allowed) return 'RefNotPermitted';
    }
    if (kind !== 'ConfigMap' && kind !== 'Secret' && kind !== 'ClusterTrustBundle') continue;
    supported = true;
    if (kind === 'ClusterTrustBundle') return 'unknown';
    const obj = kind === 'ConfigMap' ? model.snapshot.lookup('ConfigMap', ns, name) : model.snapshot.lookup('Secret', ns, name);
    if (!obj.found) return obj.known ? 'InvalidCACertificateRef' : 'unknown';
    const ca = caText(obj.obj);
    if (ca === null) return 'InvalidCACertificateRef';
    if (ca !== '') found = true;
  }
  if (!found) return supported ? 'NoValidCACertificate' : 'InvalidCACertificateKind';
  return null;
}

/** The frontend validation error of an HTTPS listener, if any (per-port first, else the default). */
export function frontendErrorFor(f: FrontendTls | undefined, l: ListenerSpec): FrontendError | null {
  if (!f || l.protocol !== 'HTTPS') return null;
  if (f.byPort.has(l.port)) return f.byPort.get(l.port) ?? null;
  return f.fallback ?? null;
}

/** ProcessGatewayTLS, spec.tls.backend.clientCertificateRef. */
export function backendClientCertificate(gw: GatewayObject, ref: NonNullable<GatewayObject['backendClientCertificateRef']>, model: Model): { status: 'True' | 'False'; reason: string } | null {
  if (ref.kind !== 'Secret' || ref.group !== '') return { status: 'False', reason: 'InvalidClientCertificateRef' };
  const ns = ref.namespace ?? gw.meta.namespace;
  if (ns !== gw.meta.namespace) {
    const g = checkGrant(model.snapshot, { group: GW_GROUP, kind: 'Gateway', namespace: gw.meta.namespace }, { group: '', kind: 'Secret', namespace: ns, name: ref.name });
    if (g.allowed === null) return null;
    if (!g.allowed) return { status: 'False', reason: 'RefNotPermitted' };
  }
  const secret = model.snapshot.lookup('Secret', ns, ref.name);
  if (!secret.found) return secret.known ? { status: 'False', reason: 'InvalidClientCertificateRef' } : null;
  if (!secret.obj.tlsCrt || !secret.obj.tlsKey) return { status: 'False', reason: 'InvalidClientCertificateRef' };
  return { status: 'True', reason: 'ResolvedRefs' };
}

/** getFirstMatchOrFirstFromData(data, ca.crt, tls.crt): the CA text, or null when there is none to take. */
export function caText(o: ConfigMapObject | SecretObject): string | null {
  if (o.caCrt !== undefined) return o.caCrt;
  if (o.kind === 'ConfigMap') {
    if (o.data['tls.crt'] !== undefined) return o.data['tls.crt'];
    const keys = Object.keys(o.data);
    return keys.length === 1 ? o.data[keys[0]!]! : null;
  }
  if (o.tlsCrt !== undefined) return o.tlsCrt;
  // A Secret with one other key: Envoy Gateway takes it (its content is not read by this tool).
  return o.dataKeys.length === 1 ? '?' : null;
}
