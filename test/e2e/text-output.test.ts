// The text output against a real API server, read by a user who may not read Secrets: the rules skipped for the
// same reason are one line ("N rules (forbidden): they need secrets, ..."), not one line per rule, and the
// Gateway's state in the text is the one in the JSON.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as yaml from 'js-yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../helpers/scenarios.ts';
import { applyObjects, deleteNamespace, e2eEnv, runPlugin, skipE2e, type KubeObject } from './harness/kube.ts';

const env = e2eEnv();
const SCENARIO = 'test/fixtures/scenarios/certificates/gwtls-cert-001/invalid-not-yet-valid.yaml';

describe.skipIf(skipE2e(env))('text output on a real API server', () => {
  const text = readFileSync(join(REPO_ROOT, SCENARIO), 'utf8');
  const docs = (yaml.loadAll(text) as KubeObject[]).filter(Boolean);
  const namespaces = [...new Set(docs.map((d) => d.metadata.namespace).filter((n): n is string => !!n))];
  const gateway = docs.find((d) => d.kind === 'Gateway')!;
  const now = /^# now: (\S+)$/m.exec(text)?.[1] ?? new Date().toISOString();
  beforeAll(async () => {
    await applyObjects(docs.map(({ status: _s, ...o }) => o as KubeObject));
  });
  afterAll(async () => {
    for (const ns of namespaces) await deleteNamespace(ns);
  });

  it('collapses the rules skipped for one reason into one line, and says the state the JSON says', async () => {
    if (!env.restrictedContext) return console.warn('no restricted context on this cluster; the collapsed-skips check is skipped');
    const args = ['inspect', gateway.metadata.name, '-n', gateway.metadata.namespace!];
    const t = await runPlugin([...args, '-o', 'text'], { context: env.restrictedContext, env: { GWTLS_NOW: now, NO_COLOR: '1' } });
    const j = await runPlugin([...args, '-o', 'json'], { context: env.restrictedContext, env: { GWTLS_NOW: now, NO_COLOR: '1' } });
    const report = JSON.parse(j.stdout) as { gateways: Array<{ state: string }>; skipped: Array<{ what: string; reason: string; detail: string }> };
    const ruleSkips = report.skipped.filter((s) => s.what.startsWith('rule ') && s.reason === 'forbidden');
    expect(ruleSkips.length).toBeGreaterThan(2);
    const notChecked = t.stdout.slice(t.stdout.indexOf('Not checked:'));
    expect(notChecked).toMatch(new RegExp(`^ {2}- ${ruleSkips.length} rules \\(forbidden\\): they need secrets`, 'm'));
    expect(notChecked).not.toMatch(/^ {2}- rule GWTLS-/m);
    expect(t.stdout).toMatch(new RegExp(`^Gateway \\S+ {2}${report.gateways[0]!.state.replace('_', ' ')}\\b`, 'm'));
    expect(t.code).toBe(j.code);
  });
});
