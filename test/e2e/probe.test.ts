// `kubectl gwtls probe` and `inspect --probe` against a real kube-apiserver: Gateways whose listener ports are
// real TLS servers on 127.0.0.1 and whose status.addresses say 127.0.0.1, certificates in their Secrets; the
// plugin run through kubectl's plugin discovery must find the listener that should serve the name and compare
// the served leaf with the configured one.
//
// The control plane runs no kubelet: a port-forward to a Pod cannot complete here. What can be checked for real
// is that the API server is asked, and that its refusal reaches the user in words; the port-forward stream itself
// is tested against a local server speaking the same protocol (test/unit/probe/port-forward.test.ts).
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deleteNamespace, e2eEnv, runPlugin, skipE2e, type KubeObject } from './harness/kube.ts';
import { applyScenario, cond, endpointSlice } from './scenario.ts';
import { makePki, pem } from '../helpers/tls-certs.ts';
import { startTlsServer, type Running } from '../helpers/tls-servers.ts';

const env = e2eEnv();
const skip = skipE2e(env);
const suffix = Date.now().toString(36);
const ns = `probe-${suffix}`;
const other = `probe-other-${suffix}`;
const cls = `eg-probe-${suffix}`;
const pki = makePki('rsa', 'E2e');
const leaf = pki.leaf({ cn: 'shop.example.test', dns: ['shop.example.test'] });
const rotated = pki.leaf({ cn: 'pay.example.test', dns: ['pay.example.test'] });
const wrong = pki.leaf({ cn: 'pay.example.test', dns: ['pay.example.test'] });
let shop: Running;
let pay: Running;
let caFile: string;

const b64 = (s: string) => Buffer.from(s).toString('base64');
const secret = (name: string, namespace: string, c: { pem: string; key: { keyPem: string } }): KubeObject => ({ apiVersion: 'v1', kind: 'Secret', metadata: { name, namespace }, type: 'kubernetes.io/tls', data: { 'tls.crt': b64(c.pem), 'tls.key': b64(c.key.keyPem) } }) as KubeObject;
const gateway = (name: string, namespace: string, listeners: object[]): KubeObject => ({ apiVersion: 'gateway.networking.k8s.io/v1', kind: 'Gateway', metadata: { name, namespace }, spec: { gatewayClassName: cls, listeners } }) as KubeObject;
const programmed = (listeners: string[]) => ({
  addresses: [{ type: 'IPAddress', value: '127.0.0.1' }],
  conditions: [cond('Accepted', 'True', 'Accepted'), cond('Programmed', 'True', 'Programmed')],
  listeners: listeners.map((name) => ({ name, attachedRoutes: 1, supportedKinds: [{ group: 'gateway.networking.k8s.io', kind: 'HTTPRoute' }], conditions: [cond('Accepted', 'True', 'Accepted'), cond('Programmed', 'True', 'Programmed'), cond('ResolvedRefs', 'True', 'ResolvedRefs')] })),
});

interface Json {
  [k: string]: any; // eslint-disable-line @typescript-eslint/no-explicit-any
}

async function plugin(args: string[], opts: { context?: string; env?: Record<string, string | undefined> } = {}): Promise<{ code: number; stdout: string; stderr: string; json: () => Json }> {
  const r = await runPlugin(args, { env: { NO_COLOR: '1', ...opts.env }, ...(opts.context ? { context: opts.context } : {}) });
  expect(r.stderr).not.toMatch(/^\s+at /m);
  return { ...r, json: () => JSON.parse(r.stdout) as Json };
}

describe.skipIf(skip)('probe cross-check and inspect --probe on a live control plane', () => {
  beforeAll(async () => {
    shop = await startTlsServer({ key: leaf.key.keyPem, cert: pem(leaf, pki.int) });
    // pay.example.test: the data plane serves a certificate that is not the one in the Secret.
    pay = await startTlsServer({ key: wrong.key.keyPem, cert: pem(wrong, pki.int) });
    const dir = mkdtempSync(join(tmpdir(), 'gwtls-e2e-probe-'));
    caFile = join(dir, 'root.pem');
    writeFileSync(caFile, pki.root.pem);
    const route = { apiVersion: 'gateway.networking.k8s.io/v1', kind: 'HTTPRoute', metadata: { name: 'shop', namespace: ns }, spec: { parentRefs: [{ name: 'edge' }], hostnames: ['shop.example.test'], rules: [{ backendRefs: [{ name: 'app', port: 8443 }] }] } } as KubeObject;
    const service = { apiVersion: 'v1', kind: 'Service', metadata: { name: 'app', namespace: ns }, spec: { selector: { app: 'app' }, ports: [{ name: 'https', port: 8443, targetPort: 8443 }] } } as KubeObject;
    // A Pod the API server knows, on no node: nothing runs it, so a port-forward to it cannot work here.
    const pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'app-1', namespace: ns, labels: { app: 'app' } }, spec: { containers: [{ name: 'app', image: 'registry.example/app:1', ports: [{ containerPort: 8443 }] }] } } as KubeObject;
    await applyScenario(
      [
        { apiVersion: 'gateway.networking.k8s.io/v1', kind: 'GatewayClass', metadata: { name: cls }, spec: { controllerName: 'gateway.envoyproxy.io/gatewayclass-controller' } } as KubeObject,
        gateway('edge', ns, [{ name: 'https', protocol: 'HTTPS', port: shop.port, hostname: 'shop.example.test', tls: { mode: 'Terminate', certificateRefs: [{ name: 'shop-tls' }] } }]),
        secret('shop-tls', ns, leaf),
        route,
        service,
        pod,
        endpointSlice(ns, 'app', 'https', 8443, [{ name: 'app-1', ip: '10.244.0.9', node: 'node-1', ready: true }]),
        gateway('pay', other, [{ name: 'https', protocol: 'HTTPS', port: pay.port, tls: { mode: 'Terminate', certificateRefs: [{ name: 'pay-tls' }] } }]),
        secret('pay-tls', other, rotated),
      ],
      { [`GatewayClass/${cls}`]: { conditions: [cond('Accepted', 'True', 'Accepted')] }, 'Gateway/edge': programmed(['https']), 'Gateway/pay': programmed(['https']) },
    );
  });

  afterAll(async () => {
    await Promise.all([shop?.close(), pay?.close()]);
    for (const n of [ns, other]) await deleteNamespace(n);
  });

  it('probe NAME:PORT --connect-to ADDRESS: finds the listener by address, hostname and port, and the served certificate is the configured one', async () => {
    const r = await plugin(['probe', `shop.example.test:${shop.port}`, '--connect-to', '127.0.0.1', '--ca-file', caFile, '-o', 'json']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const j = r.json();
    expect(j.ok).toBe(true);
    expect(j.cluster).toMatchObject({
      outcome: 'same',
      gateway: { namespace: ns, name: 'edge' },
      listener: 'https',
      hostname: 'shop.example.test',
      configuredFrom: `secret ${ns}/shop-tls`,
      configuredFingerprintSha256: leaf.x509.fingerprint256,
      servedMatchesConfigured: true,
      servedFrom: `Secret ${ns}/shop-tls`,
      context: env.adminContext,
      code: null,
      why: `the served certificate is the configured one (secret ${ns}/shop-tls)`,
    });
    expect(j.cluster.matched).toEqual([{ gateway: { namespace: ns, name: 'edge' }, listener: 'https', hostname: 'shop.example.test', port: shop.port, protocol: 'HTTPS', tlsMode: 'Terminate', addressMatch: true }]);
    expect(j.cluster.configured).toEqual([expect.objectContaining({ source: `secret ${ns}/shop-tls`, subject: 'CN=shop.example.test', sans: ['shop.example.test'], fingerprintSha256: leaf.x509.fingerprint256 })]);
    expect(j.findings).toEqual([]);
  });

  it('probe ADDRESS:PORT --sni NAME, as text: the listener and "the served certificate is the configured one"', async () => {
    const r = await plugin(['probe', `127.0.0.1:${shop.port}`, '--sni', 'shop.example.test', '--ca-file', caFile]);
    expect(r.code).toBe(0);
    const flat = r.stdout.replace(/\s+/g, ' ');
    expect(flat).toContain(`listener https of Gateway ${ns}/edge (HTTPS/Terminate :${shop.port} shop.example.test, address matches)`);
    expect(flat).toContain(`configured Secret ${ns}/shop-tls`);
    expect(flat).toContain(`compared the served certificate is the configured one (secret ${ns}/shop-tls)`);
    for (const line of r.stdout.split('\n')) expect(line.length, line).toBeLessThanOrEqual(80);
  });

  it('a listener whose Secret holds another certificate: GWTLS-PRB-004, exit 1', async () => {
    const r = await plugin(['probe', `pay.example.test:${pay.port}`, '--connect-to', '127.0.0.1', '--ca-file', caFile, '-o', 'json']);
    expect(r.code).toBe(1);
    const j = r.json();
    expect(j.ok).toBe(false);
    expect(j.verification).toMatchObject({ trusted: true, hostnameMatches: true });
    expect(j.cluster).toMatchObject({ outcome: 'different', gateway: { namespace: other, name: 'pay' }, listener: 'https', servedMatchesConfigured: false, code: 'GWTLS-PRB-004', configuredFingerprintSha256: rotated.x509.fingerprint256 });
    expect(j.findings.map((f: Json) => f.code)).toEqual(['GWTLS-PRB-004']);
    expect(j.findings[0]).toMatchObject({ severity: 'error', docs: 'docs/rules/GWTLS-PRB-004.md', object: { kind: 'Endpoint', name: `pay.example.test:${pay.port}` } });
    expect(j.findings[0].message).toContain(`listener https of Gateway ${other}/pay is configured with secret ${other}/pay-tls`);
    expect(j.summary).toEqual({ errors: 1, warnings: 0, info: 0 });
    const t = await plugin(['probe', `pay.example.test:${pay.port}`, '--connect-to', '127.0.0.1', '--ca-file', caFile]);
    expect(t.stdout).toContain('result      FAILED: handshake complete, the served certificate is not the one');
    expect(t.stdout).toContain('ERROR    GWTLS-PRB-004');
  });

  it('without Secret access (restricted context) the comparison is unknown, and says why', async () => {
    if (!env.restrictedContext) return console.warn('no restricted context on this cluster; partial-access check skipped');
    const r = await plugin(['probe', `shop.example.test:${shop.port}`, '--connect-to', '127.0.0.1', '--ca-file', caFile, '-o', 'json'], { context: env.restrictedContext });
    expect(r.code).toBe(0);
    const j = r.json();
    expect(j.cluster).toMatchObject({ outcome: 'unknown', gateway: { namespace: ns, name: 'edge' }, servedMatchesConfigured: null, configuredFrom: `secret ${ns}/shop-tls` });
    expect(j.cluster.why).toMatch(new RegExp(`^the configured certificate could not be read: Secret ${ns}/shop-tls could not be checked: secrets could not be read`));
  });

  it('no usable kubeconfig: the cross-check is skipped with a one-line note, never an error', async () => {
    const r = await plugin(['probe', `127.0.0.1:${shop.port}`, '--sni', 'shop.example.test', '--ca-file', caFile, '-o', 'json'], { env: { KUBECONFIG: '/nonexistent/kubeconfig' } });
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    expect(r.json().cluster).toEqual({ gateway: null, listener: null, hostname: null, configuredFrom: null, configuredFingerprintSha256: null, servedMatchesConfigured: null, outcome: 'skipped', why: 'cluster cross-check skipped: none of the KUBECONFIG files exists (/nonexistent/kubeconfig)' });
  });

  it('inspect NAME --probe -o json folds the listener probe into the report; the backend port-forward is refused by this kubelet-less API server, in words', async () => {
    const r = await plugin(['inspect', 'edge', '-n', ns, '--probe', '-o', 'json']);
    const j = r.json();
    const l = j.gateways[0].listeners[0];
    expect(l.probe).toHaveLength(1);
    expect(l.probe[0]).toMatchObject({
      status: 'probed',
      endpoint: `127.0.0.1:${shop.port}`,
      sni: 'shop.example.test',
      tls: { protocol: 'TLSv1.3' },
      chainLength: 2,
      hostnameMatches: true,
      configured: { outcome: 'same', servedMatchesConfigured: true, configuredFrom: `secret ${ns}/shop-tls`, why: `the served certificate is the configured one (secret ${ns}/shop-tls)` },
    });
    expect(l.probe[0].leaf.fingerprintSha256).toBe(leaf.x509.fingerprint256);
    expect(j.findings.filter((f: Json) => f.code === 'GWTLS-PRB-004')).toEqual([]);
    const b = l.routes[0].backends[0];
    expect(b.probe).toMatchObject({ status: 'probed', endpoint: `pod ${ns}/app-1:8443`, sni: 'app.' + ns + '.svc.cluster.local', ok: false, error: { code: 'EPORTFORWARD' } });
    expect(b.probe.summary).toMatch(new RegExp(`^the API server cannot port-forward to pod ${ns}/app-1: `));
  });

  it('probe svc/NAME:PORT: resolves the Service to its ready endpoint through EndpointSlices, asks the API server for the port-forward, and reports its refusal (exit 2)', async () => {
    const r = await plugin(['probe', 'svc/app:8443', '-n', ns, '-o', 'json']);
    expect(r.code).toBe(2);
    const j = r.json();
    expect(j.backend).toEqual({ kind: 'service', namespace: ns, name: 'app', servicePort: 8443, portName: 'https', pod: 'app-1', targetPort: 8443, resolvedBy: `ready endpoint app-1 of Service ${ns}/app port https (8443) -> container port 8443`, via: 'port-forward' });
    expect(j.connection).toMatchObject({ ok: false, phase: 'connect', error: { code: 'EPORTFORWARD' } });
    expect(j.connection.error.summary).toMatch(new RegExp(`^the API server cannot port-forward to pod ${ns}/app-1: `));
    expect(r.stderr).toMatch(new RegExp(`^error: svc/app:8443: the API server cannot port-forward to pod ${ns}/app-1`));
  });
});
