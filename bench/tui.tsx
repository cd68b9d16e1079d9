// Benchmark (issue 6): the interactive UI on the L-size synthetic cluster (2,000 Gateways, 20,000 routes,
// 100,000 pods), rendered by ink into a fake 80x24 terminal (interactive mode, 60 fps cap, incremental
// rendering, exactly as `runTui` renders it).
//
// Measures, after the report is built (the data read and analysed, timed separately):
//   - time to first frame (goal < 1.5 s): from mounting the App to the first frame written to the terminal;
//   - keypress to next frame (goal < 30 ms): from a key written to the terminal's input to the next frame
//     written, while moving through the tree (j/k, page down, expanding and collapsing Gateways and routes).
//
// How to run (JSX needs a transform; esbuild is installed, node_modules stay external):
//   node_modules/.bin/esbuild bench/tui.tsx --bundle --platform=node --format=esm --jsx=automatic \
//     --packages=external --outfile=bench/out/tui.mjs && node_modules/.bin/node bench/out/tui.mjs
// It runs React's production build, as `runTui` does (it re-runs itself with NODE_ENV=production if unset).
// The L files come from `node bench/inspect-files.ts` (bench/out/L/cluster.json). Flags:
//   --size S            the S cluster instead (200 Gateways)
//   --keys N            key presses per scenario (default 150)
import { spawnSync } from 'node:child_process';
import { EventEmitter } from 'node:events';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { render } from 'ink';
import { analyse } from '../src/cli/inspect-run.ts';
import type { InspectOptions } from '../src/cli/inspect.ts';
import type { InspectReport } from '../src/report/types.ts';
import { App } from '../src/tui/App.tsx';
import type { TuiContext } from '../src/tui/contract.ts';

if (process.env.NODE_ENV !== 'production') {
  const r = spawnSync(process.execPath, [fileURLToPath(import.meta.url), ...process.argv.slice(2)], { stdio: 'inherit', env: { ...process.env, NODE_ENV: 'production' } });
  process.exit(r.status ?? 1);
}

const { values: args } = parseArgs({ options: { size: { type: 'string', default: 'L' }, keys: { type: 'string', default: '150' } } });
// Bundled into bench/out/, or run from bench/: the repository is the first ancestor holding package.json.
const here = fileURLToPath(new URL('.', import.meta.url));
const root = existsSync(`${here}../package.json`) ? `${here}../` : `${here}../../`;
const file = `${root}bench/out/${args.size}/cluster.json`;
const PRESSES = Number(args.keys);
const NOW = new Date('2026-11-22T00:00:00Z');

if (!existsSync(file)) {
  console.error(`${file} is missing: run node bench/inspect-files.ts first`);
  process.exit(2);
}

// ---- a fake terminal ------------------------------------------------------------------------------------------------

class FakeStdout extends EventEmitter {
  isTTY = true;
  columns: number;
  rows: number;
  writes = 0;
  bytes = 0;
  private waiters: Array<() => void> = [];
  constructor(columns: number, rows: number) {
    super();
    this.columns = columns;
    this.rows = rows;
  }
  write(data: string, enc?: unknown, cb?: () => void): boolean {
    this.writes++;
    this.bytes += data.length;
    const w = this.waiters;
    this.waiters = [];
    for (const f of w) f();
    (typeof enc === 'function' ? (enc as () => void) : cb)?.();
    return true;
  }
  nextWrite(): Promise<void> {
    return new Promise((r) => this.waiters.push(r));
  }
}

class FakeStdin extends EventEmitter {
  isTTY = true;
  private buffer: string[] = [];
  setRawMode(): void {}
  setEncoding(): void {}
  resume(): void {}
  pause(): void {}
  ref(): void {}
  unref(): void {}
  read(): string | null {
    return this.buffer.shift() ?? null;
  }
  press(s: string): void {
    this.buffer.push(s);
    this.emit('readable');
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function stats(ms: number[]): string {
  const s = [...ms].sort((a, b) => a - b);
  const q = (p: number) => s[Math.min(s.length - 1, Math.floor(p * s.length))]!;
  return `median ${q(0.5).toFixed(1)} ms, p95 ${q(0.95).toFixed(1)} ms, max ${s.at(-1)!.toFixed(1)} ms (${s.length} keys)`;
}

// ---- one session ----------------------------------------------------------------------------------------------------

interface Result {
  firstFrameMs: number;
  keys: Record<string, number[]>;
  /** Keys that changed nothing on screen (so no frame came): not timed. */
  unchanged: number;
}

async function session(report: InspectReport, gatewayName: string | undefined, columns: number, rows: number, scenarios: Array<[string, string[]]>): Promise<Result> {
  const stdout = new FakeStdout(columns, rows);
  const stdin = new FakeStdin();
  const ctx: TuiContext = { report, reload: async () => report, writeFile: async (p) => p, fixStream: async () => "", watchIntervalSeconds: 3, ...(gatewayName ? { gatewayName } : {}) };
  const first = stdout.nextWrite();
  const t0 = performance.now();
  const inst = render(<App ctx={ctx} color={true} />, { stdout: stdout as never, stdin: stdin as never, stderr: stdout as never, interactive: true, exitOnCtrlC: false, patchConsole: false, maxFps: 60, incrementalRendering: true });
  await first;
  const firstFrameMs = performance.now() - t0;
  await sleep(100);
  const keys: Record<string, number[]> = {};
  let unchanged = 0;
  for (const [name, seq] of scenarios) {
    const times: number[] = [];
    for (const k of seq) {
      // Keys at a fast typist's pace (and faster than key repeat's ~30/s), above the 60 fps frame cap.
      await sleep(20);
      const next = stdout.nextWrite();
      const t = performance.now();
      stdin.press(k);
      const got = await Promise.race([next.then(() => true), sleep(500).then(() => false)]);
      if (got) times.push(performance.now() - t);
      else unchanged++;
    }
    keys[name] = times;
  }
  inst.unmount();
  await sleep(50);
  return { firstFrameMs, keys, unchanged };
}

const DOWN = 'j';
const UP = 'k';
const RIGHT = '\u001B[C';
const LEFT = '\u001B[D';
const PAGE_DOWN = '\u001B[6~';
const repeat = (k: string, n: number) => Array.from({ length: n }, () => k);

async function main(): Promise<void> {
  console.log(`node ${process.versions.node}; ${file}`);
  let t = performance.now();
  const all = await analyse(undefined, { filename: [file], allNamespaces: true, failOn: 'none' } as InspectOptions, NOW);
  const readAll = performance.now() - t;
  const r = all.report;
  const routes = r.gateways.reduce((n, g) => n + g.listeners.reduce((m, l) => m + l.routes.length, 0), 0);
  console.log(`data read and analysed, every Gateway: ${(readAll / 1000).toFixed(1)} s (${r.gateways.length} Gateways, ${routes} listener routes, ${r.findings.length} findings)`);

  // Every Gateway (no GATEWAY named): 2,000 top-level rows. Each key below changes the screen.
  const listScenarios: Array<[string, string[]]> = [
    ['move down (j) through the Gateway list', repeat(DOWN, PRESSES)],
    ['move up (k)', repeat(UP, Math.floor(PRESSES / 3))],
    ['page down', repeat(PAGE_DOWN, 20)],
    ['expand / collapse a Gateway (→ ←)', Array.from({ length: 40 }, (_, i) => (i % 2 ? LEFT : RIGHT))],
    // → opens a Gateway, then j j steps over its GatewayClass row onto a listener, → opens it, and so on.
    ['open Gateways and listeners while walking (→ j j → j)', Array.from({ length: PRESSES }, (_, i) => [RIGHT, DOWN, DOWN, RIGHT, DOWN][i % 5]!)],
  ];
  const list = await session(r, undefined, 80, 24, listScenarios);
  const big = await session(r, undefined, 200, 60, [['move down (j), 200x60 terminal', repeat(DOWN, Math.floor(PRESSES / 2))]]);

  // One Gateway from the same files (what `inspect gw-0 -n ns-0` shows): its whole tree.
  t = performance.now();
  const one = await analyse('gw-0', { filename: [file], namespace: 'ns-0', failOn: 'none' } as InspectOptions, NOW);
  const readOne = performance.now() - t;
  const single = await session(one.report, 'gw-0', 80, 24, [
    ['move down and up (j, k) through one Gateway', Array.from({ length: 60 }, (_, i) => (Math.floor(i / 10) % 2 ? UP : DOWN))],
    ['open and walk into routes and backends (→ j)', Array.from({ length: 40 }, (_, i) => (i % 2 ? DOWN : RIGHT))],
  ]);

  console.log('');
  console.log(`time to first frame, every Gateway, 80x24:   ${list.firstFrameMs.toFixed(0)} ms (goal < 1500 ms)`);
  console.log(`time to first frame, every Gateway, 200x60:  ${big.firstFrameMs.toFixed(0)} ms`);
  console.log(`time to first frame, one Gateway (read ${(readOne / 1000).toFixed(1)} s), 80x24: ${single.firstFrameMs.toFixed(0)} ms`);
  console.log('');
  console.log('keypress to next frame (goal < 30 ms):');
  const allTimes: number[] = [];
  for (const res of [list, big, single]) {
    for (const [name, times] of Object.entries(res.keys)) {
      console.log(`  ${name.padEnd(58)} ${stats(times)}`);
      allTimes.push(...times);
    }
  }
  console.log(`  ${'all keys'.padEnd(58)} ${stats(allTimes)}`);
  const unchanged = list.unchanged + big.unchanged + single.unchanged;
  if (unchanged) console.log(`  (${unchanged} key${unchanged === 1 ? '' : 's'} changed nothing on screen, so drew no frame: not timed)`);
  const p95 = [...allTimes].sort((a, b) => a - b)[Math.floor(0.95 * allTimes.length)]!;
  console.log(`\ngoals: first frame < 1.5 s -> ${list.firstFrameMs < 1500 ? 'met' : 'NOT met'}; keypress to frame < 30 ms (p95) -> ${p95 < 30 ? 'met' : 'NOT met'}`);
}

await main();
