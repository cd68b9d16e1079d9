// Server-side apply, as far as the objects this tool fixes need it, on manifests held in memory: an apply
// configuration is merged into the object with the same group, kind, namespace and name (any version); maps
// merge key by key; lists declared `x-kubernetes-list-type: map` in the CRDs merge by their keys; every other
// list is atomic and replaced. Used to re-evaluate files after a fix and by the rule tests.
import { groupOf } from '../cluster/kinds.ts';

type Raw = Record<string, unknown>;

/** Field paths (from the object root) of map-lists and their keys, per kind. */
const LIST_MAP_KEYS: Record<string, Record<string, string[]>> = {
  Gateway: { 'spec.listeners': ['name'] },
  Service: { 'spec.ports': ['port', 'protocol'] },
};

function isMap(x: unknown): x is Raw {
  return x !== null && typeof x === 'object' && !Array.isArray(x);
}

function identity(o: Raw, defaultNamespace: string): string {
  const m = isMap(o.metadata) ? o.metadata : {};
  return `${groupOf(String(o.apiVersion ?? ''))}|${String(o.kind ?? '')}|${String(m.namespace ?? defaultNamespace)}|${String(m.name ?? '')}`;
}

function mergeValue(base: unknown, patch: unknown, kind: string, path: string): unknown {
  if (isMap(base) && isMap(patch)) {
    const out: Raw = { ...base };
    for (const [k, v] of Object.entries(patch)) {
      if (v === null) Reflect.deleteProperty(out, k);
      else out[k] = k in base ? mergeValue(base[k], v, kind, path ? `${path}.${k}` : k) : v;
    }
    return out;
  }
  if (Array.isArray(base) && Array.isArray(patch)) {
    const keys = LIST_MAP_KEYS[kind]?.[path];
    if (!keys) return patch;
    const keyOf = (item: unknown) => (isMap(item) ? keys.map((k) => String(item[k] ?? '')).join('|') : '');
    const out = [...base];
    for (const item of patch) {
      const i = out.findIndex((b) => keyOf(b) === keyOf(item));
      if (i >= 0) out[i] = mergeValue(out[i], item, kind, `${path}[]`);
      else out.push(item);
    }
    return out;
  }
  return patch;
}

/**
 * Applies a set of apply configurations to a set of objects; returns the new set. Objects without a
 * namespace take `defaultNamespace`, as kubectl does.
 */
export function applyConfigurations(objects: Raw[], configurations: Raw[], defaultNamespace = 'default'): Raw[] {
  const out = objects.map((o) => structuredClone(o));
  for (const cfg of configurations) {
    const id = identity(cfg, defaultNamespace);
    const i = out.findIndex((o) => identity(o, defaultNamespace) === id);
    if (i < 0) {
      out.push(structuredClone(cfg));
    } else {
      const merged = mergeValue(out[i], cfg, String(cfg.kind), '') as Raw;
      // Apply at the version the configuration names (the API server converts; manifests simply change).
      merged.apiVersion = cfg.apiVersion;
      out[i] = merged;
    }
  }
  return out;
}
