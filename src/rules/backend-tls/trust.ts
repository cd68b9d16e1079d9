// The backend certificate against what a BackendTLSPolicy (or Backend) trusts and expects: which trust anchor
// would verify it, whether the configured CAs do, and which of its names the gateway can verify.
import { X509Certificate } from 'node:crypto';
import type { BackendTLSPolicyObject, SecretObject, ServiceObject } from '../../cluster/objects.ts';
import type { BackendTLSEvidence } from '../../graph/backends.ts';
import { sanMatches } from '../../graph/hostnames.ts';
import { buildPath, nodeDefaultStore, storeFromX509 } from '../../probe/trust.ts';
import { formatName, pemBlocks, type DecodedCert, type DecodedChain } from '../../tls/certificate.ts';
import type { Cert } from '../../report/types.ts';

/**
 * A certificate the backend serves: one its pods mount from a Secret (graph/backends.ts MountedCertificate), or
 * the chain a probe of its port saw (`observed` says where).
 */
export interface ServingCertificate {
  chain: DecodedChain;
  /** The first certificate of the chain, the one the backend serves. */
  leaf: DecodedCert;
  secret?: SecretObject;
  pods: string[];
  observed?: string;
}

/**
 * Serving certificates the rules may judge: the chain a probe saw on the port (the strongest evidence), else those
 * the evidence ties to the port, or — when the gateway already originates TLS to it — the only one the pods mount.
 */
export function servingCertificates(e: BackendTLSEvidence, originates: boolean): ServingCertificate[] {
  const seen = e.observed;
  if (seen && seen.chain.length > 0) return [{ chain: { certs: seen.chain, errors: [] }, leaf: seen.chain[0]!, pods: [], observed: seen.where }];
  if (seen?.speaks === 'plaintext') return [];
  if (e.strength === 'certificate') return e.certificates;
  if (originates && e.hints.plaintext.length === 0 && e.certificates.length === 1) return e.certificates;
  return [];
}

export interface Anchor {
  pem: string;
  subject: string;
  /** How it relates to the backend certificate, in words. */
  what: string;
  /** Set when the anchor is only known from what a probe was served (where): trusting it is trust on first use. */
  observed?: string;
  /** SHA-256 fingerprint of the anchor, for a person to compare with the backend's owner. */
  fingerprint?: string;
}

function certsOf(text: string | undefined): X509Certificate[] {
  if (!text) return [];
  const out: X509Certificate[] = [];
  try {
    for (const b of pemBlocks(text)) if (b.type === 'CERTIFICATE') out.push(new X509Certificate(b.der));
  } catch {
    // unreadable PEM: no anchors from it
  }
  return out;
}

/** The certificate a ca.crt must hold to verify this backend certificate: the self-signed leaf, or the root of its chain. */
export function trustAnchor(m: ServingCertificate): Anchor | null {
  const leaf = m.leaf;
  const seen = m.observed ? { observed: m.observed } : {};
  if (leaf.cert.selfSigned) return { pem: leaf.x509.toString(), subject: leaf.cert.subject, what: 'the self-signed backend certificate itself', fingerprint: leaf.x509.fingerprint256, ...seen };
  // A root in the chain or in the Secret's ca.crt (cert-manager writes the issuing CA there).
  const roots = [...m.chain.certs.slice(1).map((c) => c.x509), ...certsOf(m.secret?.caCrt)].filter((c) => c.subject === c.issuer && c.checkIssued(c));
  const path = buildPath(
    m.chain.certs.map((c) => c.x509),
    storeFromX509('secret', roots),
  );
  if (!path.anchor) return null;
  const subject = formatName(path.anchor.subject);
  return { pem: path.anchor.toString(), subject, what: `the CA that issued it (${subject}, ${m.secret ? `from Secret ${m.secret.meta.namespace}/${m.secret.meta.name}` : `served by ${m.observed ?? 'the backend'}`})`, fingerprint: path.anchor.fingerprint256, ...(m.secret ? {} : seen) };
}

/** The configured anchor that verifies the backend chain, or null. */
export function verifiedBy(m: ServingCertificate, anchors: X509Certificate[]): X509Certificate | null {
  return buildPath(
    m.chain.certs.map((c) => c.x509),
    storeFromX509('ca.crt', anchors),
  ).anchor;
}

/** Whether the chain ends in a root of the public (Mozilla) store Node ships, what wellKnownCACertificates: System means. */
export function publiclyTrusted(m: ServingCertificate): boolean {
  return buildPath(
    m.chain.certs.map((c) => c.x509),
    nodeDefaultStore(),
  ).anchor !== null;
}

/** Names the policy makes the gateway verify: subjectAltNames when set, else the hostname. */
export type ExpectedName = { type: 'Hostname' | 'URI'; value: string };

export function expectedNames(p: BackendTLSPolicyObject): ExpectedName[] {
  if (p.subjectAltNames.length > 0) {
    return p.subjectAltNames.flatMap((s): ExpectedName[] => (s.type === 'URI' && s.uri ? [{ type: 'URI', value: s.uri }] : s.hostname ? [{ type: 'Hostname', value: s.hostname }] : []));
  }
  return p.hostname ? [{ type: 'Hostname', value: p.hostname }] : [];
}

export function certificateHasName(c: Cert, name: ExpectedName): boolean {
  return name.type === 'URI' ? (c.sans.uri ?? []).includes(name.value) : c.sans.dns.some((s) => sanMatches(s, name.value));
}

/**
 * A name the gateway can verify in the certificate, preferring the Service's DNS names: a DNS SAN (a wildcard
 * instantiated with the Service name), else a URI SAN with the Service FQDN as SNI. Null when it has neither.
 */
export function validationName(c: Cert, svc?: ServiceObject): { hostname: string; uri?: string } | null {
  const dns = c.sans.dns;
  if (svc) {
    const base = `${svc.meta.name}.${svc.meta.namespace}`;
    for (const h of [`${base}.svc.cluster.local`, `${base}.svc`, base, svc.meta.name]) if (dns.some((s) => sanMatches(s, h))) return { hostname: h };
  }
  const exact = dns.find((s) => !s.includes('*'));
  if (exact) return { hostname: exact.toLowerCase() };
  const wildcard = dns.find((s) => s.startsWith('*.'));
  if (wildcard) return { hostname: `${svc?.meta.name ?? 'backend'}.${wildcard.slice(2)}`.toLowerCase() };
  const uri = c.sans.uri?.[0];
  if (uri && svc) return { hostname: `${svc.meta.name}.${svc.meta.namespace}.svc.cluster.local`, uri };
  return null;
}

/** A name valid for every certificate (a rotation may leave pods on different ones). */
export function commonValidationName(certs: Cert[], svc?: ServiceObject): { hostname: string; uri?: string } | null {
  for (const c of certs) {
    const n = validationName(c, svc);
    if (!n) continue;
    const name: ExpectedName = n.uri ? { type: 'URI', value: n.uri } : { type: 'Hostname', value: n.hostname };
    if (certs.every((o) => certificateHasName(o, name))) return n;
  }
  return null;
}

export function describeCertificate(m: ServingCertificate): string {
  const c = m.leaf.cert;
  const names = [...c.sans.dns, ...(c.sans.uri ?? [])];
  const from = m.secret ? `from Secret ${m.secret.meta.namespace}/${m.secret.meta.name}` : `as served by ${m.observed ?? 'the backend'} (probed)`;
  return `${names.length ? names.join(', ') : `CN=${c.commonName ?? '?'} (no SAN)`}; ${c.selfSigned ? 'self-signed' : `issued by ${c.issuer}`}; ${from}`;
}
