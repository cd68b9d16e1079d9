// Certificates for tests, made with node-forge (RSA) and OpenSSL (ECDSA, which node-forge cannot sign with).
// Keys come from node:crypto, which is fast; forge only assembles and signs certificates.
import { execFileSync } from 'node:child_process';
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import forge from 'node-forge';

export interface Issued {
  certPem: string;
  keyPem: string;
  /** The issuer's certificate and key (for intermediates and leaves). */
  issuer?: Issued;
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
  rsaBits?: number;
  /** Leave out the subjectAltName extension (CN-only certificates). */
  noSan?: boolean;
  serverAuth?: boolean;
  /** Authority Information Access URLs (ECDSA/OpenSSL path only). */
  aia?: { issuers?: string[]; ocsp?: string[] };
}

const DAY = 86_400_000;

function rsaKeyPem(bits: number): { pub: string; priv: string } {
  const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: bits, publicKeyEncoding: { type: 'spki', format: 'pem' }, privateKeyEncoding: { type: 'pkcs8', format: 'pem' } });
  return { pub: publicKey, priv: privateKey };
}

export function issue(spec: CertSpec = {}): Issued {
  if (spec.keyType === 'ec' || spec.issuer?.keyPem.includes('EC PRIVATE') || isEcKey(spec.issuer?.keyPem)) return issueWithOpenssl(spec);
  const key = rsaKeyPem(spec.rsaBits ?? 2048);
  const cert = forge.pki.createCertificate();
  cert.publicKey = forge.pki.publicKeyFromPem(key.pub);
  cert.serialNumber = '0' + randomBytes(8).toString('hex');
  cert.validity.notBefore = spec.notBefore ?? new Date(Date.now() - DAY);
  cert.validity.notAfter = spec.notAfter ?? new Date(Date.now() + 365 * DAY);
  const subject = [{ name: 'commonName', value: spec.cn ?? spec.dns?.[0] ?? 'test' }, ...(spec.org ? [{ name: 'organizationName', value: spec.org }] : [])];
  cert.setSubject(subject);
  cert.setIssuer(spec.issuer ? forge.pki.certificateFromPem(spec.issuer.certPem).subject.attributes : subject);
  const exts: object[] = [{ name: 'basicConstraints', cA: spec.ca ?? false, critical: true }];
  exts.push(spec.ca ? { name: 'keyUsage', keyCertSign: true, cRLSign: true, critical: true } : { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true });
  if (!spec.ca && spec.serverAuth !== false) exts.push({ name: 'extKeyUsage', serverAuth: true });
  if (!spec.ca && !spec.noSan) {
    const altNames = [...(spec.dns ?? []).map((value) => ({ type: 2, value })), ...(spec.ips ?? []).map((ip) => ({ type: 7, ip }))];
    if (altNames.length) exts.push({ name: 'subjectAltName', altNames });
  }
  exts.push({ name: 'subjectKeyIdentifier' });
  cert.setExtensions(exts);
  const signer = spec.issuer ? forge.pki.privateKeyFromPem(spec.issuer.keyPem) : forge.pki.privateKeyFromPem(key.priv);
  cert.sign(signer, forge.md.sha256.create());
  const out: Issued = { certPem: forge.pki.certificateToPem(cert), keyPem: key.priv };
  if (spec.issuer) out.issuer = spec.issuer;
  return out;
}

function isEcKey(pem: string | undefined): boolean {
  if (!pem) return false;
  try {
    forge.pki.privateKeyFromPem(pem);
    return false;
  } catch {
    return true;
  }
}

function issueWithOpenssl(spec: CertSpec): Issued {
  const dir = mkdtempSync(join(tmpdir(), 'gwtls-cert-'));
  try {
    const key = join(dir, 'key.pem');
    if (spec.keyType === 'ec') execFileSync('openssl', ['genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256', '-out', key]);
    else writeFileSync(key, rsaKeyPem(spec.rsaBits ?? 2048).priv);
    const cn = spec.cn ?? spec.dns?.[0] ?? 'test';
    const ext = [
      `basicConstraints=critical,CA:${spec.ca ? 'TRUE' : 'FALSE'}`,
      spec.ca ? 'keyUsage=critical,keyCertSign,cRLSign' : 'keyUsage=critical,digitalSignature,keyEncipherment',
      ...(spec.ca || spec.serverAuth === false ? [] : ['extendedKeyUsage=serverAuth']),
      ...(spec.aia ? [`authorityInfoAccess=${[...(spec.aia.issuers ?? []).map((u) => `caIssuers;URI:${u}`), ...(spec.aia.ocsp ?? []).map((u) => `OCSP;URI:${u}`)].join(',')}`] : []),
      ...(!spec.ca && !spec.noSan && (spec.dns?.length || spec.ips?.length) ? [`subjectAltName=${[...(spec.dns ?? []).map((d) => `DNS:${d}`), ...(spec.ips ?? []).map((i) => `IP:${i}`)].join(',')}`] : []),
    ];
    writeFileSync(join(dir, 'ext.cnf'), `[v3]\n${ext.join('\n')}\n`);
    // OpenSSL 3.0's x509 command has no -not_before: ECDSA certificates start now and last whole days.
    if (spec.notBefore) throw new Error('ECDSA test certificates cannot set notBefore; use RSA for validity-window tests');
    const days = Math.max(1, Math.ceil(((spec.notAfter ?? new Date(Date.now() + 365 * DAY)).getTime() - Date.now()) / DAY));
    const subj = `/CN=${cn}${spec.org ? `/O=${spec.org}` : ''}`;
    execFileSync('openssl', ['req', '-new', '-key', key, '-subj', subj, '-out', join(dir, 'csr.pem')]);
    const signArgs = spec.issuer
      ? (writeFileSync(join(dir, 'ca.pem'), spec.issuer.certPem), writeFileSync(join(dir, 'ca.key'), spec.issuer.keyPem), ['-CA', join(dir, 'ca.pem'), '-CAkey', join(dir, 'ca.key'), '-set_serial', `0x${randomBytes(8).toString('hex')}`])
      : ['-key', key];
    execFileSync('openssl', ['x509', '-req', '-in', join(dir, 'csr.pem'), ...signArgs, '-days', String(days), '-extfile', join(dir, 'ext.cnf'), '-extensions', 'v3', '-sha256', '-out', join(dir, 'cert.pem')], { stdio: 'pipe' });
    const out: Issued = { certPem: readFileSync(join(dir, 'cert.pem'), 'utf8'), keyPem: readFileSync(key, 'utf8') };
    if (spec.issuer) out.issuer = spec.issuer;
    return out;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
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
