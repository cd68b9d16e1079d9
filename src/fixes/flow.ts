// From findings to a plan a person can approve: which fixes are chosen, the plan settled on the in-memory
// server-side apply, and for a cluster the outcome replaced by the API server's own dry run.
import type { ApiClient } from '../cluster/api-client.ts';
import type { Fix, Finding } from '../report/types.ts';
import { dryRunPlan, existingObjects } from './apply.ts';
import { findingKey, outcomeOf, settlePlan, type Evaluator, type PlanOutcome } from './evaluate.ts';
import { brokenFixes, composePlan, type ChosenFix, type ComposeOptions, type FixPlan } from './plan.ts';

export interface ReadyPlan {
  plan: FixPlan;
  outcome: PlanOutcome;
  /** Offered but not in the plan: suggestions (widening, unsafe, another namespace's, with gaps). */
  suggestions: ChosenFix[];
  /** Where the outcome comes from. */
  dryRun: 'server' | 'emulated';
  /** Set when the server's dry run shows the plan would make things worse: nothing may be applied. */
  blocked?: string;
}

/** Every safe fix of the findings, and the suggestions beside them. `extra`: suggestions a person picked (UI). */
export function chooseFixes(findings: Finding[], extra: ReadonlySet<Fix> = new Set()): { chosen: ChosenFix[]; suggestions: ChosenFix[] } {
  const chosen: ChosenFix[] = [];
  const suggestions: ChosenFix[] = [];
  for (const finding of findings) {
    for (const fix of finding.fixes) {
      if (fix.type === 'fix' || extra.has(fix)) chosen.push({ finding, fix });
      else suggestions.push({ finding, fix });
    }
  }
  return { chosen, suggestions };
}

export interface PrepareOptions {
  evaluate: Evaluator;
  defaultNamespace: string;
  /** Who sends the plan: inspect --apply (`api`, the default) or kubectl from the --fix stream. */
  sender?: 'api' | 'kubectl';
  /** A cluster: objects to create are looked up first, and with `dryRun` the server computes the outcome. */
  cluster?: { client: ApiClient; dryRun: boolean };
}

export async function preparePlan(chosen: ChosenFix[], suggestions: ChosenFix[], opts: PrepareOptions): Promise<ReadyPlan> {
  const before = opts.evaluate([]);
  const lookedUp = opts.cluster ? await existingObjects(chosen, before.model.snapshot, opts.cluster.client, opts.defaultNamespace) : undefined;
  const composeOptions: ComposeOptions = { defaultNamespace: opts.defaultNamespace, sender: opts.sender ?? 'api', ...(lookedUp ? { existing: lookedUp.existing, absent: lookedUp.absent } : {}) };
  const settled = settlePlan(chosen, opts.evaluate, before, composeOptions);
  const ready: ReadyPlan = { plan: settled.plan, outcome: settled.outcome, suggestions, dryRun: 'emulated' };
  if (!opts.cluster?.dryRun) return ready;
  // The server's dry run of each object; a fix with one object the server refuses (or that would lose a field
  // no fix names) is refused whole and the plan composed and dry-run again without it.
  const refused = new Map(ready.plan.fixes.flatMap((f, i) => (f.status === 'refused' ? [[i, f.reason ?? 'refused'] as const] : [])));
  for (;;) {
    await dryRunPlan(ready.plan, opts.cluster.client);
    for (const c of ready.plan.changes) if (!c.error && c.removed.length) c.error = `the server's dry run would remove ${c.removed.join(', ')}, which no fix names`;
    const broken = brokenFixes(ready.plan);
    if (broken.size === 0) break;
    for (const [i, why] of broken) refused.set(i, why);
    const sideEffects = new Map(ready.plan.fixes.map((f, i) => [i, f.sideEffects]));
    ready.plan = composePlan(settled.chosen, before.model.snapshot, composeOptions, refused);
    ready.plan.fixes.forEach((f, i) => (f.sideEffects = f.status === 'planned' ? (sideEffects.get(i) ?? []) : []));
  }
  const after = opts.evaluate(ready.plan.changes.filter((c) => !c.error).map((c) => c.after));
  ready.outcome = outcomeOf(ready.plan, before.findings, after.findings);
  ready.dryRun = 'server';
  const emulated = new Set(settled.after.findings.filter((f) => f.severity === 'error').map(findingKey));
  const surprise = ready.outcome.findings.filter((f) => f.state === 'added' && f.severity === 'error' && !emulated.has(findingKey(f)));
  if (surprise.length) ready.blocked = `the server's dry run shows the plan would add ${surprise.map((f) => `${f.code} on ${f.object.kind} ${f.object.namespace ? `${f.object.namespace}/` : ''}${f.object.name}`).join(', ')}: nothing is applied`;
  return ready;
}
