// The objects one analysis runs on, from whichever source, with what could not be read.
import type { Skipped, SourceInfo } from '../report/types.ts';
import { KINDS, type KindName } from './kinds.ts';
import type { AnyObject, ObjectsByKind } from './objects.ts';

/**
 * How complete our knowledge of a kind is:
 * - listed: read (for a cluster: in the scopes recorded by markScope);
 * - not-served: the cluster has no such resource, so no such objects exist;
 * - forbidden / error: the kind exists but could not be read: references to it are unknown, not missing;
 * - absent: files mode, and not a single object of the kind was in the input;
 * - unread: cluster mode, and the question did not need the kind, so it was not read.
 */
export type KindState =
  | { state: 'listed'; version?: string }
  | { state: 'not-served'; detail: string }
  | { state: 'forbidden'; detail: string }
  | { state: 'error'; detail: string }
  | { state: 'absent'; detail: string }
  | { state: 'unread'; detail: string };

export type Lookup<T> = { found: true; obj: T } | { found: false; known: true; why: string } | { found: false; known: false; why: string };

export class Snapshot {
  readonly source: SourceInfo;
  readonly skipped: Skipped[] = [];
  /** References that could not be checked because their kind was not readable, per kind. */
  readonly unresolved = new Map<KindName, Set<string>>();
  private readonly byKind = new Map<KindName, Map<string, Map<string, AnyObject>>>();
  private readonly states = new Map<KindName, KindState>();
  /** Namespaces fetched per kind; absent = every namespace (or files mode). */
  private readonly scopes = new Map<KindName, Set<string>>();
  private readonly indexes = new Map<string, Map<string, AnyObject[]>>();

  constructor(source: SourceInfo) {
    this.source = source;
  }

  add(obj: AnyObject): void {
    let byNs = this.byKind.get(obj.kind);
    if (!byNs) this.byKind.set(obj.kind, (byNs = new Map()));
    let byName = byNs.get(obj.meta.namespace);
    if (!byName) byNs.set(obj.meta.namespace, (byName = new Map()));
    byName.set(obj.meta.name, obj);
    this.indexes.clear();
  }

  /** The same knowledge with some objects replaced or added: what a fix plan would leave behind. */
  derive(objects: readonly AnyObject[]): Snapshot {
    const out = new Snapshot(this.source);
    for (const [kind, byNs] of this.byKind) {
      const copy = new Map<string, Map<string, AnyObject>>();
      for (const [ns, byName] of byNs) copy.set(ns, new Map(byName));
      out.byKind.set(kind, copy);
    }
    for (const [k, v] of this.states) out.states.set(k, v);
    for (const [k, v] of this.scopes) out.scopes.set(k, new Set(v));
    out.skipped.push(...this.skipped);
    for (const obj of objects) out.add(obj);
    return out;
  }

  setState(kind: KindName, state: KindState): void {
    this.states.set(kind, state);
  }

  state(kind: KindName): KindState {
    return this.states.get(kind) ?? { state: 'listed' };
  }

  /** Record that `kind` was read in `namespace` only (live sources reading narrowly). */
  markScope(kind: KindName, namespace: string): void {
    let set = this.scopes.get(kind);
    if (!set) this.scopes.set(kind, (set = new Set()));
    set.add(namespace);
  }

  /** Whether objects of `kind` in `namespace` are fully known, and if not, why. */
  coverage(kind: KindName, namespace: string): { complete: true } | { complete: false; known: boolean; why: string } {
    const s = this.state(kind);
    const plural = KINDS[kind].plural;
    switch (s.state) {
      case 'not-served':
        return { complete: true };
      case 'forbidden':
        return { complete: false, known: false, why: `${plural} could not be read (${s.detail})` };
      case 'error':
        return { complete: false, known: false, why: `${plural} could not be read (${s.detail})` };
      case 'absent':
        return { complete: false, known: false, why: `no ${plural} in the input` };
      case 'unread':
        return { complete: false, known: false, why: s.detail };
      case 'listed': {
        const scope = this.scopes.get(kind);
        if (scope && KINDS[kind].namespaced && !scope.has(namespace)) return { complete: false, known: false, why: `${plural} in namespace ${namespace} were not read` };
        return { complete: true };
      }
    }
  }

  get<K extends KindName>(kind: K, namespace: string, name: string): ObjectsByKind[K] | undefined {
    return this.byKind.get(kind)?.get(KINDS[kind].namespaced ? namespace : '')?.get(name) as ObjectsByKind[K] | undefined;
  }

  /** A referenced object, or whether its absence is certain (known) or only means we could not see it. */
  lookup<K extends KindName>(kind: K, namespace: string, name: string): Lookup<ObjectsByKind[K]> {
    const obj = this.get(kind, namespace, name);
    if (obj) return { found: true, obj };
    const where = KINDS[kind].namespaced ? `${namespace}/${name}` : name;
    const cov = this.coverage(kind, namespace);
    if (cov.complete) {
      const s = this.state(kind);
      const inFiles = this.source.type === 'files' ? ' in the input' : '';
      return { found: false, known: true, why: s.state === 'not-served' ? `${kind} ${where} cannot exist: ${s.detail}` : `${kind} ${where} not found${inFiles}` };
    }
    let names = this.unresolved.get(kind);
    if (!names) this.unresolved.set(kind, (names = new Set()));
    names.add(`${kind} ${where}`);
    return { found: false, known: false, why: `${kind} ${where} could not be checked: ${cov.why}` };
  }

  list<K extends KindName>(kind: K, namespace?: string): Array<ObjectsByKind[K]> {
    const byNs = this.byKind.get(kind);
    if (!byNs) return [];
    if (namespace !== undefined) return [...(byNs.get(KINDS[kind].namespaced ? namespace : '')?.values() ?? [])] as Array<ObjectsByKind[K]>;
    const out: AnyObject[] = [];
    for (const m of byNs.values()) for (const o of m.values()) out.push(o);
    return out as Array<ObjectsByKind[K]>;
  }

  count(kind: KindName): number {
    let n = 0;
    for (const m of this.byKind.get(kind)?.values() ?? []) n += m.size;
    return n;
  }

  /** Objects of a kind grouped by a key, built once per snapshot (e.g. EndpointSlices by namespace/service). */
  indexBy<K extends KindName>(kind: K, name: string, keys: (obj: ObjectsByKind[K]) => string[]): (key: string) => Array<ObjectsByKind[K]> {
    const id = `${kind}:${name}`;
    let index = this.indexes.get(id);
    if (!index) {
      index = new Map();
      for (const obj of this.list(kind)) {
        for (const key of keys(obj)) {
          let bucket = index.get(key);
          if (!bucket) index.set(key, (bucket = []));
          bucket.push(obj);
        }
      }
      this.indexes.set(id, index);
    }
    const built = index;
    return (key) => (built.get(key) ?? []) as Array<ObjectsByKind[K]>;
  }
}
