// The Traefik implementation profile (src/graph/providers/traefik.ts), each statement as read in
// traefik/traefik v3.6.12 pkg/provider/kubernetes/gateway and shown by test/e2e/gateway/*.test.ts.
import { describe, expect, it } from 'vitest';
import { loadManifests } from '../../src/cluster/manifests.ts';
import { buildModel, type Model } from '../../src/graph/model.ts';
import { implementationFor } from '../../src/graph/providers/index.ts';
import { traefikImplicitHttps } from '../../src/graph/providers/traefik.ts';

async function model(yaml: string): Promise<Model> {
  const { snapshot, errors } = await loadManifests(['-'], 'default', async () => yaml);
  expect(errors).toEqual([]);
  return buildModel(snapshot, { allNamespaces: true }, new Date('2026-06-01T00:00:00Z'));
}

const impl = implementationFor('traefik.io/gateway-controller');

describe('Traefik profile', () => {
  it('is recognised by its controllerName', () => {
    expect(impl.id).toBe('traefik');
    expect(impl.name).toBe('Traefik');
  });

  it.each([
    ['HTTP', undefined, ['HTTPRoute', 'GRPCRoute']],
    ['HTTPS', undefined, ['HTTPRoute', 'GRPCRoute']],
    ['TLS', 'Terminate', ['TCPRoute', 'TLSRoute']],
    ['TLS', undefined, ['TCPRoute', 'TLSRoute']],
    // supportedRouteKinds does not look at the mode: TCPRoute attaches to a Passthrough listener too
    ['TLS', 'Passthrough', ['TCPRoute', 'TLSRoute']],
    ['TCP', undefined, ['TCPRoute']],
  ])('%s %s accepts %j', (protocol, mode, kinds) => {
    expect(impl.routeKinds(protocol, mode, []).valid).toEqual(kinds);
  });

  it('refuses UDP and HTTPS Passthrough listeners', () => {
    expect(impl.routeKinds('UDP', undefined, []).unsupportedProtocol).toMatch(/Traefik does not support protocol UDP/);
    expect(impl.routeKinds('HTTPS', 'Passthrough', []).unsupportedProtocol).toMatch(/UnsupportedProtocol/);
  });

  it.each([
    [{ name: 'http', port: 80 }, null],
    [{ name: 'web', port: 8443 }, null],
    [{ name: 'https', port: 8443 }, 'port name https'],
    [{ name: 'https-api', port: 8443 }, 'port name https-api'],
    [{ name: 'web', port: 443 }, 'port 443'],
    [{ name: 'https', port: 443, appProtocol: 'http' }, null],
    [{ name: 'web', port: 8443, appProtocol: 'HTTPS' }, 'appProtocol HTTPS'],
    [{ name: 'web', port: 8443, appProtocol: 'kubernetes.io/wss' }, 'appProtocol kubernetes.io/wss'],
  ])('speaks HTTPS without a policy to %j: %s', (port, why) => {
    expect(traefikImplicitHttps({ targetPort: port.port, protocol: 'TCP', ...port })).toBe(why);
  });

  const objects = (portName: string, routeKind: 'HTTPRoute' | 'TCPRoute', policy: boolean) => `apiVersion: gateway.networking.k8s.io/v1
kind: GatewayClass
metadata: {name: traefik}
spec: {controllerName: traefik.io/gateway-controller}
---
apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: {name: gw, namespace: apps}
spec:
  gatewayClassName: traefik
  listeners:
  - {name: l, protocol: ${routeKind === 'HTTPRoute' ? 'HTTP' : 'TCP'}, port: 8000}
---
apiVersion: gateway.networking.k8s.io/${routeKind === 'HTTPRoute' ? 'v1' : 'v1alpha2'}
kind: ${routeKind}
metadata: {name: r, namespace: apps}
spec:
  parentRefs: [{name: gw}]
  rules: [{backendRefs: [{name: s, port: 8443}]}]
---
apiVersion: v1
kind: Service
metadata: {name: s, namespace: apps}
spec: {ports: [{name: ${portName}, port: 8443, targetPort: 8443}]}
${
  policy
    ? `---
apiVersion: gateway.networking.k8s.io/v1
kind: BackendTLSPolicy
metadata: {name: p, namespace: apps}
spec:
  targetRefs: [{group: '', kind: Service, name: s}]
  validation: {hostname: s.apps.svc, wellKnownCACertificates: System}
`
    : ''
}`;

  const backendTls = (m: Model) => m.gateways[0]!.listeners[0]!.backends[0]!.tls;

  it('opens TLS to a port named https without a policy, verifying against the system roots', async () => {
    const t = backendTls(await model(objects('https', 'HTTPRoute', false)));
    expect(t.tls).toMatchObject({ mode: 'tls', verified: true, trust: ['System'] });
    expect(t.tls.by).toMatch(/Traefik speaks HTTPS to it \(port name https\)/);
  });

  it('sends plaintext to a port whose name says nothing about TLS', async () => {
    expect(backendTls(await model(objects('web', 'HTTPRoute', false))).tls.mode).toBe('none');
  });

  it('honours BackendTLSPolicy for HTTPRoute backends', async () => {
    expect(backendTls(await model(objects('web', 'HTTPRoute', true))).tls).toMatchObject({ mode: 'tls', by: 'BackendTLSPolicy apps/p' });
  });

  it('ignores BackendTLSPolicy for TCPRoute backends', async () => {
    const t = backendTls(await model(objects('web', 'TCPRoute', true)));
    expect(t.tls.mode).toBe('none');
    expect(t.ignoredPolicies.map((p) => p.why)).toEqual(['Traefik reads BackendTLSPolicy only for HTTPRoute backends, not TCPRoute']);
  });
});
