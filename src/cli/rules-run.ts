import { ALL_RULES, allCodes } from '../rules/index.ts';
import { ruleDocs } from '../rules/docs-source.ts';
import type { CodeMeta } from '../rules/types.ts';
import { UserError } from './errors.ts';

async function codes(): Promise<CodeMeta[]> {
  const { PROBE_CODES } = await import('../probe/codes.ts');
  return allCodes(PROBE_CODES);
}

export async function listRules(format: 'text' | 'json'): Promise<string> {
  const list = await codes();
  if (format === 'json') return JSON.stringify(list.map(({ code, severity, title }) => ({ code, severity, title })), null, 2) + '\n';
  const w = Math.max(...list.map((c) => c.code.length));
  return list.map((c) => `${c.code.padEnd(w)}  ${c.severity.padEnd(7)}  ${c.title}`).join('\n') + `\n\n${list.length} codes (${ALL_RULES.length} checked by inspect). Run \`kubectl gwtls explain CODE\` for one.\n`;
}

/** `CERT-001`, `cert-001` and `GWTLS-CERT-001` are one code. */
export function normalizeCode(code: string): string {
  const wanted = code.trim().toUpperCase();
  return wanted.startsWith('GWTLS-') ? wanted : `GWTLS-${wanted}`;
}

/** Edit distance with transpositions (optimal string alignment): RT-030 is one step from RT-003. */
function distance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      d[i]![j] = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d[i]![j] = Math.min(d[i]![j]!, d[i - 2]![j - 2]! + 1);
    }
  }
  return d[a.length]![b.length]!;
}

/** The known codes nearest to an unknown one: same family first, then by edit distance. */
export function nearestCodes(code: string, known: readonly string[], n = 3): string[] {
  const family = code.replace(/-\d*$/, '');
  return [...known]
    .map((k) => ({ k, d: distance(code, k) - (k.startsWith(`${family}-`) ? 1 : 0) }))
    .sort((a, b) => a.d - b.d || a.k.localeCompare(b.k))
    .slice(0, n)
    .map((x) => x.k);
}

/** The code a user typed, as the rules name it; an unknown code is a usage error naming the nearest known ones. */
export async function resolveCode(code: string, flag = ''): Promise<CodeMeta> {
  const list = await codes();
  const normalized = normalizeCode(code);
  const meta = list.find((c) => c.code === normalized);
  if (meta) return meta;
  const near = nearestCodes(normalized, list.map((c) => c.code));
  throw new UserError(`${flag ? `${flag}: ` : ''}unknown code ${code}; did you mean ${near.join(', ')}? (kubectl gwtls rules lists them all)`);
}

export async function explain(code: string): Promise<string> {
  const meta = await resolveCode(code);
  const page = ruleDocs()[meta.code];
  return page ?? `# ${meta.code}: ${meta.title}\n\nSeverity: ${meta.severity}\n\n${meta.description}\n`;
}
