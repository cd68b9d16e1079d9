import { describe, expect, it } from 'vitest';
import { loadManifests } from '../../../src/cluster/manifests.ts';
import { buildModel } from '../../../src/graph/model.ts';
import { runRules } from '../../../src/rules/engine.ts';
import { eg001 } from '../../../src/rules/envoy-gateway/eg-001-backend-disabled.ts';
import { eg002 } from '../../../src/rules/envoy-gateway/eg-002-backend-tls-invalid.ts';
import { eg003 } from '../../../src/rules/envoy-gateway/eg-003-backend-sni.ts';
import { eg004 } from '../../../src/rules/envoy-gateway/eg-004-backend-address.ts';
import { DEFAULT_NOW, testRule } from '../../helpers/rule-tester.ts';

const egClass = (name = 'eg') => `apiVersion: gateway.networking.k8s.io/v1
kind: GatewayClass
metadata: {name: ${name}}
spec: {controllerName: gateway.envoyproxy.io/gatewayclass-controller}`;
const gateway = (listener: string, cls = 'eg') => `apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: {name: gw, namespace: apps}
spec:
  gatewayClassName: ${cls}
  listeners: [${listener}]`;
const tcp = '{name: tcp, protocol: TCP, port: 5432}';
const backendRoute = (kind = 'TCPRoute', backend = 'db') => `apiVersion: gateway.networking.k8s.io/v1
kind: ${kind}
metadata: {name: db, namespace: apps}
spec:
  parentRefs: [{name: gw}]
${kind === 'TLSRoute' ? '  hostnames: [db.example.com]\n' : ''}  rules: [{backendRefs: [{group: gateway.envoyproxy.io, kind: Backend, name: ${backend}}]}]`;
const backend = (endpoints: string, tls = '', name = 'db') => `apiVersion: gateway.envoyproxy.io/v1alpha1
kind: Backend
metadata: {name: ${name}, namespace: apps}
spec:
  endpoints: ${endpoints}
${tls}`;
const dbEndpoint = '[{fqdn: {hostname: db.apps.svc.cluster.local, port: 5432}}]';

testRule(eg001, {
  valid: [
    { name: 'Backend API enabled', yaml: 'file:test/fixtures/scenarios/envoy-gateway/gwtls-eg-001/valid-backend-api-enabled.yaml' },
    { name: 'no ConfigMap in the input: nothing to judge', yaml: 'file:test/fixtures/seeds/b-backend-tls/envoy-backend-skip-verify.yaml' },
  ],
  invalid: [
    {
      name: 'Backend API disabled (the default)',
      yaml: 'file:test/fixtures/scenarios/envoy-gateway/gwtls-eg-001/invalid-backend-api-disabled-the-default.yaml',
      findings: [{ object: 'TCPRoute apps/db', message: /Backend API is disabled/, fixes: 0, suggestions: 1 }],
    },
    {
      name: 'the route status says so',
      yaml: 'file:test/fixtures/scenarios/envoy-gateway/gwtls-eg-001/invalid-the-route-status-says-so.yaml',
      findings: [{ object: 'TCPRoute apps/db', fixes: 0 }],
    },
    {
      name: 'Calico: the operator manages the ConfigMap, no fix to apply',
      yaml: 'file:test/fixtures/scenarios/envoy-gateway/gwtls-eg-001/invalid-calico-the-operator-manages-the-configmap-no-fix-to-apply.yaml',
      findings: [{ object: 'TCPRoute apps/db', message: /Tigera operator enables the Backend API from v1\.38\.0/, fixes: 0 }],
    },
  ],
});

describe('GWTLS-EG-001 in a cluster without the ConfigMap', () => {
  async function run(cls: string): Promise<string[]> {
    const text = [egClass(cls), gateway(tcp, cls), backendRoute(), backend(dbEndpoint)].join('\n---\n');
    const { snapshot } = await loadManifests(['-'], 'default', async () => text);
    snapshot.source.type = 'cluster';
    return runRules(buildModel(snapshot, { allNamespaces: true }, new Date(DEFAULT_NOW)), [eg001]).findings.map((f) => `${f.severity}: ${f.message}`);
  }
  it('notes that it could not be confirmed', async () => expect(await run('eg')).toEqual([expect.stringMatching(/^info: .*off by default.*could not be read/)]));
  it('on Calico, says the operator enables it', async () => expect(await run('tigera-gateway-class')).toEqual([expect.stringMatching(/^info: .*Tigera operator.*no action is needed/)]));
});

testRule(eg002, {
  valid: [
    { name: 'seed b: insecureSkipVerify (reported by the backend TLS family, valid here)', yaml: 'file:test/fixtures/seeds/b-backend-tls/envoy-backend-skip-verify.yaml' },
    { name: 'CA from the Backend', yaml: 'file:test/fixtures/scenarios/envoy-gateway/gwtls-eg-002/valid-ca-from-the-backend.yaml' },
    {
      name: 'CA from a BackendTLSPolicy targeting the Backend',
      yaml: 'file:test/fixtures/scenarios/envoy-gateway/gwtls-eg-002/valid-ca-from-a-backendtlspolicy-targeting-the-backend.yaml',
    },
  ],
  invalid: [
    {
      name: 'tls without a CA or insecureSkipVerify (in-cluster name: only the skip suggestion)',
      yaml: 'file:test/fixtures/scenarios/envoy-gateway/gwtls-eg-002/invalid-tls-without-a-ca-or-insecureskipverify-in-cluster-name-only-the-skip.yaml',
      findings: [{ object: 'Backend apps/db', message: /CACertificate must be specified/, fixes: 0, suggestions: 1 }],
    },
    {
      name: 'public name: verify against the system trust store',
      yaml: 'file:test/fixtures/scenarios/envoy-gateway/gwtls-eg-002/invalid-public-name-verify-against-the-system-trust-store.yaml',
      findings: [{ object: 'Backend apps/db', fixes: 1, suggestions: 1 }],
    },
    {
      name: 'insecureSkipVerify together with a CA',
      yaml: 'file:test/fixtures/scenarios/envoy-gateway/gwtls-eg-002/invalid-insecureskipverify-together-with-a-ca.yaml',
      findings: [{ object: 'Backend apps/db', field: 'spec.tls.insecureSkipVerify', fixes: 1 }],
    },
  ],
});

testRule(eg003, {
  valid: [
    { name: 'sni set', yaml: 'file:test/fixtures/scenarios/envoy-gateway/gwtls-eg-003/valid-sni-set.yaml' },
    { name: 'HTTPRoute takes the Host header', yaml: 'file:test/fixtures/scenarios/envoy-gateway/gwtls-eg-003/valid-httproute-takes-the-host-header.yaml' },
  ],
  invalid: [
    {
      name: 'TCPRoute through a terminating listener to a TLS Backend without sni',
      yaml: 'file:test/fixtures/scenarios/envoy-gateway/gwtls-eg-003/invalid-tcproute-through-a-terminating-listener-to-a-tls-backend-without-sni.yaml',
      findings: [{ object: 'Backend apps/db', severity: 'warning', message: /no Host header/, fixes: 1 }],
    },
    {
      name: 'verification skipped: information only',
      yaml: 'file:test/fixtures/scenarios/envoy-gateway/gwtls-eg-003/invalid-verification-skipped-information-only.yaml',
      findings: [{ object: 'Backend apps/db', severity: 'info', fixes: 1 }],
    },
  ],
});

testRule(eg004, {
  valid: [{ name: 'full service name', yaml: 'file:test/fixtures/scenarios/envoy-gateway/gwtls-eg-004/valid-full-service-name.yaml' }],
  invalid: [
    { name: 'single-label fqdn of an existing Service', yaml: 'file:test/fixtures/scenarios/envoy-gateway/gwtls-eg-004/invalid-single-label-fqdn-of-an-existing-service.yaml', findings: [{ object: 'Backend apps/db', message: /single label.*db\.apps\.svc\.cluster\.local/, fixes: 1 }] },
    { name: 'an IP in fqdn', yaml: 'file:test/fixtures/scenarios/envoy-gateway/gwtls-eg-004/invalid-an-ip-in-fqdn.yaml', findings: [{ object: 'Backend apps/db', message: /IP address/, fixes: 1 }] },
    { name: 'localhost', yaml: 'file:test/fixtures/scenarios/envoy-gateway/gwtls-eg-004/invalid-localhost.yaml', findings: [{ object: 'Backend apps/db', message: /loopback/, fixes: 0 }] },
  ],
});
