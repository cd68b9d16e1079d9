// The main flows, driven by keys as a user would: navigate, fold, filter, search, jump, preview and save a fix,
// apply with confirmation, probe, watch, refresh, help, resize, quit.
import { EventEmitter } from 'node:events';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { ReadyPlan } from '../../../src/fixes/flow.ts';
import type { ChosenFix } from '../../../src/fixes/plan.ts';
import type { ProbeReport } from '../../../src/probe/types.ts';
import type { InspectReport } from '../../../src/report/types.ts';
import { runTui } from '../../../src/tui/run.tsx';
import { delay, KEY, makeCtx, renderApp, SEED_A, SEED_C, SEED_C_FIXED, SEED_PASSTHROUGH, seedFixStream, seedPlan, seedReport, type Rendered } from './helpers.tsx';

let current: Rendered | undefined;
afterEach(() => {
  current?.unmount();
  current = undefined;
});

async function seedC(over: Parameters<typeof makeCtx>[1] = {}, opts: Parameters<typeof renderApp>[1] = {}): Promise<Rendered> {
  current = renderApp(makeCtx(await seedReport(SEED_C, 'ssl-offload-gateway'), { gatewayName: 'ssl-offload-gateway', ...over }), opts);
  await delay(20);
  return current;
}

const screen = (r: Rendered) => r.frame().split('\n');
const selectedRow = (r: Rendered) => screen(r).find((l) => l.startsWith('›')) ?? '';

describe('the first screen', () => {
  it('fills 80x24 exactly and shows the tree, the verdicts, the detail and the findings', async () => {
    const r = await seedC();
    const rows = screen(r);
    expect(rows).toHaveLength(24);
    for (const l of rows) expect(l.length).toBeLessThanOrEqual(80);
    expect(r.frame()).toContain('Gateway default/ssl-offload-gateway');
    expect(selectedRow(r)).toMatch(/listener https {2}HTTPS :443 +BROKEN/);
    expect(r.frame()).toContain('─ Detail: listener https');
    expect(r.frame()).toMatch(/ERROR {3}GWTLS-RT-003 {4}TCPRoute default\/backend-ssl-offload/);
  });

  it('shows every Gateway as a top-level node when none was named', async () => {
    current = renderApp(makeCtx(await seedReport([SEED_C, SEED_A, SEED_PASSTHROUGH])));
    const r = current;
    await r.waitFor('▶ Gateways');
    expect(r.frame()).toMatch(/^›▸ Gateway default\/ssl-offload-gateway +BROKEN/m);
    expect(r.frame()).toMatch(/^ ▸ Gateway default\/mygateway +BROKEN/m);
    await r.press(KEY.enter);
    expect(r.frame()).toMatch(/▸ listener https {2}HTTPS :443 +BROKEN/);
  });
});

describe('navigation', () => {
  it('moves with j/k and the arrows, and the detail follows', async () => {
    const r = await seedC();
    await r.press('j');
    expect(selectedRow(r)).toMatch(/TLS path/);
    expect(r.frame()).toContain('─ Detail: TLS path');
    await r.press(KEY.down);
    expect(selectedRow(r)).toMatch(/certificate Secret default\/example-cert/);
    await r.press(KEY.up, 'k');
    expect(selectedRow(r)).toMatch(/listener https/);
  });

  it('acts on keys that arrive together one after another, a prompt taking them as text', async () => {
    const r = await seedC();
    await r.press('jj');
    expect(selectedRow(r)).toMatch(/certificate Secret default\/example-cert/);
    await r.press('/qh227');
    expect(r.frame()).toContain('search: qh227█');
  });

  it('text and Enter in one burst (a paste, fast typing) run the search and close the prompt', async () => {
    const r = await seedC();
    // One write: the prompt opens, takes the text, and Enter submits it; the keys after it act on the tree.
    await r.press('/TCPRoute\r');
    expect(r.frame()).not.toContain('search:');
    expect(selectedRow(r)).toMatch(/TCPRoute default\/backend-ssl-offload/);
    // CRLF is one Enter; text after it is keys again (n: the next match).
    await r.press('/HTTPRoute\r\nn');
    expect(r.frame()).not.toContain('search:');
    expect(selectedRow(r)).toMatch(/HTTPRoute default\/backend-ssl-offload/);
  });

  it('expands with right and collapses with left', async () => {
    const r = await seedC();
    await r.press('G');
    expect(selectedRow(r)).toMatch(/▸ TCPRoute/);
    await r.press(KEY.right);
    expect(selectedRow(r)).toMatch(/▾ TCPRoute/);
    await r.press(KEY.right);
    expect(selectedRow(r)).toMatch(/Service default\/backend-ssl-offload:3000 → 3000 +TLS unkn… +1\/1 ready/);
    await r.press(KEY.left, KEY.left);
    expect(selectedRow(r)).toMatch(/▸ TCPRoute/);
  });

  it('tab moves between panes; the focused pane says so', async () => {
    const r = await seedC();
    expect(r.frame()).toContain('▶ Tree');
    await r.press(KEY.tab);
    expect(r.frame()).toContain('▶ Detail: listener https');
    await r.press(KEY.tab);
    expect(r.frame()).toContain('▶ Findings');
    await r.press(KEY.shiftTab);
    expect(r.frame()).toContain('▶ Detail: GWTLS-CERT-001');
    await r.press(KEY.shiftTab);
    expect(r.frame()).toContain('▶ Tree');
  });
});

describe('findings', () => {
  it('filters to errors only with e', async () => {
    const r = await seedC();
    expect(r.frame()).toContain('WARNING GWTLS-CERT-005');
    await r.press('e');
    expect(r.frame()).not.toContain('WARNING');
    expect(r.frame()).toContain('errors only, 3 of 5');
    await r.press('e');
    expect(r.frame()).toContain('WARNING GWTLS-CERT-005');
  });

  it('jumps from a finding to its object', async () => {
    const r = await seedC();
    await r.press('g', KEY.left); // collapse everything under the GatewayClass
    expect(r.frame()).toContain('1 rows');
    await r.press(KEY.shiftTab, 'j', 'j');
    expect(r.frame()).toContain('─ Detail: GWTLS-RT-003');
    await r.press(KEY.enter);
    expect(r.frame()).toContain('▶ Tree');
    expect(selectedRow(r)).toMatch(/TCPRoute default\/backend-ssl-offload +NOT ATTACHED/);
    expect(r.frame()).toContain('GWTLS-RT-003: TCPRoute default/backend-ssl-offload');
  });
});

describe('search', () => {
  it('finds nodes in collapsed parts of the tree and steps through matches', async () => {
    const r = await seedC();
    await r.press('/');
    await r.type('qh227');
    expect(r.frame()).toContain('search: qh227█');
    await r.press(KEY.enter);
    expect(selectedRow(r)).toMatch(/pod backend-ssl-offload-74bdbf5d5f-qh227 +worker1 .* +ready$/);
    expect(r.frame()).toMatch(/"qh227": match \d of 4/);
    await r.press('n');
    expect(r.frame()).toMatch(/"qh227": match \d of 4/);
  });
});

describe('fix preview', () => {
  it('shows the YAML of the selected finding and writes it to a file', async () => {
    const writeFile = vi.fn(async (path: string) => `/work/${path}`);
    const r = await seedC({ writeFile, fixStream: seedFixStream(SEED_C, 'ssl-offload-gateway') });
    await r.press(KEY.shiftTab, 'j', 'j', 'f');
    expect(r.frame()).toContain('Fix preview (1 finding)');
    expect(r.frame()).toContain('fix: make listener https a TLS with tls.mode Terminate listener');
    expect(r.frame()).toContain('protocol: TLS');
    await r.press('s');
    expect(r.frame()).toContain('save fixes to: gwtls-fix-rt-003-backend-ssl-offload.yaml█');
    await r.press(KEY.backspace, KEY.backspace, KEY.backspace, KEY.backspace);
    await r.type('yml');
    await r.press(KEY.enter);
    await r.waitFor('wrote /work/gwtls-fix-rt-003-backend-ssl-offload.yml');
    expect(writeFile).toHaveBeenCalledTimes(1);
    const [path, text] = writeFile.mock.calls[0]! as unknown as [string, string];
    expect(path).toBe('gwtls-fix-rt-003-backend-ssl-offload.yml');
    expect(text).toContain('# kubectl-gwtls fix plan: changes 1 object, creates 0;');
    expect(text).toContain('#   kubectl apply --server-side --field-manager=kubectl-gwtls --force-conflicts -f FILE');
    expect(text).toContain('kind: Gateway');
    await r.press(KEY.esc);
    expect(r.frame()).toContain('▶ Findings');
  });

  it('a file name pasted with Enter saves at once and closes the save prompt', async () => {
    const writeFile = vi.fn(async (path: string) => `/work/${path}`);
    const r = await seedC({ writeFile, fixStream: seedFixStream(SEED_C, 'ssl-offload-gateway') });
    await r.press(KEY.shiftTab, 'j', 'j', 'f', 's');
    expect(r.frame()).toContain('save fixes to:');
    await r.press('\u0015', 'pasted.yaml\r');
    await r.waitFor('wrote /work/pasted.yaml');
    expect(r.frame()).not.toContain('save fixes to:');
    expect(writeFile.mock.calls.map((c) => c[0])).toEqual(['pasted.yaml']);
  });

  it('says when there is no fix to show', async () => {
    const r = await seedC();
    await r.press('g', 'f');
    expect(r.frame()).toContain('no findings here');
  });
});

describe('apply', () => {
  async function applyCtx() {
    const before = await seedReport(SEED_C, 'ssl-offload-gateway');
    const after = await seedReport(SEED_C_FIXED, 'ssl-offload-gateway');
    let report = before;
    // The plan is the real one, settled in memory; only sending it to a cluster is left out.
    const plan = vi.fn(async (picked: ChosenFix[]): Promise<ReadyPlan> => seedPlan(SEED_C, 'ssl-offload-gateway', picked));
    const execute = vi.fn(async (ready: ReadyPlan) => {
      report = after;
      return ready.plan.changes.map((c) => ({ id: c.id, ok: true }));
    });
    const reload = vi.fn(async () => report);
    return { plan, execute, reload, ctx: { apply: { context: 'kind-test', server: 'https://127.0.0.1:6443', plan, execute }, reload } };
  }

  it('dry-runs the safe fix, shows the diff, applies only after y, and re-evaluates the path', async () => {
    const { plan, execute, reload, ctx } = await applyCtx();
    const r = await seedC(ctx);
    await r.press(KEY.shiftTab, 'j', 'j', 'a');
    await r.waitFor('Apply for real? y apply  n cancel (nothing changes)');
    expect(plan).toHaveBeenCalledTimes(1);
    expect(plan.mock.calls[0]![0].map((p) => p.finding.code)).toEqual(['GWTLS-RT-003']);
    expect(r.frame()).toContain('Fix plan, with the server-side dry run against context kind-test');
    expect(r.frame()).toContain('    -      protocol: HTTPS');
    expect(r.frame()).toContain('    +      protocol: TLS');
    expect(execute).not.toHaveBeenCalled();
    await r.press('y');
    await r.waitFor('Re-evaluated: 0 error(s), 0 warning(s) now (before: 3, 2).');
    expect(execute).toHaveBeenCalledTimes(1);
    expect(reload).toHaveBeenCalledTimes(1);
    expect(r.frame()).toContain('applied Gateway default/ssl-offload-gateway');
    await r.press(KEY.esc);
    expect(r.frame()).toMatch(/listener tls {2}TLS\/Terminate :443 {2}www\.example\.com +OK/);
    expect(r.frame()).toMatch(/ssl-offload-gateway OK +1 info/);
  });

  it('changes nothing when the user says n', async () => {
    const { execute, ctx } = await applyCtx();
    const r = await seedC(ctx);
    await r.press(KEY.shiftTab, 'j', 'j', 'f', 'a');
    await r.waitFor('y apply  n cancel (nothing changes)');
    await r.press('n');
    expect(r.frame()).toContain('▶ Findings');
    expect(execute).not.toHaveBeenCalled();
  });

  it('explains why it cannot apply from files, or suggestions', async () => {
    const r = await seedC();
    await r.press(KEY.shiftTab, 'j', 'j', 'a');
    expect(r.frame()).toContain('applying needs a cluster: this report was read from files');
    const report = structuredClone(await seedReport(SEED_C, 'ssl-offload-gateway')) as InspectReport;
    for (const f of report.findings) for (const x of f.fixes) x.type = 'suggestion';
    current?.unmount();
    current = renderApp(makeCtx(report, { gatewayName: 'ssl-offload-gateway' }));
    await delay(20);
    await current.press(KEY.shiftTab, 'j', 'j', 'a');
    expect(current.frame()).toContain('only suggestions here: never applied without you');
  });
});

describe('probe', () => {
  const probeReport: ProbeReport = {
    apiVersion: 'gwtls.dev/v1alpha1',
    kind: 'ProbeReport',
    generatedAt: '2026-11-22T00:00:00Z',
    target: { input: 'www.example.com:443', host: 'www.example.com', port: 443, sni: 'www.example.com', address: '192.0.2.10' },
    dns: null,
    connection: { ok: false, phase: 'handshake', dnsMs: null, tcpMs: 2, preambleMs: null, tlsMs: 3, totalMs: 5, protocol: null, cipher: null, alpn: null, bytesReceived: 7, firstByteMs: 1, error: { code: 'ECONNRESET', message: 'reset', summary: 'the gateway closed the connection during the handshake', explanation: 'it has no usable certificate for this listener' }, notTls: null },
    chain: [],
    chainAnalysis: null,
    verification: { trusted: null, hostnameMatches: null, error: null, name: 'www.example.com', trustStore: 'system' },
    findings: [],
    ok: false,
    summary: { errors: 1, warnings: 0, info: 0 },
  };

  it('probes the selected listener and shows the result in the detail pane', async () => {
    const probeListener = vi.fn(async () => [probeReport]);
    const r = await seedC({ probeListener });
    await r.press('p');
    await r.waitFor('FAILED: TLS handshake did not complete');
    expect(probeListener).toHaveBeenCalledWith({ namespace: 'default', name: 'ssl-offload-gateway' }, 'https');
    expect(r.frame()).toContain('Probe listener https of default/ssl-offload-gateway');
    await r.press(KEY.tab, 'j', 'j', 'j');
    expect(r.frame()).toContain('the gateway closed the connection during the handshake');
  });

  it('probes a backend', async () => {
    const probeBackend = vi.fn(async () => probeReport);
    const r = await seedC({ probeBackend });
    await r.press('G', KEY.up, KEY.right, KEY.right, 'p');
    await r.waitFor('Probe Service default/backend-ssl-offload:3000');
    expect(probeBackend).toHaveBeenCalledWith({ namespace: 'default', name: 'backend-ssl-offload', port: 3000 });
  });

  it('says when probing is not possible', async () => {
    const r = await seedC();
    await r.press('p');
    expect(r.frame()).toContain('probing needs a cluster: this report was read from files');
    await r.press('g', 'p');
    expect(r.frame()).toContain('p probes a listener or a backend');
  });
});

describe('live', () => {
  it('watch reloads on a timer and updates in place, keeping the selection', async () => {
    const fixed = await seedReport(SEED_C_FIXED, 'ssl-offload-gateway');
    const reload = vi.fn(async () => fixed);
    const r = await seedC({ reload, watchIntervalSeconds: 1 });
    await r.press('g', 'j');
    expect(selectedRow(r)).toMatch(/Gateway default\/ssl-offload-gateway +BROKEN/);
    await r.press('w');
    expect(r.frame()).toMatch(/· watching \d\d:\d\d:\d\d/);
    await r.waitFor(/Gateway default\/ssl-offload-gateway +OK/, 3000);
    expect(reload).toHaveBeenCalled();
    expect(selectedRow(r)).toMatch(/Gateway default\/ssl-offload-gateway +OK/);
    await r.press('w');
    const calls = reload.mock.calls.length;
    await delay(1300);
    expect(reload.mock.calls.length).toBe(calls);
  });

  it('r reloads now, and a failed reload keeps what was shown', async () => {
    let fail = false;
    const reload = vi.fn(async () => {
      if (fail) throw new Error('connection refused');
      return seedReport(SEED_C_FIXED, 'ssl-offload-gateway');
    });
    const r = await seedC({ reload });
    await r.press('r');
    await r.waitFor('reloaded: 1 info');
    fail = true;
    await r.press('r');
    await r.waitFor('reload failed: connection refused');
    expect(r.frame()).toMatch(/ssl-offload-gateway OK +1 info/);
  });
});

describe('help, resize, quit', () => {
  it('? shows every key and esc closes it', async () => {
    const r = await seedC();
    await r.press('?');
    expect(r.frame()).toContain('▶ Help');
    expect(r.frame()).toMatch(/\/ +search the tree/);
    await r.press(KEY.esc);
    expect(r.frame()).toContain('▶ Tree');
  });

  it('puts the detail beside the tree on a wide terminal and follows resizes', async () => {
    current = renderApp(makeCtx(await seedReport(SEED_C, 'ssl-offload-gateway'), { gatewayName: 'ssl-offload-gateway' }), { size: 'terminal' });
    const r = current;
    const out = r.stdout as unknown as EventEmitter & { columns: number; rows: number };
    Object.defineProperty(out, 'columns', { value: 120, configurable: true });
    Object.defineProperty(out, 'rows', { value: 30, configurable: true });
    out.emit('resize');
    await r.waitFor(/─ Detail: listener https/);
    await vi.waitFor(() => expect(screen(r)).toHaveLength(30));
    expect(screen(r)[1]).toMatch(/^▶ Tree ─+.*─ Detail: listener https/);
    Object.defineProperty(out, 'columns', { value: 60, configurable: true });
    Object.defineProperty(out, 'rows', { value: 20, configurable: true });
    out.emit('resize');
    await vi.waitFor(() => expect(screen(r)).toHaveLength(20));
    for (const l of screen(r)) expect(l.length).toBeLessThanOrEqual(60);
    Object.defineProperty(out, 'rows', { value: 8, configurable: true });
    out.emit('resize');
    await r.waitFor('terminal too small: need 40x12, have 60x8');
  });

  it('q quits with the exit code of the last report shown', async () => {
    const stdin = Object.assign(new EventEmitter(), {
      isTTY: true,
      buffer: [] as string[],
      setRawMode() {},
      setEncoding() {},
      resume() {},
      pause() {},
      ref() {},
      unref() {},
      read(this: { buffer: string[] }) {
        return this.buffer.shift() ?? null;
      },
    });
    const send = (s: string) => {
      stdin.buffer.push(s);
      stdin.emit('readable');
    };
    const stdout = Object.assign(new EventEmitter(), {
      columns: 80,
      rows: 24,
      write(_data: string, enc?: unknown, cb?: () => void) {
        (typeof enc === 'function' ? (enc as () => void) : cb)?.();
        return true;
      },
    });
    const report = await seedReport(SEED_C, 'ssl-offload-gateway');
    const done = runTui(makeCtx(report, { gatewayName: 'ssl-offload-gateway' }), { stdin: stdin as never, stdout: stdout as never, stderr: stdout as never, color: false });
    await delay(50);
    send('q');
    await expect(done).resolves.toBe(1);
    const fixed = await seedReport(SEED_C_FIXED, 'ssl-offload-gateway');
    const again = runTui(makeCtx(fixed, { gatewayName: 'ssl-offload-gateway', failOn: 'warning' }), { stdin: stdin as never, stdout: stdout as never, stderr: stdout as never, color: false });
    await delay(50);
    send('q');
    await expect(again).resolves.toBe(0); // one info finding only
    // After a reload, the exit code follows what is shown now.
    const reloaded = runTui(makeCtx(report, { gatewayName: 'ssl-offload-gateway', reload: async () => fixed }), { stdin: stdin as never, stdout: stdout as never, stderr: stdout as never, color: false });
    await delay(50);
    send('r');
    await delay(50);
    send('q');
    await expect(reloaded).resolves.toBe(0);
    const none = runTui(makeCtx(report, { failOn: 'none' }), { stdin: stdin as never, stdout: stdout as never, stderr: stdout as never, color: false });
    await delay(50);
    send('q');
    await expect(none).resolves.toBe(0);
    // Ctrl-C quits too, and exits 130 as any interrupted command, whatever the findings; also from a prompt.
    const interrupted = runTui(makeCtx(report, { failOn: 'none' }), { stdin: stdin as never, stdout: stdout as never, stderr: stdout as never, color: false });
    await delay(50);
    send('\u0003');
    await expect(interrupted).resolves.toBe(130);
    const fromPrompt = runTui(makeCtx(fixed), { stdin: stdin as never, stdout: stdout as never, stderr: stdout as never, color: false });
    await delay(50);
    send('/abc');
    await delay(20);
    send('\u0003');
    await expect(fromPrompt).resolves.toBe(130);
  });
});

describe('no Gateway in scope', () => {
  it('still lists the findings, and enter says where their object is not', async () => {
    current = renderApp(makeCtx(await seedReport('test/fixtures/seeds/b-backend-tls/lbc-targetgroupconfiguration.yaml')));
    const r = current;
    await r.waitFor('0 Gateways');
    expect(r.frame()).toContain('Nothing in scope: no Gateway to show.');
    await r.press(KEY.shiftTab, KEY.enter);
    expect(r.frame()).toMatch(/^not in the tree: TargetGroupConfiguration default\/broker-expose/m);
    expect(r.frame()).toContain('▶ Detail: GWTLS-LBC-007');
  });
});
