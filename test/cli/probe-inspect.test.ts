// `kubectl gwtls inspect NAME --probe` from manifest files: every TLS listener is probed at the Gateway's status
// addresses (real TLS servers on loopback), the served leaf is compared with the configured Secret, and the
// results are folded into the report (JSON contract, findings, text). Backends are not reachable from files.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import * as yaml from 'js-yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT, runCli } from '../helpers/cli.ts';
import { makePki, pem } from '../helpers/tls-certs.ts';
import { startTlsServer, type Running } from '../helpers/tls-servers.ts';

const validate = new Ajv({ allErrors: true, strict: false }).compile(JSON.parse(readFileSync(join(ROOT, 'docs/report.schema.json'), 'utf8')) as object);
const pki = makePki('rsa', 'Insp');
const shopLeaf = pki.leaf({ cn: 'shop.example.test', dns: ['shop.example.test'] });
const apiLeaf = pki.leaf({ cn: 'api.example.test', dns: ['api.example.test'] });
const stale = pki.leaf({ cn: 'api.example.test', dns: ['api.example.test'] });
let shop: Running;
let api: Running;
let file: string;
let dir: string | undefined;

const b64 = (s: string) => Buffer.from(s).toString('base64');
const secret = (name: string, c: { pem: string; key: { keyPem: string } }) => ({ apiVersion: 'v1', kind: 'Secret', metadata: { name, namespace: 'web' }, type: 'kubernetes.io/tls', data: { 'tls.crt': b64(c.pem), 'tls.key': b64(c.key.keyPem) } });

beforeAll(async () => {
  shop = await startTlsServer({ key: shopLeaf.key.keyPem, cert: pem(shopLeaf, pki.int) });
  // Serves last month's certificate for api.example.test: the Secret holds a newer one.
  api = await startTlsServer({ key: stale.key.keyPem, cert: pem(stale, pki.int) });
  const docs = [
    { apiVersion: 'gateway.networking.k8s.io/v1', kind: 'GatewayClass', metadata: { name: 'eg' }, spec: { controllerName: 'gateway.envoyproxy.io/gatewayclass-controller' } },
    {
      apiVersion: 'gateway.networking.k8s.io/v1',
      kind: 'Gateway',
      metadata: { name: 'edge', namespace: 'web' },
      spec: {
        gatewayClassName: 'eg',
        listeners: [
          { name: 'shop', protocol: 'HTTPS', port: shop.port, hostname: 'shop.example.test', tls: { mode: 'Terminate', certificateRefs: [{ name: 'shop-tls' }] } },
          { name: 'api', protocol: 'HTTPS', port: api.port, tls: { mode: 'Terminate', certificateRefs: [{ name: 'api-tls' }] } },
          { name: 'http', protocol: 'HTTP', port: 80 },
        ],
      },
      status: { addresses: [{ type: 'IPAddress', value: '127.0.0.1' }] },
    },
    { apiVersion: 'gateway.networking.k8s.io/v1', kind: 'HTTPRoute', metadata: { name: 'api', namespace: 'web' }, spec: { parentRefs: [{ name: 'edge', sectionName: 'api' }], hostnames: ['api.example.test'], rules: [{ backendRefs: [{ name: 'api', port: 8080 }] }] } },
    { apiVersion: 'v1', kind: 'Service', metadata: { name: 'api', namespace: 'web' }, spec: { selector: { app: 'api' }, ports: [{ name: 'http', port: 8080, targetPort: 8080 }] } },
    secret('shop-tls', shopLeaf),
    secret('api-tls', apiLeaf),
  ];
  dir = mkdtempSync(join(tmpdir(), 'gwtls-inspect-probe-'));
  file = join(dir, 'edge.yaml');
  writeFileSync(file, docs.map((d) => yaml.dump(d, { lineWidth: -1 })).join('---\n'));
});
afterAll(async () => {
  await Promise.all([shop.close(), api.close()]);
  if (dir) rmSync(dir, { recursive: true, force: true });
});

interface Listener {
  name: string;
  ok?: boolean;
  probe?: Array<Record<string, unknown> & { configured?: Record<string, unknown> | null; leaf?: { subject: string; fingerprintSha256: string } | null }>;
  routes: Array<{ backends: Array<{ probe?: Record<string, unknown> }> }>;
}

describe('inspect --probe (files)', () => {
  it('-o json: a probe per listener address and name, served vs configured, GWTLS-PRB-004 under its Gateway and listener', async () => {
    const r = await runCli(['inspect', 'edge', '-f', file, '--probe', '-o', 'json']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(1);
    const report = JSON.parse(r.stdout) as { gateways: Array<{ listeners: Listener[] }>; findings: Array<{ code: string; severity: string; gateway?: string; listener?: string; object: { kind: string; name: string; namespace?: string }; message: string; evidence: string[] }> };
    expect(validate(report), JSON.stringify(validate.errors)).toBe(true);
    const [shopL, apiL, httpL] = report.gateways[0]!.listeners;
    expect(shopL!.probe).toHaveLength(1);
    expect(shopL!.probe![0]).toMatchObject({
      status: 'probed',
      endpoint: `127.0.0.1:${shop.port}`,
      sni: 'shop.example.test',
      ok: false, // a private CA: not trusted by the system store
      tls: { protocol: 'TLSv1.3' },
      notTls: null,
      error: null,
      chainLength: 2,
      trusted: false,
      hostnameMatches: true,
      trustStore: 'system',
      configured: { outcome: 'same', servedMatchesConfigured: true, configuredFrom: 'secret web/shop-tls', why: 'the served certificate is the configured one (secret web/shop-tls)' },
      codes: ['GWTLS-PRB-008'],
    });
    expect(shopL!.probe![0]!.leaf).toMatchObject({ subject: 'CN=shop.example.test', fingerprintSha256: shopLeaf.x509.fingerprint256 });
    expect(shopL!.probe![0]!.summary).toBe('FAILED: handshake complete, chain not trusted; the served certificate is the configured one');
    // No listener hostname: the attached route's hostname is the SNI.
    expect(apiL!.probe).toHaveLength(1);
    expect(apiL!.probe![0]).toMatchObject({ endpoint: `127.0.0.1:${api.port}`, sni: 'api.example.test', configured: { outcome: 'different', servedMatchesConfigured: false, configuredFrom: 'secret web/api-tls' }, codes: ['GWTLS-PRB-008', 'GWTLS-PRB-004'] });
    expect(apiL!.probe![0]!.summary).toBe('FAILED: handshake complete, chain not trusted and the served certificate is not the one configured');
    expect(httpL!.probe).toEqual([{ status: 'skipped', endpoint: null, sni: null, summary: 'not probed: the listener is HTTP, no TLS is expected on it', ok: null }]);
    expect(apiL!.routes[0]!.backends[0]!.probe).toEqual({ status: 'skipped', endpoint: null, sni: null, summary: 'not probed: read from files, there is no cluster to reach the pods through', ok: null });
    const prb004 = report.findings.filter((f) => f.code === 'GWTLS-PRB-004');
    expect(prb004).toHaveLength(1);
    expect(prb004[0]).toMatchObject({ severity: 'error', gateway: 'web/edge', listener: 'api', object: { kind: 'Gateway', namespace: 'web', name: 'edge' } });
    expect(prb004[0]!.message).toMatch(new RegExp(`^127\\.0\\.0\\.1:${api.port} \\(SNI api\\.example\\.test\\): listener api of Gateway web/edge is configured with secret web/api-tls`));
    expect(prb004[0]!.message).toContain('the data plane still serves an older version');
    expect(prb004[0]!.evidence.at(-1)).toBe('to resolve: restart or wait for the data plane to reload the Secret; check the controller log');
    expect(apiL!.ok).toBe(false);
  });

  it('--ignore drops probe findings too', async () => {
    const r = await runCli(['inspect', 'edge', '-f', file, '--probe', '-o', 'json', '--ignore', 'GWTLS-PRB-004,GWTLS-PRB-008']);
    const report = JSON.parse(r.stdout) as { findings: Array<{ code: string }> };
    expect(report.findings.map((f) => f.code).filter((c) => c.startsWith('GWTLS-PRB'))).toEqual([]);
  });

  it('text: a line per probe in words, within 80 columns', async () => {
    const r = await runCli(['inspect', 'edge', '-f', file, '--probe']);
    expect(r.code).toBe(1);
    const flat = r.stdout.replace(/\s*│\s*/g, ' ').replace(/\s+/g, ' ');
    expect(flat).toContain(`probe 127.0.0.1:${shop.port} SNI shop.example.test: FAILED handshake complete, chain not trusted; the served certificate is the configured one`);
    expect(flat).toContain(`probe 127.0.0.1:${api.port} SNI api.example.test: FAILED handshake complete, chain not trusted and the served certificate is not the one configured`);
    expect(flat).toContain('served vs configured: the served certificate is not the configured one (secret web/api-tls)');
    expect(flat).toContain('probe: not probed: the listener is HTTP, no TLS is expected on it');
    expect(flat).toContain('probe: not probed: read from files, there is no cluster to reach the pods through');
    expect(flat).toContain('ERROR GWTLS-PRB-004 Gateway web/edge');
    for (const line of r.stdout.split('\n')) expect(line.length, line).toBeLessThanOrEqual(80);
  });

  it('without --probe nothing is probed and no probe field appears', async () => {
    const r = await runCli(['inspect', 'edge', '-f', file, '-o', 'json']);
    const report = JSON.parse(r.stdout) as { gateways: Array<{ listeners: Listener[] }> };
    for (const l of report.gateways[0]!.listeners) expect(l.probe).toBeUndefined();
  });
});
