/**
 * test/oracle/known-differences.yaml: every disagreement between the tool and egctl that is not the tool's
 * fault, each with its reason. An entry matches a difference by input set, input name, fact key and the two
 * values (regular expressions), and optionally by a predicate on the input documents (`when`).
 */
import { readFileSync } from 'node:fs';
import * as yaml from 'js-yaml';
import type { Doc } from './input.ts';

export interface Difference {
  set: string;
  input: string;
  key: string;
  tool: string | undefined;
  oracle: string | undefined;
}

export interface KnownDifference {
  id: string;
  reason: string;
  sets?: string[];
  input?: string;
  key?: string;
  tool?: string;
  oracle?: string;
  /** Predicates that must all hold (PREDICATES). */
  when?: string[];
}

const rec = (v: unknown): Record<string, unknown> => (v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {});

function gatewayListeners(docs: Doc[], ns: string, name: string): Array<Record<string, unknown>> {
  const gw = docs.find((d) => d.kind === 'Gateway' && rec(d.metadata).name === name && (rec(d.metadata).namespace ?? 'default') === ns);
  return Array.isArray(rec(gw?.spec).listeners) ? (rec(gw?.spec).listeners as unknown[]).map(rec) : [];
}

const selects = (l: Record<string, unknown>) => rec(rec(l.allowedRoutes).namespaces).from === 'Selector';

/** Predicates on the input documents (and the difference) an entry may require. */
export const PREDICATES: Record<string, (docs: Doc[], d: Difference) => boolean> = {
  /**
   * The difference is about a route egctl refuses (NotAllowedByListeners) on a listener that admits routes by
   * namespace label selector, or that listener's attachedRoutes (lower in egctl's count).
   */
  'namespace-selector': (docs, d) => {
    const route = /^Route \S+ ([^/\s]+)\/\S+ -> ([^/\s]+)\/([^#:\s]+)(?:#([^:\s]+))?(?::(\d+))?$/.exec(d.key);
    if (route) {
      const [, , gwNs, gw, section, port] = route;
      if (!/NotAllowedByListeners/.test(d.oracle ?? '')) return false;
      return gatewayListeners(docs, gwNs!, gw!).some((l) => selects(l) && (!section || l.name === section) && (!port || String(l.port) === port));
    }
    const listener = /^Listener ([^/\s]+)\/([^/\s]+)\/(\S+) attachedRoutes$/.exec(d.key);
    if (listener) {
      const [, gwNs, gw, name] = listener;
      return Number(d.oracle) < Number(d.tool) && gatewayListeners(docs, gwNs!, gw!).some((l) => l.name === name && selects(l));
    }
    return false;
  },
  /** The Envoy Gateway startup config in the input turns the Backend API off. */
  'backend-api-off': (docs) => docs.some((d) => d.kind === 'ConfigMap' && rec(d.metadata).name === 'envoy-gateway-config' && /enableBackend:\s*false/.test(String(rec(d.data)['envoy-gateway.yaml'] ?? ''))),
  /** The input holds no Envoy Gateway startup config: whether the Backend API is on is not in the input. */
  'no-envoy-gateway-config': (docs) => !docs.some((d) => d.kind === 'ConfigMap' && rec(d.metadata).name === 'envoy-gateway-config'),
  /** No Secret objects at all: the tool does not assume a referenced Secret is missing. */
  'no-secrets': (docs) => !docs.some((d) => d.kind === 'Secret'),
  /**
   * The tool predicts less than egctl wrote, nothing else: every condition it predicts is among egctl's (it
   * abstained on the rest), or it predicts nothing for the object.
   */
  'tool-subset': (_docs, d) => {
    const tool = (d.tool ?? '').split(' ').filter(Boolean);
    const oracle = new Set((d.oracle ?? '').split(' ').filter(Boolean));
    return tool.every((c) => oracle.has(c)) && tool.length < oracle.size;
  },
  /** No Service objects at all: the tool does not assume a referenced Service is missing. */
  'no-services': (docs) => !docs.some((d) => d.kind === 'Service'),
  /** No ConfigMap objects at all: the tool does not assume a referenced ConfigMap is missing. */

  'no-configmaps': (docs) => !docs.some((d) => d.kind === 'ConfigMap'),
};

export function loadKnownDifferences(path: string): KnownDifference[] {
  const doc = rec(yaml.load(readFileSync(path, 'utf8')));
  const list = Array.isArray(doc.differences) ? doc.differences.map(rec) : [];
  return list.map((e, i) => {
    const id = typeof e.id === 'string' ? e.id : '';
    const reason = typeof e.reason === 'string' ? e.reason.trim() : '';
    if (!id || !reason) throw new Error(`${path}: differences[${i}] needs an id and a reason`);
    const when = typeof e.when === 'string' ? [e.when] : Array.isArray(e.when) ? e.when.map(String) : [];
    for (const w of when) if (!PREDICATES[w]) throw new Error(`${path}: ${id}: unknown predicate ${w} (known: ${Object.keys(PREDICATES).join(', ')})`);
    const out: KnownDifference = { id, reason };
    if (Array.isArray(e.sets)) out.sets = e.sets.map(String);
    if (when.length) out.when = when;
    for (const f of ['input', 'key', 'tool', 'oracle'] as const) if (typeof e[f] === 'string') out[f] = e[f];
    return out;
  });
}

function test(pattern: string | undefined, value: string | undefined): boolean {
  if (pattern === undefined) return true;
  return new RegExp(pattern).test(value ?? '(none)');
}

export function explain(d: Difference, docs: Doc[], known: KnownDifference[]): KnownDifference | undefined {
  return known.find(
    (k) =>
      (!k.sets || k.sets.includes(d.set)) &&
      test(k.input, d.input) &&
      test(k.key, d.key) &&
      test(k.tool, d.tool) &&
      test(k.oracle, d.oracle) &&
      (k.when ?? []).every((w) => PREDICATES[w]!(docs, d)),
  );
}
