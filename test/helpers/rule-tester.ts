// RuleTester (ESLint style) for kubectl-gwtls rules: healthy fixtures must produce no finding of the rule;
// broken fixtures must produce exactly the expected findings, and every safe fix, applied to the fixture the
// way server-side apply would, must make its finding disappear without adding any other finding.
import { readFileSync } from 'node:fs';
import * as yaml from 'js-yaml';
import { describe, expect, it } from 'vitest';
import { loadManifests } from '../../src/cluster/manifests.ts';
import { applyConfigurations } from '../../src/fixes/merge.ts';
import { buildModel } from '../../src/graph/model.ts';
import type { Finding, Severity } from '../../src/report/types.ts';
import { runRules } from '../../src/rules/engine.ts';
import { ALL_RULES } from '../../src/rules/index.ts';
import type { Rule } from '../../src/rules/types.ts';

export const DEFAULT_NOW = '2026-11-22T00:00:00Z';

export interface RuleCase {
  name: string;
  /** Inline YAML, or `file:<path relative to the repo>` (several joined as one document set). */
  yaml: string | string[];
  now?: string;
}

export interface ExpectedFinding {
  /** `Kind namespace/name` (or `Kind name` for cluster-scoped objects). */
  object: string;
  message?: RegExp;
  severity?: Severity;
  field?: string;
  /** Number of fixes of type `fix` expected (each is verified); default: at least the ones present are verified. */
  fixes?: number;
  suggestions?: number;
}

export interface InvalidCase extends RuleCase {
  findings: ExpectedFinding[];
}

const ROOT = new URL('../../', import.meta.url);

function source(c: RuleCase): string {
  const parts = Array.isArray(c.yaml) ? c.yaml : [c.yaml];
  return parts.map((p) => (p.startsWith('file:') ? readFileSync(new URL(p.slice(5), ROOT), 'utf8') : p)).join('\n---\n');
}

export async function analyse(text: string, now: string, rules: readonly Rule[] = ALL_RULES): Promise<Finding[]> {
  const { snapshot, errors } = await loadManifests(['-'], 'default', async () => text);
  if (errors.length) throw new Error(`fixture does not load: ${errors.map((e) => `${e.line}: ${e.message}`).join('; ')}`);
  const model = buildModel(snapshot, { allNamespaces: true }, new Date(now));
  return runRules(model, rules).findings;
}

export function objectLabel(f: Finding): string {
  return `${f.object.kind} ${f.object.namespace ? `${f.object.namespace}/` : ''}${f.object.name}`;
}

function key(f: Finding): string {
  return `${f.code} ${objectLabel(f)} ${f.field ?? ''}`;
}

/** Applies one fix to the fixture text as server-side apply would, and returns the new document set. */
export function applyFix(text: string, fixYaml: string): string {
  const docs = yaml.loadAll(text).filter((d): d is Record<string, unknown> => d !== null && typeof d === 'object');
  const configs = yaml.loadAll(fixYaml).filter((d): d is Record<string, unknown> => d !== null && typeof d === 'object');
  return applyConfigurations(docs, configs).map((d) => yaml.dump(d, { noRefs: true, lineWidth: -1 })).join('---\n');
}

export function testRule(rule: Rule, cases: { valid: RuleCase[]; invalid: InvalidCase[] }): void {
  describe(`${rule.meta.code} ${rule.meta.title}`, () => {
    it('has a docs page', () => {
      expect(() => readFileSync(new URL(`docs/rules/${rule.meta.code}.md`, ROOT), 'utf8')).not.toThrow();
    });
    for (const c of cases.valid) {
      it(`valid: ${c.name}`, async () => {
        const findings = await analyse(source(c), c.now ?? DEFAULT_NOW, [rule]);
        expect(findings.map((f) => `${objectLabel(f)}: ${f.message}`)).toEqual([]);
      });
    }
    for (const c of cases.invalid) {
      it(`invalid: ${c.name}`, async () => {
        const text = source(c);
        const now = c.now ?? DEFAULT_NOW;
        const findings = await analyse(text, now, [rule]);
        expect(findings.map(objectLabel).sort()).toEqual(c.findings.map((f) => f.object).sort());
        const before = new Set((await analyse(text, now)).map(key));
        // A fix may reveal explanations (info) about the path it opens; it must not add warnings or errors.
        for (const expected of c.findings) {
          const found = findings.find((f) => objectLabel(f) === expected.object)!;
          if (expected.message) expect(found.message).toMatch(expected.message);
          if (expected.severity) expect(found.severity).toBe(expected.severity);
          if (expected.field) expect(found.field).toBe(expected.field);
          const fixes = found.fixes.filter((f) => f.type === 'fix');
          if (expected.fixes !== undefined) expect(fixes).toHaveLength(expected.fixes);
          if (expected.suggestions !== undefined) expect(found.fixes.filter((f) => f.type === 'suggestion')).toHaveLength(expected.suggestions);
          for (const f of fixes) {
            const after = await analyse(applyFix(text, f.yaml), now);
            const afterKeys = after.map(key);
            expect(afterKeys, `fix "${f.title}" must resolve the finding`).not.toContain(key(found));
            const added = after.filter((x) => x.severity !== 'info' && !before.has(key(x))).map((x) => `${key(x)}: ${x.message}`);
            expect(added, `fix "${f.title}" must not add findings`).toEqual([]);
          }
        }
      });
    }
  });
}
