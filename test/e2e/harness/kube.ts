/**
 * Helpers for e2e test files. Every helper works on the cluster global-setup provided (`inject('gwtlsE2e')`)
 * unless a `target` ({ kubeconfig, context }) names another one, e.g. a ControlPlane started in the test file.
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, delimiter, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { KubeConfig } from '@kubernetes/client-node';
import { inject } from 'vitest';
import { waitForCrds } from './crds.ts';
import { E2E_ENV_KEY, type E2eEnv } from './env.ts';
import { KubeApiError, loadKubeConfig, RestClient, type ApiResource, type KubeObject } from './rest.ts';

export type { E2eEnv } from './env.ts';
export { KubeApiError, RestClient, type KubeObject } from './rest.ts';

const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));

/** The environment global-setup provided. Call it inside a test file (it uses vitest's inject). */
export function e2eEnv(): E2eEnv {
  return inject(E2E_ENV_KEY);
}

/** Prints why e2e tests are skipped (once per file) and returns true when they must be. */
export function skipE2e(env: E2eEnv = e2eEnv()): boolean {
  if (!env.available) console.warn(`[gwtls-e2e] skipping e2e tests: ${env.reason}`);
  return !env.available;
}

export interface ClusterTarget {
  /** default: the provided kubeconfig */
  kubeconfig?: string;
  /** default: the kubeconfig's current context (the admin context for harness kubeconfigs) */
  context?: string;
}

function resolveTarget(target: ClusterTarget = {}): { kubeconfig: string; context?: string } {
  if (target.kubeconfig) return { kubeconfig: target.kubeconfig, context: target.context };
  const env = e2eEnv();
  if (!env.available) throw new Error(`no e2e cluster: ${env.reason}`);
  return { kubeconfig: env.kubeconfig, context: target.context ?? env.adminContext };
}

/** A client-node KubeConfig for the harness kubeconfig (or target). */
export function kubeConfig(target?: ClusterTarget): KubeConfig {
  const t = resolveTarget(target);
  return loadKubeConfig(t.kubeconfig, t.context);
}

/** Generic REST client (server-side apply, subresources, discovery) for the harness kubeconfig (or target). */
export function restClient(target?: ClusterTarget): RestClient {
  return new RestClient(kubeConfig(target));
}

async function ensureNamespace(client: RestClient, name: string): Promise<void> {
  const res = await client.request('GET', `/api/v1/namespaces/${encodeURIComponent(name)}`);
  if (res.status === 200) return;
  await client.apply({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
}

/**
 * Creates or updates objects by server-side apply, in dependency order: CRDs first (waiting until
 * Established and served), then Namespaces (plus any namespace an object names), then the rest in the given
 * order. `status` in an object is ignored by the server (use setStatus). Returns the objects as stored.
 */
export async function applyObjects(objs: KubeObject[], target?: ClusterTarget): Promise<KubeObject[]> {
  const client = restClient(target);
  const crds = objs.filter((o) => o.kind === 'CustomResourceDefinition');
  const out: KubeObject[] = [];
  for (const crd of crds) out.push(await client.apply(crd));
  if (crds.length) await waitForCrds(client, crds);
  for (const ns of objs.filter((o) => o.kind === 'Namespace' && o.apiVersion === 'v1')) out.push(await client.apply(ns));
  const namespaces = new Set(objs.map((o) => o.metadata.namespace).filter((n): n is string => !!n));
  for (const ns of namespaces) await ensureNamespace(client, ns);
  for (const obj of objs) {
    if (obj.kind === 'CustomResourceDefinition' || (obj.kind === 'Namespace' && obj.apiVersion === 'v1')) continue;
    const { status: _status, ...rest } = obj;
    out.push(await client.apply(rest as KubeObject));
  }
  return out;
}

/** Reads an object; undefined when it does not exist. */
export async function getObject<T = KubeObject>(
  ref: { apiVersion: string; kind: string; name: string; namespace?: string },
  target?: ClusterTarget,
): Promise<T | undefined> {
  const client = restClient(target);
  const res = await client.request<T>('GET', await client.objectPath(ref));
  if (res.status === 404) return undefined;
  if (res.status !== 200) throw new KubeApiError('GET', ref.name, res.status, res.text, res.body);
  return res.body;
}

export async function deleteObject(ref: { apiVersion: string; kind: string; name: string; namespace?: string }, target?: ClusterTarget): Promise<void> {
  const client = restClient(target);
  const res = await client.request('DELETE', await client.objectPath(ref));
  if (res.status !== 200 && res.status !== 202 && res.status !== 404) throw new KubeApiError('DELETE', ref.name, res.status, res.text, res.body);
}

export interface Condition {
  type: string;
  status: 'True' | 'False' | 'Unknown';
  reason: string;
  message: string;
  lastTransitionTime: string;
  observedGeneration?: number;
}

/** A complete status condition (the Gateway API schemas require every field). */
export function condition(type: string, status: 'True' | 'False' | 'Unknown', reason: string, message = '', observedGeneration?: number): Condition {
  const c: Condition = { type, status, reason, message, lastTransitionTime: new Date().toISOString().replace(/\.\d+Z$/, 'Z') };
  if (observedGeneration !== undefined) c.observedGeneration = observedGeneration;
  return c;
}

/**
 * Writes `status` through the object's `status` subresource, as a controller would (JSON merge patch: the
 * given top-level status fields replace the stored ones). Returns the stored object.
 */
export async function setStatus<T = KubeObject>(
  obj: { apiVersion: string; kind: string; metadata: { name: string; namespace?: string } },
  status: Record<string, unknown>,
  target?: ClusterTarget,
): Promise<T> {
  const client = restClient(target);
  const path = await client.objectPath(
    { apiVersion: obj.apiVersion, kind: obj.kind, name: obj.metadata.name, namespace: obj.metadata.namespace },
    'status',
  );
  return client.call<T>('PATCH', `${path}?fieldManager=gwtls-e2e-controller`, {
    body: { status },
    contentType: 'application/merge-patch+json',
  });
}

/**
 * Deletes a namespace and everything in it, and waits until it is gone. The harness runs no
 * kube-controller-manager, so this does the namespace controller's job: deletecollection of every namespaced
 * resource type, then the namespace, then (if still Terminating) its finalize subresource.
 */
export async function deleteNamespace(name: string, target?: ClusterTarget & { timeoutMs?: number }): Promise<void> {
  const client = restClient(target);
  const nsPath = `/api/v1/namespaces/${encodeURIComponent(name)}`;
  if ((await client.request('GET', nsPath)).status === 404) return;
  const groups = await client.call<{ groups: { preferredVersion: { groupVersion: string } ; versions: { groupVersion: string }[] }[] }>('GET', '/apis');
  const groupVersions = ['v1', ...groups.groups.flatMap((g) => g.versions.map((v) => v.groupVersion))];
  for (const gv of groupVersions) {
    let resources: ApiResource[];
    try {
      resources = await client.apiResources(gv, true);
    } catch {
      continue;
    }
    for (const r of resources) {
      if (!r.namespaced || r.name.includes('/') || !r.verbs.includes('deletecollection')) continue;
      const path = `${RestClient.groupVersionPath(gv)}/namespaces/${encodeURIComponent(name)}/${r.name}`;
      const res = await client.request('DELETE', path);
      if (res.status >= 300 && res.status !== 404 && res.status !== 405) {
        throw new KubeApiError('DELETE', path, res.status, res.text, res.body);
      }
    }
  }
  await client.request('DELETE', nsPath);
  const deadline = Date.now() + (target?.timeoutMs ?? 60_000);
  for (;;) {
    const res = await client.request<{ spec?: { finalizers?: string[] }; status?: { phase?: string } }>('GET', nsPath);
    if (res.status === 404) return;
    if (res.body.status?.phase === 'Terminating' && (res.body.spec?.finalizers ?? []).length > 0) {
      await client.request('PUT', `${nsPath}/finalize`, {
        body: { apiVersion: 'v1', kind: 'Namespace', metadata: { name }, spec: { finalizers: [] } },
      });
    }
    if (Date.now() > deadline) throw new Error(`namespace ${name} still exists`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

// ---------------------------------------------------------------------------------------------------------
// Running the real plugin

export interface PluginResult {
  /** exit code; -1 when killed (timeout or signal) */
  code: number;
  stdout: string;
  stderr: string;
  durationMs: number;
  timedOut: boolean;
}

export interface RunPluginOptions extends ClusterTarget {
  /** extra environment (wins over the harness defaults) */
  env?: Record<string, string | undefined>;
  timeoutMs?: number;
  input?: string;
  cwd?: string;
}

let contextDir: string | undefined;

/** A copy of kubeconfig whose current-context is `context` (kubectl takes no global flags before a plugin name). */
function kubeconfigForContext(kubeconfig: string, context: string): string {
  const kc = loadKubeConfig(kubeconfig);
  if (kc.getCurrentContext() === context) return kubeconfig;
  if (!kc.getContexts().some((c) => c.name === context)) throw new Error(`context ${context} not in ${kubeconfig}`);
  // a harness kubeconfig: the copy goes into the control plane's temp dir and is removed with it
  let dir = dirname(kubeconfig);
  if (!(basename(dir).startsWith('gwtls-e2e-') && existsSync(join(dir, 'pki')))) {
    if (!contextDir) {
      contextDir = mkdtempSync(join(tmpdir(), 'gwtls-e2e-kubeconfig-'));
      const created = contextDir;
      process.on('exit', () => rmSync(created, { recursive: true, force: true }));
    }
    dir = contextDir;
  }
  const file = join(dir, `kubeconfig-${createHash('sha256').update(`${kubeconfig}\0${context}`).digest('hex').slice(0, 16)}.yaml`);
  const text = readFileSync(kubeconfig, 'utf8').replace(/^current-context:.*$/m, `current-context: ${context}`);
  writeFileSync(file, text, { mode: 0o600 });
  return file;
}

/** PATH with the repo's bin/ (kubectl-gwtls) and node_modules/.bin (Node 24) first. */
export function pluginPath(): string {
  return [join(REPO_ROOT, 'bin'), join(REPO_ROOT, 'node_modules', '.bin'), process.env.PATH ?? ''].join(delimiter);
}

/**
 * Runs the real `kubectl gwtls ARGS...`, found by kubectl's plugin discovery on PATH, against the harness
 * kubeconfig (KUBECONFIG; `context` selects another context of it). kubectl: $GWTLS_E2E_KUBECTL or `kubectl`.
 */
export function runPlugin(args: string[], opts: RunPluginOptions = {}): Promise<PluginResult> {
  const t = resolveTarget(opts);
  const kubeconfig = t.context ? kubeconfigForContext(t.kubeconfig, t.context) : t.kubeconfig;
  const merged: NodeJS.ProcessEnv = { ...process.env, PATH: pluginPath(), KUBECONFIG: kubeconfig, ...opts.env };
  // an `undefined` value in opts.env removes that variable
  const env = Object.fromEntries(Object.entries(merged).filter(([, v]) => v !== undefined)) as NodeJS.ProcessEnv;
  const kubectl = process.env.GWTLS_E2E_KUBECTL || 'kubectl';
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(kubectl, ['gwtls', ...args], { env, cwd: opts.cwd ?? REPO_ROOT, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, opts.timeoutMs ?? 60_000);
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
    });
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
    });
    child.on('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code: code ?? -1, stdout, stderr, durationMs: performance.now() - started, timedOut });
    });
    child.stdin.end(opts.input ?? '');
  });
}
