// `inspect` in a terminal: the entry point `inspect-run.ts` calls. It loads the UI (React, ink) only now.
import type { InspectReport } from '../report/types.ts';
import type { TuiContext } from './contract.ts';
import type { TuiIo } from './session.tsx';

export type { TuiIo } from './session.tsx';

/** Same rule as the text output: 1 when the last report shown has findings at or above --fail-on, else 0. */
export function tuiExitCode(report: InspectReport, failOn: TuiContext['failOn'] = 'error'): number {
  if (failOn === 'none') return 0;
  const { errors, warnings } = report.summary;
  return errors > 0 || (failOn === 'warning' && warnings > 0) ? 1 : 0;
}

export async function runTui(ctx: TuiContext, io: TuiIo = {}): Promise<number> {
  // React ships a development build that checks every element it creates (about twice the time per frame); it
  // is chosen when React loads, so say "production" before loading it, unless the environment says otherwise.
  process.env.NODE_ENV ??= 'production';
  const { startTui } = await import('./session.tsx');
  const { report, interrupted } = await startTui(ctx, io);
  // Ctrl-C: 130, as for any interrupted command (the findings shown decide the code only on a normal quit).
  return interrupted ? 130 : tuiExitCode(report, ctx.failOn);
}
