// Every YAML this tool writes goes through the YAML library, and every comment it writes is one safe line:
// a hostile string (a newline and `---` in a backendRef name, an escape sequence in a reason) can neither
// start a document of its own nor reach the terminal raw.
import * as yaml from 'js-yaml';
import { HIDDEN, hasHidden, jsonEscape, safeLine } from '../report/sanitize.ts';

type Raw = Record<string, unknown>;

// Characters a terminal or a reader could be fooled by: C0 controls (js-yaml escapes them only in some styles)
// and the hidden ones (bidi overrides, zero-width and other format characters, C1 controls, line separators),
// which js-yaml writes raw, even inside quotes.
const C0 = /[\u0000-\u0008\u000b-\u001f]/;
const DECEPTIVE = new RegExp(`[\\u0000-\\u0008\\u000b-\\u001f]|${HIDDEN}`, 'gu');

export function dumpYaml(doc: unknown): string {
  const out = yaml.dump(doc, { noRefs: true, lineWidth: -1 });
  if (!C0.test(out) && !hasHidden(out)) return out;
  // JSON is YAML too, and in JSON text such characters can only stand inside strings, where \uXXXX is their escape.
  return `${JSON.stringify(doc, null, 2).replace(DECEPTIVE, jsonEscape)}\n`;
}

/** A YAML document set, as `kubectl apply --server-side -f -` reads it. */
export function yamlDocs(...docs: object[]): string {
  return docs.map((d) => dumpYaml(d)).join('---\n');
}

/** The objects of a document set this tool wrote. */
export function parseDocuments(text: string): Raw[] {
  return yaml.loadAll(text).filter((d): d is Raw => d !== null && typeof d === 'object' && !Array.isArray(d));
}

// A fix's documents as they were written, so that reviewing every fix of a large report does not read each
// one back from its YAML (for 15,000 fixes that costs more than writing them). A JSON copy: the YAML library
// writes exactly what JSON keeps (undefined keys left out, undefined items as null), so the copy is what
// reading the YAML back gives; test/unit/fixes/fix-documents.test.ts holds that for every fix of every fixture.
// Kept with the YAML they were written as: a fix whose YAML was changed afterwards is read from its YAML again.
const documentsOf = new WeakMap<object, { yaml: string; docs: readonly Raw[] }>();

/** Remembers the documents `fix.yaml` was written from, for `fixDocuments`. */
export function rememberDocuments(fix: { yaml: string }, docs: readonly object[]): void {
  documentsOf.set(fix, { yaml: fix.yaml, docs: JSON.parse(JSON.stringify(docs)) as Raw[] });
}

/** Hands the documents remembered for one fix on to a copy of it. */
export function sameDocuments(from: { yaml: string }, to: { yaml: string }): void {
  const written = documentsOf.get(from);
  if (written) documentsOf.set(to, written);
}

/** The documents of a fix, shared and so never to be changed: as remembered when it was written, or read from its YAML. */
export function fixDocuments(fix: { yaml: string }): readonly Readonly<Raw>[] {
  const written = documentsOf.get(fix);
  return written && written.yaml === fix.yaml ? written.docs : parseDocuments(fix.yaml);
}

/** Comment lines, one per entry: each made one safe line (a newline inside an entry is shown as `\\n`). */
export function comment(lines: readonly string[]): string {
  return lines.map((line) => `# ${safeLine(line)}`.trimEnd()).join('\n');
}

/** A whole document set shown as comments (a suggestion that piping must never apply). */
export function commentedOut(text: string): string {
  return text
    .trimEnd()
    .split('\n')
    .map((line) => `#   ${safeLine(line)}`.trimEnd())
    .join('\n');
}
