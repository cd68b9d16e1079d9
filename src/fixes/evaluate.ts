// Before and after: the rules run again on the objects a plan would leave behind. A fix that would add an
// error, or remove a field no fix names, is refused with the reason; every other fix gets its side effects in
// words (routes that stop or start attaching, objects created, fields taken from another field manager).
import type { Model } from '../graph/model.ts';
import type { Finding } from '../report/types.ts';
import { MANIFEST_MANAGER } from './merge.ts';
import { composePlan, type ChosenFix, type ComposeOptions, type FixPlan, type PlannedFixEntry } from './plan.ts';

type Raw = Record<string, unknown>;

/** Runs the analysis on the source's objects with some replaced or added (raw, as the API would return them). */
export type Evaluator = (objects: Raw[]) => { findings: Finding[]; model: Model };

export interface FindingChange {
  code: string;
  severity: Finding['severity'];
  object: Finding['object'];
  field?: string;
  message: string;
  state: 'fixed' | 'remains' | 'added';
}

export interface PlanOutcome {
  findings: FindingChange[];
  /** Planned fixes whose own finding is still there afterwards. */
  unresolved: Array<{ fix: number; why: string }>;
}

export const findingKey = (f: Pick<Finding, 'code' | 'object' | 'field'>) => `${f.code}|${f.object.kind}|${f.object.namespace ?? ''}|${f.object.name}|${f.field ?? ''}`;

export function outcomeOf(plan: FixPlan, before: Finding[], after: Finding[]): PlanOutcome {
  // A finding is the same one only at the same severity: a warning the plan turns into an error is fixed and added.
  const same = (f: Finding) => `${findingKey(f)}|${f.severity}`;
  const beforeKeys = new Set(before.map(same));
  const afterKeys = new Set(after.map(same));
  const change = (f: Finding, state: FindingChange['state']): FindingChange => ({ code: f.code, severity: f.severity, object: f.object, ...(f.field ? { field: f.field } : {}), message: f.message, state });
  const findings = [...before.map((f) => change(f, afterKeys.has(same(f)) ? 'remains' : 'fixed')), ...after.filter((f) => !beforeKeys.has(same(f))).map((f) => change(f, 'added'))];
  const afterIds = new Set(after.map(findingKey));
  const unresolved = plan.fixes.flatMap((e, i) => (e.status === 'planned' && afterIds.has(findingKey(e.finding)) ? [{ fix: i, why: `${e.finding.code} on ${e.finding.object.kind} ${e.finding.object.namespace ? `${e.finding.object.namespace}/` : ''}${e.finding.object.name} remains after the plan` }] : []));
  return { findings, unresolved };
}

/** Errors after that were not errors before: new findings, and warnings the plan makes errors. */
const errorsAdded = (beforeErrors: Set<string>, after: Finding[]) => after.filter((f) => f.severity === 'error' && !beforeErrors.has(findingKey(f)));

function objectsOf(plan: FixPlan): Raw[] {
  return plan.changes.filter((c) => !c.error).map((c) => c.after);
}

export interface Settled {
  plan: FixPlan;
  outcome: PlanOutcome;
  after: { findings: Finding[]; model: Model };
  /** The fixes the plan was made of (plan.fixes follows it): the chosen ones, and those their outcome revealed. */
  chosen: ChosenFix[];
}

/** Rounds of fixes revealed by a plan's own outcome (a fix whose result another rule then asks to complete). */
const MAX_ROUNDS = 3;

/**
 * Composes the plan and settles it: fixes that would add an error or drop fields are refused (each judged on
 * top of the fixes accepted before it), and the rest get their side effects. A safe fix of a finding that only
 * the outcome shows joins the plan, so that a second run has nothing left to do. `before` is the analysis of
 * the objects as they are.
 */
export function settlePlan(chosen: ChosenFix[], evaluate: Evaluator, before: { findings: Finding[]; model: Model }, opts: ComposeOptions): Settled {
  const existed = new Set(before.findings.map(findingKey));
  let all = chosen;
  for (let round = 1; ; round++) {
    const settled = settleOnce(all, evaluate, before, opts);
    const known = new Set(all.map((c) => `${findingKey(c.finding)}|${c.fix.title}`));
    const revealed = settled.after.findings
      .filter((f) => !existed.has(findingKey(f)))
      .flatMap((finding) => finding.fixes.filter((fix) => fix.type === 'fix').map((fix) => ({ finding, fix })))
      .filter((c) => !known.has(`${findingKey(c.finding)}|${c.fix.title}`));
    if (revealed.length === 0 || round === MAX_ROUNDS) return withoutRedundantFixes({ ...settled, chosen: all }, evaluate, before, opts);
    all = [...all, ...revealed];
  }
}

/** Plans with more fixes than this are not pruned (pruning runs the analysis once per fix). */
const MAX_PRUNED = 40;

const sameFinding = (f: FindingChange) => `${findingKey(f)}|${f.severity}`;
const withState = (o: PlanOutcome, state: FindingChange['state']) => new Set(o.findings.filter((f) => f.state === state).map(sameFinding));

/**
 * A plan that adds findings may hold a fix the others make unneeded (two fixes each creating a
 * TargetGroupConfiguration for one Service: the first already sets what the second would, and both together add
 * GWTLS-LBC-007). Such a fix is left out, with the reason, when the plan without it fixes everything it fixed and
 * adds less; the last fixes are tried first.
 */
function withoutRedundantFixes(settled: Settled, evaluate: Evaluator, before: { findings: Finding[]; model: Model }, opts: ComposeOptions): Settled {
  const planned = settled.plan.fixes.flatMap((e, i) => (e.status === 'planned' ? [i] : []));
  if (withState(settled.outcome, 'added').size === 0 || planned.length < 2 || planned.length > MAX_PRUNED) return settled;
  const left = new Map<number, string>();
  let best: Omit<Settled, 'chosen'> = settled;
  let kept = settled.chosen.map((_, i) => i);
  for (const i of [...planned].reverse()) {
    const keep = kept.filter((j) => j !== i);
    const trial = settleOnce(keep.map((j) => settled.chosen[j]!), evaluate, before, opts);
    const fixed = withState(trial.outcome, 'fixed');
    const added = withState(trial.outcome, 'added');
    const bestAdded = withState(best.outcome, 'added');
    if (![...withState(best.outcome, 'fixed')].every((k) => fixed.has(k)) || ![...added].every((k) => bestAdded.has(k)) || added.size >= bestAdded.size) continue;
    const own = settled.chosen[i]!.finding;
    const spared = best.outcome.findings.filter((f) => f.state === 'added' && !added.has(sameFinding(f)));
    left.set(i, `not needed: the rest of the plan fixes ${own.code} on ${label(own.object.kind, own.object.namespace ?? '', own.object.name)} too, and without this fix it does not add ${spared.map((f) => `${f.code} (${label(f.object.kind, f.object.namespace ?? '', f.object.name)})`).join(', ')}`);
    best = trial;
    kept = keep;
  }
  if (left.size === 0) return settled;
  // Back to the positions of the full list of fixes.
  const position = new Map(kept.map((j, k) => [k, j]));
  const fixes = settled.chosen.map((c, j): PlannedFixEntry => {
    const k = kept.indexOf(j);
    return k >= 0 ? best.plan.fixes[k]! : { ...c, status: 'refused', reason: left.get(j) ?? settled.plan.fixes[j]?.reason ?? 'refused', sideEffects: [], objects: [] };
  });
  const plan: FixPlan = { ...best.plan, fixes, changes: best.plan.changes.map((c) => ({ ...c, fixes: c.fixes.map((k) => position.get(k)!) })) };
  const outcome: PlanOutcome = { ...best.outcome, unresolved: best.outcome.unresolved.map((u) => ({ ...u, fix: position.get(u.fix)! })) };
  return { plan, outcome, after: best.after, chosen: settled.chosen };
}

function settleOnce(chosen: ChosenFix[], evaluate: Evaluator, before: { findings: Finding[]; model: Model }, opts: ComposeOptions): Omit<Settled, 'chosen'> {
  const snapshot = before.model.snapshot;
  const beforeKeys = new Set(before.findings.filter((f) => f.severity === 'error').map(findingKey));
  let plan = composePlan(chosen, snapshot, opts);
  let after = evaluate(objectsOf(plan));
  const dropsFields = plan.changes.some((c) => c.removed.length > 0);
  if (errorsAdded(beforeKeys, after.findings).length > 0 || dropsFields) {
    // Judge the fixes one by one, each on top of those accepted so far.
    const refused = new Map<number, string>();
    const accepted: number[] = [];
    plan.fixes.forEach((entry, i) => {
      if (entry.status === 'refused') return;
      const trial = composePlan([...accepted, i].map((j) => chosen[j]!), snapshot, opts);
      const own = trial.fixes[trial.fixes.length - 1]!;
      if (own.status === 'refused') {
        refused.set(i, own.reason ?? 'it cannot be merged with the fixes before it');
        return;
      }
      const dropped = trial.changes.filter((c) => c.fixes.includes(trial.fixes.length - 1) && c.removed.length > 0);
      if (dropped.length) {
        refused.set(i, `it would remove fields no fix names: ${dropped.map((c) => `${c.id} ${c.removed.join(', ')}`).join('; ')}`);
        return;
      }
      const added = errorsAdded(beforeKeys, evaluate(objectsOf(trial)).findings);
      if (added.length) {
        refused.set(i, `it would add ${added.length === 1 ? 'an error' : `${added.length} errors`}: ${added.map((f) => `${f.code} ${f.object.kind} ${f.object.namespace ? `${f.object.namespace}/` : ''}${f.object.name}: ${f.message.split('. ')[0]}`).join('; ')}`);
        return;
      }
      accepted.push(i);
    });
    const settled = composePlan(accepted.map((j) => chosen[j]!), snapshot, opts);
    const byChoice = new Map(accepted.map((j, k) => [j, settled.fixes[k]!]));
    plan = {
      ...settled,
      fixes: plan.fixes.map((e, i) => byChoice.get(i) ?? { ...e, status: 'refused', reason: e.reason ?? refused.get(i) ?? 'refused' }),
    };
    // Re-point the changes at the fixes' positions in the full list.
    const position = new Map(accepted.map((j, k) => [k, j]));
    plan.changes = plan.changes.map((c) => ({ ...c, fixes: c.fixes.map((k) => position.get(k)!) }));
    after = evaluate(objectsOf(plan));
  }
  describeSideEffects(plan, before.model, after.model);
  return { plan, outcome: outcomeOf(plan, before.findings, after.findings), after };
}

const label = (kind: string, ns: string, name: string) => `${kind} ${ns ? `${ns}/` : ''}${name}`;

/** Which listeners each route attaches to: route id -> listener name -> Gateway id. */
function attachments(model: Model): Map<string, Map<string, string>> {
  const out = new Map<string, Map<string, string>>();
  for (const gm of model.gateways) {
    const gateway = label('Gateway', gm.obj.meta.namespace, gm.obj.meta.name);
    for (const lm of gm.listeners) {
      for (const a of lm.attachments) {
        if (!a.result.accepted) continue;
        const route = label(a.route.obj.kind, a.route.obj.meta.namespace, a.route.obj.meta.name);
        (out.get(route) ?? out.set(route, new Map()).get(route)!).set(`listener ${lm.spec.name} of ${gateway}`, gateway);
      }
    }
  }
  return out;
}

function describeSideEffects(plan: FixPlan, before: Model, after: Model): void {
  const was = attachments(before);
  const now = attachments(after);
  const lines: Array<{ text: string; objects: string[] }> = [];
  for (const route of new Set([...was.keys(), ...now.keys()])) {
    const a = was.get(route) ?? new Map<string, string>();
    const b = now.get(route) ?? new Map<string, string>();
    // Said of the changes that touch attachment: the route's parentRefs or hostnames, the Gateway's listeners.
    const owners = (gw: string) => plan.changes.filter((c) => (c.id === route && c.fields.some((f) => /^spec\.(parentRefs|hostnames)/.test(f))) || (c.id === gw && c.fields.some((f) => /^spec\.(listeners|allowedListeners)/.test(f)))).map((c) => c.id);
    for (const [l, gw] of a) if (!b.has(l)) lines.push({ text: `${route} no longer attaches to ${l}`, objects: owners(gw) });
    for (const [l, gw] of b) if (!a.has(l)) lines.push({ text: `${route} now attaches to ${l}`, objects: owners(gw) });
  }
  plan.fixes.forEach((entry, i) => {
    if (entry.status !== 'planned') return;
    const mine = plan.changes.filter((c) => c.fixes.includes(i));
    const effects: string[] = [];
    for (const c of mine) {
      if (c.action === 'create') effects.push(`creates ${c.id} (only if it does not exist)`);
      if (c.migration) effects.push(`rewrites ${c.id} at ${c.migration.to} (from ${c.migration.from})`);
      for (const t of c.takesFrom) if (t.manager !== MANIFEST_MANAGER) effects.push(`takes ${t.fields.join(', ')} of ${c.id} from field manager ${t.manager}`);
    }
    for (const l of lines) if (mine.some((c) => l.objects.includes(c.id))) effects.push(l.text);
    entry.sideEffects = [...new Set(effects)];
  });
}
