import * as yaml from 'js-yaml';
import { describe, expect, it } from 'vitest';
import { loadManifests } from '../../../src/cluster/manifests.ts';
import { observationKey, type BackendObservation } from '../../../src/graph/backends.ts';
import { buildModel } from '../../../src/graph/model.ts';
import type { Finding } from '../../../src/report/types.ts';
import { runRules } from '../../../src/rules/engine.ts';
import { BACKEND_TLS_RULES } from '../../../src/rules/backend-tls/index.ts';
import { decodePemChain } from '../../../src/tls/certificate.ts';
import { btls001 } from '../../../src/rules/backend-tls/btls-001-plaintext-to-tls-backend.ts';
import { btls002 } from '../../../src/rules/backend-tls/btls-002-tls-to-plaintext-backend.ts';
import { btls003 } from '../../../src/rules/backend-tls/btls-003-policy-invalid.ts';
import { btls004 } from '../../../src/rules/backend-tls/btls-004-policy-wrong-target.ts';
import { btls005 } from '../../../src/rules/backend-tls/btls-005-policy-ignored.ts';
import { btls006 } from '../../../src/rules/backend-tls/btls-006-name-mismatch.ts';
import { btls007 } from '../../../src/rules/backend-tls/btls-007-untrusted-certificate.ts';
import { btls008 } from '../../../src/rules/backend-tls/btls-008-conflicting-policies.ts';
import { btls010 } from '../../../src/rules/backend-tls/btls-010-system-ca-private-certificate.ts';
import { btls011 } from '../../../src/rules/backend-tls/btls-011-skip-verify.ts';
import { issue, tlsSecret } from '../../helpers/certs.ts';
import { DEFAULT_NOW, testRule } from '../../helpers/rule-tester.ts';

const validity = { notBefore: new Date('2026-01-01T00:00:00Z'), notAfter: new Date('2036-01-01T00:00:00Z') };
const selfSigned = issue({ cn: 'app.apps.svc.cluster.local', dns: ['app.apps.svc.cluster.local', 'app.apps.svc'], ...validity });
const appsCa = issue({ cn: 'Apps Private CA', ca: true, ...validity });
const issued = issue({ cn: 'app.apps.svc.cluster.local', dns: ['app.apps.svc.cluster.local'], issuer: appsCa, ...validity });

const doc = (o: object) => yaml.dump(o, { lineWidth: -1 });
const indent = (pem: string) => pem.trimEnd().split('\n').map((l) => `    ${l}`).join('\n');

const seed = (name: string) => `file:test/fixtures/seeds/b-backend-tls/${name}.yaml`;

const eg = `apiVersion: gateway.networking.k8s.io/v1
kind: GatewayClass
metadata: {name: eg}
spec: {controllerName: gateway.envoyproxy.io/gatewayclass-controller}
`;
const gatewayOf = (cls: string) => `apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: {name: edge, namespace: apps}
spec:
  gatewayClassName: ${cls}
  listeners:
    - {name: http, protocol: HTTP, port: 80}
`;
const gateway = gatewayOf('eg');
const service = (portName = 'https', appProtocol = 'https') => `apiVersion: v1
kind: Service
metadata: {name: app, namespace: apps}
spec:
  selector: {app: app}
  ports:
    - {name: ${portName}, port: 8443, targetPort: 8443${appProtocol ? `, appProtocol: ${appProtocol}` : ''}}
`;
const pod = (secret: string | null = 'app-serving-cert') => `apiVersion: v1
kind: Pod
metadata: {name: app-1, namespace: apps, labels: {app: app}}
spec:
  containers:
    - name: app
      image: app:1
      ports: [{containerPort: 8443}]
${secret ? `  volumes: [{name: tls, secret: {secretName: ${secret}}}]` : ''}
status:
  phase: Running
  conditions: [{type: Ready, status: "True"}]
`;
const serving = (leaf = selfSigned, chain = leaf.certPem) => doc(tlsSecret('app-serving-cert', 'apps', chain, leaf.keyPem));
const route = (ref = '{name: app, port: 8443}') => `apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: app, namespace: apps}
spec:
  parentRefs: [{name: edge}]
  rules: [{backendRefs: [${ref}]}]
`;
const policy = (opts: { name?: string; section?: string; hostname?: string; validation?: string; targets?: string } = {}) => `apiVersion: gateway.networking.k8s.io/v1
kind: BackendTLSPolicy
metadata: {name: ${opts.name ?? 'app-tls'}, namespace: apps}
spec:
  targetRefs: ${opts.targets ?? `[{group: "", kind: Service, name: app, sectionName: "${opts.section ?? 'https'}"}]`}
  validation:
    hostname: ${opts.hostname ?? 'app.apps.svc.cluster.local'}
${opts.validation ?? '    caCertificateRefs: [{group: "", kind: ConfigMap, name: app-ca}]'}
`;
const caMap = (pem: string, name = 'app-ca') => `apiVersion: v1
kind: ConfigMap
metadata: {name: ${name}, namespace: apps}
data:
  ca.crt: |
${indent(pem)}
`;
const app = (extra: string[] = [], svc = service()) => [eg, gateway, svc, pod(), serving(), route(), ...extra];

testRule(btls001, {
  valid: [
    { name: 'seed b: verified by a BackendTLSPolicy with the self-signed certificate in ca.crt', yaml: seed('policy-v1') },
    { name: 'policy with the certificate in ca.crt', yaml: 'file:test/fixtures/scenarios/backend-tls/gwtls-btls-001/valid-policy-with-the-certificate-in-ca-crt.yaml' },
    { name: 'a plain backend: no certificate mounted, port named http', yaml: 'file:test/fixtures/scenarios/backend-tls/gwtls-btls-001/valid-a-plain-backend-no-certificate-mounted-port-named-http.yaml' },
    {
      name: 'pods serve two ports and the one used has no TLS name: the mounted certificate may be for the other',
      yaml: 'file:test/fixtures/scenarios/backend-tls/gwtls-btls-001/valid-pods-serve-two-ports-and-the-one-used-has-no-tls-name-the-mounted.yaml',
    },
    {
      name: 'passthrough listener: the client TLS reaches the backend',
      yaml: 'file:test/fixtures/scenarios/backend-tls/gwtls-btls-001/valid-passthrough-listener-the-client-tls-reaches-the-backend.yaml',
    },
  ],
  invalid: [
    {
      name: 'seed b: the pods mount a self-signed certificate, no policy',
      yaml: seed('no-policy'),
      findings: [{ object: 'Service apps/app', severity: 'error', message: /serves TLS — its pods mount the serving certificate .* but Envoy Gateway sends it plaintext/, fixes: 1 }],
    },
    {
      name: 'the certificate comes through a projected volume, the port has no TLS name',
      yaml: 'file:test/fixtures/scenarios/backend-tls/gwtls-btls-001/invalid-the-certificate-comes-through-a-projected-volume-the-port-has-no-tls.yaml',
      findings: [{ object: 'Service apps/app', severity: 'error', fixes: 1 }],
    },
    {
      name: 'only the port name says TLS',
      yaml: 'file:test/fixtures/scenarios/backend-tls/gwtls-btls-001/invalid-only-the-port-name-says-tls.yaml',
      findings: [{ object: 'Service apps/app', severity: 'warning', message: /looks like it: port name https/, fixes: 0 }],
    },
    {
      name: 'an Envoy Gateway Backend without tls in front of a TLS Service',
      yaml: 'file:test/fixtures/scenarios/backend-tls/gwtls-btls-001/invalid-an-envoy-gateway-backend-without-tls-in-front-of-a-tls-service.yaml',
      findings: [{ object: 'Backend apps/app-be', severity: 'error', fixes: 1 }],
    },
    {
      name: 'AWS NLB: TCPRoute to TLS pods infers a TCP target group',
      yaml: 'file:test/fixtures/scenarios/backend-tls/gwtls-btls-001/invalid-aws-nlb-tcproute-to-tls-pods-infers-a-tcp-target-group.yaml',
      findings: [{ object: 'Service apps/app', severity: 'error', message: /TCP target group/, fixes: 1 }],
    },
  ],
});

testRule(btls002, {
  valid: [{ name: 'TLS to a TLS backend', yaml: 'file:test/fixtures/scenarios/backend-tls/gwtls-btls-002/valid-tls-to-a-tls-backend.yaml' }],
  invalid: [
    {
      name: 'a policy on a port named http whose pods mount no certificate',
      yaml: 'file:test/fixtures/scenarios/backend-tls/gwtls-btls-002/invalid-a-policy-on-a-port-named-http-whose-pods-mount-no-certificate.yaml',
      findings: [{ object: 'BackendTLSPolicy apps/app-tls', severity: 'warning', message: /looks like plaintext \(appProtocol http, port name http; its pods mount no serving certificate\)/, fixes: 0 }],
    },
    {
      name: 'AWS NLB: a TLS target group for a plaintext port',
      yaml: 'file:test/fixtures/scenarios/backend-tls/gwtls-btls-002/invalid-aws-nlb-a-tls-target-group-for-a-plaintext-port.yaml',
      findings: [{ object: 'TargetGroupConfiguration apps/app', severity: 'warning', fixes: 0, suggestions: 1 }],
    },
  ],
});

testRule(btls003, {
  valid: [
    { name: 'seed b: policy v1 with its ConfigMap', yaml: seed('policy-v1') },
    { name: 'the CA under another key (Envoy Gateway reads the only key)', yaml: 'file:test/fixtures/scenarios/backend-tls/gwtls-btls-003/valid-the-ca-under-another-key-envoy-gateway-reads-the-only-key.yaml' },
  ],
  invalid: [
    {
      name: 'seed b: v1alpha3 policy whose ConfigMap is not in the input',
      yaml: seed('policy-v1alpha3-missing-ca'),
      findings: [{ object: 'BackendTLSPolicy apps/app-upstream-tls', severity: 'warning', message: /ConfigMap apps\/app-ca, which is not in the input/, fixes: 1 }],
    },
    {
      name: 'the ConfigMap does not exist (other ConfigMaps are in the input)',
      yaml: 'file:test/fixtures/scenarios/backend-tls/gwtls-btls-003/invalid-the-configmap-does-not-exist-other-configmaps-are-in-the-input.yaml',
      findings: [{ object: 'BackendTLSPolicy apps/app-tls', severity: 'error', message: /ConfigMap apps\/app-ca not found/, fixes: 1 }],
    },
    {
      name: 'the ConfigMap has no ca.crt',
      yaml: 'file:test/fixtures/scenarios/backend-tls/gwtls-btls-003/invalid-the-configmap-has-no-ca-crt.yaml',
      findings: [{ object: 'BackendTLSPolicy apps/app-tls', severity: 'error', message: /has no key ca.crt; Envoy Gateway takes its key ca.pem instead, which holds no readable certificate/, fixes: 1 }],
    },
    {
      name: 'a Secret where only ConfigMaps are portable (Istio)',
      yaml: 'file:test/fixtures/scenarios/backend-tls/gwtls-btls-003/invalid-a-secret-where-only-configmaps-are-portable-istio.yaml',
      findings: [{ object: 'BackendTLSPolicy apps/app-tls', message: /InvalidKind/, fixes: 1 }],
    },
  ],
});

testRule(btls004, {
  valid: [{ name: 'sectionName is the port name', yaml: 'file:test/fixtures/scenarios/backend-tls/gwtls-btls-004/valid-sectionname-is-the-port-name.yaml' }],
  invalid: [
    {
      name: 'sectionName is the port number',
      yaml: 'file:test/fixtures/scenarios/backend-tls/gwtls-btls-004/invalid-sectionname-is-the-port-number.yaml',
      findings: [{ object: 'BackendTLSPolicy apps/app-tls', message: /sectionName 8443, which is not a port name of that Service \(that is the port number/, fixes: 1 }],
    },
  ],
});

testRule(btls005, {
  valid: [
    { name: 'Envoy Gateway honours the policy', yaml: 'file:test/fixtures/scenarios/backend-tls/gwtls-btls-005/valid-envoy-gateway-honours-the-policy.yaml' },
    { name: 'AWS NLB with a TLS target group: the policy is merely redundant', yaml: 'file:test/fixtures/scenarios/backend-tls/gwtls-btls-005/valid-aws-nlb-with-a-tls-target-group-the-policy-is-merely-redundant.yaml' },
  ],
  invalid: [
    {
      name: 'AWS NLB ignores the policy and infers a TCP target group',
      yaml: 'file:test/fixtures/scenarios/backend-tls/gwtls-btls-005/invalid-aws-nlb-ignores-the-policy-and-infers-a-tcp-target-group.yaml',
      findings: [{ object: 'BackendTLSPolicy apps/app-tls', severity: 'error', message: /does not implement BackendTLSPolicy.*TargetGroupConfiguration/, fixes: 1 }],
    },
    {
      name: 'Kong ignores the policy',
      yaml: 'file:test/fixtures/scenarios/backend-tls/gwtls-btls-005/invalid-kong-ignores-the-policy.yaml',
      findings: [{ object: 'BackendTLSPolicy apps/app-tls', severity: 'error', message: /konghq.com\/protocol: https/, fixes: 0 }],
    },
  ],
});

testRule(btls006, {
  valid: [{ name: 'hostname is a SAN of the backend certificate', yaml: 'file:test/fixtures/scenarios/backend-tls/gwtls-btls-006/valid-hostname-is-a-san-of-the-backend-certificate.yaml' }],
  invalid: [
    {
      name: 'hostname is not in the certificate',
      yaml: 'file:test/fixtures/scenarios/backend-tls/gwtls-btls-006/invalid-hostname-is-not-in-the-certificate.yaml',
      findings: [{ object: 'BackendTLSPolicy apps/app-tls', message: /verify hostname app.internal.example .* carries app.apps.svc.cluster.local, app.apps.svc/, fixes: 1 }],
    },
    {
      name: 'subjectAltNames replace the hostname, and none matches',
      yaml: 'file:test/fixtures/scenarios/backend-tls/gwtls-btls-006/invalid-subjectaltnames-replace-the-hostname-and-none-matches.yaml',
      findings: [{ object: 'BackendTLSPolicy apps/app-tls', field: 'spec.validation.subjectAltNames', fixes: 1 }],
    },
  ],
});

testRule(btls007, {
  valid: [
    { name: 'self-signed certificate itself in ca.crt', yaml: 'file:test/fixtures/scenarios/backend-tls/gwtls-btls-007/valid-self-signed-certificate-itself-in-ca-crt.yaml' },
    { name: 'certificate issued by the CA in ca.crt', yaml: 'file:test/fixtures/scenarios/backend-tls/gwtls-btls-007/valid-certificate-issued-by-the-ca-in-ca-crt.yaml' },
  ],
  invalid: [
    {
      name: 'self-signed certificate, ca.crt holds another CA (issue 3761)',
      yaml: 'file:test/fixtures/scenarios/backend-tls/gwtls-btls-007/invalid-self-signed-certificate-ca-crt-holds-another-ca-issue-3761.yaml',
      findings: [{ object: 'BackendTLSPolicy apps/app-tls', message: /does not chain to .*gateway-api issue 3761/, fixes: 1, suggestions: 1 }],
    },
    {
      name: 'CA-issued certificate, the CA is in the Secret chain but not in ca.crt',
      yaml: 'file:test/fixtures/scenarios/backend-tls/gwtls-btls-007/invalid-ca-issued-certificate-the-ca-is-in-the-secret-chain-but-not-in-ca-crt.yaml',
      findings: [{ object: 'BackendTLSPolicy apps/app-tls', message: /Add the CA that issued it \(CN=Apps Private CA/, fixes: 1 }],
    },
  ],
});

testRule(btls008, {
  valid: [{ name: 'one policy per port', yaml: 'file:test/fixtures/scenarios/backend-tls/gwtls-btls-008/valid-one-policy-per-port.yaml' }],
  invalid: [
    {
      name: 'two policies for the same port',
      yaml: 'file:test/fixtures/scenarios/backend-tls/gwtls-btls-008/invalid-two-policies-for-the-same-port.yaml',
      findings: [{ object: 'BackendTLSPolicy apps/b-tls', message: /a-tls wins \(its name comes first alphabetically\)/ }],
    },
    {
      name: 'one policy with two targets',
      yaml: 'file:test/fixtures/scenarios/backend-tls/gwtls-btls-008/invalid-one-policy-with-two-targets.yaml',
      findings: [{ object: 'BackendTLSPolicy apps/app-tls', field: 'spec.targetRefs', fixes: 1 }],
    },
  ],
});

testRule(btls010, {
  valid: [{ name: 'private CA referenced through caCertificateRefs', yaml: 'file:test/fixtures/scenarios/backend-tls/gwtls-btls-010/valid-private-ca-referenced-through-cacertificaterefs.yaml' }],
  invalid: [
    {
      name: 'System CAs against a self-signed backend',
      yaml: 'file:test/fixtures/scenarios/backend-tls/gwtls-btls-010/invalid-system-cas-against-a-self-signed-backend.yaml',
      findings: [{ object: 'BackendTLSPolicy apps/app-tls', message: /against the system CAs, but its certificate is self-signed/, fixes: 0 }],
    },
    {
      // shown by the real Traefik: test/e2e/gateway/backend-tls.test.ts (HTTP 500 until the policy is applied)
      name: 'Traefik, no policy, port named https',
      yaml: 'file:test/fixtures/scenarios/backend-tls/gwtls-btls-010/invalid-traefik-no-policy-port-named-https.yaml',
      findings: [{ object: 'Service apps/app', field: 'spec.ports[0]', message: /No BackendTLSPolicy targets .* Traefik opens TLS to it anyway because of its port name https .* self-signed: verification fails/, fixes: 1 }],
    },
  ],
});

testRule(btls011, {
  valid: [{ name: 'seed b: verified by a BackendTLSPolicy', yaml: seed('policy-v1') }],
  invalid: [
    {
      name: 'seed b: Envoy Gateway Backend with insecureSkipVerify',
      yaml: seed('envoy-backend-skip-verify'),
      findings: [{ object: 'Backend apps/app-insecure', severity: 'warning', message: /accepts any certificate.*self-signed certificate verifies once it is itself in ca.crt/, fixes: 1 }],
    },
  ],
});

// ---------------------------------------------------------------------------------------------------------
// What a probe of the backend saw (inspect --probe) is the strongest evidence: it decides BTLS-001/002 and is
// the certificate BTLS-006/007/010 judge.

async function observedFindings(docs: string[], observation: (Omit<BackendObservation, 'chain'> & { pem?: string }) | undefined, rules = BACKEND_TLS_RULES): Promise<Finding[]> {
  const { snapshot, errors } = await loadManifests(['-'], 'default', async () => docs.join('\n---\n'));
  expect(errors).toEqual([]);
  const now = new Date(DEFAULT_NOW);
  const chain = observation?.pem ? decodePemChain(observation.pem, 'probe pod apps/app-1', now).certs : [];
  const observations = new Map(observation ? [[observationKey('apps', 'app', 8443), { ...observation, chain }]] : []);
  return runRules(buildModel(snapshot, { allNamespaces: true }, now, { observations }), rules).findings;
}
const where = 'pod apps/app-1 port 8443';
const sawTls = (pem: string) => ({ speaks: 'tls' as const, pem, where, sni: 'app.apps.svc.cluster.local', summary: 'TLS (TLSv1.3)' });

describe('backend-TLS rules with a probe observation', () => {
  it('GWTLS-BTLS-001: TLS seen on a port whose names say plaintext is proven (error); trusting the certificate served is a suggestion (trust on first use)', async () => {
    const f = await observedFindings([eg, gateway, service('http', 'http'), pod(null), route()], sawTls(selfSigned.certPem), [btls001]);
    expect(f).toHaveLength(1);
    expect(f[0]).toMatchObject({ code: 'GWTLS-BTLS-001', severity: 'error', object: { kind: 'Service', namespace: 'apps', name: 'app' } });
    expect(f[0]!.message).toContain(`a probe of ${where} completed a TLS handshake and was served app.apps.svc.cluster.local, app.apps.svc; self-signed; as served by ${where} (probed)`);
    expect(f[0]!.evidence[1]).toBe(`probe of ${where}: TLS (TLSv1.3)`);
    expect(f[0]!.fixes.filter((x) => x.type === 'fix')).toHaveLength(0);
    expect(f[0]!.fixes).toHaveLength(1);
    expect(f[0]!.fixes[0]).toMatchObject({ type: 'suggestion' });
    expect(f[0]!.fixes[0]!.note).toContain(`Trust on first use: the self-signed backend certificate itself is only known from what ${where} served to the probe (SHA-256 `);
    expect(f[0]!.fixes[0]!.yaml).toContain('hostname: app.apps.svc.cluster.local');
  });

  it('GWTLS-BTLS-001 without a known CA offers the policy and CA bundle as a skeleton that names the gaps', async () => {
    const f = await observedFindings([eg, gateway, service('https', 'https'), pod(null), route()], undefined, [btls001]);
    expect(f).toHaveLength(1);
    expect(f[0]!.fixes).toHaveLength(1);
    expect(f[0]!.fixes[0]).toMatchObject({ type: 'suggestion' });
    expect(f[0]!.fixes[0]!.gaps).toEqual(['spec.validation.hostname is "<hostname in the backend certificate>", a placeholder: fill in the real value', 'data.ca.crt is "<PEM of the CA that issued the backend certificate>\n", a placeholder: fill in the real value']);
  });

  it('GWTLS-BTLS-001 does not fire when the probe saw plaintext, whatever the port name says', async () => {
    const f = await observedFindings([eg, gateway, service('https', ''), pod(null), route()], { speaks: 'plaintext', where, sni: null, summary: 'answers in plain HTTP, not TLS', protocol: 'plain HTTP' }, [btls001]);
    expect(f).toEqual([]);
  });

  it('GWTLS-BTLS-002: plaintext seen where the policy originates TLS is an error, even though the pods mount a certificate', async () => {
    const f = await observedFindings(app([policy(), caMap(selfSigned.certPem)]), { speaks: 'plaintext', where, sni: 'app.apps.svc.cluster.local', summary: 'answers in plain HTTP, not TLS', protocol: 'plain HTTP' }, [btls002]);
    expect(f).toHaveLength(1);
    expect(f[0]).toMatchObject({ code: 'GWTLS-BTLS-002', severity: 'error', object: { kind: 'BackendTLSPolicy', name: 'app-tls' } });
    expect(f[0]!.message).toContain(`but it speaks plaintext: a probe of ${where} got plain HTTP in reply to a ClientHello`);
  });

  it('GWTLS-BTLS-006 judges the certificate served, not the one mounted', async () => {
    const wrong = issue({ cn: 'other.example', dns: ['other.example'], ...validity });
    // Mounted certificate fine, served one wrong: a finding.
    const f = await observedFindings(app([policy(), caMap(selfSigned.certPem)]), sawTls(wrong.certPem), [btls006]);
    expect(f).toHaveLength(1);
    expect(f[0]!.message).toContain('but the certificate it really serves (probed) carries other.example');
    // Mounted certificate wrong, served one fine: none.
    const g = await observedFindings([eg, gateway, service(), pod(), serving(wrong), route(), policy(), caMap(selfSigned.certPem)], sawTls(selfSigned.certPem), [btls006]);
    expect(g).toEqual([]);
  });

  it('GWTLS-BTLS-007 verifies the chain served against the CA in ca.crt', async () => {
    const f = await observedFindings(app([policy(), caMap(appsCa.certPem)], service()), sawTls(selfSigned.certPem), [btls007]);
    expect(f).toHaveLength(1);
    expect(f[0]).toMatchObject({ code: 'GWTLS-BTLS-007', field: 'spec.validation.caCertificateRefs' });
    expect(f[0]!.message).toContain('the certificate it really serves (probed)');
    const ok = await observedFindings(app([policy(), caMap(appsCa.certPem)], service()), sawTls(issued.certPem), [btls007]);
    expect(ok).toEqual([]);
  });

  it('GWTLS-BTLS-010 (System CAs) judges the chain served', async () => {
    const f = await observedFindings([eg, gateway, service(), pod(null), route(), policy({ validation: '    wellKnownCACertificates: System' })], sawTls(selfSigned.certPem), [btls010]);
    expect(f.map((x) => x.code)).toEqual(['GWTLS-BTLS-010']);
    expect(f[0]!.evidence.slice(1)).toEqual([`backend certificate: app.apps.svc.cluster.local, app.apps.svc; self-signed; as served by ${where} (probed)`]);
  });
});
