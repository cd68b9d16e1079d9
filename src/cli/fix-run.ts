// `inspect --fix` and `inspect --apply`: the findings' safe fixes as one plan (src/fixes/), printed as a YAML
// stream, or shown with its dry run, confirmed, applied and re-checked.
import { makeEvaluator } from '../fixes/evaluator.ts';
import { chooseFixes, preparePlan, type ReadyPlan } from '../fixes/flow.ts';
import type { AppliedChange } from '../fixes/apply.ts';
import { FIELD_MANAGER, type ChosenFix } from '../fixes/plan.ts';
import { fixStream, planLines } from '../fixes/render.ts';
import { safeLine } from '../report/sanitize.ts';
import type { AppliedReport, Finding, InspectReport } from '../report/types.ts';
import { writeJson } from '../report/write.ts';
import { confirm } from './confirm.ts';
import { EXIT_FINDINGS, EXIT_OK } from './errors.ts';
import type { Analysis } from './inspect-run.ts';
import type { InspectOptions } from './inspect.ts';

function defaultNamespace(analysis: Analysis, opts: InspectOptions): string {
  return opts.namespace ?? (analysis.loaded.scope.namespace || 'default');
}

function prepare(analysis: Analysis, chosen: ChosenFix[], suggestions: ChosenFix[], opts: InspectOptions, now: Date, dryRun: boolean): Promise<ReadyPlan> {
  // Without a dry run the plan is a stream for kubectl (--fix); with one, inspect sends it itself.
  const ns = defaultNamespace(analysis, opts);
  const evaluate = makeEvaluator(analysis.loaded.snapshot, analysis.loaded.scope, now, { ...(opts.ignore ? { ignore: opts.ignore } : {}), defaultNamespace: ns });
  const cluster = analysis.loaded.cluster;
  return preparePlan(chosen, suggestions, { evaluate, defaultNamespace: ns, sender: dryRun ? 'api' : 'kubectl', ...(cluster ? { cluster: { client: cluster.client, dryRun } } : {}) });
}

/** The plan of every safe fix of `findings` (default: all of the report's), with the suggestions beside it. */
export function planFor(analysis: Analysis, opts: InspectOptions, now: Date, dryRun: boolean, findings: Finding[] = analysis.report.findings): Promise<ReadyPlan> {
  const { chosen, suggestions } = chooseFixes(findings);
  return prepare(analysis, chosen, suggestions, opts, now, dryRun);
}

/** The UI: the fixes and suggestions a person picked, found again (by finding and title) in a fresh analysis. */
export function planPicked(analysis: Analysis, picked: ChosenFix[], opts: InspectOptions, now: Date): Promise<ReadyPlan> {
  const key = (f: Finding, title: string) => `${f.code}|${f.object.kind}|${f.object.namespace ?? ''}|${f.object.name}|${f.field ?? ''}|${title}`;
  const wanted = new Set(picked.map((p) => key(p.finding, p.fix.title)));
  const chosen = analysis.report.findings.flatMap((finding) => finding.fixes.filter((fix) => wanted.has(key(finding, fix.title))).map((fix) => ({ finding, fix })));
  return prepare(analysis, chosen, [], opts, now, true);
}

/** The `--fix` stream of some findings (the UI saves it to a file). */
export async function fixStreamFor(analysis: Analysis, findings: Finding[], opts: InspectOptions, now: Date): Promise<string> {
  const ready = await planFor(analysis, opts, now, false, findings);
  return fixStream(ready.plan, ready.outcome, ready.suggestions);
}

/** `--fix`: the plan as a YAML stream for kubectl (no writes; a cluster is only read). */
export async function printFixes(analysis: Analysis, opts: InspectOptions, now: Date): Promise<void> {
  process.stdout.write(await fixStreamFor(analysis, analysis.report.findings, opts, now));
}

/** The `applied` section of the JSON report after `--apply`. */
export function appliedReport(ready: ReadyPlan, results: AppliedChange[] | null): AppliedReport {
  const byId = new Map((results ?? []).map((r) => [r.id, r]));
  const { plan } = ready;
  return {
    fieldManager: plan.fieldManager,
    dryRun: ready.dryRun,
    confirmed: results !== null,
    ...(ready.blocked ? { blocked: ready.blocked } : {}),
    changes: plan.changes.map((c) => {
      const r = byId.get(c.id);
      const result = c.error ? 'refused' : !results ? 'not-applied' : r?.ok ? 'applied' : 'failed';
      return {
        object: c.ref,
        action: c.action,
        ...(c.migration ? { migration: c.migration } : {}),
        fields: c.fields,
        carried: c.carried,
        takesFrom: c.takesFrom,
        result,
        ...(c.error || r?.error ? { error: c.error ?? r!.error! } : {}),
      };
    }),
    fixes: plan.fixes.map((e) => ({
      code: e.finding.code,
      object: e.finding.object,
      title: e.fix.title,
      status: e.status === 'refused' ? 'refused' : !results ? 'not-applied' : e.objects.every((id) => byId.get(id)?.ok) ? 'applied' : 'failed',
      ...(e.reason ? { reason: e.reason } : {}),
      sideEffects: e.sideEffects,
    })),
    findings: ready.outcome.findings.map((f) => ({ code: f.code, severity: f.severity, object: f.object, ...(f.field ? { field: f.field } : {}), state: f.state })),
    suggestions: ready.suggestions.map(({ finding, fix }) => ({ code: finding.code, object: finding.object, title: fix.title, widensAccess: fix.widensAccess === true })),
  };
}

export interface ApplyRun {
  analysis: Analysis;
  opts: InspectOptions;
  now: Date;
  /** Re-reads the cluster after applying. */
  reanalyse(): Promise<Analysis>;
  exitCode(report: InspectReport): number;
}

/** `--apply`: the plan with the server's dry run, then (confirmed or --yes) applied, then the cluster re-read. */
export async function applyFixes(run: ApplyRun): Promise<number> {
  const { analysis, opts } = run;
  const cluster = analysis.loaded.cluster!;
  const json = opts.output === 'json';
  const say = (text: string) => (json ? process.stderr : process.stdout).write(text);
  const ready = await planFor(analysis, opts, run.now, true);
  const applicable = ready.blocked ? [] : ready.plan.changes.filter((c) => !c.error);
  if (ready.plan.changes.length === 0 && ready.plan.fixes.length === 0) {
    const n = ready.suggestions.length;
    say(`Nothing to apply: no finding has a safe fix${n ? ` (${n} suggestion${n > 1 ? 's are' : ' is'} never applied automatically; see --fix)` : ''}.\n`);
    if (json) await writeJson(process.stdout, { ...analysis.report, applied: appliedReport(ready, null) } as unknown as Record<string, unknown>);
    return run.exitCode(analysis.report);
  }
  say(`Fix plan, with the server-side dry run against ${safeLine(cluster.server)} (context ${safeLine(cluster.context)}):\n\n${planLines(ready.plan, ready.outcome, ready.suggestions).join('\n')}\n\n`);
  if (ready.blocked) say(`${safeLine(ready.blocked)}\n`);
  if (applicable.length === 0) {
    say('Nothing can be applied; nothing was changed.\n');
    if (json) await writeJson(process.stdout, { ...analysis.report, applied: appliedReport(ready, null) } as unknown as Record<string, unknown>);
    return EXIT_FINDINGS;
  }
  const creates = applicable.filter((c) => c.action === 'create').length;
  const question = `Apply the plan (${applicable.length - creates} object${applicable.length - creates === 1 ? '' : 's'} changed, ${creates} created) to context ${safeLine(cluster.context)}, as field manager ${FIELD_MANAGER}?`;
  if (!(await confirm(question, opts.yes ?? false))) {
    say('Nothing was changed.\n');
    if (json) await writeJson(process.stdout, { ...analysis.report, applied: appliedReport(ready, null) } as unknown as Record<string, unknown>);
    return EXIT_OK;
  }
  const { executePlan } = await import('../fixes/apply.ts');
  const results = await executePlan(ready.plan, cluster.client);
  for (const r of results) say(`${r.ok ? 'applied' : 'FAILED'} ${safeLine(r.id)}${r.error ? `: ${safeLine(r.error)}` : ''}\n`);
  const after = await run.reanalyse();
  say(`\nAfter applying: ${after.report.summary.errors} error(s), ${after.report.summary.warnings} warning(s) (before: ${analysis.report.summary.errors}, ${analysis.report.summary.warnings}).\n`);
  if (json) await writeJson(process.stdout, { ...after.report, applied: appliedReport(ready, results) } as unknown as Record<string, unknown>);
  return results.some((r) => !r.ok) ? EXIT_FINDINGS : run.exitCode(after.report);
}
