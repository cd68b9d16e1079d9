// `kubectl gwtls inspect` against a real kube-apiserver with the upstream CRDs: each seed scenario applied
// through the API with the status a controller would write, then the real plugin run through kubectl's plugin
// discovery, and the report checked field by field.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deleteNamespace, e2eEnv, restClient, runPlugin, skipE2e, type KubeObject } from './harness/kube.ts';
import { applyScenario, cond, endpointSlice, loadFixture } from './scenario.ts';
import * as yaml from 'js-yaml';

const env = e2eEnv();
const skip = skipE2e(env);
const NOW = { GWTLS_NOW: '2026-11-22T00:00:00Z', NO_COLOR: '1' };
const suffix = Date.now().toString(36);

interface Report {
  source: { type: string; requests?: number; kinds?: Record<string, string> };
  gateways: Array<{
    name: string;
    implementation: string;
    addresses: Array<{ value: string }>;
    conditions: Array<{ type: string; status: string }>;
    listeners: Array<{
      name: string;
      tls: { certificateRefs?: Array<{ name: string; state: string }>; certificates: Array<{ subject: string }> } | null;
      routes: Array<{ kind: string; name: string; attached: boolean; reason?: string; conditions: Array<{ type: string; status: string; reason?: string }>; backends: Array<{ name: string; endpoints: { ready: number; total: number } | null; pods: Array<{ name: string; ready: boolean | null; node?: string; ip?: string }>; tls: { mode: string; verified: boolean | null; by: string } }> }>;
      path: Array<{ hop: string; tls: string; certificate: string | null; verified: boolean | null; ok: boolean | null; why: string }>;
    }>;
  }>;
  findings: Array<{ code: string; severity: string; object: { kind: string; name: string; namespace?: string }; fixes: Array<{ type: string; yaml: string; title: string }> }>;
  skipped: Array<{ what: string; reason: string; detail: string }>;
  summary: { errors: number; warnings: number; info: number };
}

async function inspect(args: string[], context?: string): Promise<{ code: number; report: Report; stderr: string }> {
  const r = await runPlugin(['inspect', ...args, '-o', 'json'], { env: NOW, ...(context ? { context } : {}) });
  expect(r.stderr).not.toMatch(/^\s+at /m);
  return { code: r.code, report: JSON.parse(r.stdout) as Report, stderr: r.stderr };
}

const fixesSeen: Array<{ code: string; yaml: string }> = [];
function collectFixes(report: Report): void {
  for (const f of report.findings) for (const x of f.fixes) if (x.type === 'fix') fixesSeen.push({ code: f.code, yaml: x.yaml });
}

describe.skipIf(skip)('inspect on a live control plane', () => {
  const calico = `calico-${suffix}`;
  const apps = `apps-${suffix}`;

  beforeAll(async () => {
    // Seed (c), as written: TCPRoute behind an HTTPS listener, CN-only certificate that expired 2026-08-04.
    const c = loadFixture('seeds/c-calico-tls-termination/as-written.yaml', calico);
    const pod = { name: 'backend-ssl-offload-74bdbf5d5f-qh227', ip: '10.48.0.12', node: 'worker1', ready: true };
    await applyScenario([...c, endpointSlice(calico, 'backend-ssl-offload', 'http', 3000, [pod])], {
      'GatewayClass/tigera-gateway-class': { conditions: [cond('Accepted', 'True', 'Accepted')] },
      'Gateway/ssl-offload-gateway': {
        addresses: [{ type: 'IPAddress', value: '10.10.10.22' }],
        conditions: [cond('Accepted', 'True', 'Accepted'), cond('Programmed', 'True', 'Programmed')],
        listeners: [
          { name: 'http', attachedRoutes: 1, supportedKinds: [{ group: 'gateway.networking.k8s.io', kind: 'HTTPRoute' }, { group: 'gateway.networking.k8s.io', kind: 'GRPCRoute' }], conditions: [cond('Accepted', 'True', 'Accepted'), cond('Programmed', 'True', 'Programmed'), cond('ResolvedRefs', 'True', 'ResolvedRefs')] },
          { name: 'https', attachedRoutes: 1, supportedKinds: [{ group: 'gateway.networking.k8s.io', kind: 'HTTPRoute' }, { group: 'gateway.networking.k8s.io', kind: 'GRPCRoute' }], conditions: [cond('Accepted', 'True', 'Accepted'), cond('Programmed', 'True', 'Programmed'), cond('ResolvedRefs', 'True', 'ResolvedRefs')] },
        ],
      },
      'HTTPRoute/backend-ssl-offload': {
        parents: [{ parentRef: { group: 'gateway.networking.k8s.io', kind: 'Gateway', name: 'ssl-offload-gateway' }, controllerName: 'gateway.envoyproxy.io/gatewayclass-controller', conditions: [cond('Accepted', 'True', 'Accepted'), cond('ResolvedRefs', 'True', 'ResolvedRefs')] }],
      },
      'TCPRoute/backend-ssl-offload': {
        parents: [
          {
            parentRef: { group: 'gateway.networking.k8s.io', kind: 'Gateway', name: 'ssl-offload-gateway' },
            controllerName: 'gateway.envoyproxy.io/gatewayclass-controller',
            conditions: [cond('Accepted', 'False', 'NotAllowedByListeners', 'No listeners included by this parent ref allowed this attachment.'), cond('ResolvedRefs', 'True', 'ResolvedRefs')],
          },
        ],
      },
    });
    // Seed (b): BackendTLSPolicy v1 verifying a self-signed backend against its own certificate.
    const b = loadFixture('seeds/b-backend-tls/policy-v1.yaml', apps, { apps });
    await applyScenario([...b, endpointSlice(apps, 'app', 'https', 8443, [{ name: 'app-7d9c5b7f6-x2k4p', ip: '10.244.1.7', node: 'node-1', ready: true }])], {
      'GatewayClass/eg': { conditions: [cond('Accepted', 'True', 'Accepted')] },
      'Gateway/edge': { addresses: [{ type: 'IPAddress', value: '172.18.0.10' }], conditions: [cond('Accepted', 'True', 'Accepted'), cond('Programmed', 'True', 'Programmed')] },
      'HTTPRoute/app': { parents: [{ parentRef: { group: 'gateway.networking.k8s.io', kind: 'Gateway', name: 'edge', sectionName: 'https' }, controllerName: 'gateway.envoyproxy.io/gatewayclass-controller', conditions: [cond('Accepted', 'True', 'Accepted'), cond('ResolvedRefs', 'True', 'ResolvedRefs')] }] },
      'BackendTLSPolicy/app-upstream-tls': { ancestors: [{ ancestorRef: { group: 'gateway.networking.k8s.io', kind: 'Gateway', name: 'edge', namespace: apps }, controllerName: 'gateway.envoyproxy.io/gatewayclass-controller', conditions: [cond('Accepted', 'True', 'Accepted'), cond('ResolvedRefs', 'True', 'ResolvedRefs')] }] },
    });
    // Seed (a), corrected for LBC v3.5 and Gateway API v1.6 (namespaces db and lb-config are in the fixture).
    await applyScenario(loadFixture('seeds/a-nlb-acm/corrected.yaml', 'db'));
  });

  afterAll(async () => {
    for (const ns of [calico, apps, 'db', 'lb-config']) await deleteNamespace(ns);
  });

  it('seed (c): finds the TCPRoute that cannot attach to the HTTPS listener, from live objects and status', async () => {
    const { code, report } = await inspect(['ssl-offload-gateway', '-n', calico]);
    collectFixes(report);
    expect(code).toBe(1);
    expect(report.source.type).toBe('cluster');
    const gw = report.gateways[0]!;
    expect(gw.implementation).toBe('Calico Ingress Gateway (Envoy Gateway)');
    expect(gw.addresses).toEqual([{ type: 'IPAddress', value: '10.10.10.22' }]);
    const https = gw.listeners.find((l) => l.name === 'https')!;
    const tcp = https.routes.find((r) => r.kind === 'TCPRoute')!;
    expect(tcp).toMatchObject({ name: 'backend-ssl-offload', attached: false, reason: 'NotAllowedByListeners' });
    expect(tcp.conditions).toContainEqual(expect.objectContaining({ type: 'Accepted', status: 'False', reason: 'NotAllowedByListeners' }));
    expect(https.path[0]).toMatchObject({ hop: 'client->gateway', tls: 'terminate', ok: false });
    expect(https.path[0]!.why).toMatch(/expired on 2026-08-04/);
    const http = gw.listeners.find((l) => l.name === 'http')!;
    const backend = http.routes.find((r) => r.kind === 'HTTPRoute')!.backends[0]!;
    expect(backend).toMatchObject({ name: 'backend-ssl-offload', endpoints: { ready: 1, total: 1 }, tls: { mode: 'none' } });
    expect(backend.pods).toEqual([{ name: 'backend-ssl-offload-74bdbf5d5f-qh227', namespace: calico, ready: true, node: 'worker1', ip: '10.48.0.12', phase: 'Running' }]);
    const codes = report.findings.map((f) => f.code);
    expect(codes).toEqual(expect.arrayContaining(['GWTLS-RT-003', 'GWTLS-CERT-001', 'GWTLS-CERT-006']));
    expect(report.findings.find((f) => f.code === 'GWTLS-RT-003')!.fixes.filter((f) => f.type === 'fix')).toHaveLength(1);
    // A handful of LISTs, whatever the size of the cluster.
    expect(report.source.requests).toBeLessThanOrEqual(30);
  });

  it('seed (b): the gateway originates TLS to the backend and verifies it with the BackendTLSPolicy', async () => {
    const { code, report } = await inspect(['edge', '-n', apps]);
    collectFixes(report);
    const l = report.gateways[0]!.listeners[0]!;
    const hop = l.path.find((h) => h.hop === 'gateway->backend')!;
    expect(hop).toMatchObject({ tls: 'originate', verified: true, ok: true });
    expect(l.routes[0]!.backends[0]!.tls).toMatchObject({ mode: 'tls', verified: true, by: `BackendTLSPolicy ${apps}/app-upstream-tls` });
    expect(report.summary.errors).toBe(0);
    expect(code).toBe(0);
  });

  it('seed (a) corrected: TLS terminates at the NLB with the ACM certificate, and the NLB re-encrypts without verifying', async () => {
    const { report } = await inspect(['pg-gw', '-n', 'db']);
    collectFixes(report);
    const gw = report.gateways[0]!;
    expect(gw.implementation).toBe('AWS Load Balancer Controller (NLB)');
    const l = gw.listeners[0]!;
    expect(l.path[0]).toMatchObject({ hop: 'client->lb', tls: 'terminate', certificate: 'arn:aws:acm:eu-west-1:111122223333:certificate/11111111-2222-3333-4444-555555555555', ok: true });
    expect(l.path[1]).toMatchObject({ hop: 'lb->backend', tls: 'originate', verified: false, ok: true });
    const backend = l.routes[0]!.backends[0]!;
    expect(backend.endpoints).toEqual({ ready: 2, total: 2 });
    expect(backend.pods.map((p) => p.name).sort()).toEqual(['pg-0', 'pg-1']);
    expect(report.summary.errors).toBe(0);
    expect(report.source.kinds).toMatchObject({ TCPRoute: 'v1', LoadBalancerConfiguration: 'v1', TargetGroupConfiguration: 'v1' });
  });

  it('partial access: without Secret access, certificates are unreadable and skipped names secrets with the RBAC verb', async () => {
    if (!env.restrictedContext) return console.warn('no restricted context on this cluster; partial-access check skipped');
    const { code, report } = await inspect(['ssl-offload-gateway', '-n', calico], env.restrictedContext);
    const https = report.gateways[0]!.listeners.find((l) => l.name === 'https')!;
    expect(https.tls!.certificateRefs).toEqual([expect.objectContaining({ name: 'example-cert', state: 'unknown' })]);
    expect(https.path[0]).toMatchObject({ tls: 'terminate', ok: null });
    const secrets = report.skipped.find((s) => s.what === 'secrets')!;
    expect(secrets).toMatchObject({ reason: 'forbidden' });
    expect(secrets.detail).toMatch(/cannot list resource "secrets".*needs "list" on secrets/);
    expect(report.findings.map((f) => f.code)).not.toContain('GWTLS-CERT-001');
    expect(code).toBe(1); // GWTLS-RT-003 does not need Secrets
  });

  it('every fix the tool generated passes a server-side dry run on this server', async () => {
    expect(fixesSeen.length).toBeGreaterThan(0);
    const client = restClient();
    for (const fix of fixesSeen) {
      for (const doc of yaml.loadAll(fix.yaml) as KubeObject[]) {
        const path = await client.objectPath({ apiVersion: doc.apiVersion, kind: doc.kind, name: doc.metadata.name, namespace: doc.metadata.namespace });
        const res = await client.request('PATCH', `${path}?fieldManager=kubectl-gwtls&force=true&dryRun=All`, { body: doc, contentType: 'application/apply-patch+yaml' });
        expect(res.status, `${fix.code} ${doc.kind} ${doc.metadata.name}: ${res.text}`).toBeLessThan(300);
      }
    }
  });

  it('--apply refuses to change the cluster without a terminal or --yes, after showing the dry run', async () => {
    const r = await runPlugin(['inspect', 'ssl-offload-gateway', '-n', calico, '--apply'], { env: NOW });
    expect(r.code).toBe(2);
    expect(r.stdout).toMatch(/Fix plan, with the server-side dry run against/);
    expect(r.stderr.trim()).toBe('error: refusing to change the cluster without confirmation: run in a terminal to be asked, or pass --yes');
    const gw = await restClient().get<{ spec: { listeners: Array<{ name: string; protocol: string }> } }>({ apiVersion: 'gateway.networking.k8s.io/v1', kind: 'Gateway', name: 'ssl-offload-gateway', namespace: calico });
    expect(gw.spec.listeners.find((l) => l.name === 'https')!.protocol).toBe('HTTPS');
  });

  it('--apply --yes applies the RT-003 fix with field manager kubectl-gwtls, and the path is re-evaluated', async () => {
    const r = await runPlugin(['inspect', 'ssl-offload-gateway', '-n', calico, '--apply', '--yes'], { env: NOW });
    expect(r.stdout).toMatch(/Fix plan, with the server-side dry run against/);
    expect(r.stdout).toMatch(/-\s+protocol: HTTPS\n\s+\+\s+protocol: TLS/);
    expect(r.stdout).toContain(`applied Gateway ${calico}/ssl-offload-gateway`);
    const after = await inspect(['ssl-offload-gateway', '-n', calico]);
    expect(after.report.findings.map((f) => f.code)).not.toContain('GWTLS-RT-003');
    const gw = await restClient().get<{ spec: { listeners: Array<{ name: string; protocol: string }> }; metadata: { managedFields: Array<{ manager: string }> } }>({ apiVersion: 'gateway.networking.k8s.io/v1', kind: 'Gateway', name: 'ssl-offload-gateway', namespace: calico });
    expect(gw.spec.listeners.find((l) => l.name === 'https')!.protocol).toBe('TLS');
    expect(gw.metadata.managedFields.map((m) => m.manager)).toContain('kubectl-gwtls');
  });

  it('rejected credentials (401) end in one line naming the server and context, exit 2', async () => {
    const text = readFileSync(env.kubeconfig, 'utf8');
    if (!/token: \S+/.test(text)) return console.warn('the e2e kubeconfig uses no bearer tokens; the 401 check needs one and is skipped');
    const bad = join(mkdtempSync(join(tmpdir(), 'gwtls-401-')), 'kubeconfig');
    writeFileSync(bad, text.replace(/token: \S+/g, 'token: not-a-valid-token'), { mode: 0o600 });
    const r = await runPlugin(['inspect', '-A'], { kubeconfig: bad, env: NOW });
    expect(r.code).toBe(2);
    expect(r.stderr.trim()).toMatch(/^error: the API server https:\/\/\S+ \(context \S+\) rejected the credentials \(401 Unauthorized\)/);
    expect(r.stderr).not.toMatch(/^\s+at /m);
  });

  it('gets credentials from an exec plugin, and merges several KUBECONFIG files, as kubectl does', async () => {
    const text = readFileSync(env.kubeconfig, 'utf8');
    const kc = yaml.load(text) as { clusters: unknown[]; users: Array<{ name: string; user: { token?: string } }>; contexts: Array<{ name: string; context: { user: string } }>; 'current-context': string };
    const ctx = kc.contexts.find((c) => c.name === env.adminContext)!;
    const token = kc.users.find((u) => u.name === ctx.context.user)?.user.token;
    if (!token) return console.warn('the e2e kubeconfig has no bearer token for the admin context; the exec-plugin check is skipped');
    const dir = mkdtempSync(join(tmpdir(), 'gwtls-exec-'));
    const plugin = join(dir, 'credential-plugin');
    writeFileSync(plugin, `#!/bin/sh\necho '{"apiVersion":"client.authentication.k8s.io/v1","kind":"ExecCredential","status":{"token":"${token}"}}'\n`, { mode: 0o755 });
    // File one: the cluster and an exec user; file two: the context that joins them.
    writeFileSync(join(dir, 'clusters'), yaml.dump({ apiVersion: 'v1', kind: 'Config', clusters: kc.clusters, users: [{ name: 'exec-user', user: { exec: { apiVersion: 'client.authentication.k8s.io/v1', command: plugin, interactiveMode: 'Never' } } }] }), { mode: 0o600 });
    const clusterName = (kc.clusters[0] as { name: string }).name;
    writeFileSync(join(dir, 'contexts'), yaml.dump({ apiVersion: 'v1', kind: 'Config', contexts: [{ name: 'via-exec', context: { cluster: clusterName, user: 'exec-user', namespace: calico } }], 'current-context': 'via-exec' }), { mode: 0o600 });
    const r = await runPlugin(['inspect', '-o', 'json'], { kubeconfig: env.kubeconfig, env: { ...NOW, KUBECONFIG: `${join(dir, 'clusters')}:${join(dir, 'contexts')}` } });
    expect(r.stderr).toBe('');
    const report = JSON.parse(r.stdout) as Report & { source: { context?: string } };
    expect(report.source.context).toBe('via-exec');
    expect(report.gateways.map((g) => g.name)).toEqual(['ssl-offload-gateway']);
  });
});
