// Attachment semantics (gateway-tls-domain.md §1.6), one spec rule per test.
import { describe, expect, it } from 'vitest';
import { loadManifests } from '../../src/cluster/manifests.ts';
import { buildModel, type Model } from '../../src/graph/model.ts';

async function model(yaml: string): Promise<Model> {
  const { snapshot, errors } = await loadManifests(['-'], 'default', async () => yaml);
  expect(errors).toEqual([]);
  return buildModel(snapshot, { allNamespaces: true }, new Date('2026-06-01T00:00:00Z'));
}

const cls = (controller = 'gateway.envoyproxy.io/gatewayclass-controller') => `apiVersion: gateway.networking.k8s.io/v1
kind: GatewayClass
metadata: {name: c}
spec: {controllerName: ${controller}}
---
`;
const gw = (listeners: string) => `apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: {name: gw, namespace: infra}
spec:
  gatewayClassName: c
  listeners:
${listeners}
---
`;
const route = (kind: string, ns: string, parent: string, hostnames = '') => `apiVersion: gateway.networking.k8s.io/v1
kind: ${kind}
metadata: {name: r, namespace: ${ns}}
spec:
  parentRefs: [${parent}]
  ${hostnames ? `hostnames: [${hostnames}]` : ''}
  rules: [{backendRefs: [{name: s, port: 80}]}]
`;

function parent(m: Model) {
  const p = m.routes[0]!.parents[0]!;
  return { accepted: p.accepted, reason: p.reason, listeners: p.listeners.filter((l) => l.accepted).map((l) => l.listener.name) };
}

const twoListeners = `    - {name: a, protocol: HTTPS, port: 443, hostname: a.example.com, tls: {certificateRefs: [{name: x}]}}
    - {name: b, protocol: HTTPS, port: 8443, hostname: b.example.com, tls: {certificateRefs: [{name: x}]}}`;

describe('parentRefs', () => {
  it("defaults group, kind and namespace (the route's own)", async () => {
    const m = await model(cls() + gw(twoListeners) + route('HTTPRoute', 'infra', '{name: gw}'));
    expect(m.routes[0]!.parents[0]!.ref).toEqual({ group: 'gateway.networking.k8s.io', kind: 'Gateway', namespace: 'infra', name: 'gw' });
  });
  it('attaches to every listener that accepts it when neither sectionName nor port is set', async () => {
    expect(parent(await model(cls() + gw(twoListeners) + route('HTTPRoute', 'infra', '{name: gw}')))).toEqual({ accepted: true, reason: 'Accepted', listeners: ['a', 'b'] });
  });
  it('selects by sectionName (the listener name)', async () => {
    expect(parent(await model(cls() + gw(twoListeners) + route('HTTPRoute', 'infra', '{name: gw, sectionName: b}'))).listeners).toEqual(['b']);
  });
  it('selects by port', async () => {
    expect(parent(await model(cls() + gw(twoListeners) + route('HTTPRoute', 'infra', '{name: gw, port: 8443}'))).listeners).toEqual(['b']);
  });
  it('needs sectionName and port to select the same listener', async () => {
    expect(parent(await model(cls() + gw(twoListeners) + route('HTTPRoute', 'infra', '{name: gw, sectionName: a, port: 8443}')))).toMatchObject({ accepted: false, reason: 'NoMatchingParent' });
  });
  it('says a Gateway in another namespace must be named with namespace', async () => {
    const m = await model(cls() + gw(twoListeners) + route('HTTPRoute', 'apps', '{name: gw}'));
    expect(m.routes[0]!.parents[0]).toMatchObject({ accepted: false, reason: 'GatewayNotFound' });
    expect(m.routes[0]!.parents[0]!.why).toMatch(/a Gateway named gw exists in infra/);
  });
  it('does not analyse non-Gateway parents', async () => {
    const m = await model(cls() + gw(twoListeners) + route('HTTPRoute', 'infra', '{group: "", kind: Service, name: mesh-svc}'));
    expect(m.routes[0]!.parents[0]!.reason).toBe('UnsupportedParent');
  });
});

describe('allowedRoutes.kinds', () => {
  const cases: Array<[string, string, string, boolean]> = [
    ['HTTPS', '', 'HTTPRoute', true],
    ['HTTPS', '', 'GRPCRoute', true],
    ['HTTPS', '', 'TCPRoute', false],
    ['TLS', 'Passthrough', 'TLSRoute', true],
    ['TLS', 'Passthrough', 'TCPRoute', false],
    ['TLS', 'Terminate', 'TCPRoute', true],
    ['TLS', 'Terminate', 'TLSRoute', true],
    ['TCP', '', 'TCPRoute', true],
    ['TCP', '', 'HTTPRoute', false],
    ['UDP', '', 'UDPRoute', true],
    ['HTTP', '', 'HTTPRoute', true],
    ['HTTP', '', 'TLSRoute', false],
  ];
  for (const [protocol, mode, kind, ok] of cases) {
    it(`${protocol}${mode ? `/${mode}` : ''} ${ok ? 'accepts' : 'refuses'} ${kind} by default (Envoy Gateway)`, async () => {
      const tls = protocol === 'HTTPS' || protocol === 'TLS' ? `, tls: {mode: ${mode || 'Terminate'}${mode === 'Passthrough' ? '' : ', certificateRefs: [{name: x}]'}}` : '';
      const hostname = protocol === 'TCP' || protocol === 'UDP' ? '' : ', hostname: a.example.com';
      const m = await model(cls() + gw(`    - {name: l, protocol: ${protocol}, port: 1000${hostname}${tls}}`) + route(kind, 'infra', '{name: gw}', kind === 'TCPRoute' || kind === 'UDPRoute' ? '' : 'a.example.com'));
      expect(parent(m).accepted).toBe(ok);
    });
  }
  it('narrows to allowedRoutes.kinds', async () => {
    const m = await model(cls() + gw('    - {name: l, protocol: TLS, port: 443, tls: {certificateRefs: [{name: x}]}, allowedRoutes: {kinds: [{kind: TLSRoute}]}}') + route('TCPRoute', 'infra', '{name: gw}'));
    expect(parent(m)).toMatchObject({ accepted: false, reason: 'NotAllowedByListeners' });
    expect(m.gateways[0]!.listeners[0]!.kinds).toMatchObject({ allowed: ['TLSRoute'], explicit: true, invalid: [] });
  });
  it('marks kinds the protocol cannot serve as invalid', async () => {
    const m = await model(cls() + gw('    - {name: l, protocol: HTTPS, port: 443, tls: {certificateRefs: [{name: x}]}, allowedRoutes: {kinds: [{kind: TCPRoute}, {kind: HTTPRoute}]}}'));
    expect(m.gateways[0]!.listeners[0]!.kinds).toMatchObject({ allowed: ['HTTPRoute'], invalid: [{ group: 'gateway.networking.k8s.io', kind: 'TCPRoute' }] });
  });
  it('follows the AWS NLB rules: TLSRoute and TCPRoute on TLS whatever the mode; no HTTPS listeners', async () => {
    const nlb = cls('gateway.k8s.aws/nlb');
    expect(parent(await model(nlb + gw('    - {name: l, protocol: TLS, port: 443, tls: {mode: Passthrough}}') + route('TCPRoute', 'infra', '{name: gw}'))).accepted).toBe(true);
    const https = await model(nlb + gw('    - {name: l, protocol: HTTPS, port: 443, tls: {certificateRefs: [{name: x}]}}') + route('HTTPRoute', 'infra', '{name: gw}'));
    expect(parent(https).accepted).toBe(false);
    expect(https.gateways[0]!.listeners[0]!.kinds.unsupportedProtocol).toMatch(/NLB gateway accepts only TCP, UDP and TLS/);
  });
  it('drops TLSRoute on Terminate when the class does not advertise TLSRouteModeTerminate', async () => {
    const withFeatures = `apiVersion: gateway.networking.k8s.io/v1
kind: GatewayClass
metadata: {name: c}
spec: {controllerName: example.com/gw}
status: {supportedFeatures: [{name: Gateway}, {name: TLSRoute}]}
---
`;
    const m = await model(withFeatures + gw('    - {name: l, protocol: TLS, port: 443, tls: {certificateRefs: [{name: x}]}}') + route('TLSRoute', 'infra', '{name: gw}', 'a.example.com'));
    expect(parent(m).accepted).toBe(false);
  });
});

describe('allowedRoutes.namespaces', () => {
  const listener = (ns: string) => `    - {name: l, protocol: HTTP, port: 80, allowedRoutes: {namespaces: ${ns}}}`;
  it('admits only the Gateway namespace with Same (the default)', async () => {
    expect(parent(await model(cls() + gw('    - {name: l, protocol: HTTP, port: 80}') + route('HTTPRoute', 'apps', '{name: gw, namespace: infra}')))).toMatchObject({ accepted: false, reason: 'NotAllowedByListeners' });
    expect(parent(await model(cls() + gw('    - {name: l, protocol: HTTP, port: 80}') + route('HTTPRoute', 'infra', '{name: gw}'))).accepted).toBe(true);
  });
  it('admits every namespace with All', async () => {
    expect(parent(await model(cls() + gw(listener('{from: All}')) + route('HTTPRoute', 'apps', '{name: gw, namespace: infra}'))).accepted).toBe(true);
  });
  it('matches Selector against the Namespace labels', async () => {
    const sel = listener('{from: Selector, selector: {matchLabels: {shared: "yes"}}}');
    const labelled = 'apiVersion: v1\nkind: Namespace\nmetadata: {name: apps, labels: {shared: "yes"}}\n---\n';
    const unlabelled = 'apiVersion: v1\nkind: Namespace\nmetadata: {name: apps}\n---\n';
    expect(parent(await model(cls() + gw(sel) + labelled + route('HTTPRoute', 'apps', '{name: gw, namespace: infra}'))).accepted).toBe(true);
    expect(parent(await model(cls() + gw(sel) + unlabelled + route('HTTPRoute', 'apps', '{name: gw, namespace: infra}')))).toMatchObject({ accepted: false, reason: 'NotAllowedByListeners' });
  });
  it('knows the kubernetes.io/metadata.name label without Namespace objects, and says when labels are unknown', async () => {
    const byName = listener('{from: Selector, selector: {matchExpressions: [{key: kubernetes.io/metadata.name, operator: In, values: [apps]}]}}');
    expect(parent(await model(cls() + gw(byName) + route('HTTPRoute', 'apps', '{name: gw, namespace: infra}'))).accepted).toBe(true);
    const byLabel = listener('{from: Selector, selector: {matchLabels: {shared: "yes"}}}');
    const m = await model(cls() + gw(byLabel) + route('HTTPRoute', 'apps', '{name: gw, namespace: infra}'));
    expect(m.routes[0]!.parents[0]!.listeners[0]!.namespaceAllowed).toBeNull();
    expect(m.routes[0]!.parents[0]!.why).toMatch(/needs the labels of namespace apps/);
  });
});

describe('hostnames', () => {
  it('attaches when listener and route hostnames intersect, with the effective names', async () => {
    const m = await model(cls() + gw('    - {name: l, protocol: HTTPS, port: 443, hostname: "*.example.com", tls: {certificateRefs: [{name: x}]}}') + route('HTTPRoute', 'infra', '{name: gw}', 'shop.example.com, other.org'));
    expect(m.routes[0]!.parents[0]!.listeners[0]!.hostnames).toEqual(['shop.example.com']);
  });
  it('refuses with NoMatchingListenerHostname when they do not', async () => {
    expect(parent(await model(cls() + gw('    - {name: l, protocol: HTTPS, port: 443, hostname: a.example.com, tls: {certificateRefs: [{name: x}]}}') + route('HTTPRoute', 'infra', '{name: gw}', 'b.example.com')))).toMatchObject({
      accepted: false,
      reason: 'NoMatchingListenerHostname',
    });
  });
  it('ignores hostnames for TCPRoute', async () => {
    expect(parent(await model(cls() + gw('    - {name: l, protocol: TLS, port: 443, hostname: a.example.com, tls: {certificateRefs: [{name: x}]}}') + route('TCPRoute', 'infra', '{name: gw}'))).accepted).toBe(true);
  });
});
