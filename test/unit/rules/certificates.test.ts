import * as yaml from 'js-yaml';
import { describe, expect, it } from 'vitest';
import { cert001 } from '../../../src/rules/certificates/cert-001-expired.ts';
import { cert002 } from '../../../src/rules/certificates/cert-002-expires-soon.ts';
import { cert003 } from '../../../src/rules/certificates/cert-003-hostname-not-covered.ts';
import { cert004 } from '../../../src/rules/certificates/cert-004-key-mismatch.ts';
import { cert005 } from '../../../src/rules/certificates/cert-005-chain.ts';
import { cert006 } from '../../../src/rules/certificates/cert-006-no-san.ts';
import { cert007 } from '../../../src/rules/certificates/cert-007-not-server-cert.ts';
import { decodePemChain, chainShape } from '../../../src/tls/certificate.ts';
import { issue, tlsSecret, type Issued } from '../../helpers/certs.ts';
import { testRule } from '../../helpers/rule-tester.ts';
import { eg, istio, nlb, traefik } from '../../helpers/rule-fixtures.ts';

// DEFAULT_NOW is 2026-11-22; every certificate has a fixed window around it.
const FROM = new Date('2026-01-01T00:00:00Z');
const TO = new Date('2036-01-01T00:00:00Z');
const root = issue({ cn: 'Test Root CA', ca: true, notBefore: FROM, notAfter: TO });
const intermediate = issue({ cn: 'Test Intermediate CA', ca: true, issuer: root, notBefore: FROM, notAfter: TO });
const leaf = (dns: string[], opts: { issuer?: Issued; notBefore?: Date; notAfter?: Date; noSan?: boolean; cn?: string } = {}) =>
  issue({ dns, issuer: opts.issuer ?? intermediate, notBefore: opts.notBefore ?? FROM, notAfter: opts.notAfter ?? TO, ...(opts.noSan ? { noSan: true } : {}), ...(opts.cn ? { cn: opts.cn } : {}) });

const shop = leaf(['shop.example.com']);
const wild = leaf(['*.example.com']);
const fullChain = (l: Issued) => l.certPem + intermediate.certPem;
const secret = (name: string, chain: string, key: string, ns = 'infra') => yaml.dump(tlsSecret(name, ns, chain, key));

const gateway = (hostname: string | null, ref = 'web-tls', cls = 'eg') => `apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: {name: gw, namespace: infra}
spec:
  gatewayClassName: ${cls}
  listeners:
    - {name: web, protocol: ${cls === 'nlb' ? 'TLS' : 'HTTPS'}, port: 443, ${hostname ? `hostname: "${hostname}", ` : ''}tls: {mode: Terminate, certificateRefs: [{name: ${ref}}]}}
`;
const httpRoute = (hostnames: string) => `apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: web, namespace: infra}
spec:
  parentRefs: [{name: gw}]
  hostnames: [${hostnames}]
  rules: [{backendRefs: [{name: web, port: 80}]}]
`;
const on = (l: Issued, opts: { hostname?: string | null; cls?: string; chain?: string } = {}) => [
  opts.cls === 'istio' ? istio : opts.cls === 'nlb' ? nlb : eg,
  gateway(opts.hostname === undefined ? 'shop.example.com' : opts.hostname, 'web-tls', opts.cls ?? 'eg'),
  secret('web-tls', opts.chain ?? fullChain(l), l.keyPem),
];

const seedAsWritten = 'file:test/fixtures/seeds/c-calico-tls-termination/as-written.yaml';

testRule(cert001, {
  valid: [
    { name: 'valid chain', yaml: on(shop) },
    { name: 'expired, but on an NLB (certificateRefs ignored)', yaml: on(leaf(['shop.example.com'], { notBefore: new Date('2025-01-01'), notAfter: new Date('2026-06-01') }), { cls: 'nlb' }) },
    { name: 'seed c corrected', yaml: 'file:test/fixtures/seeds/c-calico-tls-termination/corrected.yaml' },
  ],
  invalid: [
    {
      name: 'seed c as written: expired on 2026-08-04 (Calico refuses the Secret)',
      yaml: seedAsWritten,
      findings: [{ object: 'Secret default/example-cert', severity: 'error', field: 'data.tls.crt', message: /leaf certificate \(CN=www.example.com\) expired on 2026-08-04.*refuses the whole Secret.*listener https serves no certificate at all/, fixes: 0 }],
    },
    {
      name: 'not yet valid',
      yaml: on(leaf(['shop.example.com'], { notBefore: new Date('2027-01-01'), notAfter: TO })),
      findings: [{ object: 'Secret infra/web-tls', message: /is not valid before 2027-01-01/ }],
    },
    {
      name: 'expired intermediate elsewhere',
      yaml: on(shop, { cls: 'istio', chain: shop.certPem + issue({ cn: 'Test Intermediate CA', ca: true, issuer: root, notBefore: new Date('2024-01-01'), notAfter: new Date('2026-01-02') }).certPem }),
      findings: [{ object: 'Secret infra/web-tls', severity: 'error', message: /certificate 2 of tls.crt \(an intermediate\).*clients reject the handshake/ }],
    },
    {
      name: 'only an included root expired, elsewhere (warning)',
      yaml: on(shop, { cls: 'istio', chain: fullChain(shop) + issue({ cn: 'Old Root', ca: true, notBefore: new Date('2016-01-01'), notAfter: new Date('2026-01-01') }).certPem }),
      findings: [{ object: 'Secret infra/web-tls', severity: 'warning', message: /a root.*their own copy of that root/ }],
    },
  ],
});

testRule(cert002, {
  valid: [{ name: 'forty days left', yaml: on(leaf(['shop.example.com'], { notAfter: new Date('2027-01-01') })) }],
  invalid: [
    { name: 'eighteen days left', yaml: on(leaf(['shop.example.com'], { notAfter: new Date('2026-12-10') })), findings: [{ object: 'Secret infra/web-tls', severity: 'warning', message: /expires on 2026-12-10, in 18 days/ }] },
    { name: 'three days left', yaml: on(leaf(['shop.example.com'], { notAfter: new Date('2026-11-25') })), findings: [{ object: 'Secret infra/web-tls', severity: 'error', message: /in 3 days; Envoy Gateway then refuses the Secret/ }] },
  ],
});

testRule(cert003, {
  valid: [
    { name: 'exact name', yaml: on(shop) },
    { name: 'wildcard listener narrowed by a route to a name the certificate covers', yaml: [...on(wild, { hostname: '*.example.com' }), httpRoute('shop.example.com')] },
    { name: 'CN-only certificate: GWTLS-CERT-006 speaks', yaml: seedAsWritten },
  ],
  invalid: [
    {
      name: 'another name',
      yaml: on(leaf(['blog.example.com'])),
      findings: [{ object: 'Gateway infra/gw', field: 'spec.listeners[0].tls.certificateRefs', severity: 'error', message: /does not cover shop.example.com \(listener hostname\).*serves the certificate anyway/, fixes: 0 }],
    },
    {
      name: 'wildcard listener, wildcard certificate: one label only',
      yaml: on(wild, { hostname: '*.example.com' }),
      findings: [{ object: 'Gateway infra/gw', severity: 'warning', message: /only one label deep.*a\.b\.example\.com/ }],
    },
    {
      name: 'route hostname deeper than the certificate wildcard',
      yaml: [...on(wild, { hostname: '*.example.com' }), httpRoute('a.b.example.com')],
      findings: [{ object: 'Gateway infra/gw', severity: 'error', message: /does not cover a\.b\.example\.com \(hostname of HTTPRoute infra\/web\)/ }],
    },
    {
      name: 'no hostname anywhere: the certificate serves only its SANs',
      yaml: on(shop, { hostname: null }),
      findings: [{ object: 'Gateway infra/gw', severity: 'info', message: /has no hostname.*valid only for shop.example.com/ }],
    },
  ],
});

const other = leaf(['shop.example.com']);
testRule(cert004, {
  valid: [
    { name: 'key of the leaf', yaml: on(shop) },
    { name: 'leaf not first (GWTLS-CERT-005 explains it)', yaml: on(shop, { chain: intermediate.certPem + shop.certPem }) },
  ],
  invalid: [
    {
      name: 'key of another certificate',
      yaml: [eg, gateway('shop.example.com'), secret('web-tls', fullChain(shop), other.keyPem)],
      findings: [{ object: 'Secret infra/web-tls', field: 'data.tls.key', message: /^(?!.*PRIVATE KEY-----).*not the private key of its certificate.*refuses the Secret/ }],
    },
    {
      // what the real Traefik writes: test/e2e/gateway/certificates.test.ts
      name: 'key of another certificate, on Traefik',
      yaml: [traefik, gateway('shop.example.com', 'web-tls', 'traefik'), secret('web-tls', fullChain(shop), other.keyPem)],
      findings: [{ object: 'Secret infra/web-tls', field: 'data.tls.key', message: /Traefik refuses the Secret .*ResolvedRefs=False \(InvalidCertificateRef\).*Traefik's default certificate/ }],
    },
    {
      name: 'key of another certificate, on Istio',
      yaml: [istio, gateway('shop.example.com', 'web-tls', 'istio'), secret('web-tls', fullChain(shop), other.keyPem)],
      findings: [{ object: 'Secret infra/web-tls', field: 'data.tls.key', message: /every TLS handshake fails/ }],
    },
  ],
});

const selfSigned = issue({ dns: ['shop.example.com'], notBefore: FROM, notAfter: TO });
testRule(cert005, {
  valid: [
    { name: 'leaf and intermediate', yaml: on(shop) },
    { name: 'leaf, intermediate and root', yaml: on(shop, { chain: fullChain(shop) + root.certPem }) },
  ],
  invalid: [
    {
      name: 'seed c as written: leaf without its issuer',
      yaml: seedAsWritten,
      findings: [{ object: 'Secret default/example-cert', severity: 'warning', message: /without its issuer \(CN=example.com, O=example Inc.\).*unable to verify the first certificate.*curl --cacert/ }],
    },
    { name: 'leaf not first', yaml: on(shop, { chain: intermediate.certPem + shop.certPem }), findings: [{ object: 'Secret infra/web-tls', severity: 'error', message: /certificate 2 .* is the leaf \(tls.key belongs to it\)/ }] },
    { name: 'intermediates out of order', yaml: on(shop, { chain: shop.certPem + root.certPem + intermediate.certPem }), findings: [{ object: 'Secret infra/web-tls', severity: 'warning', message: /not in issuing order.*TLS 1.3 clients accept any order/ }] },
    { name: 'self-signed', yaml: on(selfSigned, { chain: selfSigned.certPem }), findings: [{ object: 'Secret infra/web-tls', severity: 'info', message: /self-signed.*curl --cacert/ }] },
  ],
});

testRule(cert006, {
  valid: [{ name: 'SAN present', yaml: on(shop) }],
  invalid: [
    {
      name: 'seed c as written: CN only',
      yaml: seedAsWritten,
      findings: [{ object: 'Secret default/example-cert', severity: 'error', field: 'data.tls.crt', message: /no subjectAltName, only the subject CN=www.example.com.*subjectAltName=DNS:www.example.com/, fixes: 0 }],
    },
  ],
});

/** A leaf whose extended key usage is clientAuth only. */
function clientOnly(): Issued {
  return issue({ cn: 'shop.example.com', dns: ['shop.example.com'], eku: ['clientAuth'], issuer: intermediate, notBefore: FROM, notAfter: TO });
}

testRule(cert007, {
  valid: [{ name: 'server certificate', yaml: on(shop) }],
  invalid: [
    { name: 'a CA certificate as the leaf', yaml: on(intermediate, { chain: intermediate.certPem + root.certPem }), findings: [{ object: 'Secret infra/web-tls', message: /it is a CA certificate \(basicConstraints CA:TRUE\)/ }] },
    { name: 'clientAuth only', yaml: on(clientOnly()), findings: [{ object: 'Secret infra/web-tls', message: /extended key usage \(clientAuth\) lacks serverAuth/ }] },
  ],
});

describe('chainShape', () => {
  it('finds the leaf by its key when it is not first', () => {
    const { certs } = decodePemChain(intermediate.certPem + shop.certPem, 'test');
    expect(chainShape(certs, shop.keyPem)).toEqual({ misordered: [0], firstIssuerPresent: false, keyAt: 1 });
  });
  it('sees a complete, ordered chain', () => {
    const { certs } = decodePemChain(fullChain(shop) + root.certPem, 'test');
    expect(chainShape(certs, shop.keyPem)).toEqual({ misordered: [], firstIssuerPresent: true, keyAt: null });
  });
});
