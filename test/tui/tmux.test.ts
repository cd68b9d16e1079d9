// The built CLI in a real terminal: tmux gives it an 80x24 pty, keys are sent as a user types them, and the
// assertions are on what the pane shows. Skipped (with the reason printed) when tmux is not installed.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI, ROOT } from '../helpers/cli.ts';

const hasTmux = spawnSync('tmux', ['-V'], { encoding: 'utf8' }).status === 0;
if (!hasTmux) console.log('skipping the tmux test of the terminal UI: tmux is not installed');

const SOCKET = `gwtls-test-${process.pid}`;
const SESSION = 'ui';
const SEED = join(ROOT, 'test/fixtures/seeds/c-calico-tls-termination/as-written.yaml');

function tmux(...args: string[]): string {
  return execFileSync('tmux', ['-L', SOCKET, ...args], { encoding: 'utf8' });
}

const pane = () => tmux('capture-pane', '-p', '-t', SESSION);
const keys = (...k: string[]) => tmux('send-keys', '-t', SESSION, ...k);

async function waitFor(what: string | RegExp, timeoutMs = 10_000): Promise<string> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const screen = pane();
    if (typeof what === 'string' ? screen.includes(what) : what.test(screen)) return screen;
    if (Date.now() > end) throw new Error(`the pane never showed ${String(what)}; it shows:\n${screen}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe.skipIf(!hasTmux)('kubectl gwtls inspect in a terminal (tmux, 80x24)', () => {
  let dir = '';

  beforeAll(() => {
    if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run npm run build`);
    dir = mkdtempSync(join(tmpdir(), 'gwtls-tmux-'));
    const node = join(ROOT, 'node_modules/.bin/node');
    const cmd = `GWTLS_NOW=2026-11-22T00:00:00Z NO_COLOR=1 TERM=xterm-256color '${existsSync(node) ? node : process.execPath}' '${CLI}' inspect ssl-offload-gateway -f '${SEED}'; echo "EXIT=$?"; sleep 120`;
    tmux('new-session', '-d', '-s', SESSION, '-x', '80', '-y', '24', '-c', dir, cmd);
  });

  afterAll(() => {
    if (hasTmux) spawnSync('tmux', ['-L', SOCKET, 'kill-server']);
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('finds, understands and saves the fix for seed (c) without leaving the UI', async () => {
    // 1. The first screen: the tree with its verdicts and the findings, fitting 80x24.
    const screen = await waitFor('─ Findings', 15_000);
    const lines = screen.replace(/\n$/, '').split('\n');
    expect(lines).toHaveLength(24);
    for (const l of lines) expect(l.length).toBeLessThanOrEqual(80);
    expect(screen).toMatch(/default\/ssl-offload-gateway BROKEN +3 errors, 2 warnings/);
    expect(screen).toMatch(/▾ GatewayClass tigera-gateway-class/);
    expect(screen).toMatch(/▾ Gateway default\/ssl-offload-gateway +BROKEN {2}3 errors {2}2 warnings/);
    expect(screen).toMatch(/TCPRoute default\/backend-ssl-offload +NOT ATTACHED/);
    expect(screen).toMatch(/^› +▾ listener https {2}HTTPS :443 +BROKEN/m);
    expect(screen).toMatch(/TLS path {2}client ─TLS ✗→ gateway ─plain→ backend +BROKEN/);
    expect(screen).toMatch(/ERROR {3}GWTLS-RT-003 {4}TCPRoute default\/backend-ssl-offload/);
    // NO_COLOR: no colour escape reached the pane (capture-pane -e would show them).
    expect(tmux('capture-pane', '-p', '-e', '-t', SESSION)).not.toMatch(/\x1b\[(3[0-7]|9[0-7])m/);

    // 2. To the findings (shift-tab), down to RT-003: its detail; f: its fix preview.
    keys('BTab');
    await waitFor('▶ Findings');
    keys('j', 'j');
    const detail = await waitFor('Detail: GWTLS-RT-003');
    expect(detail).toMatch(/^›ERROR {3}GWTLS-RT-003/m);
    expect(detail).toContain('TCPRoute default/backend-ssl-offload cannot attach to Gateway');
    keys('f');
    const preview = await waitFor('Fix preview (1 finding)');
    expect(preview).toContain('fix: make listener https a TLS with tls.mode Terminate listener');
    expect(preview).toContain('kind: Gateway');
    expect(preview).toMatch(/protocol: TLS/);

    // 3. s, enter: the fix YAML is written where the UI was started.
    keys('s');
    await waitFor('save fixes to: gwtls-fix-rt-003-backend-ssl-offload.yaml');
    keys('Enter');
    await waitFor('wrote ');
    const yaml = readFileSync(join(dir, 'gwtls-fix-rt-003-backend-ssl-offload.yaml'), 'utf8');
    expect(yaml).toContain('#   GWTLS-RT-003 TCPRoute default/backend-ssl-offload: make listener https a TLS');
    expect(yaml).toContain('#   fixed    ERROR   GWTLS-RT-003 TCPRoute default/backend-ssl-offload');
    expect(yaml).toMatch(/protocol: TLS\n\s+port: 443/);

    // 4. esc, enter: jump to the TCPRoute in the tree; q: leave with the exit code of the findings.
    keys('Escape');
    await waitFor('▶ Findings');
    keys('Enter');
    const tree = await waitFor('▶ Tree');
    expect(tree).toMatch(/^› +▸ TCPRoute default\/backend-ssl-offload +NOT ATTACHED/m);
    keys('q');
    const after = await waitFor('EXIT=');
    expect(after).toContain('EXIT=1');
    // The alternate screen is gone: the shell's screen is back, with no frame left over.
    expect(after).not.toContain('─ Findings');
  });
});
