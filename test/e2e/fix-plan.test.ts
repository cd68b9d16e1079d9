// A fix never makes things worse, proven on a real API server. Every seed and every scenario file with a safe
// fix is loaded as users load manifests (client-side `kubectl apply`; server-side apply by another field
// manager; `kubectl create`), and then `kubectl gwtls inspect -A --apply --yes -o json`:
//   - leaves no object without a field that no fix named,
//   - removes every finding the plan says it fixes, and adds no error,
//   - has nothing left to do when run a second time (no object is written again),
// and `kubectl gwtls inspect -A --fix | kubectl apply --server-side --field-manager=kubectl-gwtls
// --force-conflicts -f -` gives the same objects as --apply. Runs on a control plane of its own, reset between
// scenarios.
import { spawn } from 'node:child_process';
import { readFileSync, readdirSync, writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as yaml from 'js-yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadManifests } from '../../src/cluster/manifests.ts';
import { decode, displayPath, fieldsOf, valueAt } from '../../src/fixes/fields.ts';
import { buildModel } from '../../src/graph/model.ts';
import { runRules } from '../../src/rules/engine.ts';
import { ALL_RULES } from '../../src/rules/index.ts';
import { issue, tlsSecret } from '../helpers/certs.ts';
import { listScenarios, REPO_ROOT, scenarioText } from '../helpers/scenarios.ts';
import { ControlPlane } from './harness/controlplane.ts';
import { deleteNamespace, e2eEnv, pluginPath, runPlugin, setStatus, skipE2e, type KubeObject, type RestClient } from './harness/kube.ts';

const env = e2eEnv();
const skip = skipE2e(env) || !env.goAvailable;
if (!skipE2e(env) && !env.goAvailable) console.warn('[gwtls-e2e] the fix-plan proof needs a control plane of its own (Go); skipped');

type Raw = Record<string, unknown>;
type Mode = 'client-side apply' | 'server-side apply by another manager' | 'kubectl create';

interface Applied {
  confirmed: boolean;
  changes: Array<{ object: { kind: string; namespace?: string; name: string }; action: string; fields: string[]; result: string; error?: string }>;
  fixes: Array<{ code: string; status: string; reason?: string }>;
  findings: Array<{ code: string; severity: string; object: { kind: string; namespace?: string; name: string }; field?: string; state: string }>;
}
interface Report {
  findings: Array<{ code: string; severity: string; object: { kind: string; namespace?: string; name: string }; field?: string }>;
  applied?: Applied;
}

interface Input {
  path: string;
  now: string;
  text: string;
}

const SEEDS = 'test/fixtures/seeds';
const KIND_API: Record<string, string> = {};

/** Whether the offline analysis of the input offers a safe fix at all (inputs without one prove nothing here). */
async function hasSafeFix(input: Input): Promise<boolean> {
  const { snapshot } = await loadManifests(['-'], 'default', async () => input.text);
  return runRules(buildModel(snapshot, { allNamespaces: true }, new Date(input.now)), ALL_RULES).findings.some((f) => f.fixes.some((x) => x.type === 'fix'));
}

async function inputs(): Promise<Input[]> {
  const seeds = readdirSync(join(REPO_ROOT, SEEDS), { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.yaml'))
    .map((f) => ({ path: `${SEEDS}/${f}`, now: '2026-11-22T00:00:00Z', text: readFileSync(join(REPO_ROOT, SEEDS, f), 'utf8') }));
  const scenarios = listScenarios()
    .filter((s) => !s.apiServerRejects && s.expect === 'invalid')
    .map((s) => ({ path: s.path, now: s.now, text: scenarioText(s) }));
  // GWTLS_E2E_FIX_PLAN_ONLY=<regexp> narrows the inputs while working on one.
  const only = process.env.GWTLS_E2E_FIX_PLAN_ONLY ? new RegExp(process.env.GWTLS_E2E_FIX_PLAN_ONLY) : null;
  const out: Input[] = [];
  for (const i of [...seeds, ...scenarios]) if ((!only || only.test(i.path)) && (await hasSafeFix(i))) out.push(i);
  return out;
}

const SKIP_KINDS = new Set(['Deployment', 'ServiceAccount', 'CustomResourceDefinition']);

/** The documents as the API server should hold them: namespaced objects without a namespace go to `default`. */
function documents(text: string): KubeObject[] {
  return (yaml.loadAll(text) as KubeObject[])
    .filter((d) => d && typeof d === 'object' && !SKIP_KINDS.has(d.kind))
    .map((d) => {
      const o = structuredClone(d);
      if (!['GatewayClass', 'Namespace'].includes(o.kind) && !o.metadata.namespace) o.metadata.namespace = 'default';
      delete (o.metadata as Raw).generation;
      return o;
    });
}

const key = (o: { kind: string; namespace?: string; name: string }) => `${o.kind} ${o.namespace ? `${o.namespace}/` : ''}${o.name}`;
const findingKey = (f: Report['findings'][number]) => `${f.code}|${key(f.object)}|${f.field ?? ''}`;

function run(cmd: string, args: string[], kubeconfig: string, input?: string): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { env: { ...process.env, KUBECONFIG: kubeconfig, PATH: pluginPath() }, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
    child.stdin.end(input ?? '');
  });
}

/** What a person compares: spec, data, labels and annotations (not status, bookkeeping or the last-applied copy). */
function comparable(o: Raw): Raw {
  const meta = (o.metadata ?? {}) as Raw;
  const annotations = { ...((meta.annotations ?? {}) as Raw) };
  delete annotations['kubectl.kubernetes.io/last-applied-configuration'];
  const out: Raw = { labels: meta.labels ?? {}, annotations };
  for (const [k, v] of Object.entries(o)) if (!['apiVersion', 'kind', 'metadata', 'status'].includes(k)) out[k] = v;
  // Allocated by the server on each create, not by anyone's manifest.
  if (o.kind === 'Service' && out.spec) {
    const { clusterIP: _ip, clusterIPs: _ips, ...spec } = out.spec as Raw;
    out.spec = spec;
  }
  return out;
}

const all = skip ? [] : await inputs();

describe.skipIf(skip)('fix plans on a real API server', () => {
  const cp = new ControlPlane();
  let client: RestClient;
  let dir: string;
  beforeAll(async () => {
    await cp.start();
    client = cp.client();
    dir = mkdtempSync(join(tmpdir(), 'gwtls-fix-plan-'));
  });
  afterAll(() => cp.stop());

  async function objectPath(o: { apiVersion: string; kind: string; metadata: { name: string; namespace?: string } }): Promise<string> {
    KIND_API[o.kind] ??= o.apiVersion;
    return client.objectPath({ apiVersion: o.apiVersion, kind: o.kind, name: o.metadata.name, namespace: o.metadata.namespace });
  }

  async function stored(docs: KubeObject[]): Promise<Map<string, Raw>> {
    const out = new Map<string, Raw>();
    for (const d of docs) {
      const res = await client.request<Raw>('GET', await objectPath(d));
      if (res.status === 200 && res.body) out.set(key({ kind: d.kind, namespace: d.metadata.namespace, name: d.metadata.name }), res.body);
    }
    return out;
  }

  /** Removes everything a scenario (and its fixes) left: its namespaces whole, and its objects elsewhere. */
  async function reset(docs: KubeObject[], created: Applied['changes'] = []): Promise<void> {
    const system = new Set(['default', 'kube-system', 'kube-public', 'kube-node-lease']);
    const namespaces = new Set(docs.map((d) => d.metadata.namespace).filter((n): n is string => !!n && !system.has(n)));
    for (const d of docs) if (d.kind === 'Namespace' && !system.has(d.metadata.name)) namespaces.add(d.metadata.name);
    // No kubelet finishes a graceful Pod deletion here: Pods go at once, then the namespaces whole.
    for (const ns of [...namespaces, 'default']) await client.request('DELETE', `/api/v1/namespaces/${ns}/pods?gracePeriodSeconds=0`);
    for (const ns of namespaces) await deleteNamespace(ns, { kubeconfig: cp.kubeconfig });
    const leftovers = [...docs.filter((d) => !d.metadata.namespace || system.has(d.metadata.namespace)), ...created.filter((c) => !c.object.namespace || c.object.namespace === 'default').map((c) => ({ apiVersion: KIND_API[c.object.kind] ?? '', kind: c.object.kind, metadata: { name: c.object.name, ...(c.object.namespace ? { namespace: c.object.namespace } : {}) } }))];
    for (const d of leftovers) if (d.kind !== 'Namespace' && d.apiVersion) await client.request('DELETE', await objectPath(d));
  }

  /** Loads the documents the way `mode` says, then writes the status they carry through /status. */
  async function load(docs: KubeObject[], mode: Mode): Promise<void> {
    for (const ns of docs.filter((d) => d.kind === 'Namespace')) await client.apply({ apiVersion: 'v1', kind: 'Namespace', metadata: ns.metadata });
    for (const n of new Set(docs.map((d) => d.metadata.namespace).filter((x): x is string => !!x))) await client.apply({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: n } });
    const rest = docs.filter((d) => d.kind !== 'Namespace').map(({ status: _s, ...o }) => o);
    const file = join(dir, 'objects.yaml');
    writeFileSync(file, rest.map((o) => yaml.dump(o, { noRefs: true })).join('---\n'));
    const args = mode === 'client-side apply' ? ['apply', '-f', file] : mode === 'kubectl create' ? ['create', '-f', file] : ['apply', '--server-side', '--field-manager=gitops', '-f', file];
    const r = await run('kubectl', args, cp.kubeconfig);
    expect(r.code, `kubectl ${args.join(' ')}: ${r.stderr}`).toBe(0);
    for (const d of docs) {
      const status = (d as { status?: Raw }).status;
      if (!status || ['Secret', 'ConfigMap', 'Service', 'Namespace'].includes(d.kind)) continue;
      const now = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
      const fill = (c: Raw) => ({ message: '', lastTransitionTime: now, ...c });
      const s: Raw = { ...status };
      if (Array.isArray(s.conditions)) s.conditions = (s.conditions as Raw[]).map(fill);
      for (const k of ['listeners', 'parents', 'ancestors']) if (Array.isArray(s[k])) s[k] = (s[k] as Raw[]).map((e) => (Array.isArray(e.conditions) ? { ...e, conditions: (e.conditions as Raw[]).map(fill) } : e));
      await setStatus(d, s, { kubeconfig: cp.kubeconfig });
    }
  }

  async function inspect(args: string[], now: string): Promise<{ code: number; stdout: string; stderr: string }> {
    return runPlugin(['inspect', '-A', ...args], { kubeconfig: cp.kubeconfig, env: { GWTLS_NOW: now, NO_COLOR: '1' }, timeoutMs: 120_000 });
  }

  /** One scenario, loaded one way: the invariants of --apply, idempotence, and the --fix pipe. */
  async function prove(input: Input, mode: Mode, pipe: boolean): Promise<{ planned: number }> {
    const docs = documents(input.text);
    const where = `${input.path} (${mode})`;
    let cleanup: Applied['changes'] = [];
    try {
      return await proveLoaded(input, docs, mode, pipe, where, (c) => (cleanup = c));
    } finally {
      await reset(docs, cleanup);
    }
  }

  async function proveLoaded(input: Input, docs: KubeObject[], mode: Mode, pipe: boolean, where: string, created: (c: Applied['changes']) => void): Promise<{ planned: number }> {
    await load(docs, mode);
    const before = await stored(docs);
    const first = await inspect(['--apply', '--yes', '-o', 'json', '--fail-on', 'none'], input.now);
    expect(first.code, `${where}: ${first.stderr}`).not.toBe(2);
    const report = JSON.parse(first.stdout) as Report;
    const applied = report.applied!;
    created(applied.changes);
    const changes = applied.changes.filter((c) => c.result === 'applied');
    expect(applied.changes.filter((c) => c.result === 'failed'), `${where}: ${JSON.stringify(applied.changes)}`).toEqual([]);
    // No object lost a field that no fix named.
    const after = await stored(docs);
    for (const [id, obj] of before) {
      const now = after.get(id);
      expect(now, `${where}: ${id} is gone`).toBeDefined();
      const kind = String(obj.kind);
      const named = changes.filter((c) => key(c.object) === id).flatMap((c) => c.fields);
      const lost = [...fieldsOf(comparable(obj), kind)]
        .map(decode)
        .filter((f) => valueAt(comparable(now!), kind, f) === undefined)
        .map(displayPath)
        .filter((p) => !named.some((n) => p.startsWith(n) || n.startsWith(p)) && !p.startsWith('annotations.kubectl.kubernetes.io'));
      expect(lost, `${where}: ${id} lost fields no fix named`).toEqual([]);
    }
    // Every finding the plan says it fixes is gone; no error was added.
    const afterKeys = new Set(report.findings.map(findingKey));
    const fixed = applied.findings.filter((f) => f.state === 'fixed');
    if (applied.confirmed) expect(fixed.filter((f) => afterKeys.has(findingKey(f))).map(findingKey), `${where}: claimed fixed but still there`).toEqual([]);
    const beforeErrors = new Set(applied.findings.filter((f) => f.state !== 'added' && f.severity === 'error').map(findingKey));
    expect(report.findings.filter((f) => f.severity === 'error' && !beforeErrors.has(findingKey(f))).map(findingKey), `${where}: errors added`).toEqual([]);
    // A second run has nothing to write.
    const second = await inspect(['--apply', '--yes', '-o', 'json', '--fail-on', 'none'], input.now);
    expect(second.code, `${where}: ${second.stderr}`).not.toBe(2);
    const again = await stored(docs);
    for (const [id, obj] of after) expect(((again.get(id)?.metadata ?? {}) as Raw).resourceVersion, `${where}: ${id} written again by a second --apply`).toBe((obj.metadata as Raw).resourceVersion);
    if (pipe && changes.length) {
      // The same plan through kubectl gives the same objects.
      const created = applied.changes.filter((c) => c.action === 'create');
      await reset(docs, created);
      await load(docs, mode);
      const stream = await inspect(['--fix'], input.now);
      expect(stream.code, `${where}: ${stream.stderr}`).not.toBe(2);
      const piped = await run('kubectl', ['apply', '--server-side', '--field-manager=kubectl-gwtls', '--force-conflicts', '-f', '-'], cp.kubeconfig, stream.stdout);
      expect(piped.code, `${where}: kubectl apply of the --fix stream: ${piped.stderr}\n${stream.stdout}`).toBe(0);
      expect(piped.stderr, `${where}: kubectl warned`).not.toMatch(/Required value|failed to re-apply/);
      const viaKubectl = await stored(docs);
      for (const [id, obj] of after) expect(comparable(viaKubectl.get(id) ?? {}), `${where}: ${id} differs between --apply and the --fix pipe`).toEqual(comparable(obj));
    }
    return { planned: changes.length };
  }

  it(`--apply --yes keeps every field, fixes what it claims, adds no error, is idempotent, and equals the --fix pipe (client-side apply; ${all.length} inputs)`, async () => {
    let planned = 0;
    for (const input of all) planned += (await prove(input, 'client-side apply', true)).planned;
    console.log(`[fix-plan] client-side apply: ${all.length} inputs, ${planned} objects changed`);
    expect(planned).toBeGreaterThan(0);
  }, 3_600_000);

  it('a tenant asking for access it does not have gets suggestions, and --apply --yes widens nothing', async () => {
    const wildcard = issue({ dns: ['*.example.com'] });
    const text = [readFileSync(join(REPO_ROOT, 'test/fixtures/hostile/tenant.yaml'), 'utf8'), yaml.dump(tlsSecret('wildcard-tls', 'infra', wildcard.certPem, wildcard.keyPem))].join('---\n');
    const docs = documents(text);
    try {
      await load(docs, 'client-side apply');
      const gwBefore = await client.get<Raw>({ apiVersion: 'gateway.networking.k8s.io/v1', kind: 'Gateway', name: 'shared-gw', namespace: 'infra' });
      const r = await inspect(['--apply', '--yes', '-o', 'json', '--fail-on', 'none'], '2026-11-22T00:00:00Z');
      expect(r.code, r.stderr).not.toBe(2);
      const applied = (JSON.parse(r.stdout) as Report & { applied: Applied & { suggestions: Array<{ code: string; widensAccess: boolean }> } }).applied;
      expect(applied.suggestions.filter((x) => x.widensAccess).map((x) => x.code).sort()).toEqual(['GWTLS-BE-003', 'GWTLS-LSN-006', 'GWTLS-RT-006']);
      const grants = await client.call<{ items: unknown[] }>('GET', '/apis/gateway.networking.k8s.io/v1beta1/referencegrants');
      expect(grants.items).toEqual([]);
      const gwAfter = await client.get<Raw>({ apiVersion: 'gateway.networking.k8s.io/v1', kind: 'Gateway', name: 'shared-gw', namespace: 'infra' });
      expect(gwAfter.spec).toEqual(gwBefore.spec);
      expect((gwAfter.metadata as Raw).resourceVersion).toBe((gwBefore.metadata as Raw).resourceVersion);
    } finally {
      await reset(docs);
    }
  });

  it('a backendRef name carrying a YAML document cannot add one to the --fix stream', async () => {
    // backendRefs[].name has no pattern, only a length limit (253 bytes): room for a whole document.
    const payload = 'x\n---\napiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRoleBinding\nmetadata: {name: pwn}\nroleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: cluster-admin}\nsubjects: [{kind: Group, name: "system:authenticated"}]\n---\n#';
    const text = readFileSync(join(REPO_ROOT, SEEDS, 'c-calico-tls-termination/as-written.yaml'), 'utf8');
    const docs = documents(text).map((d) => (d.kind === 'HTTPRoute' ? { ...d, spec: { ...(d as Raw).spec as Raw, rules: [{ backendRefs: [{ name: payload, port: 3000 }] }] } } : d)) as KubeObject[];
    try {
      await load(docs, 'server-side apply by another manager');
      const stream = await inspect(['--fix'], '2026-11-22T00:00:00Z');
      expect(stream.code, stream.stderr).not.toBe(2);
      const parsed = (yaml.loadAll(stream.stdout) as Raw[]).filter(Boolean);
      expect(parsed.map((d) => d.kind)).not.toContain('ClusterRoleBinding');
      const dry = await run('kubectl', ['apply', '--server-side', '--field-manager=kubectl-gwtls', '--force-conflicts', '--dry-run=server', '-f', '-'], cp.kubeconfig, stream.stdout);
      expect(dry.code, dry.stderr).toBe(0);
      expect(dry.stdout).not.toMatch(/clusterrolebinding/i);
      expect(dry.stdout.trim().split('\n')).toHaveLength(parsed.length);
    } finally {
      await reset(docs);
    }
  });

  // One input per fix code (the seeds first) for the other two ways of loading.
  const representative = (() => {
    const seen = new Set<string>();
    return all.filter((i) => {
      const codes = [...i.text.matchAll(/^# (GWTLS-[A-Z]+-\d{3}) invalid/gm)].map((m) => m[1]!);
      if (i.path.startsWith(SEEDS)) return true;
      const fresh = codes.filter((c) => !seen.has(c));
      for (const c of codes) seen.add(c);
      return fresh.length > 0;
    });
  })();
  for (const mode of ['server-side apply by another manager', 'kubectl create'] as const) {
    it(`the same with objects loaded by ${mode} (${representative.length} inputs, one per rule)`, async () => {
      let planned = 0;
      for (const input of representative) planned += (await prove(input, mode, mode === 'server-side apply by another manager')).planned;
      console.log(`[fix-plan] ${mode}: ${representative.length} inputs, ${planned} objects changed`);
      expect(planned).toBeGreaterThan(0);
    }, 3_600_000);
  }
});
