// The reducer: navigation, folding, focus, filters, jump, search, reloads and resizes, without a terminal.
import { describe, expect, it } from 'vitest';
import type { InspectReport } from '../../../src/report/types.ts';
import { currentFindings, initialState, reduce, rows, selectedNode, visibleFindings, type Action, type UiState } from '../../../src/tui/state.ts';
import { NOW, SEED_C, SEED_C_FIXED, seedReport } from './helpers.tsx';

const GW = 'c:tigera-gateway-class|g:default/ssl-offload-gateway';
const SIZE = { columns: 80, rows: 24 };

async function start(): Promise<UiState> {
  return initialState(await seedReport(SEED_C, 'ssl-offload-gateway'), { listView: false, size: SIZE, now: NOW });
}

const run = (s: UiState, ...actions: Action[]) => actions.reduce(reduce, s);

describe('tree navigation', () => {
  it('moves the cursor and keeps selection and cursor in step', async () => {
    const s0 = await start();
    expect(s0.selected).toBe(`${GW}|l:https`);
    const s1 = run(s0, { type: 'move', delta: 1 });
    expect(s1.selected).toBe(`${GW}|l:https|path`);
    expect(rows(s1)[s1.cursor]!.node.key).toBe(s1.selected);
    const top = run(s1, { type: 'moveTo', where: 'top' });
    expect(top.selected).toBe('c:tigera-gateway-class');
    expect(run(top, { type: 'move', delta: -5 }).cursor).toBe(0);
    const bottom = run(top, { type: 'moveTo', where: 'bottom' });
    expect(bottom.selected).toBe(`${GW}|l:https|r:TCPRoute:default/backend-ssl-offload`);
  });

  it('scrolls the tree so the cursor stays in view', async () => {
    const s = run(await start(), { type: 'moveTo', where: 'bottom' });
    expect(s.cursor).toBe(10);
    expect(s.treeTop).toBeGreaterThan(0);
    expect(s.cursor).toBeLessThan(s.treeTop + 8);
  });

  it('expands with right, steps into the children with right again, and collapses with left', async () => {
    const s0 = run(await start(), { type: 'moveTo', where: 'bottom' });
    const n0 = rows(s0).length;
    const s1 = run(s0, { type: 'expand' });
    expect(rows(s1).length).toBe(n0 + 1);
    expect(s1.selected).toBe(s0.selected);
    const s2 = run(s1, { type: 'expand' });
    expect(selectedNode(s2)!.data.kind).toBe('backend');
    // Left on a leaf or a closed node goes to the parent; left on an open node closes it.
    const s3 = run(s2, { type: 'collapse' });
    expect(s3.selected).toBe(s0.selected);
    const s4 = run(s3, { type: 'collapse' });
    expect(rows(s4).length).toBe(n0);
  });

  it('enter toggles a node, and on a leaf moves to the detail pane', async () => {
    const s0 = await start();
    const closed = run(s0, { type: 'toggle' });
    expect(rows(closed).length).toBeLessThan(rows(s0).length);
    expect(rows(run(closed, { type: 'toggle' })).length).toBe(rows(s0).length);
    const leaf = run(s0, { type: 'select', key: `${GW}|l:https|cert:Secret:default/example-cert` }, { type: 'toggle' });
    expect(leaf.focus).toBe('detail');
  });
});

describe('findings', () => {
  it('filters to errors only and keeps the finding under the cursor', async () => {
    const s0 = run(await start(), { type: 'focus', focus: 'findings' }, { type: 'move', delta: 2 });
    expect(visibleFindings(s0).length).toBe(5);
    expect(currentFindings(s0).map((f) => f.code)).toEqual(['GWTLS-RT-003']);
    const s1 = run(s0, { type: 'errorsOnly' });
    expect(visibleFindings(s1).map((f) => f.severity)).toEqual(['error', 'error', 'error']);
    expect(currentFindings(s1).map((f) => f.code)).toEqual(['GWTLS-RT-003']);
    expect(s1.message?.text).toBe('findings: errors only (3)');
  });

  it('jumps from a finding to its object, opening the way there', async () => {
    const s0 = run(await start(), { type: 'select', key: 'c:tigera-gateway-class' }, { type: 'collapse' }, { type: 'focus', focus: 'findings' }, { type: 'move', delta: 2 });
    expect(rows(s0).length).toBe(1);
    const s1 = run(s0, { type: 'jump' });
    expect(s1.focus).toBe('tree');
    expect(s1.selected).toBe(`${GW}|l:https|r:TCPRoute:default/backend-ssl-offload`);
    expect(rows(s1)[s1.cursor]!.node.key).toBe(s1.selected);
    expect(s1.message?.text).toBe('GWTLS-RT-003: TCPRoute default/backend-ssl-offload');
  });

  it('acts on the selected node\'s findings from the tree', async () => {
    const s = run(await start(), { type: 'select', key: `${GW}|l:https|cert:Secret:default/example-cert` });
    expect(currentFindings(s).map((f) => f.code)).toEqual(['GWTLS-CERT-001', 'GWTLS-CERT-006', 'GWTLS-CERT-005']);
  });
});

describe('search', () => {
  it('selects the first match after the cursor and steps through matches', async () => {
    const s0 = await start();
    const matches = s0.model.search('TCPRoute');
    const s1 = run(s0, { type: 'search', query: 'TCPRoute', matches });
    expect(s1.selected).toBe(`${GW}|l:https|r:TCPRoute:default/backend-ssl-offload`);
    expect(s1.message?.text).toMatch(/match 2 of 2/);
    const s2 = run(s1, { type: 'searchStep', dir: 1 });
    expect(s2.selected).toBe(`${GW}|l:http|r:TCPRoute:default/backend-ssl-offload`);
    expect(run(s0, { type: 'search', query: 'zzz', matches: [] }).message?.text).toBe('no match for "zzz"');
  });
});

describe('reloads and resizes', () => {
  it('keeps the selection by identity across a reload', async () => {
    // The corrected manifests keep listener http and its HTTPRoute (listener https becomes tls).
    const s0 = run(await start(), { type: 'select', key: `${GW}|l:http|r:HTTPRoute:default/backend-ssl-offload` });
    const fixed = await seedReport(SEED_C_FIXED, 'ssl-offload-gateway');
    const s1 = run(s0, { type: 'loaded', report: fixed, at: new Date('2026-11-22T00:01:00Z') });
    expect(s1.model.report).toBe(fixed);
    expect(s1.updatedAt.toISOString()).toBe('2026-11-22T00:01:00.000Z');
    expect(s1.selected).toBe(s0.selected);
  });

  it('falls back to the nearest surviving ancestor when the node is gone', async () => {
    const s0 = run(await start(), { type: 'select', key: `${GW}|l:https|r:TCPRoute:default/backend-ssl-offload` });
    const r = structuredClone(await seedReport(SEED_C, 'ssl-offload-gateway')) as InspectReport;
    const https = r.gateways[0]!.listeners.find((l) => l.name === 'https')!;
    https.routes = https.routes.filter((x) => x.kind !== 'TCPRoute');
    const s1 = run(s0, { type: 'loaded', report: r, at: NOW });
    expect(s1.selected).toBe(`${GW}|l:https`);
  });

  it('gives the focused pane more rows and keeps the cursor visible after a resize', async () => {
    const s0 = run(await start(), { type: 'moveTo', where: 'bottom' });
    const small = run(s0, { type: 'resize', size: { columns: 80, rows: 14 } });
    expect(small.cursor).toBeGreaterThanOrEqual(small.treeTop);
    expect(small.cursor - small.treeTop).toBeLessThan(5);
  });
});

describe('panels, prompts, watch, probe', () => {
  it('records overlays, prompts, watch and probe state', async () => {
    const s = run(
      await start(),
      { type: 'overlay', overlay: { kind: 'help', scroll: 0 } },
      { type: 'move', delta: 3 },
      { type: 'prompt', prompt: { kind: 'search', text: 'abc' } },
      { type: 'watch', on: true },
      { type: 'probe', key: `${GW}|l:https`, probe: { status: 'running', target: 'listener https' } },
    );
    expect(s.overlay).toEqual({ kind: 'help', scroll: 3 });
    expect(s.prompt).toEqual({ kind: 'search', text: 'abc' });
    expect(s.watch).toBe(true);
    expect(s.probes.get(`${GW}|l:https`)?.status).toBe('running');
    expect(run(s, { type: 'scroll', delta: 50, max: 7 }).overlay?.scroll).toBe(7);
  });
});
