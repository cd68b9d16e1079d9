// Objects from manifest files: files, directories (recursive), or `-` for stdin; multi-document YAML and
// JSON, and `List` kinds (kubectl get -o json|yaml output).
import { readdir, readFile, stat } from 'node:fs/promises';
import { extname, join } from 'node:path';
import * as yaml from 'js-yaml';
import { KINDS, kindFor, versionOf, type KindName } from './kinds.ts';
import { normalize } from './normalize.ts';
import type { AnyObject } from './objects.ts';
import { Snapshot } from './snapshot.ts';

export interface InputError {
  file: string;
  line?: number;
  message: string;
}

export interface ManifestLoad {
  snapshot: Snapshot;
  errors: InputError[];
  /** Kinds present in the input that the tool does not read, with counts. */
  ignored: Record<string, number>;
  files: string[];
}

const MANIFEST_EXTENSIONS = new Set(['.yaml', '.yml', '.json']);

export class InputPathError extends Error {}

export async function loadManifests(paths: string[], defaultNamespace: string, readStdin: () => Promise<string> = readAllStdin): Promise<ManifestLoad> {
  const files: string[] = [];
  for (const p of paths) {
    if (p === '-') files.push('-');
    else files.push(...(await expandPath(p)));
  }
  const errors: InputError[] = [];
  const ignored: Record<string, number> = {};
  const objects: AnyObject[] = [];
  const texts = await Promise.all(files.map((f) => (f === '-' ? readStdin() : readFile(f, 'utf8'))));
  files.forEach((file, i) => {
    const name = file === '-' ? '<stdin>' : file;
    for (const doc of parseDocuments(texts[i]!, name, errors)) collect(doc.value, name, doc.line, defaultNamespace, objects, errors, ignored);
  });
  const snapshot = new Snapshot({ type: 'files', files: files.map((f) => (f === '-' ? '<stdin>' : f)) });
  for (const obj of objects) snapshot.add(obj);
  const seen: Record<string, string> = {};
  for (const kind of Object.keys(KINDS) as KindName[]) {
    const list = snapshot.list(kind);
    if (list.length === 0) snapshot.setState(kind, { state: 'absent', detail: `no ${KINDS[kind].plural} in the input` });
    else seen[kind] = [...new Set(list.map((o) => versionOf(o.apiVersion)))].join(',');
  }
  snapshot.source.kinds = seen;
  return { snapshot, errors, ignored, files: snapshot.source.files ?? [] };
}

async function expandPath(path: string): Promise<string[]> {
  let info;
  try {
    info = await stat(path);
  } catch {
    throw new InputPathError(`${path}: no such file or directory`);
  }
  if (info.isFile()) return [path];
  if (!info.isDirectory()) throw new InputPathError(`${path}: not a file or directory`);
  const out: string[] = [];
  const entries = (await readdir(path, { withFileTypes: true })).sort((a, b) => a.name.localeCompare(b.name));
  for (const e of entries) {
    const full = join(path, e.name);
    if (e.isDirectory()) out.push(...(await expandPath(full)));
    else if (e.isFile() && MANIFEST_EXTENSIONS.has(extname(e.name).toLowerCase())) out.push(full);
  }
  return out;
}

interface Document {
  value: unknown;
  line: number;
}

/**
 * Splits YAML at document markers so that one broken document does not hide the others, and keeps each
 * document's first line for messages. JSON input is parsed as one value.
 */
export function parseDocuments(text: string, file: string, errors: InputError[]): Document[] {
  const trimmed = text.trimStart();
  if (trimmed.startsWith('{') || trimmed.startsWith('[')) {
    try {
      return [{ value: JSON.parse(text), line: 1 }];
    } catch (e) {
      // Not JSON after all (a YAML flow mapping, for instance): let YAML have a go.
      try {
        return [{ value: yaml.load(text, { schema: yaml.CORE_SCHEMA }), line: 1 }];
      } catch {
        errors.push({ file, line: jsonErrorLine(text, e as Error), message: `invalid JSON: ${(e as Error).message}` });
        return [];
      }
    }
  }
  const docs: Document[] = [];
  const lines = text.split(/\r?\n/);
  let start = 0;
  const flush = (end: number) => {
    const chunk = lines.slice(start, end).join('\n');
    if (chunk.trim() === '') return;
    try {
      const value = yaml.load(chunk, { schema: yaml.CORE_SCHEMA, filename: file });
      if (value !== undefined && value !== null) docs.push({ value, line: start + firstContentLine(lines, start, end) + 1 });
    } catch (e) {
      const ex = e as yaml.YAMLException;
      const line = ex.mark ? start + ex.mark.line + 1 : start + 1;
      errors.push({ file, line, message: `invalid YAML: ${ex.reason ?? ex.message}` });
    }
  };
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i]!;
    if (/^---(\s|$)/.test(l) || /^\.\.\.\s*$/.test(l)) {
      flush(i);
      // `--- {inline: document}` carries content on the marker line itself.
      start = /^---\s+\S/.test(l) && !/^---\s+#/.test(l) ? i : i + 1;
      if (start === i) lines[i] = l.replace(/^---/, '   ');
    }
  }
  flush(lines.length);
  return docs;
}

function firstContentLine(lines: string[], start: number, end: number): number {
  for (let i = start; i < end; i++) {
    const l = lines[i]!.trim();
    if (l !== '' && !l.startsWith('#')) return i - start;
  }
  return 0;
}

function jsonErrorLine(text: string, e: Error): number | undefined {
  const m = /position (\d+)/.exec(e.message);
  if (!m) return undefined;
  return text.slice(0, Number(m[1])).split('\n').length;
}

function collect(value: unknown, file: string, line: number, ns: string, out: AnyObject[], errors: InputError[], ignored: Record<string, number>): void {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    errors.push({ file, line, message: 'document is not a Kubernetes object (expected a mapping with apiVersion and kind)' });
    return;
  }
  const raw = value as Record<string, unknown>;
  const apiVersion = raw.apiVersion;
  const kind = raw.kind;
  if (typeof kind === 'string' && kind.endsWith('List') && Array.isArray(raw.items)) {
    for (const item of raw.items) collect(item, file, line, ns, out, errors, ignored);
    return;
  }
  if (typeof apiVersion !== 'string' || typeof kind !== 'string' || apiVersion === '' || kind === '') {
    const missing = [typeof apiVersion !== 'string' || apiVersion === '' ? 'apiVersion' : '', typeof kind !== 'string' || kind === '' ? 'kind' : ''].filter(Boolean).join(' and ');
    errors.push({ file, line, message: `document has no ${missing}; skipped` });
    return;
  }
  const info = kindFor(apiVersion, kind);
  if (!info) {
    const key = `${kind} (${apiVersion})`;
    ignored[key] = (ignored[key] ?? 0) + 1;
    return;
  }
  const meta = raw.metadata as Record<string, unknown> | undefined;
  if (!meta || typeof meta.name !== 'string' || meta.name === '') {
    errors.push({ file, line, message: `${kind} without metadata.name; skipped` });
    return;
  }
  out.push(normalize(raw, info, ns, { file, line }));
}

async function readAllStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}
