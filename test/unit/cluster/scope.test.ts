// Findings for one Gateway are about objects on its path. Seed (a) as written, in two namespaces: its TCPRoute's
// parentRef names a namespace that does not exist, so each copy is "misdirected", but to the Gateway of its own
// namespace. Inspecting one copy must not judge the other (issue 11: PLAT-001 on another namespace's TCPRoute
// and TargetGroupConfiguration).
import { readFileSync } from 'node:fs';
import * as yaml from 'js-yaml';
import { describe, expect, it } from 'vitest';
import { loadManifests } from '../../../src/cluster/manifests.ts';
import { buildModel } from '../../../src/graph/model.ts';
import { runRules } from '../../../src/rules/engine.ts';
import { ALL_RULES } from '../../../src/rules/index.ts';

const NOW = new Date('2026-11-22T00:00:00Z');
const seed = readFileSync('test/fixtures/seeds/a-nlb-acm/as-written.yaml', 'utf8');

function inNamespace(ns: string): string {
  return (yaml.loadAll(seed) as Array<Record<string, unknown> & { kind: string; metadata: Record<string, unknown> }>)
    .filter(Boolean)
    .map((d) => yaml.dump(d.kind === 'GatewayClass' ? d : { ...d, metadata: { ...d.metadata, namespace: ns } }))
    .join('---\n');
}

describe('findings for one Gateway', () => {
  it('stay on its path: nothing about the same objects in another namespace', async () => {
    const { snapshot } = await loadManifests(['-'], 'default', async () => `${inNamespace('team-a')}---\n${inNamespace('team-b')}`);
    for (const ns of ['team-a', 'team-b']) {
      const model = buildModel(snapshot, { allNamespaces: false, namespace: ns, gatewayName: 'mygateway' }, NOW);
      const { findings } = runRules(model, ALL_RULES);
      expect(findings.map((f) => f.code)).toContain('GWTLS-RT-001');
      expect(findings.filter((f) => f.object.namespace && f.object.namespace !== ns).map((f) => `${f.code} ${f.object.kind} ${f.object.namespace}/${f.object.name}`)).toEqual([]);
      expect(model.gateways[0]!.misdirected.map((m) => m.route.obj.meta.namespace)).toEqual([ns]);
    }
    // With every namespace in scope, each misdirected route still belongs to the Gateway of its own namespace.
    const all = buildModel(snapshot, { allNamespaces: true }, NOW);
    for (const g of all.gateways) expect(g.misdirected.map((m) => m.route.obj.meta.namespace)).toEqual([g.obj.meta.namespace]);
  });
});
