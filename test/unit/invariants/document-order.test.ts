// The same objects give the same answer in any order: every seed and scenario fixture, analysed as written and
// with its documents reversed, gives the same findings (code, severity, object, field, message, fixes) and the
// same list of what could not be checked.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as yaml from 'js-yaml';
import { afterAll, describe, expect, it } from 'vitest';
import { analyse } from '../../../src/cli/inspect-run.ts';
import type { InspectReport } from '../../../src/report/types.ts';
import { yamlFiles } from '../../helpers/yaml-files.ts';

const NOW = new Date('2026-11-22T00:00:00Z');
const dir = mkdtempSync(join(tmpdir(), 'gwtls-order-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function answer(report: InspectReport): string[] {
  const findings = report.findings.map((f) => JSON.stringify([f.code, f.severity, f.object, f.field ?? null, f.message, (f.fixes ?? []).map((x) => [x.type, x.title, x.yaml])]));
  const skipped = report.skipped.map((s) => JSON.stringify(s));
  return [...findings.sort(), ...skipped.sort()];
}

describe('document order', () => {
  const files = [...yamlFiles('test/fixtures/seeds'), ...yamlFiles('test/fixtures/scenarios')];

  it('changes nothing in any seed or scenario fixture', async () => {
    expect(files.length).toBeGreaterThan(300);
    const differ: string[] = [];
    for (const [i, file] of files.entries()) {
      const docs = yaml.loadAll(readFileSync(file, 'utf8')).filter((d) => d !== null && d !== undefined);
      if (docs.length < 2) continue;
      const reversed = join(dir, `${i}.yaml`);
      writeFileSync(reversed, docs.reverse().map((d) => yaml.dump(d, { noRefs: true, lineWidth: -1 })).join('---\n'));
      const opts = { allNamespaces: true, failOn: 'none' as const };
      const [a, b] = await Promise.all([analyse(undefined, { ...opts, filename: [file] }, NOW), analyse(undefined, { ...opts, filename: [reversed] }, NOW)]);
      const [x, y] = [answer(a.report), answer(b.report).map((s) => s.replaceAll(reversed, file))];
      if (JSON.stringify(x) !== JSON.stringify(y)) differ.push(`${file}: ${x.filter((s) => !y.includes(s)).concat(y.filter((s) => !x.includes(s))).map((s) => s.slice(0, 300)).join(' | ')}`);
    }
    expect(differ).toEqual([]);
  }, 300_000);
});
