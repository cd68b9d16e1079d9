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
const tlsTerminate = '{name: tls, protocol: TLS, port: 443, hostname: db.example.com, tls: {mode: Terminate, certificateRefs: [{name: db-tls}]}}';
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
const caConfigMap = 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: db-ca, namespace: apps}\ndata: {ca.crt: "-----BEGIN CERTIFICATE-----"}';
const egConfig = (enable: boolean, ns = 'envoy-gateway-system') => `apiVersion: v1
kind: ConfigMap
metadata: {name: envoy-gateway-config, namespace: ${ns}}
data:
  envoy-gateway.yaml: |
    apiVersion: gateway.envoyproxy.io/v1alpha1
    kind: EnvoyGateway
    provider: {type: Kubernetes}
    gateway: {controllerName: gateway.envoyproxy.io/gatewayclass-controller}
    extensionApis: {enableBackend: ${enable}}`;

testRule(eg001, {
  valid: [
    { name: 'Backend API enabled', yaml: [egClass(), gateway(tcp), backendRoute(), backend(dbEndpoint), egConfig(true)] },
    { name: 'no ConfigMap in the input: nothing to judge', yaml: 'file:test/fixtures/seeds/b-backend-tls/envoy-backend-skip-verify.yaml' },
  ],
  invalid: [
    {
      name: 'Backend API disabled (the default)',
      yaml: [egClass(), gateway(tcp), backendRoute(), backend(dbEndpoint), egConfig(false)],
      findings: [{ object: 'TCPRoute apps/db', message: /Backend API is disabled/, fixes: 0, suggestions: 1 }],
    },
    {
      name: 'the route status says so',
      yaml: [egClass(), gateway(tcp), backendRoute().concat('\nstatus:\n  parents:\n    - parentRef: {name: gw}\n      controllerName: gateway.envoyproxy.io/gatewayclass-controller\n      conditions: [{type: ResolvedRefs, status: "False", reason: UnsupportedValue, message: "Failed to process route rule 0 backendRef 0: Backend is disabled in Envoy Gateway configuration."}]'), backend(dbEndpoint)],
      findings: [{ object: 'TCPRoute apps/db', fixes: 0 }],
    },
    {
      name: 'Calico: the operator manages the ConfigMap, no fix to apply',
      yaml: [egClass('tigera-gateway-class'), gateway(tcp, 'tigera-gateway-class'), backendRoute(), backend(dbEndpoint), egConfig(false, 'calico-system')],
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
    { name: 'CA from the Backend', yaml: [backend(dbEndpoint, '  tls: {caCertificateRefs: [{kind: ConfigMap, name: db-ca}], sni: db.apps.svc.cluster.local}'), caConfigMap] },
    {
      name: 'CA from a BackendTLSPolicy targeting the Backend',
      yaml: [
        backend(dbEndpoint, '  tls: {sni: db.apps.svc.cluster.local}'),
        caConfigMap,
        'apiVersion: gateway.networking.k8s.io/v1\nkind: BackendTLSPolicy\nmetadata: {name: db, namespace: apps}\nspec:\n  targetRefs: [{group: gateway.envoyproxy.io, kind: Backend, name: db}]\n  validation: {hostname: db.apps.svc.cluster.local, caCertificateRefs: [{group: "", kind: ConfigMap, name: db-ca}]}',
      ],
    },
  ],
  invalid: [
    {
      name: 'tls without a CA or insecureSkipVerify (in-cluster name: only the skip suggestion)',
      yaml: [backend(dbEndpoint, '  tls: {sni: db.apps.svc.cluster.local}')],
      findings: [{ object: 'Backend apps/db', message: /CACertificate must be specified/, fixes: 0, suggestions: 1 }],
    },
    {
      name: 'public name: verify against the system trust store',
      yaml: [backend('[{fqdn: {hostname: api.partner.example.com, port: 443}}]', '  tls: {sni: api.partner.example.com}')],
      findings: [{ object: 'Backend apps/db', fixes: 1, suggestions: 1 }],
    },
    {
      name: 'insecureSkipVerify together with a CA',
      yaml: [backend(dbEndpoint, '  tls: {insecureSkipVerify: true, wellKnownCACertificates: System}')],
      findings: [{ object: 'Backend apps/db', field: 'spec.tls.insecureSkipVerify', fixes: 1 }],
    },
  ],
});

testRule(eg003, {
  valid: [
    { name: 'sni set', yaml: [egClass(), gateway(tlsTerminate), backendRoute('TCPRoute'), backend(dbEndpoint, '  tls: {caCertificateRefs: [{kind: ConfigMap, name: db-ca}], sni: db.apps.svc.cluster.local}'), caConfigMap] },
    { name: 'HTTPRoute takes the Host header', yaml: [egClass(), gateway('{name: https, protocol: HTTPS, port: 443, tls: {certificateRefs: [{name: db-tls}]}}'), backendRoute('HTTPRoute'), backend(dbEndpoint, '  tls: {caCertificateRefs: [{kind: ConfigMap, name: db-ca}]}'), caConfigMap] },
  ],
  invalid: [
    {
      name: 'TCPRoute through a terminating listener to a TLS Backend without sni',
      yaml: [egClass(), gateway(tlsTerminate), backendRoute('TCPRoute'), backend(dbEndpoint, '  tls: {caCertificateRefs: [{kind: ConfigMap, name: db-ca}]}'), caConfigMap],
      findings: [{ object: 'Backend apps/db', severity: 'warning', message: /no Host header/, fixes: 1 }],
    },
    {
      name: 'verification skipped: information only',
      yaml: [egClass(), gateway(tlsTerminate), backendRoute('TLSRoute'), backend(dbEndpoint, '  tls: {insecureSkipVerify: true}')],
      findings: [{ object: 'Backend apps/db', severity: 'info', fixes: 1 }],
    },
  ],
});

const dbService = 'apiVersion: v1\nkind: Service\nmetadata: {name: db, namespace: apps}\nspec: {selector: {app: db}, ports: [{name: pg, port: 5432}]}';

testRule(eg004, {
  valid: [{ name: 'full service name', yaml: [backend(dbEndpoint)] }],
  invalid: [
    { name: 'single-label fqdn of an existing Service', yaml: [backend('[{fqdn: {hostname: db, port: 5432}}]'), dbService], findings: [{ object: 'Backend apps/db', message: /single label.*db\.apps\.svc\.cluster\.local/, fixes: 1 }] },
    { name: 'an IP in fqdn', yaml: [backend('[{fqdn: {hostname: 10.0.0.7, port: 5432}}]')], findings: [{ object: 'Backend apps/db', message: /IP address/, fixes: 1 }] },
    { name: 'localhost', yaml: [backend('[{fqdn: {hostname: localhost, port: 5432}}]')], findings: [{ object: 'Backend apps/db', message: /loopback/, fixes: 0 }] },
  ],
});
