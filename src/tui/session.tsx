// Mounts the App on the terminal (the alternate screen: the shell's screen comes back on quit) and resolves with
// the last report shown when the user quits.
import { render } from 'ink';
import type { InspectReport } from '../report/types.ts';
import { colorEnabled } from '../report/style.ts';
import { App } from './App.tsx';
import type { TuiContext } from './contract.ts';

/** Streams other than the process's (tests, benchmarks). */
export interface TuiIo {
  stdin?: NodeJS.ReadableStream;
  stdout?: NodeJS.WritableStream;
  stderr?: NodeJS.WritableStream;
  color?: boolean;
}

export interface TuiOutcome {
  /** The last report shown. */
  report: InspectReport;
  /** The user quit with Ctrl-C. */
  interrupted: boolean;
}

export async function startTui(ctx: TuiContext, io: TuiIo = {}): Promise<TuiOutcome> {
  let latest = ctx.report;
  let interrupted = false;
  const stdout = io.stdout ?? process.stdout;
  const color = io.color ?? colorEnabled(stdout as NodeJS.WriteStream);
  const instance = render(<App ctx={ctx} color={color} onReport={(r) => (latest = r)} onInterrupt={() => (interrupted = true)} />, {
    stdout,
    stdin: io.stdin ?? process.stdin,
    stderr: io.stderr ?? process.stderr,
    alternateScreen: true,
    // The CLI chose the UI because stdin and stdout are terminals; ink would otherwise go quiet (final frame
    // only) whenever a CI variable is set, as it is in many dev containers and in our own test runs.
    interactive: true,
    // The App reads Ctrl-C itself (also inside a prompt) and quits; the command then exits 130.
    exitOnCtrlC: false,
    patchConsole: !io.stdout,
    incrementalRendering: true,
    maxFps: 60,
  });
  await instance.waitUntilExit();
  return { report: latest, interrupted };
}
