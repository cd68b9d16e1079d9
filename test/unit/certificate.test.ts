import { X509Certificate } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { decodePemChain, privateKeyMatches } from '../../src/tls/certificate.ts';
import { issue } from '../helpers/certs.ts';

const NOW = new Date('2026-06-01T00:00:00Z');
const from = new Date('2026-01-01T00:00:00Z');
const to = new Date('2027-01-01T00:00:00Z');

describe('certificate decoding', () => {
  const ca = issue({ cn: 'Test Root CA', ca: true, notBefore: from, notAfter: to });
  const intermediate = issue({ cn: 'Test Intermediate', ca: true, issuer: ca, notBefore: from, notAfter: to });
  const leaf = issue({ cn: 'shop.example.com', dns: ['shop.example.com', '*.shop.example.com'], ips: ['10.0.0.1', '2001:db8::1'], issuer: intermediate, notBefore: from, notAfter: to });

  it('decodes subject, issuer, SANs (DNS and IP), validity, key and fingerprint', () => {
    const { certs, errors } = decodePemChain(leaf.certPem, 'secret a/b', NOW);
    expect(errors).toEqual([]);
    const c = certs[0]!.cert;
    expect(c.subject).toBe('CN=shop.example.com');
    expect(c.issuer).toBe('CN=Test Intermediate');
    expect(c.sans.dns).toEqual(['shop.example.com', '*.shop.example.com']);
    expect(c.sans.ip).toEqual(['10.0.0.1', '2001:db8::1']);
    expect(c.notBefore).toBe('2026-01-01T00:00:00.000Z');
    expect(c.notAfter).toBe('2027-01-01T00:00:00.000Z');
    expect(c.keyType).toBe('RSA');
    expect(c.keyBits).toBe(2048);
    expect(c.signatureAlgorithm).toBe('sha256WithRSAEncryption');
    expect(c.isCA).toBe(false);
    expect(c.selfSigned).toBe(false);
    expect(c.extendedKeyUsage).toEqual(['serverAuth']);
    expect(c.keyUsage).toEqual(['digitalSignature', 'keyEncipherment']);
    expect(c.fingerprintSha256).toBe(new X509Certificate(leaf.certPem).fingerprint256);
    expect(c.daysLeft).toBe(214);
    expect(c.source).toBe('secret a/b');
  });

  it('decodes ECDSA keys', () => {
    const ec = issue({ cn: 'ec.example.com', dns: ['ec.example.com'], keyType: 'ec' });
    const c = decodePemChain(ec.certPem, 'test').certs[0]!.cert;
    expect(c.keyType).toBe('ECDSA');
    expect(c.keyBits).toBe(256);
    expect(c.keyCurve).toBe('prime256v1');
    expect(c.selfSigned).toBe(true);
    expect(privateKeyMatches(decodePemChain(ec.certPem, 'test').certs[0]!.x509, ec.keyPem).matches).toBe(true);
  });

  it('links a chain in order and notices a chain out of order', () => {
    const ordered = decodePemChain(leaf.certPem + intermediate.certPem + ca.certPem, 't', NOW).certs.map((c) => c.cert.issuedByNext);
    expect(ordered).toEqual([true, true, null]);
    const shuffled = decodePemChain(intermediate.certPem + leaf.certPem, 't', NOW).certs.map((c) => c.cert.issuedByNext);
    expect(shuffled).toEqual([false, null]);
    expect(decodePemChain(ca.certPem, 't', NOW).certs[0]!.cert).toMatchObject({ selfSigned: true, isCA: true });
  });

  it('reports expired certificates with negative days left', () => {
    const old = issue({ cn: 'old.example.com', dns: ['old.example.com'], notBefore: new Date('2025-01-01T00:00:00Z'), notAfter: new Date('2026-01-01T00:00:00Z') });
    expect(decodePemChain(old.certPem, 't', NOW).certs[0]!.cert.daysLeft).toBeLessThan(0);
  });

  it('tells whether the private key matches, and never returns key material', () => {
    const x509 = decodePemChain(leaf.certPem, 't').certs[0]!.x509;
    expect(privateKeyMatches(x509, leaf.keyPem)).toEqual({ matches: true });
    expect(privateKeyMatches(x509, intermediate.keyPem)).toEqual({ matches: false });
    const garbage = privateKeyMatches(x509, '-----BEGIN PRIVATE KEY-----\nnot a key\n-----END PRIVATE KEY-----\n');
    expect(garbage.matches).toBeNull();
    expect(garbage.error).toBe('the private key is not a parseable PEM key');
    expect(JSON.stringify(garbage)).not.toContain('not a key');
  });

  it('explains garbage instead of throwing', () => {
    expect(decodePemChain('hello world', 't').errors).toEqual(['no PEM block found (expected -----BEGIN CERTIFICATE-----)']);
    expect(decodePemChain('', 't').errors).toEqual(['empty']);
    expect(decodePemChain('-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n', 't').errors[0]).toMatch(/PEM block 1 is not a parseable X.509 certificate/);
    expect(decodePemChain(leaf.keyPem, 't').errors).toEqual(['PEM block 1 is a PRIVATE KEY, not a CERTIFICATE']);
  });

  it('reads AIA and OCSP URLs', () => {
    const withAia = issue({ cn: 'aia.example.com', dns: ['aia.example.com'], keyType: 'ec', aia: { issuers: ['http://ca.example.com/int.crt'], ocsp: ['http://ocsp.example.com'] } });
    const c = decodePemChain(withAia.certPem, 't').certs[0]!.cert;
    expect(c.aiaIssuers).toEqual(['http://ca.example.com/int.crt']);
    expect(c.ocsp).toEqual(['http://ocsp.example.com']);
    expect(decodePemChain(leaf.certPem, 't').certs[0]!.cert.aiaIssuers).toBeUndefined();
  });
});
