import { be001 } from '../../../src/rules/backends/be-001-backend-missing.ts';
import { be002 } from '../../../src/rules/backends/be-002-port-not-service-port.ts';
import { be003 } from '../../../src/rules/backends/be-003-cross-namespace-no-grant.ts';
import { be004 } from '../../../src/rules/backends/be-004-no-ready-endpoints.ts';
import { be005 } from '../../../src/rules/backends/be-005-selector-matches-nothing.ts';
import { be006 } from '../../../src/rules/backends/be-006-named-target-port.ts';
import { be007 } from '../../../src/rules/backends/be-007-unsupported-backend.ts';
import { be008 } from '../../../src/rules/backends/be-008-lbc-instance-targets.ts';
import { testRule } from '../../helpers/rule-tester.ts';

testRule(be001, {
  valid: [{ name: 'the Service exists', yaml: 'file:test/fixtures/scenarios/backends/gwtls-be-001/valid-the-service-exists.yaml' }],
  invalid: [
    {
      name: 'a misspelt Service name',
      yaml: 'file:test/fixtures/scenarios/backends/gwtls-be-001/invalid-a-misspelt-service-name.yaml',
      findings: [{ object: 'HTTPRoute apps/web', field: 'spec.rules[0].backendRefs[0]', message: /Service apps\/wbe, which does not exist in the input: requests for that rule get HTTP 500. Did you mean web\?/, fixes: 1 }],
    },
    { name: 'no Service of a similar name', yaml: 'file:test/fixtures/scenarios/backends/gwtls-be-001/invalid-no-service-of-a-similar-name.yaml', findings: [{ object: 'HTTPRoute apps/web', fixes: 0 }] },
  ],
});

testRule(be002, {
  valid: [{ name: 'the Service port', yaml: 'file:test/fixtures/scenarios/backends/gwtls-be-002/valid-the-service-port.yaml' }],
  invalid: [
    {
      name: 'the targetPort instead of the Service port',
      yaml: 'file:test/fixtures/scenarios/backends/gwtls-be-002/invalid-the-targetport-instead-of-the-service-port.yaml',
      findings: [{ object: 'HTTPRoute apps/web', field: 'spec.rules[0].backendRefs[0].port', message: /8080 is the targetPort of Service port 80/, fixes: 1 }],
    },
    {
      name: 'a port the Service does not have, several ports',
      yaml: 'file:test/fixtures/scenarios/backends/gwtls-be-002/invalid-a-port-the-service-does-not-have-several-ports.yaml',
      findings: [{ object: 'HTTPRoute apps/web', fixes: 0 }],
    },
  ],
});

testRule(be003, {
  valid: [
    { name: 'same namespace', yaml: 'file:test/fixtures/scenarios/backends/gwtls-be-003/valid-same-namespace.yaml' },
    { name: 'granted', yaml: 'file:test/fixtures/scenarios/backends/gwtls-be-003/valid-granted.yaml' },
  ],
  invalid: [
    {
      name: 'a route in another namespace, no grant',
      yaml: 'file:test/fixtures/scenarios/backends/gwtls-be-003/invalid-a-route-in-another-namespace-no-grant.yaml',
      findings: [{ object: 'HTTPRoute front/web', message: /no ReferenceGrant in namespace apps allows HTTPRoutes from namespace front/, fixes: 0, suggestions: 1 }],
    },
  ],
});

testRule(be004, {
  valid: [
    { name: 'a ready pod', yaml: 'file:test/fixtures/scenarios/backends/gwtls-be-004/valid-a-ready-pod.yaml' },
    { name: 'pods from manifests without status: readiness unknown', yaml: 'file:test/fixtures/scenarios/backends/gwtls-be-004/valid-pods-from-manifests-without-status-readiness-unknown.yaml' },
    { name: 'a ready endpoint', yaml: 'file:test/fixtures/scenarios/backends/gwtls-be-004/valid-a-ready-endpoint.yaml' },
  ],
  invalid: [
    { name: 'the only pod is not ready', yaml: 'file:test/fixtures/scenarios/backends/gwtls-be-004/invalid-the-only-pod-is-not-ready.yaml', findings: [{ object: 'Service apps/web', message: /has no ready endpoint \(0 of 1 ready\) for port http: HTTPRoute apps\/web has nowhere to send traffic/, fixes: 0 }] },
    { name: 'EndpointSlice with no ready endpoint', yaml: 'file:test/fixtures/scenarios/backends/gwtls-be-004/invalid-endpointslice-with-no-ready-endpoint.yaml', findings: [{ object: 'Service apps/web', fixes: 0 }] },
  ],
});

testRule(be005, {
  valid: [
    { name: 'the selector matches', yaml: 'file:test/fixtures/scenarios/backends/gwtls-be-005/valid-the-selector-matches.yaml' },
    { name: 'no pod of that namespace in the input (a Deployment may create them)', yaml: 'file:test/fixtures/scenarios/backends/gwtls-be-005/valid-no-pod-of-that-namespace-in-the-input-a-deployment-may-create-them.yaml' },
  ],
  invalid: [
    {
      name: 'pods labelled differently',
      yaml: 'file:test/fixtures/scenarios/backends/gwtls-be-005/invalid-pods-labelled-differently.yaml',
      findings: [{ object: 'Service apps/web', field: 'spec.selector', message: /selects pods with app=web, and no Pod in namespace apps in the input carries these labels/, fixes: 0 }],
    },
  ],
});

testRule(be006, {
  valid: [{ name: 'the pods name the port', yaml: 'file:test/fixtures/scenarios/backends/gwtls-be-006/valid-the-pods-name-the-port.yaml' }],
  invalid: [
    {
      name: 'the container port has no name',
      // protocol written out: the apply emulation does not default list-map keys as the API server does.
      yaml: 'file:test/fixtures/scenarios/backends/gwtls-be-006/invalid-the-container-port-has-no-name.yaml',
      findings: [{ object: 'Service apps/web', field: 'spec.ports[0].targetPort', message: /forwards to the container port named http, which none of its pods declare/, fixes: 1 }],
    },
  ],
});

testRule(be007, {
  valid: [{ name: 'a Service with a selector', yaml: 'file:test/fixtures/scenarios/backends/gwtls-be-007/valid-a-service-with-a-selector.yaml' }],
  invalid: [
    {
      name: 'ExternalName Service on Envoy Gateway',
      yaml: 'file:test/fixtures/scenarios/backends/gwtls-be-007/invalid-externalname-service-on-envoy-gateway.yaml',
      findings: [{ object: 'HTTPRoute apps/web', severity: 'error', message: /Envoy Gateway refuses/, fixes: 1 }],
    },
    {
      name: 'a kind Envoy Gateway does not route to',
      yaml: 'file:test/fixtures/scenarios/backends/gwtls-be-007/invalid-a-kind-envoy-gateway-does-not-route-to.yaml',
      findings: [{ object: 'HTTPRoute apps/web', message: /a kind Envoy Gateway does not route to/, fixes: 0 }],
    },
  ],
});

testRule(be008, {
  valid: [
    { name: 'ip targets', yaml: 'file:test/fixtures/scenarios/backends/gwtls-be-008/valid-ip-targets.yaml' },
    { name: 'instance targets on a NodePort Service', yaml: 'file:test/fixtures/scenarios/backends/gwtls-be-008/valid-instance-targets-on-a-nodeport-service.yaml' },
  ],
  invalid: [
    { name: 'no TargetGroupConfiguration: instance by default', yaml: 'file:test/fixtures/scenarios/backends/gwtls-be-008/invalid-no-targetgroupconfiguration-instance-by-default.yaml', findings: [{ object: 'Service db/pg', field: 'spec.type', message: /ClusterIP and has no node port/, fixes: 1 }] },
    { name: 'targetType instance', yaml: 'file:test/fixtures/scenarios/backends/gwtls-be-008/invalid-targettype-instance.yaml', findings: [{ object: 'TargetGroupConfiguration db/pg', field: 'spec.defaultConfiguration.targetType', fixes: 1 }] },
  ],
});
