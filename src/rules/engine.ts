// Runs the rules over a model: skips rules whose inputs cannot be read (and says so), applies --ignore and the
// gwtls.dev/ignore annotation, and turns reports into contract findings.
import { KINDS } from '../cluster/kinds.ts';
import { refOf } from '../cluster/objects.ts';
import type { Model } from '../graph/model.ts';
import { classifyFix } from '../fixes/access.ts';
import type { Snapshot } from '../cluster/snapshot.ts';
import type { Finding, Skipped } from '../report/types.ts';
import type { FindingInput, Rule } from './types.ts';

export const IGNORE_ANNOTATION = 'gwtls.dev/ignore';

export interface EngineOptions {
  ignore?: readonly string[];
}

export interface EngineResult {
  findings: Finding[];
  skipped: Skipped[];
  /** Findings suppressed by --ignore or the annotation, counted per code. */
  suppressed: Record<string, number>;
}

export function runRules(model: Model, rules: readonly Rule[], opts: EngineOptions = {}): EngineResult {
  const ignored = new Set((opts.ignore ?? []).map((c) => c.toUpperCase()));
  const findings: Finding[] = [];
  const skipped: Skipped[] = [];
  const suppressed: Record<string, number> = {};
  const seen = new Set<string>();
  for (const rule of rules) {
    const unreadable = rule.meta.inputs.map((k) => ({ k, s: model.snapshot.state(k) })).filter(({ s }) => s.state === 'forbidden' || s.state === 'error');
    if (unreadable.length > 0) {
      skipped.push({
        what: `rule ${rule.meta.code}`,
        reason: unreadable[0]!.s.state,
        detail: `needs ${unreadable.map(({ k }) => KINDS[k].plural).join(', ')}, which could not be read`,
      });
      continue;
    }
    rule.check({
      model,
      snapshot: model.snapshot,
      now: model.now,
      report(input: FindingInput) {
        const finding = toFinding(rule, input, model.snapshot);
        const key = `${finding.code}|${finding.object.kind}|${finding.object.namespace ?? ''}|${finding.object.name}|${finding.field ?? ''}|${finding.message}`;
        if (seen.has(key)) return;
        seen.add(key);
        const annotated = (input.object.meta.annotations[IGNORE_ANNOTATION] ?? '').split(',').map((s) => s.trim().toUpperCase()).map((c) => (c.startsWith('GWTLS-') ? c : `GWTLS-${c}`));
        if (ignored.has(finding.code) || annotated.includes(finding.code)) {
          suppressed[finding.code] = (suppressed[finding.code] ?? 0) + 1;
          return;
        }
        findings.push(finding);
      },
    });
  }
  return { findings: sortFindings(findings), skipped, suppressed };
}

function toFinding(rule: Rule, input: FindingInput, snapshot: Snapshot): Finding {
  const object = refOf(input.object);
  const f: Finding = {
    code: rule.meta.code,
    severity: input.severity ?? rule.meta.severity,
    title: rule.meta.title,
    message: input.message,
    object,
    evidence: input.evidence ?? [],
    docs: `docs/rules/${rule.meta.code}.md`,
    // Whether a fix is safe to apply is decided here, for every rule alike (src/fixes/access.ts).
    fixes: (input.fixes ?? []).map((fix) => classifyFix(fix, object, snapshot)),
  };
  if (input.field) f.field = input.field;
  const gw = input.gateway ?? input.listener?.gateway;
  if (gw) f.gateway = `${gw.obj.meta.namespace}/${gw.obj.meta.name}`;
  if (input.listener) f.listener = input.listener.spec.name;
  if (input.listener?.set) f.listenerSet = `${input.listener.set.obj.meta.namespace}/${input.listener.set.obj.meta.name}`;
  if (input.object.origin) f.evidence = [`defined at ${input.object.origin.file}:${input.object.origin.line}`, ...f.evidence];
  return f;
}

const SEVERITY_ORDER = { error: 0, warning: 1, info: 2 } as const;

export function sortFindings(findings: Finding[]): Finding[] {
  return findings.sort(
    (a, b) =>
      SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity] ||
      (a.gateway ?? '').localeCompare(b.gateway ?? '') ||
      a.code.localeCompare(b.code) ||
      `${a.object.namespace}/${a.object.name}`.localeCompare(`${b.object.namespace}/${b.object.name}`),
  );
}
