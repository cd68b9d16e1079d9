// A fix plan: the chosen fixes merged into one apply configuration per object, built from the object as it is
// now, carrying every field the tool's field manager already owns there (server-side apply removes what a
// manager owned before and leaves out now), in dependency order. Composing is pure: it works on the snapshot
// and the in-memory server-side apply (merge.ts); evaluate.ts re-runs the rules on the outcome, and apply.ts
// replaces the outcome with the API server's own dry run for a cluster.
import { kindFor, type KindName } from '../cluster/kinds.ts';
import type { AnyObject } from '../cluster/objects.ts';
import type { Snapshot } from '../cluster/snapshot.ts';
import type { Finding, Fix, ObjectRef } from '../report/types.ts';
import { decode, displayFields, displayPath, extract, fieldsOf, isMap, isUnder, itemElement, schemaPathOf, valueAt, type FieldSet } from './fields.ts';
import { deepEqual, managedFrom, mergeValue, serverSideApply, type ManagedObject } from './merge.ts';
import { listType } from './schema.ts';
import { parseDocuments } from './yaml.ts';

type Raw = Record<string, unknown>;

export const FIELD_MANAGER = 'kubectl-gwtls';

export interface ChosenFix {
  finding: Finding;
  fix: Fix;
}

export interface PlannedChange {
  ref: ObjectRef;
  /** `Kind ns/name`. */
  id: string;
  action: 'create' | 'update';
  /** The object is rewritten at another version of its API (a manifest migration). */
  migration?: { from: string; to: string };
  /** Why the configuration is the whole object rather than the fields the fixes change. */
  whole?: 'migration' | 'client-side-apply';
  /** The one apply configuration for this object (a whole object when it is created or migrated). */
  config: Raw;
  /** Fields the chosen fixes change, as paths. */
  fields: string[];
  /** Fields the tool's field manager already owned and the configuration carries so that they stay. */
  carried: string[];
  /** Fields whose value changes although another field manager owns them (applied with force). */
  takesFrom: Array<{ manager: string; fields: string[] }>;
  before?: Raw;
  after: Raw;
  /** Fields present before and absent after that no fix names: a plan with any is refused. */
  removed: string[];
  /** Indexes into FixPlan.fixes of the fixes folded into this change. */
  fixes: number[];
  /** Why this object cannot be changed (exists but was not read, the server's dry run refused it). */
  error?: string;
}

export interface PlannedFixEntry extends ChosenFix {
  status: 'planned' | 'refused';
  reason?: string;
  /** What else changes, in words. */
  sideEffects: string[];
  /** Ids of the objects it changes or creates. */
  objects: string[];
}

export interface FixPlan {
  fieldManager: string;
  fixes: PlannedFixEntry[];
  changes: PlannedChange[];
}

/** Creation and reference order: namespaces and CA bundles before what references them, routes last. */
const ORDER: Partial<Record<KindName, number>> = {
  Namespace: 0,
  ConfigMap: 1,
  Secret: 1,
  Service: 2,
  Backend: 3,
  TargetGroupConfiguration: 3,
  LoadBalancerConfiguration: 3,
  EnvoyProxy: 3,
  ReferenceGrant: 4,
  BackendTLSPolicy: 5,
  GatewayClass: 6,
  Gateway: 7,
};
const ROUTE_ORDER = 8;

function rank(kind: string): number {
  return ORDER[kind as KindName] ?? ROUTE_ORDER;
}

interface Target {
  kind: KindName;
  group: string;
  namespace: string;
  name: string;
}

function targetOf(doc: Raw, defaultNamespace: string): Target | null {
  const info = kindFor(String(doc.apiVersion ?? ''), String(doc.kind ?? ''));
  if (!info) return null;
  const meta = isMap(doc.metadata) ? doc.metadata : {};
  return { kind: info.kind, group: info.group, namespace: info.namespaced ? String(meta.namespace ?? defaultNamespace) : '', name: String(meta.name ?? '') };
}

const keyOf = (t: Target) => `${t.group}|${t.kind}|${t.namespace}|${t.name}`;
const idOf = (t: Target) => `${t.kind} ${t.namespace ? `${t.namespace}/` : ''}${t.name}`;
const versionOf = (apiVersion: string) => apiVersion.slice(apiVersion.indexOf('/') + 1);

/** The object as stored. A ConfigMap's data is kept beside its raw form (which holds only its identity). */
function manifestRaw(obj: AnyObject): Raw {
  return obj.kind === 'ConfigMap' ? { ...obj.raw, data: structuredClone(obj.data) } : obj.raw;
}

/** Server bookkeeping and the last-applied annotation: never part of a configuration. */
function manifestOf(obj: Raw, apiVersion: string): Raw {
  const meta = isMap(obj.metadata) ? obj.metadata : {};
  const m: Raw = { name: meta.name };
  if (meta.namespace) m.namespace = meta.namespace;
  if (isMap(meta.labels) && Object.keys(meta.labels).length) m.labels = structuredClone(meta.labels);
  const annotations = isMap(meta.annotations) ? Object.fromEntries(Object.entries(meta.annotations).filter(([k]) => k !== 'kubectl.kubernetes.io/last-applied-configuration')) : {};
  if (Object.keys(annotations).length) m.annotations = annotations;
  const out: Raw = { apiVersion, kind: obj.kind, metadata: m };
  for (const [k, v] of Object.entries(obj)) if (!['apiVersion', 'kind', 'metadata', 'status'].includes(k)) out[k] = structuredClone(v);
  return out;
}

class MergeConflict extends Error {
  readonly path: string;
  constructor(path: string) {
    super(path);
    this.path = path;
  }
}

/**
 * Folds `patch` into `current`, both derived from `base`: a field the patch leaves as it was in base keeps
 * whatever `current` has (an earlier fix's change); a field both changed differently is a conflict. Keyed
 * lists fold item by item; atomic lists of unchanged length fold by position, so fixes to two parentRefs of
 * one route both survive.
 */
function fold(base: unknown, current: unknown, patch: unknown, kind: string, path: string[]): unknown {
  if (deepEqual(patch, base)) return current;
  if (deepEqual(current, base) || deepEqual(current, patch)) return current === undefined ? structuredClone(patch) : mergeValue(current, patch, kind, path);
  if (isMap(patch) && isMap(current)) {
    const out: Raw = { ...current };
    for (const [k, v] of Object.entries(patch)) out[k] = fold(isMap(base) ? base[k] : undefined, current[k], v, kind, [...path, `f:${k}`]);
    return out;
  }
  if (Array.isArray(patch) && Array.isArray(current)) {
    const listPath = schemaPathOf(path);
    if (listType(kind, listPath).type === 'map') {
      const baseItems = Array.isArray(base) ? base : [];
      const out = [...current];
      for (const item of patch) {
        const el = itemElement(kind, listPath, item);
        const at = out.findIndex((c) => itemElement(kind, listPath, c) === el);
        if (at < 0) out.push(structuredClone(item));
        else out[at] = fold(baseItems.find((b) => itemElement(kind, listPath, b) === el), out[at], item, kind, [...path, el ?? '?']);
      }
      return out;
    }
    if (Array.isArray(base) && patch.length === base.length && current.length === base.length) return patch.map((p, i) => fold(base[i], current[i], p, kind, [...path, `i:${i}`]));
  }
  throw new MergeConflict(displayPath(path.filter((e) => !e.startsWith('i:'))));
}

/** Paths whose value differs between two versions of an object (the newer one's leaves). */
function changedFields(before: Raw, after: Raw, kind: string): FieldSet {
  const out: FieldSet = new Set();
  for (const f of fieldsOf(after, kind)) if (!deepEqual(valueAt(before, kind, decode(f)), valueAt(after, kind, decode(f)))) out.add(f);
  return out;
}

interface Draft {
  target: Target;
  base?: Raw;
  /** The object exists, but the analysis had not read it (a GET found it): the plan must not touch it. */
  unread?: boolean;
  managed?: ManagedObject;
  desired: Raw;
  version?: string;
  fixes: number[];
  docs: Raw[];
}

export interface ComposeOptions {
  defaultNamespace: string;
  /**
   * Who sends the configurations: the tool itself (`api`, inspect --apply), or kubectl from the --fix stream
   * (`kubectl`). kubectl apply --server-side first moves the fields its client-side apply owned to the field
   * manager it is given, then applies again (kubectl v0.37 pkg/cmd/apply/apply.go, migrateToSSAIfNecessary):
   * a partial document would then remove the user's fields. So for kubectl, such objects are written whole.
   */
  sender?: 'api' | 'kubectl';
  /** Objects the plan would create although the source could not tell whether they exist (live: GET them). */
  existing?: Map<string, Raw>;
  /** Keys (group|kind|namespace|name) a GET found absent: safe to create. */
  absent?: Set<string>;
}

/**
 * The chosen fixes as one change per object, with the outcome by in-memory server-side apply. A fix is planned
 * whole or not at all: when one of its objects cannot be changed, the fix is refused and the plan composed
 * again without it, so no other object carries a part of it. `refused` holds fixes refused before (by index).
 */
export function composePlan(chosen: ChosenFix[], snapshot: Snapshot, opts: ComposeOptions, refused: ReadonlyMap<number, string> = new Map()): FixPlan {
  const out = new Map(refused);
  for (;;) {
    const plan = composeOnce(chosen, snapshot, opts, out);
    const broken = brokenFixes(plan);
    if (broken.size === 0) return plan;
    for (const [i, why] of broken) out.set(i, why);
  }
}

/** Fixes still planned whose changes include one that cannot be made, with why. */
export function brokenFixes(plan: FixPlan): Map<number, string> {
  const out = new Map<number, string>();
  for (const c of plan.changes) {
    if (!c.error) continue;
    for (const i of c.fixes) if (plan.fixes[i]!.status === 'planned' && !out.has(i)) out.set(i, c.error);
  }
  return out;
}

function composeOnce(chosen: ChosenFix[], snapshot: Snapshot, opts: ComposeOptions, refusedBefore: ReadonlyMap<number, string>): FixPlan {
  const fixes: PlannedFixEntry[] = chosen.map((c, i) => (refusedBefore.has(i) ? { ...c, status: 'refused', reason: refusedBefore.get(i)!, sideEffects: [], objects: [] } : { ...c, status: 'planned', sideEffects: [], objects: [] }));
  const drafts = new Map<string, Draft>();
  const refuse = (i: number, reason: string) => {
    fixes[i]!.status = 'refused';
    fixes[i]!.reason ??= reason;
  };

  fixes.forEach((entry, i) => {
    if (entry.status === 'refused') return;
    let docs: Raw[];
    try {
      docs = parseDocuments(entry.fix.yaml);
    } catch (e) {
      refuse(i, `its YAML does not parse: ${(e as Error).message.split('\n')[0]}`);
      return;
    }
    // A fix is planned whole or not at all: fold every document into a copy first.
    const staged = new Map<string, Draft>();
    for (const doc of docs) {
      const target = targetOf(doc, opts.defaultNamespace);
      if (!target) {
        refuse(i, `${String(doc.kind)} (${String(doc.apiVersion)}) is not a kind this tool manages`);
        return;
      }
      const key = keyOf(target);
      const prior = staged.get(key) ?? drafts.get(key);
      let draft: Draft;
      if (prior) draft = { ...prior, desired: structuredClone(prior.desired), fixes: [...prior.fixes], docs: [...prior.docs] };
      else {
        const obj = snapshot.get(target.kind, target.namespace, target.name);
        const base = (obj ? manifestRaw(obj) : undefined) ?? opts.existing?.get(key);
        draft = { target, desired: base ? structuredClone(base) : {}, fixes: [], docs: [] };
        if (!obj && base) draft.unread = true;
        if (base) {
          draft.base = base;
          draft.managed = managedFrom(base);
        }
      }
      const docVersion = String(doc.apiVersion);
      if (draft.base && docVersion !== String(draft.base.apiVersion)) {
        if (draft.version && draft.version !== docVersion) {
          refuse(i, `it rewrites ${idOf(target)} at ${docVersion}, another fix at ${draft.version}`);
          return;
        }
        draft.version = docVersion;
      }
      try {
        const base = draft.base ? manifestOf(draft.base, docVersion) : {};
        const desired = fold(base, manifestOf(draft.desired, docVersion), manifestOf(doc, docVersion), target.kind, []) as Raw;
        draft.desired = { ...desired, apiVersion: draft.base?.apiVersion ?? docVersion };
      } catch (e) {
        if (!(e instanceof MergeConflict)) throw e;
        const other = fixes[draft.fixes[draft.fixes.length - 1] ?? i]!;
        refuse(i, `it sets ${e.path} of ${idOf(target)} to another value than ${other === entry ? 'itself' : `${other.finding.code} (${other.fix.title})`}`);
        return;
      }
      if (!draft.fixes.includes(i)) draft.fixes.push(i);
      draft.docs.push(doc);
      staged.set(key, draft);
    }
    for (const [key, d] of staged) drafts.set(key, d);
    entry.objects = [...staged.values()].map((d) => idOf(d.target));
  });

  const changes: PlannedChange[] = [];
  for (const d of drafts.values()) {
    const live = d.fixes.filter((i) => fixes[i]!.status === 'planned');
    if (live.length === 0) continue;
    changes.push(changeOf(d, live, snapshot, opts.sender ?? 'api', opts.absent?.has(keyOf(d.target)) ?? false));
  }
  changes.sort((a, b) => rank(a.ref.kind) - rank(b.ref.kind) || a.id.localeCompare(b.id));
  return { fieldManager: FIELD_MANAGER, fixes, changes };
}

function refOfTarget(t: Target, apiVersion: string): ObjectRef {
  return t.namespace ? { apiVersion, kind: t.kind, namespace: t.namespace, name: t.name } : { apiVersion, kind: t.kind, name: t.name };
}

/** Whether kubectl apply --server-side would first hand the object's client-side-applied fields to our manager. */
function migratedByKubectl(base: Raw): boolean {
  const meta = isMap(base.metadata) ? base.metadata : {};
  // From files: the manifest is most likely loaded with client-side kubectl apply.
  if (!Array.isArray(meta.managedFields) || meta.managedFields.length === 0) return true;
  return isMap(meta.annotations) && typeof meta.annotations['kubectl.kubernetes.io/last-applied-configuration'] === 'string';
}

function changeOf(d: Draft, fixIndexes: number[], snapshot: Snapshot, sender: 'api' | 'kubectl', checkedAbsent: boolean): PlannedChange {
  const kind = d.target.kind;
  const apiVersion = d.version ?? String(d.base?.apiVersion ?? d.docs[0]!.apiVersion);
  const desired = manifestOf(d.desired, apiVersion);
  // Every document names its namespace: the stream must not depend on kubectl's -n.
  if (d.target.namespace) (desired.metadata as Raw).namespace = d.target.namespace;
  const id = idOf(d.target);
  if (!d.base) {
    const after = serverSideApply(undefined, desired, FIELD_MANAGER, { force: true }).result.object;
    const change: PlannedChange = { ref: refOfTarget(d.target, apiVersion), id, action: 'create', config: desired, fields: displayFields(fieldsOf(desired, kind)), carried: [], takesFrom: [], after, removed: [], fixes: fixIndexes };
    const cov = snapshot.coverage(kind, d.target.namespace);
    if (!cov.complete && snapshot.source.type === 'cluster' && !checkedAbsent) change.error = `${id} could not be checked for existence (${cov.why}): it is not created, so that nothing is overwritten`;
    return change;
  }
  const base = manifestOf(d.base, apiVersion);
  const changed = changedFields(base, desired, kind);
  const owned = d.managed!.managers.get(FIELD_MANAGER)?.fields ?? new Set<string>();
  // A manifest migration is the whole object at the new version, with every other fix folded in.
  const whole = d.version ? 'migration' : sender === 'kubectl' && migratedByKubectl(d.base) ? 'client-side-apply' : undefined;
  const configFields: FieldSet = whole ? fieldsOf(desired, kind) : new Set([...owned, ...changed]);
  const config = { ...manifestOf(extractWithIdentity(desired, kind, configFields), apiVersion) };
  const carried = whole ? [] : [...owned].filter((f) => !changed.has(f));
  const takesFrom = new Map<string, FieldSet>();
  for (const f of changed) {
    for (const [manager, s] of d.managed!.managers) if (manager !== FIELD_MANAGER && s.fields.has(f)) (takesFrom.get(manager) ?? takesFrom.set(manager, new Set()).get(manager)!).add(f);
  }
  const { result } = serverSideApply(d.managed, config, FIELD_MANAGER, { force: true });
  const named = [...changed].map(decode);
  const removed = [...fieldsOf(base, kind)].filter((f) => !fieldsOf(result.object, kind).has(f)).filter((f) => !named.some((n) => isUnder(decode(f), n) || isUnder(n, decode(f))));
  const change: PlannedChange = {
    ref: refOfTarget(d.target, apiVersion),
    id,
    action: 'update',
    config,
    fields: displayFields(changed),
    carried: displayFields(carried),
    takesFrom: [...takesFrom].map(([manager, fields]) => ({ manager, fields: displayFields(fields) })),
    // As stored: with its namespace even when the file left it to kubectl's default.
    before: d.target.namespace && isMap(d.base.metadata) && !d.base.metadata.namespace ? { ...d.base, metadata: { ...d.base.metadata, namespace: d.target.namespace } } : d.base,
    after: result.object,
    removed: displayFields(removed),
    fixes: fixIndexes,
  };
  if (d.version) change.migration = { from: versionOf(String(d.base.apiVersion)), to: versionOf(apiVersion) };
  if (whole) change.whole = whole;
  if (d.unread) change.error = `${id} exists, but this run had not read it (a fix meant to create it): it is not overwritten; inspect it and apply the fix by hand if it still fits`;
  return change;
}

/** The part of an object a field set covers, with the object's identity. */
function extractWithIdentity(obj: Raw, kind: string, fields: FieldSet): Raw {
  const meta = isMap(obj.metadata) ? obj.metadata : {};
  const part = extract(obj, kind, fields);
  const m = isMap(part.metadata) ? part.metadata : {};
  return { ...part, apiVersion: obj.apiVersion, kind: obj.kind, metadata: { ...m, name: meta.name, ...(meta.namespace ? { namespace: meta.namespace } : {}) } };
}
