// Chain analysis, hostname rules and known certificates on generated fixtures (no network).
import { describe, expect, it } from 'vitest';
import { decodeDer, type DecodedCert } from '../../../src/tls/certificate.ts';
import { analyzeChain } from '../../../src/probe/chain.ts';
import { matchHostname } from '../../../src/probe/hostname.ts';
import { recognize } from '../../../src/probe/known.ts';
import { storeFromPem, storeFromX509 } from '../../../src/probe/trust.ts';
import { key, makeCert, makePki, type Issued } from '../../helpers/tls-certs.ts';

const DAY = 86_400_000;
const pki = makePki('ec', 'Unit');
const trust = storeFromPem(pki.root.pem, 'ca-file root.pem');
const dec = (...c: Issued[]): DecodedCert[] => c.map((x, i) => ({ ...decodeDer(x.der, 'probe'), index: i }));
const kinds = (c: Issued[], store = trust) => analyzeChain(dec(...c), store).analysis.issues.map((i) => i.kind);

describe('analyzeChain', () => {
  it('a good chain has no issues and a path to the anchor', () => {
    const { analysis, path } = analyzeChain(dec(pki.leaf(), pki.int), trust);
    expect(analysis).toMatchObject({ length: 2, ordered: true, path: [0, 1], missingIntermediate: null, rootIncluded: false, selfSignedLeaf: false, issues: [] });
    expect(path.anchor?.subject).toContain('Unit Root CA');
  });

  it('missing intermediate, with the AIA URL of the leaf', () => {
    const { analysis } = analyzeChain(dec(pki.leaf()), trust);
    expect(analysis.missingIntermediate).toEqual({ issuer: 'O=gwtls tests, CN=Unit Intermediate CA', aiaIssuers: ['http://pki.example.test/unit-int.crt'], afterIndex: 0 });
  });

  it('wrong order, duplicate, unused and root included', () => {
    const stranger = makeCert({ cn: 'Stranger CA', ca: true, key: key('ec', 'stranger') });
    const { analysis } = analyzeChain(dec(pki.leaf(), pki.root, pki.int, pki.int, stranger), trust);
    expect(analysis.ordered).toBe(false);
    expect(analysis.path).toEqual([0, 2, 1]);
    expect(analysis.rootIncluded).toBe(true);
    const at = (kind: string) => analysis.issues.filter((i) => i.kind === kind).map((i) => i.index);
    expect(at('order')).toEqual([0, 2]);
    expect(at('duplicate')).toEqual([3]);
    expect(at('unused')).toEqual([4]);
    expect(at('root-included')).toEqual([1]);
  });

  it('a pinned leaf or intermediate (--ca-file holding it): the issuers served beyond it are still the chain, not extras', () => {
    const leaf = pki.leaf();
    const pinnedLeaf = analyzeChain(dec(leaf, pki.int), storeFromPem(leaf.pem, 'ca-file leaf.pem')).analysis;
    expect(pinnedLeaf.path).toEqual([0]);
    expect(pinnedLeaf.issues.map((i) => i.kind)).toEqual([]);
    const stranger = makeCert({ cn: 'Stranger CA', ca: true, key: key('ec', 'stranger') });
    const pinnedInt = analyzeChain(dec(leaf, pki.int, pki.root, stranger), storeFromPem(pki.int.pem, 'ca-file int.pem')).analysis;
    expect(pinnedInt.issues.filter((i) => i.kind === 'unused').map((i) => i.index)).toEqual([3]);
  });

  it('validity and weak crypto, per certificate', () => {
    const expired = pki.leaf({ notBefore: new Date(Date.now() - 100 * DAY), notAfter: new Date(Date.now() - DAY) });
    expect(kinds([expired, pki.int])).toEqual(['expired']);
    const future = pki.leaf({ notBefore: new Date(Date.now() + DAY) });
    expect(kinds([future, pki.int])).toEqual(['not-yet-valid']);
    const weak = makeCert({ cn: 'w', key: key('rsa1024', 'w'), issuer: pki.int, hash: 'sha1' });
    expect(kinds([weak, pki.int])).toEqual(['weak-key', 'weak-signature']);
  });

  it('self-signed root signatures are not "weak" (nobody checks them)', () => {
    const root = makeCert({ cn: 'Old Root', ca: true, key: key('rsa', 'old'), hash: 'sha1' });
    const leaf = makeCert({ cn: 'l', dns: ['l'], issuer: root, key: key('rsa', 'l') });
    expect(kinds([leaf, root], storeFromX509('x', [root.x509]))).toEqual(['root-included']);
  });

  it('usage problems: CA leaf, missing serverAuth, an end-entity used as issuer', () => {
    const caLeaf = makeCert({ cn: 'caleaf', ca: true, issuer: pki.int, key: key('ec', 'caleaf') });
    expect(kinds([caLeaf, pki.int])).toContain('leaf-is-ca');
    const client = pki.leaf({ eku: ['clientAuth'] });
    expect(kinds([client, pki.int])).toContain('no-server-auth');
    const notCa = makeCert({ cn: 'notca', issuer: pki.int, key: key('ec', 'notca'), eku: false });
    const under = makeCert({ cn: 'under', dns: ['x'], issuer: notCa, key: key('ec', 'under') });
    // OpenSSL does not accept a certificate without keyCertSign as an issuer: the chain has a gap there.
    expect(kinds([under, notCa, pki.int])).toEqual(expect.arrayContaining(['missing-intermediate', 'unused']));
  });

  it('an intermediate only the trust store holds is still a missing intermediate', () => {
    const both = storeFromPem(pki.root.pem + pki.int.pem, 'both');
    const { analysis, path } = analyzeChain(dec(pki.leaf()), both);
    expect(path.storeIntermediate?.subject).toContain('Unit Intermediate CA');
    expect(analysis.issues[0]!.message).toMatch(/verified only because the trust store/);
  });
});

describe('matchHostname (RFC 6125)', () => {
  const wild = pki.leaf({ dns: ['*.apps.example.com', 'example.com'], ips: ['10.0.0.1'] });
  const d = decodeDer(wild.der, 'probe');
  it.each([
    ['a.apps.example.com', true],
    ['A.APPS.example.com', true],
    ['a.b.apps.example.com', false],
    ['apps.example.com', false],
    ['example.com', true],
    ['10.0.0.1', true],
    ['10.0.0.2', false],
  ])('%s -> %s', (name, ok) => {
    expect(matchHostname(d.x509, d.cert, name).matches).toBe(ok);
  });

  it('explains wildcard depth and bare domains', () => {
    expect(matchHostname(d.x509, d.cert, 'a.b.apps.example.com').detail).toContain('a wildcard covers exactly one label');
    expect(matchHostname(d.x509, d.cert, 'apps.example.com').detail).toContain('does not cover the bare domain');
  });

  it('ignores the subject CN (CN-only certificates fail, with the reason)', () => {
    const cnOnly = makeCert({ cn: 'legacy.example.com', issuer: pki.int, key: key('ec', 'cn') });
    const c = decodeDer(cnOnly.der, 'probe');
    const m = matchHostname(c.x509, c.cert, 'legacy.example.com');
    expect(m.matches).toBe(false);
    expect(m.detail).toContain('modern clients (Go, Chrome, Node, curl) ignore');
  });

  it('partial wildcards are not honoured', () => {
    const partial = pki.leaf({ dns: ['f*.example.com'] });
    const c = decodeDer(partial.der, 'probe');
    expect(matchHostname(c.x509, c.cert, 'foo.example.com').matches).toBe(false);
  });
});

describe('recognize', () => {
  const cert = (cn: Array<[string, string]> | string, more: Parameters<typeof makeCert>[0] extends infer S ? Partial<S> : never = {}) => decodeDer(makeCert({ cn, key: key('ec', 'known'), ...more }).der, 'probe').cert;
  it.each([
    [cert([['O', 'Acme Co'], ['CN', 'Kubernetes Ingress Controller Fake Certificate']]), 'ingress-nginx-fake'],
    [cert('TRAEFIK DEFAULT CERT', { dns: ['abc.traefik.default'] }), 'traefik-default'],
    [cert([['C', 'US'], ['O', 'Kong'], ['OU', 'IT Department'], ['CN', 'localhost']]), 'kong-default'],
  ])('%#: %s', (c, id) => {
    expect(recognize(c).map((k) => k.id)).toEqual([id]);
  });

  it('ACM, staging, mesh identities by issuer / SAN', () => {
    const amazon = makeCert({ cn: [['C', 'US'], ['O', 'Amazon'], ['CN', 'Amazon RSA 2048 M03']], ca: true, key: key('ec', 'amz') });
    expect(recognize(decodeDer(makeCert({ cn: 'x', dns: ['x'], issuer: amazon, key: key('ec', 'k') }).der, 'p').cert)[0]).toMatchObject({ id: 'aws-acm', kind: 'managed' });
    const staging = makeCert({ cn: [['O', '(STAGING) Let\'s Encrypt'], ['CN', '(STAGING) False Fennel E6']], ca: true, key: key('ec', 'stg') });
    expect(recognize(decodeDer(makeCert({ cn: 'y', dns: ['y'], issuer: staging, key: key('ec', 'k') }).der, 'p').cert)[0]?.id).toBe('letsencrypt-staging');
    const istio = cert('', { uris: ['spiffe://cluster.local/ns/shop/sa/web'] });
    expect(recognize(istio)[0]?.kind).toBe('mesh');
    expect(recognize(cert('plain.example.com', { dns: ['plain.example.com'] }))).toEqual([]);
  });
});
