// Test PKI: certificates built with node-forge's ASN.1 writer and signed with node:crypto, so that RSA and
// ECDSA (which node-forge cannot sign) share one code path, and any oddity (expired, SHA-1, CN-only, huge
// extension) is one option away.
import { createHash, generateKeyPairSync, sign, X509Certificate, type KeyObject } from 'node:crypto';
import { isIP } from 'node:net';
import forge from 'node-forge';

const { asn1 } = forge;
const U = asn1.Class.UNIVERSAL;
const T = asn1.Type;

export type KeyKind = 'rsa' | 'rsa1024' | 'ec' | 'ec384';

export interface KeyPair {
  kind: KeyKind;
  privateKey: KeyObject;
  publicKey: KeyObject;
  keyPem: string;
}

const keyCache = new Map<string, KeyPair>();

/** Keys are cached per (kind, slot) so a test suite generates only a handful. */
export function key(kind: KeyKind = 'rsa', slot = 'default'): KeyPair {
  const id = `${kind}/${slot}`;
  let k = keyCache.get(id);
  if (!k) {
    const pair =
      kind === 'ec' || kind === 'ec384'
        ? generateKeyPairSync('ec', { namedCurve: kind === 'ec' ? 'prime256v1' : 'secp384r1' })
        : generateKeyPairSync('rsa', { modulusLength: kind === 'rsa1024' ? 1024 : 2048 });
    k = { kind, privateKey: pair.privateKey, publicKey: pair.publicKey, keyPem: pair.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString() };
    keyCache.set(id, k);
  }
  return k;
}

export interface Issued {
  name: Array<[string, string]>;
  key: KeyPair;
  der: Buffer;
  pem: string;
  x509: X509Certificate;
}

export interface CertSpec {
  /** Subject CN (or full list of [shortName, value], e.g. [['O','Acme'],['CN','x']]). */
  cn: string | Array<[string, string]>;
  issuer?: Issued;
  key?: KeyPair;
  ca?: boolean;
  pathLen?: number;
  dns?: string[];
  ips?: string[];
  uris?: string[];
  notBefore?: Date;
  notAfter?: Date;
  hash?: 'sha256' | 'sha1' | 'sha384';
  aia?: string;
  ocsp?: string;
  /** Extended key usages, as names; false for none. Default: serverAuth for leaves. */
  eku?: Array<'serverAuth' | 'clientAuth'> | false;
  /** Adds a private extension of this many bytes (to make huge certificates). */
  padding?: number;
  /** Adds a private extension marked critical, which no verifier knows. */
  unknownCritical?: boolean;
  serial?: number;
}

const OID: Record<string, string> = {
  CN: '2.5.4.3',
  O: '2.5.4.10',
  OU: '2.5.4.11',
  C: '2.5.4.6',
  ST: '2.5.4.8',
  L: '2.5.4.7',
  serverAuth: '1.3.6.1.5.5.7.3.1',
  clientAuth: '1.3.6.1.5.5.7.3.2',
};

const DAY = 86_400_000;
let serialCounter = 1000;

function oid(o: string) {
  return asn1.create(U, T.OID, false, asn1.oidToDer(o).getBytes());
}
function seq(items: forge.asn1.Asn1[]) {
  return asn1.create(U, T.SEQUENCE, true, items);
}
function int(n: number) {
  return asn1.create(U, T.INTEGER, false, asn1.integerToDer(n).getBytes());
}
function octets(bytes: string) {
  return asn1.create(U, T.OCTETSTRING, false, bytes);
}
function der(node: forge.asn1.Asn1): string {
  return asn1.toDer(node).getBytes();
}
function time(d: Date) {
  return d.getUTCFullYear() < 2050 ? asn1.create(U, T.UTCTIME, false, asn1.dateToUtcTime(d)) : asn1.create(U, T.GENERALIZEDTIME, false, asn1.dateToGeneralizedTime(d));
}
function nameAsn1(name: Array<[string, string]>) {
  return seq(
    name.map(([k, v]) =>
      asn1.create(U, T.SET, true, [seq([oid(OID[k] ?? k), asn1.create(U, k === 'C' ? T.PRINTABLESTRING : T.UTF8, false, forge.util.encodeUtf8(v))])]),
    ),
  );
}
function ext(id: string, critical: boolean, value: forge.asn1.Asn1 | string) {
  const items = [oid(id)];
  if (critical) items.push(asn1.create(U, T.BOOLEAN, false, String.fromCharCode(0xff)));
  items.push(octets(typeof value === 'string' ? value : der(value)));
  return seq(items);
}
function bitString(byte: number) {
  let unused = 0;
  while (unused < 7 && ((byte >> unused) & 1) === 0) unused++;
  return asn1.create(U, T.BITSTRING, false, String.fromCharCode(unused) + String.fromCharCode(byte));
}
function ipBytes(ip: string): string {
  if (isIP(ip) === 4) return ip.split('.').map((p) => String.fromCharCode(Number(p))).join('');
  const full = new URL(`http://[${ip}]`).hostname.slice(1, -1);
  const parts = full.split('::');
  const head = parts[0] ? parts[0].split(':') : [];
  const tail = parts.length > 1 && parts[1] ? parts[1].split(':') : [];
  const groups = [...head, ...Array(8 - head.length - tail.length).fill('0'), ...tail];
  return groups.map((g) => { const n = parseInt(g, 16); return String.fromCharCode(n >> 8, n & 0xff); }).join('');
}

function keyId(k: KeyPair): string {
  const spki = k.publicKey.export({ type: 'spki', format: 'der' });
  return createHash('sha1').update(spki).digest().toString('binary');
}

function sigAlg(k: KeyPair, hash: string): forge.asn1.Asn1 {
  if (k.kind.startsWith('ec')) return seq([oid(hash === 'sha1' ? '1.2.840.10045.4.1' : hash === 'sha384' ? '1.2.840.10045.4.3.3' : '1.2.840.10045.4.3.2')]);
  const o = hash === 'sha1' ? '1.2.840.113549.1.1.5' : hash === 'sha384' ? '1.2.840.113549.1.1.12' : '1.2.840.113549.1.1.11';
  return seq([oid(o), asn1.create(U, T.NULL, false, '')]);
}

export function makeCert(spec: CertSpec): Issued {
  const k = spec.key ?? key('rsa', spec.ca ? `ca-${typeof spec.cn === 'string' ? spec.cn : 'x'}` : 'leaf');
  const name: Array<[string, string]> = typeof spec.cn === 'string' ? [['CN', spec.cn]] : spec.cn;
  const issuerName = spec.issuer?.name ?? name;
  const signer = spec.issuer?.key ?? k;
  const hash = spec.hash ?? 'sha256';
  const now = Date.now();
  const exts: forge.asn1.Asn1[] = [];
  exts.push(ext('2.5.29.19', true, seq(spec.ca ? [asn1.create(U, T.BOOLEAN, false, String.fromCharCode(0xff)), ...(spec.pathLen !== undefined ? [int(spec.pathLen)] : [])] : [])));
  exts.push(ext('2.5.29.15', true, bitString(spec.ca ? 0x86 : k.kind.startsWith('ec') ? 0x80 : 0xa0)));
  const eku = spec.eku ?? (spec.ca ? false : ['serverAuth']);
  if (eku) exts.push(ext('2.5.29.37', false, seq(eku.map((e) => oid(OID[e]!)))));
  exts.push(ext('2.5.29.14', false, octets(keyId(k))));
  exts.push(ext('2.5.29.35', false, seq([asn1.create(asn1.Class.CONTEXT_SPECIFIC, 0, false, keyId(signer))])));
  const alt = [
    ...(spec.dns ?? []).map((d) => asn1.create(asn1.Class.CONTEXT_SPECIFIC, 2, false, d)),
    ...(spec.ips ?? []).map((ip) => asn1.create(asn1.Class.CONTEXT_SPECIFIC, 7, false, ipBytes(ip))),
    ...(spec.uris ?? []).map((u) => asn1.create(asn1.Class.CONTEXT_SPECIFIC, 6, false, u)),
  ];
  if (alt.length) exts.push(ext('2.5.29.17', false, seq(alt)));
  if (spec.aia || spec.ocsp) {
    const descs = [];
    if (spec.ocsp) descs.push(seq([oid('1.3.6.1.5.5.7.48.1'), asn1.create(asn1.Class.CONTEXT_SPECIFIC, 6, false, spec.ocsp)]));
    if (spec.aia) descs.push(seq([oid('1.3.6.1.5.5.7.48.2'), asn1.create(asn1.Class.CONTEXT_SPECIFIC, 6, false, spec.aia)]));
    exts.push(ext('1.3.6.1.5.5.7.1.1', false, seq(descs)));
  }
  if (spec.padding) exts.push(ext('1.3.6.1.4.1.55555.1', false, octets('x'.repeat(spec.padding))));
  if (spec.unknownCritical) exts.push(ext('1.3.6.1.4.1.55555.2', true, octets('x')));
  const tbs = seq([
    asn1.create(asn1.Class.CONTEXT_SPECIFIC, 0, true, [int(2)]),
    int(spec.serial ?? serialCounter++),
    sigAlg(signer, hash),
    nameAsn1(issuerName),
    seq([time(spec.notBefore ?? new Date(now - DAY)), time(spec.notAfter ?? new Date(now + 90 * DAY))]),
    nameAsn1(name),
    asn1.fromDer(k.publicKey.export({ type: 'spki', format: 'der' }).toString('binary')),
    asn1.create(asn1.Class.CONTEXT_SPECIFIC, 3, true, [seq(exts)]),
  ]);
  const tbsDer = Buffer.from(der(tbs), 'binary');
  const signature = sign(hash === 'sha1' ? 'sha1' : hash, tbsDer, signer.privateKey);
  const cert = seq([tbs, sigAlg(signer, hash), asn1.create(U, T.BITSTRING, false, `\x00${signature.toString('binary')}`)]);
  const certDer = Buffer.from(der(cert), 'binary');
  const pem = `-----BEGIN CERTIFICATE-----\n${certDer.toString('base64').replace(/.{64}/g, '$&\n').replace(/\n?$/, '\n')}-----END CERTIFICATE-----\n`;
  return { name, key: k, der: certDer, pem, x509: new X509Certificate(certDer) };
}

export interface Pki {
  root: Issued;
  int: Issued;
  /** A leaf for these names, issued by the intermediate. */
  leaf(spec?: Partial<CertSpec>): Issued;
}

/** Root -> intermediate -> leaf, RSA or ECDSA. */
export function makePki(kind: 'rsa' | 'ec' = 'rsa', label = 'Test'): Pki {
  const root = makeCert({ cn: [['O', 'gwtls tests'], ['CN', `${label} Root CA`]], ca: true, key: key(kind, `${label}-root`), notAfter: new Date(Date.now() + 3650 * DAY) });
  const int = makeCert({ cn: [['O', 'gwtls tests'], ['CN', `${label} Intermediate CA`]], ca: true, pathLen: 0, issuer: root, key: key(kind, `${label}-int`), aia: `http://pki.example.test/${label.toLowerCase()}-root.crt` });
  return {
    root,
    int,
    leaf: (spec = {}) => makeCert({ cn: 'leaf.example.test', dns: ['localhost'], issuer: int, key: key(kind, `${label}-leaf`), aia: `http://pki.example.test/${label.toLowerCase()}-int.crt`, ocsp: 'http://ocsp.example.test', ...spec }),
  };
}

export const pem = (...certs: Issued[]) => certs.map((c) => c.pem).join('');
