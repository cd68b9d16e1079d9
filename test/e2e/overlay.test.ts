// Scoped reads and overlay mode on a real API server (issue 11, items 1 and 2):
// - a route in another namespace that names the Gateway is read and diagnosed (GWTLS-RT-006), not just "no route";
// - `-f change.yaml --context C` shows the cluster as it would be after server-side applying the file, without
//   changing it; the same object twice in the files is merged with a warning naming both; `-f` alone is files only;
// - without RBAC to list routes cluster-wide, routes are read where the Gateway names, and `skipped` says so.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as yaml from 'js-yaml';
import { beforeAll, describe, expect, it } from 'vitest';
import { issue } from '../helpers/certs.ts';
import { applyObjects, e2eEnv, getObject, restClient, runPlugin, skipE2e, type KubeObject } from './harness/kube.ts';
import { applyScenario, cond } from './scenario.ts';

const env = e2eEnv();
const skip = skipE2e(env);
const NOW = { GWTLS_NOW: '2026-11-22T00:00:00Z', NO_COLOR: '1' };
const sfx = Date.now().toString(36);
const A = `ov-a-${sfx}`;
const B = `ov-b-${sfx}`;
const C = `ov-c-${sfx}`;
const CLASS = `ov-eg-${sfx}`;

interface Report {
  source: { type: string; files?: string[]; requests?: number };
  gateways: Array<{ listeners: Array<{ name: string; routes: Array<{ kind: string; name: string; namespace: string; attached: boolean }> }> }>;
  findings: Array<{ code: string; object: { kind: string; name: string; namespace?: string } }>;
  skipped: Array<{ what: string; reason: string; detail: string }>;
  inputErrors?: Array<{ file: string; message: string }>;
}

function gateway(from: 'Same' | 'All'): KubeObject {
  return {
    apiVersion: 'gateway.networking.k8s.io/v1',
    kind: 'Gateway',
    metadata: { name: 'web', namespace: A },
    spec: {
      gatewayClassName: CLASS,
      listeners: [{ name: 'https', protocol: 'HTTPS', port: 443, hostname: 'web.example.com', tls: { mode: 'Terminate', certificateRefs: [{ name: 'web-cert' }] }, allowedRoutes: { namespaces: { from } } }],
    },
  } as KubeObject;
}

function route(name: string, namespace: string): KubeObject {
  return {
    apiVersion: 'gateway.networking.k8s.io/v1',
    kind: 'HTTPRoute',
    metadata: { name, namespace },
    spec: { parentRefs: [{ name: 'web', namespace: A }], hostnames: ['web.example.com'], rules: [{ backendRefs: [{ name: 'shop', port: 8080 }] }] },
  } as KubeObject;
}

const dir = mkdtempSync(join(tmpdir(), 'gwtls-overlay-'));
function file(name: string, objects: KubeObject[]): string {
  const p = join(dir, name);
  writeFileSync(p, objects.map((o) => yaml.dump(o)).join('---\n'));
  return p;
}

async function inspect(args: string[], opts: { context?: string } = {}): Promise<{ code: number | null; report: Report; stderr: string }> {
  const r = await runPlugin(['inspect', 'web', '-n', A, '-o', 'json', ...args], { env: NOW, ...opts });
  expect(r.stderr).not.toMatch(/^\s+at /m);
  return { code: r.code, report: JSON.parse(r.stdout) as Report, stderr: r.stderr };
}

const codesOn = (r: Report, name: string) => r.findings.filter((f) => f.object.name === name).map((f) => f.code);
const routesOf = (r: Report) => r.gateways[0]!.listeners[0]!.routes.map((x) => `${x.namespace}/${x.name} ${x.attached ? 'attached' : 'refused'}`).sort();

describe.skipIf(skip)('scoped reads and overlay', () => {
  beforeAll(async () => {
    const cert = issue({ cn: 'web.example.com', dns: ['web.example.com'], notBefore: new Date('2026-01-01T00:00:00Z'), notAfter: new Date('2036-01-01T00:00:00Z') });
    await applyScenario(
      [
        { apiVersion: 'gateway.networking.k8s.io/v1', kind: 'GatewayClass', metadata: { name: CLASS }, spec: { controllerName: 'gateway.envoyproxy.io/gatewayclass-controller' } } as KubeObject,
        { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'web-cert', namespace: A }, type: 'kubernetes.io/tls', data: { 'tls.crt': Buffer.from(cert.certPem).toString('base64'), 'tls.key': Buffer.from(cert.keyPem).toString('base64') } } as KubeObject,
        gateway('Same'),
        { apiVersion: 'v1', kind: 'Service', metadata: { name: 'shop', namespace: B }, spec: { ports: [{ name: 'http', port: 8080 }], selector: { app: 'shop' } } } as KubeObject,
        route('shop', B),
      ],
      {
        [`GatewayClass/${CLASS}`]: { conditions: [cond('Accepted', 'True', 'Accepted')] },
        'Gateway/web': { conditions: [cond('Accepted', 'True', 'Accepted'), cond('Programmed', 'True', 'Programmed')] },
        'HTTPRoute/shop': { parents: [{ parentRef: { group: 'gateway.networking.k8s.io', kind: 'Gateway', name: 'web', namespace: A }, controllerName: 'gateway.envoyproxy.io/gatewayclass-controller', conditions: [cond('Accepted', 'False', 'NotAllowedByListeners'), cond('ResolvedRefs', 'True', 'ResolvedRefs')] }] },
      },
    );
  });

  it('reads a route in another namespace that names the Gateway, and says why the listener refuses it', async () => {
    const { report } = await inspect([]);
    expect(report.source.type).toBe('cluster');
    expect(routesOf(report)).toEqual([`${B}/shop refused`]);
    expect(codesOn(report, 'shop')).toContain('GWTLS-RT-006');
  });

  it('lays -f files over the cluster with --context, as server-side apply would, and changes nothing', async () => {
    const change = file('change.yaml', [gateway('All'), route('extra', C)]);
    const { code, report } = await inspect(['-f', change, '--context', env.adminContext]);
    expect(report.source).toMatchObject({ type: 'cluster', files: [change] });
    expect(routesOf(report)).toEqual([`${B}/shop attached`, `${C}/extra attached`]);
    expect(codesOn(report, 'shop')).not.toContain('GWTLS-RT-006');
    expect(report.inputErrors).toBeUndefined();
    expect([0, 1]).toContain(code);
    const stored = await getObject<{ spec: { listeners: Array<{ allowedRoutes?: { namespaces?: { from?: string } } }> } }>({ apiVersion: 'gateway.networking.k8s.io/v1', kind: 'Gateway', name: 'web', namespace: A });
    expect(stored!.spec.listeners[0]!.allowedRoutes?.namespaces?.from).toBe('Same');
    // --overlay: the same over the current context.
    const current = await inspect(['-f', change, '--overlay']);
    expect(routesOf(current.report)).toEqual(routesOf(report));
  });

  it('merges the same object given twice in the files, with a warning naming both, before laying it over', async () => {
    const first = file('first.yaml', [gateway('Same')]);
    const second = file('second.yaml', [{ ...gateway('All'), spec: { listeners: [{ name: 'https', allowedRoutes: { namespaces: { from: 'All' } } }] } } as KubeObject]);
    const { report, stderr } = await inspect(['-f', first, '-f', second, '--context', env.adminContext]);
    expect(stderr).toContain(`warning: ${second}:1: Gateway ${A}/web is also defined at ${first}:1: merged as server-side apply would`);
    expect(routesOf(report)).toEqual([`${B}/shop attached`]);
  });

  it('reads only the files with -f alone, and exits 2 on unreadable input over a cluster too', async () => {
    const change = file('alone.yaml', [gateway('All')]);
    const alone = await inspect(['-f', change]);
    expect(alone.report.source.type).toBe('files');
    expect(routesOf(alone.report)).toEqual([]);
    const broken = join(dir, 'broken.yaml');
    writeFileSync(broken, 'kind: [\n');
    const r = await inspect(['-f', change, '-f', broken, '--context', env.adminContext]);
    expect(r.code).toBe(2);
    expect(r.report.inputErrors).toEqual([expect.objectContaining({ file: broken })]);
    expect(r.stderr).toMatch(new RegExp(`^error: ${broken.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}:\\d+: invalid YAML`, 'm'));
  });

  it('without RBAC to list routes cluster-wide, reads them where the Gateway names and says what could not be seen', async () => {
    const client = restClient();
    const sa = `ov-reader-${sfx}`;
    const rule = (verbs: string[], groups: string[], resources: string[]) => ({ apiGroups: groups, resources, verbs });
    await applyObjects([
      { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: sa, namespace: A } } as KubeObject,
      // Cluster-wide: Gateways and classes, discovery-level reads; routes only in namespace A (the Gateway's).
      { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name: sa }, rules: [rule(['get', 'list'], ['gateway.networking.k8s.io'], ['gateways', 'gatewayclasses', 'referencegrants', 'backendtlspolicies']), rule(['get', 'list'], [''], ['services', 'secrets', 'configmaps', 'pods']), rule(['get', 'list'], ['discovery.k8s.io'], ['endpointslices'])] } as unknown as KubeObject,
      { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRoleBinding', metadata: { name: sa }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: sa }, subjects: [{ kind: 'ServiceAccount', name: sa, namespace: A }] } as unknown as KubeObject,
      { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role', metadata: { name: sa, namespace: A }, rules: [rule(['get', 'list'], ['gateway.networking.k8s.io'], ['httproutes', 'grpcroutes', 'tlsroutes', 'tcproutes', 'udproutes'])] } as unknown as KubeObject,
      { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'RoleBinding', metadata: { name: sa, namespace: A }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: sa }, subjects: [{ kind: 'ServiceAccount', name: sa, namespace: A }] } as unknown as KubeObject,
    ]);
    const token = await client.call<{ status: { token: string } }>('POST', `/api/v1/namespaces/${A}/serviceaccounts/${sa}/token`, { body: { apiVersion: 'authentication.k8s.io/v1', kind: 'TokenRequest', spec: { expirationSeconds: 3600 } }, contentType: 'application/json' });
    const admin = yaml.load((await import('node:fs')).readFileSync(env.kubeconfig, 'utf8')) as { clusters: Array<{ name: string; cluster: Record<string, unknown> }> };
    const kc = join(dir, 'limited.kubeconfig');
    writeFileSync(kc, yaml.dump({ apiVersion: 'v1', kind: 'Config', clusters: [admin.clusters[0]], users: [{ name: sa, user: { token: token.status.token } }], contexts: [{ name: sa, context: { cluster: admin.clusters[0]!.name, user: sa } }], 'current-context': sa }));
    const r = await runPlugin(['inspect', 'web', '-n', A, '-o', 'json'], { kubeconfig: kc, env: NOW });
    expect(r.stderr).not.toMatch(/^\s+at /m);
    const report = JSON.parse(r.stdout) as Report;
    const skipped = report.skipped.find((s) => s.what === 'httproutes');
    expect(skipped).toMatchObject({ reason: 'forbidden' });
    expect(skipped!.detail).toContain(`read in ${A} only`);
    // The route in B cannot be seen: no RT-006 then, and the report says why instead.
    expect(routesOf(report)).toEqual([]);
  });
});
