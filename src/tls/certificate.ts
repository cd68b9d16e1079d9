// Certificate decoding: node:crypto's X509Certificate for the natively exposed facts (fast, OpenSSL-backed),
// node-forge's ASN.1 reader for extensions X509Certificate does not expose (SAN types, key usage bits,
// basic constraints path length, AIA).
import { X509Certificate, createPrivateKey, type KeyObject } from 'node:crypto';
import forge from 'node-forge';
import type { Cert, SubjectAltNames } from '../report/types.ts';

export interface DecodedCert {
  cert: Cert;
  x509: X509Certificate;
  /** OIDs of extensions marked critical that OpenSSL does not know, so verifiers reject the certificate (RFC 5280 §4.2). */
  unhandledCritical?: string[];
}

/**
 * The extensions OpenSSL understands, so may be critical (OpenSSL 3, crypto/x509/v3_purp.c X509_supported_extension):
 * Netscape cert type, key usage, SAN, basic constraints, certificate policies, CRL distribution points, extended key
 * usage, the RFC 3779 IP and AS blocks, OCSP no-check, policy constraints, proxy certificate info, name constraints,
 * policy mappings, inhibit any-policy. Any other critical extension (authority or subject key identifier included)
 * fails verification with X509_V_ERR_UNHANDLED_CRITICAL_EXTENSION, which Node reports as UNSPECIFIED.
 */
const OPENSSL_SUPPORTED_EXTENSIONS = new Set(['2.16.840.1.113730.1.1', '2.5.29.15', '2.5.29.17', '2.5.29.19', '2.5.29.32', '2.5.29.31', '2.5.29.37', '1.3.6.1.5.5.7.1.7', '1.3.6.1.5.5.7.1.8', '1.3.6.1.5.5.7.48.1.5', '2.5.29.36', '1.3.6.1.5.5.7.1.14', '2.5.29.30', '2.5.29.33', '2.5.29.54']);

export interface DecodedChain {
  certs: DecodedCert[];
  /** Problems reading the PEM text itself: not PEM, a block that is not a certificate, a broken block. */
  errors: string[];
}

const DAY_MS = 86_400_000;

/**
 * Whole days until notAfter, negative once it has passed (-1 during the first day after): the report's `daysLeft`.
 * Every output that says "N days ago" says -daysLeft, so text, JSON and the UI give one number.
 */
export function daysLeft(notAfter: Date, now: Date): number {
  return Math.floor((notAfter.getTime() - now.getTime()) / DAY_MS);
}

/** How many days ago notAfter was, in the words of every output: -daysLeft. */
export function daysAgo(notAfter: Date, now: Date): number {
  return -daysLeft(notAfter, now);
}

const EKU_NAMES: Record<string, string> = {
  '1.3.6.1.5.5.7.3.1': 'serverAuth',
  '1.3.6.1.5.5.7.3.2': 'clientAuth',
  '1.3.6.1.5.5.7.3.3': 'codeSigning',
  '1.3.6.1.5.5.7.3.4': 'emailProtection',
  '1.3.6.1.5.5.7.3.8': 'timeStamping',
  '1.3.6.1.5.5.7.3.9': 'OCSPSigning',
  '2.5.29.37.0': 'anyExtendedKeyUsage',
};

const KEY_USAGE_BITS = [
  'digitalSignature',
  'nonRepudiation',
  'keyEncipherment',
  'dataEncipherment',
  'keyAgreement',
  'keyCertSign',
  'cRLSign',
  'encipherOnly',
  'decipherOnly',
] as const;

/** PEM blocks in a text, in order. Garbage between blocks is ignored, as OpenSSL does. */
export function pemBlocks(text: string): Array<{ type: string; der: Buffer }> {
  if (!text.includes('-----BEGIN ')) return [];
  let messages: forge.pem.ObjectPEM[];
  try {
    messages = forge.pem.decode(text);
  } catch (e) {
    throw new Error(`not valid PEM: ${(e as Error).message}`, { cause: e });
  }
  return messages.map((m) => ({ type: m.type, der: Buffer.from(m.body, 'binary') }));
}

// The same PEM text is often stored many times (a wildcard certificate copied into every namespace, one CA
// bundle referenced by many policies): decode each distinct text once per clock, hand out labelled copies.
const decoded = new Map<string, DecodedChain>();
const MEMO_LIMIT = 20_000;

/** Decodes every CERTIFICATE block of a PEM text (a chain as stored in tls.crt or ca.crt). */
export function decodePemChain(text: string, source: string, now: Date = new Date()): DecodedChain {
  const key = `${now.getTime()}\u0000${text}`;
  let chain = decoded.get(key);
  if (!chain) {
    chain = decodeUncached(text, source, now);
    if (decoded.size >= MEMO_LIMIT) decoded.clear();
    decoded.set(key, chain);
  }
  return {
    errors: [...chain.errors],
    certs: chain.certs.map((c) => {
      const cert = { ...c.cert, source };
      delete cert.keyMatches;
      return { ...c, cert };
    }),
  };
}

function decodeUncached(text: string, source: string, now: Date): DecodedChain {
  const errors: string[] = [];
  let blocks: Array<{ type: string; der: Buffer }> = [];
  try {
    blocks = pemBlocks(text);
  } catch (e) {
    errors.push((e as Error).message);
  }
  if (blocks.length === 0 && errors.length === 0) {
    errors.push(text.trim() === '' ? 'empty' : 'no PEM block found (expected -----BEGIN CERTIFICATE-----)');
  }
  const certs: DecodedCert[] = [];
  for (const [i, block] of blocks.entries()) {
    if (block.type !== 'CERTIFICATE' && block.type !== 'TRUSTED CERTIFICATE') {
      errors.push(`PEM block ${i + 1} is a ${block.type}, not a CERTIFICATE`);
      continue;
    }
    try {
      certs.push(decodeDer(block.der, source, now));
    } catch (e) {
      errors.push(`PEM block ${i + 1} is not a parseable X.509 certificate (corrupt or truncated DER${(e as Error).message.includes('asn1') ? `: ${(e as Error).message}` : ''})`);
    }
  }
  linkChain(certs);
  return { certs, errors };
}

export function decodeDer(der: Buffer, source: string, now: Date = new Date()): DecodedCert {
  const x509 = new X509Certificate(der);
  const ext = readExtensions(der);
  const pub = x509.publicKey;
  const details = pub.asymmetricKeyDetails ?? {};
  const keyType = describeKeyType(pub);
  const keyBits = details.modulusLength ?? curveBits(details.namedCurve) ?? edBits(pub.asymmetricKeyType);
  const notBefore = x509.validFromDate;
  const notAfter = x509.validToDate;
  // Node's X509Certificate leaves subject undefined when it is empty (cert-manager's shim-made certificates have
  // no commonName, only SANs: RFC 5280 §4.1.2.6 allows an empty subject with a critical SAN extension).
  const subject = formatName(x509.subject ?? '');
  const issuer = formatName(x509.issuer ?? '');
  // Not checkIssued: OpenSSL also demands keyCertSign there, which self-signed leaf certificates lack.
  const selfSigned = x509.subject === x509.issuer && safe(() => x509.verify(pub), false);
  const cert: Cert = {
    subject,
    issuer,
    sans: ext.sans,
    notBefore: notBefore.toISOString(),
    notAfter: notAfter.toISOString(),
    serial: x509.serialNumber.toLowerCase(),
    fingerprintSha256: x509.fingerprint256,
    keyType,
    keyBits: keyBits ?? null,
    signatureAlgorithm: x509.signatureAlgorithm ?? 'unknown',
    isCA: x509.ca,
    selfSigned,
    source,
    commonName: commonNameOf(x509.subject ?? ''),
    fingerprintSha1: x509.fingerprint,
    pathLength: ext.pathLength,
    keyUsage: ext.keyUsage,
    extendedKeyUsage: (safe(() => x509.keyUsage, undefined) ?? []).map((oid) => EKU_NAMES[oid] ?? oid),
    aiaIssuers: ext.aiaIssuers,
    ocsp: ext.ocsp,
    daysLeft: daysLeft(notAfter, now),
  };
  if (details.namedCurve) cert.keyCurve = details.namedCurve;
  return ext.unhandledCritical.length ? { cert, x509, unhandledCritical: ext.unhandledCritical } : { cert, x509 };
}

/** Marks each certificate with its index and whether the next one in the list issued it. */
function linkChain(certs: DecodedCert[]): void {
  certs.forEach((c, i) => {
    c.cert.index = i;
    const next = certs[i + 1];
    c.cert.issuedByNext = next ? issuedBy(c.x509, next.x509) : null;
  });
}

const issued = new Map<string, boolean>();

export function issuedBy(child: X509Certificate, parent: X509Certificate): boolean {
  const key = `${child.fingerprint256}>${parent.fingerprint256}`;
  let r = issued.get(key);
  if (r === undefined) {
    r = safe(() => child.checkIssued(parent) && child.verify(parent.publicKey), false);
    if (issued.size >= MEMO_LIMIT) issued.clear();
    issued.set(key, r);
  }
  return r;
}

/**
 * Whether a PEM private key belongs to the certificate. `null` when the key cannot be parsed (encrypted,
 * garbage); the reason is returned but never the key material.
 */
const keyChecks = new Map<string, { matches: boolean | null; error?: string }>();

export function privateKeyMatches(x509: X509Certificate, keyPem: string): { matches: boolean | null; error?: string } {
  const memoKey = `${x509.fingerprint256}\u0000${keyPem}`;
  let r = keyChecks.get(memoKey);
  if (!r) {
    r = checkKey(x509, keyPem);
    if (keyChecks.size >= MEMO_LIMIT) keyChecks.clear();
    keyChecks.set(memoKey, r);
  }
  return { ...r };
}

function checkKey(x509: X509Certificate, keyPem: string): { matches: boolean | null; error?: string } {
  let key: KeyObject;
  try {
    key = createPrivateKey({ key: keyPem, format: 'pem' });
  } catch (e) {
    const msg = (e as Error).message;
    return { matches: null, error: /passphrase|encrypted/i.test(msg) || /ENCRYPTED/.test(keyPem) ? 'the private key is encrypted' : 'the private key is not a parseable PEM key' };
  }
  return { matches: safe(() => x509.checkPrivateKey(key), false) };
}

interface Extensions {
  sans: SubjectAltNames;
  unhandledCritical: string[];
  keyUsage?: string[];
  pathLength: number | null;
  aiaIssuers?: string[];
  ocsp?: string[];
}

function readExtensions(der: Buffer): Extensions {
  const out: Extensions = { sans: { dns: [], ip: [] }, pathLength: null, unhandledCritical: [] };
  const root = forge.asn1.fromDer(forge.util.createBuffer(der.toString('binary')));
  const tbs = (root.value as forge.asn1.Asn1[])[0];
  const wrapper = (tbs?.value as forge.asn1.Asn1[] | undefined)?.find(
    (v) => v.tagClass === forge.asn1.Class.CONTEXT_SPECIFIC && v.type === 3,
  );
  const list = (wrapper?.value as forge.asn1.Asn1[] | undefined)?.[0]?.value as forge.asn1.Asn1[] | undefined;
  for (const raw of list ?? []) {
    // certificateExtensionFromAsn1 is exported by node-forge but missing from its type definitions.
    const e = (forge.pki as unknown as { certificateExtensionFromAsn1(a: forge.asn1.Asn1): ForgeExtension }).certificateExtensionFromAsn1(raw);
    if (e.critical === true && !OPENSSL_SUPPORTED_EXTENSIONS.has(e.id)) out.unhandledCritical.push(e.id);
    if (e.name === 'subjectAltName') {
      for (const n of e.altNames ?? []) {
        if (n.type === 2) out.sans.dns.push(n.value);
        else if (n.type === 7 && n.ip) out.sans.ip.push(n.ip);
        else if (n.type === 6) (out.sans.uri ??= []).push(n.value);
        else if (n.type === 1) (out.sans.email ??= []).push(n.value);
      }
    } else if (e.name === 'keyUsage') {
      out.keyUsage = KEY_USAGE_BITS.filter((bit) => e[bit] === true);
    } else if (e.name === 'basicConstraints') {
      out.pathLength = typeof e.pathLenConstraint === 'number' ? e.pathLenConstraint : null;
    } else if (e.id === '1.3.6.1.5.5.7.1.1') {
      Object.assign(out, readAia(e.value));
    }
  }
  return out;
}

interface ForgeExtension {
  id: string;
  critical?: boolean;
  name?: string;
  value: string;
  altNames?: Array<{ type: number; value: string; ip?: string }>;
  pathLenConstraint?: number;
  [bit: string]: unknown;
}

const OID_CA_ISSUERS = '1.3.6.1.5.5.7.48.2';
const OID_OCSP = '1.3.6.1.5.5.7.48.1';

function readAia(value: string): { aiaIssuers: string[]; ocsp: string[] } {
  const aiaIssuers: string[] = [];
  const ocsp: string[] = [];
  const seq = forge.asn1.fromDer(value);
  for (const desc of (seq.value as forge.asn1.Asn1[]) ?? []) {
    const [method, location] = desc.value as forge.asn1.Asn1[];
    if (!method || !location || location.type !== 6 || typeof location.value !== 'string') continue;
    const oid = forge.asn1.derToOid(method.value as string);
    if (oid === OID_CA_ISSUERS) aiaIssuers.push(location.value);
    else if (oid === OID_OCSP) ocsp.push(location.value);
  }
  return { aiaIssuers, ocsp };
}

function describeKeyType(pub: KeyObject): string {
  switch (pub.asymmetricKeyType) {
    case 'rsa':
    case 'rsa-pss':
      return 'RSA';
    case 'ec':
      return 'ECDSA';
    case 'ed25519':
      return 'Ed25519';
    case 'ed448':
      return 'Ed448';
    default:
      return pub.asymmetricKeyType?.toUpperCase() ?? 'unknown';
  }
}

function curveBits(curve: string | undefined): number | undefined {
  if (!curve) return undefined;
  const known: Record<string, number> = { prime256v1: 256, secp256r1: 256, secp384r1: 384, secp521r1: 521, secp256k1: 256, secp224r1: 224 };
  return known[curve];
}

function edBits(type: string | undefined): number | undefined {
  return type === 'ed25519' ? 256 : type === 'ed448' ? 456 : undefined;
}

/** X509Certificate separates RDNs with newlines; print them on one line, in certificate order. */
export function formatName(name: string): string {
  return name
    .split('\n')
    .filter((s) => s !== '')
    .join(', ');
}

function commonNameOf(name: string): string | undefined {
  const line = name.split('\n').find((l) => l.startsWith('CN='));
  return line?.slice(3);
}

/** Whether `der` is a certificate X.509 can read (what decodeDer needs before it reads anything else). */
export function parsesAsX509(der: Buffer): boolean {
  return safe(() => new X509Certificate(der), null) !== null;
}

function safe<T>(fn: () => T, fallback: T): T {
  try {
    return fn();
  } catch {
    return fallback;
  }
}

/** How the certificates of a tls.crt are arranged, as far as a server presenting them in file order is concerned. */
export interface ChainShape {
  /** Indexes i (0-based) whose next certificate did not issue them. */
  misordered: number[];
  /** Whether some other certificate of the list issued the first one. */
  firstIssuerPresent: boolean;
  /** Index of the certificate whose private key is tls.key, when it is not the first (the leaf is not first). */
  keyAt: number | null;
}

/**
 * Order and completeness of a chain as stored in tls.crt: the server sends it as is, leaf first. `keyPem`
 * (optional) finds the real leaf when tls.key belongs to a later certificate.
 */
export function chainShape(certs: readonly DecodedCert[], keyPem?: string): ChainShape {
  const misordered: number[] = [];
  certs.forEach((c, i) => {
    if (c.cert.issuedByNext === false) misordered.push(i);
  });
  const first = certs[0];
  const firstIssuerPresent = !!first && certs.some((c, j) => j > 0 && issuedBy(first.x509, c.x509));
  let keyAt: number | null = null;
  if (keyPem !== undefined && first && privateKeyMatches(first.x509, keyPem).matches === false) {
    const i = certs.findIndex((c, j) => j > 0 && privateKeyMatches(c.x509, keyPem).matches === true);
    if (i > 0) keyAt = i;
  }
  return { misordered, firstIssuerPresent, keyAt };
}
