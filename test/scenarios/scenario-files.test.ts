// Every scenario file (test/fixtures/scenarios) is a standalone document set that loads without input errors,
// could be created in a real API server as it stands, and gives the verdict of the rule-test case that reads it.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadManifests } from '../../src/cluster/manifests.ts';
import { buildModel } from '../../src/graph/model.ts';
import { runRules } from '../../src/rules/engine.ts';
import { ALL_RULES } from '../../src/rules/index.ts';
import {
  CLUSTER_SCOPED_KINDS,
  listScenarios,
  referencedNamespaces,
  REPO_ROOT,
  scenarioDocuments,
  SCENARIO_DIR,
  SERVED_VERSIONS,
  servedKey,
  type Scenario,
} from '../helpers/scenarios.ts';

const scenarios = listScenarios();
const RULE_TESTS = 'test/unit/rules';
const ruleTestSources = new Map(readdirSync(join(REPO_ROOT, RULE_TESTS)).map((f) => [`${RULE_TESTS}/${f}`, readFileSync(join(REPO_ROOT, RULE_TESTS, f), 'utf8')]));

const slug = (name: string) => name.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '');

function standaloneProblems(s: Scenario): string[] {
  const docs = scenarioDocuments(s);
  const problems: string[] = [];
  const declared = new Set(docs.filter((d) => d.kind === 'Namespace').map((d) => d.metadata.name));
  const referenced = new Set<string>();
  for (const d of docs) {
    const label = `${d.kind} ${d.metadata.namespace ? `${d.metadata.namespace}/` : ''}${d.metadata.name}`;
    if (!CLUSTER_SCOPED_KINDS.has(d.kind) && !d.metadata.namespace) problems.push(`${label}: no metadata.namespace`);
    for (const ns of referencedNamespaces(d)) referenced.add(ns);
    const { key, version } = servedKey(d.apiVersion, d.kind);
    if (!s.apiServerRejects && !SERVED_VERSIONS[key]?.includes(version)) problems.push(`${label}: ${d.apiVersion} is not served by the e2e CRDs`);
  }
  for (const ns of referenced) {
    if (ns !== 'default' && !declared.has(ns) && !(ns in s.missingNamespaces)) problems.push(`namespace ${ns} is referenced but no Namespace object declares it`);
  }
  for (const ns of Object.keys(s.missingNamespaces)) {
    if (declared.has(ns)) problems.push(`namespace ${ns} is declared missing but a Namespace object creates it`);
    if (!referenced.has(ns)) problems.push(`namespace ${ns} is declared missing but nothing references it`);
  }
  return problems;
}

describe('scenario files', () => {
  it('exist, one per converted rule-test case', () => {
    expect(scenarios.length).toBeGreaterThan(200);
  });

  it('are each read by exactly one rule-test case, and every scenario a rule test reads exists', () => {
    const paths = new Set(scenarios.map((s) => s.path));
    const dangling: string[] = [];
    const readCount = new Map<string, number>();
    for (const [file, text] of ruleTestSources) {
      for (const m of text.matchAll(/'file:(test\/fixtures\/scenarios\/[^']+)'/g)) {
        if (!paths.has(m[1]!)) dangling.push(`${file}: ${m[1]}`);
        readCount.set(m[1]!, (readCount.get(m[1]!) ?? 0) + 1);
      }
    }
    expect(dangling).toEqual([]);
    expect(scenarios.filter((s) => readCount.get(s.path) !== 1).map((s) => `${s.path}: read ${readCount.get(s.path) ?? 0} times`)).toEqual([]);
  });

  for (const s of scenarios) {
    describe(s.path.slice(SCENARIO_DIR.length + 1), () => {
      it('is named after its header and read by the test its header names', () => {
        expect(s.path).toMatch(new RegExp(`^${SCENARIO_DIR}/${s.family}/${s.code.toLowerCase()}/${s.expect}-${slug(s.name).slice(0, 40)}`));
        expect(s.test).toBe(`${RULE_TESTS}/${s.family}.test.ts`);
        expect(ruleTestSources.get(s.test) ?? '').toContain(`'file:${s.path}'`);
      });

      it('is a standalone set an API server could create', () => {
        expect(standaloneProblems(s)).toEqual([]);
      });

      it(`loads without input errors and is ${s.expect} for ${s.code}`, async () => {
        const rule = ALL_RULES.find((r) => r.meta.code === s.code);
        expect(rule, `${s.code} is a registered rule`).toBeDefined();
        const { snapshot, errors } = await loadManifests([join(REPO_ROOT, s.path)], 'default');
        expect(errors).toEqual([]);
        const findings = runRules(buildModel(snapshot, { allNamespaces: true }, new Date(s.now)), [rule!]).findings;
        if (s.expect === 'valid') expect(findings.map((f) => f.message)).toEqual([]);
        else expect(findings.length).toBeGreaterThan(0);
      });
    });
  }
});
