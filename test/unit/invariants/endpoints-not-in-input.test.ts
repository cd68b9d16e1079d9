// Manifests rarely carry EndpointSlices or Pods (a rendered chart, a pull request): without them the endpoints are
// not known, and the report must say so rather than claim anything about them. For every seed and scenario
// fixture, analysed as written and with its EndpointSlices and Pods left out:
//   - no finding appears that the full input does not give, nor one more severe (less input is less certainty,
//     never a new claim: a backend the full input shows serving TLS from its Pods is then only "looks like it");
//   - every Service backend whose endpoints the full input counts says, instead, that they were not checked and
//     why, and `skipped` names the Service.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as yaml from 'js-yaml';
import { afterAll, describe, expect, it } from 'vitest';
import { analyse } from '../../../src/cli/inspect-run.ts';
import type { BackendReport, InspectReport } from '../../../src/report/types.ts';
import { yamlFiles } from '../../helpers/yaml-files.ts';

const NOW = new Date('2026-11-22T00:00:00Z');
const dir = mkdtempSync(join(tmpdir(), 'gwtls-noep-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

type Finding = InspectReport['findings'][number];
const claim = (f: Finding) => JSON.stringify([f.code, f.object, f.field ?? null]);
const RANK = { info: 0, warning: 1, error: 2 } as const;

function serviceBackends(report: InspectReport): Map<string, BackendReport> {
  const out = new Map<string, BackendReport>();
  for (const g of report.gateways)
    for (const l of g.listeners)
      for (const r of l.routes)
        for (const b of r.backends ?? []) if (b.kind === 'Service' && b.resolved === true) out.set(`${g.namespace}/${g.name} ${l.name} ${r.kind} ${r.namespace}/${r.name} ${b.rule ?? ''}.${b.index ?? ''}`, b);
  return out;
}

describe('EndpointSlices and Pods not in the input', () => {
  const files = [...yamlFiles('test/fixtures/seeds'), ...yamlFiles('test/fixtures/scenarios')];

  it('adds no finding, and every backend whose endpoints were counted says they were not checked', async () => {
    let compared = 0;
    let backendsCompared = 0;
    const problems: string[] = [];
    for (const [i, file] of files.entries()) {
      const docs = yaml.loadAll(readFileSync(file, 'utf8')).filter((d): d is Record<string, unknown> => d !== null && typeof d === 'object');
      const kept = docs.filter((d) => d.kind !== 'EndpointSlice' && d.kind !== 'Pod');
      if (kept.length === docs.length || kept.length === 0) continue;
      const stripped = join(dir, `${i}.yaml`);
      writeFileSync(stripped, kept.map((d) => yaml.dump(d, { noRefs: true, lineWidth: -1 })).join('---\n'));
      const opts = { allNamespaces: true, failOn: 'none' as const };
      const [full, less] = await Promise.all([analyse(undefined, { ...opts, filename: [file] }, NOW), analyse(undefined, { ...opts, filename: [stripped] }, NOW)]);
      compared++;
      const known = new Map(full.report.findings.map((f) => [claim(f), f]));
      for (const f of less.report.findings) {
        const was = known.get(claim(f));
        if (!was) problems.push(`${file}: new finding without EndpointSlices and Pods: ${f.code} ${f.object.kind} ${f.object.namespace ?? ''}/${f.object.name}: ${f.message.slice(0, 200)}`);
        else if (RANK[f.severity] > RANK[was.severity]) problems.push(`${file}: ${f.code} on ${f.object.kind} ${f.object.name} is ${f.severity} without EndpointSlices and Pods, ${was.severity} with them`);
      }
      const before = serviceBackends(full.report);
      const after = serviceBackends(less.report);
      const skipped = less.report.skipped.filter((s) => s.what === 'EndpointSlice' && s.reason === 'not-in-input').map((s) => s.detail);
      for (const [key, b] of before) {
        if (b.endpoints === null) continue;
        const a = after.get(key);
        if (!a) {
          problems.push(`${file}: ${key}: the backend is gone without EndpointSlices and Pods`);
          continue;
        }
        backendsCompared++;
        if (a.endpoints !== null || !a.endpointsNotChecked) problems.push(`${file}: ${key}: endpoints ${JSON.stringify(a.endpoints)}, endpointsNotChecked ${JSON.stringify(a.endpointsNotChecked)}`);
        else if (!/not in the input|in the input/.test(a.endpointsNotChecked)) problems.push(`${file}: ${key}: endpointsNotChecked does not say why: ${a.endpointsNotChecked}`);
        if (!skipped.some((d) => d.includes(`${b.namespace}/${b.name}`) || d.includes(', …'))) problems.push(`${file}: ${key}: skipped does not name Service ${b.namespace}/${b.name}: ${JSON.stringify(skipped)}`);
      }
    }
    expect(compared).toBeGreaterThan(20);
    expect(backendsCompared).toBeGreaterThan(20);
    expect(problems).toEqual([]);
  }, 300_000);
});
