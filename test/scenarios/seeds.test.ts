// The seed documents the product was founded on, as fixture manifests (test/fixtures/seeds, written by
// test/fixtures/generate.ts): each must yield exactly the findings a senior engineer would write, and the
// path they would draw. Healthy and broken variants sit side by side.
import { describe, expect, it } from 'vitest';
import { loadManifests } from '../../src/cluster/manifests.ts';
import { buildModel } from '../../src/graph/model.ts';
import { buildReport } from '../../src/report/build.ts';
import type { InspectReport } from '../../src/report/types.ts';
import { runRules } from '../../src/rules/engine.ts';
import { ALL_RULES } from '../../src/rules/index.ts';

const NOW = new Date('2026-11-22T00:00:00Z');

async function inspect(file: string): Promise<InspectReport> {
  const { snapshot, errors } = await loadManifests([`test/fixtures/seeds/${file}`], 'default');
  expect(errors).toEqual([]);
  const model = buildModel(snapshot, { allNamespaces: true }, NOW);
  return buildReport({ model, ...runRules(model, ALL_RULES) });
}

function codes(r: InspectReport): string[] {
  return r.findings.map((f) => `${f.severity} ${f.code} ${f.object.kind} ${f.object.namespace ? `${f.object.namespace}/` : ''}${f.object.name}`).sort();
}

function listener(r: InspectReport, gateway: string, name: string) {
  return r.gateways.find((g) => g.name === gateway)!.listeners.find((l) => l.name === name)!;
}

describe('seed (a): AWS NLB TLS listener with an ACM certificate, TCPRoute, TLS target group', () => {
  it('as written: the route misses the Gateway, the class and the certificate configuration point nowhere', async () => {
    const r = await inspect('a-nlb-acm/as-written.yaml');
    expect(codes(r)).toEqual(
      [
        'error GWTLS-RT-001 TCPRoute default/myroute',
        'error GWTLS-PLAT-003 GatewayClass nlb',
        'warning GWTLS-LBC-012 LoadBalancerConfiguration default/mygateway',
        'warning GWTLS-LBC-011 LoadBalancerConfiguration default/mygateway',
        'warning GWTLS-LBC-013 Gateway default/mygateway',
        'warning GWTLS-PLAT-001 LoadBalancerConfiguration default/mygateway',
        'warning GWTLS-PLAT-001 TargetGroupConfiguration default/myroute',
        'warning GWTLS-PLAT-001 TCPRoute default/myroute',
        'info GWTLS-DNS-002 TCPRoute default/myroute',
        'info GWTLS-LBC-002 Gateway default/mygateway',
        'info GWTLS-LBC-010 Gateway default/mygateway',
      ].sort(),
    );
    const l = listener(r, 'mygateway', 'mylistener');
    // The LoadBalancerConfiguration is attached to nothing, so the controller falls back to ACM discovery.
    expect(l.path[0]).toMatchObject({ hop: 'client->lb', tls: 'terminate', certificate: 'ACM discovery: myroute.my-domain.com' });
    expect(l.path[1]).toMatchObject({ hop: 'lb->backend', ok: false });
    expect(l.tls?.certificateRefs).toEqual([expect.objectContaining({ name: 'fake', state: 'ignored' })]);
    expect(r.gateways[0]!.misdirectedRoutes).toEqual([expect.objectContaining({ kind: 'TCPRoute', name: 'myroute', parentRef: 'wherethegatewayis/mygateway sectionName mylistener' })]);
  });

  it('corrected: TLS ends at the NLB with the ACM certificate, and the NLB re-encrypts to the pods without verifying', async () => {
    const r = await inspect('a-nlb-acm/corrected.yaml');
    expect(r.summary.errors).toBe(0);
    expect(codes(r)).toEqual(
      [
        'warning GWTLS-LBC-013 Gateway db/pg-gw',
        'info GWTLS-DNS-002 TCPRoute db/pg-route',
        'info GWTLS-DNS-003 TCPRoute db/pg-route',
        'info GWTLS-LBC-010 Gateway db/pg-gw',
        'info GWTLS-LBC-014 TargetGroupConfiguration db/pg-tgc',
        'info GWTLS-RT-005 TCPRoute db/pg-route',
      ].sort(),
    );
    const l = listener(r, 'pg-gw', 'pg-tls');
    expect(l.path).toEqual([
      expect.objectContaining({ hop: 'client->lb', tls: 'terminate', certificate: 'arn:aws:acm:eu-west-1:111122223333:certificate/11111111-2222-3333-4444-555555555555', ok: true }),
      expect.objectContaining({ hop: 'lb->backend', tls: 'originate', verified: false, ok: true, to: 'Service db/pg:5432' }),
    ]);
    expect(l.routes[0]!.backends[0]).toMatchObject({ endpoints: { ready: 2, total: 2 }, tls: { mode: 'tls', verified: false } });
    expect(l.conditions).toContainEqual(expect.objectContaining({ type: 'Programmed', status: 'True' }));
  });
});

describe('seed (b): gateway to backend TLS against a self-signed upstream', () => {
  it('no policy: the backend serves TLS (its pods mount the certificate), the gateway sends plaintext', async () => {
    const r = await inspect('b-backend-tls/no-policy.yaml');
    expect(codes(r)).toEqual(['error GWTLS-BTLS-001 Service apps/app']);
    const fix = r.findings[0]!.fixes.find((f) => f.type === 'fix')!;
    expect(fix.yaml).toMatch(/kind: BackendTLSPolicy/);
    expect(fix.yaml).toMatch(/kind: ConfigMap/);
    expect(listener(r, 'edge', 'https').path[1]).toMatchObject({ hop: 'gateway->backend', tls: 'none' });
  });

  it('a v1 BackendTLSPolicy with the self-signed certificate as its CA works: the seed claim that it cannot is wrong', async () => {
    const r = await inspect('b-backend-tls/policy-v1.yaml');
    expect(codes(r)).toEqual([]);
    expect(listener(r, 'edge', 'https').path[1]).toMatchObject({ hop: 'gateway->backend', tls: 'originate', verified: true, ok: true });
  });

  it('the seed-era v1alpha3 policy without its CA ConfigMap', async () => {
    const r = await inspect('b-backend-tls/policy-v1alpha3-missing-ca.yaml');
    expect(codes(r)).toEqual(['warning GWTLS-BTLS-003 BackendTLSPolicy apps/app-upstream-tls', 'warning GWTLS-PLAT-001 BackendTLSPolicy apps/app-upstream-tls']);
  });

  it('the Envoy Gateway Backend workaround works but gives up verification, and the tool offers verification instead', async () => {
    const r = await inspect('b-backend-tls/envoy-backend-skip-verify.yaml');
    expect(codes(r)).toEqual(['warning GWTLS-BTLS-011 Backend apps/app-insecure']);
    expect(listener(r, 'edge', 'https').path[1]).toMatchObject({ tls: 'originate', verified: false });
  });

  it('the AWS TargetGroupConfiguration of the seed applies to nothing', async () => {
    const r = await inspect('b-backend-tls/lbc-targetgroupconfiguration.yaml');
    expect(codes(r)).toEqual(['warning GWTLS-LBC-007 TargetGroupConfiguration default/broker-expose-85309-11170', 'warning GWTLS-PLAT-001 TargetGroupConfiguration default/broker-expose-85309-11170']);
  });
});

describe('seed (c): Calico Ingress Gateway', () => {
  it('TLS termination for TCP as written: a TCPRoute cannot attach to an HTTPS listener; the certificate has no SAN and expired', async () => {
    const r = await inspect('c-calico-tls-termination/as-written.yaml');
    expect(codes(r)).toEqual(
      [
        'error GWTLS-CERT-001 Secret default/example-cert',
        'error GWTLS-CERT-006 Secret default/example-cert',
        'error GWTLS-RT-003 TCPRoute default/backend-ssl-offload',
        'warning GWTLS-CERT-005 Secret default/example-cert',
        'warning GWTLS-PLAT-001 TCPRoute default/backend-ssl-offload',
      ].sort(),
    );
    const https = listener(r, 'ssl-offload-gateway', 'https');
    expect(https.routes.find((x) => x.kind === 'TCPRoute')).toMatchObject({ attached: false, reason: 'NotAllowedByListeners' });
    expect(https.path[0]).toMatchObject({ hop: 'client->gateway', tls: 'terminate', ok: false });
    expect(listener(r, 'ssl-offload-gateway', 'http').path).toEqual([
      expect.objectContaining({ hop: 'client->gateway', tls: 'none', ok: true }),
      expect.objectContaining({ hop: 'gateway->backend', tls: 'none', ok: true, to: 'Service default/backend-ssl-offload:3000' }),
    ]);
  });

  it('TLS termination for TCP corrected: TLS listener in Terminate mode, certificate with a SAN', async () => {
    const r = await inspect('c-calico-tls-termination/corrected.yaml');
    expect(codes(r)).toEqual(['info GWTLS-RT-005 TCPRoute default/backend-ssl-offload']);
    const tls = listener(r, 'ssl-offload-gateway', 'tls');
    expect(tls.routes).toEqual([expect.objectContaining({ kind: 'TCPRoute', attached: true })]);
    expect(tls.path.map((h) => [h.hop, h.tls, h.ok])).toEqual([
      ['client->gateway', 'terminate', true],
      ['gateway->backend', 'none', true],
    ]);
  });

  it('TLS passthrough as written works; only the TLSRoute version is outdated', async () => {
    const r = await inspect('c-calico-passthrough/as-written.yaml');
    expect(codes(r)).toEqual(['warning GWTLS-PLAT-001 TLSRoute default/tls-passthrough']);
    const tls = listener(r, 'tls-passthrough-gateway', 'tls');
    expect(tls.path.map((h) => [h.hop, h.tls, h.ok])).toEqual([
      ['client->gateway', 'passthrough', true],
      ['gateway->backend', 'passthrough', true],
    ]);
    expect(tls.routes[0]).toMatchObject({ kind: 'TLSRoute', attached: true, effectiveHostnames: ['passthrough.example.com'] });
  });

  it('a Passthrough listener with certificateRefs is refused by Envoy Gateway', async () => {
    const r = await inspect('c-calico-passthrough/with-certificate-refs.yaml');
    expect(codes(r)).toEqual(['error GWTLS-LSN-007 Gateway default/tls-passthrough-gateway', 'warning GWTLS-PLAT-001 TLSRoute default/tls-passthrough']);
  });
});
