// `kubectl gwtls probe`: validate the flags, probe every target (bounded concurrency; svc/ and pod/ targets through
// the API server's port-forward), cross-check host targets against the cluster's Gateway listeners when a
// kubeconfig is usable, print, pick the exit code.
import { EXIT_FAILURE, EXIT_FINDINGS, EXIT_OK, UserError } from './errors.ts';
import type { ProbeCliOptions } from './probe.ts';
import { caStoreLabel, probe } from '../probe/probe.ts';
import { noKubeconfigReason } from '../probe/cluster-access.ts';
import { CaFileError, readCaFile } from '../probe/ca-file.ts';
import { apiLimits } from '../cluster/limits.ts';
import { safeLine, terminalSafeJson } from '../report/sanitize.ts';
import type { ClusterAccess } from '../cluster/source.ts';
import { parseTarget, splitHostPort, TargetError } from '../probe/target.ts';
import { renderProbeText } from '../probe/render.ts';
import { styleFor } from '../probe/style.ts';
import { storeFromPem } from '../probe/trust.ts';
import type { ProbeOptions, ProbeReport, ProbeReportList, ProbeTarget } from '../probe/types.ts';

export const PROBE_CONCURRENCY = 16;

export async function runProbe(targets: string[], opts: ProbeCliOptions): Promise<number> {
  const parsed: ProbeTarget[] = [];
  // The SNI as sent: an internationalised name in its A-label form.
  let sni = opts.sni;
  try {
    for (const t of targets) parsed.push(parseTarget(t));
    if (opts.connectTo) splitHostPort(opts.connectTo, '--connect-to');
    if (opts.sni) {
      const given = splitHostPort(opts.sni, '--sni');
      // RFC 6066 §3: SNI carries host names only.
      if (given.ip || given.port !== null) throw new TargetError(`--sni "${opts.sni}": give a host name only (no port, no IP address: an address cannot be sent as SNI)`);
      sni = given.host;
    }
  } catch (e) {
    if (e instanceof TargetError) throw new UserError(e.message);
    throw e;
  }
  const options: ProbeOptions = {
    timeoutMs: opts.timeout > 0 ? opts.timeout : 2_147_000_000,
  };
  if (sni !== undefined) options.sni = sni;
  if (opts.connectTo) options.connectTo = opts.connectTo;
  if (opts.alpn?.length) options.alpn = opts.alpn;
  if (opts.starttls) options.starttls = opts.starttls;
  if (opts.caFile) {
    let text: string;
    try {
      text = await readCaFile(opts.caFile, options.timeoutMs ?? opts.timeout);
    } catch (e) {
      if (e instanceof CaFileError) throw new UserError(`cannot read --ca-file ${opts.caFile}: ${e.message}`);
      throw e;
    }
    try {
      storeFromPem(text, caStoreLabel(opts.caFile));
    } catch (e) {
      throw new UserError(`--ca-file ${opts.caFile}: ${(e as Error).message.replace(`${caStoreLabel(opts.caFile)} `, '')}`);
    }
    options.ca = text;
    options.caLabel = opts.caFile;
  }
  const reports = await probeTargets(parsed, options, opts);
  if (opts.output === 'json') {
    const doc: ProbeReport | ProbeReportList = reports.length === 1 ? reports[0]! : { apiVersion: 'gwtls.dev/v1alpha1', kind: 'ProbeReportList', items: reports };
    process.stdout.write(`${terminalSafeJson(JSON.stringify(doc, null, 2))}\n`);
  } else {
    process.stdout.write(renderProbeText(reports, styleFor(process.stdout)));
  }
  let code = EXIT_OK;
  for (const r of reports) {
    const c = exitCodeFor(r);
    if (c === EXIT_FAILURE) process.stderr.write(`error: ${safeLine(`${r.target.input}: ${r.connection.error?.summary ?? 'probe failed'}`)}\n`);
    code = Math.max(code, c);
  }
  return code;
}

export function exitCodeFor(r: ProbeReport): number {
  const code = r.connection.error?.code ?? '';
  if (r.connection.phase === 'dns' || code === 'EUNSUPPORTED') return EXIT_FAILURE;
  // A backend that cannot be looked up, or a port-forward the API server refuses: the tool could not do its job.
  if (r.connection.phase === 'target' && code !== 'ENOENDPOINT') return EXIT_FAILURE;
  if (code === 'EPORTFORWARD') return EXIT_FAILURE;
  return r.ok ? EXIT_OK : EXIT_FINDINGS;
}

/** The time limit of the cross-check's API requests: --request-timeout, but no longer than the probe itself is allowed (at least 5 s). */
function crossCheckTimeout(opts: ProbeCliOptions): number {
  const cap = Math.max(opts.timeout > 0 ? opts.timeout : 30_000, 5_000);
  return opts.requestTimeout !== undefined && opts.requestTimeout > 0 ? Math.min(opts.requestTimeout, cap) : cap;
}

/**
 * Runs the cross-check, ending at most --timeout after the probes did: when the time is up every request and exec
 * plugin still running is stopped (nothing is left to hold the process), and the reports not yet compared say so.
 */
async function boundedCrossCheck(run: () => Promise<void>, reports: ProbeReport[], stop: AbortController, timeoutMs: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<'late'>((resolve) => {
    if (timeoutMs > 0) {
      timer = setTimeout(() => {
        stop.abort(new Error(`the cluster cross-check did not finish within ${seconds(timeoutMs)} (--timeout)`));
        resolve('late');
      }, timeoutMs);
    }
  });
  const outcome = await Promise.race([run().then(() => 'done' as const), late]);
  clearTimeout(timer);
  if (outcome === 'done') return;
  for (const r of reports) {
    if (r.backend || (r.cluster && r.cluster.outcome !== 'unknown')) continue;
    r.cluster = { gateway: null, listener: null, hostname: null, configuredFrom: null, configuredFingerprintSha256: null, servedMatchesConfigured: null, outcome: 'skipped', why: `cluster cross-check skipped: it did not finish within ${seconds(timeoutMs)} (--timeout); the API server is slow or does not answer` };
  }
}

function seconds(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000}s` : `${ms}ms`;
}

async function probeTargets(parsed: ProbeTarget[], options: ProbeOptions, opts: ProbeCliOptions): Promise<ProbeReport[]> {
  const now = new Date();
  const access: ClusterAccess = {
    ...(opts.kubeconfig ? { kubeconfig: opts.kubeconfig } : {}),
    ...(opts.context ? { context: opts.context } : {}),
    requestTimeoutMs: crossCheckTimeout(opts),
  };
  const hosts = parsed.some((t) => t.kind === 'host');
  const backend = parsed.find((t) => t.kind !== 'host');
  const noKube = noKubeconfigReason(access);
  if (backend && noKube) throw new UserError(`${backend.input}: a backend is reached through the API server's port-forward, which needs a cluster: ${noKube}`);
  const wantCross = hosts && opts.cluster !== false;
  // Stops the cross-check's requests when its time is up (see boundedCrossCheck).
  const stop = new AbortController();
  if (wantCross && !noKube) apiLimits.signal = stop.signal;
  // The cluster is read while the probes run.
  const cluster = backend || (wantCross && !noKube) ? await import('../probe/cluster.ts') : null;
  const listing = cluster && wantCross && !noKube ? cluster.listGateways(access, { ...(opts.namespace ? { namespace: opts.namespace } : {}), allNamespaces: opts.allNamespaces ?? false }) : null;
  let session: import('../probe/cluster.ts').Session | null = null;
  if (backend && cluster) session = cluster.openSession({ ...access, requestTimeoutMs: opts.requestTimeout ?? 30_000 });
  const reports = new Array<ProbeReport>(parsed.length);
  let next = 0;
  const worker = async () => {
    while (next < parsed.length) {
      const i = next++;
      const t = parsed[i]!;
      reports[i] = t.kind === 'host' || !session || !cluster ? await probe(t, options) : await cluster.probeBackendTarget(session, t, opts.namespace ?? session.namespace, options, now);
    }
  };
  await Promise.all(Array.from({ length: Math.min(PROBE_CONCURRENCY, parsed.length) }, worker));
  if (wantCross) {
    if (listing && cluster) await boundedCrossCheck(async () => cluster.crossCheck(reports, await listing, now), reports, stop, opts.timeout);
    else if (noKube) for (const r of reports) if (!r.backend) r.cluster = { gateway: null, listener: null, hostname: null, configuredFrom: null, configuredFingerprintSha256: null, servedMatchesConfigured: null, outcome: 'skipped', why: `cluster cross-check skipped: ${noKube}` };
  }
  return reports;
}
