// One verdict everywhere. Over every seed and every scenario file: a Gateway is BROKEN exactly when an error is
// about it, WARNING only when a warning is, `ok` is "no error about it" for Gateways and listeners, a listener
// with no attached route is NO_ROUTES unless an error makes it BROKEN (NOT_CHECKED or worse when the routes that
// could attach were not read), and no state is better than the worst of
// its parts. Then, on the seeds, the same state in every form a person reads (the text header and listener lines,
// the -A table, -o wide, the UI's tree) and the exit code under each --fail-on. And one day count for expired
// certificates in the JSON, the text, the finding and the UI, whatever the time of day.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyse } from '../../src/cli/inspect-run.ts';
import type { InspectOptions } from '../../src/cli/inspect.ts';
import { stateWords, worst } from '../../src/report/state.ts';
import type { InspectReport, State } from '../../src/report/types.ts';
import { certLines } from '../../src/tui/describe.ts';
import { lineText } from '../../src/tui/lines.ts';
import { TreeModel } from '../../src/tui/tree.ts';
import { ROOT, runCli } from '../helpers/cli.ts';
import { listScenarios } from '../helpers/scenarios.ts';

const SEED_NOW = '2026-11-22T00:00:00Z';
const seeds = readdirSync(join(ROOT, 'test/fixtures/seeds')).flatMap((d) => readdirSync(join(ROOT, 'test/fixtures/seeds', d)).map((f) => ({ path: `test/fixtures/seeds/${d}/${f}`, now: SEED_NOW })));
const inputs = [...seeds, ...listScenarios().map((s) => ({ path: s.path, now: s.now }))];

async function reportOf(path: string, now: string, gateway?: string): Promise<InspectReport> {
  const opts: InspectOptions = { filename: [join(ROOT, path)], allNamespaces: true, failOn: 'error', requestTimeout: 30_000 };
  return (await analyse(gateway, opts, new Date(now))).report;
}

describe('states agree with the findings (every seed and scenario file)', () => {
  it('holds for every Gateway, listener, hop and route', async () => {
    const problems: string[] = [];
    const seen = new Set<State>();
    for (const { path, now } of inputs) {
      const r = await reportOf(path, now);
      for (const g of r.gateways) {
        const id = `${path} ${g.namespace}/${g.name}`;
        const s = g.summary!;
        seen.add(g.state!);
        if ((g.state === 'BROKEN') !== s.errors > 0) problems.push(`${id}: ${g.state} with ${s.errors} errors`);
        if (g.state === 'WARNING' && s.warnings === 0) problems.push(`${id}: WARNING with no warning`);
        if (g.ok !== (g.state !== 'BROKEN')) problems.push(`${id}: ok ${g.ok} but ${g.state}`);
        if (!g.verdict?.startsWith(g.state === 'WARNING' ? 'OK with warnings' : stateWords(g.state!))) problems.push(`${id}: verdict "${g.verdict}" for ${g.state}`);
        const listenerStates = g.listeners.map((l) => l.state!);
        if (listenerStates.length && listenerStates.every((x) => x === 'NO_ROUTES') && g.state !== 'BROKEN' && g.state !== 'NO_ROUTES') problems.push(`${id}: every listener NO_ROUTES but ${g.state}`);
        for (const l of g.listeners) {
          const lid = `${id} listener ${l.name}`;
          seen.add(l.state!);
          if (l.ok !== (l.state !== 'BROKEN')) problems.push(`${lid}: ok ${l.ok} but ${l.state}`);
          if (l.state === 'BROKEN' && g.state !== 'BROKEN') problems.push(`${lid}: BROKEN in a ${g.state} Gateway`);
          const attached = l.routes.some((x) => x.attached);
          // No route read at all is not "no route": NOT_CHECKED (or worse), with the reason in routesNotChecked.
          if (!attached && !l.routesNotChecked && l.state !== 'NO_ROUTES' && l.state !== 'BROKEN') problems.push(`${lid}: no attached route but ${l.state}`);
          if (!attached && l.routesNotChecked && (l.state === 'NO_ROUTES' || l.state === 'OK' || l.state === 'UNVERIFIED')) problems.push(`${lid}: routes not read (${l.routesNotChecked}) but ${l.state}`);
          if (attached && l.state === 'NO_ROUTES') problems.push(`${lid}: NO_ROUTES with an attached route`);
          const parts = [...l.path.map((h) => h.state!), ...l.routes.filter((x) => x.attached).map((x) => x.state!)].filter((x) => x !== 'NO_ROUTES');
          if (l.state !== 'NO_ROUTES' && worst(l.state!, ...parts) !== l.state) problems.push(`${lid}: ${l.state} better than its parts (${parts.join(', ')})`);
          for (const h of l.path) if (!h.state) problems.push(`${lid}: hop ${h.hop} without state`);
          for (const x of l.routes) if (!x.state) problems.push(`${lid}: route ${x.name} without state`);
        }
      }
    }
    expect(problems).toEqual([]);
    // The inputs exercise every state.
    expect([...seen].sort()).toEqual(['BROKEN', 'NOT_CHECKED', 'NO_ROUTES', 'OK', 'UNVERIFIED', 'WARNING']);
  }, 300_000);

  it('the passthrough seed works: its unused HTTP listener is NOT CHECKED (the seed holds no HTTPRoute), not BROKEN', async () => {
    const r = await reportOf('test/fixtures/seeds/c-calico-passthrough/as-written.yaml', SEED_NOW);
    const g = r.gateways[0]!;
    expect(g.listeners[0]!.routesNotChecked).toBe('no httproutes in the input; no grpcroutes in the input');
    expect(g.listeners.map((l) => [l.name, l.state, l.ok])).toEqual([
      ['http', 'NOT_CHECKED', true],
      ['tls', 'WARNING', true],
    ]);
    expect([g.state, g.ok, r.summary.errors]).toEqual(['WARNING', true, 0]);
  });

  it('a hop is the worst finding about it: plaintext to a TLS backend is BROKEN, TLS the NLB opens to PostgreSQL is WARNING', async () => {
    const plain = await reportOf('test/fixtures/seeds/b-backend-tls/no-policy.yaml', SEED_NOW);
    expect(plain.gateways[0]!.listeners[0]!.path.map((h) => [h.tls, h.state])).toEqual([
      ['terminate', 'OK'],
      ['none', 'BROKEN'],
    ]);
    const pg = await reportOf('test/fixtures/seeds/a-nlb-acm/corrected.yaml', SEED_NOW);
    expect(pg.gateways[0]!.listeners[0]!.path.map((h) => [h.tls, h.state])).toEqual([
      ['terminate', 'WARNING'],
      ['originate', 'WARNING'],
    ]);
  });
});

describe('every form says the same (the seeds)', () => {
  for (const { path } of seeds) {
    it(path, async () => {
      const json = await runCli(['inspect', '-A', '-f', path, '-o', 'json'], { env: { GWTLS_NOW: SEED_NOW } });
      const report = JSON.parse(json.stdout) as InspectReport;
      const table = await runCli(['inspect', '-A', '-f', path], { env: { GWTLS_NOW: SEED_NOW } });
      const wide = await runCli(['inspect', '-A', '-f', path, '-o', 'wide'], { env: { GWTLS_NOW: SEED_NOW } });
      const { errors, warnings } = report.summary;
      for (const [out, failOn] of [[json, 'error'], [table, 'error']] as const) expect(out.code, `exit code, --fail-on ${failOn}`).toBe(errors > 0 ? 1 : 0);
      const strict = await runCli(['inspect', '-A', '-f', path, '--fail-on', 'warning'], { env: { GWTLS_NOW: SEED_NOW } });
      expect(strict.code).toBe(errors + warnings > 0 ? 1 : 0);
      expect(table.stdout).toContain(`Summary: ${errors} error${errors === 1 ? '' : 's'}, ${warnings} warning${warnings === 1 ? '' : 's'}`);
      const ui = new TreeModel(report, { listView: true });
      for (const g of report.gateways) {
        const word = stateWords(g.state!);
        for (const out of [table.stdout, wide.stdout]) expect(out).toMatch(new RegExp(`^${g.namespace} +${g.name} +${word} +${g.summary!.errors} +${g.summary!.warnings}\\b`, 'm'));
        const text = await runCli(['inspect', g.name, '-n', g.namespace, '-f', path], { env: { GWTLS_NOW: SEED_NOW } });
        expect(text.code).toBe(json.code);
        expect(text.stdout).toMatch(new RegExp(`^Gateway ${g.namespace}/${g.name} {2}${word}\\b`, 'm'));
        for (const l of g.listeners) expect(text.stdout).toMatch(new RegExp(`^ {2}listener ${l.name} .* {2}${stateWords(l.state!)}$`, 'm'));
        const node = ui.roots.find((n) => n.data.kind === 'gateway' && n.label === `Gateway ${g.namespace}/${g.name}`)!;
        expect(node.status.word).toBe(word);
        const listeners = ui.children(node).filter((n) => n.data.kind === 'listener');
        expect(listeners.map((n) => n.status.word)).toEqual(g.listeners.map((l) => stateWords(l.state!)));
      }
    });
  }
});

describe('one day count for an expired certificate', () => {
  // Seed c's certificate expired on 2026-08-04T00:00:00Z...; at these clocks it is 123 days and some hours ago.
  for (const now of ['2026-12-05T00:00:01Z', '2026-12-05T11:59:00Z', '2026-12-05T23:59:59Z']) {
    it(`at ${now}`, async () => {
      const file = 'test/fixtures/seeds/c-calico-tls-termination/as-written.yaml';
      const r = await reportOf(file, now, 'ssl-offload-gateway');
      const leaf = r.gateways[0]!.listeners.flatMap((l) => l.tls?.certificates ?? []).find((c) => c.index === 0)!;
      expect(leaf.daysLeft).toBeLessThan(0);
      const ago = -leaf.daysLeft!;
      const finding = r.findings.find((f) => f.code === 'GWTLS-CERT-001')!;
      expect(finding.message).toContain(`, ${ago} days ago`);
      const text = await runCli(['inspect', 'ssl-offload-gateway', '-f', file], { env: { GWTLS_NOW: now } });
      expect(text.stdout.replace(/\n[ │]*/g, ' ')).toContain(`(EXPIRED ${ago} days ago)`);
      const details = await runCli(['inspect', 'ssl-offload-gateway', '-f', file, '-v'], { env: { GWTLS_NOW: now } });
      expect(details.stdout.replace(/\n\s*/g, ' ')).toContain(`${ago} days ago`);
      expect(details.stdout.replace(/\n\s*/g, ' ')).not.toMatch(new RegExp(`\\b(${ago - 1}|${ago + 1}) days ago`));
      expect(certLines(leaf, 100).map(lineText).join('\n')).toContain(`EXPIRED ${ago} days ago`);
    });
  }
});
