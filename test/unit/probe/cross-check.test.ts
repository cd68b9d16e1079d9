// The cluster cross-check, pure part: which listeners should serve a probed name and port, and served vs
// configured — with real handshakes against loopback TLS servers and models built from manifests.
import { readFileSync } from 'node:fs';
import * as yaml from 'js-yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadManifests } from '../../../src/cluster/manifests.ts';
import type { GatewayObject } from '../../../src/cluster/objects.ts';
import { buildModel, type Model } from '../../../src/graph/model.ts';
import { compareWithListener, matchListeners } from '../../../src/probe/cross-check.ts';
import { probe } from '../../../src/probe/probe.ts';
import type { ProbeReport } from '../../../src/probe/types.ts';
import { probeContractProblems } from '../../helpers/probe-schema.ts';
import { makeCert, makePki, pem } from '../../helpers/tls-certs.ts';
import { startTlsServer, type Running } from '../../helpers/tls-servers.ts';

const NOW = new Date();
const pki = makePki('rsa', 'Xc');
const leaf = pki.leaf({ cn: 'shop.example.test', dns: ['shop.example.test', '*.shop.example.test'], serial: 4242 });
// Same subject and names, another key and serial: what a renewal looks like.
const renewed = pki.leaf({ cn: 'shop.example.test', dns: ['shop.example.test', '*.shop.example.test'], serial: 4343 });
const amazonCa = makeCert({ cn: [['C', 'US'], ['O', 'Amazon'], ['CN', 'Amazon RSA 2048 M02']], ca: true });
const acmLeaf = makeCert({ cn: 'pg.example.com', dns: ['pg.example.com'], issuer: amazonCa });
const servers: Running[] = [];
let shop: Running;
let acm: Running;

beforeAll(async () => {
  shop = await startTlsServer({ key: leaf.key.keyPem, cert: pem(leaf, pki.int) });
  acm = await startTlsServer({ key: acmLeaf.key.keyPem, cert: pem(acmLeaf, amazonCa) });
  servers.push(shop, acm);
});
afterAll(async () => {
  await Promise.all(servers.map((s) => s.close()));
});

const b64 = (s: string) => Buffer.from(s).toString('base64');
function secret(name: string, ns: string, cert: { pem: string; key: { keyPem: string } }): object {
  return { apiVersion: 'v1', kind: 'Secret', metadata: { name, namespace: ns }, type: 'kubernetes.io/tls', data: { 'tls.crt': b64(cert.pem), 'tls.key': b64(cert.key.keyPem) } };
}
function gateway(name: string, ns: string, address: string, listeners: object[]): object {
  return {
    apiVersion: 'gateway.networking.k8s.io/v1',
    kind: 'Gateway',
    metadata: { name, namespace: ns },
    spec: { gatewayClassName: 'eg', listeners },
    status: { addresses: [{ type: 'IPAddress', value: address }] },
  };
}
const eg = { apiVersion: 'gateway.networking.k8s.io/v1', kind: 'GatewayClass', metadata: { name: 'eg' }, spec: { controllerName: 'gateway.envoyproxy.io/gatewayclass-controller' } };
const https = (name: string, port: number, hostname: string | undefined, secretName: string) => ({ name, protocol: 'HTTPS', port, ...(hostname ? { hostname } : {}), tls: { mode: 'Terminate', certificateRefs: [{ name: secretName }] } });

async function modelOf(docs: object[] | string): Promise<Model> {
  const text = typeof docs === 'string' ? docs : docs.map((d) => yaml.dump(d, { lineWidth: -1 })).join('---\n');
  const { snapshot, errors } = await loadManifests(['-'], 'default', async () => text);
  expect(errors).toEqual([]);
  return buildModel(snapshot, { allNamespaces: true }, NOW);
}
const gatewaysOf = (m: Model): GatewayObject[] => m.gateways.map((g) => g.obj);
const listener = (m: Model, gw: string, name: string) => m.gateways.find((g) => g.obj.meta.name === gw)!.listeners.find((l) => l.spec.name === name)!;

async function probeShop(sni = 'shop.example.test'): Promise<ProbeReport> {
  return probe(`${sni}:${shop.port}`, { connectTo: '127.0.0.1', ca: pki.root.pem, timeoutMs: 5000, now: NOW });
}

describe('matchListeners', () => {
  it('prefers the Gateway whose status.addresses hold the address connected to, and within it the exact hostname', async () => {
    const m = await modelOf([
      eg,
      gateway('edge', 'web', '127.0.0.1', [https('wild', shop.port, '*.example.test', 'shop-tls'), https('shop', shop.port, 'shop.example.test', 'shop-tls'), https('any', shop.port, undefined, 'shop-tls'), https('other-port', 9, 'shop.example.test', 'shop-tls')]),
      gateway('elsewhere', 'web', '10.0.0.9', [https('shop', shop.port, 'shop.example.test', 'shop-tls')]),
      secret('shop-tls', 'web', leaf),
    ]);
    const r = await probeShop();
    const { candidates, note } = matchListeners(gatewaysOf(m), r);
    expect(note).toBeNull();
    expect(candidates.map((c) => `${c.gateway.meta.name}/${c.listener.name}/${c.addressMatch}`)).toEqual(['edge/shop/true']);
  });

  it('a wildcard listener serves names under it (any depth); the most specific wildcard wins', async () => {
    const m = await modelOf([eg, gateway('edge', 'web', '127.0.0.1', [https('broad', shop.port, '*.example.test', 'shop-tls'), https('narrow', shop.port, '*.shop.example.test', 'shop-tls')]), secret('shop-tls', 'web', leaf)]);
    const r = await probeShop('a.b.shop.example.test');
    expect(matchListeners(gatewaysOf(m), r).candidates.map((c) => c.listener.name)).toEqual(['narrow']);
    const r2 = await probeShop('api.example.test');
    expect(matchListeners(gatewaysOf(m), r2).candidates.map((c) => c.listener.name)).toEqual(['broad']);
  });

  it('without an address match, hostname and port decide, and the note says so', async () => {
    const m = await modelOf([eg, gateway('edge', 'web', '192.0.2.10', [https('shop', shop.port, 'shop.example.test', 'shop-tls')]), secret('shop-tls', 'web', leaf)]);
    const { candidates, note } = matchListeners(gatewaysOf(m), await probeShop());
    expect(candidates.map((c) => `${c.listener.name}/${c.addressMatch}`)).toEqual(['shop/false']);
    expect(note).toBe('no Gateway lists 127.0.0.1 in status.addresses: matched on hostname and port only');
  });

  it('no listener: names the Gateway that has the address and its ports', async () => {
    const m = await modelOf([eg, gateway('edge', 'web', '127.0.0.1', [https('shop', 8443, 'shop.example.test', 'shop-tls')]), secret('shop-tls', 'web', leaf)]);
    const { candidates, note } = matchListeners(gatewaysOf(m), await probeShop());
    expect(candidates).toEqual([]);
    expect(note).toBe(`Gateway web/edge has this address but no listener on port ${shop.port} for shop.example.test (its ports: 8443)`);
  });
});

describe('compareWithListener', () => {
  it('Secret leaf fingerprint equal: the served certificate is the configured one', async () => {
    const m = await modelOf([eg, gateway('edge', 'web', '127.0.0.1', [https('shop', shop.port, 'shop.example.test', 'shop-tls')]), secret('shop-tls', 'web', leaf)]);
    const r = await probeShop();
    const { check, finding } = compareWithListener(listener(m, 'edge', 'shop'), m, r, `shop.example.test:${shop.port}`);
    expect(finding).toBeNull();
    expect(check).toMatchObject({
      gateway: { namespace: 'web', name: 'edge' },
      listener: 'shop',
      hostname: 'shop.example.test',
      configuredFrom: 'secret web/shop-tls',
      configuredFingerprintSha256: leaf.x509.fingerprint256,
      servedMatchesConfigured: true,
      outcome: 'same',
      servedFrom: 'Secret web/shop-tls',
      code: null,
      why: 'the served certificate is the configured one (secret web/shop-tls)',
    });
    expect(check.configured).toEqual([{ source: 'secret web/shop-tls', subject: 'CN=shop.example.test', sans: ['shop.example.test', '*.shop.example.test'], serial: leaf.x509.serialNumber.toLowerCase(), notAfter: new Date(leaf.x509.validTo).toISOString(), fingerprintSha256: leaf.x509.fingerprint256 }]);
    // The report with its cluster section keeps the contract of docs/report.schema.json.
    expect(probeContractProblems(JSON.parse(JSON.stringify({ ...r, cluster: check })))).toEqual([]);
  });

  it('same names, another certificate (a renewal not picked up): GWTLS-PRB-004 says the data plane serves an older version', async () => {
    const m = await modelOf([eg, gateway('edge', 'web', '127.0.0.1', [https('shop', shop.port, 'shop.example.test', 'shop-tls')]), secret('shop-tls', 'web', renewed)]);
    const r = await probeShop();
    const { check, finding } = compareWithListener(listener(m, 'edge', 'shop'), m, r, `shop.example.test:${shop.port}`);
    expect(check).toMatchObject({ outcome: 'different', servedMatchesConfigured: false, code: 'GWTLS-PRB-004', configuredFingerprintSha256: renewed.x509.fingerprint256 });
    expect(finding).toMatchObject({ code: 'GWTLS-PRB-004', severity: 'error', object: { kind: 'Endpoint', name: `shop.example.test:${shop.port}` } });
    expect(finding!.message).toContain('listener shop of Gateway web/edge is configured with secret web/shop-tls');
    expect(finding!.message).toContain('the data plane still serves an older version');
    const halves = (fp: string) => `${fp.slice(0, 48)} ${fp.slice(48)}`;
    expect(finding!.evidence).toEqual([
      `served leaf: CN=shop.example.test; serial ${leaf.x509.serialNumber.toLowerCase()}; SHA-256 ${halves(leaf.x509.fingerprint256)}`,
      `configured (secret web/shop-tls): CN=shop.example.test; serial ${renewed.x509.serialNumber.toLowerCase()}; SHA-256 ${halves(renewed.x509.fingerprint256)}`,
    ]);
  });

  it('a configured Secret that cannot be read: not compared, and why', async () => {
    const m = await modelOf([eg, gateway('edge', 'web', '127.0.0.1', [https('shop', shop.port, 'shop.example.test', 'missing-tls')]), secret('other', 'web', leaf)]);
    const { check, finding } = compareWithListener(listener(m, 'edge', 'shop'), m, await probeShop(), 'x');
    expect(finding).toBeNull();
    expect(check).toMatchObject({ outcome: 'unknown', servedMatchesConfigured: null, configuredFrom: 'secret web/missing-tls', why: 'the configured certificate could not be read: Secret web/missing-tls not found in the input' });
  });

  it('AWS NLB with an ACM ARN: the served certificate cannot be compared further (said so), whoever issued it: ACM also holds imported and private-CA certificates', async () => {
    const seed = readFileSync(new URL('../../fixtures/seeds/a-nlb-acm/corrected.yaml', import.meta.url), 'utf8');
    const text = (port: number) => seed.replaceAll('5432', String(port)).replace(/value: k8s-db-pggw-[^\n]+/, 'value: 127.0.0.1').replace('type: Hostname', 'type: IPAddress');
    const ok = await modelOf(text(acm.port));
    const r = await probe(`pg.example.com:${acm.port}`, { connectTo: '127.0.0.1', timeoutMs: 5000, now: NOW });
    expect(matchListeners(gatewaysOf(ok), r).candidates.map((c) => `${c.listener.name}/${c.addressMatch}`)).toEqual(['pg-tls/true']);
    const a = compareWithListener(listener(ok, 'pg-gw', 'pg-tls'), ok, r, 'pg');
    expect(a.finding).toBeNull();
    expect(a.check).toMatchObject({ outcome: 'unknown', servedMatchesConfigured: null, configuredFrom: 'acm arn:aws:acm:eu-west-1:111122223333:certificate/11111111-2222-3333-4444-555555555555' });
    expect(a.check.servedFrom).toMatch(/^ACM certificate arn:aws:acm:eu-west-1:111122223333:certificate\/11111111-2222-3333-4444-555555555555 \(LoadBalancerConfiguration lb-config\/pg-nlb-cfg/);
    expect(a.check.why).toBe(`the served certificate is issued by Amazon (ACM) and covers pg.example.com; whether it is arn:aws:acm:eu-west-1:111122223333:certificate/11111111-2222-3333-4444-555555555555 cannot be checked from here (ACM is not readable through the cluster): compare serial ${acmLeaf.x509.serialNumber.toLowerCase()} in the ACM console`);

    const bad = await modelOf(text(shop.port));
    const r2 = await probe(`pg.example.com:${shop.port}`, { connectTo: '127.0.0.1', timeoutMs: 5000, now: NOW });
    const b = compareWithListener(listener(bad, 'pg-gw', 'pg-tls'), bad, r2, 'pg');
    expect(b.finding).toBeNull();
    expect(b.check).toMatchObject({ outcome: 'unknown', code: null, servedMatchesConfigured: null });
    expect(b.check.why).toMatch(/not by Amazon but does NOT cover pg\.example\.com: it can still be an imported ACM certificate, an AWS Private CA certificate or an IAM server certificate/);
  });

  it('Passthrough: the backend pods\' certificate served is fine; another one is GWTLS-PRB-009', async () => {
    const docs = (mounted: { pem: string; key: { keyPem: string } }) => [
      eg,
      gateway('pass', 'db', '127.0.0.1', [{ name: 'tls', protocol: 'TLS', port: shop.port, hostname: 'shop.example.test', tls: { mode: 'Passthrough' } }]),
      { apiVersion: 'gateway.networking.k8s.io/v1alpha2', kind: 'TLSRoute', metadata: { name: 'r', namespace: 'db' }, spec: { parentRefs: [{ name: 'pass' }], hostnames: ['shop.example.test'], rules: [{ backendRefs: [{ name: 'app', port: 8443 }] }] } },
      { apiVersion: 'v1', kind: 'Service', metadata: { name: 'app', namespace: 'db' }, spec: { selector: { app: 'app' }, ports: [{ port: 8443, targetPort: 8443 }] } },
      { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'app-1', namespace: 'db', labels: { app: 'app' } }, spec: { containers: [{ name: 'c', image: 'x', ports: [{ containerPort: 8443 }] }], volumes: [{ name: 'tls', secret: { secretName: 'app-tls' } }] }, status: { phase: 'Running', conditions: [{ type: 'Ready', status: 'True' }] } },
      secret('app-tls', 'db', mounted),
    ];
    const r = await probeShop();
    const same = await modelOf(docs(leaf));
    expect(compareWithListener(listener(same, 'pass', 'tls'), same, r, 'x').check).toMatchObject({ outcome: 'same', servedFrom: 'the backend (TLS passthrough)', why: "TLS passes through: the served certificate is the backend's (backend pods of db/app (Secret db/app-tls))" });
    const other = await modelOf(docs(renewed));
    const { check, finding } = compareWithListener(listener(other, 'pass', 'tls'), other, r, `shop.example.test:${shop.port}`);
    expect(check).toMatchObject({ outcome: 'different', code: 'GWTLS-PRB-009', servedMatchesConfigured: false });
    expect(finding).toMatchObject({ code: 'GWTLS-PRB-009', severity: 'error' });
    expect(finding!.message).toContain('the Gateway (or a load balancer in front of it) terminates TLS instead of passing it through');
  });
});
