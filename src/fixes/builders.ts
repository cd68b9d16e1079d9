// Fix builders: complete new objects, or minimal apply configurations of existing ones, that
// `kubectl apply --server-side -f -` accepts.
import { GATEWAY_GROUP } from '../cluster/kinds.ts';
import type { BaseObject, GatewayObject, ListenerSetObject, ListenerSpec, RouteObject } from '../cluster/objects.ts';
import type { Fix } from '../report/types.ts';
import { rememberDocuments, yamlDocs } from './yaml.ts';

export const FORCE_NOTE = 'Changes fields another field manager owns: apply with --force-conflicts (kubectl apply --server-side --field-manager=kubectl-gwtls --force-conflicts -f -, the command the fix plan prints: a manager of its own, so that fields other managers set and this partial object leaves out stay), or edit the object where it is managed (Git, Helm values).';

/** apiVersion/kind/metadata of an existing object, for an apply configuration. */
export function identity(obj: BaseObject): { apiVersion: string; kind: string; metadata: { name: string; namespace?: string } } {
  return {
    apiVersion: obj.apiVersion,
    kind: obj.kind,
    metadata: obj.meta.namespace ? { name: obj.meta.name, namespace: obj.meta.namespace } : { name: obj.meta.name },
  };
}

export function fix(title: string, docs: object[], opts: { note?: string; suggestion?: boolean } = {}): Fix {
  const f: Fix = { title, type: opts.suggestion ? 'suggestion' : 'fix', yaml: yamlDocs(...docs) };
  if (opts.note) f.note = opts.note;
  rememberDocuments(f, docs);
  return f;
}

/** A listener as written in the manifest (raw), so a fix changes only what it must; the owner is its Gateway or ListenerSet. */
export function rawListener(gw: GatewayObject | ListenerSetObject, l: ListenerSpec): Record<string, unknown> {
  const spec = (gw.raw.spec ?? {}) as Record<string, unknown>;
  const listeners = Array.isArray(spec.listeners) ? (spec.listeners as Array<Record<string, unknown>>) : [];
  return structuredClone(listeners[l.index] ?? { name: l.name, port: l.port, protocol: l.protocol });
}

/** Apply configuration that replaces one listener (listeners merge by name under server-side apply), of a Gateway or a ListenerSet. */
export function listenerPatch(gw: GatewayObject | ListenerSetObject, listener: Record<string, unknown>): object {
  if (gw.kind !== 'Gateway') return { ...identity(gw), spec: { parentRef: structuredClone(((gw.raw.spec ?? {}) as Record<string, unknown>).parentRef ?? { name: gw.parentRef.name }), listeners: [listener] } };
  return { ...identity(gw), spec: { gatewayClassName: gw.className, listeners: [listener] } };
}

/** A route's parentRefs as written, with one entry replaced (parentRefs is an atomic list). */
export function routeParentRefsPatch(route: RouteObject, index: number, replacement: Record<string, unknown>): object {
  const spec = (route.raw.spec ?? {}) as Record<string, unknown>;
  const refs = Array.isArray(spec.parentRefs) ? structuredClone(spec.parentRefs as Array<Record<string, unknown>>) : [];
  refs[index] = replacement;
  return { ...identity(route), spec: { parentRefs: refs } };
}

export function referenceGrant(opts: { namespace: string; name: string; fromGroup?: string; fromKind: string; fromNamespace: string; toGroup: string; toKind: string; toName: string }): object {
  return {
    apiVersion: `${GATEWAY_GROUP}/v1beta1`,
    kind: 'ReferenceGrant',
    metadata: { name: opts.name, namespace: opts.namespace },
    spec: {
      from: [{ group: opts.fromGroup ?? GATEWAY_GROUP, kind: opts.fromKind, namespace: opts.fromNamespace }],
      to: [{ group: opts.toGroup, kind: opts.toKind, name: opts.toName }],
    },
  };
}

/** DNS-1123 name from parts, at most 63 characters. */
export function objectName(...parts: string[]): string {
  const name = parts
    .join('-')
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-')
    .replace(/-+/g, '-')
    .replace(/^-|-$/g, '');
  return name.length <= 63 ? name : name.slice(0, 63).replace(/-$/, '');
}
