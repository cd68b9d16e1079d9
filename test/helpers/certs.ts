// Certificates for rule, scenario and benchmark fixtures: a small vocabulary (names, SANs, validity, issuer) on
// top of the test PKI in tls-certs.ts, with PEM text for Secrets and ConfigMaps.
import { randomBytes } from 'node:crypto';
import { key, makeCert, type Issued as PkiIssued } from './tls-certs.ts';

export interface Issued {
  certPem: string;
  keyPem: string;
  /** The issuer's certificate and key (for intermediates and leaves). */
  issuer?: Issued;
  /** The underlying test-PKI certificate, to issue more certificates from this one. */
  pki: PkiIssued;
}

export interface CertSpec {
  cn?: string;
  org?: string;
  dns?: string[];
  ips?: string[];
  notBefore?: Date;
  notAfter?: Date;
  ca?: boolean;
  issuer?: Issued;
  keyType?: 'rsa' | 'ec';
  rsaBits?: 1024 | 2048;
  /** Leave out the subjectAltName extension (CN-only certificates). */
  noSan?: boolean;
  serverAuth?: boolean;
  /** Extended key usages; overrides serverAuth. */
  eku?: Array<'serverAuth' | 'clientAuth'> | false;
  aia?: { issuers?: string[]; ocsp?: string[] };
}

const DAY = 86_400_000;

/** Every call gets its own key, so that "the key does not match" is always true across two certificates. */
export function issue(spec: CertSpec = {}): Issued {
  const kind = spec.keyType === 'ec' ? 'ec' : spec.rsaBits === 1024 ? 'rsa1024' : 'rsa';
  const name: Array<[string, string]> = [['CN', spec.cn ?? spec.dns?.[0] ?? 'test'], ...(spec.org ? ([['O', spec.org]] as Array<[string, string]>) : [])];
  const pki = makeCert({
    cn: name,
    key: key(kind, randomBytes(8).toString('hex')),
    ca: spec.ca ?? false,
    ...(spec.issuer ? { issuer: spec.issuer.pki } : {}),
    ...(spec.noSan ? {} : { dns: spec.dns ?? [], ips: spec.ips ?? [] }),
    notBefore: spec.notBefore ?? new Date(Date.now() - DAY),
    notAfter: spec.notAfter ?? new Date(Date.now() + 365 * DAY),
    ...(spec.eku !== undefined ? { eku: spec.eku } : spec.serverAuth === false ? { eku: false as const } : {}),
    ...(spec.aia?.issuers?.[0] ? { aia: spec.aia.issuers[0] } : {}),
    ...(spec.aia?.ocsp?.[0] ? { ocsp: spec.aia.ocsp[0] } : {}),
  });
  const out: Issued = { certPem: pki.pem, keyPem: pki.key.keyPem, pki };
  if (spec.issuer) out.issuer = spec.issuer;
  return out;
}

/** A TLS Secret manifest (kubernetes.io/tls) with the chain and key. */
export function tlsSecret(name: string, namespace: string, chainPem: string, keyPem: string, type = 'kubernetes.io/tls'): object {
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name, namespace },
    type,
    data: { 'tls.crt': Buffer.from(chainPem).toString('base64'), 'tls.key': Buffer.from(keyPem).toString('base64') },
  };
}
