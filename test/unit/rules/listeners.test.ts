import { createPrivateKey } from 'node:crypto';
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
import { alb, classOf, eg, istio, nlb } from '../../helpers/rule-fixtures.ts';

// Validity windows around DEFAULT_NOW (2026-11-22).
const FROM = new Date('2026-01-01T00:00:00Z');
const TO = new Date('2036-01-01T00:00:00Z');
const ca = issue({ cn: 'Test CA', ca: true, notBefore: FROM, notAfter: TO });
const shop = issue({ dns: ['shop.example.com'], issuer: ca, notBefore: FROM, notAfter: TO });
const api = issue({ dns: ['api.example.com'], issuer: ca, notBefore: FROM, notAfter: TO });
const wild = issue({ dns: ['*.example.com'], issuer: ca, notBefore: FROM, notAfter: TO });

const secret = (name: string, ns: string, leaf = shop, type?: string) => yaml.dump(tlsSecret(name, ns, leaf.certPem + ca.certPem, leaf.keyPem, type));
const gateway = (listeners: string, opts: { cls?: string; ns?: string; extra?: string; annotations?: string } = {}) => `apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: {name: gw, namespace: ${opts.ns ?? 'infra'}${opts.annotations ? `, annotations: {${opts.annotations}}` : ''}}
spec:
  gatewayClassName: ${opts.cls ?? 'eg'}
  listeners:
${listeners}
${opts.extra ?? ''}`;
const tcpRoute = (parent: string, name = 'db') => `apiVersion: gateway.networking.k8s.io/v1
kind: TCPRoute
metadata: {name: ${name}, namespace: infra}
spec:
  parentRefs: [${parent}]
  rules: [{backendRefs: [{name: db, port: 5432}]}]
`;
const httpRoute = (parent: string, hostnames: string, name = 'web') => `apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: ${name}, namespace: infra}
spec:
  parentRefs: [${parent}]
  hostnames: [${hostnames}]
  rules: [{backendRefs: [{name: web, port: 80}]}]
`;
const https = (name: string, hostname: string, ref: string, port = 443) => `    - {name: ${name}, protocol: HTTPS, port: ${port}, hostname: "${hostname}", tls: {mode: Terminate, certificateRefs: [{name: ${ref}}]}}`;
const tlsTerminate = (ref: string, extra = '') => `    - {name: tls, protocol: TLS, port: 5432, hostname: db.example.com, tls: {mode: Terminate, certificateRefs: [{name: ${ref}}]}${extra}}`;
const status = (listener: string, conditions: string) => `status:
  listeners:
    - name: ${listener}
      attachedRoutes: 0
      supportedKinds: []
      conditions: ${conditions}`;

testRule(lsn001, {
  valid: [
    { name: 'HTTPS on Envoy Gateway', yaml: [eg, gateway(https('web', 'shop.example.com', 'web-tls'))] },
    { name: 'TLS on an NLB', yaml: [nlb, gateway(tlsTerminate('unused'), { cls: 'nlb' })] },
    { name: 'implementation-specific protocol on an unrecognised implementation', yaml: [classOf('x', 'example.com/gateway'), gateway('    - {name: p, protocol: example.com/PROXY, port: 9000}', { cls: 'x' })] },
  ],
  invalid: [
    {
      name: 'HTTPS on an NLB, with a TCPRoute waiting for it',
      yaml: [nlb, gateway('    - {name: web, protocol: HTTPS, port: 443, hostname: shop.example.com, tls: {mode: Terminate, certificateRefs: [{name: unused}]}}', { cls: 'nlb' }), tcpRoute('{name: gw, sectionName: web}')],
      findings: [{ object: 'Gateway infra/gw', field: 'spec.listeners[0].protocol', message: /NLB gateway accepts only TCP, UDP and TLS listeners, not HTTPS.*no listener on port 443.*Use protocol TLS/, fixes: 1 }],
    },
    {
      name: 'TLS on an ALB (needs the NLB class; no in-place fix)',
      yaml: [alb, gateway(tlsTerminate('unused'), { cls: 'alb' })],
      findings: [{ object: 'Gateway infra/gw', message: /ALB gateway accepts only HTTP and HTTPS.*NLB class/, fixes: 0 }],
    },
    {
      name: 'status: port unavailable',
      yaml: [eg, gateway(https('web', 'shop.example.com', 'web-tls'), { extra: status('web', '[{type: Accepted, status: "False", reason: PortUnavailable, message: "port 443 in use"}]') })],
      findings: [{ object: 'Gateway infra/gw', message: /not accepted by gateway.envoyproxy.io\/gatewayclass-controller: port 443 cannot be used/, fixes: 0 }],
    },
  ],
});

testRule(lsn002, {
  valid: [
    { name: 'two HTTPS hostnames on one port', yaml: [eg, gateway([https('a', 'a.example.com', 'a'), https('b', 'b.example.com', 'b')].join('\n'))] },
    { name: 'TCP and UDP on one port', yaml: [istio, gateway('    - {name: t, protocol: TCP, port: 53}\n    - {name: u, protocol: UDP, port: 53}', { cls: 'istio' })] },
    { name: 'status says NoConflicts', yaml: [eg, gateway(https('web', 'shop.example.com', 'web-tls'), { extra: status('web', '[{type: Conflicted, status: "False", reason: NoConflicts}]') })] },
  ],
  invalid: [
    {
      name: 'TCP and TLS on one port (spec)',
      yaml: [eg, gateway(`${tlsTerminate('db-tls')}\n    - {name: admin, protocol: TCP, port: 5432}`)],
      findings: [{ object: 'Gateway infra/gw', severity: 'error', message: /Listeners tls and admin .*conflict on port 5432 \(ProtocolConflict\): a TCP listener cannot share/, fixes: 0 }],
    },
    {
      name: 'HTTP and HTTPS on one port (Envoy Gateway)',
      yaml: [eg, gateway(`    - {name: plain, protocol: HTTP, port: 8443}\n${https('web', 'shop.example.com', 'web-tls', 8443)}`)],
      findings: [{ object: 'Gateway infra/gw', severity: 'error', message: /cannot serve plaintext HTTP and TLS on one port/ }],
    },
    {
      name: 'HTTP and HTTPS on one port (unrecognised implementation: warning)',
      yaml: [istio, gateway(`    - {name: plain, protocol: HTTP, port: 8443}\n${https('web', 'shop.example.com', 'web-tls', 8443)}`, { cls: 'istio' })],
      findings: [{ object: 'Gateway infra/gw', severity: 'warning' }],
    },
    {
      name: 'same port, protocol and hostname twice',
      yaml: [eg, gateway([https('a', 'shop.example.com', 'a'), https('b', 'shop.example.com', 'b')].join('\n'))],
      findings: [{ object: 'Gateway infra/gw', message: /HostnameConflict.*Combination of port, protocol and hostname must be unique/ }],
    },
    {
      name: 'status: Conflicted=True the spec does not explain',
      yaml: [eg, gateway(https('web', 'shop.example.com', 'web-tls'), { extra: status('web', '[{type: Conflicted, status: "True", reason: HostnameConflict, message: "Port, protocol and hostname tuple must be unique for every listener"}]') })],
      findings: [{ object: 'Gateway infra/gw', message: /is conflicted \(HostnameConflict: Port, protocol and hostname tuple/ }],
    },
  ],
});

testRule(lsn003, {
  valid: [
    { name: 'HTTPS narrowed to HTTPRoute', yaml: [eg, gateway('    - {name: web, protocol: HTTPS, port: 443, tls: {certificateRefs: [{name: web-tls}]}, allowedRoutes: {kinds: [{kind: HTTPRoute}]}}')] },
    { name: 'unsupported protocol is LSN-001\'s', yaml: [nlb, gateway('    - {name: web, protocol: HTTPS, port: 443, tls: {certificateRefs: [{name: x}]}, allowedRoutes: {kinds: [{kind: HTTPRoute}]}}', { cls: 'nlb' })] },
  ],
  invalid: [
    {
      name: 'HTTPS listener that only allows TCPRoute: the kind list is the point',
      yaml: [eg, gateway('    - {name: web, protocol: HTTPS, port: 443, tls: {certificateRefs: [{name: web-tls}]}, allowedRoutes: {kinds: [{kind: TCPRoute}]}}')],
      findings: [{ object: 'Gateway infra/gw', severity: 'error', message: /TCPRoute cannot attach to an HTTPS listener.*no route of any kind can attach/, fixes: 1 }],
    },
    {
      name: 'same, with the TCPRoute waiting: GWTLS-RT-003 carries the fix',
      yaml: [eg, gateway('    - {name: web, protocol: HTTPS, port: 443, tls: {certificateRefs: [{name: web-tls}]}, allowedRoutes: {kinds: [{kind: HTTPRoute}, {kind: TCPRoute}]}}'), tcpRoute('{name: gw, sectionName: web}')],
      findings: [{ object: 'Gateway infra/gw', message: /TCPRoute infra\/db targets it: GWTLS-RT-003 gives the protocol change it needs/, fixes: 0 }],
    },
    {
      name: 'status: InvalidRouteKinds the profile does not explain',
      yaml: [eg, gateway(https('web', 'shop.example.com', 'web-tls'), { extra: status('web', '[{type: ResolvedRefs, status: "False", reason: InvalidRouteKinds, message: "GRPCRoute is not supported"}]') })],
      findings: [{ object: 'Gateway infra/gw', message: /the controller reports an invalid route kind \(GRPCRoute is not supported\)/, fixes: 0 }],
    },
    {
      name: 'a valid and an invalid kind (Envoy Gateway refuses the listener)',
      yaml: [eg, gateway('    - {name: web, protocol: HTTPS, port: 443, tls: {certificateRefs: [{name: web-tls}]}, allowedRoutes: {kinds: [{kind: HTTPRoute}, {kind: TCPRoute}]}}')],
      findings: [{ object: 'Gateway infra/gw', severity: 'error', message: /does not program it, so HTTPRoute traffic fails too/, fixes: 1 }],
    },
    {
      name: 'a valid and an invalid kind elsewhere (warning)',
      yaml: [istio, gateway('    - {name: web, protocol: HTTPS, port: 443, tls: {certificateRefs: [{name: web-tls}]}, allowedRoutes: {kinds: [{kind: HTTPRoute}, {group: example.com, kind: WebRoute}]}}', { cls: 'istio' })],
      findings: [{ object: 'Gateway infra/gw', severity: 'warning', message: /WebRoute\.example\.com/, fixes: 1 }],
    },
  ],
});

testRule(lsn004, {
  valid: [
    { name: 'Secret exists', yaml: [eg, gateway(https('web', 'shop.example.com', 'web-tls')), secret('web-tls', 'infra')] },
    { name: 'no Secrets in the input: unknown, not missing', yaml: [eg, gateway(https('web', 'shop.example.com', 'web-tls'))] },
    { name: 'AWS load balancers ignore certificateRefs', yaml: [nlb, gateway(tlsTerminate('fake'), { cls: 'nlb' }), secret('other', 'infra')] },
  ],
  invalid: [
    {
      name: 'Secret missing',
      yaml: [eg, gateway(https('web', 'shop.example.com', 'web-tls')), secret('other', 'infra')],
      findings: [{ object: 'Gateway infra/gw', field: 'spec.listeners[0].tls.certificateRefs[0]', severity: 'error', message: /names Secret infra\/web-tls, which does not exist: Envoy Gateway marks the listener ResolvedRefs=False.*kubectl create secret tls web-tls/, fixes: 0 }],
    },
    {
      name: 'a typo next to the real Secret',
      yaml: [eg, gateway(https('web', 'shop.example.com', 'web-tsl')), secret('web-tls', 'infra')],
      findings: [{ object: 'Gateway infra/gw', message: /Secret infra\/web-tls exists and is probably the one meant/, fixes: 1 }],
    },
    {
      name: 'a cert-manager Certificate named instead of its Secret',
      yaml: [eg, gateway('    - {name: web, protocol: HTTPS, port: 443, hostname: shop.example.com, tls: {certificateRefs: [{group: cert-manager.io, kind: Certificate, name: web-tls}]}}'), secret('web-tls', 'infra')],
      findings: [{ object: 'Gateway infra/gw', message: /names Certificate \(group cert-manager.io\) web-tls, but only core Secrets/, fixes: 1 }],
    },
    {
      name: 'a second certificate missing while the first serves (warning)',
      yaml: [eg, gateway('    - {name: web, protocol: HTTPS, port: 443, hostname: shop.example.com, tls: {certificateRefs: [{name: web-tls}, {name: web-ecdsa}]}}'), secret('web-tls', 'infra')],
      findings: [{ object: 'Gateway infra/gw', severity: 'warning', message: /clients get Secret infra\/web-tls instead/ }],
    },
    {
      name: 'cross-namespace Secret missing (the grant comes second)',
      yaml: [eg, gateway('    - {name: web, protocol: HTTPS, port: 443, hostname: shop.example.com, tls: {certificateRefs: [{name: shop-tls, namespace: certs}]}}'), secret('other', 'certs')],
      findings: [{ object: 'Gateway infra/gw', message: /names Secret certs\/shop-tls, which does not exist; once it exists, a ReferenceGrant in namespace certs/, fixes: 0 }],
    },
    {
      name: 'cert-manager will create it (files): info',
      yaml: [eg, gateway(https('web', 'shop.example.com', 'web-cert'), { annotations: 'cert-manager.io/cluster-issuer: letsencrypt' }), secret('other', 'infra')],
      findings: [{ object: 'Gateway infra/gw', severity: 'info', message: /cert-manager.io\/cluster-issuer annotation asks cert-manager to create it/ }],
    },
  ],
});

const encryptedKey = createPrivateKey(shop.keyPem).export({ format: 'pem', type: 'pkcs8', cipher: 'aes-256-cbc', passphrase: 'secret' }).toString();
const rawSecret = (name: string, data: Record<string, string>, type = 'kubernetes.io/tls') =>
  yaml.dump({ apiVersion: 'v1', kind: 'Secret', metadata: { name, namespace: 'infra' }, type, data: Object.fromEntries(Object.entries(data).map(([k, v]) => [k, Buffer.from(v).toString('base64')])) });

testRule(lsn005, {
  valid: [
    { name: 'kubernetes.io/tls with chain and key', yaml: [eg, gateway(https('web', 'shop.example.com', 'web-tls')), secret('web-tls', 'infra')] },
    { name: 'Opaque Secret on an NLB (never read)', yaml: [nlb, gateway(tlsTerminate('web-tls'), { cls: 'nlb' }), secret('web-tls', 'infra', shop, 'Opaque')] },
  ],
  invalid: [
    {
      name: 'Opaque Secret on Envoy Gateway',
      yaml: [eg, gateway(https('web', 'shop.example.com', 'web-tls')), secret('web-tls', 'infra', shop, 'Opaque')],
      findings: [{ object: 'Secret infra/web-tls', field: 'type', severity: 'error', message: /type is Opaque, not kubernetes.io\/tls.*cannot be changed: delete it and recreate/, fixes: 0 }],
    },
    {
      name: 'Opaque Secret elsewhere (warning)',
      yaml: [istio, gateway(https('web', 'shop.example.com', 'web-tls'), { cls: 'istio' }), secret('web-tls', 'infra', shop, 'Opaque')],
      findings: [{ object: 'Secret infra/web-tls', severity: 'warning' }],
    },
    {
      name: 'no tls.key',
      yaml: [eg, gateway(https('web', 'shop.example.com', 'web-tls')), rawSecret('web-tls', { 'tls.crt': shop.certPem })],
      findings: [{ object: 'Secret infra/web-tls', field: 'data.tls.key', message: /has no tls.key/ }],
    },
    {
      name: 'tls.crt is not PEM',
      yaml: [eg, gateway(https('web', 'shop.example.com', 'web-tls')), rawSecret('web-tls', { 'tls.crt': 'hello', 'tls.key': shop.keyPem })],
      findings: [{ object: 'Secret infra/web-tls', field: 'data.tls.crt', message: /tls.crt holds no readable certificate/ }],
    },
    {
      name: 'status: the controller refuses a Secret that looks right',
      yaml: [eg, gateway(https('web', 'shop.example.com', 'web-tls'), { extra: status('web', '[{type: ResolvedRefs, status: "False", reason: InvalidCertificateRef, message: "unsupported key size"}]') }), secret('web-tls', 'infra')],
      findings: [{ object: 'Gateway infra/gw', message: /the controller refuses its certificate Secret \(unsupported key size\)/ }],
    },
    {
      name: 'encrypted private key (never printed)',
      yaml: [eg, gateway(https('web', 'shop.example.com', 'web-tls')), rawSecret('web-tls', { 'tls.crt': shop.certPem + ca.certPem, 'tls.key': encryptedKey })],
      findings: [{ object: 'Secret infra/web-tls', message: /^(?!.*ENCRYPTED PRIVATE KEY).*tls.key is unusable: the private key is encrypted/ }],
    },
  ],
});

const grant = `apiVersion: gateway.networking.k8s.io/v1beta1
kind: ReferenceGrant
metadata: {name: edge, namespace: certs}
spec:
  from: [{group: gateway.networking.k8s.io, kind: Gateway, namespace: infra}]
  to: [{group: "", kind: Secret}]
`;
const crossNs = '    - {name: web, protocol: HTTPS, port: 443, hostname: shop.example.com, tls: {certificateRefs: [{name: shop-tls, namespace: certs}]}}';

testRule(lsn006, {
  valid: [
    { name: 'grant in the Secret namespace', yaml: [eg, gateway(crossNs), secret('shop-tls', 'certs'), grant] },
    { name: 'Secret missing as well: LSN-004 comes first', yaml: [eg, gateway(crossNs), secret('other', 'certs')] },
  ],
  invalid: [
    {
      name: 'no grant',
      yaml: [eg, gateway(crossNs), secret('shop-tls', 'certs')],
      findings: [{ object: 'Gateway infra/gw', field: 'spec.listeners[0].tls.certificateRefs[0]', message: /no ReferenceGrant in namespace certs allows Gateways from namespace infra/, fixes: 0, suggestions: 1 }],
    },
  ],
});

const passthroughWithRefs = (cls: string) => gateway('    - {name: api, protocol: TLS, port: 6443, hostname: api.example.com, tls: {mode: Passthrough, certificateRefs: [{name: api-tls}]}}', { cls });

testRule(lsn007, {
  valid: [
    { name: 'seed c passthrough as written', yaml: 'file:test/fixtures/seeds/c-calico-passthrough/as-written.yaml' },
    { name: 'AWS NLB (LBC-002 reports ignored refs)', yaml: [nlb, passthroughWithRefs('nlb')] },
  ],
  invalid: [
    {
      name: 'seed c passthrough with certificateRefs (Calico refuses the listener)',
      yaml: 'file:test/fixtures/seeds/c-calico-passthrough/with-certificate-refs.yaml',
      findings: [{ object: 'Gateway default/tls-passthrough-gateway', severity: 'error', message: /Calico Ingress Gateway \(Envoy Gateway\) refuses such a listener \(Programmed=False\)/, fixes: 1 }],
    },
    { name: 'elsewhere: ignored, misleading', yaml: [istio, passthroughWithRefs('istio')], findings: [{ object: 'Gateway infra/gw', severity: 'warning', message: /ignored in Passthrough mode/, fixes: 1 }] },
  ],
});

testRule(lsn008, {
  valid: [
    { name: 'HTTPS with a certificate', yaml: [eg, gateway(https('web', 'shop.example.com', 'web-tls'))] },
    { name: 'HTTPS without tls on an ALB (the certificate comes from ACM)', yaml: [alb, gateway('    - {name: web, protocol: HTTPS, port: 443, hostname: shop.example.com}', { cls: 'alb' })] },
    { name: 'TLS passthrough', yaml: [eg, gateway('    - {name: api, protocol: TLS, port: 6443, tls: {mode: Passthrough}}')] },
  ],
  invalid: [
    {
      name: 'HTTPS without tls, a fitting Secret in the namespace',
      yaml: [eg, gateway('    - {name: web, protocol: HTTPS, port: 443, hostname: shop.example.com}'), secret('shop-tls', 'infra'), secret('api-tls', 'infra', api)],
      findings: [{ object: 'Gateway infra/gw', severity: 'error', message: /is HTTPS but has no tls section: Envoy Gateway does not program the listener/, fixes: 1 }],
    },
    {
      name: 'HTTPS without tls, no fitting Secret',
      yaml: [eg, gateway('    - {name: web, protocol: HTTPS, port: 443, hostname: shop.example.com}'), secret('api-tls', 'infra', api)],
      findings: [{ object: 'Gateway infra/gw', message: /Create a kubernetes.io\/tls Secret/, fixes: 0 }],
    },
    {
      name: 'Terminate without certificateRefs or options',
      yaml: [eg, gateway('    - {name: db, protocol: TLS, port: 5432, tls: {mode: Terminate}}')],
      findings: [{ object: 'Gateway infra/gw', field: 'spec.listeners[0].tls', message: /certificateRefs or options must be specified when mode is Terminate/, fixes: 0 }],
    },
    {
      name: 'NLB TLS listener without tls: an option stands in for the ignored refs',
      yaml: [nlb, gateway('    - {name: db, protocol: TLS, port: 5432, hostname: db.example.com}', { cls: 'nlb' })],
      findings: [{ object: 'Gateway infra/gw', message: /tls mode must be set for protocol TLS/, fixes: 1 }],
    },
    {
      name: 'TLS without tls.mode (v1.5+ rejects it)',
      yaml: [eg, gateway('    - {name: db, protocol: TLS, port: 5432, tls: {certificateRefs: [{name: db-tls}]}}')],
      findings: [{ object: 'Gateway infra/gw', severity: 'warning', field: 'spec.listeners[0].tls.mode', fixes: 1 }],
    },
    {
      name: 'HTTP with a tls section',
      yaml: [eg, gateway('    - {name: web, protocol: HTTP, port: 443, tls: {mode: Terminate, certificateRefs: [{name: web-tls}]}}'), httpRoute('{name: gw}', 'shop.example.com')],
      findings: [{ object: 'Gateway infra/gw', message: /is HTTP but has a tls section \(HTTPS was probably meant\)/, fixes: 1 }],
    },
  ],
});

const wildListener = (ref: string) => `    - {name: wild, protocol: HTTPS, port: 443, hostname: "*.example.com", tls: {certificateRefs: [{name: ${ref}}]}}`;

testRule(lsn009, {
  valid: [
    { name: 'distinct hostnames', yaml: [eg, gateway([https('shop', 'shop.example.com', 'shop-tls'), https('api', 'api.example.org', 'api-tls')].join('\n')), secret('shop-tls', 'infra'), secret('api-tls', 'infra', api)] },
    { name: 'wildcard on another port', yaml: [eg, gateway([wildListener('wild-tls').replace('443', '8443'), https('api', 'api.example.com', 'api-tls')].join('\n')), secret('wild-tls', 'infra', wild), secret('api-tls', 'infra', api)] },
  ],
  invalid: [
    {
      name: 'wildcard listener whose certificate covers the other listener',
      yaml: [eg, gateway([wildListener('wild-tls'), https('api', 'api.example.com', 'api-tls')].join('\n')), secret('wild-tls', 'infra', wild), secret('api-tls', 'infra', api)],
      findings: [{ object: 'Gateway infra/gw', severity: 'warning', message: /OverlappingHostnames.*may reuse it for api.example.com.*421 Misdirected Request/, fixes: 0 }],
    },
    {
      name: 'wildcard listener whose certificate does not cover the other (info)',
      yaml: [eg, gateway([wildListener('shop-tls'), https('api', 'api.example.com', 'api-tls')].join('\n')), secret('shop-tls', 'infra'), secret('api-tls', 'infra', api)],
      findings: [{ object: 'Gateway infra/gw', severity: 'info', message: /does not cover api.example.com/ }],
    },
    {
      name: 'certificates overlap although hostnames do not',
      yaml: [eg, gateway([https('shop', 'shop.example.com', 'wild-tls'), https('api', 'api.example.com', 'api-tls')].join('\n')), secret('wild-tls', 'infra', wild), secret('api-tls', 'infra', api)],
      findings: [{ object: 'Gateway infra/gw', field: 'spec.listeners[0].tls.certificateRefs', message: /OverlappingCertificates/ }],
    },
    {
      name: 'status: OverlappingTLSConfig',
      yaml: [eg, gateway(https('web', 'shop.example.com', 'web-tls'), { extra: status('web', '[{type: OverlappingTLSConfig, status: "True", reason: OverlappingCertificates}]') })],
      findings: [{ object: 'Gateway infra/gw', severity: 'warning', message: /overlaps another listener's on port 443 \(OverlappingCertificates\)/ }],
    },
  ],
});

testRule(lsn010, {
  valid: [
    { name: 'a route attached', yaml: [eg, gateway(tlsTerminate('db-tls')), tcpRoute('{name: gw}')] },
    { name: 'a route targets it but is rejected (RT-003 explains)', yaml: [eg, gateway(https('web', 'shop.example.com', 'web-tls')), tcpRoute('{name: gw, sectionName: web}')] },
    { name: 'no route kinds in the input: unknown', yaml: [eg, gateway(tlsTerminate('db-tls'))] },
    { name: 'seed a: the route names the Gateway in a namespace where it does not exist (RT-001 explains)', yaml: 'file:test/fixtures/seeds/a-nlb-acm/as-written.yaml' },
  ],
  invalid: [
    {
      name: 'TLS listener beside an attached one',
      yaml: [eg, gateway(`${tlsTerminate('db-tls')}\n    - {name: tls2, protocol: TLS, port: 6432, tls: {mode: Terminate, certificateRefs: [{name: db-tls}]}, allowedRoutes: {kinds: [{kind: TCPRoute}]}}`), tcpRoute('{name: gw, sectionName: tls}')],
      findings: [{ object: 'Gateway infra/gw', field: 'spec.listeners[1]', severity: 'warning', message: /No route attaches to listener tls2.*connections on port 6432 are closed or reset/, fixes: 0 }],
    },
    {
      name: 'NLB: the listener is not even created',
      yaml: [nlb, gateway(`${tlsTerminate('x')}\n    - {name: tls2, protocol: TLS, port: 6432, tls: {mode: Terminate, certificateRefs: [{name: x}]}, allowedRoutes: {kinds: [{kind: TCPRoute}]}}`, { cls: 'nlb' }), tcpRoute('{name: gw, sectionName: tls}')],
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
    expect(f.map((x) => [x.severity, x.message])).toEqual([['error', expect.stringMatching(/cert-manager should create it.*kubectl describe certificate web-cert -n infra/)]]);
  });
  it('route kinds that were listed and are empty make LSN-010 certain', async () => {
    const text = [eg, gateway(tlsTerminate('db-tls'))].join('\n---\n');
    expect((await lsnCertFindings(text, 'files')).filter((x) => x.code === 'GWTLS-LSN-010')).toEqual([]);
    expect((await lsnCertFindings(text, 'cluster')).filter((x) => x.code === 'GWTLS-LSN-010').map((x) => x.listener)).toEqual(['tls']);
  });
});
