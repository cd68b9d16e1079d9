// The terminal UI's probe actions (TuiContext.probeListener / probeBackend) as inspect provides them: they reuse
// the --probe code on the model of the report on screen.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as yaml from 'js-yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { analyse, tuiContext } from '../../../src/cli/inspect-run.ts';
import type { InspectOptions } from '../../../src/cli/inspect.ts';
import type { TuiContext } from '../../../src/tui/contract.ts';
import { makePki, pem } from '../../helpers/tls-certs.ts';
import { startTlsServer, type Running } from '../../helpers/tls-servers.ts';

const pki = makePki('ec', 'Tui');
const leaf = pki.leaf({ cn: 'shop.example.test', dns: ['shop.example.test'] });
let server: Running;
let ctx: TuiContext;

let dir: string | undefined;
beforeAll(async () => {
  server = await startTlsServer({ key: leaf.key.keyPem, cert: pem(leaf, pki.int) });
  const b64 = (s: string) => Buffer.from(s).toString('base64');
  const docs = [
    { apiVersion: 'gateway.networking.k8s.io/v1', kind: 'GatewayClass', metadata: { name: 'eg' }, spec: { controllerName: 'gateway.envoyproxy.io/gatewayclass-controller' } },
    { apiVersion: 'gateway.networking.k8s.io/v1', kind: 'Gateway', metadata: { name: 'edge', namespace: 'web' }, spec: { gatewayClassName: 'eg', listeners: [{ name: 'shop', protocol: 'HTTPS', port: server.port, hostname: 'shop.example.test', tls: { certificateRefs: [{ name: 'shop-tls' }] } }] }, status: { addresses: [{ type: 'IPAddress', value: '127.0.0.1' }] } },
    { apiVersion: 'gateway.networking.k8s.io/v1', kind: 'HTTPRoute', metadata: { name: 'shop', namespace: 'web' }, spec: { parentRefs: [{ name: 'edge' }], rules: [{ backendRefs: [{ name: 'app', port: 8080 }] }] } },
    { apiVersion: 'v1', kind: 'Service', metadata: { name: 'app', namespace: 'web' }, spec: { selector: { app: 'app' }, ports: [{ port: 8080 }] } },
    { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'shop-tls', namespace: 'web' }, type: 'kubernetes.io/tls', data: { 'tls.crt': b64(leaf.pem), 'tls.key': b64(leaf.key.keyPem) } },
  ];
  dir = mkdtempSync(join(tmpdir(), 'gwtls-tui-probe-'));
  const file = join(dir, 'edge.yaml');
  writeFileSync(file, docs.map((d) => yaml.dump(d)).join('---\n'));
  const opts: InspectOptions = { filename: [file], failOn: 'error' };
  const now = () => new Date();
  const a = await analyse('edge', opts, now());
  ctx = tuiContext(a.report, a.loaded, 'edge', opts, now, a.model);
});
afterAll(async () => {
  await server.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('TuiContext probes', () => {
  it('probeListener: one report per address and name, compared with the listener\'s Secret', async () => {
    const reports = await ctx.probeListener!({ namespace: 'web', name: 'edge' }, 'shop');
    expect(reports).toHaveLength(1);
    const r = reports[0]!;
    expect(r.target).toMatchObject({ host: 'shop.example.test', port: server.port, sni: 'shop.example.test', address: '127.0.0.1', connectTo: `127.0.0.1:${server.port}` });
    expect(r.connection).toMatchObject({ ok: true, phase: 'done' });
    expect(r.cluster).toMatchObject({ outcome: 'same', gateway: { namespace: 'web', name: 'edge' }, listener: 'shop', servedMatchesConfigured: true, configuredFrom: 'secret web/shop-tls' });
    expect(r.cluster!.matched).toEqual([{ gateway: { namespace: 'web', name: 'edge' }, listener: 'shop', hostname: 'shop.example.test', port: server.port, protocol: 'HTTPS', tlsMode: 'Terminate', addressMatch: true }]);
  });

  it('probeListener of a listener that is not in the report is an error the UI shows', async () => {
    await expect(ctx.probeListener!({ namespace: 'web', name: 'edge' }, 'nope')).rejects.toThrow('listener nope of Gateway web/edge is not in this report');
  });

  it('probeBackend from files: a report that says why it could not be probed', async () => {
    const r = await ctx.probeBackend!({ namespace: 'web', name: 'app', port: 8080 });
    expect(r.connection).toMatchObject({ ok: false, phase: 'target', error: { code: 'ETARGET', summary: 'read from files, there is no cluster to reach the pods through' } });
    expect(r.backend).toMatchObject({ kind: 'service', namespace: 'web', name: 'app', pod: null });
    await expect(ctx.probeBackend!({ namespace: 'web', name: 'other', port: 1 })).rejects.toThrow('Service web/other:1 is not a Service backend in this report');
  });
});
