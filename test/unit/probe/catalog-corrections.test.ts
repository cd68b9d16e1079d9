// Issue 14 corrections to probe findings, against real loopback TLS servers:
// - GWTLS-PRB-004 on an ACM-backed listener: an issuer other than Amazon means "cannot tell" (imported and
//   private-CA ACM certificates, IAM server certificates); only a controller's default certificate is a finding.
// - GWTLS-PRB-012: libpq requires ALPN postgresql with sslnegotiation=direct (fe-secure-openssl.c), so a raw TLS
//   port that does not select it serves no libpq client in either mode.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadManifests } from '../../../src/cluster/manifests.ts';
import { buildModel, type Model } from '../../../src/graph/model.ts';
import { compareWithListener } from '../../../src/probe/cross-check.ts';
import { probe } from '../../../src/probe/probe.ts';
import { makeCert, makePki, pem } from '../../helpers/tls-certs.ts';
import { startTlsServer, type Running } from '../../helpers/tls-servers.ts';

const NOW = new Date();
const pki = makePki('ec', 'Corr');
const imported = pki.leaf({ cn: 'pg.example.com', dns: ['pg.example.com'] });
const fake = makeCert({ cn: 'Kubernetes Ingress Controller Fake Certificate', dns: ['ingress.local'] });
const servers: Running[] = [];
let importedServer: Running;
let fakeServer: Running;
let noAlpn: Running;

beforeAll(async () => {
  importedServer = await startTlsServer({ key: imported.key.keyPem, cert: pem(imported, pki.int) });
  fakeServer = await startTlsServer({ key: fake.key.keyPem, cert: fake.pem });
  // A TLS terminator that selects no ALPN, as an NLB TLS listener does for "postgresql".
  noAlpn = await startTlsServer({ key: imported.key.keyPem, cert: pem(imported, pki.int) });
  servers.push(importedServer, fakeServer, noAlpn);
});
afterAll(async () => {
  await Promise.all(servers.map((s) => s.close()));
});

async function nlbModel(port: number): Promise<Model> {
  const seed = readFileSync(new URL('../../fixtures/seeds/a-nlb-acm/corrected.yaml', import.meta.url), 'utf8');
  const text = seed.replaceAll('5432', String(port)).replace(/value: k8s-db-pggw-[^\n]+/, 'value: 127.0.0.1').replace('type: Hostname', 'type: IPAddress');
  const { snapshot, errors } = await loadManifests(['-'], 'default', async () => text);
  expect(errors).toEqual([]);
  return buildModel(snapshot, { allNamespaces: true }, NOW);
}
const pgListener = (m: Model) => m.gateways.find((g) => g.obj.meta.name === 'pg-gw')!.listeners.find((l) => l.spec.name === 'pg-tls')!;

describe('GWTLS-PRB-004 on an ACM-backed NLB listener', () => {
  it('a certificate from a private CA covering the name: cannot tell (it may be imported into ACM), no finding', async () => {
    const m = await nlbModel(importedServer.port);
    const r = await probe(`pg.example.com:${importedServer.port}`, { connectTo: '127.0.0.1', timeoutMs: 5000, now: NOW });
    const c = compareWithListener(pgListener(m), m, r, 'pg');
    expect(c.finding).toBeNull();
    expect(c.check).toMatchObject({ outcome: 'unknown', servedMatchesConfigured: null, code: null });
    expect(c.check.why).toContain('not by Amazon and covers pg.example.com: it can still be an imported ACM certificate, an AWS Private CA certificate or an IAM server certificate');
    expect(c.check.why).toContain(`compare serial ${r.chain[0]!.serial}`);
  });

  it("a controller's default certificate is no ACM or IAM certificate: GWTLS-PRB-004", async () => {
    const m = await nlbModel(fakeServer.port);
    const r = await probe(`pg.example.com:${fakeServer.port}`, { connectTo: '127.0.0.1', timeoutMs: 5000, now: NOW });
    const c = compareWithListener(pgListener(m), m, r, 'pg');
    expect(c.check).toMatchObject({ outcome: 'different', servedMatchesConfigured: false, code: 'GWTLS-PRB-004' });
    expect(c.finding).toMatchObject({ code: 'GWTLS-PRB-004', severity: 'error' });
    expect(c.finding!.message).toContain('the ingress-nginx default certificate');
  });
});

describe('GWTLS-PRB-012: libpq needs ALPN postgresql for direct TLS', () => {
  it('--starttls postgres against a raw TLS port that selects no ALPN: no libpq client can connect, in either mode', async () => {
    const r = await probe(`pg.example.com:${noAlpn.port}`, { starttls: 'postgres', connectTo: '127.0.0.1', ca: pki.root.pem, timeoutMs: 3000 });
    expect(r.postgres).toMatchObject({ directTls: true, directAlpn: null });
    const f = r.findings.find((x) => x.code === 'GWTLS-PRB-012')!;
    expect(f.severity).toBe('error');
    expect(f.message).toMatch(/Default PostgreSQL clients \(sslnegotiation=postgres\) cannot connect/);
    expect(f.message).toContain('does not select ALPN postgresql, which libpq requires with sslnegotiation=direct');
    expect(f.message).toContain('no libpq client can connect, in either mode');
    expect(f.message).not.toContain('does work here');
    expect((f as { hint?: string }).hint).toMatch(/TCP listener \(TLS Passthrough, or plain TCP\)/);
  });

  it('raw TLS probed with --alpn postgresql that the port does not select: the same verdict', async () => {
    const r = await probe(`pg.example.com:${noAlpn.port}`, { alpn: ['postgresql'], connectTo: '127.0.0.1', ca: pki.root.pem, timeoutMs: 3000 });
    expect(r.connection.alpn).toBeFalsy();
    const f = r.findings.find((x) => x.code === 'GWTLS-PRB-012')!;
    expect(f.message).toContain('default clients (sslnegotiation=postgres) send SSLRequest first and fail');
    expect(f.message).toContain('no libpq client can connect, in either mode');
    expect(f.message).not.toContain('Only PostgreSQL 17+ clients with sslnegotiation=direct can connect');
  });

  it('raw TLS that does select ALPN postgresql: direct clients can connect', async () => {
    const s = await startTlsServer({ key: imported.key.keyPem, cert: pem(imported, pki.int), ALPNProtocols: ['postgresql'] });
    servers.push(s);
    const r = await probe(`pg.example.com:${s.port}`, { alpn: ['postgresql'], connectTo: '127.0.0.1', ca: pki.root.pem, timeoutMs: 3000 });
    const f = r.findings.find((x) => x.code === 'GWTLS-PRB-012')!;
    expect(f.message).toContain('Only PostgreSQL 17+ clients with sslnegotiation=direct can connect (the port selects ALPN postgresql');
  });
});
