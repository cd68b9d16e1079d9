// `inspect --apply`: the safe fixes, applied the way a careful operator would. Every document goes through a
// server-side apply dry run first; the user sees what would change (a diff of each object as stored and as it
// would be stored), confirms (or passes --yes), and only then are the same documents applied for real, with
// field manager kubectl-gwtls. Only apply (PATCH) requests are made: nothing is ever deleted. Suggestions
// (fixes that trade away safety) are never applied.
import { createPatch } from 'diff';
import * as yaml from 'js-yaml';
import type { ApiClient } from '../cluster/api-client.ts';
import { ApiError } from '../cluster/api-client.ts';
import { KINDS, kindFor, versionOf } from '../cluster/kinds.ts';
import type { Finding, Fix } from '../report/types.ts';

export const FIELD_MANAGER = 'kubectl-gwtls';

type Raw = Record<string, unknown>;

export interface PlannedObject {
  id: string;
  path: string;
  body: Raw;
  /** Absent when the object does not exist yet. */
  before?: Raw;
  after?: Raw;
  diff: string;
  error?: string;
}

export interface PlannedFix {
  finding: Finding;
  fix: Fix;
  objects: PlannedObject[];
  /** Whether every object of the fix passed the dry run (a fix is applied whole or not at all). */
  ok: boolean;
}

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

function label(obj: Raw): string {
  const meta = (obj.metadata ?? {}) as Raw;
  return `${String(obj.kind)} ${meta.namespace ? `${String(meta.namespace)}/` : ''}${String(meta.name)}`;
}

/** What a human compares: the object without server bookkeeping. */
function comparable(obj: Raw | undefined): string {
  if (!obj) return '';
  const { status: _status, ...rest } = obj;
  const bookkeeping = new Set(['managedFields', 'resourceVersion', 'uid', 'creationTimestamp', 'generation', 'selfLink']);
  const meta = Object.fromEntries(Object.entries((rest.metadata ?? {}) as Raw).filter(([k]) => !bookkeeping.has(k)));
  const annotations = meta.annotations as Raw | undefined;
  if (annotations) {
    const a = { ...annotations };
    delete a['kubectl.kubernetes.io/last-applied-configuration'];
    meta.annotations = Object.keys(a).length ? a : undefined;
  }
  return yaml.dump({ ...rest, metadata: meta }, { noRefs: true, lineWidth: -1, sortKeys: true, skipInvalid: true });
}

export async function planFixes(findings: Finding[], client: ApiClient): Promise<PlannedFix[]> {
  const plans: PlannedFix[] = [];
  for (const finding of findings) {
    for (const fix of finding.fixes.filter((f) => f.type === 'fix')) {
      const docs = yaml.loadAll(fix.yaml).filter((d): d is Raw => d !== null && typeof d === 'object');
      const objects: PlannedObject[] = [];
      for (const body of docs) {
        const id = label(body);
        let path: string;
        try {
          path = objectPath(body);
        } catch (e) {
          objects.push({ id, path: '', body, diff: '', error: (e as Error).message });
          continue;
        }
        try {
          const before = await client.getOptional(path);
          const after = await client.apply(path, body, { fieldManager: FIELD_MANAGER, dryRun: true, force: true });
          const o: PlannedObject = { id, path, body, after, diff: createPatch(id, comparable(before), comparable(after), before ? 'stored' : 'does not exist', 'after apply') };
          if (before) o.before = before;
          objects.push(o);
        } catch (e) {
          objects.push({ id, path, body, diff: '', error: e instanceof ApiError ? `${e.status} ${e.reason}: ${e.message}` : (e as Error).message });
        }
      }
      plans.push({ finding, fix, objects, ok: objects.every((o) => !o.error) });
    }
  }
  return plans;
}

export function renderPlan(plans: PlannedFix[]): string {
  const lines: string[] = [];
  for (const p of plans) {
    lines.push(`${p.ok ? 'fix' : 'CANNOT APPLY'}: ${p.finding.code} ${p.fix.title}`);
    for (const o of p.objects) {
      if (o.error) {
        lines.push(`  ${o.id}: the server's dry run refused it: ${o.error}`);
        continue;
      }
      const body = o.diff.split('\n').slice(4).filter((l) => l !== '\\ No newline at end of file');
      lines.push(`  ${o.before ? 'change' : 'create'} ${o.id}`);
      if (body.every((l) => !l.startsWith('+') && !l.startsWith('-'))) lines.push('    (no change: already as the fix wants)');
      else lines.push(...body.filter(Boolean).map((l) => `    ${l}`));
    }
  }
  return lines.join('\n') + '\n';
}

export interface AppliedObject {
  id: string;
  ok: boolean;
  error?: string;
}

export async function executePlan(plans: PlannedFix[], client: ApiClient): Promise<AppliedObject[]> {
  const out: AppliedObject[] = [];
  for (const p of plans.filter((x) => x.ok)) {
    for (const o of p.objects) {
      try {
        await client.apply(o.path, o.body, { fieldManager: FIELD_MANAGER, dryRun: false, force: true });
        out.push({ id: o.id, ok: true });
      } catch (e) {
        out.push({ id: o.id, ok: false, error: e instanceof ApiError ? `${e.status} ${e.reason}: ${e.message}` : (e as Error).message });
      }
    }
  }
  return out;
}
