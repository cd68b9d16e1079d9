// Issue 14: corrections to what the catalog says, the failure modes it missed, and two conformance misses
// (gateway-api v1.6.1 backendtlspolicy-conflict-resolution, httproute-invalid-backendref-unknown-kind), each
// checked against the source its rule's docs page cites.
import { readFileSync } from 'node:fs';
import * as yaml from 'js-yaml';
import { describe, expect, it } from 'vitest';
import { loadManifests } from '../../../src/cluster/manifests.ts';
import { Snapshot } from '../../../src/cluster/snapshot.ts';
import { buildModel } from '../../../src/graph/model.ts';
import { runRules } from '../../../src/rules/engine.ts';
import { ALL_RULES } from '../../../src/rules/index.ts';
import { lbc004 } from '../../../src/rules/aws-lbc/lbc-004-passthrough-version.ts';
import { lbc015 } from '../../../src/rules/aws-lbc/lbc-015-acm-discovery-no-match.ts';
import { lbc016 } from '../../../src/rules/aws-lbc/lbc-016-route-kind-across-protocols.ts';
import { btls006 } from '../../../src/rules/backend-tls/btls-006-name-mismatch.ts';
import { btls008 } from '../../../src/rules/backend-tls/btls-008-conflicting-policies.ts';
import { btls012 } from '../../../src/rules/backend-tls/btls-012-san-validation-unsupported.ts';
import { be007 } from '../../../src/rules/backends/be-007-unsupported-backend.ts';
import { be008 } from '../../../src/rules/backends/be-008-lbc-instance-targets.ts';
import { cert001 } from '../../../src/rules/certificates/cert-001-expired.ts';
import { eg001 } from '../../../src/rules/envoy-gateway/eg-001-backend-disabled.ts';
import { eg005 } from '../../../src/rules/envoy-gateway/eg-005-terminate-without-certificate-refs.ts';
import { issue, tlsSecret } from '../../helpers/certs.ts';
import { analyse, DEFAULT_NOW, testRule } from '../../helpers/rule-tester.ts';
import { eg, nlb } from '../../helpers/rule-fixtures.ts';

const ROOT = new URL('../../../', import.meta.url);
const doc = (o: object) => yaml.dump(o, { lineWidth: -1 });
const indent = (pem: string, n = 4) => pem.trimEnd().split('\n').map((l) => `${' '.repeat(n)}${l}`).join('\n');
const validity = { notBefore: new Date('2026-01-01T00:00:00Z'), notAfter: new Date('2036-01-01T00:00:00Z') };
const classOf = (name: string, controller: string) => `apiVersion: gateway.networking.k8s.io/v1\nkind: GatewayClass\nmetadata: {name: ${name}}\nspec: {controllerName: ${controller}}`;

// ---------------------------------------------------------------------------------------------------------------
// The conformance manifests (sigs.k8s.io/gateway-api/conformance@v1.6.1), class placeholder replaced, the
// suite's CA ConfigMap generated, under the spec profile (an unrecognised controller).
const conformanceCa = issue({ cn: 'conformance CA', ca: true, ...validity });
function conformance(test: string): string {
  const read = (f: string) => readFileSync(new URL(`test/fixtures/conformance/v1.6.1/${f}.yaml`, ROOT), 'utf8');
  const ca = `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: tls-checks-ca-certificate, namespace: gateway-conformance-infra}\ndata:\n  ca.crt: |\n${indent(conformanceCa.certPem)}`;
  return [classOf('conformance', 'example.net/gateway-controller'), read('base-same-namespace').replaceAll('{GATEWAY_CLASS_NAME}', 'conformance'), read(test), ca].join('\n---\n');
}

testRule(btls008, {
  valid: [],
  invalid: [
    {
      name: 'conformance backendtlspolicy-conflict-resolution: only the two same-target, same-sectionName losers are Conflicted; the whole-Service policy next to a port-specific one is not',
      yaml: conformance('backendtlspolicy-conflict-resolution'),
      findings: [
        { object: 'BackendTLSPolicy gateway-conformance-infra/conflicted-without-section-name-2', severity: 'warning', message: /conflicted-without-section-name-1 wins \(its name comes first alphabetically\).*Conflicted/, fixes: 0 },
        { object: 'BackendTLSPolicy gateway-conformance-infra/conflicted-with-section-name-2', severity: 'warning', message: /conflicted-with-section-name-1 wins/, fixes: 0 },
      ],
    },
  ],
});

const twoPortService = (ports: string) => `apiVersion: v1
kind: Service
metadata: {name: app, namespace: apps}
spec:
  selector: {app: app}
  ports: ${ports}`;
const policyFor = (name: string, section?: string) => `apiVersion: gateway.networking.k8s.io/v1
kind: BackendTLSPolicy
metadata: {name: ${name}, namespace: apps}
spec:
  targetRefs: [{group: "", kind: Service, name: app${section ? `, sectionName: ${section}` : ''}}]
  validation: {hostname: app.apps.svc, wellKnownCACertificates: System}`;
const egGateway = `apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: {name: edge, namespace: apps}
spec:
  gatewayClassName: eg
  listeners:
    - {name: http, protocol: HTTP, port: 80}`;
const httpRouteTo = (port: number) => `apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: app, namespace: apps}
spec:
  parentRefs: [{name: edge}]
  rules: [{backendRefs: [{name: app, port: ${port}}]}]`;

testRule(btls008, {
  valid: [
    {
      name: 'a whole-Service policy and a port-specific one on a two-port Service: both apply, no conflict',
      yaml: [eg, egGateway, twoPortService('[{name: a, port: 443, targetPort: 8443}, {name: b, port: 8443, targetPort: 8443}]'), policyFor('whole'), policyFor('port-a', 'a'), httpRouteTo(443)],
    },
  ],
  invalid: [
    {
      name: 'every port has its own policy: the whole-Service one applies nowhere (information, still Accepted)',
      yaml: [eg, egGateway, twoPortService('[{name: a, port: 443, targetPort: 8443}]'), policyFor('whole'), policyFor('port-a', 'a'), httpRouteTo(443)],
      findings: [{ object: 'BackendTLSPolicy apps/whole', severity: 'info', field: 'spec.targetRefs', message: /still Accepted \(not Conflicted\)/, fixes: 0 }],
    },
  ],
});

testRule(be007, {
  valid: [{ name: 'a Service backend on the spec profile', yaml: conformance('backendtlspolicy-conflict-resolution') }],
  invalid: [
    {
      name: 'conformance httproute-invalid-backendref-unknown-kind: InvalidKind and HTTP 500 (a warning from files: the CRDs are unknown)',
      yaml: conformance('httproute-invalid-backendref-unknown-kind'),
      findings: [{ object: 'HTTPRoute gateway-conformance-infra/invalid-backend-ref-unknown-kind', severity: 'warning', field: 'spec.rules[0].backendRefs[0]', message: /NonExistent\.unknownkind\.example\.com.*ResolvedRefs=False, reason InvalidKind.*HTTP 500/, fixes: 0 }],
    },
    {
      name: 'a core kind other than Service: an error on any implementation',
      yaml: conformance('httproute-invalid-backendref-unknown-kind').replace('group: unknownkind.example.com', 'group: ""').replace('kind: NonExistent', 'kind: Pod'),
      findings: [{ object: 'HTTPRoute gateway-conformance-infra/invalid-backend-ref-unknown-kind', severity: 'error', message: /a core kind other than Service/ }],
    },
  ],
});

describe('GWTLS-BE-007 against a cluster: no CustomResourceDefinition serves the group', () => {
  it('is an error, since no implementation can route to the kind', async () => {
    const crd = 'apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\nmetadata: {name: gateways.gateway.networking.k8s.io}\nspec: {group: gateway.networking.k8s.io}';
    const { snapshot: files, errors } = await loadManifests(['-'], 'default', async () => `${conformance('httproute-invalid-backendref-unknown-kind')}\n---\n${crd}`);
    expect(errors).toEqual([]);
    const live = new Snapshot({ type: 'cluster', context: 'test', server: 'https://127.0.0.1:6443' });
    for (const kind of ['GatewayClass', 'Gateway', 'HTTPRoute', 'Namespace', 'ConfigMap', 'CustomResourceDefinition'] as const) for (const o of files.list(kind)) live.add(o);
    const findings = runRules(buildModel(live, { allNamespaces: true }, new Date(DEFAULT_NOW)), [be007]).findings;
    expect(findings.map((f) => [f.severity, f.message])).toEqual([['error', expect.stringMatching(/no CustomResourceDefinition in the cluster serves.*InvalidKind/)]]);
  });
});

// ---------------------------------------------------------------------------------------------------------------
// AWS Load Balancer Controller.
const nlbGateway = (listeners: string) => `apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: {name: gw, namespace: apps}
spec:
  gatewayClassName: nlb
  listeners:
${listeners}`;
const svc = (port = 8443, type = '') => `apiVersion: v1
kind: Service
metadata: {name: api, namespace: apps}
spec:
${type ? `  type: ${type}\n` : ''}  selector: {app: api}
  ports: [{name: api, port: ${port}, targetPort: ${port}}]`;
const ipTargets = (extra = '') => `apiVersion: gateway.k8s.aws/v1
kind: TargetGroupConfiguration
metadata: {name: api-tg, namespace: apps}
spec:
  targetReference: {name: api}
  defaultConfiguration: {targetType: ip${extra}}`;
const l4Route = (kind: string, port = 8443, hostnames = '') => `apiVersion: gateway.networking.k8s.io/v1
kind: ${kind}
metadata: {name: api, namespace: apps}
spec:
  parentRefs: [{name: gw}]
${hostnames ? `  hostnames: [${hostnames}]\n` : ''}  rules: [{backendRefs: [{name: api, port: ${port}}]}]`;
const gatewayEvent = (message: string) => `apiVersion: v1
kind: Event
metadata: {name: gw.1, namespace: apps}
involvedObject: {kind: Gateway, name: gw, namespace: apps}
type: Warning
reason: FailedBuildModel
message: "${message}"`;

testRule(lbc004, {
  valid: [],
  invalid: [
    {
      name: 'TLSRoute on a passthrough listener: before v3.1 the NLB terminated with ACM and re-encrypted, it did not send plaintext',
      yaml: [nlb, nlbGateway('    - {name: tls, protocol: TLS, port: 6443, hostname: api.example.com, tls: {mode: Passthrough}}'), l4Route('TLSRoute', 6443, 'api.example.com'), svc(6443), ipTargets()],
      findings: [{ object: 'Gateway apps/gw', severity: 'info', message: /terminates TLS with an ACM certificate \(clients see it, not the backend's\), accepts only TLSRoutes here, and re-encrypts to the pods through a TLS target group/ }],
    },
  ],
});

describe('GWTLS-LBC-004 no longer says plaintext', () => {
  it('neither the message nor the description claims the pods received plaintext', async () => {
    const f = await analyse([nlb, nlbGateway('    - {name: tls, protocol: TLS, port: 6443, hostname: api.example.com, tls: {mode: Passthrough}}'), l4Route('TLSRoute', 6443, 'api.example.com'), svc(6443), ipTargets()].join('\n---\n'), DEFAULT_NOW, [lbc004]);
    expect(f[0]!.message).not.toMatch(/plaintext/);
    expect(lbc004.meta.description).not.toMatch(/receive plaintext|sends plaintext/);
  });
});

testRule(be008, {
  valid: [{ name: 'ip targets', yaml: [nlb, nlbGateway('    - {name: tcp, protocol: TCP, port: 8443}'), l4Route('TCPRoute'), svc(), ipTargets()] }],
  invalid: [
    {
      name: 'no TargetGroupConfiguration: instance unless --default-target-type=ip, a warning',
      yaml: [nlb, nlbGateway('    - {name: tcp, protocol: TCP, port: 8443}'), l4Route('TCPRoute'), svc()],
      findings: [{ object: 'Service apps/api', severity: 'warning', message: /instance targets for Service apps\/api unless the controller runs with --default-target-type=ip \(Helm value defaultTargetType: ip/, fixes: 1 }],
    },
    {
      name: 'the controller event proves instance targets: an error',
      yaml: [nlb, nlbGateway('    - {name: tcp, protocol: TCP, port: 8443}'), l4Route('TCPRoute'), svc(), gatewayEvent("Failed build model due to TargetGroup port is empty. When using Instance targets, your service must be of type 'NodePort' or 'LoadBalancer'")],
      findings: [{ object: 'Service apps/api', severity: 'error', message: /the Gateway's events show the controller failing on instance targets/, fixes: 1 }],
    },
  ],
});

testRule(lbc015, {
  valid: [
    { name: 'a one-label name under the listener wildcard', yaml: [nlb, nlbGateway('    - {name: tls, protocol: TLS, port: 8443, hostname: "*.example.com", tls: {mode: Terminate, options: {example.com/cert: acm}}}'), l4Route('TCPRoute'), svc(), ipTargets()] },
    {
      name: 'a certificate named in a listenerConfigurations entry: no discovery',
      yaml: [
        nlb,
        nlbGateway('    - {name: tls, protocol: TLS, port: 8443, hostname: "*.example.com", tls: {mode: Terminate, options: {example.com/cert: acm}}}').replace('  gatewayClassName: nlb\n', '  gatewayClassName: nlb\n  infrastructure: {parametersRef: {group: gateway.k8s.aws, kind: LoadBalancerConfiguration, name: cfg}}\n'),
        'apiVersion: gateway.k8s.aws/v1\nkind: LoadBalancerConfiguration\nmetadata: {name: cfg, namespace: apps}\nspec:\n  listenerConfigurations: [{protocolPort: "TLS:8443", defaultCertificate: "arn:aws:acm:eu-west-1:111122223333:certificate/11111111-2222-3333-4444-555555555555"}]',
        l4Route('TLSRoute', 8443, 'a.b.example.com'),
        svc(),
        ipTargets(', protocol: TCP'),
      ],
    },
  ],
  invalid: [
    {
      name: 'a route hostname two labels below the listener wildcard: an ACM *.example.com does not cover it',
      yaml: [nlb, nlbGateway('    - {name: tls, protocol: TLS, port: 8443, hostname: "*.example.com", tls: {mode: Terminate, options: {example.com/cert: acm}}}'), l4Route('TLSRoute', 8443, 'a.b.example.com'), svc(), ipTargets(', protocol: TCP')],
      findings: [{ object: 'Gateway apps/gw', severity: 'warning', field: 'spec.listeners[0].hostname', message: /needs a certificate for a\.b\.example\.com.*exactly one label.*\*\.b\.example\.com.*whole Gateway/, fixes: 0 }],
    },
    {
      name: 'the controller says so: no certificate found for host, the whole Gateway fails',
      yaml: [nlb, nlbGateway('    - {name: tls, protocol: TLS, port: 8443, hostname: shop.example.com, tls: {mode: Terminate, options: {example.com/cert: acm}}}'), l4Route('TCPRoute'), svc(), ipTargets(), gatewayEvent('Failed build model due to no certificate found for host: shop.example.com')],
      findings: [{ object: 'Gateway apps/gw', severity: 'error', field: 'spec.listeners[0]', message: /found no ACM certificate for shop\.example\.com.*fails as a whole: none of its listeners is reconciled.*--allowed-certificate-authority-arns/ }],
    },
  ],
});

testRule(lbc016, {
  valid: [{ name: 'the protocol\'s own kind', yaml: [nlb, nlbGateway('    - {name: tcp, protocol: TCP, port: 8443, allowedRoutes: {kinds: [{kind: TCPRoute}]}}'), l4Route('TCPRoute'), svc(), ipTargets()] }],
  invalid: [
    {
      name: 'UDPRoute listed on a TCP listener: attached, then a UDP target group behind a TCP listener',
      yaml: [nlb, nlbGateway('    - {name: tcp, protocol: TCP, port: 8443, allowedRoutes: {kinds: [{kind: UDPRoute}]}}'), l4Route('UDPRoute'), svc(), ipTargets()],
      findings: [{ object: 'UDPRoute apps/api', severity: 'error', message: /no InvalidRouteKinds.*UDP target group.*does not pair with an NLB TCP listener/, fixes: 0 }],
    },
    {
      name: 'TLSRoute listed on a TCP listener: a TLS target group behind it; fixed by a TCP target group',
      yaml: [nlb, nlbGateway('    - {name: tcp, protocol: TCP, port: 8443, allowedRoutes: {kinds: [{kind: TLSRoute}]}}'), l4Route('TLSRoute', 8443, 'api.example.com'), svc(), ipTargets()],
      findings: [{ object: 'TLSRoute apps/api', severity: 'error', message: /TLS target group/, fixes: 1 }],
    },
    {
      name: 'TLSRoute listed on a TCP listener with a TCP target group: works, on this controller only',
      yaml: [nlb, nlbGateway('    - {name: tcp, protocol: TCP, port: 8443, allowedRoutes: {kinds: [{kind: TLSRoute}]}}'), l4Route('TLSRoute', 8443, 'api.example.com'), svc(), ipTargets(', protocol: TCP')],
      findings: [{ object: 'Gateway apps/gw', severity: 'info', field: 'spec.listeners[0].allowedRoutes.kinds', message: /works, but only on this controller/ }],
    },
  ],
});

describe('the NLB profile predicts no InvalidRouteKinds for a listed L4 kind', () => {
  it('neither GWTLS-LSN-003 nor GWTLS-RT-003 fires, and the route attaches', async () => {
    const text = [nlb, nlbGateway('    - {name: tcp, protocol: TCP, port: 8443, allowedRoutes: {kinds: [{kind: UDPRoute}, {kind: TLSRoute}]}}'), l4Route('UDPRoute'), svc(), ipTargets()].join('\n---\n');
    const codes = (await analyse(text, DEFAULT_NOW)).map((f) => f.code);
    expect(codes).not.toContain('GWTLS-LSN-003');
    expect(codes).not.toContain('GWTLS-RT-003');
    expect(codes).toContain('GWTLS-LBC-016');
    const { snapshot } = await loadManifests(['-'], 'default', async () => text);
    const lm = buildModel(snapshot, { allNamespaces: true }, new Date(DEFAULT_NOW)).gateways[0]!.listeners[0]!;
    expect(lm.kinds.invalid).toEqual([]);
    expect(lm.attachments.map((a) => a.result.accepted)).toEqual([true]);
  });
});

// ---------------------------------------------------------------------------------------------------------------
// Envoy Gateway.
const shop = issue({ cn: 'shop.example.com', dns: ['shop.example.com'], ...validity });
const egListenerGateway = (listener: string) => `apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: {name: edge, namespace: infra}
spec:
  gatewayClassName: eg
  listeners:
    - ${listener}`;

testRule(eg005, {
  valid: [{ name: 'certificateRefs present', yaml: [eg, egListenerGateway('{name: web, protocol: HTTPS, port: 443, hostname: shop.example.com, tls: {mode: Terminate, certificateRefs: [{name: shop-tls}]}}'), doc(tlsSecret('shop-tls', 'infra', shop.certPem, shop.keyPem))] }],
  invalid: [
    {
      name: 'HTTPS with options only, a fitting Secret in the namespace: fixed by naming it',
      yaml: [eg, egListenerGateway('{name: web, protocol: HTTPS, port: 443, hostname: shop.example.com, tls: {mode: Terminate, options: {example.com/cert: vault}}}'), doc(tlsSecret('shop-tls', 'infra', shop.certPem, shop.keyPem))],
      findings: [{ object: 'Gateway infra/edge', severity: 'error', field: 'spec.listeners[0].tls.certificateRefs', message: /tls\.options \(example\.com\/cert\) but no certificateRefs.*"Listener must have at least 1 TLS certificate ref"/, fixes: 1 }],
    },
    {
      name: 'TLS Terminate with options only and no Secret to name',
      yaml: [eg, egListenerGateway('{name: tls, protocol: TLS, port: 443, hostname: db.example.com, tls: {mode: Terminate, options: {example.com/cert: vault}}}')],
      findings: [{ object: 'Gateway infra/edge', severity: 'error', message: /"Listener must have TLS certificate refs set for TLS mode Terminate\."/, fixes: 0 }],
    },
  ],
});

const expiredIntermediate = issue({ cn: 'Old Intermediate', ca: true, notBefore: new Date('2024-01-01'), notAfter: new Date('2026-06-01') });
const leafUnderOld = issue({ cn: 'shop.example.com', dns: ['shop.example.com'], issuer: expiredIntermediate, notBefore: new Date('2026-01-01'), notAfter: new Date('2027-06-01') });
const expiredLeaf = issue({ cn: 'shop.example.com', dns: ['shop.example.com'], issuer: expiredIntermediate, notBefore: new Date('2024-01-01'), notAfter: new Date('2026-05-01') });
const intermediate2036 = issue({ cn: 'Current Intermediate', ca: true, ...validity });
const expiredLeafValidIntermediate = issue({ cn: 'shop.example.com', dns: ['shop.example.com'], issuer: intermediate2036, notBefore: new Date('2025-01-01'), notAfter: new Date('2026-05-01') });
const egShop = (chain: string, key: string, status = '') => [
  eg,
  `${egListenerGateway('{name: web, protocol: HTTPS, port: 443, hostname: shop.example.com, tls: {mode: Terminate, certificateRefs: [{name: shop-tls}]}}')}${status}`,
  doc(tlsSecret('shop-tls', 'infra', chain, key)),
];

testRule(cert001, {
  valid: [],
  invalid: [
    {
      name: 'valid leaf, expired intermediate: refused from v1.8.3 only; v1.2-v1.6 and v1.7.0-v1.8.2 serve it',
      yaml: egShop(leafUnderOld.certPem + expiredIntermediate.certPem, leafUnderOld.keyPem),
      findings: [{ object: 'Secret infra/shop-tls', severity: 'error', message: /Envoy Gateway v1\.8\.3\+ refuses the whole Secret \(InvalidCertificateRef\), so listener web serves no certificate at all; v1\.2–v1\.6 and v1\.7\.0–v1\.8\.2 serve it as written \(v1\.7\.0–v1\.8\.2 with ResolvedRefs=False, reason PartiallyInvalidCertificateRef\)/ }],
    },
    {
      name: 'expired leaf, valid intermediate: v1.7.0-v1.8.2 keep the Secret and serve the expired leaf',
      yaml: egShop(expiredLeafValidIntermediate.certPem + intermediate2036.certPem, expiredLeafValidIntermediate.keyPem),
      findings: [{ object: 'Secret infra/shop-tls', severity: 'error', message: /v1\.2–v1\.6 and v1\.8\.3\+ refuse the whole Secret.*v1\.7\.0–v1\.8\.2 serve it as written, expired leaf included, and clients reject the handshake/ }],
    },
    {
      name: 'every certificate expired: refused on every release',
      yaml: egShop(expiredLeaf.certPem + expiredIntermediate.certPem, expiredLeaf.keyPem),
      findings: [{ object: 'Secret infra/shop-tls', severity: 'error', message: /refuses the whole Secret on every release/ }],
    },
  ],
});

describe('GWTLS-CERT-001 quotes the listener status that tells the release', () => {
  it('PartiallyInvalidCertificateRef in status becomes evidence', async () => {
    const status = `
status:
  listeners:
    - name: web
      attachedRoutes: 0
      supportedKinds: [{kind: HTTPRoute}]
      conditions:
        - {type: ResolvedRefs, status: "False", reason: PartiallyInvalidCertificateRef, message: "Some secrets are invalid", lastTransitionTime: "2026-11-01T00:00:00Z"}`;
    const f = await analyse(egShop(expiredLeafValidIntermediate.certPem + intermediate2036.certPem, expiredLeafValidIntermediate.keyPem, status).join('\n---\n'), DEFAULT_NOW, [cert001]);
    expect(f).toHaveLength(1);
    expect(f[0]!.evidence).toContain('listener web status: ResolvedRefs=False, reason PartiallyInvalidCertificateRef: Some secrets are invalid');
  });
});

describe('GWTLS-EG-001: a Backend without status is what the disabled API looks like on Kubernetes', () => {
  it('says so in the evidence', async () => {
    const text = [
      eg,
      'apiVersion: gateway.networking.k8s.io/v1\nkind: Gateway\nmetadata: {name: edge, namespace: apps}\nspec:\n  gatewayClassName: eg\n  listeners: [{name: http, protocol: HTTP, port: 80}]',
      `apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: app, namespace: apps}
spec:
  parentRefs: [{name: edge}]
  rules: [{backendRefs: [{group: gateway.envoyproxy.io, kind: Backend, name: app}]}]
status:
  parents:
    - parentRef: {name: edge}
      controllerName: gateway.envoyproxy.io/gatewayclass-controller
      conditions:
        - {type: Accepted, status: "True", reason: Accepted, lastTransitionTime: "2026-11-01T00:00:00Z"}
        - {type: ResolvedRefs, status: "False", reason: UnsupportedValue, message: "Failed to process route rule 0 backendRef 0: Backend is disabled in Envoy Gateway configuration.", lastTransitionTime: "2026-11-01T00:00:00Z"}`,
      'apiVersion: gateway.envoyproxy.io/v1alpha1\nkind: Backend\nmetadata: {name: app, namespace: apps}\nspec:\n  endpoints: [{fqdn: {hostname: app.example.com, port: 443}}]',
    ].join('\n---\n');
    const f = await analyse(text, DEFAULT_NOW, [eg001]);
    expect(f).toHaveLength(1);
    expect(f[0]!.severity).toBe('error');
    expect(f[0]!.evidence).toContain('Backend apps/app has no status: with the Backend API off, Envoy Gateway on Kubernetes does not process Backends at all');
  });
});

// ---------------------------------------------------------------------------------------------------------------
// BackendTLSPolicySANValidation unsupported (conformance reports, src/graph/providers/conformance.ts).
const sanCa = issue({ cn: 'Apps CA', ca: true, ...validity });
const sanOnly = issue({ cn: 'backend.internal', dns: ['backend.internal'], issuer: sanCa, ...validity });
const both = issue({ cn: 'app.apps.svc', dns: ['app.apps.svc', 'backend.internal'], issuer: sanCa, ...validity });
const sanApp = (cls: string, controller: string, serving: typeof sanOnly, sans = '[{type: Hostname, hostname: backend.internal}]') => [
  classOf(cls, controller),
  `apiVersion: gateway.networking.k8s.io/v1\nkind: Gateway\nmetadata: {name: edge, namespace: apps}\nspec:\n  gatewayClassName: ${cls}\n  listeners: [{name: http, protocol: HTTP, port: 80}]`,
  'apiVersion: v1\nkind: Service\nmetadata: {name: app, namespace: apps}\nspec:\n  selector: {app: app}\n  ports: [{name: https, port: 8443, targetPort: 8443, appProtocol: https}]',
  'apiVersion: v1\nkind: Pod\nmetadata: {name: app-1, namespace: apps, labels: {app: app}}\nspec:\n  containers: [{name: app, image: app:1, ports: [{containerPort: 8443}]}]\n  volumes: [{name: tls, secret: {secretName: app-serving}}]\nstatus:\n  phase: Running\n  conditions: [{type: Ready, status: "True"}]',
  doc(tlsSecret('app-serving', 'apps', serving.certPem + sanCa.certPem, serving.keyPem)),
  'apiVersion: gateway.networking.k8s.io/v1\nkind: HTTPRoute\nmetadata: {name: app, namespace: apps}\nspec:\n  parentRefs: [{name: edge}]\n  rules: [{backendRefs: [{name: app, port: 8443}]}]',
  `apiVersion: gateway.networking.k8s.io/v1\nkind: BackendTLSPolicy\nmetadata: {name: app-tls, namespace: apps}\nspec:\n  targetRefs: [{group: "", kind: Service, name: app}]\n  validation:\n    hostname: app.apps.svc\n    caCertificateRefs: [{group: "", kind: ConfigMap, name: app-ca}]${sans ? `\n    subjectAltNames: ${sans}` : ''}`,
  `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: app-ca, namespace: apps}\ndata:\n  ca.crt: |\n${indent(sanCa.certPem)}`,
];
const CILIUM = 'io.cilium/gateway-controller';

testRule(btls012, {
  valid: [
    { name: 'Envoy Gateway checks subjectAltNames (v1.8.0 report)', yaml: sanApp('eg', 'gateway.envoyproxy.io/gatewayclass-controller', sanOnly) },
    { name: 'no subjectAltNames on Cilium', yaml: sanApp('cilium', CILIUM, both, '') },
    { name: 'an implementation without a report saying (Istio 1.28)', yaml: sanApp('istio', 'istio.io/gateway-controller', sanOnly) },
  ],
  invalid: [
    {
      name: 'Cilium (v1.20.0-pre.2 report): the certificate carries the SAN but not the hostname',
      yaml: sanApp('cilium', CILIUM, sanOnly),
      findings: [{ object: 'BackendTLSPolicy apps/app-tls', severity: 'error', field: 'spec.validation.subjectAltNames', message: /Cilium does not check subjectAltNames: the conformance report of Cilium v1\.20\.0-pre\.2 lists BackendTLSPolicySANValidation as unsupported.*does not carry the hostname app\.apps\.svc/, fixes: 0, suggestions: 1 }],
    },
    {
      name: 'NGINX Gateway Fabric (v2.6.0 report): the certificate carries both, the restriction is not enforced',
      yaml: sanApp('ngf', 'gateway.nginx.org/nginx-gateway-controller', both),
      findings: [{ object: 'BackendTLSPolicy apps/app-tls', severity: 'warning', message: /NGINX Gateway Fabric v2\.6\.0.*carries the hostname app\.apps\.svc too.*not enforced/, fixes: 0, suggestions: 1 }],
    },
  ],
});

describe('BTLS and backend-probe findings say when subjectAltNames are not checked', () => {
  it('GWTLS-BTLS-006 adds the note on those implementations', async () => {
    const other = issue({ cn: 'elsewhere', dns: ['elsewhere.internal'], issuer: sanCa, ...validity });
    const f = await analyse(sanApp('traefik', 'traefik.io/gateway-controller', other).join('\n---\n'), DEFAULT_NOW, [btls006]);
    expect(f).toHaveLength(1);
    expect(f[0]!.message).toContain('Note: Traefik does not check validation.subjectAltNames: the conformance report of Traefik v3.7 lists BackendTLSPolicySANValidation as unsupported');
    expect(f[0]!.message).toContain('v1.5/traefik-traefik/experimental-v3.7.0-default-report.yaml');
  });

  it('the catalog runs the new rule with the others on the same fixture', async () => {
    const f = await analyse(sanApp('cilium', CILIUM, sanOnly).join('\n---\n'), DEFAULT_NOW, ALL_RULES);
    expect(f.filter((x) => x.code === 'GWTLS-BTLS-012')).toHaveLength(1);
  });
});
