// What the interactive UI gets from `inspect`: the report, and the actions it may offer. The UI adds no analysis
// of its own; everything it shows comes from these.
import type { AppliedChange } from '../fixes/apply.ts';
import type { ReadyPlan } from '../fixes/flow.ts';
import type { ChosenFix } from '../fixes/plan.ts';
import type { ProbeReport } from '../probe/types.ts';
import type { Finding, InspectReport } from '../report/types.ts';

export interface TuiContext {
  report: InspectReport;
  /** The Gateway asked for on the command line, if any. */
  gatewayName?: string;
  /** Re-reads the source (cluster or files) and rebuilds the report: refresh, watch, and after apply. */
  reload(): Promise<InspectReport>;
  /**
   * Present for cluster sources: the fix plan of the picked fixes with the server's dry run, and its
   * execution. Suggestions are picked only by the user, and confirmed in words.
   */
  apply?: {
    context: string;
    server: string;
    plan(picked: ChosenFix[]): Promise<ReadyPlan>;
    execute(ready: ReadyPlan): Promise<AppliedChange[]>;
  };
  /** The fix plan of these findings as the YAML stream `inspect --fix` prints (for saving to a file). */
  fixStream(findings: Finding[]): Promise<string>;
  /** Probes what a listener serves (its Gateway addresses, with the listener or route hostnames as SNI). */
  probeListener?(gateway: { namespace: string; name: string }, listener: string): Promise<ProbeReport[]>;
  /** Probes a backend (Service port) through the API server's port-forward. */
  probeBackend?(backend: { namespace: string; name: string; port: number }): Promise<ProbeReport>;
  /** Writes text to a file (fix previews); returns the path written. */
  writeFile(path: string, text: string): Promise<string>;
  /** Seconds between reloads while watching. */
  watchIntervalSeconds: number;
  /** The exit code rule of `--fail-on` (default `error`): applied to the last report shown when the UI quits. */
  failOn?: 'error' | 'warning' | 'none';
}
