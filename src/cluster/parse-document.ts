// One manifest document (YAML or JSON text) -> a value, with the bounds a hostile file must not get past:
// nesting depth, and how far YAML aliases may expand. YAML is read the way kubectl reads it (merge keys
// `<<: *base` honoured, comment-only documents skipped, `yes`/`on` as booleans: src/cluster/yaml-schema.ts).
// Pure: used on the main thread and in the parse workers alike.
import * as yaml from 'js-yaml';
import { formatBytes } from './limits.ts';
import { KUBECTL_SCHEMA } from './yaml-schema.ts';

export { formatBytes };

const SCHEMA = KUBECTL_SCHEMA;

/** Deeper than any Kubernetes object (CRD schemas included) and far below what recursion can bear. */
export const MAX_DEPTH = 1000;
/** Aliases may expand a document to this many times its own size (at least ALIAS_FLOOR): YAML bombs stop here. */
export const ALIAS_EXPANSION_RATIO = 10;
export const ALIAS_FLOOR = 1 << 20;

export type ParsedDocument = { value: unknown; line: number } | { skip: true } | { error: string; line: number };

/** Parses one YAML document whose first line is `line` of its file. */
export function parseYamlDocument(text: string, line: number, file: string): ParsedDocument {
  let docs: unknown[];
  try {
    docs = yaml.loadAll(text, { schema: SCHEMA, filename: file, maxDepth: MAX_DEPTH, maxTotalMergeKeys: 100_000 });
  } catch (e) {
    const ex = e as yaml.YAMLException & { mark?: { line: number } };
    const at = ex.mark ? line + ex.mark.line : line;
    if (e instanceof RangeError) return { error: `document nested too deeply to read (${e.message})`, line };
    return { error: `invalid YAML: ${ex.reason ?? firstLine(ex.message)}`, line: at };
  }
  // Comments only, or an explicit null: nothing to read, as for kubectl.
  const value = docs.find((d) => d !== undefined && d !== null);
  if (value === undefined) return { skip: true };
  const start = line + firstContentLine(text);
  if (text.includes('*')) {
    const problem = checkExpansion(value, Math.max(ALIAS_FLOOR, ALIAS_EXPANSION_RATIO * text.length));
    if (problem) return { error: problem, line: start };
  }
  return { value, line: start };
}

/** Parses a JSON document (a whole file); YAML flow syntax that is not JSON gets a second chance as YAML. */
export function parseJsonDocument(text: string, file: string): ParsedDocument {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    const asYaml = parseYamlDocument(text, 1, file);
    if (!('error' in asYaml)) return asYaml;
    return { error: `invalid JSON: ${(e as Error).message}`, line: jsonErrorLine(text, e as Error) ?? 1 };
  }
  if (value === null) return { skip: true };
  const problem = checkDepth(value);
  return problem ? { error: problem, line: 1 } : { value, line: 1 };
}

/** Nesting beyond MAX_DEPTH (JSON.parse itself accepts any depth); the walk recurses at most MAX_DEPTH deep. */
export function checkDepth(value: unknown): string | undefined {
  return tooDeep(value, 1) ? `document nested more than ${MAX_DEPTH} levels deep; skipped` : undefined;
}

function tooDeep(v: unknown, depth: number): boolean {
  if (v === null || typeof v !== 'object') return false;
  if (depth > MAX_DEPTH) return true;
  if (Array.isArray(v)) {
    for (const x of v) if (tooDeep(x, depth + 1)) return true;
  } else {
    for (const k in v) if (tooDeep((v as Record<string, unknown>)[k], depth + 1)) return true;
  }
  return false;
}

/** Walks the value as its aliases expand it (a shared subtree counts every time it is reached), up to `budget` bytes. */
function checkExpansion(value: unknown, budget: number): string | undefined {
  let size = 0;
  const stack: unknown[] = [value];
  while (stack.length) {
    const v = stack.pop();
    if (typeof v === 'string') size += v.length + 2;
    else if (v !== null && typeof v === 'object') {
      size += 2;
      if (Array.isArray(v)) for (const x of v) stack.push(x);
      else
        for (const k in v) {
          size += k.length + 3;
          stack.push((v as Record<string, unknown>)[k]);
        }
    } else size += 8;
    if (size > budget) return `YAML aliases expand this document beyond ${formatBytes(budget)} (${ALIAS_EXPANSION_RATIO} times its size); skipped`;
  }
  return undefined;
}

function firstContentLine(text: string): number {
  let line = 0;
  let pos = 0;
  while (pos < text.length) {
    const end = text.indexOf('\n', pos);
    const l = text.slice(pos, end < 0 ? text.length : end).trim();
    if (l !== '' && !l.startsWith('#') && l !== '---') return line;
    if (end < 0) break;
    pos = end + 1;
    line++;
  }
  return 0;
}

function jsonErrorLine(text: string, e: Error): number | undefined {
  const m = /position (\d+)/.exec(e.message);
  if (!m) return undefined;
  return text.slice(0, Number(m[1])).split('\n').length;
}

function firstLine(s: string): string {
  return s.split('\n')[0] ?? s;
}
