// The `listenerset-*` cases of the Gateway API v1.6.1 conformance suite as fixtures: the manifests as the shared
// loader prepares them (loader.ts), judged offline, against what each Go test requires a conformant
// implementation to write (sigs.k8s.io/gateway-api/conformance@v1.6.1 tests/listenerset-*.go; the table below is
// written by hand from them, test name as the source). Checked: the Gateway's attachedListenerSets, each
// ListenerSet's Accepted (and Programmed when refused), each ListenerSet listener's Conflicted / ResolvedRefs /
// accepted state and attachedRoutes, and each route parentRef's Accepted, through the report the tool prints.
import { beforeAll, describe, expect, it } from 'vitest';
import { listenerInvalidity } from '../../src/graph/listener-sets.ts';
import type { ListenerModel } from '../../src/graph/model.ts';
import { GENERIC_PROFILE as PROFILE, INFRA, judge } from './judge.ts';
import { loadConformance, type ConformanceCase } from './loader.ts';

/** A listener of a ListenerSet: accepted (generateAcceptedListenerConditions), or refused with a condition. */
type ListenerExpectation = { accepted: true; attachedRoutes?: number } | { conflicted: 'HostnameConflict' | 'ProtocolConflict' } | { resolvedRefs: 'RefNotPermitted' | 'InvalidRouteKinds' };

interface SetExpectation {
  namespace?: string;
  name: string;
  /** Accepted status (undefined: the test does not check it), and its reason when the test names one ('' = any reason). */
  accepted?: boolean;
  reason: string;
  listeners?: Record<string, ListenerExpectation>;
}

interface CaseExpectation {
  test: string;
  gateway: string;
  /** GatewayMustHaveAttachedListeners; undefined where the test leaves the count open. */
  attachedListenerSets?: number;
  /** The Gateway's own listeners the test requires accepted (no conflict). */
  gatewayListeners?: string[];
  sets: SetExpectation[];
  /** Route parentRefs: `ns/route -> Kind ns/name`, Accepted status and reason ('' = any). */
  parents?: Array<{ route: string; parent: string; accepted: boolean; reason?: string }>;
}

const accepted = (attachedRoutes?: number): ListenerExpectation => (attachedRoutes === undefined ? { accepted: true } : { accepted: true, attachedRoutes });

const TABLE: Record<string, CaseExpectation> = {
  'listenerset-allowed-namespace-none': {
    test: 'ListenerSetAllowedNamespaceNone',
    gateway: 'gateway-does-not-allow-listenerset',
    attachedListenerSets: 0,
    sets: [{ name: 'listenerset-not-allowed', accepted: false, reason: 'NotAllowed' }],
  },
  'listenerset-default-not-allowed': {
    test: 'ListenerSetDefaultNotAllowed',
    gateway: 'gateway-default-does-not-allow-listenerset',
    attachedListenerSets: 0,
    sets: [{ name: 'listenerset-default-not-allowed', accepted: false, reason: 'NotAllowed' }],
  },
  'listenerset-allowed-namespace-same': {
    test: 'ListenerSetAllowedNamespaceSame',
    gateway: 'gateway-allows-listenerset-in-same-namespace',
    attachedListenerSets: 1,
    sets: [
      { name: 'listenerset-in-same-namespace', accepted: true, reason: 'Accepted', listeners: { 'listenerset-in-same-namespace-listener': accepted() } },
      { namespace: 'gateway-api-listenerset-not-allowed-ns', name: 'listenerset-in-different-namespace', accepted: false, reason: 'NotAllowed' },
    ],
  },
  'listenerset-allowed-namespace-selector': {
    test: 'ListenerSetAllowedNamespaceSelector',
    gateway: 'gateway-allows-listenerset-in-selected-namespace',
    attachedListenerSets: 1,
    sets: [
      { namespace: 'gateway-api-listenerset-selector-allowed-ns', name: 'listenerset-in-selected-namespace', accepted: true, reason: 'Accepted', listeners: { 'listenerset-in-selected-namespace-listener': accepted() } },
      { namespace: 'gateway-api-listenerset-selector-not-allowed-ns', name: 'listenerset-not-in-selected-namespace', accepted: false, reason: 'NotAllowed' },
    ],
  },
  'listenerset-allowed-routes-namespaces': {
    test: 'ListenerSetAllowedRoutesNamespaces',
    gateway: 'gateway-with-listener-sets-test-allowed-routes',
    attachedListenerSets: 2,
    sets: [
      {
        name: 'listenerset-test-allowed-routes-namespaces',
        accepted: true,
        reason: '',
        listeners: { 'listener-set-listener-allowed-routes-all': accepted(3), 'listener-set-listener-allowed-routes-same': accepted(1), 'listener-set-listener-allowed-routes-selector': accepted(1) },
      },
      { namespace: 'gateway-api-ls-cross-ns', name: 'listenerset-test-allowed-routes-cross-ns', accepted: true, reason: '', listeners: { 'listener-set-listener-allowed-routes-cross-ns-same': accepted(1) } },
    ],
    parents: [
      { route: `${INFRA}/route-in-same-namespace`, parent: `ListenerSet ${INFRA}/listenerset-test-allowed-routes-namespaces`, accepted: true },
      { route: 'gateway-api-routes-allowed-ns/route-in-selected-namespace', parent: `ListenerSet ${INFRA}/listenerset-test-allowed-routes-namespaces`, accepted: true },
      { route: 'gateway-api-routes-not-allowed-ns/route-not-in-selected-namespace', parent: `ListenerSet ${INFRA}/listenerset-test-allowed-routes-namespaces`, accepted: true },
      { route: 'gateway-api-ls-cross-ns/route-in-listenerset-namespace', parent: 'ListenerSet gateway-api-ls-cross-ns/listenerset-test-allowed-routes-cross-ns', accepted: true },
      { route: `${INFRA}/route-in-gateway-namespace`, parent: 'ListenerSet gateway-api-ls-cross-ns/listenerset-test-allowed-routes-cross-ns', accepted: false, reason: 'NotAllowedByListeners' },
    ],
  },
  'listenerset-allowed-routes-supported-kinds': {
    test: 'ListenerSetAllowedRoutesSupportedKinds',
    gateway: 'gateway-with-listener-sets-test-supported-route-kinds',
    sets: [{ name: 'listenerset-test-allowed-routes-supported-kinds', reason: '', listeners: { 'listener-set-listener-allowed-routes-tls-only': { resolvedRefs: 'InvalidRouteKinds' } } }],
  },
  'listenerset-dual-parentref-independence': {
    test: 'ListenerSetDualParentRefIndependence',
    gateway: 'gateway-dual-parentref',
    attachedListenerSets: 1,
    sets: [{ name: 'ls-dual-parentref', accepted: true, reason: '', listeners: { 'ls-dual-parentref-listener': accepted(2) } }],
    parents: [
      { route: `${INFRA}/route-dual-parentref-both`, parent: `Gateway ${INFRA}/gateway-dual-parentref`, accepted: true },
      { route: `${INFRA}/route-dual-parentref-both`, parent: `ListenerSet ${INFRA}/ls-dual-parentref`, accepted: true },
      { route: `${INFRA}/route-dual-parentref-one`, parent: `Gateway ${INFRA}/gateway-dual-parentref`, accepted: false, reason: 'NoMatchingParent' },
      { route: `${INFRA}/route-dual-parentref-one`, parent: `ListenerSet ${INFRA}/ls-dual-parentref`, accepted: true },
    ],
  },
  'listenerset-gateway-parent-section-name-not-found': {
    test: 'ListenerSetGatewayParentSectionNameNotFound',
    gateway: 'gateway-section-name',
    attachedListenerSets: 1,
    sets: [{ name: 'listenerset-section-name', accepted: true, reason: '', listeners: { 'ls-only-listener': accepted(1) } }],
    parents: [
      { route: `${INFRA}/route-via-listenerset`, parent: `ListenerSet ${INFRA}/listenerset-section-name`, accepted: true },
      { route: `${INFRA}/route-via-gateway`, parent: `Gateway ${INFRA}/gateway-section-name`, accepted: false, reason: 'NoMatchingParent' },
    ],
  },
  'listenerset-hostname-conflict': {
    test: 'ListenerSetHostnameConflict',
    gateway: 'gateway-with-listenerset-hostname-conflict',
    attachedListenerSets: 2,
    gatewayListeners: ['gateway-listener', 'hostname-conflict-with-gateway-listener'],
    sets: [
      {
        name: 'listenerset-with-hostname-conflict-with-gateway-1',
        accepted: true,
        reason: '',
        listeners: { 'listener-set-1-listener': accepted(), 'hostname-conflict-with-gateway-listener': { conflicted: 'HostnameConflict' }, 'hostname-conflict-with-listener-set-listener': accepted() },
      },
      { name: 'listenerset-with-hostname-conflict-with-gateway-2', accepted: false, reason: 'ListenersNotValid', listeners: { 'hostname-conflict-with-gateway-listener': { conflicted: 'HostnameConflict' } } },
      { name: 'listenerset-with-hostname-conflict-with-listener-set-1', accepted: true, reason: '', listeners: { 'listener-set-2-listener': accepted(), 'hostname-conflict-with-listener-set-listener': { conflicted: 'HostnameConflict' } } },
      { name: 'listenerset-with-hostname-conflict-with-listener-set-2', accepted: false, reason: 'ListenersNotValid', listeners: { 'hostname-conflict-with-listener-set-listener': { conflicted: 'HostnameConflict' } } },
    ],
  },
  'listenerset-protocol-conflict': {
    test: 'ListenerSetProtocolConflict',
    gateway: 'gateway-with-listenerset-protocol-conflict',
    attachedListenerSets: 2,
    gatewayListeners: ['gateway-listener', 'protocol-conflict-with-gateway-listener'],
    sets: [
      {
        name: 'listenerset-with-protocol-conflict-with-gateway-1',
        accepted: true,
        reason: '',
        listeners: { 'listener-set-1-listener': accepted(), 'protocol-conflict-with-gateway-listener': { conflicted: 'ProtocolConflict' }, 'protocol-conflict-with-listener-set-listener': accepted() },
      },
      { name: 'listenerset-with-protocol-conflict-with-gateway-2', accepted: false, reason: 'ListenersNotValid', listeners: { 'protocol-conflict-with-gateway-listener': { conflicted: 'ProtocolConflict' } } },
      { name: 'listenerset-with-protocol-conflict-with-listener-set-1', accepted: true, reason: '', listeners: { 'listener-set-2-listener': accepted(), 'protocol-conflict-with-listener-set-listener': { conflicted: 'ProtocolConflict' } } },
      { name: 'listenerset-with-protocol-conflict-with-listener-set-2', accepted: false, reason: 'ListenersNotValid', listeners: { 'protocol-conflict-with-listener-set-listener': { conflicted: 'ProtocolConflict' } } },
    ],
  },
  'listenerset-http-routing': {
    test: 'ListenerSetHTTPRouting',
    gateway: 'gateway-with-listener-sets-http-routing',
    attachedListenerSets: 2,
    sets: [
      { name: 'listener-set-http-routing-1', accepted: true, reason: '', listeners: { 'listener-set-http-routing-1-listener-1': accepted(3), 'listener-set-http-routing-1-listener-2': accepted(2) } },
      { name: 'listener-set-http-routing-2', accepted: true, reason: '', listeners: { 'listener-set-http-routing-2-listener-1': accepted(2), 'listener-set-http-routing-2-listener-2': accepted(2) } },
    ],
    parents: [
      ...['attaches-to-all-listeners', 'gateway-route', 'gateway-section-route'].map((r) => ({ route: `${INFRA}/${r}`, parent: `Gateway ${INFRA}/gateway-with-listener-sets-http-routing`, accepted: true })),
      ...['attaches-to-all-listeners', 'listener-set-http-routing-1-route', 'listener-set-http-routing-1-section-route'].map((r) => ({ route: `${INFRA}/${r}`, parent: `ListenerSet ${INFRA}/listener-set-http-routing-1`, accepted: true })),
      ...['attaches-to-all-listeners', 'listener-set-http-routing-2-route'].map((r) => ({ route: `${INFRA}/${r}`, parent: `ListenerSet ${INFRA}/listener-set-http-routing-2`, accepted: true })),
    ],
  },
  'listenerset-reference-grant': {
    test: 'ListenerSetReferenceGrant',
    gateway: 'gateway-with-listener-sets-test-reference-grant',
    sets: [
      { name: 'listenerset-with-reference-grant', accepted: true, reason: '', listeners: { 'listenerset-with-reference-grant-listener': accepted() } },
      { namespace: 'gateway-api-listener-sets-test-reference-grant-ns', name: 'listenerset-without-reference-grant', accepted: false, reason: 'ListenersNotValid', listeners: { 'listenerset-without-reference-grant-listener': { resolvedRefs: 'RefNotPermitted' } } },
    ],
  },
  'listenerset-route-status-scoped-to-parentref': {
    test: 'ListenerSetRouteStatusScopedToParentRef',
    gateway: 'gateway-parentref',
    attachedListenerSets: 1,
    sets: [{ name: 'listenerset-parentref', accepted: true, reason: '', listeners: { 'listenerset-parentref-listener': accepted(1) } }],
    parents: [
      { route: `${INFRA}/route-parentref-gwonly`, parent: `Gateway ${INFRA}/gateway-parentref`, accepted: true },
      { route: `${INFRA}/route-parentref-lsonly`, parent: `ListenerSet ${INFRA}/listenerset-parentref`, accepted: true },
    ],
  },
};

let cases: ConformanceCase[] = [];
let skip = '';

beforeAll(async () => {
  const result = await loadConformance(PROFILE);
  if ('skip' in result) {
    skip = result.skip;
    console.warn(`[conformance] skipping the ListenerSet conformance fixtures: ${skip}`);
  } else cases = result.cases.filter((c) => c.name.startsWith('listenerset-'));
}, 600_000);

/** What the model says a conformant controller writes on a ListenerSet listener. */
function listenerState(lm: ListenerModel): ListenerExpectation {
  if (lm.conflict) return { conflicted: lm.conflict.reason };
  if (lm.certRefs.some((r) => r.state === 'not-permitted')) return { resolvedRefs: 'RefNotPermitted' };
  if (lm.kinds.invalid.length > 0) return { resolvedRefs: 'InvalidRouteKinds' };
  expect(listenerInvalidity(lm)).toBeUndefined();
  return { accepted: true, attachedRoutes: new Set(lm.attachments.filter((a) => a.result.accepted).map((a) => a.route)).size };
}

describe('the listenerset-* conformance manifests (Gateway API v1.6.1) judged offline', () => {
  it('are all in the table, and the table names no case the module lacks', () => {
    if (skip) return;
    expect(cases.map((c) => c.name).sort()).toEqual(Object.keys(TABLE).sort());
  });

  for (const [name, want] of Object.entries(TABLE)) {
    it(`${name} (${want.test})`, async () => {
      if (skip) return;
      const c = cases.find((x) => x.name === name);
      expect(c, name).toBeDefined();
      const { model, report } = await judge(c!);
      const gm = model.gateways.find((g) => g.obj.meta.namespace === INFRA && g.obj.meta.name === want.gateway)!;
      const gr = report.gateways.find((g) => g.namespace === INFRA && g.name === want.gateway)!;
      expect(gm, want.gateway).toBeDefined();
      if (want.attachedListenerSets !== undefined) expect(gr.expectedAttachedListenerSets, 'attachedListenerSets').toBe(want.attachedListenerSets);
      for (const l of want.gatewayListeners ?? []) {
        const lm = gm.listeners.find((x) => !x.set && x.spec.name === l)!;
        expect(lm.conflict, `Gateway listener ${l}`).toBeUndefined();
      }
      for (const s of want.sets) {
        const ns = s.namespace ?? INFRA;
        const lsr = gr.listenerSets?.find((x) => x.namespace === ns && x.name === s.name);
        expect(lsr, `ListenerSet ${ns}/${s.name} in the report`).toBeDefined();
        if (s.accepted !== undefined) expect(lsr!.accepted, `ListenerSet ${ns}/${s.name} Accepted`).toBe(s.accepted);
        if (s.reason) expect(lsr!.reason, `ListenerSet ${ns}/${s.name} reason`).toBe(s.reason);
        if (s.accepted === false && s.reason) expect(lsr!.expectedConditions).toEqual([{ type: 'Accepted', status: 'False', reason: s.reason }, { type: 'Programmed', status: 'False', reason: s.reason }]);
        const lsm = gm.listenerSets.find((x) => x.obj.meta.namespace === ns && x.obj.meta.name === s.name)!;
        for (const [l, expected] of Object.entries(s.listeners ?? {})) {
          const lm = lsm.listeners.find((x) => x.spec.name === l)!;
          const got = listenerState(lm);
          if ('accepted' in expected && expected.attachedRoutes === undefined && 'attachedRoutes' in got) delete (got as { attachedRoutes?: number }).attachedRoutes;
          expect(got, `${ns}/${s.name} listener ${l}`).toEqual(expected);
          // Merged into the Gateway's view with its origin, as `inspect -o json` prints it.
          const lr = gr.listeners.find((x) => x.name === l && x.origin?.kind === 'ListenerSet' && x.origin.namespace === ns && x.origin.name === s.name);
          expect(lr, `${ns}/${s.name} listener ${l} in the Gateway's report`).toBeDefined();
          if ('conflicted' in expected) expect(lr!.conflict?.reason).toBe(expected.conflicted);
        }
      }
      for (const p of want.parents ?? []) {
        const [routeNs, routeName] = p.route.split('/');
        const route = model.routes.find((r) => r.obj.meta.namespace === routeNs && r.obj.meta.name === routeName)!;
        expect(route, p.route).toBeDefined();
        const parent = route.parents.find((x) => `${x.ref.kind} ${x.ref.namespace}/${x.ref.name}` === p.parent);
        expect(parent, `${p.route} -> ${p.parent}`).toBeDefined();
        expect(parent!.accepted, `${p.route} -> ${p.parent} Accepted`).toBe(p.accepted);
        if (p.reason) expect(parent!.reason, `${p.route} -> ${p.parent} reason`).toBe(p.reason);
      }
    });
  }
});
