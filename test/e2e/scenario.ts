// Seed scenarios, applied to a real API server the way users and controllers would put them there: the
// manifests by server-side apply, then every status a controller would write (the fixtures' own `status`,
// plus what a test adds) through the status subresource. No controller runs.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import * as yaml from 'js-yaml';
import { applyObjects, setStatus, type ClusterTarget, type KubeObject } from './harness/kube.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const CLUSTER_SCOPED = new Set(['GatewayClass', 'Namespace', 'CustomResourceDefinition']);
/** Kinds the API server would refuse or that need controllers (Deployments make no Pods here). */
const SKIP = new Set(['Deployment', 'ServiceAccount']);

/** Objects of a fixture; namespaced objects without a namespace get `namespace`, and `rename` moves the fixture's own namespaces. */
export function loadFixture(rel: string, namespace: string, rename: Record<string, string> = {}): KubeObject[] {
  const docs = yaml.loadAll(readFileSync(`${ROOT}test/fixtures/${rel}`, 'utf8')) as KubeObject[];
  return docs
    .filter((d) => d && typeof d === 'object' && !SKIP.has(d.kind))
    .map((d) => {
      const o = structuredClone(d);
      if (!CLUSTER_SCOPED.has(o.kind) && !o.metadata.namespace) o.metadata.namespace = namespace;
      if (o.metadata.namespace && rename[o.metadata.namespace]) o.metadata.namespace = rename[o.metadata.namespace];
      delete (o.metadata as Record<string, unknown>).generation;
      return o;
    });
}

/** Applies the objects, then writes their `status` (and `extraStatus`, keyed `Kind/name`) through /status. */
export async function applyScenario(objects: KubeObject[], extraStatus: Record<string, Record<string, unknown>> = {}, target?: ClusterTarget): Promise<void> {
  await applyObjects(objects, target);
  for (const o of objects) {
    const status = { ...((o as { status?: Record<string, unknown> }).status ?? {}), ...(extraStatus[`${o.kind}/${o.metadata.name}`] ?? {}) };
    if (Object.keys(status).length === 0 || o.kind === 'Secret' || o.kind === 'ConfigMap' || o.kind === 'Service') continue;
    await setStatus(o, fillConditions(status), target);
  }
}

/** Conditions written by controllers carry lastTransitionTime and message; fixtures abbreviate them. */
function fillConditions(status: Record<string, unknown>): Record<string, unknown> {
  const now = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
  const fill = (c: Record<string, unknown>) => ({ message: '', lastTransitionTime: now, ...c });
  const out: Record<string, unknown> = { ...status };
  if (Array.isArray(out.conditions)) out.conditions = (out.conditions as Array<Record<string, unknown>>).map(fill);
  for (const key of ['listeners', 'parents', 'ancestors']) {
    if (Array.isArray(out[key])) {
      out[key] = (out[key] as Array<Record<string, unknown>>).map((e) => (Array.isArray(e.conditions) ? { ...e, conditions: (e.conditions as Array<Record<string, unknown>>).map(fill) } : e));
    }
  }
  return out;
}

export function endpointSlice(namespace: string, service: string, portName: string | undefined, port: number, pods: Array<{ name: string; ip: string; node: string; ready: boolean }>): KubeObject {
  return {
    apiVersion: 'discovery.k8s.io/v1',
    kind: 'EndpointSlice',
    metadata: { name: `${service}-e2e`, namespace, labels: { 'kubernetes.io/service-name': service } },
    addressType: 'IPv4',
    ports: [{ ...(portName ? { name: portName } : {}), port, protocol: 'TCP' }],
    endpoints: pods.map((p) => ({ addresses: [p.ip], conditions: { ready: p.ready, serving: p.ready, terminating: false }, nodeName: p.node, targetRef: { kind: 'Pod', name: p.name, namespace } })),
  } as KubeObject;
}

export const cond = (type: string, status: 'True' | 'False' | 'Unknown', reason: string, message = '') => ({ type, status, reason, message });
