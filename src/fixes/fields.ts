// Field sets as server-side apply tracks them (structured-merge-diff FieldsV1): a path is a list of elements
// from the object root, `f:<name>` for a field, `k:<json>` for an item of a list keyed by its key fields,
// `v:<json>` for an item of a set, and `.` for a keyed item itself. A field set holds every leaf a manager owns
// (an atomic list or map is one leaf) and every keyed item it owns. Paths are kept as their JSON encoding in a
// Set, so set operations are plain Set operations.
import { isAtomicMap, listType } from './schema.ts';

type Raw = Record<string, unknown>;
export type FieldPath = string[];
export type FieldSet = Set<string>;

/** Fields that identify an object or that the server owns: never part of a manager's set. */
const IDENTITY = new Set(['apiVersion', 'kind', 'status']);
const SERVER_META = new Set(['name', 'namespace', 'uid', 'resourceVersion', 'generation', 'creationTimestamp', 'deletionTimestamp', 'deletionGracePeriodSeconds', 'managedFields', 'selfLink', 'generateName']);

export function isMap(x: unknown): x is Raw {
  return x !== null && typeof x === 'object' && !Array.isArray(x);
}

export const encode = (path: FieldPath): string => JSON.stringify(path);
export const decode = (key: string): FieldPath => JSON.parse(key) as FieldPath;

/** The schema path of a field path (field names, `[]` for list items): what schema.ts is keyed by. */
export function schemaPathOf(path: FieldPath): string {
  let out = '';
  for (const el of path) {
    if (el === '.') continue;
    if (el.startsWith('f:')) out += (out ? '.' : '') + el.slice(2);
    else out += '[]';
  }
  return out;
}

function sortedKeys(item: Raw, keys: string[]): Raw {
  const out: Raw = {};
  for (const k of [...keys].sort()) if (item[k] !== undefined) out[k] = item[k];
  return out;
}

/** The path element of a list item, or null for an atomic list. */
export function itemElement(kind: string, listPath: string, item: unknown): string | null {
  const lt = listType(kind, listPath);
  if (lt.type === 'map') return isMap(item) ? `k:${JSON.stringify(sortedKeys(item, lt.keys))}` : null;
  if (lt.type === 'set') return `v:${JSON.stringify(item)}`;
  return null;
}

/** Every path an apply configuration (or a whole object) sets, as its owner would own them. */
export function fieldsOf(obj: Raw, kind: string): FieldSet {
  const out: FieldSet = new Set();
  const walk = (value: unknown, path: FieldPath): void => {
    const schemaPath = schemaPathOf(path);
    if (isMap(value) && Object.keys(value).length > 0 && !isAtomicMap(kind, schemaPath)) {
      for (const [k, v] of Object.entries(value)) {
        if (v === undefined || v === null) continue;
        if (path.length === 0 && IDENTITY.has(k)) continue;
        if (path.length === 1 && path[0] === 'f:metadata' && SERVER_META.has(k)) continue;
        walk(v, [...path, `f:${k}`]);
      }
      return;
    }
    if (Array.isArray(value) && listType(kind, schemaPath).type !== 'atomic') {
      for (const item of value) {
        const el = itemElement(kind, schemaPath, item);
        if (!el) continue;
        if (el.startsWith('v:')) {
          out.add(encode([...path, el]));
          continue;
        }
        out.add(encode([...path, el, '.']));
        walk(item, [...path, el]);
      }
      return;
    }
    if (path.length > 0) out.add(encode(path));
  };
  walk(obj, []);
  return out;
}

/** A manager's FieldsV1 (from metadata.managedFields) as a field set. */
export function fromFieldsV1(fieldsV1: unknown): FieldSet {
  const out: FieldSet = new Set();
  const walk = (node: unknown, path: FieldPath): void => {
    if (!isMap(node)) return;
    const entries = Object.entries(node);
    if (entries.length === 0 && path.length > 0) {
      out.add(encode(path));
      return;
    }
    for (const [el, child] of entries) {
      if (el === '.') out.add(encode([...path, '.']));
      else walk(child, [...path, el]);
    }
  };
  walk(fieldsV1, []);
  return out;
}

/** The list item a path element names, and its index. */
function findItem(kind: string, listPath: string, list: unknown[], el: string): number {
  return list.findIndex((item) => itemElement(kind, listPath, item) === el);
}

/** The value at a path, or undefined. */
export function valueAt(obj: unknown, kind: string, path: FieldPath): unknown {
  let cur: unknown = obj;
  for (let i = 0; i < path.length; i++) {
    const el = path[i]!;
    if (el === '.') return cur;
    if (el.startsWith('f:')) {
      if (!isMap(cur)) return undefined;
      cur = cur[el.slice(2)];
    } else {
      if (!Array.isArray(cur)) return undefined;
      const idx = findItem(kind, schemaPathOf(path.slice(0, i)), cur, el);
      if (idx < 0) return undefined;
      cur = cur[idx];
    }
  }
  return cur;
}

interface Trie {
  children: Map<string, Trie>;
  leaf: boolean;
}

function trieOf(fields: Iterable<string>): Trie {
  const root: Trie = { children: new Map(), leaf: false };
  for (const key of fields) {
    let node = root;
    for (const el of decode(key)) {
      let next = node.children.get(el);
      if (!next) node.children.set(el, (next = { children: new Map(), leaf: false }));
      node = next;
    }
    node.leaf = true;
  }
  return root;
}

/**
 * The part of `obj` a field set covers: what an apply configuration must hold to keep owning those fields
 * (client-go's Extract). Keyed list items carry their key fields. Paths the object does not have are skipped.
 */
export function extract(obj: Raw, kind: string, fields: Iterable<string>): Raw {
  const build = (value: unknown, node: Trie, path: FieldPath): unknown => {
    if (node.leaf && node.children.size === 0) return structuredClone(value);
    if (isMap(value)) {
      const out: Raw = {};
      for (const [el, child] of node.children) {
        if (!el.startsWith('f:')) continue;
        const k = el.slice(2);
        if (!(k in value) || value[k] === undefined) continue;
        const v = build(value[k], child, [...path, el]);
        if (v !== undefined) out[k] = v;
      }
      return out;
    }
    if (Array.isArray(value)) {
      const listPath = schemaPathOf(path);
      const lt = listType(kind, listPath);
      const out: unknown[] = [];
      for (const item of value) {
        const el = itemElement(kind, listPath, item);
        const child = el ? node.children.get(el) : undefined;
        if (!child) continue;
        if (el!.startsWith('v:')) {
          out.push(structuredClone(item));
          continue;
        }
        const partial = (build(item, child, [...path, el!]) ?? {}) as Raw;
        if (lt.type === 'map') for (const key of lt.keys) if ((item as Raw)[key] !== undefined) partial[key] = (item as Raw)[key];
        out.push(partial);
      }
      return out;
    }
    return node.leaf ? structuredClone(value) : undefined;
  };
  return (build(obj, trieOf(fields), []) ?? {}) as Raw;
}

/** Removes the given leaf paths (and keyed items whose `.` is given) from an object, in place. */
export function removeFields(obj: Raw, kind: string, fields: Iterable<string>): void {
  // Deepest first, so removing an item does not shift the lookup of another.
  const paths = [...fields].map(decode).sort((a, b) => b.length - a.length);
  for (const path of paths) {
    const target = path[path.length - 1] === '.' ? path.slice(0, -1) : path;
    const parent = valueAt(obj, kind, target.slice(0, -1));
    const last = target[target.length - 1]!;
    if (last.startsWith('f:') && isMap(parent)) Reflect.deleteProperty(parent, last.slice(2));
    else if (Array.isArray(parent)) {
      const idx = findItem(kind, schemaPathOf(target.slice(0, -1)), parent, last);
      if (idx >= 0) parent.splice(idx, 1);
    }
  }
}

/** Whether `path` lies at or under `prefix`. */
export function isUnder(path: FieldPath, prefix: FieldPath): boolean {
  if (prefix.length > path.length) return false;
  for (let i = 0; i < prefix.length; i++) if (prefix[i] !== '.' && prefix[i] !== path[i]) return false;
  return true;
}

/** A path as a reader writes it: `spec.listeners[name=https].tls.mode`. */
export function displayPath(path: FieldPath): string {
  let out = '';
  for (const el of path) {
    if (el === '.') continue;
    if (el.startsWith('f:')) out += (out ? '.' : '') + el.slice(2);
    else if (el.startsWith('k:')) {
      const keys = JSON.parse(el.slice(2)) as Raw;
      out += `[${Object.entries(keys).map(([k, v]) => `${k}=${String(v)}`).join(',')}]`;
    } else out += `[${el.slice(2)}]`;
  }
  return out;
}

/** Display paths of a set, shortest meaningful form, sorted, without duplicates. */
export function displayFields(fields: Iterable<string>): string[] {
  return [...new Set([...fields].map((k) => displayPath(decode(k))))].filter(Boolean).sort();
}
