// Objects from manifest files: files, directories (recursive, symbolic links followed, loops detected), or `-`
// for stdin; multi-document YAML and JSON, and `List` kinds (kubectl get -o json|yaml output). Read as kubectl
// reads them, with bounds: each input within a size limit, documents within a nesting depth and an alias
// budget. The same object given twice (two files, or twice in one) is merged as server-side apply would merge
// the second into the first, with a warning naming both places.
import { createReadStream } from 'node:fs';
import { readdir, realpath, stat } from 'node:fs/promises';
import { extname, join } from 'node:path';
import { getHeapStatistics } from 'node:v8';
import { applyConfigurations } from '../fixes/merge.ts';
import { KINDS, kindFor, versionOf, type KindInfo, type KindName } from './kinds.ts';
import { normalize } from './normalize.ts';
import type { Origin } from './objects.ts';
import { formatBytes, parseJsonDocument, type ParsedDocument } from './parse-document.ts';
import { ParsePool } from './parse-pool.ts';
import { InputTooLarge, readDocuments } from './read-input.ts';
import { shapeProblems } from './shape.ts';
import { Snapshot } from './snapshot.ts';

export interface InputError {
  file: string;
  line?: number;
  message: string;
}

/** Something the user should know about the input that did not stop it from being read (duplicates, link loops). */
export type InputWarning = InputError;

type Raw = Record<string, unknown>;

/** An object from the files, before normalisation: what overlay mode applies over a cluster. */
export interface ManifestObject {
  raw: Raw;
  info: KindInfo;
  origin: Origin;
}

export interface ManifestObjects {
  objects: ManifestObject[];
  errors: InputError[];
  warnings: InputWarning[];
  /** Kinds present in the input that the tool does not read, with counts. */
  ignored: Record<string, number>;
  files: string[];
}

export interface ManifestLoad extends ManifestObjects {
  snapshot: Snapshot;
}

export interface ManifestOptions {
  /** Stdin for `-`: a string source (tests) or a byte stream (default: process.stdin). */
  readStdin?: () => Promise<string>;
  stdin?: AsyncIterable<Buffer | string>;
  /** Bytes per input (file or stdin); default DEFAULT_MAX_INPUT_BYTES. */
  maxInputBytes?: number;
  /** Parse workers (default: one per core, at most 4; 0 parses on this thread). */
  workers?: number;
  /** Bytes of heap the objects read may fill before reading stops (default: a share of the heap limit). */
  memoryBudget?: number;
}

export const DEFAULT_MAX_INPUT_BYTES = 1 << 30;
export const MAX_INPUT_FLAG = '--max-input-bytes';

const MANIFEST_EXTENSIONS = new Set(['.yaml', '.yml', '.json']);
/** Parsed batches allowed to wait before reading pauses. */
const MAX_PENDING_BATCHES = 8;

/** A -f path that does not exist or is not a file or directory: the run cannot start. */
export class InputPathError extends Error {}

/** The objects read fill so much memory that analysing them would not fit: the run stops. */
export class InputTooLargeForMemory extends Error {}

/** Errors listed per file; past this many, one more entry says how many were left out. */
export const MAX_ERRORS_PER_FILE = 100;

// Analysing what was read takes about twice the memory the objects hold (the L benchmark: 350 MB of objects,
// 750 MB at the peak), so reading stops once they fill this share of the heap Node may use, with a clear error
// instead of a crash when the heap runs out.
const HEAP_SHARE_FOR_INPUT = 0.4;

function heapBudget(given?: number): { check: () => void; checkJson: (chars: number) => void } {
  const limit = getHeapStatistics().heap_size_limit;
  const budget = given ?? limit * HEAP_SHARE_FOR_INPUT;
  const mib = (bytes: number) => `${Math.ceil(bytes / 2 ** 20)} MiB`;
  const advice = `narrow it (fewer files, one namespace) or give Node more memory with NODE_OPTIONS=--max-old-space-size=${Math.ceil((limit * 2) / 2 ** 20)}`;
  return {
    check() {
      const used = getHeapStatistics().used_heap_size;
      if (used > budget) throw new InputTooLargeForMemory(`the input is too large to analyse in the memory this process may use: the objects read so far fill ${mib(used)} of ${mib(limit)}; ${advice}`);
    },
    // Parsed JSON takes about one and a half times its text (the L benchmark); it is checked before, since a
    // parse that runs out of memory cannot be stopped.
    checkJson(chars) {
      const used = getHeapStatistics().used_heap_size;
      if (used + 2 * chars > budget) throw new InputTooLargeForMemory(`the input is too large to analyse in the memory this process may use: ${mib(chars)} of JSON would fill about ${mib(used + 2 * chars)} of ${mib(limit)}; ${advice}`);
    },
  };
}

export async function loadManifests(paths: string[], defaultNamespace: string, input?: ManifestOptions | (() => Promise<string>)): Promise<ManifestLoad> {
  const read = await readManifestObjects(paths, defaultNamespace, input);
  const snapshot = new Snapshot({ type: 'files', files: read.files });
  for (const o of read.objects) snapshot.add(normalize(o.raw, o.info, defaultNamespace, o.origin));
  const seen: Record<string, string> = {};
  for (const kind of Object.keys(KINDS) as KindName[]) {
    const list = snapshot.list(kind);
    if (list.length === 0) snapshot.setState(kind, { state: 'absent', detail: `no ${KINDS[kind].plural} in the input` });
    else seen[kind] = [...new Set(list.map((o) => versionOf(o.apiVersion)))].join(',');
  }
  snapshot.source.kinds = seen;
  return { ...read, snapshot };
}

/** Reads and merges the objects of every input, without normalising them. */
export async function readManifestObjects(paths: string[], defaultNamespace: string, input?: ManifestOptions | (() => Promise<string>)): Promise<ManifestObjects> {
  const opts: ManifestOptions = typeof input === 'function' ? { readStdin: input } : (input ?? {});
  const errors: InputError[] = [];
  const warnings: InputWarning[] = [];
  const files: string[] = [];
  const seenFiles = new Set<string>();
  for (const p of paths) {
    if (p === '-') files.push('-');
    else files.push(...(await expandPath(p, new Set(), seenFiles, errors, warnings)));
  }
  const ignored: Record<string, number> = {};
  const merged = new Map<string, ManifestObject>();
  const pool = new ParsePool(opts.workers === undefined ? {} : { workers: opts.workers });
  const limit = opts.maxInputBytes ?? DEFAULT_MAX_INPUT_BYTES;
  const memory = heapBudget(opts.memoryBudget);
  try {
    for (const file of files) {
      const name = file === '-' ? '<stdin>' : file;
      const found: ManifestObject[] = [];
      const fileErrors = new CappedErrors(name);
      const handle = (d: ParsedDocument) => {
        if ('skip' in d) return;
        if ('error' in d) fileErrors.push({ file: name, line: d.line, message: d.error });
        else collect(d.value, name, d.line, defaultNamespace, found, fileErrors, ignored);
      };
      // Batches are handled in order as they come back parsed; the first failure stops the reading.
      let order: Promise<void> = Promise.resolve();
      let failure: { error: unknown } | undefined;
      try {
        const source = file === '-' ? stdinSource(opts) : await fileSource(file, limit);
        const { json } = await readDocuments(source, { limit, flag: MAX_INPUT_FLAG }, async (docs) => {
          if (failure) throw failure.error;
          const parsed = pool.parse(docs, name);
          order = order.then(async () => {
            if (failure) return;
            try {
              (await parsed).forEach(handle);
              memory.check();
            } catch (e) {
              failure = { error: e };
            }
          });
          await pool.below(MAX_PENDING_BATCHES);
        });
        await order;
        if (failure) throw failure.error;
        if (json !== undefined) {
          memory.checkJson(json.length);
          handle(parseJsonDocument(json, name));
          memory.check();
        }
      } catch (e) {
        await order;
        if (e instanceof InputTooLargeForMemory) throw e;
        errors.push(...fileErrors.done(), { file: name, message: e instanceof InputTooLarge ? e.message : `cannot read: ${describeReadError(e)}` });
        // Half an input is not what the user meant: nothing of it is used.
        continue;
      }
      errors.push(...fileErrors.done());
      for (const obj of found) mergeInto(merged, obj, defaultNamespace, warnings);
    }
  } finally {
    await pool.close();
  }
  return { objects: [...merged.values()], errors, warnings, ignored, files: files.map((f) => (f === '-' ? '<stdin>' : f)) };
}

/** One file's input errors: the first MAX_ERRORS_PER_FILE, then one entry counting the rest. */
class CappedErrors {
  private readonly listed: InputError[] = [];
  private left = 0;
  private readonly file: string;
  constructor(file: string) {
    this.file = file;
  }

  push(e: InputError): void {
    if (this.listed.length < MAX_ERRORS_PER_FILE) this.listed.push(e);
    else this.left++;
  }

  done(): InputError[] {
    return this.left === 0 ? this.listed : [...this.listed, { file: this.file, message: `${this.left} more error${this.left === 1 ? '' : 's'} in this file (only the first ${MAX_ERRORS_PER_FILE} are listed)` }];
  }
}

function mergeInto(merged: Map<string, ManifestObject>, obj: ManifestObject, defaultNamespace: string, warnings: InputWarning[]): void {
  const m = obj.raw.metadata as Raw;
  const ns = obj.info.namespaced ? (typeof m.namespace === 'string' && m.namespace !== '' ? m.namespace : defaultNamespace) : '';
  const id = `${obj.info.group}|${obj.info.kind}|${ns}|${String(m.name)}`;
  const prev = merged.get(id);
  if (!prev) {
    merged.set(id, obj);
    return;
  }
  const where = (o: Origin) => `${o.file}:${o.line}`;
  warnings.push({
    file: obj.origin.file,
    line: obj.origin.line,
    message: `${obj.info.kind} ${ns ? `${ns}/` : ''}${String(m.name)} is also defined at ${where(prev.origin)}: merged as server-side apply would merge this one into it (fields set here win)`,
  });
  // Each file applies as its own field manager, so that a later file merges into an earlier one (as `kubectl
  // apply --server-side` of a fix onto objects another manager wrote) rather than taking back its fields.
  const [raw] = applyConfigurations([prev.raw], [obj.raw], defaultNamespace, { manager: `gwtls -f ${obj.origin.file}` });
  // The ownership the merge computed is not part of what the files say.
  const meta = { ...(raw!.metadata as Raw) };
  const before = (prev.raw.metadata as Raw).managedFields;
  if (before === undefined) delete meta.managedFields;
  else meta.managedFields = before;
  raw!.metadata = meta;
  const info = kindFor(String(raw!.apiVersion ?? ''), obj.info.kind) ?? obj.info;
  merged.set(id, { raw: raw!, info, origin: prev.origin });
}

async function fileSource(file: string, limit: number): Promise<AsyncIterable<Buffer>> {
  const info = await stat(file);
  if (info.isFile() && info.size > limit) throw new InputTooLarge(`${formatBytes(info.size)}, larger than ${formatBytes(limit)}, the limit for one input (raise it with ${MAX_INPUT_FLAG})`);
  return createReadStream(file, { highWaterMark: 1 << 20 });
}

function stdinSource(opts: ManifestOptions): AsyncIterable<Buffer | string> {
  if (opts.stdin) return opts.stdin;
  if (opts.readStdin) {
    const read = opts.readStdin;
    return (async function* () {
      yield await read();
    })();
  }
  return process.stdin;
}

function describeReadError(e: unknown): string {
  const err = e as NodeJS.ErrnoException;
  switch (err.code) {
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'EISDIR':
      return 'is a directory';
    case 'ENOENT':
      return 'no such file';
    default:
      return err instanceof Error ? (err.message.split('\n')[0] ?? String(err)) : String(err);
  }
}

/**
 * Files under `path`: a file as given, a directory's .yaml/.yml/.json files recursively in name order.
 * Symbolic links are followed; a directory reached again below itself is a loop, and a file reached twice is
 * read once.
 */
async function expandPath(path: string, ancestors: Set<string>, seenFiles: Set<string>, errors: InputError[], warnings: InputWarning[]): Promise<string[]> {
  let info;
  try {
    info = await stat(path);
  } catch {
    throw new InputPathError(`${path}: no such file or directory`);
  }
  if (info.isFile()) return [path];
  if (!info.isDirectory()) throw new InputPathError(`${path}: not a file or directory`);
  const found = await walk(path, ancestors, seenFiles, errors, warnings);
  // As `kubectl apply -f` would: a directory with nothing to read is most likely the wrong one.
  if (found.length === 0 && ancestors.size === 0) warnings.push({ file: path, message: 'no .yaml, .yml or .json files in this directory' });
  return found;
}

async function walk(dir: string, ancestors: Set<string>, seenFiles: Set<string>, errors: InputError[], warnings: InputWarning[]): Promise<string[]> {
  const real = await realpath(dir);
  const chain = new Set(ancestors).add(real);
  const out: string[] = [];
  let entries;
  try {
    entries = (await readdir(dir, { withFileTypes: true })).sort((a, b) => a.name.localeCompare(b.name));
  } catch (e) {
    errors.push({ file: dir, message: `cannot read the directory: ${describeReadError(e)}` });
    return out;
  }
  for (const e of entries) {
    const full = join(dir, e.name);
    let isDir = e.isDirectory();
    let isFile = e.isFile();
    if (e.isSymbolicLink()) {
      try {
        const target = await stat(full);
        isDir = target.isDirectory();
        isFile = target.isFile();
      } catch {
        if (MANIFEST_EXTENSIONS.has(extname(e.name).toLowerCase())) errors.push({ file: full, message: 'symbolic link to nothing (its target does not exist)' });
        continue;
      }
    }
    if (isDir) {
      const target = await realpath(full);
      if (chain.has(target)) {
        warnings.push({ file: full, message: `symbolic link loop (leads back to ${target}); not followed` });
        continue;
      }
      out.push(...(await walk(full, chain, seenFiles, errors, warnings)));
    } else if (isFile && MANIFEST_EXTENSIONS.has(extname(e.name).toLowerCase())) {
      const target = await realpath(full);
      if (seenFiles.has(target)) continue;
      seenFiles.add(target);
      out.push(full);
    }
  }
  return out;
}

function collect(value: unknown, file: string, line: number, ns: string, out: ManifestObject[], errors: { push(e: InputError): void }, ignored: Record<string, number>): void {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    errors.push({ file, line, message: 'document is not a Kubernetes object (expected a mapping with apiVersion and kind)' });
    return;
  }
  const raw = value as Raw;
  const apiVersion = raw.apiVersion;
  const kind = raw.kind;
  if (typeof kind === 'string' && kind.endsWith('List') && Array.isArray(raw.items)) {
    // A typed list as the API server returns it (GatewayList) leaves apiVersion and kind out of its items.
    const itemKind = kind !== 'List' && typeof apiVersion === 'string' ? kind.slice(0, -'List'.length) : undefined;
    for (const item of raw.items) {
      const typed = itemKind && item !== null && typeof item === 'object' && !Array.isArray(item) && (item as Raw).apiVersion === undefined && (item as Raw).kind === undefined;
      collect(typed ? { apiVersion, kind: itemKind, ...(item as Raw) } : item, file, line, ns, out, errors, ignored);
    }
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
  const meta = raw.metadata as Raw | undefined;
  if (!meta || typeof meta !== 'object' || typeof meta.name !== 'string' || meta.name === '') {
    const hint = meta && typeof meta === 'object' && typeof meta.name === 'boolean' ? ` (metadata.name is ${meta.name}: kubectl reads an unquoted yes, no, on, off, y or n as a boolean: quote it)` : '';
    errors.push({ file, line, message: `${kind} without metadata.name${hint}; skipped` });
    return;
  }
  const problems = shapeProblems(raw, info.kind);
  if (problems.length) {
    const where = info.namespaced ? `${typeof meta.namespace === 'string' && meta.namespace !== '' ? meta.namespace : ns}/` : '';
    for (const p of problems) errors.push({ file, line, message: `${kind} ${where}${meta.name}: ${p}: the API server refuses this object` });
  }
  out.push({ raw, info, origin: { file, line } });
}
