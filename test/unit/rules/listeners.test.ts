import { readFileSync } from 'node:fs';
import * as yaml from 'js-yaml';
import { describe, expect, it } from 'vitest';
import { loadManifests } from '../../../src/cluster/manifests.ts';
import { Snapshot } from '../../../src/cluster/snapshot.ts';
import { buildModel } from '../../../src/graph/model.ts';
import { runRules } from '../../../src/rules/engine.ts';
import { CERTIFICATES_RULES } from '../../../src/rules/certificates/index.ts';
import { LISTENERS_RULES } from '../../../src/rules/listeners/index.ts';
import { lsn001 } from '../../../src/rules/listeners/lsn-001-not-accepted.ts';
import { lsn002 } from '../../../src/rules/listeners/lsn-002-conflicted.ts';
import { lsn003 } from '../../../src/rules/listeners/lsn-003-invalid-kinds.ts';
import { lsn004 } from '../../../src/rules/listeners/lsn-004-secret-missing.ts';
import { lsn005 } from '../../../src/rules/listeners/lsn-005-secret-unusable.ts';
import { lsn006 } from '../../../src/rules/listeners/lsn-006-ref-not-permitted.ts';
import { lsn007 } from '../../../src/rules/listeners/lsn-007-passthrough-certificate-refs.ts';
import { lsn008 } from '../../../src/rules/listeners/lsn-008-no-tls.ts';
import { lsn009 } from '../../../src/rules/listeners/lsn-009-overlapping-tls.ts';
import { lsn010 } from '../../../src/rules/listeners/lsn-010-no-routes.ts';
import { issue, tlsSecret } from '../../helpers/certs.ts';
import { DEFAULT_NOW, testRule } from '../../helpers/rule-tester.ts';
import { eg } from '../../helpers/rule-fixtures.ts';

// Validity windows around DEFAULT_NOW (2026-11-22).
const FROM = new Date('2026-01-01T00:00:00Z');
const TO = new Date('2036-01-01T00:00:00Z');
const ca = issue({ cn: 'Test CA', ca: true, notBefore: FROM, notAfter: TO });
const shop = issue({ dns: ['shop.example.com'], issuer: ca, notBefore: FROM, notAfter: TO });

const secret = (name: string, ns: string, leaf = shop, type?: string) => yaml.dump(tlsSecret(name, ns, leaf.certPem + ca.certPem, leaf.keyPem, type));
const gateway = (listeners: string, opts: { cls?: string; ns?: string; extra?: string; annotations?: string } = {}) => `apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: {name: gw, namespace: ${opts.ns ?? 'infra'}${opts.annotations ? `, annotations: {${opts.annotations}}` : ''}}
spec:
  gatewayClassName: ${opts.cls ?? 'eg'}
  listeners:
${listeners}
${opts.extra ?? ''}`;
const https = (name: string, hostname: string, ref: string, port = 443) => `    - {name: ${name}, protocol: HTTPS, port: ${port}, hostname: "${hostname}", tls: {mode: Terminate, certificateRefs: [{name: ${ref}}]}}`;
const tlsTerminate = (ref: string, extra = '') => `    - {name: tls, protocol: TLS, port: 5432, hostname: db.example.com, tls: {mode: Terminate, certificateRefs: [{name: ${ref}}]}${extra}}`;

testRule(lsn001, {
  valid: [
    { name: 'HTTPS on Envoy Gateway', yaml: 'file:test/fixtures/scenarios/listeners/gwtls-lsn-001/valid-https-on-envoy-gateway.yaml' },
    { name: 'TLS on an NLB', yaml: 'file:test/fixtures/scenarios/listeners/gwtls-lsn-001/valid-tls-on-an-nlb.yaml' },
    { name: 'implementation-specific protocol on an unrecognised implementation', yaml: 'file:test/fixtures/scenarios/listeners/gwtls-lsn-001/valid-implementation-specific-protocol-on-an-unrecognised-implementation.yaml' },
  ],
  invalid: [
    {
      name: 'HTTPS on an NLB, with a TCPRoute waiting for it',
      yaml: 'file:test/fixtures/scenarios/listeners/gwtls-lsn-001/invalid-https-on-an-nlb-with-a-tcproute-waiting-for-it.yaml',
      findings: [{ object: 'Gateway infra/gw', field: 'spec.listeners[0].protocol', message: /NLB gateway accepts only TCP, UDP and TLS listeners, not HTTPS.*no listener on port 443.*Use protocol TLS/, fixes: 1 }],
    },
    {
      name: 'TLS on an ALB (needs the NLB class; no in-place fix)',
      yaml: 'file:test/fixtures/scenarios/listeners/gwtls-lsn-001/invalid-tls-on-an-alb-needs-the-nlb-class-no-in-place-fix.yaml',
      findings: [{ object: 'Gateway infra/gw', message: /ALB gateway accepts only HTTP and HTTPS.*NLB class/, fixes: 0 }],
    },
    {
      name: 'status: port unavailable',
      yaml: 'file:test/fixtures/scenarios/listeners/gwtls-lsn-001/invalid-status-port-unavailable.yaml',
      findings: [{ object: 'Gateway infra/gw', message: /not accepted by gateway.envoyproxy.io\/gatewayclass-controller: port 443 cannot be used/, fixes: 0 }],
    },
  ],
});

testRule(lsn002, {
  valid: [
    { name: 'two HTTPS hostnames on one port', yaml: 'file:test/fixtures/scenarios/listeners/gwtls-lsn-002/valid-two-https-hostnames-on-one-port.yaml' },
    { name: 'TCP and UDP on one port', yaml: 'file:test/fixtures/scenarios/listeners/gwtls-lsn-002/valid-tcp-and-udp-on-one-port.yaml' },
    { name: 'status says NoConflicts', yaml: 'file:test/fixtures/scenarios/listeners/gwtls-lsn-002/valid-status-says-noconflicts.yaml' },
  ],
  invalid: [
    {
      name: 'TCP and TLS on one port (spec)',
      yaml: 'file:test/fixtures/scenarios/listeners/gwtls-lsn-002/invalid-tcp-and-tls-on-one-port-spec.yaml',
      findings: [{ object: 'Gateway infra/gw', severity: 'error', message: /Listeners tls and admin .*conflict on port 5432 \(ProtocolConflict\): a TCP listener cannot share/, fixes: 0 }],
    },
    {
      name: 'HTTP and HTTPS on one port (Envoy Gateway)',
      yaml: 'file:test/fixtures/scenarios/listeners/gwtls-lsn-002/invalid-http-and-https-on-one-port-envoy-gateway.yaml',
      findings: [{ object: 'Gateway infra/gw', severity: 'error', message: /cannot serve plaintext HTTP and TLS on one port/ }],
    },
    {
      name: 'HTTP and HTTPS on one port (unrecognised implementation: warning)',
      yaml: 'file:test/fixtures/scenarios/listeners/gwtls-lsn-002/invalid-http-and-https-on-one-port-unrecognised-implementation-warning.yaml',
      findings: [{ object: 'Gateway infra/gw', severity: 'warning' }],
    },
    {
      name: 'same port, protocol and hostname twice',
      yaml: 'file:test/fixtures/scenarios/listeners/gwtls-lsn-002/invalid-same-port-protocol-and-hostname-twice.yaml',
      findings: [{ object: 'Gateway infra/gw', message: /HostnameConflict.*Combination of port, protocol and hostname must be unique/ }],
    },
    {
      name: 'status: Conflicted=True the spec does not explain',
      yaml: 'file:test/fixtures/scenarios/listeners/gwtls-lsn-002/invalid-status-conflicted-true-the-spec-does-not-explain.yaml',
      findings: [{ object: 'Gateway infra/gw', message: /is conflicted \(HostnameConflict: Port, protocol and hostname tuple/ }],
    },
  ],
});

testRule(lsn003, {
  valid: [
    { name: 'HTTPS narrowed to HTTPRoute', yaml: 'file:test/fixtures/scenarios/listeners/gwtls-lsn-003/valid-https-narrowed-to-httproute.yaml' },
    { name: 'unsupported protocol is LSN-001\'s', yaml: 'file:test/fixtures/scenarios/listeners/gwtls-lsn-003/valid-unsupported-protocol-is-lsn-001-s.yaml' },
  ],
  invalid: [
    {
      name: 'HTTPS listener that only allows TCPRoute: the kind list is the point',
      yaml: 'file:test/fixtures/scenarios/listeners/gwtls-lsn-003/invalid-https-listener-that-only-allows-tcproute-the-kind-list-is-the-point.yaml',
      findings: [{ object: 'Gateway infra/gw', severity: 'error', message: /TCPRoute cannot attach to an HTTPS listener.*no route of any kind can attach/, fixes: 1 }],
    },
    {
      name: 'same, with the TCPRoute waiting: GWTLS-RT-003 carries the fix',
      yaml: 'file:test/fixtures/scenarios/listeners/gwtls-lsn-003/invalid-same-with-the-tcproute-waiting-gwtls-rt-003-carries-the-fix.yaml',
      findings: [{ object: 'Gateway infra/gw', message: /TCPRoute infra\/db targets it: GWTLS-RT-003 gives the protocol change it needs/, fixes: 0 }],
    },
    {
      name: 'status: InvalidRouteKinds the profile does not explain',
      yaml: 'file:test/fixtures/scenarios/listeners/gwtls-lsn-003/invalid-status-invalidroutekinds-the-profile-does-not-explain.yaml',
      findings: [{ object: 'Gateway infra/gw', message: /the controller reports an invalid route kind \(GRPCRoute is not supported\)/, fixes: 0 }],
    },
    {
      name: 'a valid and an invalid kind (Envoy Gateway refuses the listener)',
      yaml: 'file:test/fixtures/scenarios/listeners/gwtls-lsn-003/invalid-a-valid-and-an-invalid-kind-envoy-gateway-refuses-the-listener.yaml',
      findings: [{ object: 'Gateway infra/gw', severity: 'error', message: /does not program it, so HTTPRoute traffic fails too/, fixes: 1 }],
    },
    {
      name: 'a valid and an invalid kind elsewhere (warning)',
      yaml: 'file:test/fixtures/scenarios/listeners/gwtls-lsn-003/invalid-a-valid-and-an-invalid-kind-elsewhere-warning.yaml',
      findings: [{ object: 'Gateway infra/gw', severity: 'warning', message: /WebRoute\.example\.com/, fixes: 1 }],
    },
  ],
});

testRule(lsn004, {
  valid: [
    { name: 'Secret exists', yaml: 'file:test/fixtures/scenarios/listeners/gwtls-lsn-004/valid-secret-exists.yaml' },
    { name: 'no Secrets in the input: unknown, not missing', yaml: 'file:test/fixtures/scenarios/listeners/gwtls-lsn-004/valid-no-secrets-in-the-input-unknown-not-missing.yaml' },
    { name: 'AWS load balancers ignore certificateRefs', yaml: 'file:test/fixtures/scenarios/listeners/gwtls-lsn-004/valid-aws-load-balancers-ignore-certificaterefs.yaml' },
  ],
  invalid: [
    {
      name: 'Secret missing',
      yaml: 'file:test/fixtures/scenarios/listeners/gwtls-lsn-004/invalid-secret-missing.yaml',
      findings: [{ object: 'Gateway infra/gw', field: 'spec.listeners[0].tls.certificateRefs[0]', severity: 'error', message: /names Secret infra\/web-tls, which does not exist: Envoy Gateway marks the listener ResolvedRefs=False.*kubectl create secret tls web-tls/, fixes: 0 }],
    },
    {
      name: 'a typo next to the real Secret',
      yaml: 'file:test/fixtures/scenarios/listeners/gwtls-lsn-004/invalid-a-typo-next-to-the-real-secret.yaml',
      findings: [{ object: 'Gateway infra/gw', message: /Secret infra\/web-tls exists and is probably the one meant/, fixes: 1 }],
    },
    {
      name: 'a cert-manager Certificate named instead of its Secret',
      yaml: 'file:test/fixtures/scenarios/listeners/gwtls-lsn-004/invalid-a-cert-manager-certificate-named-instead-of-its-secret.yaml',
      findings: [{ object: 'Gateway infra/gw', message: /names Certificate \(group cert-manager.io\) web-tls, but only core Secrets/, fixes: 1 }],
    },
    {
      name: 'a second certificate missing while the first serves (warning)',
      yaml: 'file:test/fixtures/scenarios/listeners/gwtls-lsn-004/invalid-a-second-certificate-missing-while-the-first-serves-warning.yaml',
      findings: [{ object: 'Gateway infra/gw', severity: 'warning', message: /clients get Secret infra\/web-tls instead/ }],
    },
    {
      name: 'cross-namespace Secret missing (the grant comes second)',
      yaml: 'file:test/fixtures/scenarios/listeners/gwtls-lsn-004/invalid-cross-namespace-secret-missing-the-grant-comes-second.yaml',
      findings: [{ object: 'Gateway infra/gw', message: /names Secret certs\/shop-tls, which does not exist; once it exists, a ReferenceGrant in namespace certs/, fixes: 0 }],
    },
    {
      name: 'cert-manager will create it (files): info',
      yaml: 'file:test/fixtures/scenarios/listeners/gwtls-lsn-004/invalid-cert-manager-will-create-it-files-info.yaml',
      findings: [{ object: 'Gateway infra/gw', severity: 'info', message: /cert-manager.io\/cluster-issuer annotation asks cert-manager to create it/ }],
    },
  ],
});

testRule(lsn005, {
  valid: [
    { name: 'kubernetes.io/tls with chain and key', yaml: 'file:test/fixtures/scenarios/listeners/gwtls-lsn-005/valid-kubernetes-io-tls-with-chain-and-key.yaml' },
    { name: 'Opaque Secret on an NLB (never read)', yaml: 'file:test/fixtures/scenarios/listeners/gwtls-lsn-005/valid-opaque-secret-on-an-nlb-never-read.yaml' },
  ],
  invalid: [
    {
      name: 'Opaque Secret on Envoy Gateway',
      yaml: 'file:test/fixtures/scenarios/listeners/gwtls-lsn-005/invalid-opaque-secret-on-envoy-gateway.yaml',
      findings: [{ object: 'Secret infra/web-tls', field: 'type', severity: 'error', message: /type is Opaque, not kubernetes.io\/tls.*cannot be changed: delete it and recreate/, fixes: 0 }],
    },
    {
      name: 'Opaque Secret elsewhere (warning)',
      yaml: 'file:test/fixtures/scenarios/listeners/gwtls-lsn-005/invalid-opaque-secret-elsewhere-warning.yaml',
      findings: [{ object: 'Secret infra/web-tls', severity: 'warning' }],
    },
    {
      name: 'no tls.key',
      yaml: 'file:test/fixtures/scenarios/listeners/gwtls-lsn-005/invalid-no-tls-key.yaml',
      findings: [{ object: 'Secret infra/web-tls', field: 'data.tls.key', message: /has no tls.key/ }],
    },
    {
      name: 'tls.crt is not PEM',
      yaml: 'file:test/fixtures/scenarios/listeners/gwtls-lsn-005/invalid-tls-crt-is-not-pem.yaml',
      findings: [{ object: 'Secret infra/web-tls', field: 'data.tls.crt', message: /tls.crt holds no readable certificate/ }],
    },
    {
      name: 'status: the controller refuses a Secret that looks right',
      yaml: 'file:test/fixtures/scenarios/listeners/gwtls-lsn-005/invalid-status-the-controller-refuses-a-secret-that-looks-right.yaml',
      findings: [{ object: 'Gateway infra/gw', message: /the controller refuses its certificate Secret \(unsupported key size\)/ }],
    },
    {
      name: 'encrypted private key (never printed)',
      yaml: 'file:test/fixtures/scenarios/listeners/gwtls-lsn-005/invalid-encrypted-private-key-never-printed.yaml',
      findings: [{ object: 'Secret infra/web-tls', message: /^(?!.*ENCRYPTED PRIVATE KEY).*tls.key is unusable: the private key is encrypted/ }],
    },
  ],
});

testRule(lsn006, {
  valid: [
    { name: 'grant in the Secret namespace', yaml: 'file:test/fixtures/scenarios/listeners/gwtls-lsn-006/valid-grant-in-the-secret-namespace.yaml' },
    { name: 'Secret missing as well: LSN-004 comes first', yaml: 'file:test/fixtures/scenarios/listeners/gwtls-lsn-006/valid-secret-missing-as-well-lsn-004-comes-first.yaml' },
    { name: 'a grant from ListenerSets of the team namespace', yaml: 'file:test/fixtures/scenarios/listeners/gwtls-lsn-006/valid-a-grant-from-listenersets-of-the-team-namespace.yaml' },
  ],
  invalid: [
    {
      name: 'no grant',
      yaml: 'file:test/fixtures/scenarios/listeners/gwtls-lsn-006/invalid-no-grant.yaml',
      findings: [{ object: 'Gateway infra/gw', field: 'spec.listeners[0].tls.certificateRefs[0]', message: /no ReferenceGrant in namespace certs allows Gateways from namespace infra/, fixes: 0, suggestions: 1 }],
    },
    {
      // ListenerSet ReferenceGrant semantics (listenerset_types.go): a grant to the Gateway is not inherited.
      name: 'a ListenerSet listener with only the grant its Gateway has',
      yaml: 'file:test/fixtures/scenarios/listeners/gwtls-lsn-006/invalid-a-listenerset-listener-with-only-the-grant-its-gateway-has.yaml',
      findings: [{ object: 'ListenerSet team-a/apps', field: 'spec.listeners[0].tls.certificateRefs[0]', message: /allows ListenerSets from namespace team-a.*a ListenerSet does not inherit its Gateway's grants/, fixes: 0, suggestions: 1 }],
    },
  ],
});

testRule(lsn007, {
  valid: [
    { name: 'seed c passthrough as written', yaml: 'file:test/fixtures/seeds/c-calico-passthrough/as-written.yaml' },
    { name: 'AWS NLB (LBC-002 reports ignored refs)', yaml: 'file:test/fixtures/scenarios/listeners/gwtls-lsn-007/valid-aws-nlb-lbc-002-reports-ignored-refs.yaml' },
  ],
  invalid: [
    {
      name: 'seed c passthrough with certificateRefs (Calico refuses the listener)',
      yaml: 'file:test/fixtures/seeds/c-calico-passthrough/with-certificate-refs.yaml',
      findings: [{ object: 'Gateway default/tls-passthrough-gateway', severity: 'error', message: /Calico Ingress Gateway \(Envoy Gateway\) refuses such a listener \(Programmed=False\)/, fixes: 1 }],
    },
    { name: 'elsewhere: ignored, misleading', yaml: 'file:test/fixtures/scenarios/listeners/gwtls-lsn-007/invalid-elsewhere-ignored-misleading.yaml', findings: [{ object: 'Gateway infra/gw', severity: 'warning', message: /ignored in Passthrough mode/, fixes: 1 }] },
  ],
});

testRule(lsn008, {
  valid: [
    { name: 'HTTPS with a certificate', yaml: 'file:test/fixtures/scenarios/listeners/gwtls-lsn-008/valid-https-with-a-certificate.yaml' },
    { name: 'HTTPS without tls on an ALB (the certificate comes from ACM)', yaml: 'file:test/fixtures/scenarios/listeners/gwtls-lsn-008/valid-https-without-tls-on-an-alb-the-certificate-comes-from-acm.yaml' },
    { name: 'TLS passthrough', yaml: 'file:test/fixtures/scenarios/listeners/gwtls-lsn-008/valid-tls-passthrough.yaml' },
  ],
  invalid: [
    {
      name: 'HTTPS without tls, a fitting Secret in the namespace',
      yaml: 'file:test/fixtures/scenarios/listeners/gwtls-lsn-008/invalid-https-without-tls-a-fitting-secret-in-the-namespace.yaml',
      findings: [{ object: 'Gateway infra/gw', severity: 'error', message: /is HTTPS but has no tls section: Envoy Gateway does not program the listener/, fixes: 1 }],
    },
    {
      name: 'HTTPS without tls, no fitting Secret',
      yaml: 'file:test/fixtures/scenarios/listeners/gwtls-lsn-008/invalid-https-without-tls-no-fitting-secret.yaml',
      findings: [{ object: 'Gateway infra/gw', message: /Create a kubernetes.io\/tls Secret/, fixes: 0 }],
    },
    {
      name: 'Terminate without certificateRefs or options',
      yaml: 'file:test/fixtures/scenarios/listeners/gwtls-lsn-008/invalid-terminate-without-certificaterefs-or-options.yaml',
      findings: [{ object: 'Gateway infra/gw', field: 'spec.listeners[0].tls', message: /certificateRefs or options must be specified when mode is Terminate/, fixes: 0 }],
    },
    {
      name: 'NLB TLS listener without tls: an option stands in for the ignored refs',
      yaml: 'file:test/fixtures/scenarios/listeners/gwtls-lsn-008/invalid-nlb-tls-listener-without-tls-an-option-stands-in-for-the-ignored-refs.yaml',
      findings: [{ object: 'Gateway infra/gw', message: /tls mode must be set for protocol TLS/, fixes: 1 }],
    },
    {
      name: 'TLS without tls.mode (v1.5+ rejects it)',
      yaml: 'file:test/fixtures/scenarios/listeners/gwtls-lsn-008/invalid-tls-without-tls-mode-v1-5-rejects-it.yaml',
      findings: [{ object: 'Gateway infra/gw', severity: 'warning', field: 'spec.listeners[0].tls.mode', fixes: 1 }],
    },
    {
      name: 'HTTP with a tls section',
      yaml: 'file:test/fixtures/scenarios/listeners/gwtls-lsn-008/invalid-http-with-a-tls-section.yaml',
      findings: [{ object: 'Gateway infra/gw', message: /is HTTP but has a tls section \(HTTPS was probably meant\)/, fixes: 1 }],
    },
  ],
});

testRule(lsn009, {
  valid: [
    { name: 'distinct hostnames', yaml: 'file:test/fixtures/scenarios/listeners/gwtls-lsn-009/valid-distinct-hostnames.yaml' },
    { name: 'wildcard on another port', yaml: 'file:test/fixtures/scenarios/listeners/gwtls-lsn-009/valid-wildcard-on-another-port.yaml' },
  ],
  invalid: [
    {
      name: 'wildcard listener whose certificate covers the other listener',
      yaml: 'file:test/fixtures/scenarios/listeners/gwtls-lsn-009/invalid-wildcard-listener-whose-certificate-covers-the-other-listener.yaml',
      findings: [{ object: 'Gateway infra/gw', severity: 'warning', message: /OverlappingHostnames.*may reuse it for api.example.com.*421 Misdirected Request/, fixes: 0 }],
    },
    {
      name: 'wildcard listener whose certificate does not cover the other (info)',
      yaml: 'file:test/fixtures/scenarios/listeners/gwtls-lsn-009/invalid-wildcard-listener-whose-certificate-does-not-cover-the-other-info.yaml',
      findings: [{ object: 'Gateway infra/gw', severity: 'info', message: /does not cover api.example.com/ }],
    },
    {
      name: 'certificates overlap although hostnames do not',
      yaml: 'file:test/fixtures/scenarios/listeners/gwtls-lsn-009/invalid-certificates-overlap-although-hostnames-do-not.yaml',
      findings: [{ object: 'Gateway infra/gw', field: 'spec.listeners[0].tls.certificateRefs', message: /OverlappingCertificates/ }],
    },
    {
      name: 'status: OverlappingTLSConfig',
      yaml: 'file:test/fixtures/scenarios/listeners/gwtls-lsn-009/invalid-status-overlappingtlsconfig.yaml',
      findings: [{ object: 'Gateway infra/gw', severity: 'warning', message: /overlaps another listener's on port 443 \(OverlappingCertificates\)/ }],
    },
  ],
});

testRule(lsn010, {
  valid: [
    { name: 'a route attached', yaml: 'file:test/fixtures/scenarios/listeners/gwtls-lsn-010/valid-a-route-attached.yaml' },
    { name: 'a route targets it but is rejected (RT-003 explains)', yaml: 'file:test/fixtures/scenarios/listeners/gwtls-lsn-010/valid-a-route-targets-it-but-is-rejected-rt-003-explains.yaml' },
    { name: 'no route kinds in the input: unknown', yaml: 'file:test/fixtures/scenarios/listeners/gwtls-lsn-010/valid-no-route-kinds-in-the-input-unknown.yaml' },
    { name: 'seed a: the route names the Gateway in a namespace where it does not exist (RT-001 explains)', yaml: 'file:test/fixtures/seeds/a-nlb-acm/as-written.yaml' },
  ],
  invalid: [
    {
      name: 'TLS listener beside an attached one',
      yaml: 'file:test/fixtures/scenarios/listeners/gwtls-lsn-010/invalid-tls-listener-beside-an-attached-one.yaml',
      findings: [{ object: 'Gateway infra/gw', field: 'spec.listeners[1]', severity: 'warning', message: /No route attaches to listener tls2.*connections on port 6432 are closed or reset/, fixes: 0 }],
    },
    {
      name: 'NLB: the listener is not even created',
      yaml: 'file:test/fixtures/scenarios/listeners/gwtls-lsn-010/invalid-nlb-the-listener-is-not-even-created.yaml',
      findings: [{ object: 'Gateway infra/gw', message: /does not even create the NLB listener/ }],
    },
  ],
});

/** The listener and certificate rules on a document set, from files or as if read from a cluster. */
async function lsnCertFindings(text: string, source: 'files' | 'cluster' = 'files') {
  const { snapshot: files } = await loadManifests(['-'], 'default', async () => text);
  let snapshot = files;
  if (source === 'cluster') {
    snapshot = new Snapshot({ type: 'cluster' });
    for (const kind of ['GatewayClass', 'Gateway', 'Secret', 'TCPRoute', 'HTTPRoute', 'TLSRoute'] as const) for (const o of files.list(kind)) snapshot.add(o);
  }
  const model = buildModel(snapshot, { allNamespaces: true }, new Date(DEFAULT_NOW));
  return runRules(model, [...LISTENERS_RULES, ...CERTIFICATES_RULES]).findings;
}

describe('seed scenarios, listener and certificate rules', () => {
  for (const file of ['c-calico-tls-termination/corrected.yaml', 'c-calico-passthrough/as-written.yaml']) {
    it(`${file}: no listener or certificate errors`, async () => {
      const text = readFileSync(new URL(`../../fixtures/seeds/${file}`, import.meta.url), 'utf8');
      const errors = (await lsnCertFindings(text)).filter((f) => f.severity === 'error');
      expect(errors.map((f) => `${f.code} ${f.message}`)).toEqual([]);
    });
  }
});

describe('cluster source', () => {
  it('a missing Secret is an error there even when cert-manager should create it', async () => {
    const text = [eg, gateway(https('web', 'shop.example.com', 'web-cert'), { annotations: 'cert-manager.io/cluster-issuer: letsencrypt' }), secret('other', 'infra')].join('\n---\n');
    const f = (await lsnCertFindings(text, 'cluster')).filter((x) => x.code === 'GWTLS-LSN-004');
    // This snapshot has every kind listed (Certificates too, none of them for web-cert): GWTLS-CM-001 says why.
    expect(f.map((x) => [x.severity, x.message])).toEqual([['error', expect.stringMatching(/cert-manager should create it.*no Certificate for it exists: see GWTLS-CM-001/)]]);
  });
  it('route kinds that were listed and are empty make LSN-010 certain', async () => {
    const text = [eg, gateway(tlsTerminate('db-tls'))].join('\n---\n');
    expect((await lsnCertFindings(text, 'files')).filter((x) => x.code === 'GWTLS-LSN-010')).toEqual([]);
    expect((await lsnCertFindings(text, 'cluster')).filter((x) => x.code === 'GWTLS-LSN-010').map((x) => x.listener)).toEqual(['tls']);
  });
});
