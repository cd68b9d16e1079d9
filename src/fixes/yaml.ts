// Every YAML this tool writes goes through the YAML library, and every comment it writes is one safe line:
// a hostile string (a newline and `---` in a backendRef name, an escape sequence in a reason) can neither
// start a document of its own nor reach the terminal raw.
import * as yaml from 'js-yaml';
import { safeLine } from '../report/sanitize.ts';

type Raw = Record<string, unknown>;

export function dumpYaml(doc: unknown): string {
  return yaml.dump(doc, { noRefs: true, lineWidth: -1 });
}

/** A YAML document set, as `kubectl apply --server-side -f -` reads it. */
export function yamlDocs(...docs: object[]): string {
  return docs.map((d) => dumpYaml(d)).join('---\n');
}

/** The objects of a document set this tool wrote. */
export function parseDocuments(text: string): Raw[] {
  return yaml.loadAll(text).filter((d): d is Raw => d !== null && typeof d === 'object' && !Array.isArray(d));
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
