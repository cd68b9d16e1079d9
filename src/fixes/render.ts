// How a fix plan reads: as a YAML stream for `kubectl apply` (`inspect --fix`), and as the plan `--apply` and
// the UI show before asking. Every string from the input reaches a comment only through comment()/safeLine(),
// and every document only through the YAML library, so no hostile name can start a document or move the
// cursor. Suggestions appear only commented out: piping the stream never applies one.
import { createPatch } from 'diff';
import { safeLine } from '../report/sanitize.ts';
import type { Finding } from '../report/types.ts';
import type { FindingChange, PlanOutcome } from './evaluate.ts';
import { MANIFEST_MANAGER } from './merge.ts';
import type { ChosenFix, FixPlan, PlannedChange } from './plan.ts';
import { comment, commentedOut, dumpYaml } from './yaml.ts';

type Raw = Record<string, unknown>;

export const APPLY_COMMAND = 'kubectl apply --server-side --field-manager=kubectl-gwtls --force-conflicts -f';

const objectId = (o: Finding['object']) => `${o.kind} ${o.namespace ? `${o.namespace}/` : ''}${o.name}`;
const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

function counts(outcome: PlanOutcome): string {
  const fixed = outcome.findings.filter((f) => f.state === 'fixed');
  // Info findings count on both sides: one added can matter (GWTLS-DNS-003: external-dns stops reading the route).
  const added = outcome.findings.filter((f) => f.state === 'added');
  return `fixes ${plural(fixed.length, 'finding')}${fixed.length ? ` (${severities(fixed)})` : ''}, adds ${added.length ? `${plural(added.length, 'finding')} (${severities(added)})` : 'none'}`;
}

function severities(list: FindingChange[]): string {
  const n = (s: string) => list.filter((f) => f.severity === s).length;
  return [n('error') && plural(n('error'), 'error'), n('warning') && plural(n('warning'), 'warning'), n('info') && `${n('info')} info`].filter(Boolean).join(', ');
}

/** Findings before -> after, one line each (fixed, added, and with `all` those that remain). */
export function findingLines(outcome: PlanOutcome, all = false): string[] {
  const order = { fixed: 0, added: 1, remains: 2 } as const;
  return outcome.findings
    .filter((f) => all || f.state !== 'remains')
    .filter((f) => f.state !== 'added' || f.severity !== 'info' || all)
    .sort((a, b) => order[a.state] - order[b.state])
    .map((f) => `${f.state.padEnd(7)}  ${f.severity.toUpperCase().padEnd(7)} ${f.code} ${objectId(f.object)}${f.field ? ` ${f.field}` : ''}`);
}

function changeHeader(c: PlannedChange): string {
  return `${c.action === 'create' ? 'create' : 'change'} ${c.id}${c.migration ? ` (rewritten at ${String(c.config.apiVersion)}, from ${c.migration.from})` : ''}`;
}

function fixLine(plan: FixPlan, i: number): string {
  const e = plan.fixes[i]!;
  return `${e.finding.code} ${objectId(e.finding.object)}: ${e.fix.title}`;
}

/** `inspect --fix`: the plan as one YAML stream, creates first, then changes, in dependency order. */
export function fixStream(plan: FixPlan, outcome: PlanOutcome, suggestions: ChosenFix[]): string {
  const ready = plan.changes.filter((c) => !c.error);
  const refused = plan.fixes.filter((f) => f.status === 'refused');
  const header: string[] = [];
  if (ready.length === 0) header.push('kubectl-gwtls: no fixes to offer');
  else {
    const creates = ready.filter((c) => c.action === 'create').length;
    header.push(`kubectl-gwtls fix plan: changes ${plural(ready.length - creates, 'object')}, creates ${creates}; ${counts(outcome)}.`);
    header.push('Review it, then apply it as one field manager (the one inspect --apply uses):', `  ${APPLY_COMMAND} FILE`);
    if (creates) header.push('The "create" objects did not exist when read. To be sure none is overwritten if it was created since,', 'create them first with kubectl create -f (it refuses an object that exists).');
    const lines = findingLines(outcome);
    if (lines.length) header.push('', 'Findings before -> after:', ...lines.map((l) => `  ${l}`));
  }
  if (refused.length) header.push('', 'Refused (not in this stream):', ...refused.map((f) => `  ${f.finding.code} ${objectId(f.finding.object)}: ${f.fix.title}: ${f.reason ?? ''}`));
  for (const c of plan.changes.filter((x) => x.error)) header.push(`  ${c.id}: ${c.error}`);
  const docs = ready.map((c) => {
    const notes = [changeHeader(c), ...c.fixes.map((i) => `  ${fixLine(plan, i)}`)];
    const effects = new Set(c.fixes.flatMap((i) => plan.fixes[i]!.sideEffects).filter((s) => !/^(creates|rewrites|takes) /.test(s)));
    for (const s of effects) notes.push(`  side effect: ${s}`);
    for (const t of c.takesFrom.filter((x) => x.manager !== MANIFEST_MANAGER)) notes.push(`  takes ${t.fields.join(', ')} from field manager ${t.manager}`);
    if (c.carried.length) notes.push(`  carries ${c.carried.join(', ')} (already managed by kubectl-gwtls)`);
    if (c.whole === 'client-side-apply') notes.push('  written whole: kubectl apply --server-side hands the fields of client-side kubectl apply to kubectl-gwtls and applies again, so a partial document would remove them');
    return `${comment(notes)}\n${dumpYaml(c.config)}`;
  });
  const parts = [`${comment(header)}\n`, ...docs];
  if (suggestions.length) parts.push(suggestionBlock(suggestions));
  return parts.join('---\n');
}

function suggestionBlock(suggestions: ChosenFix[]): string {
  const lines = [comment(["Suggestions, not applied: each widens access, trades away safety, changes another namespace's object, or needs a value only you know. Remove the comment marks of one to use it."])];
  for (const { finding, fix } of suggestions) {
    lines.push('#', comment([`${finding.code} ${objectId(finding.object)}: ${fix.title}`]));
    if (fix.widensAccess) lines.push(comment([`  WIDENS ACCESS: ${(fix.grants ?? []).join('; ')}`]));
    if (fix.note) lines.push(comment(fix.note.split('\n').map((l) => `  ${l}`)));
    lines.push(commentedOut(fix.yaml));
  }
  return `${lines.join('\n')}\n`;
}

/** What a human compares: the object without server bookkeeping. */
function comparable(obj: Raw | undefined): string {
  if (!obj) return '';
  const { status: _status, ...rest } = obj;
  const bookkeeping = new Set(['managedFields', 'resourceVersion', 'uid', 'creationTimestamp', 'generation', 'selfLink']);
  const meta = Object.fromEntries(Object.entries((rest.metadata ?? {}) as Raw).filter(([k]) => !bookkeeping.has(k)));
  const annotations = meta.annotations as Raw | undefined;
  if (annotations) {
    const a = { ...annotations };
    delete a['kubectl.kubernetes.io/last-applied-configuration'];
    meta.annotations = Object.keys(a).length ? a : undefined;
  }
  return dumpYaml(JSON.parse(JSON.stringify({ ...rest, metadata: meta })) as Raw);
}

/** The diff of one change, without the patch header. */
export function changeDiff(c: PlannedChange): string[] {
  const patch = createPatch(c.id, comparable(c.before), comparable(c.after), c.before ? 'stored' : 'does not exist', 'after apply');
  return patch
    .split('\n')
    .slice(4)
    .filter((l) => l && l !== '\\ No newline at end of file')
    .map((l) => safeLine(l));
}

/** The plan as `--apply` prints it before asking, and the UI shows it. */
export function planLines(plan: FixPlan, outcome: PlanOutcome, suggestions: ChosenFix[]): string[] {
  const out: string[] = [];
  for (const c of plan.changes) {
    out.push(`${safeLine(changeHeader(c))}${c.error ? '  CANNOT APPLY' : ''}`);
    if (c.error) out.push(`  ${safeLine(c.error)}`);
    for (const i of c.fixes) out.push(`  fixes   ${safeLine(fixLine(plan, i))}`);
    for (const t of c.takesFrom.filter((x) => x.manager !== MANIFEST_MANAGER)) out.push(`  takes   ${safeLine(t.fields.join(', '))} from field manager ${safeLine(t.manager)}`);
    if (c.carried.length) out.push(`  carries ${safeLine(c.carried.join(', '))} (already managed by kubectl-gwtls, so they stay)`);
    if (c.removed.length) out.push(`  REMOVES ${safeLine(c.removed.join(', '))}, which no fix names`);
    const diff = c.error ? [] : changeDiff(c);
    if (!c.error && diff.every((l) => !l.startsWith('+') && !l.startsWith('-'))) out.push('  (no change: already as the fixes want)');
    else out.push(...diff.map((l) => `    ${l}`));
  }
  const effects = plan.fixes.flatMap((e) => (e.status === 'planned' ? e.sideEffects.filter((s) => !s.startsWith('takes ') && !s.startsWith('creates ') && !s.startsWith('rewrites ')).map((s) => `${e.finding.code}: ${s}`) : []));
  if (effects.length) out.push('', 'Side effects:', ...[...new Set(effects)].map((s) => `  ${safeLine(s)}`));
  const refused = plan.fixes.filter((f) => f.status === 'refused');
  if (refused.length) out.push('', 'Refused:', ...refused.map((f) => `  ${safeLine(`${f.finding.code} ${objectId(f.finding.object)}: ${f.fix.title}: ${f.reason ?? ''}`)}`));
  const lines = findingLines(outcome);
  out.push('', `Findings before -> after (${counts(outcome)}):`, ...(lines.length ? lines.map((l) => `  ${safeLine(l)}`) : ['  (no change)']));
  if (suggestions.length) {
    out.push('', `Not applied (${plural(suggestions.length, 'suggestion')}; see --fix):`);
    for (const { finding, fix } of suggestions) out.push(`  ${safeLine(`${finding.code} ${objectId(finding.object)}: ${fix.title}${fix.widensAccess ? ` [widens access: ${(fix.grants ?? []).join('; ')}]` : ''}`)}`);
  }
  return out;
}
