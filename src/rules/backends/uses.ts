// Route backendRefs with the Gateway listener they are reached through (when the route is attached), and the
// words and patches every backend rule needs.
import { identity } from '../../fixes/builders.ts';
import type { RouteObject } from '../../cluster/objects.ts';
import type { ResolvedBackend } from '../../graph/backends.ts';
import type { GatewayModel, ListenerModel, Model, RouteModel } from '../../graph/model.ts';

/** Where a finding belongs in the report: spread into FindingInput. */
export type Placement = { gateway: GatewayModel; listener: ListenerModel } | Record<string, never>;

export interface BackendUse {
  route: RouteModel;
  backend: ResolvedBackend;
  /** The first listener the route is attached to, or selected by, if any. */
  at: Placement;
}

export function* backendUses(model: Model): Generator<BackendUse> {
  for (const route of model.routes) {
    const at = reachedThrough(model, route);
    for (const backend of route.backends) yield { route, backend, at };
  }
}

const placements = new WeakMap<Model, Map<RouteModel, Placement>>();

/** The listener a route is attached to (accepted first), for grouping findings under it. */
export function reachedThrough(model: Model, route: RouteModel): Placement {
  let index = placements.get(model);
  if (!index) {
    const built = new Map<RouteModel, { gateway: GatewayModel; listener: ListenerModel; accepted: boolean }>();
    for (const gateway of model.gateways) {
      for (const listener of gateway.listeners) {
        for (const a of listener.attachments) {
          const seen = built.get(a.route);
          if (!seen || (!seen.accepted && a.result.accepted)) built.set(a.route, { gateway, listener, accepted: a.result.accepted });
        }
      }
    }
    index = new Map([...built].map(([r, { gateway, listener }]) => [r, { gateway, listener }]));
    placements.set(model, index);
  }
  return index.get(route) ?? {};
}

export function routeLabel(route: RouteObject): string {
  return `${route.kind} ${route.meta.namespace}/${route.meta.name}`;
}

export function backendRefField(b: ResolvedBackend): string {
  return `spec.rules[${b.rule}].backendRefs[${b.index}]`;
}

export function backendRefLabel(b: ResolvedBackend): string {
  const kind = b.ref.group && b.ref.group !== '' ? `${b.ref.kind}.${b.ref.group}` : b.ref.kind;
  return `${kind} ${b.ref.namespace}/${b.ref.name}${b.ref.port !== undefined ? `:${b.ref.port}` : ''}`;
}

/** What clients see when a backendRef cannot be used (HTTPRoute godoc: 500; L4 routes: connection rejected). */
export function failureConsequence(route: RouteObject): string {
  return route.kind === 'HTTPRoute' || route.kind === 'GRPCRoute' ? 'requests for that rule get HTTP 500' : 'connections for that rule are rejected';
}

/** Apply configuration replacing one backendRef of a route (rules and backendRefs are atomic lists). */
export function routeBackendRefPatch(route: RouteObject, rule: number, index: number, replacement: Record<string, unknown>): object {
  return routeBackendRefsPatch(route, [{ rule, index, ref: replacement }]);
}

/** Apply configuration replacing several backendRefs of a route at once. */
export function routeBackendRefsPatch(route: RouteObject, replacements: Array<{ rule: number; index: number; ref: Record<string, unknown> }>): object {
  const spec = (route.raw.spec ?? {}) as Record<string, unknown>;
  const rules = Array.isArray(spec.rules) ? structuredClone(spec.rules as Array<Record<string, unknown>>) : [];
  for (const { rule, index, ref } of replacements) {
    const r = rules[rule] ?? {};
    const refs = Array.isArray(r.backendRefs) ? (r.backendRefs as Array<Record<string, unknown>>) : [];
    refs[index] = ref;
    r.backendRefs = refs;
    rules[rule] = r;
  }
  return { ...identity(route), spec: { rules } };
}

/** A backendRef as written, for patches that change one of its fields. */
export function rawBackendRef(route: RouteObject, rule: number, index: number): Record<string, unknown> {
  const spec = (route.raw.spec ?? {}) as Record<string, unknown>;
  const rules = Array.isArray(spec.rules) ? (spec.rules as Array<Record<string, unknown>>) : [];
  const refs = rules[rule]?.backendRefs;
  return structuredClone((Array.isArray(refs) ? (refs[index] as Record<string, unknown> | undefined) : undefined) ?? {});
}
