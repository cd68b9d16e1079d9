// Gateway -> backend TLS through a real Traefik: a BackendTLSPolicy for a self-signed backend whose CA
// ConfigMap does not exist (requests fail, the tool says why) and then the CA ConfigMap the tool's fix creates
// (requests succeed); and plaintext to a TLS backend with no policy, repaired with the tool's verifying policy.
import { describe, expect, it } from 'vitest';
import { key, makeCert } from '../../helpers/tls-certs.ts';
import { skipE2e, type KubeObject } from '../harness/kube.ts';
import {
  applySafeFixes,
  backendService,
  compare,
  errorsOn,
  gateway,
  httpsGet,
  inspectLive,
  kubectlApply,
  load,
  observe,
  predict,
  record,
  requireGateway,
  route,
  stillFails,
  tlsSecret,
  traefikRouteLine,
  until,
  useTraefik,
  withNamespace,
  type Report,
  type RouteRef,
} from './traefik.ts';

const suffix = Date.now().toString(36);
const DAY = 86_400_000;
const ca = makeCert({ cn: [['O', 'gwtls e2e'], ['CN', 'gwtls e2e backend-tls CA']], ca: true, key: key('rsa', 'gw-btls-ca'), notAfter: new Date(Date.now() + 3650 * DAY) });
const BACKEND_HOST = 'secure-app.example.test';
const selfSigned = makeCert({ cn: BACKEND_HOST, dns: [BACKEND_HOST], key: key('rsa', 'gw-btls-self') });
const PORTS = { selfSigned: 18443 };
const HTTP_ROUTE: RouteRef = { kind: 'HTTPRoute', apiVersion: 'gateway.networking.k8s.io/v1', name: 'app' };

function policy(ns: string, configMap: string, sectionName?: string): KubeObject {
  return {
    apiVersion: 'gateway.networking.k8s.io/v1',
    kind: 'BackendTLSPolicy',
    metadata: { name: 'secure-tls', namespace: ns },
    spec: { targetRefs: [{ group: '', kind: 'Service', name: 'secure', ...(sectionName ? { sectionName } : {}) }], validation: { hostname: BACKEND_HOST, caCertificateRefs: [{ group: '', kind: 'ConfigMap', name: configMap }] } },
  } as KubeObject;
}

/** Applies what the tool offers for a finding: safe fixes with `--apply --yes`, a suggestion as a person would. */
async function repair(report: Report, code: string, gatewayName: string, ns: string): Promise<string> {
  const f = report.findings.find((x) => x.code === code);
  expect(f, `${code} in ${JSON.stringify(report.findings.map((x) => x.code))}`).toBeDefined();
  if (f!.fixes.some((x) => x.type === 'fix')) {
    const r = await applySafeFixes(gatewayName, ns);
    expect(r.code, r.stdout + r.stderr).not.toBe(2);
    // A fix is applied whole or not at all: a BackendTLSPolicy applied without the CA ConfigMap it names turns
    // Traefik's 502 into a 500 (route ResolvedRefs=False) instead of repairing anything.
    const lines = r.stdout.split('\n');
    const refused = lines.filter((l, i) => /CANNOT APPLY/.test(l) || (/could not be checked/.test(l) && /CANNOT APPLY/.test(lines[i - 1] ?? '')));
    expect(refused, `--apply --yes left out part of the ${code} fix and applied the rest:\n${r.stdout}`).toEqual([]);
    return `--apply --yes (${f!.fixes.find((x) => x.type === 'fix')!.title})`;
  }
  const s = f!.fixes.find((x) => x.type === 'suggestion');
  expect(s, `${code} offers a fix or a suggestion`).toBeDefined();
  await kubectlApply(s!.yaml);
  return `suggestion applied with kubectl (${s!.title})`;
}

describe.skipIf(skipE2e())('Traefik gateway -> backend TLS: the tool against a real gateway', () => {
  const h = useTraefik();
  let started = false;
  async function ready(ctx: { skip: (note?: string) => void }) {
    const gw = requireGateway(h, ctx);
    if (!started) {
      await gw.startBackends([{ name: 'secure', kind: 'https', port: PORTS.selfSigned, cert: selfSigned.pem, key: selfSigned.key.keyPem }]);
      started = true;
    }
    return gw;
  }
  const base = (ns: string, host: string, port: number, portName: string) => [
    tlsSecret(ns, 'site-cert', makeCert({ cn: host, dns: [host], issuer: ca, key: key('rsa', `gw-btls-${host}`) }), key('rsa', `gw-btls-${host}`).keyPem),
    tlsSecret(ns, 'secure-serving', selfSigned, selfSigned.key.keyPem),
    gateway(ns, 'web', [{ name: 'https', protocol: 'HTTPS', port, hostname: host, certificateRefs: [{ name: 'site-cert' }] }]),
    route('HTTPRoute', ns, 'app', { gateway: 'web' }, { service: 'secure', port: 8443 }, [host]),
    ...backendService(ns, 'secure', { name: portName, port: 8443, targetPort: PORTS.selfSigned }, 'secure-serving'),
  ];

  it('BackendTLSPolicy to a self-signed backend without its CA fails; with the CA ConfigMap the fix creates it works', async (ctx) => {
    const gw = await ready(ctx);
    const ns = `tk-btls-${suffix}`;
    const host = 'btls.example.test';
    const objects = [...base(ns, host, gw.entryPoints.websecure, 'https'), policy(ns, 'secure-ca', 'https')];
    await withNamespace(ns, async () => {
      const { report } = await predict(objects, 'web', ns);
      const errors = errorsOn(report, 'https');
      expect(errors.length, JSON.stringify(report.findings, null, 1)).toBeGreaterThan(0);
      await load(objects);
      const o = await observe(gw, ns, 'web', [HTTP_ROUTE]);
      compare(report, o, 'web', 'https', [HTTP_ROUTE]);
      expect(traefikRouteLine(o, HTTP_ROUTE)).toMatch(/ResolvedRefs=False/);
      const before = await stillFails(() => httpsGet(gw.entryPoints.websecure, host, ca.pem, 'secure'));
      expect(before.ok, JSON.stringify(before)).toBe(false);

      const code = errors[0]!.code;
      const how = await repair(report, code, 'web', ns);
      const after = await until(() => httpsGet(gw.entryPoints.websecure, host, ca.pem, 'secure'), 20_000);
      const o2 = await observe(gw, ns, 'web', [HTTP_ROUTE]);
      expect(after, `after ${how}: ${traefikRouteLine(o2, HTTP_ROUTE)}`).toMatchObject({ ok: true });
      const live = await inspectLive('web', ns);
      expect(errorsOn(live.report, 'https'), JSON.stringify(live.report.findings, null, 1)).toEqual([]);
      record({ scenario: 'BackendTLSPolicy, self-signed backend, CA ConfigMap missing', predicted: `${report.gateways[0]!.verdict} [${errors.map((f) => f.code).join(', ')}]`, traefik: traefikRouteLine(o, HTTP_ROUTE), request: `HTTPS ${before.status ?? before.error}`, afterFix: `${how}: ${traefikRouteLine(o2, HTTP_ROUTE)}; HTTPS ${after.status}` });
    });
  });

  it('a CA ConfigMap that holds another CA: requests fail, the tool says the backend certificate does not chain to it, its fix adds the certificate', async (ctx) => {
    const gw = await ready(ctx);
    const ns = `tk-wrongca-${suffix}`;
    const host = 'wrongca.example.test';
    const wrongCa = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'secure-ca', namespace: ns }, data: { 'ca.crt': ca.pem } } as KubeObject;
    const objects = [...base(ns, host, gw.entryPoints.websecure, 'https'), wrongCa, policy(ns, 'secure-ca', 'https')];
    await withNamespace(ns, async () => {
      const { report } = await predict(objects, 'web', ns);
      const errors = errorsOn(report, 'https');
      expect(errors.map((f) => f.code), JSON.stringify(report.findings, null, 1)).toContain('GWTLS-BTLS-007');
      await load(objects);
      const o = await observe(gw, ns, 'web', [HTTP_ROUTE]);
      compare(report, o, 'web', 'https', [HTTP_ROUTE]);
      const before = await stillFails(() => httpsGet(gw.entryPoints.websecure, host, ca.pem, 'secure'));
      expect(before.ok, JSON.stringify(before)).toBe(false);
      const how = await repair(report, 'GWTLS-BTLS-007', 'web', ns);
      const after = await until(() => httpsGet(gw.entryPoints.websecure, host, ca.pem, 'secure'), 20_000);
      expect(after, `after ${how}`).toMatchObject({ ok: true });
      const live = await inspectLive('web', ns);
      expect(errorsOn(live.report, 'https'), JSON.stringify(live.report.findings, null, 1)).toEqual([]);
      record({ scenario: 'BackendTLSPolicy, self-signed backend, CA ConfigMap with another CA', predicted: `${report.gateways[0]!.verdict} [${errors.map((f) => f.code).join(', ')}]`, traefik: traefikRouteLine(o, HTTP_ROUTE), request: `HTTPS ${before.status ?? before.error}`, afterFix: `${how}: HTTPS ${after.status}` });
    });
  });

  it('no policy, but a port named https: Traefik opens TLS anyway and verifies against the system roots, so a self-signed backend fails', async (ctx) => {
    const gw = await ready(ctx);
    const ns = `tk-implicit-${suffix}`;
    const host = 'implicit.example.test';
    const objects = base(ns, host, gw.entryPoints.websecure, 'https');
    await withNamespace(ns, async () => {
      const { report } = await predict(objects, 'web', ns);
      const hop = report.gateways[0]!.listeners[0]!.routes[0]!.backends[0]!;
      expect(hop.tls, 'the tool knows Traefik speaks TLS to a port named https').toMatchObject({ mode: 'tls', verified: true });
      const errors = errorsOn(report, 'https');
      await load(objects);
      const o = await observe(gw, ns, 'web', [HTTP_ROUTE]);
      compare(report, o, 'web', 'https', [HTTP_ROUTE]);
      const before = await stillFails(() => httpsGet(gw.entryPoints.websecure, host, ca.pem, 'secure'));
      expect(before.ok, JSON.stringify(before)).toBe(false);
      expect(errors.length, `the request fails (${before.status ?? before.error}): the tool must report an error on this path: ${JSON.stringify(report.findings, null, 1)}`).toBeGreaterThan(0);
      const how = await repair(report, errors[0]!.code, 'web', ns);
      const after = await until(() => httpsGet(gw.entryPoints.websecure, host, ca.pem, 'secure'), 20_000);
      expect(after, `after ${how}`).toMatchObject({ ok: true });
      const live = await inspectLive('web', ns);
      expect(errorsOn(live.report, 'https'), JSON.stringify(live.report.findings, null, 1)).toEqual([]);
      record({ scenario: 'no policy, port named https, self-signed backend', predicted: `${report.gateways[0]!.verdict} [${errors.map((f) => f.code).join(', ')}]`, traefik: traefikRouteLine(o, HTTP_ROUTE), request: `HTTPS ${before.status ?? before.error}`, afterFix: `${how}: HTTPS ${after.status}` });
    });
  });

  it('plaintext to a TLS backend with no policy fails; the verifying BackendTLSPolicy the tool offers repairs it', async (ctx) => {
    const gw = await ready(ctx);
    const ns = `tk-plain-${suffix}`;
    const host = 'plain2tls.example.test';
    // a port name that says nothing about TLS: Traefik then speaks plaintext HTTP to it (getHTTPServiceProtocol)
    const objects = base(ns, host, gw.entryPoints.websecure, 'web');
    await withNamespace(ns, async () => {
      const { report } = await predict(objects, 'web', ns);
      const errors = errorsOn(report, 'https');
      expect(errors.map((f) => f.code), JSON.stringify(report.findings, null, 1)).toContain('GWTLS-BTLS-001');
      await load(objects);
      const o = await observe(gw, ns, 'web', [HTTP_ROUTE]);
      compare(report, o, 'web', 'https', [HTTP_ROUTE]);
      const before = await stillFails(() => httpsGet(gw.entryPoints.websecure, host, ca.pem, 'secure'));
      expect(before.ok, JSON.stringify(before)).toBe(false);

      const how = await repair(report, 'GWTLS-BTLS-001', 'web', ns);
      const after = await until(() => httpsGet(gw.entryPoints.websecure, host, ca.pem, 'secure'), 20_000);
      const o2 = await observe(gw, ns, 'web', [HTTP_ROUTE]);
      expect(after, `after ${how}: ${traefikRouteLine(o2, HTTP_ROUTE)}`).toMatchObject({ ok: true });
      const live = await inspectLive('web', ns);
      expect(errorsOn(live.report, 'https'), JSON.stringify(live.report.findings, null, 1)).toEqual([]);
      record({ scenario: 'plaintext to a TLS backend, no policy', predicted: `${report.gateways[0]!.verdict}`, traefik: traefikRouteLine(o, HTTP_ROUTE), request: `HTTPS ${before.status ?? before.error}`, afterFix: `${how}: HTTPS ${after.status}` });
    });
  });
});
