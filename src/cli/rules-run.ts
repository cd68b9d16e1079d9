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

export async function explain(code: string): Promise<string> {
  const wanted = code.trim().toUpperCase();
  const normalized = wanted.startsWith('GWTLS-') ? wanted : `GWTLS-${wanted}`;
  const meta = (await codes()).find((c) => c.code === normalized);
  if (!meta) {
    const near = (await codes()).filter((c) => c.code.startsWith(normalized.replace(/-\d*$/, ''))).map((c) => c.code);
    throw new UserError(`unknown code ${code}${near.length ? `; did you mean ${near.slice(0, 5).join(', ')}?` : ''} (kubectl gwtls rules lists them all)`);
  }
  const page = ruleDocs()[meta.code];
  return page ?? `# ${meta.code}: ${meta.title}\n\nSeverity: ${meta.severity}\n\n${meta.description}\n`;
}
