// `kubectl gwtls inspect`: load objects, build the path model, run the rules, print the report.
import { terminalSafeYaml } from '../report/yaml-output.ts';
import { loadSnapshot } from '../cluster/source.ts';
import { InputPathError, InputTooLargeForMemory } from '../cluster/manifests.ts';
import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { buildModel, type Model } from '../graph/model.ts';
import type { TuiContext } from '../tui/contract.ts';
import { buildReport, streamedReport, type BuildReportInput } from '../report/build.ts';
import { colorEnabled, makeStyle } from '../report/style.ts';
import { renderGatewayList, renderReport } from '../report/text.ts';
import type { InspectReport } from '../report/types.ts';
import { safeLine } from '../report/sanitize.ts';
import { writeJson } from '../report/write.ts';
import { runRules, sortFindings } from '../rules/engine.ts';
import { ALL_RULES } from '../rules/index.ts';
import { EXIT_FAILURE, EXIT_FINDINGS, EXIT_OK, UserError } from './errors.ts';
import { applyFixes, printFixes } from './fix-run.ts';
import type { LoadRequest, LoadResult } from '../cluster/source.ts';
import type { InspectOptions } from './inspect.ts';

export interface Analysis {
  loaded: LoadResult;
  model: Model;
  report: InspectReport;
}

/** Reads the source and runs the analysis: what `inspect` prints, the UI shows, and --apply starts from. */
export async function analyse(gateway: string | undefined, opts: InspectOptions, now: Date): Promise<Analysis> {
  const { loaded, model, input } = await judge(gateway, opts, now);
  return { loaded, model, report: buildReport(input) };
}

/** The analysis up to the findings: what the report is built from. */
async function judge(gateway: string | undefined, opts: InspectOptions, now: Date): Promise<{ loaded: LoadResult; model: Model; input: BuildReportInput }> {
  let loaded: LoadResult;
  try {
    loaded = await loadSnapshot(loadRequest(gateway, opts));
  } catch (e) {
    if (e instanceof InputPathError || e instanceof InputTooLargeForMemory) throw new UserError(safeLine(e.message));
    throw e;
  }
  const { snapshot, scope, inputErrors } = loaded;
  const model = buildModel(snapshot, scope, now);
  if (gateway && model.gateways.length === 0) {
    // What could not be read may be why the Gateway is not there: say that first.
    reportInput(loaded);
    throw new UserError(gatewayNotFound(gateway, scope.namespace, snapshot.list('Gateway').map((g) => `${g.meta.namespace}/${g.meta.name}`), snapshot.source.type));
  }
  // --probe: what the listeners and backends really serve, before the rules (the backend-TLS rules read it).
  const probes = opts.probe ? await probeAll(model, loaded, opts, now) : undefined;
  const { findings, skipped } = runRules(model, ALL_RULES, { ...(opts.ignore ? { ignore: opts.ignore } : {}) });
  if (probes) {
    const ignored = new Set((opts.ignore ?? []).map((c) => c.toUpperCase()));
    findings.push(...probes.findings.filter((f) => !ignored.has(f.code)));
    sortFindings(findings);
  }
  return { loaded, model, input: { model, findings, skipped, inputErrors, ...(probes ? { probes } : {}) } };
}

/** The kubeconfig the port-forwards use (cluster sources only). */
async function kubeConfigFor(loaded: LoadResult, opts: InspectOptions) {
  if (!loaded.cluster) return null;
  const { loadKubeConfig } = await import('../cluster/kubeconfig.ts');
  return loadKubeConfig(loadRequest(undefined, opts).cluster).kc;
}

async function probeAll(model: Model, loaded: LoadResult, opts: InspectOptions, now: Date) {
  const { probeModel } = await import('../probe/inspect.ts');
  return probeModel(model, { kc: await kubeConfigFor(loaded, opts), now });
}

function outputFormat(opts: InspectOptions): NonNullable<InspectOptions['output']> {
  const interactive = process.stdin.isTTY === true && process.stdout.isTTY === true;
  const format = opts.output ?? (interactive && !opts.fix && !opts.apply ? 'tui' : 'text');
  if (format === 'tui' && !interactive) throw new UserError('-o tui needs a terminal on stdin and stdout; use -o text, json or yaml');
  return format;
}

export async function runInspect(gateway: string | undefined, given: InspectOptions): Promise<number> {
  const opts = given.ignore?.length ? { ...given, ignore: await ignoredCodes(given.ignore) } : given;
  const format = outputFormat(opts);
  if (opts.apply && opts.filename) throw new UserError('--apply changes a cluster; with -f files, print the fixes with --fix and apply them yourself');
  if (opts.overlay && !opts.filename) throw new UserError('--overlay lays -f files over the cluster: give them with -f');
  if (opts.apply && format !== 'text' && !(format === 'json' && opts.yes)) throw new UserError('--apply talks to you: use it with text output, or with -o json and --yes for automation (the report after applying, with an applied section)');
  if (opts.fix && format !== 'text') throw new UserError('--fix prints the fixes as YAML; with -o json or yaml they are already in findings[].fixes');
  if (opts.apply && (format === 'wide' || format === 'name')) throw new UserError(`--apply talks to you: use it with text output, not -o ${format}`);

  const now = () => (process.env.GWTLS_NOW ? new Date(process.env.GWTLS_NOW) : new Date());
  if (format === 'json' && !opts.apply && !opts.fix) {
    // Written as it is built: nothing else needs the whole report.
    const { loaded, input } = await judge(gateway, opts, now());
    reportInput(loaded);
    const report = streamedReport(input);
    await writeJson(process.stdout, report);
    return runExitCode(loaded, report, opts.failOn);
  }
  const { loaded, report, model } = await analyse(gateway, opts, now());
  reportInput(loaded);
  const ignoredCount = Object.values(loaded.ignored).reduce((a, b) => a + b, 0);
  if (ignoredCount > 0 && format === 'text') process.stderr.write(`note: ignored ${ignoredCount} object${ignoredCount > 1 ? 's' : ''} of kinds this tool does not read (${safeLine(Object.keys(loaded.ignored).join(', '))})\n`);

  if (format === 'tui') {
    const { runTui } = await import('../tui/run.tsx');
    return runTui(tuiContext(report, loaded, gateway, opts, now, model));
  }
  if (opts.apply) {
    const at = now();
    return applyFixes({ analysis: { loaded, report, model }, opts, now: at, reanalyse: () => analyse(gateway, opts, at), exitCode: (r) => exitCode(r, opts.failOn) });
  }
  if (opts.fix) {
    await printFixes({ loaded, report, model }, opts, now());
  } else if (format === 'yaml') {
    process.stdout.write(terminalSafeYaml(report, { noRefs: true, lineWidth: -1 }));
  } else {
    const style = makeStyle(colorEnabled());
    const width = Math.max(60, Math.min(process.stdout.columns || 80, 120));
    if (format === 'wide' || format === 'name') process.stdout.write(renderGatewayList(report, { style, width, format }));
    else process.stdout.write(gateway ? renderReport(report, { style, width, details: opts.details ?? false }) : renderGatewayList(report, { style, width }));
  }
  return runExitCode(loaded, report, opts.failOn);
}

const reported = new WeakSet<LoadResult>();

/** One line per input problem on stderr (file names and messages are hostile text). */
function reportInput(loaded: LoadResult): void {
  if (reported.has(loaded)) return;
  reported.add(loaded);
  const at = (e: { file: string; line?: number }) => `${e.file}${e.line ? `:${e.line}` : ''}`;
  for (const w of loaded.inputWarnings) process.stderr.write(`warning: ${safeLine(`${at(w)}: ${w.message}`)}\n`);
  for (const e of loaded.inputErrors) process.stderr.write(`error: ${safeLine(`${at(e)}: ${e.message}`)}\n`);
}

/** What the terminal UI gets: the report, reload, apply (cluster sources), and probes of listeners and backends (exported for tests). */
export function tuiContext(report: InspectReport, loaded: LoadResult, gateway: string | undefined, opts: InspectOptions, now: () => Date, model: Model): TuiContext {
  // The analysis on screen: probes find their listener or backend in its model; saved fixes are planned on it.
  let latest: Analysis = { loaded, report, model };
  let current = model;
  const ctx: TuiContext = {
    report,
    reload: async () => {
      const a = await analyse(gateway, opts, now());
      latest = a;
      current = a.model;
      return a.report;
    },
    fixStream: async (findings) => (await import('./fix-run.ts')).fixStreamFor(latest, findings, opts, now()),
    writeFile: async (path, text) => {
      await writeFile(path, text, { mode: 0o644 });
      return resolve(path);
    },
    watchIntervalSeconds: 3,
    failOn: opts.failOn,
  };
  if (gateway) ctx.gatewayName = gateway;
  ctx.probeListener = async (gw, listener) => {
    const { probeListenerReports, INSPECT_PROBE_TIMEOUT_MS } = await import('../probe/inspect.ts');
    const lm = current.gateways.find((g) => g.obj.meta.namespace === gw.namespace && g.obj.meta.name === gw.name)?.listeners.find((l) => l.spec.name === listener);
    if (!lm) throw new Error(`listener ${listener} of Gateway ${gw.namespace}/${gw.name} is not in this report`);
    return probeListenerReports(current, lm, INSPECT_PROBE_TIMEOUT_MS, now());
  };
  let kc: Promise<Awaited<ReturnType<typeof kubeConfigFor>>> | null = null;
  ctx.probeBackend = async (b) => {
    const { probeHop, planBackend, INSPECT_PROBE_TIMEOUT_MS } = await import('../probe/inspect.ts');
    const m = current;
    const found = m.gateways.flatMap((g) => g.listeners.flatMap((lm) => lm.backends.map((hop) => ({ lm, hop })))).find(({ hop }) => hop.backend.type === 'service' && hop.backend.ref.namespace === b.namespace && hop.backend.ref.name === b.name && hop.backend.ref.port === b.port);
    if (!found) throw new Error(`Service ${b.namespace}/${b.name}:${b.port} is not a Service backend in this report (only Services are probed)`);
    kc ??= kubeConfigFor(loaded, opts);
    const config = await kc;
    const plan = planBackend(m, found.lm, found.hop, config === null);
    if (!plan.endpoint || !config) {
      const { failedReport } = await import('../probe/cluster.ts');
      const reason = (plan.skip ?? 'not probed').replace(/^not probed: /, '');
      return failedReport({ kind: 'service', input: `svc/${b.namespace}/${b.name}:${b.port}`, name: b.name, port: b.port, namespace: b.namespace }, b.namespace, reason, 'A backend is probed through one of its ready endpoint Pods, over the API server\'s port-forward.', /ready endpoint|no endpoints/.test(reason) ? 'ENOENDPOINT' : 'ETARGET', now());
    }
    return probeHop(m, found.hop, plan.endpoint, config, INSPECT_PROBE_TIMEOUT_MS, now());
  };
  const cluster = loaded.cluster;
  if (cluster) {
    ctx.apply = {
      context: cluster.context,
      server: cluster.server,
      plan: async (picked) => {
        // Planned on a fresh read of the cluster, with the picked fixes found again in it.
        latest = await analyse(gateway, opts, now());
        current = latest.model;
        return (await import('./fix-run.ts')).planPicked(latest, picked, opts, now());
      },
      execute: async (ready) => (await import('../fixes/apply.ts')).executePlan(ready.plan, cluster.client),
    };
  }
  return ctx;
}

/** --ignore takes codes as `explain` does (`CERT-001` is GWTLS-CERT-001); an unknown one is a usage error. */
async function ignoredCodes(codes: string[]): Promise<string[]> {
  const { resolveCode } = await import('./rules-run.ts');
  const out: string[] = [];
  for (const c of codes) out.push((await resolveCode(c, '--ignore')).code);
  return out;
}

/** Input that could not be read is a failure even when what was read looks fine (DESIGN.md §3). */
function runExitCode(loaded: LoadResult, report: Pick<InspectReport, 'summary'>, failOn: InspectOptions['failOn']): number {
  return loaded.inputErrors.length > 0 ? EXIT_FAILURE : exitCode(report, failOn);
}

export function exitCode(report: Pick<InspectReport, 'summary'>, failOn: 'error' | 'warning' | 'none'): number {
  if (failOn === 'none') return EXIT_OK;
  const { errors, warnings } = report.summary;
  if (errors > 0 || (failOn === 'warning' && warnings > 0)) return EXIT_FINDINGS;
  return EXIT_OK;
}

function loadRequest(gateway: string | undefined, opts: InspectOptions): LoadRequest {
  return {
    ...(opts.filename ? { files: opts.filename } : {}),
    ...(opts.filename && (opts.overlay || opts.context !== undefined || opts.kubeconfig !== undefined) ? { overlay: true } : {}),
    ...(opts.maxInputBytes !== undefined ? { maxInputBytes: opts.maxInputBytes } : {}),
    ...(opts.namespace !== undefined ? { namespace: opts.namespace } : {}),
    allNamespaces: opts.allNamespaces ?? false,
    ...(gateway ? { gatewayName: gateway } : {}),
    cluster: {
      ...(opts.kubeconfig ? { kubeconfig: opts.kubeconfig } : {}),
      ...(opts.context ? { context: opts.context } : {}),
      ...(opts.requestTimeout !== undefined ? { requestTimeoutMs: opts.requestTimeout } : {}),
    },
  };
}

function gatewayNotFound(name: string, namespace: string | undefined, existing: string[], source: 'files' | 'cluster'): string {
  const where = namespace ? `namespace ${namespace}` : source === 'files' ? 'the input' : 'any namespace';
  const here = namespace ? existing.filter((g) => g.startsWith(`${namespace}/`)) : existing;
  const elsewhere = existing.filter((g) => g.endsWith(`/${name}`));
  let hint = here.length ? `Gateways there: ${here.slice(0, 8).join(', ')}${here.length > 8 ? ', …' : ''}` : `there are no Gateways in ${where}`;
  if (elsewhere.length) hint += `; a Gateway named ${name} exists in ${elsewhere.map((g) => g.split('/')[0]).join(', ')} (use -n)`;
  return `Gateway ${name} not found in ${where}: ${hint}`;
}
