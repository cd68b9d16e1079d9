// The pure parts of the differential test (test/oracle): how an input is shaped for egctl, how known
// differences are matched, and that the generated corpus is reproducible from its seed.
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { certificatePool, generateConfig } from '../oracle/corpus.ts';
import { compareFacts } from '../oracle/differential.ts';
import { parseDocuments, prepareInputs } from '../oracle/input.ts';
import { explain, loadKnownDifferences, PREDICATES, type Difference } from '../oracle/known.ts';

const classes = `apiVersion: gateway.networking.k8s.io/v1
kind: GatewayClass
metadata: {name: eg}
spec: {controllerName: gateway.envoyproxy.io/gatewayclass-controller, parametersRef: {group: gateway.envoyproxy.io, kind: EnvoyProxy, name: proxy, namespace: infra}}
---
apiVersion: gateway.networking.k8s.io/v1
kind: GatewayClass
metadata: {name: calico}
spec: {controllerName: gateway.envoyproxy.io/gatewayclass-controller}
---
apiVersion: gateway.networking.k8s.io/v1
kind: GatewayClass
metadata: {name: nlb}
spec: {controllerName: gateway.k8s.aws/nlb}
`;

describe('input preparation for egctl', () => {
  const docs = parseDocuments(`${classes}---
apiVersion: gateway.networking.k8s.io/v1alpha2
kind: TCPRoute
metadata: {name: db}
spec: {parentRefs: [{name: gw}], rules: [{backendRefs: [{name: db, port: 5432}]}]}
---
apiVersion: gateway.networking.k8s.io/v1alpha2
kind: BackendTLSPolicy
metadata: {name: p, namespace: apps}
spec: {targetRef: {group: "", kind: Service, name: app}, tls: {hostname: app.internal, caCertRefs: [{group: "", kind: ConfigMap, name: ca}]}}
---
apiVersion: v1
kind: Service
metadata: {name: db}
spec: {ports: [{port: 5432}]}
---
apiVersion: gateway.k8s.aws/v1beta1
kind: LoadBalancerConfiguration
metadata: {name: lbc, namespace: infra}
spec: {}
---
apiVersion: gateway.envoyproxy.io/v1alpha1
kind: EnvoyProxy
metadata: {name: proxy, namespace: infra}
spec: {}
---
apiVersion: gateway.envoyproxy.io/v1alpha1
kind: EnvoyProxy
metadata: {name: other, namespace: infra}
spec: {}
`);
  const inputs = prepareInputs(docs);

  it('one input per Envoy Gateway class, none for others', () => {
    expect(inputs.map((i) => i.className)).toEqual(['eg', 'calico']);
    expect(inputs[0]!.documents.filter((d) => d.kind === 'GatewayClass')).toHaveLength(1);
  });

  it('writes v1 route kinds, namespaces, parentRef namespaces and cluster IPs; rewrites a v1alpha2 BackendTLSPolicy', () => {
    const d = inputs[0]!.documents;
    const route = d.find((x) => x.kind === 'TCPRoute')!;
    expect(route.apiVersion).toBe('gateway.networking.k8s.io/v1');
    expect((route.metadata as Record<string, unknown>).namespace).toBe('default');
    expect((route.spec as { parentRefs: Array<Record<string, unknown>> }).parentRefs[0]).toEqual({ namespace: 'default', name: 'gw' });
    expect((d.find((x) => x.kind === 'Service')!.spec as Record<string, unknown>).clusterIP).toMatch(/^10\.96\./);
    const policy = d.find((x) => x.kind === 'BackendTLSPolicy')!;
    expect(policy.apiVersion).toBe('gateway.networking.k8s.io/v1');
    expect(policy.spec).toEqual({ targetRefs: [{ group: '', kind: 'Service', name: 'app' }], validation: { caCertificateRefs: [{ group: '', kind: 'ConfigMap', name: 'ca' }], hostname: 'app.internal' } });
  });

  it('drops kinds outside egctl loader and EnvoyProxies the class does not name', () => {
    const kinds = inputs[0]!.documents.map((x) => `${String(x.kind)}/${String((x.metadata as Record<string, unknown>).name)}`);
    expect(kinds).not.toContain('LoadBalancerConfiguration/lbc');
    expect(kinds).toContain('EnvoyProxy/proxy');
    expect(kinds).not.toContain('EnvoyProxy/other');
    expect(inputs[1]!.documents.some((x) => x.kind === 'EnvoyProxy')).toBe(false);
  });
});

describe('known differences', () => {
  const known = loadKnownDifferences(fileURLToPath(new URL('../oracle/known-differences.yaml', import.meta.url)));
  const selector = parseDocuments(`apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: {name: gw, namespace: infra}
spec:
  gatewayClassName: eg
  listeners:
    - {name: l, protocol: HTTP, port: 80, allowedRoutes: {namespaces: {from: Selector, selector: {matchLabels: {team: a}}}}}
    - {name: m, protocol: HTTP, port: 81}
`);
  const diff = (key: string, tool: string, oracle: string): Difference => ({ set: 'corpus', input: 'x', key, tool, oracle });

  it('every entry has an id and a reason', () => {
    expect(known.length).toBeGreaterThan(0);
    for (const k of known) expect(k.reason.length).toBeGreaterThan(40);
  });

  it('explain a namespace-selector refusal only on a selector listener', () => {
    expect(explain(diff('Route HTTPRoute apps/r -> infra/gw#l', 'Accepted=True/Accepted', 'Accepted=False/NotAllowedByListeners'), selector, known)?.id).toBe('egctl-drops-namespace-labels');
    expect(explain(diff('Route HTTPRoute apps/r -> infra/gw#m', 'Accepted=True/Accepted', 'Accepted=False/NotAllowedByListeners'), selector, known)).toBeUndefined();
    expect(explain(diff('Listener infra/gw/l attachedRoutes', '2', '1'), selector, known)?.id).toBe('egctl-drops-namespace-labels');
    expect(explain(diff('Listener infra/gw/l attachedRoutes', '1', '2'), selector, known)).toBeUndefined();
  });

  it('an abstention is a subset of what egctl wrote, nothing else', () => {
    expect(PREDICATES['tool-subset']!([], diff('k', 'Accepted=True/Accepted', 'Accepted=True/Accepted ResolvedRefs=False/BackendNotFound'))).toBe(true);
    expect(PREDICATES['tool-subset']!([], diff('k', 'Accepted=True/Accepted ResolvedRefs=True/ResolvedRefs', 'Accepted=True/Accepted ResolvedRefs=False/BackendNotFound'))).toBe(false);
  });
});

describe('comparison', () => {
  it('compares served certificates and upstream TLS only where egctl programs them', () => {
    const tool = new Map([
      ['Gateway a/gw', 'Accepted=True/Accepted'],
      ['Served a/gw/l', '*>a/s@1'],
      ['Upstream httproute/a/r/rule/0/backend/0', 'plaintext'],
    ]);
    const oracle = new Map([['Gateway a/gw', 'Accepted=True/ListenersNotValid']]);
    const { compared, differences } = compareFacts(tool, oracle, 'seeds', 'x');
    expect(compared).toEqual(['Gateway a/gw']);
    expect(differences.map((d) => d.key)).toEqual(['Gateway a/gw']);
  });
});

describe('generated corpus', () => {
  it('is reproducible from its seed and uses its own namespaces', () => {
    const pool = certificatePool();
    const a = generateConfig(7, 1, pool);
    const b = generateConfig(7, 1, pool);
    expect(a.summary).toEqual(b.summary);
    expect(generateConfig(7, 2, pool).summary).not.toEqual(a.summary);
    for (const d of a.documents) {
      const ns = (d.metadata as Record<string, unknown>).namespace ?? (d.metadata as Record<string, unknown>).name;
      expect(['c7', 'c7-b']).toContain(ns);
    }
  });
});
