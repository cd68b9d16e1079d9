// Namespaces are names, not meaning: every seed and scenario fixture with each of its namespaces renamed (in
// metadata, in every `namespace` field, and in the kubernetes.io/metadata.name label that selectors match) gives
// the same findings, renamed. Kept as they are: the namespaces whose name is a fact of an installation (`default`,
// where objects without one go; kube-system; the controllers' own, cert-manager, envoy-gateway-system and
// calico-system, where the tool reads their configuration), and those a cluster DNS name `NAME.NS.svc` carries
// (certificates name them too, and cannot be renamed).
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as yaml from 'js-yaml';
import { afterAll, describe, expect, it } from 'vitest';
import { analyse } from '../../../src/cli/inspect-run.ts';
import type { InspectReport } from '../../../src/report/types.ts';
import { yamlFiles } from '../../helpers/yaml-files.ts';

const NOW = new Date('2026-11-22T00:00:00Z');
const dir = mkdtempSync(join(tmpdir(), 'gwtls-ns-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const FIXED = new Set(['default', 'kube-system', 'cert-manager', 'envoy-gateway-system', 'calico-system']);
const PREFIX = 'renamed-';
type Doc = Record<string, unknown> & { kind?: string; metadata?: { name?: string; namespace?: string } };

function renamed(v: unknown, names: ReadonlySet<string>, key?: string): unknown {
  if (Array.isArray(v)) return v.map((x) => renamed(x, names, key));
  if (v !== null && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, renamed(x, names, k)]));
  if (typeof v !== 'string') return v;
  return names.has(v) && (key === 'namespace' || key === 'kubernetes.io/metadata.name') ? PREFIX + v : v;
}

const claims = (r: InspectReport, back: (s: string) => string) => r.findings.map((f) => back(JSON.stringify([f.code, f.severity, f.object, f.field ?? null, f.message]))).sort();

describe('namespace names', () => {
  const files = [...yamlFiles('test/fixtures/seeds'), ...yamlFiles('test/fixtures/scenarios')];

  it('change nothing but themselves in any seed or scenario fixture', async () => {
    let compared = 0;
    const differ: string[] = [];
    for (const [i, file] of files.entries()) {
      const text = readFileSync(file, 'utf8');
      const docs = yaml.loadAll(text).filter((d): d is Doc => d !== null && typeof d === 'object');
      const inDns = new Set([...text.matchAll(/\.([a-z0-9-]+)\.svc\b/g)].map((m) => m[1]!));
      const names = new Set(docs.flatMap((d) => [d.metadata?.namespace, d.kind === 'Namespace' ? d.metadata?.name : undefined]).filter((n): n is string => typeof n === 'string' && !FIXED.has(n) && !inDns.has(n)));
      if (names.size === 0) continue;
      const out = docs.map((d) => {
        const r = renamed(d, names) as Doc;
        if (d.kind === 'Namespace' && names.has(d.metadata?.name ?? '')) r.metadata = { ...r.metadata, name: PREFIX + d.metadata!.name };
        return r;
      });
      const copy = join(dir, `${i}.yaml`);
      writeFileSync(copy, out.map((d) => yaml.dump(d, { noRefs: true, lineWidth: -1 })).join('---\n'));
      const opts = { allNamespaces: true, failOn: 'none' as const };
      const [a, b] = await Promise.all([analyse(undefined, { ...opts, filename: [file] }, NOW), analyse(undefined, { ...opts, filename: [copy] }, NOW)]);
      compared++;
      const back = (s: string) => s.replaceAll(copy, file).replaceAll(PREFIX, '');
      const [x, y] = [claims(a.report, (s) => s), claims(b.report, back)];
      if (JSON.stringify(x) !== JSON.stringify(y)) differ.push(`${file}: ${[...x.filter((s) => !y.includes(s)).map((s) => `only as named: ${s}`), ...y.filter((s) => !x.includes(s)).map((s) => `only renamed: ${s}`)].map((s) => s.slice(0, 300)).join(' | ')}`);
    }
    expect(compared).toBeGreaterThan(250);
    expect(differ).toEqual([]);
  }, 300_000);
});
