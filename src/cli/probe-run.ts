// `kubectl gwtls probe`: validate the flags, probe every target (bounded concurrency), print, pick the exit code.
import { readFile } from 'node:fs/promises';
import { EXIT_FAILURE, EXIT_FINDINGS, EXIT_OK, UserError } from './errors.ts';
import type { ProbeCliOptions } from './probe.ts';
import { caStoreLabel, probeAll } from '../probe/probe.ts';
import { parseTarget, splitHostPort, TargetError } from '../probe/target.ts';
import { renderProbeText } from '../probe/render.ts';
import { styleFor } from '../probe/style.ts';
import { storeFromPem } from '../probe/trust.ts';
import type { ProbeOptions, ProbeReport, ProbeReportList, ProbeTarget } from '../probe/types.ts';

export const PROBE_CONCURRENCY = 16;

export async function runProbe(targets: string[], opts: ProbeCliOptions): Promise<number> {
  const parsed: ProbeTarget[] = [];
  try {
    for (const t of targets) parsed.push(parseTarget(t));
    if (opts.connectTo) splitHostPort(opts.connectTo, '--connect-to');
    if (opts.sni) splitHostPort(opts.sni, '--sni');
  } catch (e) {
    if (e instanceof TargetError) throw new UserError(e.message);
    throw e;
  }
  const options: ProbeOptions = {
    timeoutMs: opts.timeout > 0 ? opts.timeout : 2_147_000_000,
  };
  if (opts.sni !== undefined) options.sni = opts.sni;
  if (opts.connectTo) options.connectTo = opts.connectTo;
  if (opts.alpn?.length) options.alpn = opts.alpn;
  if (opts.starttls) options.starttls = opts.starttls;
  if (opts.caFile) {
    let text: string;
    try {
      text = await readFile(opts.caFile, 'utf8');
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      throw new UserError(`cannot read --ca-file ${opts.caFile}: ${code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' : code === 'EISDIR' ? 'it is a directory' : (e as Error).message}`);
    }
    try {
      storeFromPem(text, caStoreLabel(opts.caFile));
    } catch (e) {
      throw new UserError(`--ca-file ${opts.caFile}: ${(e as Error).message.replace(`${caStoreLabel(opts.caFile)} `, '')}`);
    }
    options.ca = text;
    options.caLabel = opts.caFile;
  }
  const reports = await probeAll(parsed, options, PROBE_CONCURRENCY);
  if (opts.output === 'json') {
    const doc: ProbeReport | ProbeReportList = reports.length === 1 ? reports[0]! : { apiVersion: 'gwtls.dev/v1alpha1', kind: 'ProbeReportList', items: reports };
    process.stdout.write(`${JSON.stringify(doc, null, 2)}\n`);
  } else {
    process.stdout.write(renderProbeText(reports, styleFor(process.stdout)));
  }
  let code = EXIT_OK;
  for (const r of reports) {
    const c = exitCodeFor(r);
    if (c === EXIT_FAILURE) process.stderr.write(`error: ${r.target.input}: ${r.connection.error?.summary ?? 'probe failed'}\n`);
    code = Math.max(code, c);
  }
  return code;
}

export function exitCodeFor(r: ProbeReport): number {
  if (r.connection.phase === 'dns' || r.connection.error?.code === 'EUNSUPPORTED') return EXIT_FAILURE;
  return r.ok ? EXIT_OK : EXIT_FINDINGS;
}
