// Analysis of a chain as served: order, gaps, extras, validity, weak crypto. Pure: certificates and a trust
// store in, facts out.
import type { Cert } from '../report/types.ts';
import { daysAgo, type DecodedCert } from '../tls/certificate.ts';
import type { ChainAnalysis, ChainIssue } from './types.ts';
import { buildPath, issuedBy, type PathResult, type TrustStore } from './trust.ts';

export function shortName(dn: string): string {
  const cn = /(?:^|, )CN=([^,]+)/.exec(dn)?.[1];
  return cn ? `CN=${cn}` : dn;
}

export function certRole(i: number, c: Cert): string {
  return i === 0 ? 'leaf' : c.selfSigned ? 'root' : c.isCA ? 'intermediate' : 'extra';
}

export interface AnalyzedChain {
  analysis: ChainAnalysis;
  path: PathResult;
}

export function analyzeChain(chain: DecodedCert[], store: TrustStore, now: Date = new Date()): AnalyzedChain {
  const n = chain.length;
  const x = chain.map((c) => c.x509);
  const issues: ChainIssue[] = [];
  const path = buildPath(x, store);
  const analysis: ChainAnalysis = {
    length: n,
    ordered: true,
    path: path.path,
    missingIntermediate: null,
    rootIncluded: false,
    selfSignedLeaf: n > 0 && chain[0]!.cert.selfSigned,
    issues,
  };
  if (n === 0) return { analysis, path };

  // Duplicates.
  const seen = new Map<string, number>();
  chain.forEach((c, i) => {
    const first = seen.get(c.cert.fingerprintSha256);
    if (first !== undefined) issues.push({ kind: 'duplicate', index: i, message: `certificate ${i} is a copy of certificate ${first} (${shortName(c.cert.subject)}): send it once` });
    else seen.set(c.cert.fingerprintSha256, i);
  });

  // Order: each certificate should be followed by its issuer.
  for (let i = 0; i < n - 1; i++) {
    const c = chain[i]!;
    if (c.cert.selfSigned) continue;
    if (issuedBy(c.x509, x[i + 1]!)) continue;
    const j = x.findIndex((p, k) => k !== i && k !== i + 1 && issuedBy(c.x509, p));
    if (j >= 0 && path.path.includes(i)) {
      analysis.ordered = false;
      issues.push({ kind: 'order', index: i, message: `certificate ${i} (${shortName(c.cert.subject)}) is issued by certificate ${j} (${shortName(chain[j]!.cert.subject)}), which should come right after it: send the leaf first, then each issuer in order` });
    }
  }

  // Certificates not on the path from the leaf. The path stops at the trust anchor: with a pinned leaf or
  // intermediate (--ca-file holding it), the issuers served beyond it are still the chain other clients need.
  const onPath = new Set(path.path);
  const chained = new Set(path.path);
  for (let at = path.path[path.path.length - 1]!; !chain[at]!.cert.selfSigned; ) {
    const issuer = x.findIndex((p, k) => !chained.has(k) && issuedBy(x[at]!, p));
    if (issuer < 0) break;
    chained.add(issuer);
    at = issuer;
  }
  chain.forEach((c, i) => {
    if (chained.has(i) || issues.some((is) => is.kind === 'duplicate' && is.index === i)) return;
    issues.push({ kind: 'unused', index: i, message: `certificate ${i} (${shortName(c.cert.subject)}) is not part of the chain from the leaf: it is not needed (an old intermediate or another chain?)` });
  });

  // The end of the path.
  const lastIdx = path.path[path.path.length - 1]!;
  const last = chain[lastIdx]!;
  if (last.cert.selfSigned && lastIdx !== 0) {
    analysis.rootIncluded = true;
    issues.push({ kind: 'root-included', index: lastIdx, message: `the server sends the root certificate ${shortName(last.cert.subject)}: harmless but unneeded, clients use their own copy of the root` });
  }
  if (!path.anchor && !last.cert.selfSigned) {
    const aia = last.cert.aiaIssuers ?? [];
    analysis.missingIntermediate = { issuer: last.cert.issuer, aiaIssuers: aia, afterIndex: lastIdx };
    issues.push({
      kind: 'missing-intermediate',
      index: lastIdx,
      message: `the chain stops at certificate ${lastIdx} (${shortName(last.cert.subject)}): its issuer ${shortName(last.cert.issuer)} is neither sent by the server nor in the trust store (${store.label})${aia.length ? `; the issuer certificate can be downloaded from ${aia.join(', ')}` : ''}`,
    });
  } else if (path.storeIntermediate) {
    const si = path.storeIntermediate;
    analysis.missingIntermediate = { issuer: si.subject.replace(/\n/g, ', '), aiaIssuers: last.cert.aiaIssuers ?? [], afterIndex: lastIdx };
    issues.push({ kind: 'missing-intermediate', index: lastIdx, message: `the server does not send the intermediate ${shortName(si.subject.replace(/\n/g, ', '))}; it verified only because the trust store (${store.label}) holds that intermediate, clients holding only the root will fail` });
  }

  // Per-certificate checks.
  chain.forEach((d, i) => {
    const c = d.cert;
    const label = `certificate ${i} (${shortName(c.subject)})`;
    const nb = new Date(c.notBefore);
    const na = new Date(c.notAfter);
    if (now > na) issues.push({ kind: 'expired', index: i, message: `${label} expired on ${c.notAfter.slice(0, 10)} (${daysAgo(na, now)} days ago)` });
    if (now < nb) issues.push({ kind: 'not-yet-valid', index: i, message: `${label} is not valid before ${c.notBefore.replace('T', ' ').slice(0, 16)} UTC (clock skew, or issued with a future start date)` });
    if (c.keyType === 'RSA' && c.keyBits !== null && c.keyBits < 2048) issues.push({ kind: 'weak-key', index: i, message: `${label} has a ${c.keyBits}-bit RSA key: browsers, CAs and OpenSSL at security level 2 (the default on Debian, Ubuntu and RHEL) require at least 2048 bits` });
    if (c.keyType === 'ECDSA' && c.keyBits !== null && c.keyBits < 256) issues.push({ kind: 'weak-key', index: i, message: `${label} has a ${c.keyBits}-bit EC key: use P-256 or larger` });
    if (/md5|md2|sha1With|sha1-|-sha1|ecdsa-with-SHA1|^sha1/i.test(c.signatureAlgorithm) && !(c.selfSigned && i > 0)) {
      issues.push({ kind: 'weak-signature', index: i, message: `${label} is signed with ${c.signatureAlgorithm}: SHA-1 and MD5 signatures are rejected by browsers, Go and OpenSSL at security level 2 (the default on Debian, Ubuntu and RHEL)` });
    }
    if (d.unhandledCritical) issues.push({ kind: 'unhandled-critical-extension', index: i, message: `${label} marks extension ${d.unhandledCritical.join(', ')} critical: a verifier that does not know an extension marked critical must reject the certificate (RFC 5280 §4.2), and OpenSSL (so Node and curl) does not know it` });
    if (i > 0 && onPath.has(i) && !c.isCA) issues.push({ kind: 'not-ca', index: i, message: `${label} issues certificate ${path.path[path.path.indexOf(i) - 1]} but is not a CA (basicConstraints CA:FALSE): verification fails` });
  });
  const leaf = chain[0]!.cert;
  if (leaf.isCA && !leaf.selfSigned) issues.push({ kind: 'leaf-is-ca', index: 0, message: 'the leaf is a CA certificate (basicConstraints CA:TRUE): issue a server certificate (CA:FALSE) instead' });
  const eku = leaf.extendedKeyUsage ?? [];
  if (eku.length > 0 && !eku.includes('serverAuth') && !eku.includes('anyExtendedKeyUsage')) {
    issues.push({ kind: 'no-server-auth', index: 0, message: `the leaf's extended key usage (${eku.join(', ')}) does not include serverAuth: clients reject it as a server certificate` });
  }
  return { analysis, path };
}
