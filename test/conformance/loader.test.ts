// The conformance corpus loader against the real module sigs.k8s.io/gateway-api/conformance (Go module cache):
// one case per tests/*.yaml, placeholders resolved, the profile's GatewayClass added, and the Secrets and CA
// ConfigMaps of the suite's Go setup present with the suite's names and SANs.
import { X509Certificate, createPrivateKey } from 'node:crypto';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import * as yaml from 'js-yaml';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadManifests } from '../../src/cluster/manifests.ts';
import { goModDownload } from '../e2e/harness/gobuild.ts';
import { CONFORMANCE_MODULE, CONFORMANCE_VERSION, loadConformance, type ConformanceCase } from './loader.ts';
import { sansOf } from './suite-objects.ts';

const PROFILE = { gatewayClassName: 'gwtls-conformance', controllerName: 'example.com/gwtls-conformance-controller' };

type Obj = { apiVersion: string; kind: string; type?: string; metadata: { name: string; namespace?: string }; spec?: Record<string, unknown>; data?: Record<string, string> };

let cases: ConformanceCase[] = [];
let skip = '';

beforeAll(async () => {
  const result = await loadConformance(PROFILE);
  if ('skip' in result) {
    skip = result.skip;
    console.warn(`[conformance] skipping loader tests: ${skip}`);
  } else cases = result.cases;
}, 600_000);

const docs = (c: ConformanceCase) => c.documents as Obj[];
const find = (c: ConformanceCase, kind: string, namespace: string | undefined, name: string) => docs(c).find((d) => d.kind === kind && d.metadata.name === name && d.metadata.namespace === namespace);
const certOf = (secret: Obj) => new X509Certificate(Buffer.from(secret.data!['tls.crt']!, 'base64'));
const keyOf = (secret: Obj) => Buffer.from(secret.data!['tls.key']!, 'base64').toString();

/** Secret and ConfigMap references of Gateways and BackendTLSPolicies (namespace defaults to the referrer's). */
function references(c: ConformanceCase): Array<{ from: string; kind: string; namespace: string; name: string }> {
  const out: Array<{ from: string; kind: string; namespace: string; name: string }> = [];
  const visit = (v: unknown, from: string, ns: string, key: string): void => {
    if (Array.isArray(v)) v.forEach((x) => visit(x, from, ns, key));
    else if (v && typeof v === 'object') {
      const o = v as Record<string, unknown>;
      if (/certificateRefs|caCertificateRefs|clientCertificateRef/.test(key) && typeof o.name === 'string') {
        out.push({ from, kind: typeof o.kind === 'string' ? o.kind : key === 'caCertificateRefs' ? 'ConfigMap' : 'Secret', namespace: typeof o.namespace === 'string' ? o.namespace : ns, name: o.name });
      }
      for (const [k, x] of Object.entries(o)) visit(x, from, ns, k);
    }
  };
  for (const d of docs(c)) if (d.kind === 'Gateway' || d.kind === 'BackendTLSPolicy') visit(d.spec, `${d.kind} ${d.metadata.namespace}/${d.metadata.name}`, d.metadata.namespace ?? 'default', 'spec');
  return out;
}

describe('conformance corpus loader', () => {
  it('gives one case per tests/*.yaml of the module, named after the file', async (ctx) => {
    if (skip) return ctx.skip(skip);
    const mod = await goModDownload(CONFORMANCE_MODULE, CONFORMANCE_VERSION);
    const files = readdirSync(join(mod.Dir, 'tests')).filter((f) => f.endsWith('.yaml')).map((f) => f.slice(0, -5)).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    expect(cases.map((c) => c.name)).toEqual(files);
    expect(cases).toHaveLength(132); // v1.6.1
    expect(cases.every((c) => c.source.startsWith(`${CONFORMANCE_MODULE}@${CONFORMANCE_VERSION} tests/${c.name}.yaml`))).toBe(true);
  });

  it('leaves no placeholder and gives every Gateway and GatewayClass the profile', (ctx) => {
    if (skip) return ctx.skip(skip);
    const leftovers = cases.filter((c) => /\{[A-Z_]+\}|PLACEHOLDER_/.test(JSON.stringify(c.documents))).map((c) => c.name);
    expect(leftovers).toEqual([]);
    for (const c of cases) {
      expect(find(c, 'GatewayClass', undefined, PROFILE.gatewayClassName)?.spec).toEqual({ controllerName: PROFILE.controllerName });
      for (const d of docs(c)) {
        if (d.kind === 'Gateway') expect(d.spec?.gatewayClassName, `${c.name} ${d.metadata.name}`).toBe(PROFILE.gatewayClassName);
        if (d.kind === 'GatewayClass') expect(d.spec?.controllerName).toBe(PROFILE.controllerName);
      }
    }
    const generation = cases.find((c) => c.name === 'gatewayclass-observed-generation-bump')!;
    expect(docs(generation).filter((d) => d.kind === 'GatewayClass').map((d) => d.metadata.name)).toEqual([PROFILE.gatewayClassName, 'gatewayclass-observed-generation-bump']);
    // gateway-static-addresses keeps only the deliberately unsupported address type (no address pools in a profile)
    const staticAddresses = docs(cases.find((c) => c.name === 'gateway-static-addresses')!).find((d) => d.kind === 'Gateway' && d.metadata.name === 'gateway-static-addresses');
    expect(staticAddresses?.spec?.addresses).toEqual([{ type: 'test/fake-invalid-type', value: 'fake address teehee!' }]);
  });

  it('has the TLS Secrets of the suite setup, with its SANs, signed by the CA in its ConfigMap', (ctx) => {
    if (skip) return ctx.skip(skip);
    const c = cases.find((x) => x.name === 'tlsroute-terminate-simple-same-namespace')!;
    const gateway = docs(c).find((d) => d.kind === 'Gateway' && JSON.stringify(d.spec).includes('tls-terminate-checks-certificate'));
    expect(gateway, 'the case references the suite Secret').toBeDefined();
    const infra = 'gateway-conformance-infra';
    const terminate = find(c, 'Secret', infra, 'tls-terminate-checks-certificate')!;
    expect(terminate.type).toBe('kubernetes.io/tls');
    const cert = certOf(terminate);
    expect(cert.subjectAltName).toBe('DNS:tls.example.com');
    expect(cert.subject).toBe('O=Acme Co\nCN=default');
    expect(cert.checkPrivateKey(createPrivateKey(keyOf(terminate)))).toBe(true);
    expect(keyOf(terminate)).toMatch(/^-----BEGIN RSA PRIVATE KEY-----/);
    const ca = new X509Certificate(find(c, 'ConfigMap', infra, 'tls-checks-ca-certificate')!.data!['ca.crt']!);
    expect(ca.ca).toBe(true);
    expect(ca.subject).toBe('C=US\nO=Kubernetes Gateway API\nCN=gatewayapi');
    expect(cert.verify(ca.publicKey)).toBe(true);

    expect(certOf(find(c, 'Secret', infra, 'tls-checks-certificate')!).subjectAltName).toBe('DNS:abc.example.com, DNS:other.example.com, URI:spiffe://abc.example.com/test-identity');
    const validity = certOf(find(c, 'Secret', infra, 'tls-validity-checks-certificate')!);
    expect(validity.subjectAltName).toBe('DNS:*.org, DNS:*.wildcard.org, URI:*');
    expect(validity.issuer).toBe(validity.subject);
    expect(certOf(find(c, 'Secret', 'gateway-conformance-web-backend', 'certificate')!).subjectAltName).toBe('URI:*');
    for (const ns of [infra, 'gateway-conformance-app-backend']) expect(certOf(find(c, 'Secret', ns, 'tls-passthrough-checks-certificate')!).subjectAltName).toBe('DNS:abc.example.com');
    const client = certOf(find(c, 'Secret', infra, 'tls-validity-checks-client-certificate')!);
    expect(client.subjectAltName).toBeUndefined();
    expect(client.keyUsage).toEqual(['1.3.6.1.5.5.7.3.2']);
    expect(client.verify(new X509Certificate(find(c, 'ConfigMap', infra, 'tls-validity-checks-ca-certificate')!.data!['ca.crt']!).publicKey)).toBe(true);
    expect(cert.verify(new X509Certificate(find(c, 'ConfigMap', infra, 'mismatch-ca-certificate')!.data!['ca.crt']!).publicKey)).toBe(false);
  });

  it('resolves every Secret and ConfigMap a Gateway or BackendTLSPolicy names, except the ones missing on purpose', (ctx) => {
    if (skip) return ctx.skip(skip);
    const dangling = new Set<string>();
    let resolved = 0;
    for (const c of cases) {
      for (const r of references(c)) {
        if (r.kind !== 'Secret' && r.kind !== 'ConfigMap') continue;
        if (find(c, r.kind, r.namespace, r.name)) resolved++;
        else dangling.add(`${r.kind} ${r.namespace}/${r.name}`);
      }
    }
    expect(resolved).toBeGreaterThan(50);
    // the conformance manifests name these to test a missing reference
    expect([...dangling].filter((d) => !/nonexist|does-not-exist|non-exisitng/.test(d))).toEqual([]);
  });

  it('builds the generated objects once per run', async (ctx) => {
    if (skip) return ctx.skip(skip);
    const again = await loadConformance({ gatewayClassName: 'other', controllerName: 'example.com/other' });
    expect('cases' in again).toBe(true);
    if (!('cases' in again)) return;
    const secret = (cs: ConformanceCase[]) => find(cs[0]!, 'Secret', 'gateway-conformance-infra', 'tls-checks-certificate')!.data;
    expect(secret(again.cases)).toEqual(secret(cases));
    expect(again.cases[0]!.documents).not.toBe(cases[0]!.documents);
  });

  it('gives documents the tool reads without input errors', async (ctx) => {
    if (skip) return ctx.skip(skip);
    for (const c of cases.slice(0, 20)) {
      const text = c.documents.map((d) => yaml.dump(d, { lineWidth: -1, noRefs: true })).join('---\n');
      const { errors } = await loadManifests(['-'], 'default', async () => text);
      expect(errors, c.name).toEqual([]);
    }
  });

  it('skips with the reason when there is no Go toolchain', async () => {
    const saved = process.env.GWTLS_E2E_GO;
    process.env.GWTLS_E2E_GO = 'none';
    try {
      const result = await loadConformance(PROFILE);
      expect(result).toEqual({ skip: expect.stringMatching(/no Go toolchain.*sigs\.k8s\.io\/gateway-api\/conformance@v1\.6\.1/) });
    } finally {
      if (saved === undefined) delete process.env.GWTLS_E2E_GO;
      else process.env.GWTLS_E2E_GO = saved;
    }
  });
});

describe('conformance SAN classification (certificate.go generateRSACert)', () => {
  it('splits hosts into DNS, IP and URI SANs the way the suite does', () => {
    expect(sansOf(['*', '*.org', '*.wildcard.org', 'abc.example.com', 'spiffe://abc.example.com/test-identity', '10.0.0.1', 'Upper.example.com'])).toEqual({
      dns: ['*.org', '*.wildcard.org', 'abc.example.com'],
      ips: ['10.0.0.1'],
      uris: ['*', 'spiffe://abc.example.com/test-identity', 'Upper.example.com'],
    });
  });
});
