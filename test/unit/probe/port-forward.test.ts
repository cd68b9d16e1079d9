// The port-forward adapter (client-node's PortForward as a Duplex) against a local server speaking the API
// server's WebSocket port-forward protocol, forwarding to real TLS and plaintext servers on loopback.
import { KubeConfig } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPortForward, PORT_FORWARD_PROTOCOLS, PortForwardError } from '../../../src/cluster/port-forward.ts';
import { applyBackendFindings, backendFindings, decodeServed } from '../../../src/probe/backend.ts';
import { portForwardConnector } from '../../../src/probe/cluster.ts';
import { probe } from '../../../src/probe/probe.ts';
import type { ProbeTarget } from '../../../src/probe/types.ts';
import { makePki, pem } from '../../helpers/tls-certs.ts';
import { freePort, startRawServer, startTlsServer, type Running } from '../../helpers/tls-servers.ts';
import { startFakeApiServer, type FakeApiServer } from './apiserver.ts';

const pki = makePki('ec', 'Pf');
let api: FakeApiServer;
let kc: KubeConfig;
let tlsServer: Running;
let echo: Running;
let http: Running;
let closedPort: number;
const target: ProbeTarget = { kind: 'pod', input: 'pod/app-1:8443', name: 'app-1', port: 8443, namespace: 'apps' };

beforeAll(async () => {
  const leaf = pki.leaf({ cn: 'app.apps.svc.cluster.local', dns: ['app.apps.svc.cluster.local'] });
  tlsServer = await startTlsServer({ key: leaf.key.keyPem, cert: pem(leaf, pki.int) });
  echo = await startRawServer((s) => s.pipe(s));
  http = await startRawServer((s) => s.once('data', () => s.end('HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\n\r\n')));
  closedPort = await freePort();
  api = await startFakeApiServer({}, (ns, pod, port) => {
    if (pod === 'forbidden') return { status: 403, message: 'pods "forbidden" is forbidden: User "tester" cannot create resource "pods/portforward" in API group "" in the namespace "apps"' };
    if (pod === 'pending') return { status: 400, message: `pod ${pod} does not have a host assigned` };
    if (pod === 'echo') return { to: echo.port };
    if (pod === 'http') return { to: http.port };
    if (pod === 'closed') return { to: closedPort };
    return { to: port === 8443 ? tlsServer.port : closedPort };
  });
  kc = new KubeConfig();
  kc.loadFromFile(api.kubeconfig('apps'));
});
afterAll(async () => {
  await Promise.all([api.close(), tlsServer.close(), echo.close(), http.close()]);
});

describe('openPortForward', () => {
  it('carries bytes both ways over the v4.channel.k8s.io data channel, with the credentials and path of a real port-forward', async () => {
    const pf = await openPortForward(kc, { namespace: 'apps', pod: 'echo', port: 7000 }, AbortSignal.timeout(5000));
    expect(pf.protocol).toBe('v4.channel.k8s.io');
    const payload = Buffer.alloc(200_000, 7);
    payload.write('hello through the API server');
    const got: Buffer[] = [];
    let total = 0;
    const done = new Promise<void>((resolve) => {
      pf.stream.on('data', (d: Buffer) => {
        got.push(d);
        total += d.length;
        if (total >= payload.length) resolve();
      });
    });
    pf.stream.write(payload);
    await done;
    expect(Buffer.concat(got).equals(payload)).toBe(true);
    expect(pf.failure()).toBeNull();
    pf.stream.destroy();
    const upgrade = api.requests.find((r) => r.method === 'UPGRADE' && r.path.includes('/pods/echo/'))!;
    expect(upgrade.path).toBe('/api/v1/namespaces/apps/pods/echo/portforward?ports=7000');
    expect(upgrade.auth).toBe('Bearer gwtls-test-token');
    expect(upgrade.protocols!.split(/,\s*/)).toEqual(PORT_FORWARD_PROTOCOLS);
  });

  it('says why the API server refused the upgrade (403: RBAC for pods/portforward)', async () => {
    const err = await openPortForward(kc, { namespace: 'apps', pod: 'forbidden', port: 8443 }, AbortSignal.timeout(5000)).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PortForwardError);
    const e = err as PortForwardError;
    expect(e.status).toBe(403);
    expect(e.code).toBe('EPORTFORWARD');
    expect(e.summary).toContain('port-forward to pod apps/forbidden is forbidden (403): pods "forbidden" is forbidden');
    expect(e.explanation).toContain('create" on pods/portforward');
  });

  it('400 from the API server: the pod is not running on a node', async () => {
    const e = (await openPortForward(kc, { namespace: 'apps', pod: 'pending', port: 8443 }, AbortSignal.timeout(5000)).catch((x: unknown) => x)) as PortForwardError;
    expect(e.status).toBe(400);
    expect(e.summary).toBe('the API server cannot port-forward to pod apps/pending: pod pending does not have a host assigned');
  });
});

describe('probe through port-forward', () => {
  it('completes a TLS handshake with the pod and reads the chain as served', async () => {
    const r = await probe(target, { sni: 'app.apps.svc.cluster.local', ca: pki.root.pem, caLabel: 'root.pem', connector: portForwardConnector(kc, { namespace: 'apps', pod: 'app-1', port: 8443 }), timeoutMs: 5000 });
    expect(r.connection).toMatchObject({ ok: true, phase: 'done', error: null, notTls: null });
    expect(r.connection.protocol).toBe('TLSv1.3');
    expect(typeof r.connection.tcpMs).toBe('number');
    expect(r.target).toMatchObject({ input: 'pod/app-1:8443', host: 'app-1', port: 8443, sni: 'app.apps.svc.cluster.local', address: 'pod/apps/app-1', addressPort: 8443 });
    expect(r.chain.map((c) => c.subject)).toEqual(['CN=app.apps.svc.cluster.local', 'O=gwtls tests, CN=Pf Intermediate CA']);
    expect(r.verification).toMatchObject({ trusted: true, hostnameMatches: true, trustStore: 'ca-file root.pem' });
    expect(r.ok).toBe(true);
  });

  it('connection refused inside the pod (the kubelet error channel) is a connect failure, and GWTLS-BPRB-006 for a backend', async () => {
    const r = await probe(target, { connector: portForwardConnector(kc, { namespace: 'apps', pod: 'closed', port: 8443 }), timeoutMs: 5000 });
    expect(r.connection.phase).toBe('connect');
    expect(r.connection.error).toMatchObject({ code: 'ECONNREFUSED', summary: 'connection refused inside pod apps/closed: nothing listens on port 8443' });
    expect(r.connection.error!.message).toContain('dial tcp4 127.0.0.1:8443: connect: connection refused');
    expect(r.connection.error!.explanation).toContain("the Service's targetPort");
    r.backend = { kind: 'pod', namespace: 'apps', name: 'closed', pod: 'closed', targetPort: 8443, resolvedBy: 'pod apps/closed port 8443', via: 'port-forward' };
    applyBackendFindings(r, backendFindings(r, decodeServed(r, new Date()), 'pod/apps/closed:8443', new Date()));
    expect(r.findings.map((f) => f.code)).toEqual(['GWTLS-BPRB-006']);
    expect(r.findings[0]!.message).toMatch(/^Connection refused inside pod apps\/closed: nothing listens on port 8443\./);
    expect(r.ok).toBe(false);
  });

  it('a plaintext HTTP backend behind the port-forward is recognised', async () => {
    const r = await probe(target, { sni: 'app.apps.svc.cluster.local', connector: portForwardConnector(kc, { namespace: 'apps', pod: 'http', port: 8080 }), timeoutMs: 5000, noFollowUps: true });
    expect(r.connection.phase).toBe('handshake');
    expect(r.connection.notTls).toMatchObject({ protocol: 'http', name: 'plain HTTP' });
    expect(r.connection.notTls!.banner).toMatch(/^HTTP\/1\.1 400 Bad Request/);
  });

  it('a refused upgrade is a connect failure with the API server\'s words', async () => {
    const r = await probe(target, { connector: portForwardConnector(kc, { namespace: 'apps', pod: 'forbidden', port: 8443 }), timeoutMs: 5000 });
    expect(r.connection.phase).toBe('connect');
    expect(r.connection.error!.code).toBe('EPORTFORWARD');
    expect(r.connection.error!.summary).toMatch(/^port-forward to pod apps\/forbidden is forbidden \(403\)/);
    expect(r.target.address).toBe('pod/apps/forbidden');
  });

  it('ends within the timeout when the API server never answers the upgrade', async () => {
    const silent = await startRawServer(() => undefined);
    const k = new KubeConfig();
    k.loadFromOptions({ clusters: [{ name: 'c', server: `https://127.0.0.1:${silent.port}`, skipTLSVerify: true }], users: [{ name: 'u', token: 't' }], contexts: [{ name: 'x', cluster: 'c', user: 'u' }], currentContext: 'x' });
    const t0 = performance.now();
    const r = await probe(target, { connector: portForwardConnector(k, { namespace: 'apps', pod: 'app-1', port: 8443 }), timeoutMs: 800 });
    expect(performance.now() - t0).toBeLessThan(2500);
    expect(r.connection.phase).toBe('connect');
    expect(r.connection.error!.code).toBe('TIMEOUT_CONNECT');
    await silent.close();
  });
});
