import { rt001 } from '../../../src/rules/routes/rt-001-missing-gateway.ts';
import { rt002 } from '../../../src/rules/routes/rt-002-no-matching-listener.ts';
import { rt003 } from '../../../src/rules/routes/rt-003-kind-not-allowed.ts';
import { rt004 } from '../../../src/rules/routes/rt-004-tlsroute-terminate-unsupported.ts';
import { rt005 } from '../../../src/rules/routes/rt-005-tcproute-on-terminate.ts';
import { rt006 } from '../../../src/rules/routes/rt-006-namespace-not-allowed.ts';
import { rt007 } from '../../../src/rules/routes/rt-007-hostnames-disjoint.ts';
import { rt008 } from '../../../src/rules/routes/rt-008-several-l4-routes.ts';
import { testRule } from '../../helpers/rule-tester.ts';

const eg = `apiVersion: gateway.networking.k8s.io/v1
kind: GatewayClass
metadata: {name: eg}
spec: {controllerName: gateway.envoyproxy.io/gatewayclass-controller}
`;
const gateway = (listeners: string, ns = 'infra') => `apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: {name: gw, namespace: ${ns}}
spec:
  gatewayClassName: eg
  listeners:
${listeners}
`;
const tcpRoute = (parent: string, ns = 'infra', name = 'db') => `apiVersion: gateway.networking.k8s.io/v1
kind: TCPRoute
metadata: {name: ${name}, namespace: ${ns}}
spec:
  parentRefs: [${parent}]
  rules: [{backendRefs: [{name: db, port: 5432}]}]
`;
const httpRoute = (parent: string, hostnames: string, ns = 'infra') => `apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: web, namespace: ${ns}}
spec:
  parentRefs: [${parent}]
  hostnames: [${hostnames}]
  rules: [{backendRefs: [{name: web, port: 80}]}]
`;
const tlsTerminate = `    - {name: tls, protocol: TLS, port: 5432, tls: {mode: Terminate, certificateRefs: [{name: db-tls}]}}`;
const https = `    - {name: https, protocol: HTTPS, port: 443, tls: {mode: Terminate, certificateRefs: [{name: web-tls}]}}`;

testRule(rt001, {
  valid: [{ name: 'parentRef resolves', yaml: [eg, gateway(tlsTerminate), tcpRoute('{name: gw}')] }],
  invalid: [
    {
      name: 'parentRef namespace points nowhere (seed a)',
      yaml: [eg, gateway(tlsTerminate), tcpRoute('{name: gw, namespace: wherethegatewayis, sectionName: tls}')],
      findings: [{ object: 'TCPRoute infra/db', message: /Gateway wherethegatewayis\/gw, which does not exist/, fixes: 1 }],
    },
    { name: 'no such Gateway anywhere', yaml: [eg, gateway(tlsTerminate), tcpRoute('{name: nope}')], findings: [{ object: 'TCPRoute infra/db', fixes: 0 }] },
  ],
});

testRule(rt002, {
  valid: [{ name: 'sectionName is a listener name', yaml: [eg, gateway(tlsTerminate), tcpRoute('{name: gw, sectionName: tls}')] }],
  invalid: [
    {
      name: 'sectionName is the protocol, not the listener name',
      yaml: [eg, gateway(tlsTerminate), tcpRoute('{name: gw, sectionName: TLS}')],
      findings: [{ object: 'TCPRoute infra/db', message: /matches sectionName TLS/, fixes: 1 }],
    },
    { name: 'port matches no listener', yaml: [eg, gateway(tlsTerminate), tcpRoute('{name: gw, port: 15432}')], findings: [{ object: 'TCPRoute infra/db', fixes: 1 }] },
  ],
});

testRule(rt003, {
  valid: [
    { name: 'TCPRoute on TLS/Terminate (Envoy Gateway)', yaml: [eg, gateway(tlsTerminate), tcpRoute('{name: gw}')] },
    { name: 'seed c corrected', yaml: 'file:test/fixtures/seeds/c-calico-tls-termination/corrected.yaml' },
    { name: 'seed c passthrough', yaml: 'file:test/fixtures/seeds/c-calico-passthrough/as-written.yaml' },
  ],
  invalid: [
    {
      name: 'seed c: TCPRoute behind an HTTPS listener',
      yaml: 'file:test/fixtures/seeds/c-calico-tls-termination/as-written.yaml',
      findings: [{ object: 'TCPRoute default/backend-ssl-offload', message: /listener protocol must be TLS \(mode Terminate\), not HTTPS/, fixes: 1 }],
    },
    {
      name: 'kind left out of allowedRoutes.kinds',
      yaml: [eg, gateway(`    - {name: tls, protocol: TLS, port: 5432, tls: {mode: Terminate, certificateRefs: [{name: db-tls}]}, allowedRoutes: {kinds: [{kind: TLSRoute}]}}`), tcpRoute('{name: gw}')],
      findings: [{ object: 'TCPRoute infra/db', message: /allowedRoutes.kinds/, fixes: 1 }],
    },
    {
      name: 'HTTPRoute on a TLS listener',
      yaml: [eg, gateway(tlsTerminate), httpRoute('{name: gw}', 'a.example.com')],
      findings: [{ object: 'HTTPRoute infra/web', fixes: 1 }],
    },
  ],
});

const cilium = `apiVersion: gateway.networking.k8s.io/v1
kind: GatewayClass
metadata: {name: cilium}
spec: {controllerName: io.cilium/gateway-controller}
`;
testRule(rt004, {
  valid: [{ name: 'TLSRoute on Terminate, Envoy Gateway', yaml: [eg, gateway(tlsTerminate), `apiVersion: gateway.networking.k8s.io/v1\nkind: TLSRoute\nmetadata: {name: t, namespace: infra}\nspec: {parentRefs: [{name: gw}], hostnames: [db.example.com], rules: [{backendRefs: [{name: db, port: 5432}]}]}`] }],
  invalid: [
    {
      name: 'TLSRoute on Terminate, Cilium',
      yaml: [cilium, gateway(tlsTerminate).replace('eg', 'cilium'), `apiVersion: gateway.networking.k8s.io/v1\nkind: TLSRoute\nmetadata: {name: t, namespace: infra}\nspec: {parentRefs: [{name: gw}], hostnames: [db.example.com], rules: [{backendRefs: [{name: db, port: 5432}]}]}`],
      findings: [{ object: 'TLSRoute infra/t', message: /Cilium does not support TLSRoute on Terminate/ }],
    },
  ],
});

testRule(rt005, {
  valid: [{ name: 'TCPRoute on a TCP listener', yaml: [eg, gateway('    - {name: tcp, protocol: TCP, port: 5432}'), tcpRoute('{name: gw}')] }],
  invalid: [{ name: 'TCPRoute on TLS/Terminate', yaml: [eg, gateway(tlsTerminate), tcpRoute('{name: gw}')], findings: [{ object: 'TCPRoute infra/db', severity: 'info' }] }],
});

testRule(rt006, {
  valid: [
    { name: 'same namespace', yaml: [eg, gateway(tlsTerminate), tcpRoute('{name: gw}')] },
    { name: 'from All', yaml: [eg, gateway(`    - {name: tls, protocol: TLS, port: 5432, tls: {certificateRefs: [{name: db-tls}]}, allowedRoutes: {namespaces: {from: All}}}`), tcpRoute('{name: gw, namespace: infra}', 'db')] },
  ],
  invalid: [
    {
      name: 'route in another namespace, from Same (default)',
      yaml: [eg, gateway(tlsTerminate), tcpRoute('{name: gw, namespace: infra}', 'db')],
      findings: [{ object: 'TCPRoute db/db', message: /namespace db, which listener tls/, fixes: 1 }],
    },
    {
      name: 'selector the namespace does not match',
      yaml: [
        eg,
        gateway(`    - {name: tls, protocol: TLS, port: 5432, tls: {certificateRefs: [{name: db-tls}]}, allowedRoutes: {namespaces: {from: Selector, selector: {matchLabels: {gateway-access: "true"}}}}}`),
        'apiVersion: v1\nkind: Namespace\nmetadata: {name: db}',
        tcpRoute('{name: gw, namespace: infra}', 'db'),
      ],
      findings: [{ object: 'TCPRoute db/db', fixes: 1 }],
    },
  ],
});

testRule(rt007, {
  valid: [{ name: 'wildcard listener covers a deeper name', yaml: [eg, gateway('    - {name: https, protocol: HTTPS, port: 443, hostname: "*.example.com", tls: {certificateRefs: [{name: web-tls}]}}'), httpRoute('{name: gw}', 'a.b.example.com')] }],
  invalid: [
    {
      name: 'disjoint hostnames',
      yaml: [eg, gateway('    - {name: https, protocol: HTTPS, port: 443, hostname: shop.example.com, tls: {certificateRefs: [{name: web-tls}]}}'), httpRoute('{name: gw}', 'blog.example.com')],
      findings: [{ object: 'HTTPRoute infra/web', message: /blog.example.com, none of which falls under hostname shop.example.com/ }],
    },
    {
      // Envoy Gateway computeHosts (internal/gatewayapi/helpers.go): found by the differential test (test/oracle).
      name: 'the name belongs to a more specific listener on the same port (Envoy Gateway)',
      yaml: [
        eg,
        gateway('    - {name: any, protocol: HTTPS, port: 443, tls: {certificateRefs: [{name: web-tls}]}}\n    - {name: shop, protocol: HTTPS, port: 443, hostname: shop.example.com, tls: {certificateRefs: [{name: web-tls}]}}'),
        httpRoute('{name: gw, sectionName: any}', 'shop.example.com'),
      ],
      findings: [{ object: 'HTTPRoute infra/web', message: /leaves shop.example.com to listener shop .* on the same port: the route is not attached through any/ }],
    },
  ],
});

testRule(rt008, {
  valid: [{ name: 'one TCPRoute per listener', yaml: [eg, gateway(tlsTerminate), tcpRoute('{name: gw}')] }],
  invalid: [
    {
      name: 'two TCPRoutes on one listener',
      yaml: [eg, gateway(tlsTerminate), tcpRoute('{name: gw}', 'infra', 'a'), tcpRoute('{name: gw}', 'infra', 'b')],
      findings: [{ object: 'Gateway infra/gw', message: /only TCPRoute infra\/a \(the oldest\)/ }],
    },
  ],
});

void https;
