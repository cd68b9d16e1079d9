// The same objects give the same answer however the Gateway is chosen: for every Gateway of every seed and
// scenario fixture, `inspect NAME -n NS` gives exactly the findings that `inspect -A` gives about that Gateway
// (same code, severity, object, field and message), and no finding outside any Gateway's path that -A lacks.
import { readFileSync } from 'node:fs';
import * as yaml from 'js-yaml';
import { describe, expect, it } from 'vitest';
import { analyse } from '../../../src/cli/inspect-run.ts';
import type { InspectReport } from '../../../src/report/types.ts';
import { yamlFiles } from '../../helpers/yaml-files.ts';

const NOW = new Date('2026-11-22T00:00:00Z');
type Finding = InspectReport['findings'][number];
const key = (f: Finding) => JSON.stringify([f.code, f.severity, f.object, f.field ?? null, f.message]);

describe('one Gateway or all of them', () => {
  const files = [...yamlFiles('test/fixtures/seeds'), ...yamlFiles('test/fixtures/scenarios')];

  it('gives the same findings about each Gateway', async () => {
    let compared = 0;
    const differ: string[] = [];
    for (const file of files) {
      const docs = yaml.loadAll(readFileSync(file, 'utf8')).filter((d): d is { kind: string; metadata?: { name?: string; namespace?: string } } => d !== null && typeof d === 'object');
      const gateways = docs.filter((d) => d.kind === 'Gateway' && typeof d.metadata?.name === 'string');
      if (gateways.length === 0) continue;
      const all = (await analyse(undefined, { allNamespaces: true, failOn: 'none', filename: [file] }, NOW)).report.findings;
      const outsideAll = new Set(all.filter((f) => !f.gateway).map(key));
      for (const g of gateways) {
        const ns = g.metadata!.namespace ?? 'default';
        const id = `${ns}/${g.metadata!.name}`;
        const one = (await analyse(g.metadata!.name, { namespace: ns, failOn: 'none', filename: [file] }, NOW)).report.findings;
        compared++;
        const [a, b] = [all.filter((f) => f.gateway === id).map(key), one.filter((f) => f.gateway === id).map(key)];
        for (const k of b.filter((x) => !a.includes(x))) differ.push(`${file} ${id}: only for the one Gateway: ${k.slice(0, 300)}`);
        for (const k of a.filter((x) => !b.includes(x))) differ.push(`${file} ${id}: only with -A: ${k.slice(0, 300)}`);
        for (const f of one.filter((x) => !x.gateway && !outsideAll.has(key(x)))) differ.push(`${file} ${id}: outside any path, only for the one Gateway: ${key(f).slice(0, 300)}`);
      }
    }
    expect(compared).toBeGreaterThan(300);
    expect(differ).toEqual([]);
  }, 300_000);
});
