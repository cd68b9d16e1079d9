// `inspect` in a terminal: the interactive UI on the alternate screen (the shell's screen comes back on quit).
import { render } from 'ink';
import type { InspectReport } from '../report/types.ts';
import { colorEnabled } from '../report/style.ts';
import { App } from './App.tsx';
import type { TuiContext } from './contract.ts';

/** Same rule as the text output: 1 when the last report shown has findings at or above --fail-on, else 0. */
export function tuiExitCode(report: InspectReport, failOn: TuiContext['failOn'] = 'error'): number {
  if (failOn === 'none') return 0;
  const { errors, warnings } = report.summary;
  return errors > 0 || (failOn === 'warning' && warnings > 0) ? 1 : 0;
}

/** Streams other than the process's (tests, benchmarks). */
export interface TuiIo {
  stdin?: NodeJS.ReadableStream;
  stdout?: NodeJS.WritableStream;
  stderr?: NodeJS.WritableStream;
  color?: boolean;
}

export async function runTui(ctx: TuiContext, io: TuiIo = {}): Promise<number> {
  let latest = ctx.report;
  const stdout = io.stdout ?? process.stdout;
  const color = io.color ?? colorEnabled(stdout as NodeJS.WriteStream);
  const instance = render(<App ctx={ctx} color={color} onReport={(r) => (latest = r)} />, {
    stdout,
    stdin: io.stdin ?? process.stdin,
    stderr: io.stderr ?? process.stderr,
    alternateScreen: true,
    exitOnCtrlC: true,
    patchConsole: !io.stdout,
    incrementalRendering: true,
    maxFps: 60,
  });
  await instance.waitUntilExit();
  return tuiExitCode(latest, ctx.failOn);
}
