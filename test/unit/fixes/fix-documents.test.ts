// The access review reads a fix's documents as they were written instead of reading its YAML back
// (src/fixes/yaml.ts, fixDocuments). That is only sound if the two are the same: over every fix the rules
// offer on every scenario, seed and hostile input, the remembered documents equal what `kubectl apply -f`
// would read from the YAML, and the review and classification come out the same either way.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadManifests } from '../../../src/cluster/manifests.ts';
import { reviewAccess } from '../../../src/fixes/access.ts';
import { fix as makeFix } from '../../../src/fixes/builders.ts';
import { fixDocuments, parseDocuments, yamlDocs } from '../../../src/fixes/yaml.ts';
import { buildModel } from '../../../src/graph/model.ts';
import { runRules } from '../../../src/rules/engine.ts';
import { ALL_RULES } from '../../../src/rules/index.ts';
import { hostileManifest } from '../../helpers/hostile.ts';
import { listScenarios, REPO_ROOT, scenarioText } from '../../helpers/scenarios.ts';

const SEEDS = 'test/fixtures/seeds';
const seeds = readdirSync(join(REPO_ROOT, SEEDS), { recursive: true, encoding: 'utf8' })
  .filter((f) => f.endsWith('.yaml'))
  .map((f) => ({ path: `${SEEDS}/${f}`, now: '2026-11-22T00:00:00Z', text: () => readFileSync(join(REPO_ROOT, SEEDS, f), 'utf8') }));
const hostile = [
  { path: 'hostile manifest', now: '2026-11-22T00:00:00Z', text: hostileManifest },
  { path: 'test/fixtures/hostile/tenant.yaml', now: '2026-11-22T00:00:00Z', text: () => readFileSync(join(REPO_ROOT, 'test/fixtures/hostile/tenant.yaml'), 'utf8') },
];
const inputs = [...listScenarios().map((s) => ({ path: s.path, now: s.now, text: () => scenarioText(s) })), ...seeds, ...hostile];

describe('a fix remembers the documents its YAML was written from', () => {
  it('for every fix of every scenario, seed and hostile input', async () => {
    let fixes = 0;
    for (const input of inputs) {
      const { snapshot } = await loadManifests(['-'], 'default', async () => input.text());
      const model = buildModel(snapshot, { allNamespaces: true }, new Date(input.now));
      for (const finding of runRules(model, ALL_RULES).findings) {
        for (const fix of finding.fixes) {
          fixes++;
          const fromYaml = parseDocuments(fix.yaml);
          // Strict: the same keys, no undefined standing in for an absent field.
          expect(JSON.stringify(fixDocuments(fix)), `${input.path}: ${finding.code}: ${fix.title}`).toBe(JSON.stringify(fromYaml));
          expect(fixDocuments(fix)).toStrictEqual(fromYaml);
          expect(reviewAccess(fix, finding.object, snapshot)).toEqual(reviewAccess({ ...fix }, finding.object, snapshot));
        }
      }
    }
    console.log(`${fixes} fixes over ${inputs.length} inputs: remembered documents equal the YAML read back`);
    expect(fixes).toBeGreaterThan(100);
  });

  it('but a fix whose YAML was changed afterwards is reviewed from its YAML', async () => {
    const { snapshot } = await loadManifests(['-'], 'default', async () => 'apiVersion: v1\nkind: Namespace\nmetadata: {name: app}\n');
    const f = makeFix('annotate', [{ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', namespace: 'app' } }]);
    const subject = { apiVersion: 'v1', kind: 'ConfigMap', namespace: 'app', name: 'c' };
    expect(reviewAccess(f, subject, snapshot).grants).toEqual([]);
    f.yaml = yamlDocs({ apiVersion: 'gateway.networking.k8s.io/v1beta1', kind: 'ReferenceGrant', metadata: { name: 'g', namespace: 'infra' }, spec: { from: [{ group: 'gateway.networking.k8s.io', kind: 'HTTPRoute', namespace: 'app' }], to: [{ group: '', kind: 'Secret' }] } });
    expect(fixDocuments(f)).toEqual(parseDocuments(f.yaml));
    expect(reviewAccess(f, subject, snapshot).grants).toEqual([expect.stringMatching(/^creates ReferenceGrant infra\/g, which lets HTTPRoutes in app reference Secret \(any name\)/)]);
  });
});
