// Shared by the UI tests: seed reports built the way `inspect` builds them, a controllable context, and a
// rendered App with keys to press.
import { render } from 'ink-testing-library';
import { analyse, type Analysis } from '../../../src/cli/inspect-run.ts';
import { fixStreamFor } from '../../../src/cli/fix-run.ts';
import { makeEvaluator } from '../../../src/fixes/evaluator.ts';
import { preparePlan, type ReadyPlan } from '../../../src/fixes/flow.ts';
import type { ChosenFix } from '../../../src/fixes/plan.ts';
import type { InspectOptions } from '../../../src/cli/inspect.ts';
import type { InspectReport } from '../../../src/report/types.ts';
import { App } from '../../../src/tui/App.tsx';
import type { TuiContext } from '../../../src/tui/contract.ts';
import type { Size } from '../../../src/tui/layout.ts';

export const NOW = new Date('2026-11-22T00:00:00Z');
export const SEED_C = 'test/fixtures/seeds/c-calico-tls-termination/as-written.yaml';
export const SEED_C_FIXED = 'test/fixtures/seeds/c-calico-tls-termination/corrected.yaml';
export const SEED_A = 'test/fixtures/seeds/a-nlb-acm/as-written.yaml';
export const SEED_PASSTHROUGH = 'test/fixtures/seeds/c-calico-passthrough/as-written.yaml';

const cache = new Map<string, Promise<InspectReport>>();

/** The report `inspect` builds for these files (cached; treat it as read-only). */
export function seedReport(files: string | string[], gateway?: string): Promise<InspectReport> {
  const list = Array.isArray(files) ? files : [files];
  const k = `${gateway ?? ''}:${list.join(',')}`;
  let p = cache.get(k);
  if (!p) {
    const opts: InspectOptions = { filename: list, failOn: 'error', allNamespaces: !gateway };
    p = analyse(gateway, opts, NOW).then((a) => a.report);
    cache.set(k, p);
  }
  return p;
}

const analyses = new Map<string, Promise<Analysis>>();

/** The whole analysis `inspect` makes of these files (cached; read-only). */
export function seedAnalysis(files: string | string[], gateway?: string): Promise<Analysis> {
  const list = Array.isArray(files) ? files : [files];
  const k = `${gateway ?? ''}:${list.join(',')}`;
  let p = analyses.get(k);
  if (!p) {
    const opts: InspectOptions = { filename: list, failOn: 'error', allNamespaces: !gateway };
    p = analyse(gateway, opts, NOW);
    analyses.set(k, p);
  }
  return p;
}

/** The real fix plan of picked fixes on a seed, settled by the in-memory server-side apply (no cluster). */
export async function seedPlan(files: string | string[], gateway: string | undefined, picked: ChosenFix[]): Promise<ReadyPlan> {
  const a = await seedAnalysis(files, gateway);
  const evaluate = makeEvaluator(a.loaded.snapshot, a.loaded.scope, NOW, { defaultNamespace: 'default' });
  return preparePlan(picked, [], { evaluate, defaultNamespace: 'default' });
}

export function makeCtx(report: InspectReport, over: Partial<TuiContext> = {}): TuiContext {
  return {
    report,
    reload: async () => report,
    writeFile: async (path) => `/abs/${path}`,
    fixStream: async () => {
      throw new Error('this test gives the UI no fix plan');
    },
    watchIntervalSeconds: 1,
    ...over,
  };
}

/** The `--fix` stream of some findings of a seed, as inspect prints it. */
export function seedFixStream(files: string | string[], gateway?: string): (findings: import('../../../src/report/types.ts').Finding[]) => Promise<string> {
  return async (findings) => fixStreamFor(await seedAnalysis(files, gateway), findings, { filename: Array.isArray(files) ? files : [files], failOn: 'error', allNamespaces: !gateway }, NOW);
}

export const KEY = {
  up: '\u001B[A',
  down: '\u001B[B',
  right: '\u001B[C',
  left: '\u001B[D',
  enter: '\r',
  tab: '\t',
  shiftTab: '\u001B[Z',
  esc: '\u001B',
  backspace: '\u007F',
  pageDown: '\u001B[6~',
} as const;

export const stripAnsi = (s: string): string => s.replace(/\x1b\[[0-9;]*m/g, '');

export const delay = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export interface Rendered {
  frame(): string;
  press(...keys: string[]): Promise<void>;
  type(text: string): Promise<void>;
  waitFor(text: string | RegExp, timeoutMs?: number): Promise<string>;
  stdout: ReturnType<typeof render>['stdout'];
  unmount(): void;
}

/** `size: 'terminal'` follows the fake terminal's columns and rows (and its resize events); the default is 80x24. */
export function renderApp(ctx: TuiContext, opts: { size?: Size | 'terminal'; color?: boolean; onReport?: (r: InspectReport) => void } = {}): Rendered {
  const size = opts.size === 'terminal' ? {} : { size: opts.size ?? { columns: 80, rows: 24 } };
  const inst = render(<App ctx={ctx} color={opts.color ?? false} {...size} now={() => NOW} {...(opts.onReport ? { onReport: opts.onReport } : {})} />);
  // Lines carry their own styles (bold, inverse; colour when on): the tests read the words.
  const frame = () => stripAnsi(inst.lastFrame() ?? '');
  return {
    frame,
    stdout: inst.stdout,
    unmount: inst.unmount,
    async press(...keys) {
      for (const k of keys) {
        inst.stdin.write(k);
        // A lone ESC waits ~20 ms for the rest of an escape sequence.
        await delay(k === KEY.esc ? 40 : 10);
      }
    },
    async type(text) {
      for (const ch of text) {
        inst.stdin.write(ch);
        await delay(5);
      }
      await delay(10);
    },
    async waitFor(text, timeoutMs = 2000) {
      const end = Date.now() + timeoutMs;
      for (;;) {
        const f = frame();
        if (typeof text === 'string' ? f.includes(text) : text.test(f)) return f;
        if (Date.now() > end) throw new Error(`timed out waiting for ${String(text)}; last frame:\n${f}`);
        await delay(10);
      }
    },
  };
}
