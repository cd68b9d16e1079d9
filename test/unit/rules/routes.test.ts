import { rt001 } from '../../../src/rules/routes/rt-001-missing-gateway.ts';
import { rt002 } from '../../../src/rules/routes/rt-002-no-matching-listener.ts';
import { rt003 } from '../../../src/rules/routes/rt-003-kind-not-allowed.ts';
import { rt004 } from '../../../src/rules/routes/rt-004-tlsroute-terminate-unsupported.ts';
import { rt005 } from '../../../src/rules/routes/rt-005-tcproute-on-terminate.ts';
import { rt006 } from '../../../src/rules/routes/rt-006-namespace-not-allowed.ts';
import { rt007 } from '../../../src/rules/routes/rt-007-hostnames-disjoint.ts';
import { rt008 } from '../../../src/rules/routes/rt-008-several-l4-routes.ts';
import { rt010 } from '../../../src/rules/routes/rt-010-no-parents.ts';
import { testRule } from '../../helpers/rule-tester.ts';

const https = `    - {name: https, protocol: HTTPS, port: 443, tls: {mode: Terminate, certificateRefs: [{name: web-tls}]}}`;

testRule(rt001, {
  valid: [{ name: 'parentRef resolves', yaml: 'file:test/fixtures/scenarios/routes/gwtls-rt-001/valid-parentref-resolves.yaml' }],
  invalid: [
    {
      name: 'parentRef namespace points nowhere (seed a)',
      yaml: 'file:test/fixtures/scenarios/routes/gwtls-rt-001/invalid-parentref-namespace-points-nowhere-seed-a.yaml',
      findings: [{ object: 'TCPRoute infra/db', message: /Gateway wherethegatewayis\/gw, which does not exist/, fixes: 1 }],
    },
    { name: 'no such Gateway anywhere', yaml: 'file:test/fixtures/scenarios/routes/gwtls-rt-001/invalid-no-such-gateway-anywhere.yaml', findings: [{ object: 'TCPRoute infra/db', fixes: 0 }] },
  ],
});

testRule(rt002, {
  valid: [{ name: 'sectionName is a listener name', yaml: 'file:test/fixtures/scenarios/routes/gwtls-rt-002/valid-sectionname-is-a-listener-name.yaml' }],
  invalid: [
    {
      name: 'sectionName is the protocol, not the listener name',
      yaml: 'file:test/fixtures/scenarios/routes/gwtls-rt-002/invalid-sectionname-is-the-protocol-not-the-listener-name.yaml',
      findings: [{ object: 'TCPRoute infra/db', message: /matches sectionName TLS/, fixes: 1 }],
    },
    { name: 'port matches no listener', yaml: 'file:test/fixtures/scenarios/routes/gwtls-rt-002/invalid-port-matches-no-listener.yaml', findings: [{ object: 'TCPRoute infra/db', fixes: 1 }] },
    {
      // GEP-1713, conformance listenerset-gateway-parent-section-name-not-found: a Gateway parentRef reaches only the Gateway's own listeners.
      name: 'sectionName names a ListenerSet listener through the Gateway',
      yaml: 'file:test/fixtures/scenarios/routes/gwtls-rt-002/invalid-sectionname-names-a-listenerset-listener-through-the-gateway.yaml',
      findings: [{ object: 'HTTPRoute team-a/app', message: /Listener app is defined in ListenerSet team-a\/apps.*must name the ListenerSet/, fixes: 1 }],
    },
  ],
});

testRule(rt003, {
  valid: [
    { name: 'TCPRoute on TLS/Terminate (Envoy Gateway)', yaml: 'file:test/fixtures/scenarios/routes/gwtls-rt-003/valid-tcproute-on-tls-terminate-envoy-gateway.yaml' },
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
      yaml: 'file:test/fixtures/scenarios/routes/gwtls-rt-003/invalid-kind-left-out-of-allowedroutes-kinds.yaml',
      findings: [{ object: 'TCPRoute infra/db', message: /allowedRoutes.kinds/, fixes: 0, suggestions: 1 }],
    },
    {
      name: 'HTTPRoute on a TLS listener',
      yaml: 'file:test/fixtures/scenarios/routes/gwtls-rt-003/invalid-httproute-on-a-tls-listener.yaml',
      findings: [{ object: 'HTTPRoute infra/web', fixes: 1 }],
    },
  ],
});

testRule(rt004, {
  valid: [{ name: 'TLSRoute on Terminate, Envoy Gateway', yaml: 'file:test/fixtures/scenarios/routes/gwtls-rt-004/valid-tlsroute-on-terminate-envoy-gateway.yaml' }],
  invalid: [
    {
      name: 'TLSRoute on Terminate, Cilium',
      yaml: 'file:test/fixtures/scenarios/routes/gwtls-rt-004/invalid-tlsroute-on-terminate-cilium.yaml',
      findings: [{ object: 'TLSRoute infra/t', message: /Cilium does not support TLSRoute on Terminate/ }],
    },
  ],
});

testRule(rt005, {
  valid: [{ name: 'TCPRoute on a TCP listener', yaml: 'file:test/fixtures/scenarios/routes/gwtls-rt-005/valid-tcproute-on-a-tcp-listener.yaml' }],
  invalid: [{ name: 'TCPRoute on TLS/Terminate', yaml: 'file:test/fixtures/scenarios/routes/gwtls-rt-005/invalid-tcproute-on-tls-terminate.yaml', findings: [{ object: 'TCPRoute infra/db', severity: 'info' }] }],
});

testRule(rt006, {
  valid: [
    { name: 'same namespace', yaml: 'file:test/fixtures/scenarios/routes/gwtls-rt-006/valid-same-namespace.yaml' },
    { name: 'from All', yaml: 'file:test/fixtures/scenarios/routes/gwtls-rt-006/valid-from-all.yaml' },
  ],
  invalid: [
    {
      name: 'route in another namespace, from Same (default)',
      yaml: 'file:test/fixtures/scenarios/routes/gwtls-rt-006/invalid-route-in-another-namespace-from-same-default.yaml',
      findings: [{ object: 'TCPRoute db/db', message: /namespace db, which listener tls/, fixes: 0, suggestions: 1 }],
    },
    {
      name: 'selector the namespace does not match',
      yaml: 'file:test/fixtures/scenarios/routes/gwtls-rt-006/invalid-selector-the-namespace-does-not-match.yaml',
      findings: [{ object: 'TCPRoute db/db', fixes: 0, suggestions: 1 }],
    },
  ],
});

testRule(rt007, {
  valid: [{ name: 'wildcard listener covers a deeper name', yaml: 'file:test/fixtures/scenarios/routes/gwtls-rt-007/valid-wildcard-listener-covers-a-deeper-name.yaml' }],
  invalid: [
    {
      name: 'disjoint hostnames',
      yaml: 'file:test/fixtures/scenarios/routes/gwtls-rt-007/invalid-disjoint-hostnames.yaml',
      findings: [{ object: 'HTTPRoute infra/web', message: /blog.example.com, none of which falls under hostname shop.example.com/ }],
    },
    {
      // Envoy Gateway computeHosts (internal/gatewayapi/helpers.go): found by the differential test (test/oracle).
      name: 'the name belongs to a more specific listener on the same port (Envoy Gateway)',
      yaml: 'file:test/fixtures/scenarios/routes/gwtls-rt-007/invalid-the-name-belongs-to-a-more-specific-listener-on-the-same-port-envoy-gateway.yaml',
      findings: [{ object: 'HTTPRoute infra/web', message: /leaves shop.example.com to listener shop .* on the same port: the route is not attached through any/ }],
    },
  ],
});

testRule(rt008, {
  valid: [{ name: 'one TCPRoute per listener', yaml: 'file:test/fixtures/scenarios/routes/gwtls-rt-008/valid-one-tcproute-per-listener.yaml' }],
  invalid: [
    {
      name: 'two TCPRoutes on one listener',
      yaml: 'file:test/fixtures/scenarios/routes/gwtls-rt-008/invalid-two-tcproutes-on-one-listener.yaml',
      findings: [{ object: 'Gateway infra/gw', message: /only TCPRoute infra\/a \(the oldest\)/ }],
    },
  ],
});

void https;

testRule(rt010, {
  valid: [{ name: 'the route names its Gateway', yaml: 'file:test/fixtures/scenarios/routes/gwtls-rt-010/valid-the-route-names-its-gateway.yaml' }],
  invalid: [
    {
      name: 'parentRefs removed, the only Gateway beside it serves TCPRoute',
      yaml: 'file:test/fixtures/scenarios/routes/gwtls-rt-010/invalid-parentrefs-removed-the-only-gateway-beside-it-serves-tcproute.yaml',
      findings: [{ object: 'TCPRoute infra/db', message: /has no parentRefs, so no Gateway serves it/, fixes: 1 }],
    },
    { name: 'no parentRefs and no Gateway serves the kind', yaml: 'file:test/fixtures/scenarios/routes/gwtls-rt-010/invalid-no-parentrefs-and-no-gateway-serves-the-kind.yaml', findings: [{ object: 'UDPRoute infra/db', fixes: 0 }] },
  ],
});
