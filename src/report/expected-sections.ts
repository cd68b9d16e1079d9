// The report's expectation sections of a Gateway: what the implementation is expected to write on the Gateway,
// every route parentRef that names it (attached or not) and every BackendTLSPolicy ancestor, beside what was
// observed, and the differences between the two.
import type { ParentReference } from '../cluster/objects.ts';
import type { ParentResolution } from '../graph/attach.ts';
import type { GatewayExpectations } from '../graph/expected.ts';
import { routeParentsOf } from '../graph/expected.ts';
import type { GatewayModel, ListenerModel, Model } from '../graph/model.ts';
import { attachedRoutesDifference, statusDifferences } from './status-differences.ts';
import type { Condition, GatewayReport, GatewayRouteReport, PolicyAncestorReport, StatusDifference } from './types.ts';

const PROFILE_WORDS: Record<string, string> = { 'gateway-api': 'the Gateway API spec', 'envoy-gateway': 'Envoy Gateway' };

export function expectationSections(g: GatewayModel, model: Model, expected: GatewayExpectations): Partial<GatewayReport> {
  const profile = PROFILE_WORDS[expected.profile] ?? expected.profile;
  const controller = g.gatewayClass.found ? g.gatewayClass.obj.controllerName : undefined;
  const differences: StatusDifference[] = [];
  const gwName = `Gateway ${g.obj.meta.namespace}/${g.obj.meta.name}`;
  differences.push(...statusDifferences({ object: gwName, observed: g.obj.conditions, expected: expected.gateway, profile, ...(g.obj.meta.generation !== undefined ? { generation: g.obj.meta.generation } : {}) }));

  const routes: GatewayRouteReport[] = routeParentsOf(g, model).map(({ route, parent }) => {
    const r = route.obj;
    const entries = r.parents.filter((p) => sameParent(p.parentRef, parent.ref));
    const mine = entries.filter((p) => !controller || p.controllerName === controller);
    const conditions = mine.flatMap((p) => p.conditions);
    const expectedConditions = expected.parents.get(parent) ?? [];
    const object = `${r.kind} ${r.meta.namespace}/${r.meta.name} parentRefs[${parent.index}]`;
    const others = entries.filter((p) => controller && p.controllerName !== controller).map((p) => p.controllerName);
    differences.push(...statusDifferences({ object, observed: conditions, expected: expectedConditions, profile, ...(r.meta.generation !== undefined ? { generation: r.meta.generation } : {}), ...(others.length ? { otherControllers: others } : {}) }));
    return {
      kind: r.kind,
      apiVersion: r.apiVersion,
      name: r.meta.name,
      namespace: r.meta.namespace,
      parentRef: parentRefReport(parent),
      attached: parent.accepted,
      listeners: parent.listeners.filter((l) => l.accepted).map((l) => l.listener.name),
      reason: parent.reason,
      why: parent.why,
      conditions,
      expectedConditions,
    };
  });

  const backendTLSPolicies: PolicyAncestorReport[] = expected.policies.map(({ policy, ancestor, conditions: expectedConditions }) => {
    const observed = policy.ancestors.filter((a) => sameAncestor(a.ancestorRef, ancestor) && (!controller || a.controllerName === controller));
    const conditions: Condition[] = observed.flatMap((a) => a.conditions);
    const object = `BackendTLSPolicy ${policy.meta.namespace}/${policy.meta.name} ancestor ${ancestor.namespace}/${ancestor.name}${ancestor.sectionName ? ` sectionName ${ancestor.sectionName}` : ''}`;
    differences.push(...statusDifferences({ object, observed: conditions, expected: expectedConditions, profile, ...(policy.meta.generation !== undefined ? { generation: policy.meta.generation } : {}) }));
    return {
      name: policy.meta.name,
      namespace: policy.meta.namespace,
      ancestorRef: { name: ancestor.name, namespace: ancestor.namespace, ...(ancestor.sectionName !== undefined ? { sectionName: ancestor.sectionName } : {}), ...(ancestor.port !== undefined ? { port: ancestor.port } : {}) },
      conditions,
      expectedConditions,
    };
  });

  const out: Partial<GatewayReport> = {
    expectation: { profile: expected.profile, basis: expected.basis },
    expectedConditions: expected.gateway,
    routes,
    backendTLSPolicies,
  };
  if (differences.length) out.statusDifferences = differences;
  return out;
}

export function listenerDifferences(l: ListenerModel, expected: GatewayExpectations): StatusDifference[] {
  const e = expected.listeners.get(l);
  if (!e || !l.status) return [];
  const profile = PROFILE_WORDS[expected.profile] ?? expected.profile;
  // A ListenerSet's listener: its status (and the generation it observed) is the ListenerSet's.
  const owner = l.set?.obj ?? l.gateway.obj;
  const gen = owner.meta.generation;
  const object = `${owner.kind} ${owner.meta.namespace}/${owner.meta.name} listener ${l.spec.name}`;
  const stale = l.status.conditions.some((c) => c.stale === true || (c.observedGeneration !== undefined && gen !== undefined && c.observedGeneration < gen));
  return [
    ...statusDifferences({ object, observed: l.status.conditions, expected: e.conditions, profile, ...(gen !== undefined ? { generation: gen } : {}) }),
    ...attachedRoutesDifference(object, l.status.attachedRoutes, e.attachedRoutes, stale, profile),
  ];
}

function parentRefReport(p: ParentResolution): GatewayRouteReport['parentRef'] {
  return { index: p.index, ...(p.ref.sectionName !== undefined ? { sectionName: p.ref.sectionName } : {}), ...(p.ref.port !== undefined ? { port: p.ref.port } : {}) };
}

function sameParent(a: ParentReference, b: ParentReference): boolean {
  return a.name === b.name && a.namespace === b.namespace && a.kind === b.kind && a.group === b.group && (a.sectionName ?? '') === (b.sectionName ?? '') && (a.port ?? 0) === (b.port ?? 0);
}

function sameAncestor(a: ParentReference, b: ParentReference): boolean {
  return a.name === b.name && a.namespace === b.namespace && (a.sectionName ?? '') === (b.sectionName ?? '') && (a.port ?? 0) === (b.port ?? 0);
}
