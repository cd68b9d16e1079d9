// GWTLS-LS-*: ListenerSets (GEP-1713), on the scenario files of test/fixtures/generate-listener-sets.ts.
import { testRule } from '../../helpers/rule-tester.ts';
import { ls001 } from '../../../src/rules/listener-sets/ls-001-not-allowed.ts';
import { ls002 } from '../../../src/rules/listener-sets/ls-002-no-parent-gateway.ts';
import { ls003 } from '../../../src/rules/listener-sets/ls-003-precedence-conflict.ts';
import { ls004 } from '../../../src/rules/listener-sets/ls-004-not-accepted.ts';
import { ls005 } from '../../../src/rules/listener-sets/ls-005-unsupported.ts';
import { ls006 } from '../../../src/rules/listener-sets/ls-006-route-parent.ts';

testRule(ls001, {
  valid: [
    { name: 'from All admits a team namespace', yaml: 'file:test/fixtures/scenarios/listener-sets/gwtls-ls-001/valid-from-all-admits-a-team-namespace.yaml' },
    { name: 'the selector matches the team namespace labels', yaml: 'file:test/fixtures/scenarios/listener-sets/gwtls-ls-001/valid-the-selector-matches-the-team-namespace-labels.yaml' },
  ],
  invalid: [
    {
      name: 'allowedListeners unset admits no ListenerSet, not even in the Gateway namespace',
      yaml: 'file:test/fixtures/scenarios/listener-sets/gwtls-ls-001/invalid-allowedlisteners-unset-admits-no-listenerset-not-even-in-the-gateway-namespace.yaml',
      findings: [{ object: 'ListenerSet infra/apps', field: 'spec.parentRef', message: /has no spec\.allowedListeners, so it admits no ListenerSets \(the default is namespaces\.from: None\)/, fixes: 0, suggestions: 1 }],
    },
    {
      name: 'from Same does not admit a team namespace',
      yaml: 'file:test/fixtures/scenarios/listener-sets/gwtls-ls-001/invalid-from-same-does-not-admit-a-team-namespace.yaml',
      findings: [{ object: 'ListenerSet team-a/apps', message: /admits only ListenerSets of its own namespace infra \(allowedListeners\.namespaces\.from: Same\), not of team-a/, fixes: 0, suggestions: 1 }],
    },
    {
      name: 'the selector does not match the team namespace labels',
      yaml: 'file:test/fixtures/scenarios/listener-sets/gwtls-ls-001/invalid-the-selector-does-not-match-the-team-namespace-labels.yaml',
      findings: [{ object: 'ListenerSet team-a/apps', message: /namespace team-a does not match the allowedListeners selector gateway-access=shared/, fixes: 0, suggestions: 1 }],
    },
    {
      name: 'the controller says NotAllowed although the Gateway admits All',
      yaml: 'file:test/fixtures/scenarios/listener-sets/gwtls-ls-001/invalid-the-controller-says-notallowed-although-the-gateway-admits-all.yaml',
      findings: [{ object: 'ListenerSet team-a/apps', message: /the controller says NotAllowed/, fixes: 0, suggestions: 0 }],
    },
  ],
});

testRule(ls002, {
  valid: [{ name: 'parentRef names the Gateway with its namespace', yaml: 'file:test/fixtures/scenarios/listener-sets/gwtls-ls-002/valid-parentref-names-the-gateway-with-its-namespace.yaml' }],
  invalid: [
    {
      name: 'parentRef without namespace points into the team namespace',
      yaml: 'file:test/fixtures/scenarios/listener-sets/gwtls-ls-002/invalid-parentref-without-namespace-points-into-the-team-namespace.yaml',
      findings: [{ object: 'ListenerSet team-a/apps', field: 'spec.parentRef', message: /names Gateway team-a\/shared, which does not exist.*A Gateway named shared exists in infra\/shared/, fixes: 1 }],
    },
    {
      name: 'parentRef names a Service',
      yaml: 'file:test/fixtures/scenarios/listener-sets/gwtls-ls-002/invalid-parentref-names-a-service.yaml',
      findings: [{ object: 'ListenerSet team-a/apps', message: /names Service\.core infra\/shared; a ListenerSet attaches only to a Gateway/, fixes: 0 }],
    },
  ],
});

testRule(ls003, {
  valid: [{ name: 'distinct hostnames share port 443', yaml: 'file:test/fixtures/scenarios/listener-sets/gwtls-ls-003/valid-distinct-hostnames-share-port-443.yaml' }],
  invalid: [
    {
      name: 'a team repeats the hostname of a Gateway listener on 443',
      yaml: 'file:test/fixtures/scenarios/listener-sets/gwtls-ls-003/invalid-a-team-repeats-the-hostname-of-a-gateway-listener-on-443.yaml',
      findings: [{ object: 'ListenerSet team-a/apps', field: 'spec.listeners[0]', message: /conflicts with listener https .* of Gateway infra\/shared, which comes first .*HostnameConflict/, fixes: 0, suggestions: 1 }],
    },
    {
      name: 'a TCP listener on the port of the Gateway HTTPS listener',
      yaml: 'file:test/fixtures/scenarios/listener-sets/gwtls-ls-003/invalid-a-tcp-listener-on-the-port-of-the-gateway-https-listener.yaml',
      findings: [{ object: 'ListenerSet team-a/db', message: /a TCP listener cannot share port 443 .*ProtocolConflict/, suggestions: 1 }],
    },
    {
      name: 'two ListenerSets claim one hostname and the first by name wins',
      yaml: 'file:test/fixtures/scenarios/listener-sets/gwtls-ls-003/invalid-two-listenersets-claim-one-hostname-and-the-first-by-name-wins.yaml',
      findings: [{ object: 'ListenerSet team-a/apps-b', message: /conflicts with listener app .* of ListenerSet team-a\/apps-a/, suggestions: 1 }],
    },
    {
      name: 'the controller says Conflicted',
      yaml: 'file:test/fixtures/scenarios/listener-sets/gwtls-ls-003/invalid-the-controller-says-conflicted.yaml',
      findings: [{ object: 'ListenerSet team-a/apps', message: /the controller reports Conflicted=True \(HostnameConflict/ }],
    },
  ],
});

testRule(ls004, {
  valid: [{ name: 'one listener conflicted and one valid is still accepted', yaml: 'file:test/fixtures/scenarios/listener-sets/gwtls-ls-004/valid-one-listener-conflicted-and-one-valid-is-still-accepted.yaml' }],
  invalid: [
    {
      name: 'the only listener uses a Secret of another namespace without a grant',
      yaml: 'file:test/fixtures/scenarios/listener-sets/gwtls-ls-004/invalid-the-only-listener-uses-a-secret-of-another-namespace-without-a-grant.yaml',
      findings: [{ object: 'ListenerSet team-a/apps', message: /not accepted \(ListenersNotValid\).*RefNotPermitted/ }],
    },
    { name: 'every listener loses to the Gateway', yaml: 'file:test/fixtures/scenarios/listener-sets/gwtls-ls-004/invalid-every-listener-loses-to-the-gateway.yaml', findings: [{ object: 'ListenerSet team-a/db', message: /ListenersNotValid.*Conflicted \(ProtocolConflict\)/ }] },
    { name: 'its Gateway is not accepted', yaml: 'file:test/fixtures/scenarios/listener-sets/gwtls-ls-004/invalid-its-gateway-is-not-accepted.yaml', findings: [{ object: 'ListenerSet team-a/apps', message: /not accepted \(ParentNotAccepted\).*GWTLS-GW-001/ }] },
  ],
});

testRule(ls005, {
  valid: [
    { name: 'Envoy Gateway reads ListenerSet v1', yaml: 'file:test/fixtures/scenarios/listener-sets/gwtls-ls-005/valid-envoy-gateway-reads-listenerset-v1.yaml' },
    { name: 'the AWS Load Balancer Controller reads ListenerSet v1', yaml: 'file:test/fixtures/scenarios/listener-sets/gwtls-ls-005/valid-the-aws-load-balancer-controller-reads-listenerset-v1.yaml' },
  ],
  invalid: [
    { name: 'Traefik does not read ListenerSets', yaml: 'file:test/fixtures/scenarios/listener-sets/gwtls-ls-005/invalid-traefik-does-not-read-listenersets.yaml', findings: [{ object: 'ListenerSet team-a/apps', message: /Traefik does not serve .*traefik-traefik\/experimental-v3\.7\.0-default-report\.yaml/, fixes: 0, suggestions: 0 }] },
    {
      name: 'the GatewayClass does not list ListenerSet among its supported features',
      yaml: 'file:test/fixtures/scenarios/listener-sets/gwtls-ls-005/invalid-the-gatewayclass-does-not-list-listenerset-among-its-supported-features.yaml',
      findings: [{ object: 'ListenerSet team-a/apps', message: /The controller of GatewayClass example does not serve.*does not list ListenerSet among status\.supportedFeatures/ }],
    },
    {
      name: 'an XListenerSet on Envoy Gateway, which reads ListenerSet v1',
      yaml: 'file:test/fixtures/scenarios/listener-sets/gwtls-ls-005/invalid-an-xlistenerset-on-envoy-gateway-which-reads-listenerset-v1.yaml',
      findings: [{ object: 'XListenerSet team-a/apps', field: 'kind', message: /reads ListenerSet only, not XListenerSet/ }],
    },
    {
      name: 'still waiting for a controller while its Gateway is reconciled',
      yaml: 'file:test/fixtures/scenarios/listener-sets/gwtls-ls-005/invalid-still-waiting-for-a-controller-while-its-gateway-is-reconciled.yaml',
      findings: [{ object: 'ListenerSet team-a/apps', message: /still the CRD's default .*Waiting for controller/ }],
    },
  ],
});

testRule(ls006, {
  valid: [{ name: 'the route names a listener of the ListenerSet', yaml: 'file:test/fixtures/scenarios/listener-sets/gwtls-ls-006/valid-the-route-names-a-listener-of-the-listenerset.yaml' }],
  invalid: [
    {
      name: 'the route names the ListenerSet without its namespace',
      yaml: 'file:test/fixtures/scenarios/listener-sets/gwtls-ls-006/invalid-the-route-names-the-listenerset-without-its-namespace.yaml',
      findings: [{ object: 'HTTPRoute web/app', field: 'spec.parentRefs[0]', message: /ListenerSet web\/apps does not exist.*exists in namespace team-a/, fixes: 1 }],
    },
    {
      name: 'the route names a ListenerSet its Gateway does not admit',
      yaml: 'file:test/fixtures/scenarios/listener-sets/gwtls-ls-006/invalid-the-route-names-a-listenerset-its-gateway-does-not-admit.yaml',
      findings: [{ object: 'HTTPRoute team-a/app', message: /ListenerSet team-a\/apps is not part of Gateway infra\/shared/, fixes: 0 }],
    },
  ],
});
