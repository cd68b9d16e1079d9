// The report of a real `kubectl gwtls inspect --apply --yes -o json` (the applied section after the API server's
// dry run and a real server-side apply) names no field that docs/report.schema.json does not, and validates.
// test/cli/report-schema.test.ts proves the same for every seed and scenario file in files mode.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import * as yaml from 'js-yaml';
import { afterAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../helpers/scenarios.ts';
import { unnamedFields } from '../cli/schema-coverage.ts';
import { applyObjects, deleteNamespace, e2eEnv, runPlugin, skipE2e, type KubeObject } from './harness/kube.ts';

const env = e2eEnv();
// A scenario with safe fixes that create objects (a ConfigMap and a BackendTLSPolicy), in a namespace of its own.
const SCENARIO = 'test/fixtures/scenarios/backend-tls/gwtls-btls-001/invalid-the-certificate-comes-through-a-projected-volume-the-port-has-no-tls.yaml';
const schema = JSON.parse(readFileSync(join(REPO_ROOT, 'docs/report.schema.json'), 'utf8')) as Record<string, unknown>;

describe.skipIf(skipE2e(env))('report schema on a real API server', () => {
  const docs = (yaml.loadAll(readFileSync(join(REPO_ROOT, SCENARIO), 'utf8')) as KubeObject[]).filter(Boolean);
  const namespaces = [...new Set(docs.map((d) => d.metadata.namespace).filter((n): n is string => !!n))];
  afterAll(async () => {
    for (const ns of namespaces) await deleteNamespace(ns);
  });

  it('--apply --yes -o json: every field of the report and its applied section is in the schema', async () => {
    await applyObjects(docs.map(({ status: _s, ...o }) => o as KubeObject));
    const now = /^# now: (\S+)$/m.exec(readFileSync(join(REPO_ROOT, SCENARIO), 'utf8'))?.[1] ?? new Date().toISOString();
    const r = await runPlugin(['inspect', '-n', namespaces[0]!, '--apply', '--yes', '-o', 'json', '--fail-on', 'none'], { env: { GWTLS_NOW: now, NO_COLOR: '1' }, timeoutMs: 120_000 });
    expect(r.code, r.stderr).toBe(0);
    const report = JSON.parse(r.stdout) as { applied?: { dryRun: string; confirmed: boolean; changes: Array<{ result: string }> } };
    expect(report.applied).toMatchObject({ dryRun: 'server', confirmed: true });
    expect(report.applied!.changes.filter((c) => c.result === 'applied').length).toBeGreaterThan(0);
    expect([...unnamedFields(report, schema)]).toEqual([]);
    const validate = new Ajv({ allErrors: true, strict: false }).compile(schema);
    expect(validate(report), JSON.stringify(validate.errors)).toBe(true);
  });
});
