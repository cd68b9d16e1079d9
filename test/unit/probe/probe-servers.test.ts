// probe() against real node:tls servers on loopback: what a certificate-side problem looks like.
import { X509Certificate } from 'node:crypto';
import tls from 'node:tls';
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { probe } from '../../../src/probe/index.ts';
import { renderProbeText } from '../../../src/probe/render.ts';
import { handshake, secureContextFor } from '../../../src/probe/handshake.ts';
import { parseServerFlight } from '../../../src/probe/records.ts';
import { key, makeCert, makePki, pem, type Issued } from '../../helpers/tls-certs.ts';
import { startTlsServer, type Running } from '../../helpers/tls-servers.ts';

const DAY = 86_400_000;
const rsa = makePki('rsa', 'Rsa');
const ec = makePki('ec', 'Ec');
const servers: Running[] = [];
const serve = async (leaf: Issued, chain: Issued[], extra: tls.TlsOptions = {}) => {
  const s = await startTlsServer({ key: leaf.key.keyPem, cert: pem(leaf, ...chain), ...extra });
  servers.push(s);
  return s;
};
afterAll(async () => {
  await Promise.all(servers.map((s) => s.close()));
});
const codes = (r: { findings: Array<{ code: string; severity: string }> }) => r.findings.map((f) => `${f.code}:${f.severity}`);

describe('probe: chains', () => {
  it('valid RSA chain verified with --ca-file: ok, chain as served, decoded', async () => {
    const leaf = rsa.leaf({ dns: ['localhost', 'www.example.test'] });
    const s = await serve(leaf, [rsa.int]);
    const r = await probe(`localhost:${s.port}`, { ca: rsa.root.pem, caLabel: 'root.pem' });
    expect(r.ok).toBe(true);
    expect(r.connection.phase).toBe('done');
    expect(r.connection.protocol).toBe('TLSv1.3');
    expect(r.connection.tcpMs).toBeGreaterThanOrEqual(0);
    expect(r.connection.tlsMs).toBeGreaterThan(0);
    expect(r.dns?.addresses).toContain('127.0.0.1');
    expect(r.target).toMatchObject({ host: 'localhost', port: s.port, sni: 'localhost', address: expect.stringMatching(/127\.0\.0\.1|::1/) });
    expect(r.chain.map((c) => c.fingerprintSha256)).toEqual([leaf.x509.fingerprint256, rsa.int.x509.fingerprint256]);
    expect(r.chain[0]).toMatchObject({ keyType: 'RSA', keyBits: 2048, signatureAlgorithm: 'sha256WithRSAEncryption', isCA: false, source: 'probe', extendedKeyUsage: ['serverAuth'], ocsp: ['http://ocsp.example.test'] });
    expect(r.chain[0]!.sans.dns).toEqual(['localhost', 'www.example.test']);
    expect(r.chain[1]).toMatchObject({ isCA: true, pathLength: 0 });
    expect(r.verification).toMatchObject({ trusted: true, hostnameMatches: true, error: null, name: 'localhost', trustStore: 'ca-file root.pem', anchor: 'O=gwtls tests, CN=Rsa Root CA' });
    expect(r.findings).toEqual([]);
  });

  it('ECDSA chain', async () => {
    const leaf = ec.leaf();
    const s = await serve(leaf, [ec.int]);
    const r = await probe(`localhost:${s.port}`, { ca: ec.root.pem });
    expect(r.ok).toBe(true);
    expect(r.chain[0]).toMatchObject({ keyType: 'ECDSA', keyBits: 256, keyCurve: 'prime256v1', signatureAlgorithm: 'ecdsa-with-SHA256' });
    expect(r.connection.cipherStandardName).toMatch(/^TLS_/);
  });

  it('missing intermediate: PRB-007 names the AIA URL', async () => {
    const s = await serve(rsa.leaf(), []);
    const r = await probe(`localhost:${s.port}`, { ca: rsa.root.pem });
    expect(r.ok).toBe(false);
    expect(r.verification.trusted).toBe(false);
    expect(r.verification.errorCode).toBe('UNABLE_TO_VERIFY_LEAF_SIGNATURE');
    expect(r.chainAnalysis?.missingIntermediate).toMatchObject({ afterIndex: 0, aiaIssuers: ['http://pki.example.test/rsa-int.crt'] });
    const f = r.findings.find((x) => x.code === 'GWTLS-PRB-007')!;
    expect(f.severity).toBe('error');
    expect(f.message).toContain('http://pki.example.test/rsa-int.crt');
    expect(f.object).toEqual({ apiVersion: 'gwtls.dev/v1alpha1', kind: 'Endpoint', name: `localhost:${s.port}` });
    expect(f.docs).toBe('docs/rules/GWTLS-PRB-007.md');
    expect(codes(r)).not.toContain('GWTLS-PRB-008:error');
  });

  it('wrong order and root included: reported as served, still trusted', async () => {
    const leaf = rsa.leaf();
    const s = await serve(leaf, [rsa.root, rsa.int]);
    const r = await probe(`localhost:${s.port}`, { ca: rsa.root.pem });
    expect(r.chain.map((c) => c.commonName)).toEqual(['leaf.example.test', 'Rsa Root CA', 'Rsa Intermediate CA']);
    expect(r.chain[0]!.issuedByNext).toBe(false);
    expect(r.chainAnalysis?.ordered).toBe(false);
    expect(r.chainAnalysis?.path).toEqual([0, 2, 1]);
    expect(r.verification.trusted).toBe(true);
    expect(r.ok).toBe(true);
    expect(codes(r)).toContain('GWTLS-PRB-007:warning');
    expect(r.findings.find((f) => f.severity === 'warning')!.message).toMatch(/out of order/);
  });

  it('root included in order: info only', async () => {
    const s = await serve(rsa.leaf(), [rsa.int, rsa.root]);
    const r = await probe(`localhost:${s.port}`, { ca: rsa.root.pem });
    expect(r.ok).toBe(true);
    expect(r.chainAnalysis?.rootIncluded).toBe(true);
    expect(codes(r)).toEqual(['GWTLS-PRB-007:info']);
  });

  it('expired leaf: PRB-006', async () => {
    const s = await serve(rsa.leaf({ notBefore: new Date(Date.now() - 400 * DAY), notAfter: new Date(Date.now() - 10 * DAY) }), [rsa.int]);
    const r = await probe(`localhost:${s.port}`, { ca: rsa.root.pem });
    expect(r.ok).toBe(false);
    expect(r.verification).toMatchObject({ trusted: false, errorCode: 'CERT_HAS_EXPIRED', error: 'a certificate in the chain has expired' });
    expect(r.chain[0]!.daysLeft).toBeLessThan(0);
    const f = r.findings.find((x) => x.code === 'GWTLS-PRB-006')!;
    expect(f.message).toMatch(/expired on \d{4}-\d\d-\d\d \(1[01] days ago\)/);
  });

  it('not yet valid leaf: PRB-006', async () => {
    const s = await serve(rsa.leaf({ notBefore: new Date(Date.now() + 2 * DAY), notAfter: new Date(Date.now() + 90 * DAY) }), [rsa.int]);
    const r = await probe(`localhost:${s.port}`, { ca: rsa.root.pem });
    expect(r.verification.errorCode).toBe('CERT_NOT_YET_VALID');
    expect(r.findings.find((x) => x.code === 'GWTLS-PRB-006')!.message).toMatch(/not valid before/);
  });

  it('wrong SAN: PRB-005 lists the names', async () => {
    const s = await serve(rsa.leaf({ dns: ['other.example.test'] }), [rsa.int]);
    const r = await probe(`localhost:${s.port}`, { ca: rsa.root.pem, sni: 'shop.example.test', connectTo: '127.0.0.1' });
    expect(r.target).toMatchObject({ host: 'localhost', sni: 'shop.example.test', address: '127.0.0.1', connectTo: '127.0.0.1' });
    expect(r.verification).toMatchObject({ trusted: true, hostnameMatches: false, name: 'shop.example.test' });
    const f = r.findings.find((x) => x.code === 'GWTLS-PRB-005')!;
    expect(f.severity).toBe('error');
    expect(f.message).toContain('shop.example.test is not among the certificate\'s names (other.example.test)');
  });

  it('wildcard covers one label, not two', async () => {
    const s = await serve(rsa.leaf({ dns: ['*.apps.example.test'] }), [rsa.int]);
    const one = await probe(`a.apps.example.test:${s.port}`, { ca: rsa.root.pem, connectTo: '127.0.0.1' });
    expect(one.ok).toBe(true);
    const two = await probe(`a.b.apps.example.test:${s.port}`, { ca: rsa.root.pem, connectTo: '127.0.0.1' });
    expect(two.verification.hostnameMatches).toBe(false);
    expect(two.findings[0]!.message).toContain('a wildcard covers exactly one label');
    const bare = await probe(`apps.example.test:${s.port}`, { ca: rsa.root.pem, connectTo: '127.0.0.1' });
    expect(bare.verification.hostnameMatches).toBe(false);
  });

  it('self-signed leaf: PRB-008 (and trusted once given as --ca-file)', async () => {
    const self = makeCert({ cn: 'self.example.test', dns: ['localhost'], key: key('ec', 'self') });
    const s = await serve(self, []);
    const r = await probe(`localhost:${s.port}`, {});
    expect(r.chainAnalysis?.selfSignedLeaf).toBe(true);
    expect(r.verification).toMatchObject({ trusted: false, errorCode: 'DEPTH_ZERO_SELF_SIGNED_CERT', trustStore: 'system' });
    expect(r.findings.map((f) => f.code)).toEqual(['GWTLS-PRB-008']);
    expect(r.findings[0]!.message).toMatch(/self-signed/);
    const r2 = await probe(`localhost:${s.port}`, { ca: self.pem });
    expect(r2.ok).toBe(true);
  });

  it('private CA without --ca-file: PRB-008 suggests --ca-file', async () => {
    const s = await serve(rsa.leaf(), [rsa.int, rsa.root]);
    const r = await probe(`localhost:${s.port}`, {});
    expect(r.verification.errorCode).toBe('SELF_SIGNED_CERT_IN_CHAIN');
    const f = r.findings.find((x) => x.code === 'GWTLS-PRB-008')!;
    expect(f.message).toMatch(/--ca-file/);
  });

  it('IP SAN: no SNI, verified against the IP', async () => {
    const s = await serve(ec.leaf({ dns: [], ips: ['127.0.0.1'] }), [ec.int]);
    const r = await probe(s.addr, { ca: ec.root.pem });
    expect(r.target.sni).toBeNull();
    expect(r.verification).toMatchObject({ hostnameMatches: true, name: '127.0.0.1' });
    expect(r.ok).toBe(true);
  });

  it('IPv6 literal target [::1]:PORT', async () => {
    const leaf = ec.leaf({ dns: [], ips: ['::1'] });
    let s: Running;
    try {
      s = await startTlsServer({ key: leaf.key.keyPem, cert: pem(leaf, ec.int) }, undefined, '::1');
    } catch {
      return; // no IPv6 loopback on this machine
    }
    servers.push(s);
    const port = s.port;
    const r = await probe(`[::1]:${port}`, { ca: ec.root.pem });
    expect(r.target).toMatchObject({ host: '::1', port, sni: null, address: '::1' });
    expect(r.verification).toMatchObject({ hostnameMatches: true, name: '::1' });
  });

  it('a leaf for client authentication only: one finding that says so, not also "pass the CA with --ca-file"', async () => {
    const client = makeCert({ cn: 'client.example.test', dns: ['localhost'], issuer: rsa.int, eku: ['clientAuth'] });
    const s = await serve(client, [rsa.int]);
    const r = await probe(`localhost:${s.port}`, { ca: rsa.root.pem });
    expect(r.ok).toBe(false);
    const trust = r.findings.filter((x) => x.code === 'GWTLS-PRB-008');
    expect(trust.map((f) => f.message)).toEqual([expect.stringMatching(/^The chain is not usable for a TLS server: the leaf's extended key usage \(clientAuth\) does not include serverAuth/)]);
  });

  it('weak key and SHA-1 signature: Node accepts the chain, common clients do not, so the probe fails', async () => {
    const weak = makeCert({ cn: 'weak.example.test', dns: ['localhost'], key: key('rsa1024', 'weak'), issuer: rsa.int, hash: 'sha1' });
    const s = await serve(weak, [rsa.int], { ciphers: 'DEFAULT:@SECLEVEL=0' });
    const r = await probe(`localhost:${s.port}`, { ca: rsa.root.pem });
    expect(r.chainAnalysis?.issues.map((i) => i.kind)).toEqual(expect.arrayContaining(['weak-key', 'weak-signature']));
    expect(r.verification.trusted).toBe(true);
    expect(r.ok).toBe(false);
    const f = r.findings.find((x) => x.code === 'GWTLS-PRB-008')!;
    expect(f.severity).toBe('error');
    expect(f.message).toMatch(/^Weak cryptography in the served chain, which this probe's TLS \(Node: OpenSSL at security level 1\) accepted and common clients reject: /);
    expect(f.message).toMatch(/1024-bit RSA key/);
    expect(f.message).toMatch(/sha1WithRSAEncryption/);
  });
});

describe('probe: SNI-selected certificates', () => {
  let s: Running;
  const right = rsa.leaf({ cn: 'right.example.test', dns: ['right.example.test'] });
  const fallback = makeCert({ cn: 'TRAEFIK DEFAULT CERT', dns: ['0c3f5a.traefik.default'], key: key('rsa', 'traefik') });
  beforeAll(async () => {
    const rightCtx = tls.createSecureContext({ key: right.key.keyPem, cert: pem(right, rsa.int) });
    s = await serve(fallback, [], { SNICallback: (name, cb) => cb(null, name === 'right.example.test' ? rightCtx : undefined) });
  });
  it('right name: the configured certificate', async () => {
    const r = await probe(`right.example.test:${s.port}`, { ca: rsa.root.pem, connectTo: '127.0.0.1' });
    expect(r.ok).toBe(true);
    expect(r.chain[0]!.commonName).toBe('right.example.test');
  });
  it('wrong name: the default certificate, recognised', async () => {
    const r = await probe(`wrong.example.test:${s.port}`, { ca: rsa.root.pem, connectTo: '127.0.0.1' });
    expect(r.ok).toBe(false);
    expect(r.verification.recognized?.[0]).toMatchObject({ id: 'traefik-default', kind: 'default' });
    const f = r.findings.find((x) => x.code === 'GWTLS-PRB-005')!;
    expect(f.message).toContain('Traefik default certificate');
    expect(f.message).toMatch(/no configured certificate matches the SNI name/);
  });
  it('no SNI: PRB-010', async () => {
    const r = await probe(s.addr, { ca: rsa.root.pem });
    expect(r.target.sni).toBeNull();
    expect(r.chain[0]!.commonName).toBe('TRAEFIK DEFAULT CERT');
    expect(r.findings.map((f) => f.code)).toContain('GWTLS-PRB-010');
  });
});

describe('probe: handshake-level problems', () => {
  it('a 100-certificate chain is read in full and explained', async () => {
    const k = key('ec', 'long');
    const root = makeCert({ cn: 'Long Root', ca: true, key: k });
    const chain: Issued[] = [];
    let parent = root;
    for (let i = 1; i < 100; i++) {
      parent = makeCert({ cn: `Long Intermediate ${i}`, ca: true, issuer: parent, key: k });
      chain.unshift(parent);
    }
    const leaf = makeCert({ cn: 'long.example.test', dns: ['localhost'], issuer: parent, key: key('ec', 'long-leaf') });
    const s = await serve(leaf, chain);
    const t0 = performance.now();
    const r = await probe(`localhost:${s.port}`, { ca: root.pem, timeoutMs: 5000 });
    expect(performance.now() - t0).toBeLessThan(5000);
    expect(r.connection.phase).toBe('done');
    expect(r.chain).toHaveLength(100);
    expect(r.chainAnalysis?.ordered).toBe(true);
    expect(r.chainAnalysis?.path).toHaveLength(100);
    expect(r.chain[99]!.commonName).toBe('Long Intermediate 1');
    expect(r.verification.trusted).toBe(true);
    expect(r.ok).toBe(true);
  });

  it('a 1 MB certificate: the client refuses, and says why', async () => {
    const big = makeCert({ cn: 'big.example.test', dns: ['localhost'], issuer: rsa.int, padding: 1024 * 1024 });
    const s = await serve(big, [rsa.int]);
    const r = await probe(`localhost:${s.port}`, { ca: rsa.root.pem, timeoutMs: 5000 });
    expect(r.ok).toBe(false);
    expect(r.connection.error?.code).toBe('HANDSHAKE_TOO_LARGE');
    expect(r.connection.error?.summary).toMatch(/larger than TLS clients accept/);
    expect(r.findings[0]!.code).toBe('GWTLS-PRB-002');
  });

  it('a leaf with an unknown critical extension: the cause is named, not "not in the trust store"', async () => {
    // Node reports OpenSSL's X509_V_ERR_UNHANDLED_CRITICAL_EXTENSION as UNSPECIFIED.
    const s = await serve(rsa.leaf({ unknownCritical: true }), [rsa.int]);
    const r = await probe(`localhost:${s.port}`, { ca: rsa.root.pem });
    expect(r.verification).toMatchObject({ trusted: false, errorCode: 'UNSPECIFIED', error: expect.stringMatching(/^certificate 0 .* marks extension 1\.3\.6\.1\.4\.1\.55555\.2 critical/) });
    expect(r.chainAnalysis!.issues).toContainEqual(expect.objectContaining({ kind: 'unhandled-critical-extension', index: 0 }));
    const trust = r.findings.filter((f) => f.code === 'GWTLS-PRB-008');
    expect(trust).toHaveLength(1);
    expect(trust[0]!.message).toMatch(/must reject the certificate \(RFC 5280 §4\.2\)/);
    expect(trust[0]!.message).not.toMatch(/trust store|--ca-file/);
  });

  it('TLS 1.0-only server: measured, then PRB-011', async () => {
    const s = await serve(rsa.leaf(), [rsa.int], { minVersion: 'TLSv1', maxVersion: 'TLSv1', ciphers: 'DEFAULT@SECLEVEL=0' });
    const r = await probe(`localhost:${s.port}`, { ca: rsa.root.pem });
    expect(r.connection.protocol).toBe('TLSv1');
    const f = r.findings.find((x) => x.code === 'GWTLS-PRB-011')!;
    expect(f.message).toMatch(/negotiated TLSv1 .*require TLS 1.2/);
  });

  it('TLS 1.3 server requiring a client certificate', async () => {
    const s = await serve(rsa.leaf(), [rsa.int], { requestCert: true, rejectUnauthorized: true, ca: rsa.root.pem });
    const r = await probe(`localhost:${s.port}`, { ca: rsa.root.pem });
    expect(r.ok).toBe(false);
    expect(r.connection.error?.code).toBe('CLIENT_CERTIFICATE_REQUIRED');
    expect(r.connection.error?.alert?.name).toBe('certificate_required');
    expect(r.connection.clientCertificateRequested).toBe(true);
    expect(r.chain).toHaveLength(2); // TLS 1.3: the server certificate is seen before the server's verdict
    expect(r.findings[0]!.message).toMatch(/wants a client certificate/);
  });

  it('TLS 1.2 server requiring a client certificate', async () => {
    const leaf = rsa.leaf();
    const s = await serve(leaf, [rsa.int], { requestCert: true, rejectUnauthorized: true, ca: rsa.root.pem, maxVersion: 'TLSv1.2' });
    const r = await probe(`localhost:${s.port}`, { ca: rsa.root.pem });
    expect(r.connection.error?.code).toBe('CLIENT_CERTIFICATE_REQUIRED');
    expect(r.connection.clientCertificateRequested).toBe(true);
    // The handshake stops before the client verifies, but the server's Certificate message went in the clear:
    // the chain is shown as sent, with no verdict on its trust, and its name is still checked.
    expect(r.ok).toBe(false);
    expect(r.chain.map((c) => c.fingerprintSha256)).toEqual([leaf.x509.fingerprint256, rsa.int.x509.fingerprint256]);
    expect(r.verification).toMatchObject({ trusted: null, errorCode: null, hostnameMatches: true, error: expect.stringMatching(/^not verified: the handshake stopped/) });
    expect(r.findings.map((f) => f.code)).not.toContain('GWTLS-PRB-008');
    expect(renderProbeText([r])).toMatch(/FAILED: TLS handshake did not complete[\s\S]*trust +not verified[\s\S]*chain as served: 2 certificates/);
  });

  it('TLS 1.2 servers that refuse the absent client certificate with bad_certificate (Java) or certificate_required: the chain is still shown', async () => {
    const leaf = rsa.leaf();
    const s = await serve(leaf, [rsa.int], { requestCert: true, rejectUnauthorized: true, ca: rsa.root.pem, maxVersion: 'TLSv1.2' });
    for (const alert of [42, 116]) {
      // OpenSSL's server says handshake_failure (40); a proxy on loopback rewrites the plaintext alert record.
      const proxy = net.createServer((c) => {
        const up = net.connect(s.port, '127.0.0.1');
        c.pipe(up);
        up.on('data', (d: Buffer) => {
          for (let i = 0; i + 7 <= d.length; i++) if (d[i] === 0x15 && d[i + 1] === 3 && d[i + 3] === 0 && d[i + 4] === 2 && d[i + 5] === 2 && d[i + 6] === 40) d[i + 6] = alert;
          c.write(d);
        });
        up.on('end', () => c.end());
        up.on('error', () => c.destroy());
        c.on('error', () => up.destroy());
      });
      await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
      try {
        const r = await probe(`localhost:${(proxy.address() as net.AddressInfo).port}`, { ca: rsa.root.pem });
        expect(r.connection.error?.alert?.description).toBe(alert);
        expect(r.chain.map((c) => c.fingerprintSha256)).toEqual([leaf.x509.fingerprint256, rsa.int.x509.fingerprint256]);
        expect(r.verification.trusted).toBeNull();
      } finally {
        await new Promise((resolve) => proxy.close(resolve));
      }
    }
  });

  it('ALPN mismatch: PRB-011', async () => {
    const s = await serve(rsa.leaf(), [rsa.int], { ALPNProtocols: ['h2'] });
    const ok = await probe(`localhost:${s.port}`, { ca: rsa.root.pem, alpn: ['h2', 'http/1.1'] });
    expect(ok.connection.alpn).toBe('h2');
    const r = await probe(`localhost:${s.port}`, { ca: rsa.root.pem, alpn: ['postgresql'] });
    expect(r.connection.error?.code).toBe('ALERT_NO_APPLICATION_PROTOCOL');
    expect(r.findings[0]!.code).toBe('GWTLS-PRB-011');
  });

  it('a Duplex can be injected instead of a TCP socket (port-forward design)', async () => {
    const s = await serve(rsa.leaf(), [rsa.int]);
    const r = await probe({ kind: 'service', input: 'svc/web:443', name: 'web', port: 443 }, {
      ca: rsa.root.pem,
      sni: 'localhost',
      connector: async () => {
        const socket = net.connect(s.port, '127.0.0.1');
        await new Promise((res) => socket.once('connect', res));
        return { stream: socket, address: 'svc/default/web:443', port: 443, connectMs: 1 };
      },
    });
    expect(r.ok).toBe(true);
    expect(r.target.address).toBe('svc/default/web:443');
  });

  it('svc/ targets without an injected connector: a clear "not supported yet"', async () => {
    const r = await probe('svc/web:443', { timeoutMs: 1000 });
    expect(r.connection.error?.code).toBe('EUNSUPPORTED');
  });
});

describe('open question (domain §7): getPeerCertificate(true) vs the presented chain', () => {
  it('Node rebuilds getPeerCertificate(true); getPeerX509Certificate().issuerCertificate is the wire order', async () => {
    const leaf = rsa.leaf();
    // Served: leaf, root, int, int (out of order, with a duplicate).
    const s = await serve(leaf, [rsa.root, rsa.int, rsa.int], { maxVersion: 'TLSv1.2' });
    const socket = net.connect(s.port, '127.0.0.1');
    await new Promise((res) => socket.once('connect', res));
    const hs = await handshake(socket, { servername: 'localhost', secureContext: secureContextFor(rsa.root.pem), signal: new AbortController().signal, settleMs: 0, tap: true });
    const wire = parseServerFlight(hs.received).certificates!;
    const names = (ders: Buffer[]) => ders.map((d) => new X509Certificate(d).subject.split('\n').pop());
    expect(names(wire)).toEqual(['CN=leaf.example.test', 'CN=Rsa Root CA', 'CN=Rsa Intermediate CA', 'CN=Rsa Intermediate CA']);
    expect(names(hs.chainDer)).toEqual(names(wire));
    expect(hs.chainDer.map((d) => d.toString('hex'))).toEqual(wire.map((d) => d.toString('hex')));

    const legacy = await new Promise<string[]>((resolve) => {
      const c = tls.connect({ port: s.port, host: '127.0.0.1', servername: 'localhost', ca: rsa.root.pem, rejectUnauthorized: false }, () => {
        const out: string[] = [];
        let p = c.getPeerCertificate(true);
        const seen = new Set<string>();
        while (p && !seen.has(p.fingerprint256)) {
          seen.add(p.fingerprint256);
          out.push(`CN=${p.subject.CN}`);
          p = p.issuerCertificate;
        }
        c.destroy();
        resolve(out);
      });
    });
    // Reordered and de-duplicated: not what the server sent.
    expect(legacy).toEqual(['CN=leaf.example.test', 'CN=Rsa Intermediate CA', 'CN=Rsa Root CA']);
  });

  it('getPeerCertificate(true) even appends certificates the server never sent (from the local store)', async () => {
    const s = await serve(rsa.leaf(), []);
    const legacy = await new Promise<number>((resolve) => {
      const c = tls.connect({ port: s.port, host: '127.0.0.1', servername: 'localhost', ca: [rsa.root.pem, rsa.int.pem], rejectUnauthorized: false }, () => {
        let n = 0;
        let p = c.getPeerCertificate(true);
        const seen = new Set<string>();
        while (p && !seen.has(p.fingerprint256)) {
          seen.add(p.fingerprint256);
          n++;
          p = p.issuerCertificate;
        }
        c.destroy();
        resolve(n);
      });
    });
    expect(legacy).toBe(3);
    const r = await probe(`localhost:${s.port}`, { ca: pem(rsa.root, rsa.int) });
    expect(r.chain).toHaveLength(1);
    // Verified only thanks to the intermediate in the trust store: still reported as incomplete.
    expect(r.verification.trusted).toBe(true);
    expect(r.findings.find((f) => f.code === 'GWTLS-PRB-007')?.message).toMatch(/holds that intermediate/);
  });
});
