// Server-side apply, as far as the objects this tool fixes need it, on manifests held in memory: an apply
// configuration is merged into the object with the same group, kind, namespace and name (any version); maps
// merge key by key; lists declared keyed or sets in the schemas (schema.ts) merge by their keys; every other
// list and atomic map is replaced. Field ownership is tracked per manager as the API server does: a manager
// owns what its last apply configuration set; fields it owned before and leaves out now are removed unless
// another manager owns them too; a field another manager owns with a different value is a conflict, which
// `force` takes over. Ownership is kept in metadata.managedFields (FieldsV1), so objects carry it between
// calls; an object without managedFields is owned whole by the manager `MANIFEST_MANAGER` (as after
// `kubectl create` or a client-side `kubectl apply`).
import { groupOf } from '../cluster/kinds.ts';
import { decode, encode, fieldsOf, fromFieldsV1, isMap, itemElement, removeFields, schemaPathOf, valueAt, type FieldSet } from './fields.ts';
import { isAtomicMap, listType } from './schema.ts';

type Raw = Record<string, unknown>;

/** Who owns an object's fields when it carries no managedFields (it came from a file). */
export const MANIFEST_MANAGER = 'manifest';

export interface ManagedObject {
  object: Raw;
  /** Field sets per manager, in managedFields order. Apply managers and Update managers alike. */
  managers: Map<string, { fields: FieldSet; operation: 'Apply' | 'Update' }>;
}

export interface Conflict {
  field: string[];
  manager: string;
}

function identity(o: Raw, defaultNamespace: string): string {
  const m = isMap(o.metadata) ? o.metadata : {};
  return `${groupOf(String(o.apiVersion ?? ''))}|${String(o.kind ?? '')}|${String(m.namespace ?? defaultNamespace)}|${String(m.name ?? '')}`;
}

export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => deepEqual(x, b[i]));
  if (isMap(a) && isMap(b)) {
    const ka = Object.keys(a).filter((k) => a[k] !== undefined);
    const kb = Object.keys(b).filter((k) => b[k] !== undefined);
    return ka.length === kb.length && ka.every((k) => deepEqual(a[k], b[k]));
  }
  return false;
}

/** The ownership an object records, or the whole object owned by one manager when it records none. */
export function managedFrom(obj: Raw, fallbackManager = MANIFEST_MANAGER): ManagedObject {
  const kind = String(obj.kind ?? '');
  const meta = isMap(obj.metadata) ? obj.metadata : {};
  const managers: ManagedObject['managers'] = new Map();
  if (Array.isArray(meta.managedFields) && meta.managedFields.length > 0) {
    for (const mf of meta.managedFields as Raw[]) {
      if (!isMap(mf) || mf.subresource === 'status') continue;
      const name = String(mf.manager ?? '');
      const fields = fromFieldsV1(mf.fieldsV1);
      const prev = managers.get(name);
      if (prev) for (const f of fields) prev.fields.add(f);
      else managers.set(name, { fields, operation: mf.operation === 'Apply' ? 'Apply' : 'Update' });
    }
  } else {
    managers.set(fallbackManager, { fields: fieldsOf(obj, kind), operation: 'Update' });
  }
  return { object: obj, managers };
}

/** A field set back as FieldsV1. */
export function toFieldsV1(fields: FieldSet): Raw {
  const root: Raw = {};
  for (const key of fields) {
    let node = root;
    for (const el of decode(key)) {
      if (!isMap(node[el])) node[el] = {};
      node = node[el] as Raw;
    }
  }
  return root;
}

/** Server-side merge of a patch into a value: maps key by key, keyed lists by key, sets by value, the rest replaced. */
export function mergeValue(base: unknown, patch: unknown, kind: string, path: string[]): unknown {
  const schemaPath = schemaPathOf(path);
  if (isMap(base) && isMap(patch) && !isAtomicMap(kind, schemaPath)) {
    const out: Raw = { ...base };
    for (const [k, v] of Object.entries(patch)) {
      if (v === null || v === undefined) continue;
      out[k] = k in base ? mergeValue(base[k], v, kind, [...path, `f:${k}`]) : structuredClone(v);
    }
    return out;
  }
  if (Array.isArray(base) && Array.isArray(patch) && listType(kind, schemaPath).type !== 'atomic') {
    const out = [...base];
    for (const item of patch) {
      const el = itemElement(kind, schemaPath, item);
      const i = el === null ? -1 : out.findIndex((b) => itemElement(kind, schemaPath, b) === el);
      if (i >= 0) out[i] = el!.startsWith('v:') ? out[i] : mergeValue(out[i], item, kind, [...path, el!]);
      else out.push(structuredClone(item));
    }
    return out;
  }
  return structuredClone(patch);
}

/** Whether `owned` (one manager's set) holds `path` or anything under a keyed item `path` names. */
function ownsAtOrUnder(owned: FieldSet, path: string[]): boolean {
  if (owned.has(encode(path))) return true;
  if (path[path.length - 1] !== '.') return false;
  const prefix = encode(path.slice(0, -1)).slice(0, -1);
  for (const f of owned) if (f.startsWith(prefix)) return true;
  return false;
}

/**
 * One server-side apply of `config` by `manager` onto `target` (absent: the object is created). Returns the
 * result, or the conflicts when another manager owns a field with a different value and `force` is not set.
 */
export function serverSideApply(target: ManagedObject | undefined, config: Raw, manager: string, opts: { force: boolean }): { result: ManagedObject; conflicts: Conflict[] } {
  const kind = String(config.kind ?? '');
  const configFields = fieldsOf(config, kind);
  if (!target) {
    const object = structuredClone(config);
    const managers: ManagedObject['managers'] = new Map([[manager, { fields: configFields, operation: 'Apply' as const }]]);
    return { result: { object: withManagedFields(object, managers), managers }, conflicts: [] };
  }
  const managers: ManagedObject['managers'] = new Map([...target.managers].map(([m, s]) => [m, { fields: new Set(s.fields), operation: s.operation }]));
  const conflicts: Conflict[] = [];
  for (const key of configFields) {
    const path = decode(key);
    for (const [other, owned] of managers) {
      if (other === manager || !owned.fields.has(key)) continue;
      if (deepEqual(valueAt(target.object, kind, path), valueAt(config, kind, path))) continue;
      conflicts.push({ field: path, manager: other });
      if (opts.force) owned.fields.delete(key);
    }
  }
  if (conflicts.length > 0 && !opts.force) return { result: target, conflicts };
  const previous = managers.get(manager)?.fields ?? new Set<string>();
  const dropped = [...previous].filter((k) => !configFields.has(k));
  const object = mergeValue(target.object, config, kind, []) as Raw;
  object.apiVersion = config.apiVersion;
  const orphaned = dropped.filter((k) => ![...managers].some(([m, s]) => m !== manager && ownsAtOrUnder(s.fields, decode(k))));
  removeFields(object, kind, orphaned);
  managers.set(manager, { fields: configFields, operation: 'Apply' });
  for (const [m, s] of managers) if (s.fields.size === 0) managers.delete(m);
  return { result: { object: withManagedFields(object, managers), managers }, conflicts };
}

function withManagedFields(object: Raw, managers: ManagedObject['managers']): Raw {
  const meta = isMap(object.metadata) ? { ...object.metadata } : {};
  meta.managedFields = [...managers].map(([manager, s]) => ({ manager, operation: s.operation, apiVersion: object.apiVersion, fieldsType: 'FieldsV1', fieldsV1: toFieldsV1(s.fields) }));
  return { ...object, metadata: meta };
}

export interface ApplyOptions {
  /** The field manager of each configuration (default: `kubectl-gwtls`). */
  manager?: string | ((configuration: Raw, index: number) => string);
  /** Take fields other managers own (kubectl apply --server-side --force-conflicts). Default true. */
  force?: boolean;
}

/**
 * Applies a set of apply configurations to a set of objects, in order, as server-side apply would; returns
 * the new set (with managedFields). Objects without a namespace take `defaultNamespace`, as kubectl does.
 */
export function applyConfigurations(objects: Raw[], configurations: Raw[], defaultNamespace = 'default', opts: ApplyOptions = {}): Raw[] {
  const out = objects.map((o) => structuredClone(o));
  const index = new Map(out.map((o, i) => [identity(o, defaultNamespace), i]));
  configurations.forEach((cfg, n) => {
    const manager = typeof opts.manager === 'function' ? opts.manager(cfg, n) : (opts.manager ?? 'kubectl-gwtls');
    const id = identity(cfg, defaultNamespace);
    const i = index.get(id);
    const { result } = serverSideApply(i === undefined ? undefined : managedFrom(out[i]!), cfg, manager, { force: opts.force ?? true });
    if (i === undefined) {
      index.set(id, out.length);
      out.push(result.object);
    } else out[i] = result.object;
  });
  return out;
}
