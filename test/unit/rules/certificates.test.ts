import { describe, expect, it } from 'vitest';
import { cert001 } from '../../../src/rules/certificates/cert-001-expired.ts';
import { cert002 } from '../../../src/rules/certificates/cert-002-expires-soon.ts';
import { cert003 } from '../../../src/rules/certificates/cert-003-hostname-not-covered.ts';
import { cert004 } from '../../../src/rules/certificates/cert-004-key-mismatch.ts';
import { cert005 } from '../../../src/rules/certificates/cert-005-chain.ts';
import { cert006 } from '../../../src/rules/certificates/cert-006-no-san.ts';
import { cert007 } from '../../../src/rules/certificates/cert-007-not-server-cert.ts';
import { decodePemChain, chainShape } from '../../../src/tls/certificate.ts';
import { issue, type Issued } from '../../helpers/certs.ts';
import { testRule } from '../../helpers/rule-tester.ts';

// DEFAULT_NOW is 2026-11-22; every certificate has a fixed window around it.
const FROM = new Date('2026-01-01T00:00:00Z');
const TO = new Date('2036-01-01T00:00:00Z');
const root = issue({ cn: 'Test Root CA', ca: true, notBefore: FROM, notAfter: TO });
const intermediate = issue({ cn: 'Test Intermediate CA', ca: true, issuer: root, notBefore: FROM, notAfter: TO });
const leaf = (dns: string[], opts: { issuer?: Issued; notBefore?: Date; notAfter?: Date; noSan?: boolean; cn?: string } = {}) =>
  issue({ dns, issuer: opts.issuer ?? intermediate, notBefore: opts.notBefore ?? FROM, notAfter: opts.notAfter ?? TO, ...(opts.noSan ? { noSan: true } : {}), ...(opts.cn ? { cn: opts.cn } : {}) });

const shop = leaf(['shop.example.com']);
const fullChain = (l: Issued) => l.certPem + intermediate.certPem;

const seedAsWritten = 'file:test/fixtures/seeds/c-calico-tls-termination/as-written.yaml';

testRule(cert001, {
  valid: [
    { name: 'valid chain', yaml: 'file:test/fixtures/scenarios/certificates/gwtls-cert-001/valid-valid-chain.yaml' },
    { name: 'expired, but on an NLB (certificateRefs ignored)', yaml: 'file:test/fixtures/scenarios/certificates/gwtls-cert-001/valid-expired-but-on-an-nlb-certificaterefs-ignored.yaml' },
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
      yaml: 'file:test/fixtures/scenarios/certificates/gwtls-cert-001/invalid-not-yet-valid.yaml',
      findings: [{ object: 'Secret infra/web-tls', message: /is not valid before 2027-01-01/ }],
    },
    {
      name: 'expired intermediate elsewhere',
      yaml: 'file:test/fixtures/scenarios/certificates/gwtls-cert-001/invalid-expired-intermediate-elsewhere.yaml',
      findings: [{ object: 'Secret infra/web-tls', severity: 'error', message: /certificate 2 of tls.crt \(an intermediate\).*clients reject the handshake/ }],
    },
    {
      name: 'only an included root expired, elsewhere (warning)',
      yaml: 'file:test/fixtures/scenarios/certificates/gwtls-cert-001/invalid-only-an-included-root-expired-elsewhere-warning.yaml',
      findings: [{ object: 'Secret infra/web-tls', severity: 'warning', message: /a root.*their own copy of that root/ }],
    },
  ],
});

testRule(cert002, {
  valid: [{ name: 'forty days left', yaml: 'file:test/fixtures/scenarios/certificates/gwtls-cert-002/valid-forty-days-left.yaml' }],
  invalid: [
    { name: 'eighteen days left', yaml: 'file:test/fixtures/scenarios/certificates/gwtls-cert-002/invalid-eighteen-days-left.yaml', findings: [{ object: 'Secret infra/web-tls', severity: 'warning', message: /expires on 2026-12-10, in 18 days/ }] },
    { name: 'three days left', yaml: 'file:test/fixtures/scenarios/certificates/gwtls-cert-002/invalid-three-days-left.yaml', findings: [{ object: 'Secret infra/web-tls', severity: 'error', message: /in 3 days; then Envoy Gateway v1\.2–v1\.6 and v1\.8\.3\+ refuse the whole Secret.*v1\.7\.0–v1\.8\.2 serve it as written, expired leaf included/ }] },
  ],
});

testRule(cert003, {
  valid: [
    { name: 'exact name', yaml: 'file:test/fixtures/scenarios/certificates/gwtls-cert-003/valid-exact-name.yaml' },
    { name: 'wildcard listener narrowed by a route to a name the certificate covers', yaml: 'file:test/fixtures/scenarios/certificates/gwtls-cert-003/valid-wildcard-listener-narrowed-by-a-route-to-a-name-the-certificate-covers.yaml' },
    { name: 'CN-only certificate: GWTLS-CERT-006 speaks', yaml: seedAsWritten },
  ],
  invalid: [
    {
      name: 'another name',
      yaml: 'file:test/fixtures/scenarios/certificates/gwtls-cert-003/invalid-another-name.yaml',
      findings: [{ object: 'Gateway infra/gw', field: 'spec.listeners[0].tls.certificateRefs', severity: 'error', message: /does not cover shop.example.com \(listener hostname\).*serves the certificate anyway/, fixes: 0 }],
    },
    {
      name: 'wildcard listener, wildcard certificate: one label only',
      yaml: 'file:test/fixtures/scenarios/certificates/gwtls-cert-003/invalid-wildcard-listener-wildcard-certificate-one-label-only.yaml',
      findings: [{ object: 'Gateway infra/gw', severity: 'warning', message: /only one label deep.*a\.b\.example\.com/ }],
    },
    {
      name: 'route hostname deeper than the certificate wildcard',
      yaml: 'file:test/fixtures/scenarios/certificates/gwtls-cert-003/invalid-route-hostname-deeper-than-the-certificate-wildcard.yaml',
      findings: [{ object: 'Gateway infra/gw', severity: 'error', message: /does not cover a\.b\.example\.com \(hostname of HTTPRoute infra\/web\)/ }],
    },
    {
      name: 'no hostname anywhere: the certificate serves only its SANs',
      yaml: 'file:test/fixtures/scenarios/certificates/gwtls-cert-003/invalid-no-hostname-anywhere-the-certificate-serves-only-its-sans.yaml',
      findings: [{ object: 'Gateway infra/gw', severity: 'info', message: /has no hostname.*valid only for shop.example.com/ }],
    },
  ],
});

testRule(cert004, {
  valid: [
    { name: 'key of the leaf', yaml: 'file:test/fixtures/scenarios/certificates/gwtls-cert-004/valid-key-of-the-leaf.yaml' },
    { name: 'leaf not first (GWTLS-CERT-005 explains it)', yaml: 'file:test/fixtures/scenarios/certificates/gwtls-cert-004/valid-leaf-not-first-gwtls-cert-005-explains-it.yaml' },
  ],
  invalid: [
    {
      name: 'key of another certificate',
      yaml: 'file:test/fixtures/scenarios/certificates/gwtls-cert-004/invalid-key-of-another-certificate.yaml',
      findings: [{ object: 'Secret infra/web-tls', field: 'data.tls.key', message: /^(?!.*PRIVATE KEY-----).*not the private key of its certificate.*refuses the Secret/ }],
    },
    {
      // what the real Traefik writes: test/e2e/gateway/certificates.test.ts
      name: 'key of another certificate, on Traefik',
      yaml: 'file:test/fixtures/scenarios/certificates/gwtls-cert-004/invalid-key-of-another-certificate-on-traefik.yaml',
      findings: [{ object: 'Secret infra/web-tls', field: 'data.tls.key', message: /Traefik refuses the Secret .*ResolvedRefs=False \(InvalidCertificateRef\).*Traefik's default certificate/ }],
    },
    {
      name: 'key of another certificate, on Istio',
      yaml: 'file:test/fixtures/scenarios/certificates/gwtls-cert-004/invalid-key-of-another-certificate-on-istio.yaml',
      findings: [{ object: 'Secret infra/web-tls', field: 'data.tls.key', message: /every TLS handshake fails/ }],
    },
  ],
});

testRule(cert005, {
  valid: [
    { name: 'leaf and intermediate', yaml: 'file:test/fixtures/scenarios/certificates/gwtls-cert-005/valid-leaf-and-intermediate.yaml' },
    { name: 'leaf, intermediate and root', yaml: 'file:test/fixtures/scenarios/certificates/gwtls-cert-005/valid-leaf-intermediate-and-root.yaml' },
  ],
  invalid: [
    {
      name: 'seed c as written: leaf without its issuer',
      yaml: seedAsWritten,
      findings: [{ object: 'Secret default/example-cert', severity: 'warning', message: /without its issuer \(CN=example.com, O=example Inc.\).*unable to verify the first certificate.*curl --cacert/ }],
    },
    { name: 'leaf not first', yaml: 'file:test/fixtures/scenarios/certificates/gwtls-cert-005/invalid-leaf-not-first.yaml', findings: [{ object: 'Secret infra/web-tls', severity: 'error', message: /certificate 2 .* is the leaf \(tls.key belongs to it\)/ }] },
    { name: 'intermediates out of order', yaml: 'file:test/fixtures/scenarios/certificates/gwtls-cert-005/invalid-intermediates-out-of-order.yaml', findings: [{ object: 'Secret infra/web-tls', severity: 'warning', message: /not in issuing order.*TLS 1.3 clients accept any order/ }] },
    { name: 'self-signed', yaml: 'file:test/fixtures/scenarios/certificates/gwtls-cert-005/invalid-self-signed.yaml', findings: [{ object: 'Secret infra/web-tls', severity: 'info', message: /self-signed.*curl --cacert/ }] },
  ],
});

testRule(cert006, {
  valid: [{ name: 'SAN present', yaml: 'file:test/fixtures/scenarios/certificates/gwtls-cert-006/valid-san-present.yaml' }],
  invalid: [
    {
      name: 'seed c as written: CN only',
      yaml: seedAsWritten,
      findings: [{ object: 'Secret default/example-cert', severity: 'error', field: 'data.tls.crt', message: /no subjectAltName, only the subject CN=www.example.com.*subjectAltName=DNS:www.example.com/, fixes: 0 }],
    },
  ],
});

testRule(cert007, {
  valid: [{ name: 'server certificate', yaml: 'file:test/fixtures/scenarios/certificates/gwtls-cert-007/valid-server-certificate.yaml' }],
  invalid: [
    { name: 'a CA certificate as the leaf', yaml: 'file:test/fixtures/scenarios/certificates/gwtls-cert-007/invalid-a-ca-certificate-as-the-leaf.yaml', findings: [{ object: 'Secret infra/web-tls', message: /it is a CA certificate \(basicConstraints CA:TRUE\)/ }] },
    { name: 'clientAuth only', yaml: 'file:test/fixtures/scenarios/certificates/gwtls-cert-007/invalid-clientauth-only.yaml', findings: [{ object: 'Secret infra/web-tls', message: /extended key usage \(clientAuth\) lacks serverAuth/ }] },
    { name: 'an unknown critical extension', yaml: 'file:test/fixtures/scenarios/certificates/gwtls-cert-007/invalid-an-unknown-critical-extension.yaml', findings: [{ object: 'Secret infra/web-tls', severity: 'error', message: /marks extension 1\.3\.6\.1\.4\.1\.55555\.2 critical: a client that does not know it must reject the certificate/ }] },
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
