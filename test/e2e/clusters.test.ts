// Clusters that differ from the default: older Gateway API CRDs (version drift), no AWS Load Balancer
// Controller CRDs, and an API server that stops answering. Each runs on its own control plane.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ControlPlane } from './harness/controlplane.ts';
import { gatewayApiManifests, waitForCrds } from './harness/crds.ts';
import { e2eEnv, runPlugin, skipE2e } from './harness/kube.ts';
import { applyScenario, cond, endpointSlice, loadFixture } from './scenario.ts';

const env = e2eEnv();
// These need control planes of their own: only where the harness can build and start them.
const skip = skipE2e(env) || !env.goAvailable;
if (!skip && !env.goAvailable) console.warn('[gwtls-e2e] version-drift and failure tests need Go to start their own control planes; skipped');
const NOW = { GWTLS_NOW: '2026-11-22T00:00:00Z', NO_COLOR: '1' };

interface Report {
  source: { kinds?: Record<string, string> };
  gateways: Array<{ name: string; listeners: Array<{ name: string; routes: Array<{ kind: string; apiVersion: string; attached: boolean }>; path: Array<{ hop: string; ok: boolean | null }> }> }>;
  findings: Array<{ code: string; severity: string; message: string; object: { kind: string; name: string }; evidence: string[] }>;
  skipped: Array<{ what: string; reason: string; detail: string }>;
}

describe.skipIf(skip)('Gateway API v1.4.1 (experimental): TCPRoute and TLSRoute served at v1alpha*', () => {
  const cp = new ControlPlane();
  beforeAll(async () => {
    await cp.start({ gatewayApiVersion: 'v1.4.1' });
    const target = { kubeconfig: cp.kubeconfig };
    await applyScenario(loadFixture('seeds/c-calico-passthrough/as-written.yaml', 'drift'), { 'GatewayClass/tigera-gateway-class': { conditions: [cond('Accepted', 'True', 'Accepted')] } }, target);
    await applyScenario(loadFixture('seeds/c-calico-tls-termination/corrected.yaml', 'drift').map((o) => (o.kind === 'TCPRoute' ? { ...o, apiVersion: 'gateway.networking.k8s.io/v1alpha2' } : o)), {}, target);
    await applyScenario([endpointSlice('drift', 'passthrough-echoserver', undefined, 443, [{ name: 'passthrough-echoserver-674f8cf47b-4l64m', ip: '10.48.0.31', node: 'worker2', ready: true }])], {}, target);
  });
  afterAll(() => cp.stop());

  it('reads each kind at the version the cluster serves and attaches the routes', async () => {
    const r = await runPlugin(['inspect', '-n', 'drift', '-o', 'json', '--fail-on', 'none'], { kubeconfig: cp.kubeconfig, env: NOW });
    const report = JSON.parse(r.stdout) as Report;
    expect(report.source.kinds).toMatchObject({ TCPRoute: 'v1alpha2', TLSRoute: 'v1alpha3', HTTPRoute: 'v1', BackendTLSPolicy: 'v1' });
    const passthrough = report.gateways.find((g) => g.name === 'tls-passthrough-gateway')!;
    const tls = passthrough.listeners.find((l) => l.name === 'tls')!;
    expect(tls.routes).toEqual([expect.objectContaining({ kind: 'TLSRoute', apiVersion: 'gateway.networking.k8s.io/v1alpha3', attached: true })]);
    const offload = report.gateways.find((g) => g.name === 'ssl-offload-gateway')!;
    expect(offload.listeners.find((l) => l.name === 'tls')!.routes).toEqual([expect.objectContaining({ kind: 'TCPRoute', apiVersion: 'gateway.networking.k8s.io/v1alpha2', attached: true })]);
    expect(report.findings.map((f) => f.code)).not.toContain('GWTLS-PLAT-004');
  });

  it('an upgrade that stopped half way: one CRD from v1.6.1 among the v1.4.1 ones is GWTLS-PLAT-004', async () => {
    const udproutes = (await gatewayApiManifests('v1.6.1')).objects.find((o) => o.kind === 'CustomResourceDefinition' && o.metadata.name === 'udproutes.gateway.networking.k8s.io')!;
    await cp.client().apply(udproutes);
    await waitForCrds(cp.client(), [udproutes]);
    const r = await runPlugin(['inspect', '-n', 'drift', '-o', 'json', '--fail-on', 'none'], { kubeconfig: cp.kubeconfig, env: NOW });
    const report = JSON.parse(r.stdout) as Report;
    const mixed = report.findings.filter((f) => f.code === 'GWTLS-PLAT-004');
    expect(mixed).toEqual([
      expect.objectContaining({
        severity: 'warning',
        object: expect.objectContaining({ kind: 'CustomResourceDefinition', name: 'udproutes.gateway.networking.k8s.io' }),
        message: expect.stringMatching(/comes from Gateway API v1\.6\.1 experimental, gateways\.gateway\.networking\.k8s\.io and \d+ other Gateway API CRDs from v1\.4\.1 experimental.*releases\/download\/v1\.6\.1\/experimental-install\.yaml$/),
      }),
    ]);
    expect(mixed[0]!.evidence).toContain('Gateway API v1.6.1 experimental: udproutes');
  });
});

describe.skipIf(skip)('no AWS Load Balancer Controller CRDs', () => {
  const cp = new ControlPlane();
  beforeAll(async () => {
    await cp.start({ lbcCrds: false });
    const target = { kubeconfig: cp.kubeconfig };
    // Seed (a) corrected, minus the objects whose kinds this cluster does not serve.
    const objs = loadFixture('seeds/a-nlb-acm/corrected.yaml', 'db').filter((o) => !o.apiVersion.startsWith('gateway.k8s.aws/'));
    await applyScenario(objs, {}, target);
    await applyScenario(loadFixture('seeds/c-calico-passthrough/as-written.yaml', 'eg'), {}, target);
  });
  afterAll(() => cp.stop());

  it('reports the LBC kinds as not served (skipped), not as errors of the tool', async () => {
    const r = await runPlugin(['inspect', 'pg-gw', '-n', 'db', '-o', 'json'], { kubeconfig: cp.kubeconfig, env: NOW });
    expect(r.stderr).toBe('');
    const report = JSON.parse(r.stdout) as Report;
    const skipped = report.skipped.filter((s) => s.reason === 'not-served').map((s) => s.what);
    expect(skipped).toEqual(expect.arrayContaining(['loadbalancerconfigurations', 'targetgroupconfigurations']));
    expect(report.gateways[0]!.listeners[0]!.routes[0]).toMatchObject({ kind: 'TCPRoute', attached: true });
  });

  it('does not mention the LBC for a Gateway of another implementation', async () => {
    const r = await runPlugin(['inspect', 'tls-passthrough-gateway', '-n', 'eg', '-o', 'json', '--fail-on', 'none'], { kubeconfig: cp.kubeconfig, env: NOW });
    const report = JSON.parse(r.stdout) as Report;
    expect(report.skipped.map((s) => s.what)).not.toContain('loadbalancerconfigurations');
    expect(report.findings.filter((f) => f.code.startsWith('GWTLS-LBC') || f.code === 'GWTLS-PLAT-002')).toEqual([]);
  });
});

describe.skipIf(skip)('an API server that stops answering', () => {
  const cp = new ControlPlane();
  beforeAll(() => cp.start({ lbcCrds: false, envoyCrds: false }));
  afterAll(() => {
    for (const p of cp.processes()) {
      try {
        process.kill(p.pid, 'SIGCONT');
      } catch {
        // already gone
      }
    }
    return cp.stop();
  });

  it('gives up within --request-timeout, naming the server and context, exit 2', async () => {
    const apiserver = cp.processes().find((p) => p.name === 'kube-apiserver')!;
    process.kill(apiserver.pid, 'SIGSTOP');
    try {
      const r = await runPlugin(['inspect', '-A', '--request-timeout', '2s'], { kubeconfig: cp.kubeconfig, env: NOW, timeoutMs: 30_000 });
      expect(r.code).toBe(2);
      expect(r.stderr.trim()).toMatch(/^error: cannot reach the API server https:\/\/127\.0\.0\.1:\d+ \(context gwtls-admin\): (GET \S+: )?no complete answer within 2s \(--request-timeout\)$/);
      expect(r.durationMs).toBeLessThan(10_000);
    } finally {
      process.kill(apiserver.pid, 'SIGCONT');
    }
  });

  it('says so in one line when the server is gone', async () => {
    const apiserver = cp.processes().find((p) => p.name === 'kube-apiserver')!;
    process.kill(apiserver.pid, 'SIGKILL');
    await new Promise((resolve) => setTimeout(resolve, 500));
    const r = await runPlugin(['inspect', '-A', '--request-timeout', '2s'], { kubeconfig: cp.kubeconfig, env: NOW });
    expect(r.code).toBe(2);
    expect(r.stderr.trim()).toMatch(/^error: cannot reach the API server https:\/\/127\.0\.0\.1:\d+ \(context gwtls-admin\): connection refused/);
  });
});
