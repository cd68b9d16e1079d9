// What the interactive UI gets from `inspect`: the report, and the actions it may offer. The UI adds no analysis
// of its own; everything it shows comes from these.
import type { AppliedObject, PlannedFix } from '../fixes/apply.ts';
import type { ProbeReport } from '../probe/types.ts';
import type { Finding, InspectReport } from '../report/types.ts';

export interface TuiContext {
  report: InspectReport;
  /** The Gateway asked for on the command line, if any. */
  gatewayName?: string;
  /** Re-reads the source (cluster or files) and rebuilds the report: refresh, watch, and after apply. */
  reload(): Promise<InspectReport>;
  /** Present for cluster sources: the server-side dry run and apply of safe fixes (never suggestions). */
  apply?: {
    context: string;
    server: string;
    plan(findings: Finding[]): Promise<PlannedFix[]>;
    execute(plans: PlannedFix[]): Promise<AppliedObject[]>;
  };
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
