/**
 * Proves the e2e harness itself against the real kube-apiserver: pinned version, served CRDs, status
 * subresource writes, RBAC of the restricted context, and a second control plane with older Gateway API CRDs.
 */
import { existsSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ControlPlane } from './harness/controlplane.ts';
import { pidAlive, stateFile } from './harness/state.ts';
import { KUBERNETES_VERSION } from './harness/versions.ts';
import {
  applyObjects,
  condition,
  deleteNamespace,
  e2eEnv,
  getObject,
  restClient,
  setStatus,
  skipE2e,
  type KubeObject,
  type RestClient,
} from './harness/kube.ts';

const env = e2eEnv();
const skip = skipE2e(env);

async function served(client: RestClient, groupVersion: string): Promise<string[]> {
  return (await client.apiResources(groupVersion, true)).filter((r) => !r.name.includes('/')).map((r) => r.name);
}

function minor(gitVersion: string): number {
  const m = /^v1\.(\d+)\./.exec(gitVersion);
  return m ? Number(m[1]) : 0;
}

describe.skipIf(skip)('e2e harness: default control plane', () => {
  const ns = `harness-${Date.now().toString(36)}`;

  afterAll(async () => {
    if (!skip) await deleteNamespace(ns);
  });

  it('serves /version with the pinned Kubernetes release (>= 1.33)', async () => {
    const version = await restClient().call<{ gitVersion: string; major: string; minor: string }>('GET', '/version');
    if (env.source === 'harness') {
      expect(version.gitVersion).toBe(KUBERNETES_VERSION);
      expect(version.minor).toBe(String(minor(KUBERNETES_VERSION)));
    }
    expect(minor(version.gitVersion)).toBeGreaterThanOrEqual(33);
  });

  it('serves Gateway API v1.6.1 (tcproutes/tlsroutes at v1), the LBC and Envoy Gateway kinds', async () => {
    const client = restClient();
    expect(await served(client, 'gateway.networking.k8s.io/v1')).toEqual(
      expect.arrayContaining(['gatewayclasses', 'gateways', 'httproutes', 'grpcroutes', 'tcproutes', 'tlsroutes', 'backendtlspolicies', 'referencegrants']),
    );
    expect(await served(client, 'gateway.k8s.aws/v1')).toEqual(
      expect.arrayContaining(['loadbalancerconfigurations', 'targetgroupconfigurations', 'listenerruleconfigurations']),
    );
    expect(await served(client, 'gateway.envoyproxy.io/v1alpha1')).toContain('backends');
    if (env.source === 'harness') expect(env.gatewayApiVersion).toBe('v1.6.1');
    const crd = await client.call<{ metadata: { annotations: Record<string, string> } }>(
      'GET',
      '/apis/apiextensions.k8s.io/v1/customresourcedefinitions/gateways.gateway.networking.k8s.io',
    );
    expect(crd.metadata.annotations['gateway.networking.k8s.io/channel']).toBe('experimental');
  });

  it('stores a Gateway and its status written through the status subresource', async () => {
    const gatewayClass: KubeObject = {
      apiVersion: 'gateway.networking.k8s.io/v1',
      kind: 'GatewayClass',
      metadata: { name: `${ns}-class` },
      spec: { controllerName: 'example.com/gwtls-e2e' },
    };
    const gateway: KubeObject = {
      apiVersion: 'gateway.networking.k8s.io/v1',
      kind: 'Gateway',
      metadata: { name: 'web', namespace: ns },
      spec: {
        gatewayClassName: `${ns}-class`,
        listeners: [
          {
            name: 'https',
            protocol: 'HTTPS',
            port: 443,
            hostname: 'app.example.com',
            tls: { mode: 'Terminate', certificateRefs: [{ kind: 'Secret', name: 'app-tls' }] },
          },
        ],
      },
    };
    const [storedClass, stored] = await applyObjects([gatewayClass, gateway]);
    expect(stored?.metadata.namespace).toBe(ns);
    expect((stored?.metadata as { generation?: number }).generation).toBe(1);

    await setStatus(storedClass!, { conditions: [condition('Accepted', 'True', 'Accepted', 'e2e', 1)] });
    await setStatus(stored!, {
      addresses: [{ type: 'IPAddress', value: '192.0.2.10' }],
      conditions: [condition('Accepted', 'True', 'Accepted', '', 1), condition('Programmed', 'False', 'Invalid', 'certificate missing', 1)],
      listeners: [
        {
          name: 'https',
          attachedRoutes: 0,
          supportedKinds: [{ group: 'gateway.networking.k8s.io', kind: 'HTTPRoute' }],
          conditions: [condition('ResolvedRefs', 'False', 'InvalidCertificateRef', 'secret app-tls not found', 1)],
        },
      ],
    });

    const read = await getObject<{
      spec: { listeners: { name: string }[] };
      status: { addresses: { value: string }[]; conditions: { type: string; status: string }[]; listeners: { conditions: { reason: string }[] }[] };
    }>({ apiVersion: 'gateway.networking.k8s.io/v1', kind: 'Gateway', name: 'web', namespace: ns });
    expect(read?.status.addresses[0]?.value).toBe('192.0.2.10');
    expect(read?.status.conditions.find((c) => c.type === 'Programmed')?.status).toBe('False');
    expect(read?.status.listeners[0]?.conditions[0]?.reason).toBe('InvalidCertificateRef');
    // a spec apply does not clobber status written by the "controller"
    await applyObjects([gateway]);
    const again = await getObject<{ status: { addresses: unknown[] } }>({
      apiVersion: 'gateway.networking.k8s.io/v1',
      kind: 'Gateway',
      name: 'web',
      namespace: ns,
    });
    expect(again?.status.addresses).toHaveLength(1);

    const gc = await getObject<{ status: { conditions: { type: string; status: string }[] } }>({
      apiVersion: 'gateway.networking.k8s.io/v1',
      kind: 'GatewayClass',
      name: `${ns}-class`,
    });
    expect(gc?.status.conditions[0]).toMatchObject({ type: 'Accepted', status: 'True' });
    await restClient().call('DELETE', `/apis/gateway.networking.k8s.io/v1/gatewayclasses/${ns}-class`);
  });

  it.skipIf(!env.restrictedContext)('restricted context: 403 on secrets, 200 on gateways and the rest it needs', async () => {
    const restricted = restClient({ context: env.restrictedContext });
    expect((await restricted.request('GET', '/api/v1/secrets')).status).toBe(403);
    expect((await restricted.request('GET', `/api/v1/namespaces/default/secrets/anything`)).status).toBe(403);
    for (const path of [
      '/apis/gateway.networking.k8s.io/v1/gateways',
      '/apis/gateway.networking.k8s.io/v1/tlsroutes',
      '/apis/gateway.k8s.aws/v1/loadbalancerconfigurations',
      '/apis/gateway.envoyproxy.io/v1alpha1/backends',
      '/apis/gateway.networking.x-k8s.io/v1alpha1/xbackendtrafficpolicies',
      '/api/v1/services',
      '/apis/discovery.k8s.io/v1/endpointslices',
      '/apis/apiextensions.k8s.io/v1/customresourcedefinitions',
    ]) {
      expect([path, (await restricted.request('GET', path)).status]).toEqual([path, 200]);
    }
    // read-only
    const write = await restricted.request('POST', '/api/v1/namespaces/default/configmaps', {
      body: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'nope' } },
    });
    expect(write.status).toBe(403);
  });

  it('deleteNamespace removes the namespace and what is in it (no namespace controller needed)', async () => {
    const other = `${ns}-del`;
    await applyObjects([
      { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cm', namespace: other }, data: { a: 'b' } },
      {
        apiVersion: 'gateway.envoyproxy.io/v1alpha1',
        kind: 'Backend',
        metadata: { name: 'be', namespace: other },
        spec: { endpoints: [{ fqdn: { hostname: 'backend.example.com', port: 443 } }] },
      },
    ]);
    expect(await getObject({ apiVersion: 'gateway.envoyproxy.io/v1alpha1', kind: 'Backend', name: 'be', namespace: other })).toBeDefined();
    await deleteNamespace(other);
    expect(await getObject({ apiVersion: 'v1', kind: 'Namespace', name: other })).toBeUndefined();
    const left = await restClient().call<{ items: unknown[] }>('GET', `/apis/gateway.envoyproxy.io/v1alpha1/namespaces/${other}/backends`);
    expect(left.items).toHaveLength(0);
  });

  it('kubectl works with the provided kubeconfig (both contexts)', () => {
    const base = ['--kubeconfig', env.kubeconfig];
    const crds = spawnSync('kubectl', [...base, '--context', env.adminContext, 'get', 'crd', '-o', 'name'], { encoding: 'utf8' });
    expect(crds.status, crds.stderr).toBe(0);
    expect(crds.stdout).toContain('customresourcedefinition.apiextensions.k8s.io/gateways.gateway.networking.k8s.io');
    if (env.restrictedContext) {
      const secrets = spawnSync('kubectl', [...base, '--context', env.restrictedContext, 'get', 'secrets'], { encoding: 'utf8' });
      expect(secrets.status).not.toBe(0);
      expect(secrets.stderr).toMatch(/forbidden/i);
    }
  });
});

describe.skipIf(skip || !env.goAvailable)('e2e harness: version-drift control plane (Gateway API v1.4.1)', () => {
  const cp = new ControlPlane();

  beforeAll(async () => {
    await cp.start({ gatewayApiVersion: 'v1.4.1' });
  });

  afterAll(async () => {
    await cp.stop();
  });

  it('serves tcproutes and tlsroutes only at v1alpha2 (TLSRoute also v1alpha3), not v1', async () => {
    const client = cp.client();
    expect(await served(client, 'gateway.networking.k8s.io/v1alpha2')).toEqual(expect.arrayContaining(['tcproutes', 'tlsroutes']));
    const v1 = await served(client, 'gateway.networking.k8s.io/v1');
    expect(v1).toContain('gateways');
    expect(v1).not.toContain('tcproutes');
    expect(v1).not.toContain('tlsroutes');
    const crd = await client.call<{ metadata: { annotations: Record<string, string> } }>(
      'GET',
      '/apis/apiextensions.k8s.io/v1/customresourcedefinitions/tcproutes.gateway.networking.k8s.io',
    );
    expect(crd.metadata.annotations['gateway.networking.k8s.io/bundle-version']).toBe('v1.4.1');
  });

  it('is a separate cluster from the default one', async () => {
    expect(cp.server).not.toBe(env.server);
    const other = await cp.client().call<{ gitVersion: string }>('GET', '/version');
    expect(other.gitVersion).toBe(KUBERNETES_VERSION);
  });

  it('stop() ends exactly its processes and removes its files', async () => {
    const extra = new ControlPlane();
    await extra.start({ gatewayApiVersion: 'v1.4.1', lbcCrds: false, envoyCrds: false });
    const procs = extra.processes();
    expect(procs.map((p) => p.name)).toEqual(['etcd', 'kube-apiserver']);
    const { workDir, id } = extra;
    expect(existsSync(stateFile(id))).toBe(true);
    await extra.stop();
    for (const p of procs) expect(pidAlive(p.pid)).toBe(false);
    expect(existsSync(workDir)).toBe(false);
    expect(existsSync(stateFile(id))).toBe(false);
    // the other control planes are untouched
    expect((await cp.client().request('GET', '/readyz')).status).toBe(200);
  });
});
