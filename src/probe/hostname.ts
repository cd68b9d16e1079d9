// Hostname verification as modern clients do it (RFC 6125 / CA/B Forum): DNS SANs only (the subject CN is
// ignored), a wildcard stands for exactly one whole left-most label, IP addresses only match IP SANs.
import type { X509Certificate } from 'node:crypto';
import { isIP } from 'node:net';
import type { Cert } from '../report/types.ts';

export interface HostnameResult {
  matches: boolean;
  /** The SAN that matched, or why nothing did, in words. */
  detail: string;
}

export function matchHostname(x509: X509Certificate, cert: Cert, name: string): HostnameResult {
  if (isIP(name)) {
    const hit = x509.checkIP(name);
    if (hit) return { matches: true, detail: `IP SAN ${name}` };
    const dnsNote = cert.sans.ip.length === 0 ? 'the certificate has no IP SANs' : `its IP SANs are ${cert.sans.ip.join(', ')}`;
    return { matches: false, detail: `${name} is an IP address and ${dnsNote}; connect by DNS name (and SNI) instead, or add the IP as an IP SAN` };
  }
  const hit = x509.checkHost(name, { subject: 'never', wildcards: true, partialWildcards: false, multiLabelWildcards: false, singleLabelSubdomains: false });
  if (hit) return { matches: true, detail: `SAN ${sanThatMatched(cert.sans.dns, name) ?? hit}` };
  return { matches: false, detail: explainMismatch(cert, name) };
}

function sanThatMatched(sans: string[], name: string): string | undefined {
  const n = name.toLowerCase();
  return sans.find((s) => s.toLowerCase() === n) ?? sans.find((s) => s.startsWith('*.') && n.split('.').slice(1).join('.') === s.slice(2).toLowerCase());
}

export function explainMismatch(cert: Cert, name: string): string {
  const dns = cert.sans.dns;
  const n = name.toLowerCase();
  if (dns.length === 0) {
    const cn = cert.commonName;
    if (cn && cn.toLowerCase() === n) return `the certificate has no DNS SANs; its subject CN is ${cn}, which modern clients (Go, Chrome, Node, curl) ignore: reissue it with a SAN`;
    return `the certificate has no DNS SANs${cn ? ` (subject CN ${cn}, which clients ignore anyway)` : ''}`;
  }
  const list = dns.length > 6 ? `${dns.slice(0, 6).join(', ')} and ${dns.length - 6} more` : dns.join(', ');
  for (const s of dns) {
    if (!s.startsWith('*.')) continue;
    const base = s.slice(2).toLowerCase();
    if (n.endsWith(`.${base}`) && n.split('.').length - base.split('.').length > 1) {
      return `${name} is not covered by ${s}: a wildcard covers exactly one label (a.${base}, not a.b.${base}); the certificate's names are ${list}`;
    }
    if (n === base) return `${name} is not covered by ${s}: a wildcard does not cover the bare domain; add ${base} as its own SAN (the certificate's names are ${list})`;
  }
  return `${name} is not among the certificate's names (${list})`;
}
