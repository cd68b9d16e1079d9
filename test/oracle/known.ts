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
  when?: string;
}

const rec = (v: unknown): Record<string, unknown> => (v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {});

/** Predicates on the input documents an entry may require. */
export const PREDICATES: Record<string, (docs: Doc[]) => boolean> = {
  /** A listener admits routes by namespace label selector. */
  'namespace-selector': (docs) =>
    docs.some((d) => d.kind === 'Gateway' && (rec(d.spec).listeners as unknown[] | undefined)?.some((l) => rec(rec(rec(l).allowedRoutes).namespaces).from === 'Selector')),
  /** The Envoy Gateway startup config turns the Backend API off. */
  'backend-api-off': (docs) => docs.some((d) => d.kind === 'ConfigMap' && rec(d.metadata).name === 'envoy-gateway-config' && /enableBackend:\s*false/.test(String(rec(d.data)['envoy-gateway.yaml'] ?? ''))),
  /** No Secret objects at all: the tool does not assume a referenced Secret is missing. */
  'no-secrets': (docs) => !docs.some((d) => d.kind === 'Secret'),
  /** No ConfigMap objects at all. */
  'no-configmaps': (docs) => !docs.some((d) => d.kind === 'ConfigMap'),
};

export function loadKnownDifferences(path: string): KnownDifference[] {
  const doc = rec(yaml.load(readFileSync(path, 'utf8')));
  const list = Array.isArray(doc.differences) ? doc.differences.map(rec) : [];
  return list.map((e, i) => {
    const id = typeof e.id === 'string' ? e.id : '';
    const reason = typeof e.reason === 'string' ? e.reason.trim() : '';
    if (!id || !reason) throw new Error(`${path}: differences[${i}] needs an id and a reason`);
    if (typeof e.when === 'string' && !PREDICATES[e.when]) throw new Error(`${path}: ${id}: unknown predicate ${e.when} (known: ${Object.keys(PREDICATES).join(', ')})`);
    const out: KnownDifference = { id, reason };
    if (Array.isArray(e.sets)) out.sets = e.sets.map(String);
    for (const f of ['input', 'key', 'tool', 'oracle', 'when'] as const) if (typeof e[f] === 'string') out[f] = e[f];
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
      (!k.when || PREDICATES[k.when]!(docs)),
  );
}
