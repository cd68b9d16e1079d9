// Per-hop TLS facts as data, the ones an oracle can check: which certificate a listener serves for which SNI,
// and per backend hop whether the gateway sends plaintext, TLS without verification, or TLS verified against
// which CA for which names.
import type { BackendTLS, ServedCertificateReport } from '../report/types.ts';
import { decodePemChain } from '../tls/certificate.ts';
import type { BackendTLSDecision } from './backend-tls.ts';
import { servedRefsEnvoy } from './expected-envoy.ts';
import { gatewayHostnameCovers, sanMatches } from './hostnames.ts';
import type { CertRef } from './listener-certs.ts';
import type { BackendHop, ListenerModel, Model } from './model.ts';

/** The certificateRefs the implementation puts into the listener's filter chain, in order. */
export function servedRefs(lm: ListenerModel, now: Date): CertRef[] {
  const impl = lm.gateway.impl;
  if (impl.id === 'envoy-gateway' || impl.id === 'calico') return servedRefsEnvoy(lm, now);
  return lm.certRefs.filter((r) => r.state === 'ok');
}

export interface ServingCandidate {
  secret: string;
  /** DNS SANs of the leaf. */
  names: string[];
  keyType: string;
  fingerprintSha256: string | null;
}

/**
 * Which certificate answers which SNI, as Envoy selects among a filter chain's certificates: those whose DNS
 * name matches the SNI, else all of them; among those, the first of each key type (the client's supported
 * signature algorithms decide between an RSA and an ECDSA one). The names are the listener hostname (or `*`,
 * any SNI or none) and the certificates' own names within it.
 */
export function selectServed(hostname: string | undefined, candidates: ServingCandidate[]): Array<{ sni: string; candidate: ServingCandidate }> {
  const names = [hostname ?? '*'];
  for (const c of candidates) for (const n of c.names) if (!names.includes(n) && (!hostname || namesOverlap(hostname, n))) names.push(n);
  const out: Array<{ sni: string; candidate: ServingCandidate }> = [];
  for (const sni of names) {
    const matching = sni === '*' ? [] : candidates.filter((c) => c.names.some((n) => n.toLowerCase() === sni.toLowerCase() || (!sni.startsWith('*') && sanMatches(n, sni))));
    const pool = matching.length ? matching : candidates;
    const types = new Set<string>();
    for (const c of pool) {
      if (types.has(c.keyType)) continue;
      types.add(c.keyType);
      out.push({ sni, candidate: c });
    }
  }
  return out;
}

/** Which certificate a listener serves for which SNI (see selectServed). */
export function servedCertificates(lm: ListenerModel, now: Date): ServedCertificateReport[] | undefined {
  const s = lm.served;
  if (s.type === 'acm-arn') return [{ sni: lm.spec.hostname ?? '*', secret: null, fingerprintSha256: null, source: `acm ${s.arns[0]}` }];
  if (s.type !== 'secrets') return undefined;
  const candidates: ServingCandidate[] = servedRefs(lm, now).map((r) => {
    const leaf = r.chain?.certs[0]?.cert;
    return { secret: `${r.ref.namespace}/${r.ref.name}`, names: leaf?.sans.dns ?? [], keyType: leaf?.keyType ?? 'unknown', fingerprintSha256: leaf?.fingerprintSha256 ?? null };
  });
  return selectServed(lm.spec.hostname, candidates).map(({ sni, candidate: c }) => ({ sni, secret: c.secret, fingerprintSha256: c.fingerprintSha256, source: `secret ${c.secret}` }));
}

function namesOverlap(hostname: string, san: string): boolean {
  return hostname.toLowerCase() === san.toLowerCase() || gatewayHostnameCovers(hostname, san) || gatewayHostnameCovers(san, hostname);
}

/** The backend hop as a fact (BackendTLS.state and what a verifying gateway checks). */
export function backendTlsFacts(hop: Pick<BackendHop, 'tls' | 'backend'>, passthrough: boolean, model: Model): Pick<BackendTLS, 'state' | 'verifyNames' | 'caCertificates' | 'system'> {
  const d: BackendTLSDecision = hop.tls;
  if (passthrough) return { state: 'passthrough' };
  if (d.tls.mode === 'none') return { state: 'plaintext' };
  if (d.tls.mode !== 'tls' || d.tls.verified === null) return { state: 'unknown' };
  if (d.tls.verified === false) return { state: 'tls-unverified' };
  const out: Pick<BackendTLS, 'state' | 'verifyNames' | 'caCertificates' | 'system'> = { state: 'tls-verified' };
  if (d.policy) {
    const p = d.policy.policy;
    const sans = p.subjectAltNames.map((s) => s.hostname ?? s.uri ?? '').filter(Boolean);
    out.verifyNames = sans.length ? sans : p.hostname ? [p.hostname] : [];
    if (p.wellKnownCACertificates === 'System') out.system = true;
    out.caCertificates = d.policy.caRefs.flatMap((c) => (c.chain?.certs ?? []).map((x) => ({ source: `${c.kind.toLowerCase()} ${c.namespace}/${c.name}`, subject: x.cert.subject, fingerprintSha256: x.cert.fingerprintSha256 })));
  } else if (d.envoyBackend?.tls) {
    const b = d.envoyBackend;
    const tls = b.tls!;
    out.verifyNames = tls.sni ? [tls.sni] : [];
    if (tls.wellKnownCACertificates === 'System') out.system = true;
    out.caCertificates = tls.caCertificateRefs.flatMap((r) => {
      const obj = r.kind === 'Secret' ? model.snapshot.get('Secret', b.meta.namespace, r.name) : model.snapshot.get('ConfigMap', b.meta.namespace, r.name);
      const text = obj?.caCrt;
      if (!text) return [];
      const source = `${r.kind.toLowerCase()} ${b.meta.namespace}/${r.name}`;
      return decodePemChain(text, source, model.now).certs.map((x) => ({ source, subject: x.cert.subject, fingerprintSha256: x.cert.fingerprintSha256 }));
    });
  }
  return out;
}
