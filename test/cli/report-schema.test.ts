// docs/report.schema.json covers every field the report carries: every seed and every scenario file, read as
// files with -A, give a report (with the `applied` section `--apply -o json` adds, built from the same plan in
// files mode) that validates against the schema and has no field the schema does not name. The schema stays open
// for consumers (fields are added, never removed); the test is what closes it for us.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import * as yaml from 'js-yaml';
import { describe, expect, it } from 'vitest';
import { appliedReport, planFor } from '../../src/cli/fix-run.ts';
import { analyse } from '../../src/cli/inspect-run.ts';
import type { InspectOptions } from '../../src/cli/inspect.ts';
import { STATES } from '../../src/report/state.ts';
import { ROOT, runCli } from '../helpers/cli.ts';
import { listScenarios } from '../helpers/scenarios.ts';
import { unnamedFields } from './schema-coverage.ts';

const schema = JSON.parse(readFileSync(join(ROOT, 'docs/report.schema.json'), 'utf8')) as Record<string, unknown>;
const validate = new Ajv({ allErrors: true, strict: false }).compile(schema);
const SEED_NOW = '2026-11-22T00:00:00Z';

const seeds = readdirSync(join(ROOT, 'test/fixtures/seeds')).flatMap((d) => readdirSync(join(ROOT, 'test/fixtures/seeds', d)).map((f) => ({ path: `test/fixtures/seeds/${d}/${f}`, now: SEED_NOW })));
const inputs = [...seeds, ...listScenarios().map((s) => ({ path: s.path, now: s.now }))];

/** The report `inspect -A -f FILE -o json` prints, with the applied section of `--apply -o json`, as JSON text gives it back. */
async function reportOf(path: string, now: string): Promise<Record<string, unknown>> {
  const opts: InspectOptions = { filename: [join(ROOT, path)], allNamespaces: true, failOn: 'error', requestTimeout: 30_000 };
  const a = await analyse(undefined, opts, new Date(now));
  const ready = await planFor(a, opts, new Date(now), false);
  return JSON.parse(JSON.stringify({ ...a.report, applied: appliedReport(ready, null) })) as Record<string, unknown>;
}

describe('docs/report.schema.json', () => {
  it('is checked against inputs: every seed and every scenario file', () => {
    expect(seeds.length).toBeGreaterThanOrEqual(11);
    expect(inputs.length).toBeGreaterThan(250);
  });

  it('names every field of every report, the applied section included, and each report validates', async () => {
    const unnamed = new Map<string, string>();
    const invalid: string[] = [];
    let applied = 0;
    for (const { path, now } of inputs) {
      const doc = await reportOf(path, now);
      if (((doc.applied as { changes: unknown[] }).changes ?? []).length > 0) applied++;
      if (!validate(doc)) invalid.push(`${path}: ${JSON.stringify(validate.errors?.slice(0, 3))}`);
      for (const field of unnamedFields(doc, schema)) if (!unnamed.has(field)) unnamed.set(field, path);
    }
    expect([...unnamed].map(([f, p]) => `${f} (first in ${p})`), 'fields the schema does not name').toEqual([]);
    expect(invalid).toEqual([]);
    // The applied sections checked hold real changes, not only empty lists.
    expect(applied).toBeGreaterThan(20);
  }, 300_000);

  it('the check fails on a field the schema does not name, at any depth', async () => {
    const doc = await reportOf('test/fixtures/seeds/c-calico-tls-termination/as-written.yaml', SEED_NOW);
    expect([...unnamedFields(doc, schema)]).toEqual([]);
    const gw = (doc.gateways as Array<Record<string, unknown>>)[0]!;
    gw.bogus = 1;
    const l = (gw.listeners as Array<Record<string, unknown>>)[0]!;
    (l.path as Array<Record<string, unknown>>)[0]!.extra = 'x';
    ((doc.applied as { changes: Array<Record<string, unknown>> }).changes[0] ?? ((doc.applied as { changes: unknown[] }).changes[0] = {}))['surplus'] = true;
    expect([...unnamedFields(doc, schema)].sort()).toEqual(['applied.changes[].surplus', 'gateways[].bogus', 'gateways[].listeners[].path[].extra']);
  });

  it('lists every state the code can give, and no other', () => {
    const defs = schema.definitions as Record<string, { enum?: string[] }>;
    expect(defs.state?.enum).toEqual([...STATES]);
  });

  it('holds for what the CLI prints: -o json and -o yaml of every seed', async () => {
    for (const { path } of seeds) {
      const j = await runCli(['inspect', '-A', '-f', path, '-o', 'json'], { env: { GWTLS_NOW: SEED_NOW } });
      const y = await runCli(['inspect', '-A', '-f', path, '-o', 'yaml'], { env: { GWTLS_NOW: SEED_NOW } });
      const doc = JSON.parse(j.stdout) as Record<string, unknown>;
      expect(yaml.load(y.stdout)).toEqual(doc);
      expect(validate(doc), `${path}: ${JSON.stringify(validate.errors)}`).toBe(true);
      expect([...unnamedFields(doc, schema)], path).toEqual([]);
    }
  }, 120_000);
});
