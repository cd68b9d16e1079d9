/**
 * The differential run: for every input, both sides on the same prepared file, their facts compared, every
 * disagreement either explained by known-differences.yaml or reported. Agreement is counted per input (an
 * input agrees when all its facts do) and per fact.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EG_CONTROLLER, prepareInputs, type Doc } from './input.ts';
import { explain, type Difference, type KnownDifference } from './known.ts';
import { oracleFacts, oracleTlsFacts, toolFacts, toolTlsFacts, type Facts } from './facts.ts';
import { runEgctl, runTool } from './run.ts';

export interface InputCase {
  set: string;
  name: string;
  documents: Doc[];
  /** Corpus batches: the unit agreement is counted in (a configuration), from a fact key; undefined = the case. */
  unitOf?: (key: string) => string | undefined;
  /** Units expected in this case (corpus batches), so that a unit without facts still counts. */
  units?: string[];
}

export interface UnitResult {
  set: string;
  unit: string;
  facts: number;
  differences: Difference[];
  explained: Array<{ difference: Difference; by: string }>;
}

export interface CaseResult {
  set: string;
  name: string;
  /** Why the case was not compared (no Envoy Gateway class, egctl refused the input, ...). */
  skipped?: string;
  error?: string;
  units: UnitResult[];
  egctlMs: number;
  toolMs: number;
}

export function compareFacts(tool: Facts, oracle: Facts, set: string, input: string): { compared: string[]; differences: Difference[] } {
  // Served certificates and upstream TLS are compared where Envoy Gateway programs them (a ready listener, a
  // usable backend); whether it programs them at all is what the conditions say.
  const programmed = (k: string) => !(k.startsWith('Served ') || k.startsWith('Upstream ')) || oracle.has(k);
  const keys = [...new Set([...tool.keys(), ...oracle.keys()])].filter(programmed).sort();
  const differences: Difference[] = [];
  for (const key of keys) {
    const t = tool.get(key);
    const o = oracle.get(key);
    if (t !== o) differences.push({ set, input, key, tool: t, oracle: o });
  }
  return { compared: keys, differences };
}

async function runCase(c: InputCase, egctl: string, known: KnownDifference[], dir: string): Promise<CaseResult[]> {
  const prepared = prepareInputs(c.documents);
  if (prepared.length === 0) return [{ set: c.set, name: c.name, skipped: 'no Envoy Gateway GatewayClass in the input', units: [], egctlMs: 0, toolMs: 0 }];
  const out: CaseResult[] = [];
  for (const p of prepared) {
    const name = prepared.length > 1 ? `${c.name} [class ${p.className}]` : c.name;
    const file = join(dir, `${c.set}-${name.replace(/[^A-Za-z0-9._-]+/g, '_')}.yaml`);
    writeFileSync(file, p.yaml);
    const [o, t] = await Promise.all([runEgctl(egctl, file), runTool(file)]);
    const base = { set: c.set, name, units: [] as UnitResult[], egctlMs: o.ms, toolMs: t.ms };
    if (!o.ok && c.unitOf) {
      out.push({ ...base, skipped: `egctl refused the input: ${o.error}` });
      continue;
    }
    if (!o.ok) {
      // An input egctl refuses is itself a difference: explained (an input invalid on purpose) or not.
      const d: Difference = { set: c.set, input: name, key: 'Input', tool: 'analysed', oracle: `refused: ${o.error}` };
      const by = explain(d, p.documents, known);
      out.push({ ...base, units: [{ set: c.set, unit: name, facts: 1, differences: by ? [] : [d], explained: by ? [{ difference: d, by: by.id }] : [] }] });
      continue;
    }
    if (!t.ok) {
      out.push({ ...base, error: `the tool failed: ${t.error}` });
      continue;
    }
    const toolSide = toolFacts(t.report, p.className);
    toolTlsFacts(t.report, p.className, toolSide);
    const oracleSide = oracleFacts(o.output, EG_CONTROLLER, p.className);
    oracleTlsFacts(o.output, oracleSide);
    const { compared, differences } = compareFacts(toolSide, oracleSide, c.set, name);
    const units = new Map<string, UnitResult>();
    const unitFor = (key: string) => (c.unitOf ? (c.unitOf(key) ?? name) : name);
    const get = (u: string) => {
      let r = units.get(u);
      if (!r) units.set(u, (r = { set: c.set, unit: u, facts: 0, differences: [], explained: [] }));
      return r;
    };
    for (const u of c.units ?? [name]) get(u);
    for (const k of compared) get(unitFor(k)).facts++;
    for (const d of differences) {
      const by = explain(d, p.documents, known);
      if (by) get(unitFor(d.key)).explained.push({ difference: d, by: by.id });
      else get(unitFor(d.key)).differences.push(d);
    }
    out.push({ ...base, units: [...units.values()] });
  }
  return out;
}

/** Runs the cases with `concurrency` at a time (each runs egctl and the tool side by side). */
export async function runCases(cases: InputCase[], egctl: string, known: KnownDifference[], concurrency = 1): Promise<CaseResult[]> {
  const dir = mkdtempSync(join(tmpdir(), 'gwtls-oracle-'));
  try {
    const results: CaseResult[][] = new Array(cases.length);
    let next = 0;
    const worker = async () => {
      while (next < cases.length) {
        const i = next++;
        results[i] = await runCase(cases[i]!, egctl, known, dir);
      }
    };
    await Promise.all(Array.from({ length: Math.max(1, concurrency) }, worker));
    return results.flat();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export interface SetSummary {
  set: string;
  inputs: number;
  skipped: number;
  errors: number;
  units: number;
  /** Units whose facts all agree, before and after known differences. */
  agreeRaw: number;
  agree: number;
  facts: number;
  factsDifferent: number;
  factsUnexplained: number;
}

export function summarize(set: string, results: CaseResult[]): SetSummary {
  const mine = results.filter((r) => r.set === set);
  const units = mine.flatMap((r) => r.units);
  return {
    set,
    inputs: mine.length,
    skipped: mine.filter((r) => r.skipped).length,
    errors: mine.filter((r) => r.error).length,
    units: units.length,
    agreeRaw: units.filter((u) => u.differences.length === 0 && u.explained.length === 0).length,
    agree: units.filter((u) => u.differences.length === 0).length,
    facts: units.reduce((a, u) => a + u.facts, 0),
    factsDifferent: units.reduce((a, u) => a + u.differences.length + u.explained.length, 0),
    factsUnexplained: units.reduce((a, u) => a + u.differences.length, 0),
  };
}

export function formatSummary(s: SetSummary): string {
  const pct = (a: number, b: number) => (b === 0 ? 'n/a' : `${((100 * a) / b).toFixed(2)}%`);
  return (
    `${s.set}: ${s.inputs} input(s), ${s.units} compared unit(s), ${s.skipped} skipped, ${s.errors} error(s); ` +
    `agreement ${pct(s.agree, s.units)} after known differences (${s.agree}/${s.units}), ${pct(s.agreeRaw, s.units)} before them; ` +
    `facts ${s.facts}, ${s.factsDifferent} different, ${s.factsUnexplained} unexplained`
  );
}
