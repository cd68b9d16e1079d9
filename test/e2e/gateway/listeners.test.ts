// Listener scenarios through a real Traefik: HTTPS termination with a good Secret (and `inspect --probe` on the
// live listener), TLS Terminate + TCPRoute, the seed's TCPRoute behind an HTTPS listener and its repair, and TLS
// Passthrough + TLSRoute. Each compares the tool's prediction with the status Traefik wrote, probes the real entry
// point, and sends real traffic that must succeed exactly when the tool reports no error on the listener's path.
import { describe, expect, it } from 'vitest';
import { key, makeCert } from '../../helpers/tls-certs.ts';
import { skipE2e } from '../harness/kube.ts';
import {
  applySafeFixes,
  backendService,
  compare,
  errorsOn,
  gateway,
  httpGet,
  httpsGet,
  inspectLive,
  load,
  observe,
  predict,
  probeListener,
  record,
  requireGateway,
  route,
  stillFails,
  tlsEcho,
  tlsSecret,
  traefikListenerHealthy,
  traefikListenerLine,
  traefikRouteLine,
  until,
  useTraefik,
  withNamespace,
  writeTemp,
  type RouteRef,
} from './traefik.ts';

const suffix = Date.now().toString(36);
const DAY = 86_400_000;
const ca = makeCert({ cn: [['O', 'gwtls e2e'], ['CN', 'gwtls e2e gateway CA']], ca: true, key: key('rsa', 'gw-e2e-ca'), notAfter: new Date(Date.now() + 3650 * DAY) });
const caFile = writeTemp('ca.crt', ca.pem);
const leaf = (host: string, slot: string) => makeCert({ cn: host, dns: [host], issuer: ca, key: key('rsa', slot) });
const PORTS = { http: 18080, tcp: 19000, tls: 19443 };
const HTTP_ROUTE = (name: string): RouteRef => ({ kind: 'HTTPRoute', apiVersion: 'gateway.networking.k8s.io/v1', name });
const TCP_ROUTE = (name: string): RouteRef => ({ kind: 'TCPRoute', apiVersion: 'gateway.networking.k8s.io/v1alpha2', name });
const TLS_ROUTE = (name: string): RouteRef => ({ kind: 'TLSRoute', apiVersion: 'gateway.networking.k8s.io/v1alpha2', name });

describe.skipIf(skipE2e())('Traefik listeners: the tool against a real gateway', () => {
  const h = useTraefik();
  const passthroughBackend = leaf('pass.example.test', 'gw-pass-backend');
  let backendsStarted = false;
  async function backends(ctx: { skip: (note?: string) => void }) {
    const gw = requireGateway(h, ctx);
    if (!backendsStarted) {
      await gw.startBackends([
        { name: 'plain', kind: 'http', port: PORTS.http },
        { name: 'echo', kind: 'tcp-echo', port: PORTS.tcp },
        { name: 'tls-echo', kind: 'tls-echo', port: PORTS.tls, cert: passthroughBackend.pem, key: passthroughBackend.key.keyPem },
      ]);
      backendsStarted = true;
    }
    return gw;
  }

  it('HTTPS termination with a good Secret: no error, Traefik programs it, the probe sees the Secret, requests succeed', async (ctx) => {
    const gw = await backends(ctx);
    const ns = `tk-https-${suffix}`;
    const host = 'good.example.test';
    const cert = leaf(host, 'gw-good');
    const objects = [
      tlsSecret(ns, 'good-cert', cert, cert.key.keyPem),
      gateway(ns, 'web', [
        { name: 'http', protocol: 'HTTP', port: gw.entryPoints.web, hostname: host },
        { name: 'https', protocol: 'HTTPS', port: gw.entryPoints.websecure, hostname: host, certificateRefs: [{ name: 'good-cert' }] },
      ]),
      route('HTTPRoute', ns, 'app', { gateway: 'web' }, { service: 'app', port: 80 }, [host]),
      ...backendService(ns, 'app', { name: 'http', port: 80, targetPort: PORTS.http }),
    ];
    await withNamespace(ns, async () => {
      const { report } = await predict(objects, 'web', ns);
      expect(errorsOn(report, 'https'), JSON.stringify(report.findings, null, 1)).toEqual([]);
      const predictedFp = report.gateways[0]!.listeners.find((l) => l.name === 'https')!.tls!.certificates[0]!.fingerprintSha256;

      await load(objects);
      const o = await observe(gw, ns, 'web', [HTTP_ROUTE('app')]);
      compare(report, o, 'web', 'https', [HTTP_ROUTE('app')]);
      compare(report, o, 'web', 'http', [HTTP_ROUTE('app')]);
      expect(traefikListenerHealthy(o, 'https'), traefikListenerLine(o, 'https')).toBe(true);
      expect(o.gateway.status?.addresses?.[0]?.value).toBe('127.0.0.1');

      const probe = await probeListener(host, gw.entryPoints.websecure, caFile);
      expect(probe.report.chain[0]?.fingerprintSha256, 'served leaf = the certificate the report predicted').toBe(predictedFp);
      expect(probe.report.cluster?.servedMatchesConfigured, JSON.stringify(probe.report.cluster)).toBe(true);
      expect(probe.code).toBe(0);

      const https = await until(() => httpsGet(gw.entryPoints.websecure, host, ca.pem, 'plain'));
      const http = await until(() => httpGet(gw.entryPoints.web, host, 'plain'));
      expect(https, 'HTTPS through Traefik').toMatchObject({ ok: true });
      expect(http, 'HTTP through Traefik').toMatchObject({ ok: true });

      // inspect --probe on the live Gateway: the served-versus-configured cross-check on a real listener
      const live = await inspectLive('web', ns, ['--probe']);
      const probed = live.report.gateways[0]!.listeners.find((l) => l.name === 'https')!.probe ?? [];
      expect(probed.length, JSON.stringify(probed)).toBeGreaterThan(0);
      for (const p of probed) {
        expect(p.status, p.summary).toBe('probed');
        expect(p.endpoint).toBe(`127.0.0.1:${gw.entryPoints.websecure}`);
        expect(p.leaf?.fingerprintSha256).toBe(predictedFp);
        expect(p.configured?.outcome, p.summary).toBe('same');
      }
      // served = configured: no GWTLS-PRB-004 / -009. (The listener probe verifies against the system roots, which
      // do not hold this test CA, and backend probes need a kubelet for port-forward: those findings are expected.)
      const probeCodes = live.report.findings.filter((f) => f.code.startsWith('GWTLS-PRB')).map((f) => f.code);
      expect(probeCodes, JSON.stringify(live.report.findings, null, 1)).not.toContain('GWTLS-PRB-004');
      expect(probeCodes).not.toContain('GWTLS-PRB-009');
      record({ scenario: 'HTTPS termination, good Secret (+ inspect --probe)', predicted: report.gateways[0]!.verdict ?? '', traefik: traefikListenerLine(o, 'https'), request: `HTTPS ${https.status} / HTTP ${http.status}; inspect --probe: served = configured (${probed.map((p) => p.configured?.outcome).join(', ')}); probe findings ${[...new Set(probeCodes)].join(', ')}`, afterFix: '(no fix needed)' });
    });
  });

  it('TLS Terminate + TCPRoute works; the same TCPRoute behind an HTTPS listener does not, until the safe fix makes the listener TLS', async (ctx) => {
    const gw = await backends(ctx);
    const host = 'tcp.example.test';
    const cert = leaf(host, 'gw-tcp');
    const common = (ns: string) => [tlsSecret(ns, 'tcp-cert', cert, cert.key.keyPem), route('TCPRoute', ns, 'echo', { gateway: 'tcp' }, { service: 'echo', port: 9000 }), ...backendService(ns, 'echo', { name: 'tcp', port: 9000, targetPort: PORTS.tcp })];

    // 1. the spec pattern: a TLS listener in Terminate mode
    const ns1 = `tk-tcpterm-${suffix}`;
    const good = [...common(ns1), gateway(ns1, 'tcp', [{ name: 'tls', protocol: 'TLS', mode: 'Terminate', port: gw.entryPoints.tls, hostname: host, certificateRefs: [{ name: 'tcp-cert' }] }])];
    await withNamespace(ns1, async () => {
      const { report } = await predict(good, 'tcp', ns1);
      expect(errorsOn(report, 'tls'), JSON.stringify(report.findings, null, 1)).toEqual([]);
      await load(good);
      const o = await observe(gw, ns1, 'tcp', [TCP_ROUTE('echo')]);
      compare(report, o, 'tcp', 'tls', [TCP_ROUTE('echo')]);
      const probe = await probeListener(host, gw.entryPoints.tls, caFile);
      expect(probe.report.chain[0]?.fingerprintSha256, 'served leaf = the certificate the report predicted').toBe(report.gateways[0]!.listeners[0]!.tls!.certificates[0]!.fingerprintSha256);
      const echo = await until(() => tlsEcho(gw.entryPoints.tls, host, ca.pem, 'echo'));
      expect(echo, 'TLS-terminated TCP through Traefik').toMatchObject({ ok: true });
      record({ scenario: 'TLS Terminate + TCPRoute', predicted: report.gateways[0]!.verdict ?? '', traefik: `${traefikListenerLine(o, 'tls')}; ${traefikRouteLine(o, TCP_ROUTE('echo'))}`, request: `TLS echo: ${echo.ok ? 'ok' : echo.error}`, afterFix: '(no fix needed)' });
    });

    // 2. the seed's mistake: the same TCPRoute behind an HTTPS listener
    const ns2 = `tk-tcphttps-${suffix}`;
    const bad = [...common(ns2), gateway(ns2, 'tcp', [{ name: 'https', protocol: 'HTTPS', port: gw.entryPoints.tls, hostname: host, certificateRefs: [{ name: 'tcp-cert' }] }])];
    await withNamespace(ns2, async () => {
      const { report } = await predict(bad, 'tcp', ns2);
      const rt = report.findings.filter((f) => f.code === 'GWTLS-RT-003');
      expect(rt, JSON.stringify(report.findings, null, 1)).toHaveLength(1);
      expect(rt[0]!.message).toMatch(/Traefik/);
      await load(bad);
      const o = await observe(gw, ns2, 'tcp', [TCP_ROUTE('echo')]);
      compare(report, o, 'tcp', 'https', [TCP_ROUTE('echo')]);
      const before = await stillFails(() => tlsEcho(gw.entryPoints.tls, host, ca.pem, 'echo'));
      expect(before.ok, `TCP behind HTTPS must not reach the echo backend: ${JSON.stringify(before)}`).toBe(false);

      const applied = await applySafeFixes('tcp', ns2);
      expect(applied.code, applied.stdout + applied.stderr).not.toBe(2);
      const o2 = await observe(gw, ns2, 'tcp', [TCP_ROUTE('echo')]);
      const live = await inspectLive('tcp', ns2);
      expect(live.report.findings.filter((f) => f.code === 'GWTLS-RT-003'), JSON.stringify(live.report.findings, null, 1)).toEqual([]);
      const listenerName = live.report.gateways[0]!.listeners[0]!.name;
      const after = await until(() => tlsEcho(gw.entryPoints.tls, host, ca.pem, 'echo'));
      expect(after, `after --apply: ${traefikListenerLine(o2, listenerName)}`).toMatchObject({ ok: true });
      record({ scenario: 'TCPRoute behind HTTPS (seed c)', predicted: report.gateways[0]!.verdict ?? '', traefik: `${traefikListenerLine(o, 'https')}; ${traefikRouteLine(o, TCP_ROUTE('echo'))}`, request: `TLS echo: ${before.error ?? before.body ?? 'no echo'}`, afterFix: `--apply --yes: ${traefikRouteLine(o2, TCP_ROUTE('echo'))}; TLS echo ${after.ok ? 'ok' : after.error}` });
    });
  });

  it('TLS Passthrough + TLSRoute: the probe through the gateway shows the backend certificate', async (ctx) => {
    const gw = await backends(ctx);
    const ns = `tk-pass-${suffix}`;
    const host = 'pass.example.test';
    const objects = [
      gateway(ns, 'pass', [{ name: 'tls', protocol: 'TLS', mode: 'Passthrough', port: gw.entryPoints.passthrough, hostname: host }]),
      route('TLSRoute', ns, 'pass', { gateway: 'pass' }, { service: 'secure', port: 443 }, [host]),
      ...backendService(ns, 'secure', { name: 'tls', port: 443, targetPort: PORTS.tls }),
    ];
    await withNamespace(ns, async () => {
      const { report } = await predict(objects, 'pass', ns);
      expect(errorsOn(report, 'tls'), JSON.stringify(report.findings, null, 1)).toEqual([]);
      await load(objects);
      const o = await observe(gw, ns, 'pass', [TLS_ROUTE('pass')]);
      compare(report, o, 'pass', 'tls', [TLS_ROUTE('pass')]);
      const probe = await until(async () => {
        const p = await probeListener(host, gw.entryPoints.passthrough, caFile);
        return { ok: p.report.chain[0]?.fingerprintSha256 !== undefined, body: JSON.stringify(p.report) };
      });
      const served = JSON.parse(probe.body!) as { chain: Array<{ fingerprintSha256: string }>; cluster?: { servedMatchesConfigured: boolean | null } };
      const backendFp = passthroughBackend.x509.fingerprint256.replace(/:/g, '').toLowerCase();
      expect(served.chain[0]!.fingerprintSha256.replace(/:/g, '').toLowerCase(), 'passthrough: the backend certificate, not a gateway one').toBe(backendFp);
      const echo = await until(() => tlsEcho(gw.entryPoints.passthrough, host, ca.pem, 'tls-echo'));
      expect(echo).toMatchObject({ ok: true });
      record({ scenario: 'TLS Passthrough + TLSRoute', predicted: report.gateways[0]!.verdict ?? '', traefik: `${traefikListenerLine(o, 'tls')}; ${traefikRouteLine(o, TLS_ROUTE('pass'))}`, request: `TLS echo through passthrough: ok, backend certificate served`, afterFix: '(no fix needed)' });
    });
  });

  it('TLS Passthrough + TCPRoute: the spec allows only TLSRoute there, Traefik accepts TCPRoute too, and the tool follows Traefik', async (ctx) => {
    const gw = await backends(ctx);
    const ns = `tk-passtcp-${suffix}`;
    const host = 'pass.example.test';
    const objects = [
      gateway(ns, 'pass', [{ name: 'tls', protocol: 'TLS', mode: 'Passthrough', port: gw.entryPoints.passthrough }]),
      route('TCPRoute', ns, 'raw', { gateway: 'pass' }, { service: 'secure', port: 443 }),
      ...backendService(ns, 'secure', { name: 'tls', port: 443, targetPort: PORTS.tls }),
    ];
    await withNamespace(ns, async () => {
      const { report } = await predict(objects, 'pass', ns);
      expect(report.findings.filter((f) => f.code === 'GWTLS-RT-003'), JSON.stringify(report.findings, null, 1)).toEqual([]);
      expect(errorsOn(report, 'tls'), JSON.stringify(report.findings, null, 1)).toEqual([]);
      await load(objects);
      const o = await observe(gw, ns, 'pass', [TCP_ROUTE('raw')]);
      compare(report, o, 'pass', 'tls', [TCP_ROUTE('raw')]);
      const echo = await until(() => tlsEcho(gw.entryPoints.passthrough, host, ca.pem, 'tls-echo'));
      expect(echo, 'raw TLS passes through to the backend').toMatchObject({ ok: true });
      expect(echo.peerFingerprint?.replace(/:/g, '').toLowerCase()).toBe(passthroughBackend.x509.fingerprint256.replace(/:/g, '').toLowerCase());
      record({ scenario: 'TLS Passthrough + TCPRoute (Traefik-specific)', predicted: report.gateways[0]!.verdict ?? '', traefik: `${traefikListenerLine(o, 'tls')}; ${traefikRouteLine(o, TCP_ROUTE('raw'))}`, request: 'TLS echo through passthrough: ok, backend certificate', afterFix: '(no fix needed)' });
    });
  });
});
