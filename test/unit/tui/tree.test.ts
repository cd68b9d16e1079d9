// The tree model: lazy children, the visible rows, keys that survive reloads, findings per node, locate, search.
import { describe, expect, it } from 'vitest';
import { ancestorKeys, initialExpanded, initialSelection, TreeModel } from '../../../src/tui/tree.ts';
import { SEED_A, SEED_C, SEED_PASSTHROUGH, seedReport } from './helpers.tsx';

const GW = 'c:tigera-gateway-class|g:default/ssl-offload-gateway';

describe('TreeModel, one Gateway', () => {
  it('puts the GatewayClass on top, then the Gateway, its listeners, path, certificates and routes', async () => {
    const m = new TreeModel(await seedReport(SEED_C, 'ssl-offload-gateway'), { listView: false });
    expect(m.roots.map((r) => r.label)).toEqual(['GatewayClass tigera-gateway-class  Calico Ingress Gateway (Envoy Gateway)']);
    const [gw] = m.children(m.roots[0]!);
    expect(gw!.key).toBe(GW);
    expect(gw!.status.word).toBe('BROKEN');
    const https = m.children(gw!).find((n) => n.listener === 'https')!;
    expect(m.children(https).map((n) => `${n.data.kind}: ${n.label}  ${n.status.word}`)).toEqual([
      'path: TLS path  client ─TLS ✗→ gateway ─plain→ backend  BROKEN',
      'cert: certificate Secret default/example-cert  CN=www.example.com (no SAN)  EXPIRED',
      'route: HTTPRoute default/backend-ssl-offload  www.example.com  attached',
      'route: TCPRoute default/backend-ssl-offload  NOT ATTACHED',
    ]);
  });

  it('makes children only when asked, and shows only expanded subtrees', async () => {
    const m = new TreeModel(await seedReport(SEED_C, 'ssl-offload-gateway'), { listView: false });
    expect(m.visible(new Set()).map((r) => r.node.key)).toEqual(['c:tigera-gateway-class']);
    const open = initialExpanded(m);
    const rows = m.visible(open);
    expect(rows.map((r) => r.node.data.kind)).toEqual(['class', 'gateway', 'listener', 'path', 'route', 'route', 'listener', 'path', 'cert', 'route', 'route']);
    // Memoized per expanded set: the same array while nothing is opened or closed.
    expect(m.visible(open)).toBe(rows);
    // No backend or pod node exists until a route is expanded.
    expect(rows.some((r) => r.node.data.kind === 'backend')).toBe(false);
  });

  it('starts on the first BROKEN listener', async () => {
    const m = new TreeModel(await seedReport(SEED_C, 'ssl-offload-gateway'), { listView: false });
    expect(initialSelection(m, initialExpanded(m))).toBe(`${GW}|l:https`);
  });

  it('finds a node by key, making its ancestors, and returns undefined for keys that are gone', async () => {
    const m = new TreeModel(await seedReport(SEED_C, 'ssl-offload-gateway'), { listView: false });
    const key = `${GW}|l:https|r:HTTPRoute:default/backend-ssl-offload|b:Service:default/backend-ssl-offload:3000|p:default/backend-ssl-offload-74bdbf5d5f-qh227`;
    const pod = m.node(key);
    expect(pod?.data.kind).toBe('pod');
    expect(pod?.status.word).toBe('ready');
    expect(m.node(`${GW}|l:nope`)).toBeUndefined();
    expect(ancestorKeys(key).slice(0, 3)).toEqual(['c:tigera-gateway-class', GW, `${GW}|l:https`]);
  });

  it('gives each node the findings about its objects, within its Gateway and listener', async () => {
    const m = new TreeModel(await seedReport(SEED_C, 'ssl-offload-gateway'), { listView: false });
    const tcpHttps = m.node(`${GW}|l:https|r:TCPRoute:default/backend-ssl-offload`)!;
    const tcpHttp = m.node(`${GW}|l:http|r:TCPRoute:default/backend-ssl-offload`)!;
    expect(m.findingsFor(tcpHttps).map((f) => f.code)).toEqual(['GWTLS-RT-003', 'GWTLS-PLAT-001']);
    // RT-003 names listener https; the apiVersion warning has no listener, so it shows under both.
    expect(m.findingsFor(tcpHttp).map((f) => f.code)).toEqual(['GWTLS-PLAT-001']);
    expect(m.counts(m.node(`${GW}|l:https|cert:Secret:default/example-cert`)!)).toEqual({ errors: 2, warnings: 1 });
    expect(m.counts(m.node(GW)!)).toEqual({ errors: 3, warnings: 2 });
  });

  it('locates the object of each finding', async () => {
    const r = await seedReport(SEED_C, 'ssl-offload-gateway');
    const m = new TreeModel(r, { listView: false });
    const where = Object.fromEntries(r.findings.map((f) => [f.code, m.locate(f)]));
    expect(where['GWTLS-RT-003']).toBe(`${GW}|l:https|r:TCPRoute:default/backend-ssl-offload`);
    expect(where['GWTLS-CERT-001']).toBe(`${GW}|l:https|cert:Secret:default/example-cert`);
    expect(where['GWTLS-PLAT-001']).toBe(`${GW}|l:http|r:TCPRoute:default/backend-ssl-offload`);
  });

  it('searches collapsed parts of the tree too', async () => {
    const m = new TreeModel(await seedReport(SEED_C, 'ssl-offload-gateway'), { listView: false });
    const hits = m.search('qh227');
    expect(hits.length).toBe(4); // the pod behind both routes' Service, under both listeners
    expect(hits.every((k) => k.includes('|p:default/backend-ssl-offload-74bdbf5d5f-qh227'))).toBe(true);
    expect(m.search('')).toEqual([]);
  });
});

describe('TreeModel, every Gateway (list view)', () => {
  it('lists the Gateways as top-level nodes with their GatewayClass inside', async () => {
    const m = new TreeModel(await seedReport([SEED_C, SEED_A, SEED_PASSTHROUGH]), { listView: true });
    expect(m.roots.map((r) => `${r.label} ${r.status.word}`)).toEqual(['Gateway default/ssl-offload-gateway BROKEN', 'Gateway default/mygateway BROKEN', 'Gateway default/tls-passthrough-gateway WARNING']);
    expect(initialExpanded(m).size).toBe(0);
    const kids = m.children(m.roots[1]!);
    expect(kids.map((k) => k.data.kind)).toEqual(['class', 'listener', 'misdirected']);
    expect(kids[0]!.status.word).toBe('PARAMETERS MISSING');
  });

  it('locates findings on GatewayClasses and on routes that cannot reach their Gateway', async () => {
    const r = await seedReport([SEED_C, SEED_A, SEED_PASSTHROUGH]);
    const m = new TreeModel(r, { listView: true });
    const plat3 = r.findings.find((f) => f.code === 'GWTLS-PLAT-003')!;
    expect(m.locate(plat3)).toBe('g:default/mygateway|class');
    const rt1 = r.findings.find((f) => f.code === 'GWTLS-RT-001')!;
    expect(m.locate(rt1)).toBe('g:default/mygateway|m:TCPRoute:default/myroute');
  });
});
