// Issue 14 corrections to probe findings, against real loopback TLS servers:
// - GWTLS-PRB-004 on an ACM-backed listener: an issuer other than Amazon means "cannot tell" (imported and
//   private-CA ACM certificates, IAM server certificates); only a controller's default certificate is a finding.
// - GWTLS-PRB-012: libpq requires ALPN postgresql with sslnegotiation=direct (fe-secure-openssl.c), so a raw TLS
//   port that does not select it serves no libpq client in either mode.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadManifests } from '../../../src/cluster/manifests.ts';
import { buildModel, type Model } from '../../../src/graph/model.ts';
import { backendFindings, decodeServed, gatewayView } from '../../../src/probe/backend.ts';
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

describe('backend probe on an implementation that does not check subjectAltNames (GWTLS-BTLS-012)', () => {
  it('the gateway view and GWTLS-BPRB-002 say so, citing the conformance report', async () => {
    const other = pki.leaf({ cn: 'elsewhere.internal', dns: ['elsewhere.internal'] });
    const s = await startTlsServer({ key: other.key.keyPem, cert: pem(other, pki.int) });
    servers.push(s);
    const text = [
      'apiVersion: gateway.networking.k8s.io/v1\nkind: GatewayClass\nmetadata: {name: ngf}\nspec: {controllerName: gateway.nginx.org/nginx-gateway-controller}',
      'apiVersion: gateway.networking.k8s.io/v1\nkind: Gateway\nmetadata: {name: edge, namespace: apps}\nspec:\n  gatewayClassName: ngf\n  listeners: [{name: http, protocol: HTTP, port: 80}]',
      'apiVersion: v1\nkind: Service\nmetadata: {name: app, namespace: apps}\nspec:\n  selector: {app: app}\n  ports: [{name: https, port: 8443, targetPort: 8443}]',
      'apiVersion: gateway.networking.k8s.io/v1\nkind: HTTPRoute\nmetadata: {name: app, namespace: apps}\nspec:\n  parentRefs: [{name: edge}]\n  rules: [{backendRefs: [{name: app, port: 8443}]}]',
      'apiVersion: gateway.networking.k8s.io/v1\nkind: BackendTLSPolicy\nmetadata: {name: app-tls, namespace: apps}\nspec:\n  targetRefs: [{group: "", kind: Service, name: app}]\n  validation:\n    hostname: app.apps.svc\n    wellKnownCACertificates: System\n    subjectAltNames: [{type: Hostname, hostname: backend.internal}]',
    ].join('\n---\n');
    const { snapshot, errors } = await loadManifests(['-'], 'default', async () => text);
    expect(errors).toEqual([]);
    const decision = buildModel(snapshot, { allNamespaces: true }, NOW).gateways[0]!.listeners[0]!.backends[0]!.tls;
    const r = await probe(`app.apps.svc:${s.port}`, { connectTo: '127.0.0.1', timeoutMs: 3000, now: NOW });
    const chain = decodeServed(r, NOW);
    const view = gatewayView(decision, r, chain, NOW);
    expect(view.nameMatches).toBe(false);
    expect(view.why).toContain('NGINX Gateway Fabric does not check validation.subjectAltNames: the conformance report of NGINX Gateway Fabric v2.6.0 lists BackendTLSPolicySANValidation as unsupported');
    r.gatewayView = view;
    const f = backendFindings(r, chain, 'svc/apps/app:8443', NOW).find((x) => x.code === 'GWTLS-BPRB-002')!;
    expect(f.message).toContain('Note: NGINX Gateway Fabric does not check validation.subjectAltNames');
    expect(f.message).toContain('v1.5/nginx-nginx-gateway-fabric/experimental-2.6.0-default-report.yaml');
  });
});
