// ListenerSets (GEP-1713) on a real API server: every scenario file that holds a ListenerSet and every
// `listenerset-*` case of the Gateway API v1.6.1 conformance suite is loaded into a control plane of its own
// (status as the files carry it, through the status subresource; the API server's CRD defaults otherwise), and
// `inspect` runs on each Gateway live and from the same objects as files. Live must equal offline: the same
// findings, and the same merged view (each listener's origin and precedence conflict, each ListenerSet's
// admission and expected Accepted condition, the expected attachedListenerSets). A second control plane with the
// Gateway API v1.4.1 CRDs serves XListenerSet (gateway.networking.x-k8s.io/v1alpha1), which is read there live.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as yaml from 'js-yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { analyse } from '../../src/cli/inspect-run.ts';
import type { InspectOptions } from '../../src/cli/inspect.ts';
import { kindFor } from '../../src/cluster/kinds.ts';
import type { Finding, GatewayReport, InspectReport } from '../../src/report/types.ts';
import { loadConformance } from '../conformance/loader.ts';
import { listScenarios, scenarioDocuments } from '../helpers/scenarios.ts';
import { ControlPlane } from './harness/controlplane.ts';
import { deleteNamespace, deleteObject, e2eEnv, getObject, type KubeObject } from './harness/kube.ts';
import { explainDifference } from './live-offline-explained.ts';
import { applyScenario } from './scenario.ts';

const NOW = new Date('2026-11-22T00:00:00Z');
const env = e2eEnv();
const skipReason = !env.goAvailable ? `no Go toolchain to build the control plane (${env.reason || 'go not found'})` : '';
if (skipReason) console.warn(`[gwtls-e2e] SKIPPING the ListenerSet live/offline tests: ${skipReason}`);

const CLUSTER_SCOPED = new Set(['GatewayClass', 'Namespace', 'CustomResourceDefinition', 'ClusterIssuer']);
const isSet = (d: { kind?: unknown }) => d.kind === 'ListenerSet' || d.kind === 'XListenerSet';

interface InputSet {
  name: string;
  documents: Array<Record<string, unknown>>;
}

function objectsOf(set: InputSet): KubeObject[] {
  return set.documents
    .filter((d) => typeof d.apiVersion === 'string' && typeof d.kind === 'string' && (d.kind === 'Namespace' || kindFor(d.apiVersion, d.kind)))
    .map((d) => {
      const o = structuredClone(d) as unknown as KubeObject;
      if (!CLUSTER_SCOPED.has(o.kind) && !o.metadata.namespace) o.metadata.namespace = 'default';
      return o;
    });
}

const keyOf = (f: Finding) => `${f.code} ${f.severity} ${f.object.kind} ${f.object.namespace ?? ''}/${f.object.name} ${f.field ?? '-'}`;

/** The merged view a user reads: listeners with their origin and conflict, and the ListenerSets' verdicts. */
function mergedView(g: GatewayReport): unknown {
  return {
    listeners: g.listeners.map((l) => ({ name: l.name, origin: l.origin, conflict: l.conflict ? `${l.conflict.reason} with ${l.conflict.with.origin.kind} ${l.conflict.with.origin.namespace}/${l.conflict.with.origin.name} ${l.conflict.with.name}` : null, routes: l.routes.filter((r) => r.attached).map((r) => `${r.kind} ${r.namespace}/${r.name}`).sort() })),
    allowedListeners: g.allowedListeners,
    expectedAttachedListenerSets: g.expectedAttachedListenerSets,
    listenerSets: g.listenerSets?.map((s) => ({ kind: s.kind, namespace: s.namespace, name: s.name, admitted: s.admitted, accepted: s.accepted, reason: s.reason, expectedConditions: s.expectedConditions })),
  };
}

/** Loads each set in turn (leaving nothing of the previous one), and compares live with offline for every Gateway. */
/** The object with the creationTimestamp the API server holds for it. */
async function withCreationTime(o: KubeObject, target: { kubeconfig: string }): Promise<KubeObject> {
  const stored = await getObject({ apiVersion: o.apiVersion, kind: o.kind, name: o.metadata.name, ...(o.metadata.namespace ? { namespace: o.metadata.namespace } : {}) }, target);
  const created = stored?.metadata.creationTimestamp;
  return created ? { ...o, metadata: { ...o.metadata, creationTimestamp: created } } : o;
}

async function compareSets(cp: ControlPlane, sets: InputSet[], work: string, check?: (set: string, live: InspectReport) => void): Promise<{ compared: number; explained: string[]; unexplained: string[]; refused: string[] }> {
  const target = { kubeconfig: cp.kubeconfig };
  const out = { compared: 0, explained: [] as string[], unexplained: [] as string[], refused: [] as string[] };
  const idOf = (o: KubeObject) => `${o.apiVersion.split('/').length > 1 ? o.apiVersion.split('/')[0] : ''}/${o.kind}/${o.metadata.namespace ?? ''}/${o.metadata.name}`;
  let previous = new Map<string, { obj: KubeObject; json: string }>();
  for (const set of sets) {
    const wanted = new Map(objectsOf(set).map((o) => [idOf(o), { obj: o, json: JSON.stringify(o) }]));
    // A namespace that changes (labels) is deleted with everything in it: nothing in it counts as kept.
    const doomed = new Set([...previous.values()].filter(({ obj: o, json }) => o.kind === 'Namespace' && wanted.get(idOf(o))?.json !== json).map(({ obj: o }) => o.metadata.name));
    for (const [id, { obj: o, json }] of previous) {
      if (o.kind === 'Namespace' || (wanted.get(id)?.json === json && !doomed.has(o.metadata.namespace ?? ''))) continue;
      if (!doomed.has(o.metadata.namespace ?? '')) await deleteObject({ apiVersion: o.apiVersion, kind: o.kind, name: o.metadata.name, ...(o.metadata.namespace ? { namespace: o.metadata.namespace } : {}) }, target);
      previous.delete(id);
    }
    for (const ns of doomed) {
      await deleteNamespace(ns, target);
      previous.delete(`/Namespace//${ns}`);
    }
    const loaded: KubeObject[] = [];
    for (const [id, w] of wanted) {
      if (!previous.has(id)) {
        try {
          await applyScenario([w.obj], {}, target);
        } catch (e) {
          out.refused.push(`${set.name}: ${w.obj.kind} ${w.obj.metadata.name}: ${(e as Error).message.split('\n')[0]!.slice(0, 160)}`);
          continue;
        }
      }
      loaded.push(w.obj);
    }
    previous = new Map(loaded.map((o) => [idOf(o), wanted.get(idOf(o))!]));
    const file = join(work, `set-${sets.indexOf(set)}.yaml`);
    // ListenerSets take precedence by creation time (GEP-1713), which only the API server gives them: the files
    // carry the time it gave, so that both sides judge the same objects (two sets created across a second
    // boundary would otherwise be ordered by time live and by name offline).
    const offline = await Promise.all(loaded.map((o) => (/ListenerSet$/.test(o.kind) ? withCreationTime(o, target) : o)));
    writeFileSync(file, offline.map((o) => yaml.dump(o, { noRefs: true, lineWidth: -1 })).join('---\n'));
    for (const gw of loaded.filter((o) => o.kind === 'Gateway')) {
      const ns = gw.metadata.namespace ?? 'default';
      const base: InspectOptions = { namespace: ns, failOn: 'none' };
      const [offline, live] = await Promise.all([analyse(gw.metadata.name, { ...base, filename: [file] }, NOW), analyse(gw.metadata.name, { ...base, kubeconfig: cp.kubeconfig, requestTimeout: 30_000 }, NOW)]);
      out.compared++;
      const where = `${set.name} Gateway ${ns}/${gw.metadata.name}`;
      check?.(set.name, live.report);
      expect(mergedView(live.report.gateways[0]!), `${where}: the merged listener view`).toEqual(mergedView(offline.report.gateways[0]!));
      const liveKeys = new Set(live.report.findings.map(keyOf));
      const offKeys = new Set(offline.report.findings.map(keyOf));
      for (const [side, mine, other] of [
        ['live', live.report.findings, offKeys],
        ['offline', offline.report.findings, liveKeys],
      ] as const) {
        for (const f of mine) {
          if (other.has(keyOf(f))) continue;
          const why = explainDifference(f, side, offline.loaded.snapshot, side === 'live' ? offline.report.findings : live.report.findings);
          (why ? out.explained : out.unexplained).push(`${where}: only ${side}: ${keyOf(f)}${why ? ` -- ${why}` : ` -- ${f.message.slice(0, 240)}`}`);
        }
      }
    }
  }
  return out;
}

describe.skipIf(!!skipReason)('ListenerSets: live equals offline (Gateway API v1.6.1 CRDs)', () => {
  const cp = new ControlPlane();
  const work = mkdtempSync(join(tmpdir(), 'gwtls-listenerset-'));
  beforeAll(async () => {
    await cp.start({});
  }, 600_000);
  afterAll(async () => {
    await cp.stop();
    rmSync(work, { recursive: true, force: true });
  });

  it('for every scenario file with a ListenerSet and every listenerset-* conformance case', async () => {
    const sets: InputSet[] = listScenarios()
      .filter((s) => !s.apiServerRejects)
      .map((s) => ({ name: s.path, documents: scenarioDocuments(s) as Array<Record<string, unknown>> }))
      .filter((s) => s.documents.some(isSet));
    const conformance = await loadConformance({ gatewayClassName: 'eg', controllerName: 'gateway.envoyproxy.io/gatewayclass-controller' });
    if ('skip' in conformance) console.warn(`[gwtls-e2e] the listenerset-* conformance cases are left out: ${conformance.skip}`);
    else sets.push(...conformance.cases.filter((c) => c.name.startsWith('listenerset-')).map((c) => ({ name: `conformance ${c.name}`, documents: c.documents })));
    expect(sets.filter((s) => s.name.startsWith('test/fixtures/scenarios/listener-sets/')).length).toBeGreaterThan(20);
    let setsRead = 0;
    const r = await compareSets(cp, sets, work, (_set, live) => {
      // Read live at the version served (v1), and merged: the live side is the cluster, not the files.
      expect(live.source.type).toBe('cluster');
      expect(live.source.kinds?.ListenerSet).toBe('v1');
      if (live.gateways[0]?.listenerSets?.length) setsRead++;
    });
    console.log(`[gwtls-e2e] ListenerSets: ${sets.length} input sets, ${r.compared} Gateways compared live/offline (${setsRead} with ListenerSets); ${r.explained.length} differences explained, ${r.unexplained.length} unexplained; ${r.refused.length} objects refused by the API server`);
    for (const line of [...r.explained, ...r.refused]) console.log(`[gwtls-e2e]   ${line}`);
    expect(setsRead).toBeGreaterThan(20);
    expect(r.refused).toEqual([]);
    expect(r.unexplained).toEqual([]);
  }, 900_000);
});

describe.skipIf(!!skipReason)('XListenerSet read live (Gateway API v1.4.1 CRDs)', () => {
  const cp = new ControlPlane();
  const work = mkdtempSync(join(tmpdir(), 'gwtls-xlistenerset-'));
  beforeAll(async () => {
    await cp.start({ gatewayApiVersion: 'v1.4.1' });
  }, 600_000);
  afterAll(async () => {
    await cp.stop();
    rmSync(work, { recursive: true, force: true });
  });

  it('reads gateway.networking.x-k8s.io/v1alpha1, merges it, and says Envoy Gateway v1.9 does not read it, as offline', async () => {
    const scenario = listScenarios().find((s) => s.code === 'GWTLS-LS-005' && s.name.startsWith('an XListenerSet'))!;
    expect(scenario.apiServerRejects, 'refused by the v1.6.1 CRDs, served by v1.4.1').toBeDefined();
    const r = await compareSets(cp, [{ name: scenario.path, documents: scenarioDocuments(scenario) as Array<Record<string, unknown>> }], work, (_set, live) => {
      expect(live.source.kinds?.XListenerSet).toBe('v1alpha1');
      expect(live.source.kinds?.ListenerSet).toBeUndefined();
      const g = live.gateways[0]!;
      expect(g.listenerSets?.map((s) => `${s.kind} ${s.apiVersion} ${s.namespace}/${s.name}`)).toEqual(['XListenerSet gateway.networking.x-k8s.io/v1alpha1 team-a/apps']);
      expect(g.listeners.find((l) => l.origin?.kind === 'XListenerSet')?.name).toBe('app');
      expect(live.findings.map((f) => `${f.code} ${f.object.kind}`)).toContain('GWTLS-LS-005 XListenerSet');
    });
    for (const line of [...r.explained, ...r.refused]) console.log(`[gwtls-e2e]   ${line}`);
    expect(r.compared).toBe(1);
    expect(r.refused).toEqual([]);
    expect(r.unexplained).toEqual([]);
  }, 600_000);
});
