// The invariant of issue 11: the same objects give the same findings whether they come from files or from the
// API server. Every input set there is (each seed fixture, each scenario file, each conformance case when the
// corpus loader is present) is loaded into a real control plane of its own, with the status the files carry
// (written through the status subresource, as a controller would; never status predicted by the tool), and
// `inspect NAME -n NS` runs on it live and offline for every Gateway. Findings are compared by code, object,
// severity and field. A difference is either fixed or explained below by its source, and the test prints the
// count with and without the explanations.
//   GWTLS_INVARIANT_SETS=seeds,scenarios,conformance   which input sets (default: all that exist)
//   GWTLS_INVARIANT_ONLY=text                          only the sets whose name contains it
// The explanations are shared with the ListenerSet test (live-offline-explained.ts).
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as yaml from 'js-yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { yamlFiles } from '../helpers/yaml-files.ts';
import { analyse } from '../../src/cli/inspect-run.ts';
import type { InspectOptions } from '../../src/cli/inspect.ts';
import { kindFor } from '../../src/cluster/kinds.ts';
import type { Snapshot } from '../../src/cluster/snapshot.ts';
import type { Finding } from '../../src/report/types.ts';
import { ControlPlane } from './harness/controlplane.ts';
import { deleteNamespace, deleteObject, e2eEnv, getObject, type KubeObject } from './harness/kube.ts';
import { explainDifference, isOpen } from './live-offline-explained.ts';
import { applyScenario } from './scenario.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const NOW = new Date('2026-11-22T00:00:00Z');
const env = e2eEnv();
const skipReason = !env.goAvailable ? `no Go toolchain to build the control plane (${env.reason || 'go not found'})` : '';
if (skipReason) console.warn(`[gwtls-e2e] skipping the live/offline invariant: ${skipReason}`);

interface InputSet {
  name: string;
  documents: Array<Record<string, unknown>>;
}

/** What the API server gave an object when it was created: its uid and its creation time. */
interface ServerMeta {
  uid?: string;
  creationTimestamp?: string;
}

/** `Kind ns/name` -> what the API server gave the object. */
const serverMeta = new Map<string, ServerMeta>();
const metaKey = (kind: string, namespace: string | undefined, name: string) => `${kind} ${namespace ?? ''}/${name}`;

/**
 * The object with its ownerReferences' uids as the cluster holds them and, given `own`, its own uid and creation
 * time: precedence among ListenerSets, BackendTLSPolicies and routes goes by creation time, and objects created
 * across a second boundary would otherwise be ordered by time live and by name offline.
 */
function withServerMeta(o: KubeObject, own?: ServerMeta): KubeObject {
  const meta = o.metadata as { uid?: string; creationTimestamp?: string; ownerReferences?: Array<{ kind?: string; name?: string; uid?: string }> };
  if (!own && !meta.ownerReferences?.length) return o;
  const out = structuredClone(o);
  const m = out.metadata as typeof meta;
  if (own?.uid) m.uid = own.uid;
  if (own?.creationTimestamp) m.creationTimestamp = own.creationTimestamp;
  for (const r of m.ownerReferences ?? []) {
    const live = serverMeta.get(metaKey(String(r.kind), o.metadata.namespace, String(r.name)))?.uid;
    if (live) r.uid = live;
  }
  return out;
}

async function inputSets(): Promise<{ sets: InputSet[]; notes: string[] }> {
  const wanted = new Set((process.env.GWTLS_INVARIANT_SETS ?? 'seeds,scenarios,conformance').split(','));
  const sets: InputSet[] = [];
  const notes: string[] = [];
  for (const [group, dir] of [
    ['seeds', 'test/fixtures/seeds'],
    ['scenarios', 'test/fixtures/scenarios'],
  ] as const) {
    if (!wanted.has(group)) continue;
    const files = yamlFiles(join(ROOT, dir));
    if (files.length === 0) notes.push(`${dir}: no files yet`);
    for (const f of files) sets.push({ name: relative(ROOT, f), documents: (yaml.loadAll(readFileSync(f, 'utf8')) as Array<Record<string, unknown>>).filter((d) => d && typeof d === 'object') });
  }
  const loader = join(ROOT, 'test/conformance/loader.ts');
  if (wanted.has('conformance')) {
    if (!existsSync(loader)) notes.push('test/conformance/loader.ts: not present yet');
    else {
      const mod = (await import(loader)) as { loadConformance: (p: { gatewayClassName: string; controllerName: string }) => Promise<{ cases: Array<{ name: string; source: string; documents: Array<Record<string, unknown>> }> } | { skip: string }> };
      const r = await mod.loadConformance({ gatewayClassName: 'eg', controllerName: 'gateway.envoyproxy.io/gatewayclass-controller' });
      if ('skip' in r) notes.push(`conformance corpus skipped: ${r.skip}`);
      else for (const c of r.cases) sets.push({ name: `conformance ${c.name} (${c.source})`, documents: c.documents });
    }
  }
  // GWTLS_INVARIANT_ONLY=text: only the sets whose name contains it (to look at one family quickly).
  const only = process.env.GWTLS_INVARIANT_ONLY;
  return { sets: only ? sets.filter((s) => s.name.includes(only)) : sets, notes };
}

const CLUSTER_SCOPED = new Set(['GatewayClass', 'Namespace', 'CustomResourceDefinition']);

/** The objects of a set the tool reads (anything else changes nothing), with namespaces filled in. */
function objectsOf(set: InputSet): KubeObject[] {
  return set.documents
    .filter((d) => typeof d.apiVersion === 'string' && typeof d.kind === 'string' && (d.kind === 'Namespace' || kindFor(d.apiVersion, d.kind)))
    .map((d) => {
      const o = structuredClone(d) as unknown as KubeObject;
      o.metadata ??= { name: '' };
      if (!CLUSTER_SCOPED.has(o.kind) && !o.metadata.namespace) o.metadata.namespace = 'default';
      delete (o.metadata as Record<string, unknown>).generation;
      delete (o.metadata as Record<string, unknown>).resourceVersion;
      delete (o.metadata as Record<string, unknown>).uid;
      return o;
    });
}

type Key = string;
const keyOf = (f: Finding): Key => `${f.code} ${f.severity} ${f.object.kind} ${f.object.namespace ? `${f.object.namespace}/` : ''}${f.object.name} ${f.field ?? '-'}`;

interface Difference {
  set: string;
  gateway: string;
  side: 'live' | 'offline';
  finding: Finding;
  explained?: string;
  open?: boolean;
}

describe.skipIf(!!skipReason)('live equals offline on the same objects', () => {
  const cp = new ControlPlane();
  const work = mkdtempSync(join(tmpdir(), 'gwtls-invariant-'));
  const differences: Difference[] = [];
  const rejected: string[] = [];
  let compared = 0;

  beforeAll(async () => {
    await cp.start({});
  }, 600_000);

  afterAll(async () => {
    await cp.stop();
  });

  it('gives the same findings for every Gateway of every input set', async () => {
    const { sets, notes } = await inputSets();
    for (const n of notes) console.log(`[invariant] ${n}`);
    expect(sets.length).toBeGreaterThan(0);
    const target = { kubeconfig: cp.kubeconfig };
    let previous = new Map<string, { obj: KubeObject; json: string }>();
    const idOf = (o: KubeObject) => `${o.apiVersion.split('/').length > 1 ? o.apiVersion.split('/')[0] : ''}/${o.kind}/${o.metadata.namespace ?? ''}/${o.metadata.name}`;
    for (const set of sets) {
      const wanted = new Map(objectsOf(set).map((o) => [idOf(o), { obj: o, json: JSON.stringify(o) }]));
      // Leave nothing of the previous set behind (objects the next set holds unchanged stay, e.g. a shared base).
      // A namespace that changes (labels) is deleted with everything in it: nothing in it counts as kept.
      const doomed = new Set([...previous.values()].filter(({ obj: o, json }) => o.kind === 'Namespace' && wanted.get(idOf(o))?.json !== json).map(({ obj: o }) => o.metadata.name));
      for (const [id, { obj: o, json }] of previous) {
        if (o.kind === 'Namespace' || (wanted.get(id)?.json === json && !doomed.has(o.metadata.namespace ?? ''))) continue;
        if (!doomed.has(o.metadata.namespace ?? '')) await deleteObject({ apiVersion: o.apiVersion, kind: o.kind, name: o.metadata.name, namespace: o.metadata.namespace }, target);
        previous.delete(id);
      }
      for (const name of doomed) {
        await deleteNamespace(name, target);
        previous.delete(`/Namespace//${name}`);
      }
      // Load object by object: one the API server refuses is left out of both sides (and said). The server
      // gives every object a uid and a creation time of its own; ownerReferences are pointed at the uid as a
      // controller's would be, and both sides see what the server gave.
      const loaded: KubeObject[] = [];
      for (const [id, w] of wanted) {
        const obj = withServerMeta(w.obj);
        if (previous.has(id)) {
          loaded.push(withServerMeta(w.obj, serverMeta.get(metaKey(obj.kind, obj.metadata.namespace, obj.metadata.name))));
          continue;
        }
        try {
          await applyScenario([obj], {}, target);
          const stored = await getObject({ apiVersion: obj.apiVersion, kind: obj.kind, name: obj.metadata.name, namespace: obj.metadata.namespace }, target);
          const given = (stored?.metadata ?? {}) as ServerMeta;
          const own: ServerMeta = { ...(given.uid ? { uid: given.uid } : {}), ...(given.creationTimestamp ? { creationTimestamp: given.creationTimestamp } : {}) };
          serverMeta.set(metaKey(obj.kind, obj.metadata.namespace, obj.metadata.name), own);
          loaded.push(withServerMeta(w.obj, own));
        } catch (e) {
          const o = w.obj;
          rejected.push(`${set.name}: ${o.kind} ${o.metadata.namespace ? `${o.metadata.namespace}/` : ''}${o.metadata.name}: ${(e as Error).message.split('\n')[0]!.slice(0, 200)}`);
        }
      }
      previous = new Map(loaded.map((o) => [idOf(o), wanted.get(idOf(o))!]));
      const file = join(work, `set-${sets.indexOf(set)}.yaml`);
      writeFileSync(file, loaded.map((o) => yaml.dump(o, { noRefs: true, lineWidth: -1 })).join('---\n'));
      for (const gw of loaded.filter((o) => o.kind === 'Gateway')) {
        const ns = gw.metadata.namespace ?? 'default';
        const base: InspectOptions = { namespace: ns, failOn: 'none' };
        const run = async (opts: InspectOptions): Promise<{ findings: Finding[]; snapshot: Snapshot } | Error> => {
          try {
            const a = await analyse(gw.metadata.name, opts, NOW);
            return { findings: a.report.findings, snapshot: a.loaded.snapshot };
          } catch (e) {
            return e as Error;
          }
        };
        const [offline, live] = await Promise.all([run({ ...base, filename: [file] }), run({ ...base, kubeconfig: cp.kubeconfig, requestTimeout: 30_000 })]);
        compared++;
        const gateway = `${ns}/${gw.metadata.name}`;
        if (offline instanceof Error || live instanceof Error) {
          expect.soft(`${offline instanceof Error ? offline.message : 'ok'} / ${live instanceof Error ? live.message : 'ok'}`, `${set.name} ${gateway}: offline / live`).toBe('ok / ok');
          continue;
        }
        const liveKeys = new Set(live.findings.map(keyOf));
        const offlineKeys = new Set(offline.findings.map(keyOf));
        for (const [side, mine, other, theirs] of [
          ['live', live.findings, offlineKeys, offline.findings],
          ['offline', offline.findings, liveKeys, live.findings],
        ] as const) {
          for (const f of mine) {
            if (other.has(keyOf(f))) continue;
            const why = explainDifference(f, side, offline.snapshot, theirs);
            const open = !why && isOpen(set.name, f.code);
            differences.push({ set: set.name, gateway, side, finding: f, ...(why ? { explained: why } : {}), ...(open ? { open: true } : {}) });
          }
        }
      }
    }
    const unexplained = differences.filter((d) => !d.explained && !d.open);
    const open = differences.filter((d) => d.open);
    console.log(`[invariant] ${sets.length} input sets, ${compared} Gateways compared; ${differences.length} differences, ${differences.length - unexplained.length - open.length} explained by their source, ${open.length} OPEN (listed, not yet explained), ${unexplained.length} unexplained`);
    for (const r of rejected) console.log(`[invariant] refused by the API server (left out of both sides): ${r}`);
    for (const d of differences) console.log(`[invariant] ${d.explained ? 'explained' : d.open ? 'OPEN' : 'UNEXPLAINED'}: ${d.set} ${d.gateway}: only ${d.side}: ${keyOf(d.finding)}${d.explained ? ` -- ${d.explained}` : ` -- ${d.finding.message.slice(0, 300)}`}`);
    expect(compared).toBeGreaterThan(0);
    expect(unexplained.map((d) => `${d.set} ${d.gateway}: only ${d.side}: ${keyOf(d.finding)}`)).toEqual([]);
  }, 1_800_000);
});
