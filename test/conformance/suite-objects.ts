/**
 * The Secrets and CA ConfigMaps that the Gateway API conformance suite creates in Go before any test runs
 * (sigs.k8s.io/gateway-api/conformance v1.6.1 utils/suite/suite.go Setup, certificates from
 * utils/kubernetes/certificate.go), rebuilt with the repository's test PKI: same names, namespaces, subjects,
 * SANs, key usages and PEM types (PKCS#1 "RSA PRIVATE KEY"), RSA 2048, valid for a year.
 *
 * Differences from the Go code, none of which a TLS diagnosis depends on: validity starts at the beginning of
 * the current UTC day rather than the current second (so that every call in a run sees the same
 * certificates); CA certificates also carry cRLSign and leaves subject/authority key identifiers (the test
 * PKI adds them); serial numbers of leaves are small counters instead of random 128-bit numbers.
 */
import { isIP } from 'node:net';
import { key, makeCert, type Issued } from '../helpers/tls-certs.ts';

const INFRA = 'gateway-conformance-infra';
const APP_BACKEND = 'gateway-conformance-app-backend';
const WEB_BACKEND = 'gateway-conformance-web-backend';
const DAY = 86_400_000;

export type SuiteObject = Record<string, unknown> & { apiVersion: string; kind: string; metadata: { name: string; namespace: string } };

/**
 * certificate.go generateRSACert: each host is an IP SAN, else a DNS SAN when it is a DNS name (after an
 * optional leading `*.`), else a URI SAN when it parses as a URL (so `*` becomes the URI `*`).
 */
export function sansOf(hosts: string[]): { dns: string[]; ips: string[]; uris: string[] } {
  const out = { dns: [] as string[], ips: [] as string[], uris: [] as string[] };
  const label = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
  for (const h of hosts) {
    if (isIP(h)) out.ips.push(h);
    else {
      const name = h.startsWith('*.') ? h.slice(2) : h;
      if (name.length <= 253 && name.split('.').every((l) => l.length <= 63 && label.test(l))) out.dns.push(h);
      else out.uris.push(h);
    }
  }
  return out;
}

function pkcs1(cert: Issued): string {
  return cert.key.privateKey.export({ type: 'pkcs1', format: 'pem' }).toString();
}

interface Clock {
  notBefore: Date;
  notAfter: Date;
}

/** generateCACert: O=Kubernetes Gateway API, C=US, CN=gatewayapi, serial 2024, clientAuth + serverAuth. */
function caCert(slot: string, clock: Clock): Issued {
  return makeCert({
    cn: [['C', 'US'], ['O', 'Kubernetes Gateway API'], ['CN', 'gatewayapi']],
    ca: true,
    key: key('rsa', `conformance-ca-${slot}`),
    serial: 2024,
    eku: ['clientAuth', 'serverAuth'],
    ...clock,
  });
}

/** generateRSACert: CN=default, O=Acme Co; self-signed when there is no CA. */
function leafCert(slot: string, hosts: string[], usage: 'serverAuth' | 'clientAuth', clock: Clock, ca?: Issued): Issued {
  return makeCert({
    cn: [['O', 'Acme Co'], ['CN', 'default']],
    key: key('rsa', `conformance-${slot}`),
    ...(ca ? { issuer: ca } : {}),
    ...sansOf(hosts),
    eku: [usage],
    ...clock,
  });
}

function tlsSecret(namespace: string, name: string, cert: Issued): SuiteObject {
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name, namespace },
    type: 'kubernetes.io/tls',
    data: { 'tls.crt': Buffer.from(cert.pem).toString('base64'), 'tls.key': Buffer.from(pkcs1(cert)).toString('base64') },
  };
}

/** MustCreateCACertConfigMap: the CA certificate and, as the suite does, its private key (`key.crt`). */
function caConfigMap(namespace: string, name: string, ca: Issued): SuiteObject {
  return { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace }, data: { 'ca.crt': ca.pem, 'key.crt': pkcs1(ca) } };
}

function build(): SuiteObject[] {
  const start = new Date(Math.floor(Date.now() / DAY) * DAY);
  const clock = { notBefore: start, notAfter: new Date(start.getTime() + 365 * DAY) };
  const validityCa = caCert('tls-validity-checks', clock);
  const perPortCa = caCert('tls-validity-checks-per-port', clock);
  const checksCa = caCert('tls-checks', clock);
  return [
    tlsSecret(WEB_BACKEND, 'certificate', leafCert('certificate', ['*'], 'serverAuth', clock)),
    tlsSecret(INFRA, 'tls-validity-checks-certificate', leafCert('tls-validity-checks-certificate', ['*', '*.org', '*.wildcard.org'], 'serverAuth', clock)),
    caConfigMap(WEB_BACKEND, 'web-backend-cm', caCert('web-backend', clock)),
    caConfigMap(INFRA, 'tls-validity-checks-ca-certificate', validityCa),
    tlsSecret(INFRA, 'tls-validity-checks-client-certificate', leafCert('tls-validity-checks-client-certificate', [], 'clientAuth', clock, validityCa)),
    caConfigMap(INFRA, 'tls-validity-checks-per-port-ca-certificate', perPortCa),
    tlsSecret(INFRA, 'tls-validity-checks-per-port-client-certificate', leafCert('tls-validity-checks-per-port-client-certificate', [], 'clientAuth', clock, perPortCa)),
    caConfigMap(INFRA, 'tls-checks-ca-certificate', checksCa),
    tlsSecret(INFRA, 'tls-checks-certificate', leafCert('tls-checks-certificate', ['abc.example.com', 'spiffe://abc.example.com/test-identity', 'other.example.com'], 'serverAuth', clock, checksCa)),
    tlsSecret(INFRA, 'tls-checks-client-certificate', leafCert('tls-checks-client-certificate', [], 'clientAuth', clock, checksCa)),
    tlsSecret(INFRA, 'tls-passthrough-checks-certificate', leafCert('tls-passthrough-checks-certificate-infra', ['abc.example.com'], 'serverAuth', clock, checksCa)),
    tlsSecret(APP_BACKEND, 'tls-passthrough-checks-certificate', leafCert('tls-passthrough-checks-certificate-app', ['abc.example.com'], 'serverAuth', clock, checksCa)),
    tlsSecret(INFRA, 'tls-terminate-checks-certificate', leafCert('tls-terminate-checks-certificate', ['tls.example.com'], 'serverAuth', clock, checksCa)),
    caConfigMap(INFRA, 'mismatch-ca-certificate', caCert('mismatch', clock)),
  ];
}

let cached: SuiteObject[] | undefined;

/** The suite's generated objects, built once per process (so every case of a run shares them). */
export function suiteObjects(): SuiteObject[] {
  cached ??= build();
  return structuredClone(cached);
}
