import { be001 } from '../../../src/rules/backends/be-001-backend-missing.ts';
import { be002 } from '../../../src/rules/backends/be-002-port-not-service-port.ts';
import { be003 } from '../../../src/rules/backends/be-003-cross-namespace-no-grant.ts';
import { be004 } from '../../../src/rules/backends/be-004-no-ready-endpoints.ts';
import { be005 } from '../../../src/rules/backends/be-005-selector-matches-nothing.ts';
import { be006 } from '../../../src/rules/backends/be-006-named-target-port.ts';
import { be007 } from '../../../src/rules/backends/be-007-unsupported-backend.ts';
import { be008 } from '../../../src/rules/backends/be-008-lbc-instance-targets.ts';
import { testRule } from '../../helpers/rule-tester.ts';

const eg = `apiVersion: gateway.networking.k8s.io/v1
kind: GatewayClass
metadata: {name: eg}
spec: {controllerName: gateway.envoyproxy.io/gatewayclass-controller}
`;
const gateway = `apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: {name: edge, namespace: apps}
spec:
  gatewayClassName: eg
  listeners:
    - {name: http, protocol: HTTP, port: 80, allowedRoutes: {namespaces: {from: All}}}
`;
const service = (opts: { name?: string; ns?: string; ports?: string; selector?: string; type?: string } = {}) => `apiVersion: v1
kind: Service
metadata: {name: ${opts.name ?? 'web'}, namespace: ${opts.ns ?? 'apps'}}
spec:
${opts.type ? `  type: ${opts.type}\n` : ''}${opts.selector === '' ? '' : `  selector: {${opts.selector ?? 'app: web'}}\n`}  ports: ${opts.ports ?? '[{name: http, port: 80, targetPort: 8080}]'}
`;
const pod = (opts: { name?: string; ns?: string; labels?: string; ready?: boolean | null; ports?: string } = {}) => `apiVersion: v1
kind: Pod
metadata: {name: ${opts.name ?? 'web-1'}, namespace: ${opts.ns ?? 'apps'}, labels: {${opts.labels ?? 'app: web'}}}
spec:
  containers: [{name: web, image: web:1, ports: ${opts.ports ?? '[{name: http, containerPort: 8080}]'}}]
${opts.ready === null ? '' : `status:\n  phase: Running\n  conditions: [{type: Ready, status: "${opts.ready === false ? 'False' : 'True'}"}]`}
`;
const route = (ref = '{name: web, port: 80}', ns = 'apps') => `apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: web, namespace: ${ns}}
spec:
  parentRefs: [{name: edge, namespace: apps}]
  rules: [{backendRefs: [${ref}]}]
`;
const healthy = [eg, gateway, service(), pod(), route()];

testRule(be001, {
  valid: [{ name: 'the Service exists', yaml: healthy }],
  invalid: [
    {
      name: 'a misspelt Service name',
      yaml: [eg, gateway, service(), pod(), route('{name: wbe, port: 80}')],
      findings: [{ object: 'HTTPRoute apps/web', field: 'spec.rules[0].backendRefs[0]', message: /Service apps\/wbe, which does not exist in the input: requests for that rule get HTTP 500. Did you mean web\?/, fixes: 1 }],
    },
    { name: 'no Service of a similar name', yaml: [eg, gateway, service(), pod(), route('{name: payments, port: 80}')], findings: [{ object: 'HTTPRoute apps/web', fixes: 0 }] },
  ],
});

testRule(be002, {
  valid: [{ name: 'the Service port', yaml: healthy }],
  invalid: [
    {
      name: 'the targetPort instead of the Service port',
      yaml: [eg, gateway, service(), pod(), route('{name: web, port: 8080}')],
      findings: [{ object: 'HTTPRoute apps/web', field: 'spec.rules[0].backendRefs[0].port', message: /8080 is the targetPort of Service port 80/, fixes: 1 }],
    },
    {
      name: 'a port the Service does not have, several ports',
      yaml: [eg, gateway, service({ ports: '[{name: http, port: 80, targetPort: 8080}, {name: admin, port: 9000}]' }), pod(), route('{name: web, port: 81}')],
      findings: [{ object: 'HTTPRoute apps/web', fixes: 0 }],
    },
  ],
});

const grant = `apiVersion: gateway.networking.k8s.io/v1beta1
kind: ReferenceGrant
metadata: {name: frontends, namespace: apps}
spec:
  from: [{group: gateway.networking.k8s.io, kind: HTTPRoute, namespace: front}]
  to: [{group: "", kind: Service, name: web}]
`;
testRule(be003, {
  valid: [
    { name: 'same namespace', yaml: healthy },
    { name: 'granted', yaml: [eg, gateway, service(), pod(), route('{name: web, namespace: apps, port: 80}', 'front'), grant] },
  ],
  invalid: [
    {
      name: 'a route in another namespace, no grant',
      yaml: [eg, gateway, service(), pod(), route('{name: web, namespace: apps, port: 80}', 'front')],
      findings: [{ object: 'HTTPRoute front/web', message: /no ReferenceGrant in namespace apps allows HTTPRoutes from namespace front/, fixes: 0, suggestions: 1 }],
    },
  ],
});

const slice = (ready: boolean) => `apiVersion: discovery.k8s.io/v1
kind: EndpointSlice
metadata: {name: web-abc, namespace: apps, labels: {kubernetes.io/service-name: web}}
addressType: IPv4
ports: [{name: http, port: 8080, protocol: TCP}]
endpoints: [{addresses: [10.0.0.5], conditions: {ready: ${ready}}, targetRef: {kind: Pod, name: web-1, namespace: apps}}]
`;
testRule(be004, {
  valid: [
    { name: 'a ready pod', yaml: healthy },
    { name: 'pods from manifests without status: readiness unknown', yaml: [eg, gateway, service(), pod({ ready: null }), route()] },
    { name: 'a ready endpoint', yaml: [eg, gateway, service(), slice(true), route()] },
  ],
  invalid: [
    { name: 'the only pod is not ready', yaml: [eg, gateway, service(), pod({ ready: false }), route()], findings: [{ object: 'Service apps/web', message: /has no ready endpoint \(0 of 1 ready\) for port http: HTTPRoute apps\/web has nowhere to send traffic/, fixes: 0 }] },
    { name: 'EndpointSlice with no ready endpoint', yaml: [eg, gateway, service(), slice(false), route()], findings: [{ object: 'Service apps/web', fixes: 0 }] },
  ],
});

testRule(be005, {
  valid: [
    { name: 'the selector matches', yaml: healthy },
    { name: 'no pod of that namespace in the input (a Deployment may create them)', yaml: [eg, gateway, service(), pod({ ns: 'other' }), route()] },
  ],
  invalid: [
    {
      name: 'pods labelled differently',
      yaml: [eg, gateway, service(), pod({ labels: 'app.kubernetes.io/name: web' }), route()],
      findings: [{ object: 'Service apps/web', field: 'spec.selector', message: /selects pods with app=web, and no Pod in namespace apps in the input carries these labels/, fixes: 0 }],
    },
  ],
});

testRule(be006, {
  valid: [{ name: 'the pods name the port', yaml: [eg, gateway, service({ ports: '[{name: http, port: 80, targetPort: http}]' }), pod(), route()] }],
  invalid: [
    {
      name: 'the container port has no name',
      // protocol written out: the apply emulation does not default list-map keys as the API server does.
      yaml: [eg, gateway, service({ ports: '[{name: http, port: 80, protocol: TCP, targetPort: http}]' }), pod({ ports: '[{containerPort: 8080}]' }), route()],
      findings: [{ object: 'Service apps/web', field: 'spec.ports[0].targetPort', message: /forwards to the container port named http, which none of its pods declare/, fixes: 1 }],
    },
  ],
});

const external = `apiVersion: v1
kind: Service
metadata: {name: web, namespace: apps}
spec: {type: ExternalName, externalName: web.example.net, ports: [{port: 443}]}
`;
testRule(be007, {
  valid: [{ name: 'a Service with a selector', yaml: healthy }],
  invalid: [
    {
      name: 'ExternalName Service on Envoy Gateway',
      yaml: [eg, gateway, external, route('{name: web, port: 443}')],
      findings: [{ object: 'HTTPRoute apps/web', severity: 'error', message: /Envoy Gateway refuses/, fixes: 1 }],
    },
    {
      name: 'a kind Envoy Gateway does not route to',
      yaml: [eg, gateway, service(), pod(), route('{group: example.com, kind: Upstream, name: web}')],
      findings: [{ object: 'HTTPRoute apps/web', message: /a kind Envoy Gateway does not route to/, fixes: 0 }],
    },
  ],
});

const nlb = [
  'apiVersion: gateway.networking.k8s.io/v1\nkind: GatewayClass\nmetadata: {name: nlb}\nspec: {controllerName: gateway.k8s.aws/nlb}',
  'apiVersion: gateway.networking.k8s.io/v1\nkind: Gateway\nmetadata: {name: pg-gw, namespace: db}\nspec:\n  gatewayClassName: nlb\n  listeners: [{name: pg, protocol: TLS, port: 5432, tls: {mode: Terminate, options: {example.com/cert: acm}}}]',
  service({ name: 'pg', ns: 'db', selector: 'app: pg', ports: '[{name: pg, port: 5432}]' }),
  'apiVersion: gateway.networking.k8s.io/v1\nkind: TCPRoute\nmetadata: {name: pg, namespace: db}\nspec: {parentRefs: [{name: pg-gw}], rules: [{backendRefs: [{name: pg, port: 5432}]}]}',
];
const pgTgc = (props: string) => `apiVersion: gateway.k8s.aws/v1\nkind: TargetGroupConfiguration\nmetadata: {name: pg, namespace: db}\nspec: {targetReference: {name: pg}, defaultConfiguration: {${props}}}`;
testRule(be008, {
  valid: [
    { name: 'ip targets', yaml: [...nlb, pgTgc('targetType: ip')] },
    { name: 'instance targets on a NodePort Service', yaml: [...nlb.map((d) => d.replace('  selector: {app: pg}', '  type: NodePort\n  selector: {app: pg}')), pgTgc('targetType: instance')] },
  ],
  invalid: [
    { name: 'no TargetGroupConfiguration: instance by default', yaml: nlb, findings: [{ object: 'Service db/pg', field: 'spec.type', message: /ClusterIP and has no node port/, fixes: 1 }] },
    { name: 'targetType instance', yaml: [...nlb, pgTgc('targetType: instance, protocol: TCP')], findings: [{ object: 'TargetGroupConfiguration db/pg', field: 'spec.defaultConfiguration.targetType', fixes: 1 }] },
  ],
});
