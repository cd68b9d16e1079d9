// GWTLS-CM-*: cert-manager's issuance chain behind a listener's certificate. The scenario files carry the status
// cert-manager v1.21.2 writes (test/fixtures/generate-cert-manager.ts); the e2e test
// test/e2e/cert-manager.test.ts runs the real controllers for the CA/SelfSigned chain.
import { testRule } from '../../helpers/rule-tester.ts';
import { cm001 } from '../../../src/rules/cert-manager/cm-001-no-certificate.ts';
import { cm002 } from '../../../src/rules/cert-manager/cm-002-not-ready.ts';
import { cm003 } from '../../../src/rules/cert-manager/cm-003-issuer-not-ready.ts';
import { cm004 } from '../../../src/rules/cert-manager/cm-004-http01-route.ts';
import { cm006 } from '../../../src/rules/cert-manager/cm-006-secret-not-owned.ts';
import { cm007 } from '../../../src/rules/cert-manager/cm-007-renewal-overdue.ts';
import { cm008 } from '../../../src/rules/cert-manager/cm-008-dnsnames.ts';

testRule(cm001, {
  valid: [
    { name: 'the gateway-shim made the Certificate', yaml: 'file:test/fixtures/scenarios/cert-manager/gwtls-cm-001/valid-the-gateway-shim-made-the-certificate.yaml' },
    { name: 'passthrough and ignored listeners get no Certificate', yaml: 'file:test/fixtures/scenarios/cert-manager/gwtls-cm-001/valid-passthrough-and-ignored-listeners-get-no-certificate.yaml' },
    { name: 'the listenerset shim made the Certificate of a ListenerSet', yaml: 'file:test/fixtures/scenarios/cert-manager/gwtls-cm-001/valid-the-listenerset-shim-made-the-certificate-of-a-listenerset.yaml' },
  ],
  invalid: [
    {
      name: 'gateway-shim not running',
      yaml: 'file:test/fixtures/scenarios/cert-manager/gwtls-cm-001/invalid-gateway-shim-not-running.yaml',
      findings: [{ object: 'Gateway infra/gw', severity: 'error', field: 'spec.listeners[0].tls.certificateRefs', message: /should get Certificate infra\/shop-tls for shop\.example\.com.*the gateway-shim is not running.*--enable-gateway-api.*config\.enableGatewayAPI: true/, fixes: 1 }],
    },
    {
      name: 'listener without hostname is skipped',
      yaml: 'file:test/fixtures/scenarios/cert-manager/gwtls-cm-001/invalid-listener-without-hostname-is-skipped.yaml',
      findings: [{ object: 'Gateway infra/gw', severity: 'error', field: 'spec.listeners[1].hostname', message: /Skipped a listener block: spec\.listeners\[1\]\.hostname: Required value: the hostname cannot be empty/, fixes: 0, suggestions: 1 }],
    },
    {
      name: 'issuer and cluster-issuer both set',
      yaml: 'file:test/fixtures/scenarios/cert-manager/gwtls-cm-001/invalid-issuer-and-cluster-issuer-both-set.yaml',
      findings: [{ object: 'Gateway infra/gw', field: 'metadata.annotations', message: /both "cert-manager\.io\/issuer" and "cert-manager\.io\/cluster-issuer" may not be set/ }],
    },
    {
      name: 'a ListenerSet inherits the cluster-issuer of its Gateway and the listenerset shim is not running',
      yaml: 'file:test/fixtures/scenarios/cert-manager/gwtls-cm-001/invalid-a-listenerset-inherits-the-cluster-issuer-of-its-gateway-and-the-listenerset-shim-is-not-running.yaml',
      findings: [{ object: 'ListenerSet infra/apps', field: 'spec.listeners[0].tls.certificateRefs', message: /inherited from Gateway infra\/gw.*listenerset shim is not running.*feature gate ListenerSets.*--enable-gateway-api-listenerset/, fixes: 1 }],
    },
  ],
});

testRule(cm002, {
  valid: [{ name: 'Ready', yaml: 'file:test/fixtures/scenarios/cert-manager/gwtls-cm-002/valid-ready.yaml' }],
  invalid: [
    {
      name: 'CA issuer without its CA Secret',
      yaml: 'file:test/fixtures/scenarios/cert-manager/gwtls-cm-002/invalid-ca-issuer-without-its-ca-secret.yaml',
      findings: [{ object: 'Certificate infra/shop-tls', severity: 'error', message: /is not Ready: DoesNotExist.*Cause: Issuer infra\/ca is not Ready \(ErrGetKeyPair\): Error getting keypair for CA issuer: secrets "missing-ca" not found \(GWTLS-CM-003\)/ }],
    },
    {
      name: 'new name waits for a failing challenge, old certificate still served',
      yaml: 'file:test/fixtures/scenarios/cert-manager/gwtls-cm-002/invalid-new-name-waits-for-a-failing-challenge-old-certificate-still-served.yaml',
      findings: [{ object: 'Certificate infra/shop-tls', severity: 'warning', message: /listeners https, www.*RequestChanged.*HTTP-01 challenge for www\.shop\.example\.com is pending: Waiting for HTTP-01 challenge propagation: wrong status code '404'.*Clients still get the previous certificate/ }],
    },
  ],
});

testRule(cm003, {
  valid: [{ name: 'ClusterIssuer Ready', yaml: 'file:test/fixtures/scenarios/cert-manager/gwtls-cm-003/valid-clusterissuer-ready.yaml' }],
  invalid: [
    {
      name: 'CA issuer without its CA Secret',
      yaml: 'file:test/fixtures/scenarios/cert-manager/gwtls-cm-003/invalid-ca-issuer-without-its-ca-secret.yaml',
      findings: [{ object: 'Issuer infra/ca', severity: 'error', message: /a CA issuer signing with Secret missing-ca in namespace infra\) is not Ready: ErrGetKeyPair/ }],
    },
    {
      name: 'issuer annotation names a ClusterIssuer',
      yaml: 'file:test/fixtures/scenarios/cert-manager/gwtls-cm-003/invalid-issuer-annotation-names-a-clusterissuer.yaml',
      findings: [{ object: 'Certificate infra/shop-tls', field: 'spec.issuerRef', message: /Issuer infra\/internal-ca.*does not exist \(a ClusterIssuer named internal-ca does/, fixes: 1 }],
    },
    {
      name: 'hand-written Certificate names the wrong issuer kind',
      yaml: 'file:test/fixtures/scenarios/cert-manager/gwtls-cm-003/invalid-hand-written-certificate-names-the-wrong-issuer-kind.yaml',
      findings: [{ object: 'Certificate infra/shop-tls', field: 'spec.issuerRef', fixes: 1 }],
    },
  ],
});

testRule(cm004, {
  valid: [
    { name: 'HTTP listener on port 80 admits the solver route', yaml: 'file:test/fixtures/scenarios/cert-manager/gwtls-cm-004/valid-http-listener-on-port-80-admits-the-solver-route.yaml' },
    { name: 'DNS-01 solver needs no route', yaml: 'file:test/fixtures/scenarios/cert-manager/gwtls-cm-004/valid-dns-01-solver-needs-no-route.yaml' },
  ],
  invalid: [
    {
      name: 'no HTTP listener on the Gateway',
      yaml: 'file:test/fixtures/scenarios/cert-manager/gwtls-cm-004/invalid-no-http-listener-on-the-gateway.yaml',
      findings: [{ object: 'Challenge infra/shop-tls-1-3843012-1021', severity: 'error', message: /Gateway infra\/gw has no HTTP listener.*Challenge infra\/shop-tls-1-3843012-1021 is pending/, suggestions: 1 }],
    },
    {
      name: 'HTTP listener hostname does not cover the name',
      yaml: 'file:test/fixtures/scenarios/cert-manager/gwtls-cm-004/invalid-http-listener-hostname-does-not-cover-the-name.yaml',
      findings: [{ object: 'Challenge infra/shop-tls-1-3843012-1021', severity: 'error', message: /hostname www\.example\.com does not intersect/, suggestions: 1 }],
    },
    {
      name: 'HTTP listener does not admit the namespace (renewal will fail)',
      yaml: 'file:test/fixtures/scenarios/cert-manager/gwtls-cm-004/invalid-http-listener-does-not-admit-the-namespace-renewal-will-fail.yaml',
      findings: [{ object: 'Certificate infra/shop-tls', severity: 'warning', message: /does not admit routes from namespace infra.*next renewal will fail/, suggestions: 1 }],
    },
  ],
});

testRule(cm006, {
  valid: [{ name: 'Secret written for its Certificate', yaml: 'file:test/fixtures/scenarios/cert-manager/gwtls-cm-006/valid-secret-written-for-its-certificate.yaml' }],
  invalid: [
    {
      name: 'two Certificates write one Secret',
      yaml: 'file:test/fixtures/scenarios/cert-manager/gwtls-cm-006/invalid-two-certificates-write-one-secret.yaml',
      findings: [{ object: 'Secret infra/shop-tls', severity: 'error', message: /claimed by Certificate infra\/shop-tls and Certificate infra\/shop-legacy/, suggestions: 1 }],
    },
    {
      name: 'Certificate deleted, Secret left behind',
      yaml: 'file:test/fixtures/scenarios/cert-manager/gwtls-cm-006/invalid-certificate-deleted-secret-left-behind.yaml',
      findings: [{ object: 'Secret infra/shop-tls', severity: 'warning', message: /issued by cert-manager for Certificate infra\/shop-tls, which no longer exists: nothing renews it, and its certificate expires on 2027-02-01/, fixes: 1 }],
    },
    {
      name: 'Secret created by hand',
      yaml: 'file:test/fixtures/scenarios/cert-manager/gwtls-cm-006/invalid-secret-created-by-hand.yaml',
      findings: [{ object: 'Secret infra/shop-tls', severity: 'warning', message: /not written by cert-manager/ }],
    },
  ],
});

testRule(cm007, {
  valid: [{ name: 'renewal not due yet', yaml: 'file:test/fixtures/scenarios/cert-manager/gwtls-cm-007/valid-renewal-not-due-yet.yaml' }],
  invalid: [
    {
      name: 'renewal failing, three days left',
      yaml: 'file:test/fixtures/scenarios/cert-manager/gwtls-cm-007/invalid-renewal-failing-three-days-left.yaml',
      findings: [{ object: 'Certificate infra/shop-tls', severity: 'error', field: 'status.renewalTime', message: /due for renewal on 2026-10-26T00:00:00Z \(27 days ago\).*the request failed: The CSR PEM requests a commonName.*expires on 2026-11-25T00:00:00Z, in 3 days/ }],
    },
    {
      name: 'no renewal started, four weeks left',
      yaml: 'file:test/fixtures/scenarios/cert-manager/gwtls-cm-007/invalid-no-renewal-started-four-weeks-left.yaml',
      findings: [{ object: 'Certificate infra/shop-tls', severity: 'warning', message: /no renewal has started.*is cert-manager running/ }],
    },
  ],
});

testRule(cm008, {
  valid: [{ name: 'wildcard dnsName covers the listener hostname', yaml: 'file:test/fixtures/scenarios/cert-manager/gwtls-cm-008/valid-wildcard-dnsname-covers-the-listener-hostname.yaml' }],
  invalid: [
    {
      name: 'hand-written Certificate lacks the listener hostname',
      yaml: 'file:test/fixtures/scenarios/cert-manager/gwtls-cm-008/invalid-hand-written-certificate-lacks-the-listener-hostname.yaml',
      findings: [{ object: 'Certificate infra/shop-tls', field: 'spec.dnsNames', message: /dnsNames \(www\.example\.com\) do not cover the listener hostname shop\.example\.com/, fixes: 1 }],
    },
    {
      name: 'Certificate controlled by another Gateway',
      yaml: 'file:test/fixtures/scenarios/cert-manager/gwtls-cm-008/invalid-certificate-controlled-by-another-gateway.yaml',
      findings: [{ object: 'Certificate infra/shop-tls', message: /Gateway infra\/gw-old controls it/, fixes: 0 }],
    },
  ],
});
