// `kubectl gwtls probe svc/NAME:PORT` / `pod/NAME:PORT`: the built CLI resolves the Service port to a ready
// endpoint and its target port, opens the API server's port-forward and judges the backend as the gateway would
// (BackendTLSPolicy CA and names). The API server here is a local HTTPS server answering the few reads and the
// port-forward WebSocket (test/unit/probe/apiserver.ts); the TLS and plaintext backends are real servers.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.ts';
import { probeContractProblems } from '../helpers/probe-schema.ts';
import { makeCert, makePki, pem } from '../helpers/tls-certs.ts';
import { startRawServer, startTlsServer, type Running } from '../helpers/tls-servers.ts';
import { startFakeApiServer, type FakeApiServer } from '../unit/probe/apiserver.ts';

const pki = makePki('rsa', 'Backend');
const otherCa = makeCert({ cn: [['O', 'gwtls tests'], ['CN', 'Unrelated CA']], ca: true });
let api: FakeApiServer;
let kubeconfig: string;
let tlsServer: Running;
let plain: Running;

interface Variant {
  hostname?: string;
  sans?: Array<{ type: string; hostname?: string; uri?: string }>;
  ca?: string;
  ready?: boolean;
  policy?: boolean;
}

function namespaceObjects(ns: string, v: Variant): Record<string, unknown> {
  const svc = { apiVersion: 'v1', kind: 'Service', metadata: { name: 'app', namespace: ns }, spec: { selector: { app: 'app' }, ports: [{ name: 'https', port: 8443, targetPort: 'https', protocol: 'TCP' }] } };
  const pod = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'app-1', namespace: ns, labels: { app: 'app' } },
    spec: { nodeName: 'node-1', containers: [{ name: 'app', image: 'app:1', ports: [{ name: 'https', containerPort: 9443, protocol: 'TCP' }] }] },
    status: { phase: 'Running', podIP: '10.0.0.5', conditions: [{ type: 'Ready', status: v.ready === false ? 'False' : 'True' }] },
  };
  const slice = {
    apiVersion: 'discovery.k8s.io/v1',
    kind: 'EndpointSlice',
    metadata: { name: 'app-x1', namespace: ns, labels: { 'kubernetes.io/service-name': 'app' } },
    addressType: 'IPv4',
    ports: [{ name: 'https', port: 9443, protocol: 'TCP' }],
    endpoints: [{ addresses: ['10.0.0.5'], conditions: { ready: v.ready !== false }, targetRef: { kind: 'Pod', name: 'app-1', namespace: ns } }],
  };
  const policy = {
    apiVersion: 'gateway.networking.k8s.io/v1',
    kind: 'BackendTLSPolicy',
    metadata: { name: 'app-tls', namespace: ns },
    spec: {
      targetRefs: [{ group: '', kind: 'Service', name: 'app', sectionName: 'https' }],
      validation: { hostname: v.hostname ?? 'app.apps.svc.cluster.local', caCertificateRefs: [{ group: '', kind: 'ConfigMap', name: 'app-ca' }], ...(v.sans ? { subjectAltNames: v.sans } : {}) },
    },
  };
  const p = `/api/v1/namespaces/${ns}`;
  return {
    [`${p}/services/app`]: svc,
    [`${p}/pods`]: { kind: 'PodList', apiVersion: 'v1', metadata: {}, items: [pod] },
    [`${p}/pods/app-1`]: pod,
    [`/apis/discovery.k8s.io/v1/namespaces/${ns}/endpointslices`]: { kind: 'EndpointSliceList', apiVersion: 'discovery.k8s.io/v1', metadata: {}, items: [slice] },
    [`/apis/gateway.networking.k8s.io/v1/namespaces/${ns}/backendtlspolicies`]: { kind: 'BackendTLSPolicyList', apiVersion: 'gateway.networking.k8s.io/v1', metadata: {}, items: v.policy === false ? [] : [policy] },
    [`${p}/configmaps/app-ca`]: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'app-ca', namespace: ns }, data: { 'ca.crt': v.ca ?? pki.root.pem } },
  };
}

beforeAll(async () => {
  const leaf = pki.leaf({ cn: 'app.apps.svc.cluster.local', dns: ['app.apps.svc.cluster.local', 'app.apps.svc'] });
  tlsServer = await startTlsServer({ key: leaf.key.keyPem, cert: pem(leaf, pki.int) });
  plain = await startRawServer((s) => s.once('data', () => s.end('HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\n\r\n')));
  api = await startFakeApiServer(
    {
      ...namespaceObjects('apps', {}),
      ...namespaceObjects('wrongca', { ca: otherCa.pem }),
      ...namespaceObjects('badname', { hostname: 'app.internal.example' }),
      ...namespaceObjects('sans', { hostname: 'app.internal.example', sans: [{ type: 'Hostname', hostname: 'app.apps.svc' }] }),
      ...namespaceObjects('plain', {}),
      ...namespaceObjects('nopolicy', { policy: false }),
      ...namespaceObjects('noready', { ready: false }),
    },
    (ns, _pod, port) => (port !== 9443 ? { to: 1 } : ns === 'plain' ? { to: plain.port } : { to: tlsServer.port }),
  );
  kubeconfig = api.kubeconfig('apps');
});
afterAll(async () => {
  await Promise.all([api.close(), tlsServer.close(), plain.close()]);
});

async function json(args: string[]) {
  const r = await runCli(['probe', ...args, '--kubeconfig', kubeconfig, '-o', 'json']);
  const report = JSON.parse(r.stdout) as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
  // Every report these tests see keeps the contract (backend and gatewayView included).
  expect(probeContractProblems(report)).toEqual([]);
  return { ...r, report };
}

describe('probe svc/NAME:PORT through the API server port-forward', () => {
  it('resolves the Service port to a ready endpoint and its named target port, sends the policy hostname as SNI, and the gateway would accept the backend', async () => {
    const { code, stderr, report: r } = await json(['svc/app:8443']);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(r.backend).toEqual({ kind: 'service', namespace: 'apps', name: 'app', servicePort: 8443, portName: 'https', pod: 'app-1', targetPort: 9443, resolvedBy: 'ready endpoint app-1 of Service apps/app port https (8443) -> container port 9443', via: 'port-forward' });
    expect(r.target).toMatchObject({ input: 'svc/app:8443', sni: 'app.apps.svc.cluster.local', address: 'pod/apps/app-1', addressPort: 9443 });
    expect(r.connection).toMatchObject({ ok: true, phase: 'done', error: null });
    expect(r.chain[0].subject).toBe('CN=app.apps.svc.cluster.local');
    // The system-store view: a private CA, not trusted by ordinary clients.
    expect(r.verification).toMatchObject({ trusted: false, hostnameMatches: true, trustStore: 'system' });
    expect(r.gatewayView).toEqual({
      policy: { namespace: 'apps', name: 'app-tls', hostname: 'app.apps.svc.cluster.local', subjectAltNames: [], trust: ['ConfigMap apps/app-ca'], problems: [] },
      sni: 'app.apps.svc.cluster.local',
      trusted: true,
      anchor: 'O=gwtls tests, CN=Backend Root CA',
      nameMatches: true,
      namesChecked: ['app.apps.svc.cluster.local'],
      valid: true,
      verdict: 'pass',
      why: 'the gateway would accept this backend: the chain leads to CN=Backend Root CA (ConfigMap apps/app-ca) and the certificate carries app.apps.svc.cluster.local',
    });
    expect(r.findings.map((f: { code: string; severity: string }) => `${f.code} ${f.severity}`)).toEqual(['GWTLS-BPRB-001 info']);
    expect(r.summary).toEqual({ errors: 0, warnings: 0, info: 1 });
    expect(r.ok).toBe(true);
    expect(r.cluster).toBeUndefined();
    const upgrade = api.requests.filter((q) => q.method === 'UPGRADE').map((q) => q.path);
    expect(upgrade).toContain('/api/v1/namespaces/apps/pods/app-1/portforward?ports=9443');
  });

  it('the port by name (svc/app:https) resolves the same way', async () => {
    const { code, report: r } = await json(['svc/app:https']);
    expect(code).toBe(0);
    expect(r.backend).toMatchObject({ servicePort: 8443, portName: 'https', targetPort: 9443 });
  });

  it('CA the backend chain does not lead to: GWTLS-BPRB-003, exit 1', async () => {
    const { code, report: r } = await json(['svc/app:8443', '-n', 'wrongca']);
    expect(code).toBe(1);
    expect(r.gatewayView).toMatchObject({ verdict: 'fail', trusted: false, nameMatches: true, anchor: null });
    expect(r.gatewayView.why).toBe('the gateway would reject this backend: the chain does not lead to ConfigMap wrongca/app-ca');
    const f = r.findings.find((x: { code: string }) => x.code === 'GWTLS-BPRB-003');
    expect(f).toMatchObject({ severity: 'error', object: { kind: 'Endpoint', name: 'svc/wrongca/app:8443' }, docs: 'docs/rules/GWTLS-BPRB-003.md' });
    expect(f.message).toContain('does not lead to ConfigMap wrongca/app-ca');
    expect(r.ok).toBe(false);
  });

  it('a hostname the certificate does not carry: GWTLS-BPRB-002 (and it is the SNI sent)', async () => {
    const { code, report: r } = await json(['svc/app:8443', '-n', 'badname']);
    expect(code).toBe(1);
    expect(r.target.sni).toBe('app.internal.example');
    expect(r.gatewayView).toMatchObject({ verdict: 'fail', trusted: true, nameMatches: false, namesChecked: ['app.internal.example'] });
    expect(r.findings.map((f: { code: string }) => f.code)).toEqual(['GWTLS-BPRB-001', 'GWTLS-BPRB-002']);
  });

  it('subjectAltNames take precedence over the hostname', async () => {
    const { code, report: r } = await json(['svc/app:8443', '-n', 'sans']);
    expect(code).toBe(0);
    expect(r.target.sni).toBe('app.internal.example');
    expect(r.gatewayView).toMatchObject({ verdict: 'pass', nameMatches: true, namesChecked: ['app.apps.svc'] });
    expect(r.gatewayView.policy.subjectAltNames).toEqual(['Hostname app.apps.svc']);
  });

  it('a plaintext backend while the policy makes the gateway open TLS: GWTLS-BPRB-001 as an error', async () => {
    const { code, report: r } = await json(['svc/app:8443', '-n', 'plain']);
    expect(code).toBe(1);
    expect(r.connection.notTls).toMatchObject({ protocol: 'http', name: 'plain HTTP' });
    expect(r.gatewayView).toMatchObject({ verdict: 'fail', trusted: null, nameMatches: null });
    const f = r.findings.find((x: { code: string }) => x.code === 'GWTLS-BPRB-001');
    expect(f.severity).toBe('error');
    expect(f.message).toContain('BackendTLSPolicy plain/app-tls makes the gateway open TLS to it: every connection fails');
    expect(r.findings.map((x: { code: string }) => x.code)).not.toContain('GWTLS-PRB-003');
  });

  it('no BackendTLSPolicy: SNI is the Service DNS name, and a TLS backend gets a warning (a gateway would send plaintext)', async () => {
    const { code, report: r } = await json(['svc/app:8443', '-n', 'nopolicy']);
    expect(code).toBe(0);
    expect(r.target.sni).toBe('app.nopolicy.svc.cluster.local');
    expect(r.gatewayView).toMatchObject({ policy: null, verdict: 'fail' });
    expect(r.findings).toHaveLength(1);
    expect(r.findings[0]).toMatchObject({ code: 'GWTLS-BPRB-001', severity: 'warning' });
  });

  it('no ready endpoint: said in words, exit 1, no port-forward attempted', async () => {
    const before = api.requests.filter((q) => q.method === 'UPGRADE').length;
    const { code, report: r } = await json(['svc/app:8443', '-n', 'noready']);
    expect(code).toBe(1);
    expect(r.connection).toMatchObject({ ok: false, phase: 'target' });
    expect(r.connection.error).toMatchObject({ code: 'ENOENDPOINT', summary: 'Service noready/app port https (8443) has no ready endpoint (1 not ready)' });
    expect(api.requests.filter((q) => q.method === 'UPGRADE').length).toBe(before);
  });

  it('a Service that does not exist: exit 2 with the reason', async () => {
    const r = await runCli(['probe', 'svc/nope:443', '--kubeconfig', kubeconfig]);
    expect(r.code).toBe(2);
    expect(r.stdout).toContain('result      ERROR: Service apps/nope not found');
    expect(r.stderr).toBe('error: svc/nope:443: Service apps/nope not found\n');
  });

  it('pod/NAME:PORT goes straight to the pod; no BackendTLSPolicy applies to a bare pod', async () => {
    const { code, report: r } = await json(['pod/app-1:https']);
    expect(code).toBe(0);
    expect(r.backend).toEqual({ kind: 'pod', namespace: 'apps', name: 'app-1', pod: 'app-1', targetPort: 9443, resolvedBy: 'pod apps/app-1 port 9443', via: 'port-forward' });
    expect(r.gatewayView).toBeNull();
    expect(r.target.sni).toBeNull();
    expect(r.findings.map((f: { code: string; severity: string }) => `${f.code} ${f.severity}`)).toEqual(['GWTLS-BPRB-001 info']);
  });

  it('text: the port-forward, the policy and the gateway view in words, within 80 columns', async () => {
    const r = await runCli(['probe', 'svc/app:8443', '-n', 'wrongca', '--kubeconfig', kubeconfig]);
    expect(r.code).toBe(1);
    const flat = r.stdout.replace(/\s+/g, ' ');
    expect(flat).toContain('probe svc/wrongca/app:8443 (SNI app.apps.svc.cluster.local)');
    expect(flat).toContain('result FAILED: handshake complete, but the gateway would reject this backend');
    expect(flat).toContain("via the API server's port-forward: ready endpoint app-1 of Service wrongca/app port https (8443) -> container port 9443");
    expect(flat).toContain('policy BackendTLSPolicy wrongca/app-tls: SNI app.apps.svc.cluster.local, verifies app.apps.svc.cluster.local against ConfigMap wrongca/app-ca');
    expect(flat).toContain('gateway would REJECT it: the chain does not lead to ConfigMap wrongca/app-ca');
    expect(flat).toContain('ERROR GWTLS-BPRB-003');
    for (const line of r.stdout.split('\n')) expect(line.length, line).toBeLessThanOrEqual(80);
  });

  it('without a kubeconfig a backend target is a usage error', async () => {
    const r = await runCli(['probe', 'svc/app:8443'], { env: { KUBECONFIG: '/nonexistent/kubeconfig', HOME: '/nonexistent' } });
    expect(r.code).toBe(2);
    expect(r.stderr).toBe("error: svc/app:8443: a backend is reached through the API server's port-forward, which needs a cluster: none of the KUBECONFIG files exists (/nonexistent/kubeconfig)\n");
  });
});
