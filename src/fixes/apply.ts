// `inspect --apply` against a cluster: the plan's outcome comes from the API server's own dry run, and only
// then are the same configurations applied for real, with field manager kubectl-gwtls. Only apply (PATCH)
// requests are made: nothing is ever deleted. Objects the plan creates are created only if a GET says they do
// not exist; a change carries the resourceVersion it was planned on, so an object changed in between is not
// overwritten (the server answers 409 Conflict).
import type { ApiClient } from '../cluster/api-client.ts';
import { ApiError } from '../cluster/api-client.ts';
import { KINDS, kindFor, versionOf } from '../cluster/kinds.ts';
import type { Snapshot } from '../cluster/snapshot.ts';
import { displayFields, fieldsOf, isMap } from './fields.ts';
import { FIELD_MANAGER, type ChosenFix, type FixPlan } from './plan.ts';
import { parseDocuments } from './yaml.ts';

export { FIELD_MANAGER };

type Raw = Record<string, unknown>;

/** Where an object lives in the API, for the kinds fixes produce. */
export function objectPath(obj: Raw): string {
  const apiVersion = String(obj.apiVersion ?? '');
  const kind = String(obj.kind ?? '');
  const info = kindFor(apiVersion, kind);
  if (!info) throw new Error(`cannot apply ${kind} (${apiVersion}): not a kind this tool manages`);
  const meta = (obj.metadata ?? {}) as Raw;
  const name = String(meta.name ?? '');
  const prefix = info.group === '' ? `/api/${versionOf(apiVersion)}` : `/apis/${info.group}/${versionOf(apiVersion)}`;
  const ns = info.namespaced ? `/namespaces/${encodeURIComponent(String(meta.namespace ?? 'default'))}` : '';
  return `${prefix}${ns}/${KINDS[info.kind].plural}/${encodeURIComponent(name)}`;
}

/** The collection an object is created in (its path without the name). */
function collectionPath(obj: Raw): string {
  const path = objectPath(obj);
  return path.slice(0, path.lastIndexOf('/'));
}

/** Creates go through POST, which refuses an object that exists; changes through server-side apply. */
function send(client: ApiClient, change: { action: 'create' | 'update' }, body: Raw, dryRun: boolean): Promise<Raw> {
  return change.action === 'create' ? client.create(collectionPath(body), body, { fieldManager: FIELD_MANAGER, dryRun }) : client.apply(objectPath(body), body, { fieldManager: FIELD_MANAGER, dryRun, force: true });
}

const describe = (e: unknown) => (e instanceof ApiError ? `${e.status} ${e.reason}: ${e.message}` : (e as Error).message);

/**
 * Objects the chosen fixes would create that the snapshot cannot vouch for: GET each. Those that exist are
 * returned (keyed like the plan's targets), so the plan refuses to overwrite them; the rest are known absent.
 */
export async function existingObjects(chosen: ChosenFix[], snapshot: Snapshot, client: ApiClient, defaultNamespace: string): Promise<{ existing: Map<string, Raw>; absent: Set<string> }> {
  const out = new Map<string, Raw>();
  const absent = new Set<string>();
  const seen = new Set<string>();
  for (const { fix } of chosen) {
    for (const doc of parseDocuments(fix.yaml)) {
      const info = kindFor(String(doc.apiVersion ?? ''), String(doc.kind ?? ''));
      if (!info) continue;
      const meta = isMap(doc.metadata) ? doc.metadata : {};
      const ns = info.namespaced ? String(meta.namespace ?? defaultNamespace) : '';
      const name = String(meta.name ?? '');
      const key = `${info.group}|${info.kind}|${ns}|${name}`;
      if (seen.has(key) || snapshot.get(info.kind, ns, name)) continue;
      seen.add(key);
      const found = await client.getOptional(objectPath({ ...doc, metadata: { ...meta, namespace: ns || undefined } }));
      if (found) out.set(key, found);
      else absent.add(key);
    }
  }
  return { existing: out, absent };
}

/** Replaces each change's emulated outcome with the server's dry run of the same configuration. */
export async function dryRunPlan(plan: FixPlan, client: ApiClient): Promise<void> {
  for (const c of plan.changes) {
    if (c.error) continue;
    try {
      const after = await send(client, c, c.config, true);
      c.after = after;
      if (c.before) {
        const kind = c.ref.kind;
        const now = fieldsOf(after, kind);
        const named = new Set(c.fields);
        const gone = displayFields([...fieldsOf(c.before, kind)].filter((f) => !now.has(f))).filter((f) => ![...named].some((n) => f.startsWith(n) || n.startsWith(f)));
        c.removed = gone;
      }
    } catch (e) {
      c.error = `the server's dry run refused it: ${describe(e)}`;
    }
  }
}

export interface AppliedChange {
  id: string;
  ok: boolean;
  error?: string;
}

/** Applies each change for real, in the plan's order; a change is guarded by the resourceVersion it was planned on. */
export async function executePlan(plan: FixPlan, client: ApiClient): Promise<AppliedChange[]> {
  const out: AppliedChange[] = [];
  for (const c of plan.changes) {
    if (c.error) continue;
    const body: Raw = structuredClone(c.config);
    const rv = isMap(c.before?.metadata) ? c.before.metadata.resourceVersion : undefined;
    if (typeof rv === 'string' && rv) (body.metadata as Raw).resourceVersion = rv;
    try {
      await send(client, c, body, false);
      out.push({ id: c.id, ok: true });
    } catch (e) {
      const conflict = e instanceof ApiError && e.status === 409;
      const why = c.action === 'create' ? `${c.id} exists now (created since it was read): not overwritten` : `${c.id} changed since it was read (409 Conflict): not overwritten; run inspect again`;
      out.push({ id: c.id, ok: false, error: conflict ? why : describe(e) });
    }
  }
  return out;
}
