import { describe, expect, it } from 'vitest';
import { loadManifests } from '../../../src/cluster/manifests.ts';
import { buildModel } from '../../../src/graph/model.ts';
import { lbc001 } from '../../../src/rules/aws-lbc/lbc-001-no-certificate.ts';
import { lbc002 } from '../../../src/rules/aws-lbc/lbc-002-certificaterefs-ignored.ts';
import { lbc003 } from '../../../src/rules/aws-lbc/lbc-003-unmatched-listener-config.ts';
import { lbc004 } from '../../../src/rules/aws-lbc/lbc-004-passthrough-version.ts';
import { lbc005 } from '../../../src/rules/aws-lbc/lbc-005-tls-target-behind-passthrough.ts';
import { lbc007 } from '../../../src/rules/aws-lbc/lbc-007-tgc-not-applied.ts';
import { lbc008 } from '../../../src/rules/aws-lbc/lbc-008-tlsroute-reencrypts.ts';
import { lbc009 } from '../../../src/rules/aws-lbc/lbc-009-version-kinds.ts';
import { lbc010 } from '../../../src/rules/aws-lbc/lbc-010-no-sni-routing.ts';
import { lbc011 } from '../../../src/rules/aws-lbc/lbc-011-lbc-unreferenced.ts';
import { lbc012 } from '../../../src/rules/aws-lbc/lbc-012-certificate-not-arn.ts';
import { lbc013 } from '../../../src/rules/aws-lbc/lbc-013-postgres-termination.ts';
import { lbc014 } from '../../../src/rules/aws-lbc/lbc-014-targets-not-verified.ts';
import { isCertificateArn } from '../../../src/rules/aws-lbc/arn.ts';
import { testRule } from '../../helpers/rule-tester.ts';
import { ARN, SEED_A, SEED_A_FIXED } from '../../helpers/rule-fixtures.ts';

const nlbClass = (params = '') => `apiVersion: gateway.networking.k8s.io/v1
kind: GatewayClass
metadata: {name: nlb}
spec:
  controllerName: gateway.k8s.aws/nlb
${params}`;
const gateway = (listeners: string, extra = '') => `apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: {name: gw, namespace: apps}
spec:
  gatewayClassName: nlb
${extra}  listeners:
${listeners}`;
const terminate = (port = 8443, hostname = 'api.example.com') => `    - {name: tls, protocol: TLS, port: ${port}${hostname ? `, hostname: ${hostname}` : ''}, tls: {mode: Terminate, options: {example.com/cert: acm}}}`;
const lbcConfig = (entries: string, name = 'cfg') => `apiVersion: gateway.k8s.aws/v1
kind: LoadBalancerConfiguration
metadata: {name: ${name}, namespace: apps}
spec:
  listenerConfigurations: ${entries}`;
const infra = (name = 'cfg') => `  infrastructure: {parametersRef: {group: gateway.k8s.aws, kind: LoadBalancerConfiguration, name: ${name}}}\n`;
const service = (portName = 'api', port = 8443) => `apiVersion: v1
kind: Service
metadata: {name: api, namespace: apps}
spec:
  selector: {app: api}
  ports: [{name: ${portName}, port: ${port}, targetPort: ${port}}]`;
const tcpRoute = (port = 8443) => `apiVersion: gateway.networking.k8s.io/v1
kind: TCPRoute
metadata: {name: api, namespace: apps}
spec:
  parentRefs: [{name: gw}]
  rules: [{backendRefs: [{name: api, port: ${port}}]}]`;

describe('certificate ARNs', () => {
  it('accepts ACM and IAM ARNs in any partition, rejects placeholders', () => {
    expect(isCertificateArn(ARN)).toBe(true);
    expect(isCertificateArn('arn:aws-cn:acm:cn-north-1:111122223333:certificate/abc-123')).toBe(true);
    expect(isCertificateArn('arn:aws:iam::111122223333:server-certificate/prod/shop')).toBe(true);
    expect(isCertificateArn('<ARN OF our ACM certificate>')).toBe(false);
    expect(isCertificateArn('arn:aws:acm:eu-west-1:1111:certificate/x')).toBe(false);
  });
});

testRule(lbc001, {
  valid: [
    { name: 'hostname for ACM discovery', yaml: 'file:test/fixtures/scenarios/aws-lbc/gwtls-lbc-001/valid-hostname-for-acm-discovery.yaml' },
    { name: 'listenerConfigurations entry', yaml: 'file:test/fixtures/scenarios/aws-lbc/gwtls-lbc-001/valid-listenerconfigurations-entry.yaml' },
    { name: 'the referenced configuration is missing: reported as such, not here', yaml: 'file:test/fixtures/scenarios/aws-lbc/gwtls-lbc-001/valid-the-referenced-configuration-is-missing-reported-as-such-not-here.yaml' },
  ],
  invalid: [
    {
      name: 'no entry and no hostname',
      yaml: 'file:test/fixtures/scenarios/aws-lbc/gwtls-lbc-001/invalid-no-entry-and-no-hostname.yaml',
      findings: [{ object: 'Gateway apps/gw', message: /listenerConfigurations entry for TLS:8443/, field: 'spec.listeners[0]', fixes: 0 }],
    },
  ],
});

testRule(lbc002, {
  valid: [{ name: 'seed a corrected: tls.options instead of a dangling Secret', yaml: SEED_A_FIXED }],
  invalid: [
    {
      name: 'seed a: "The secret will be ignored" is right',
      yaml: SEED_A,
      findings: [{ object: 'Gateway default/mygateway', severity: 'info', message: /Secret default\/fake.*ignores.*ACM certificate for myroute\.my-domain\.com/, fixes: 0 }],
    },
  ],
});

testRule(lbc003, {
  valid: [{ name: 'entry keyed like the listener', yaml: 'file:test/fixtures/scenarios/aws-lbc/gwtls-lbc-003/valid-entry-keyed-like-the-listener.yaml' }],
  invalid: [
    {
      name: 'HTTPS:8443 for a TLS listener',
      yaml: 'file:test/fixtures/scenarios/aws-lbc/gwtls-lbc-003/invalid-https-8443-for-a-tls-listener.yaml',
      findings: [{ object: 'LoadBalancerConfiguration apps/cfg', message: /keyed HTTPS:8443.*TLS:8443.*never used/, fixes: 1 }],
    },
    {
      name: 'TLS:6443 for a passthrough listener (an NLB TCP listener since v3.1)',
      yaml: 'file:test/fixtures/scenarios/aws-lbc/gwtls-lbc-003/invalid-tls-6443-for-a-passthrough-listener-an-nlb-tcp-listener-since-v3-1.yaml',
      findings: [{ object: 'LoadBalancerConfiguration apps/cfg', message: /key TCP:6443.*tls\.mode to Terminate/, fixes: 0 }],
    },
    {
      name: 'TLS:443 written for the only terminating listener, which is TLS:5432',
      yaml: 'file:test/fixtures/scenarios/aws-lbc/gwtls-lbc-003/invalid-tls-443-written-for-the-only-terminating-listener-which-is-tls-5432.yaml',
      findings: [{ object: 'LoadBalancerConfiguration apps/cfg', message: /keyed TLS:443.*only terminating listener without an entry/, fixes: 1 }],
    },
  ],
});

testRule(lbc004, {
  valid: [{ name: 'terminating listener', yaml: 'file:test/fixtures/scenarios/aws-lbc/gwtls-lbc-004/valid-terminating-listener.yaml' }],
  invalid: [
    { name: 'passthrough: depends on v3.1.0', yaml: 'file:test/fixtures/scenarios/aws-lbc/gwtls-lbc-004/invalid-passthrough-depends-on-v3-1-0.yaml', findings: [{ object: 'Gateway apps/gw', severity: 'info', message: /v3\.1\.0 and later/ }] },
    {
      name: 'an event proves an old controller',
      yaml: 'file:test/fixtures/scenarios/aws-lbc/gwtls-lbc-004/invalid-an-event-proves-an-old-controller.yaml',
      findings: [{ object: 'Gateway apps/gw', severity: 'error', message: /predates v3\.1\.0/ }],
    },
  ],
});

testRule(lbc005, {
  valid: [
    { name: 'TCPRoute on a passthrough listener', yaml: 'file:test/fixtures/scenarios/aws-lbc/gwtls-lbc-005/valid-tcproute-on-a-passthrough-listener.yaml' },
    { name: 'TLSRoute with a TCP target group', yaml: 'file:test/fixtures/scenarios/aws-lbc/gwtls-lbc-005/valid-tlsroute-with-a-tcp-target-group.yaml' },
  ],
  invalid: [
    {
      name: 'TLSRoute on a passthrough listener infers a TLS target group (new TargetGroupConfiguration)',
      yaml: 'file:test/fixtures/scenarios/aws-lbc/gwtls-lbc-005/invalid-tlsroute-on-a-passthrough-listener-infers-a-tls-target-group-new.yaml',
      findings: [{ object: 'TLSRoute apps/api', message: /IncompatibleProtocols/, fixes: 1 }],
    },
    {
      name: 'a TargetGroupConfiguration sets TLS behind the passthrough listener (patched)',
      yaml: 'file:test/fixtures/scenarios/aws-lbc/gwtls-lbc-005/invalid-a-targetgroupconfiguration-sets-tls-behind-the-passthrough-listener.yaml',
      findings: [{ object: 'TCPRoute apps/api', message: /TargetGroupConfiguration apps\/api-tg sets protocol TLS/, fixes: 1 }],
    },
  ],
});

testRule(lbc007, {
  valid: [
    { name: 'seed a corrected', yaml: SEED_A_FIXED },
    { name: 'a default named by a LoadBalancerConfiguration', yaml: 'file:test/fixtures/scenarios/aws-lbc/gwtls-lbc-007/valid-a-default-named-by-a-loadbalancerconfiguration.yaml' },
  ],
  invalid: [
    {
      name: 'seed b: no targetReference, named by nothing',
      yaml: 'file:test/fixtures/seeds/b-backend-tls/lbc-targetgroupconfiguration.yaml',
      findings: [{ object: 'TargetGroupConfiguration default/broker-expose-85309-11170', message: /no targetReference.*protocol TLS/, fixes: 0 }],
    },
    {
      name: 'no targetReference, one LoadBalancerConfiguration in use could take it as its default',
      yaml: 'file:test/fixtures/scenarios/aws-lbc/gwtls-lbc-007/invalid-no-targetreference-one-loadbalancerconfiguration-in-use-could-take-it.yaml',
      findings: [{ object: 'TargetGroupConfiguration apps/defaults', fixes: 1 }],
    },
    {
      name: 'targetReference names a Service in another namespace',
      yaml: 'file:test/fixtures/scenarios/aws-lbc/gwtls-lbc-007/invalid-targetreference-names-a-service-in-another-namespace.yaml',
      findings: [{ object: 'TargetGroupConfiguration db/api-tg', message: /exists in apps/ }],
    },
    {
      name: 'two TargetGroupConfigurations for one Service',
      yaml: 'file:test/fixtures/scenarios/aws-lbc/gwtls-lbc-007/invalid-two-targetgroupconfigurations-for-one-service.yaml',
      findings: [{ object: 'TargetGroupConfiguration apps/api-tg', message: /2 TargetGroupConfigurations target Service apps\/api/ }],
    },
    {
      name: 'a default that has a targetReference makes the controller fail',
      yaml: 'file:test/fixtures/scenarios/aws-lbc/gwtls-lbc-007/invalid-a-default-that-has-a-targetreference-makes-the-controller-fail.yaml',
      findings: [{ object: 'LoadBalancerConfiguration apps/cfg', severity: 'error', message: /refuses a default with a targetReference/ }],
    },
  ],
});

testRule(lbc008, {
  valid: [
    { name: 'TCPRoute on a terminating listener', yaml: 'file:test/fixtures/scenarios/aws-lbc/gwtls-lbc-008/valid-tcproute-on-a-terminating-listener.yaml' },
    { name: 'pods that look plaintext are GWTLS-BTLS-002\'s', yaml: 'file:test/fixtures/scenarios/aws-lbc/gwtls-lbc-008/valid-pods-that-look-plaintext-are-gwtls-btls-002-s.yaml' },
  ],
  invalid: [{ name: 'TLSRoute re-encrypts to pods of unknown protocol', yaml: 'file:test/fixtures/scenarios/aws-lbc/gwtls-lbc-008/invalid-tlsroute-re-encrypts-to-pods-of-unknown-protocol.yaml', findings: [{ object: 'TLSRoute apps/api', severity: 'info', message: /must serve TLS/, fixes: 0 }] }],
});

testRule(lbc009, {
  valid: [{ name: 'TCPRoute on Terminate works on every release', yaml: 'file:test/fixtures/scenarios/aws-lbc/gwtls-lbc-009/valid-tcproute-on-terminate-works-on-every-release.yaml' }],
  invalid: [
    { name: 'TLSRoute on Terminate', yaml: 'file:test/fixtures/scenarios/aws-lbc/gwtls-lbc-009/invalid-tlsroute-on-terminate.yaml', findings: [{ object: 'TLSRoute apps/api', severity: 'info', message: /v3\.1\.0 and later/ }] },
    { name: 'TCPRoute on Passthrough', yaml: 'file:test/fixtures/scenarios/aws-lbc/gwtls-lbc-009/invalid-tcproute-on-passthrough.yaml', findings: [{ object: 'TCPRoute apps/api', severity: 'info' }] },
    {
      name: 'the controller rejected it: an old release',
      yaml: 'file:test/fixtures/scenarios/aws-lbc/gwtls-lbc-009/invalid-the-controller-rejected-it-an-old-release.yaml',
      findings: [{ object: 'TLSRoute apps/api', severity: 'error', message: /v2\.14\.0 to v3\.0\.x/ }],
    },
  ],
});

testRule(lbc010, {
  valid: [{ name: 'no hostnames', yaml: 'file:test/fixtures/scenarios/aws-lbc/gwtls-lbc-010/valid-no-hostnames.yaml' }],
  invalid: [
    { name: 'seed a: "the hostname must MATCH the SNI" is not enforced by the NLB', yaml: SEED_A, findings: [{ object: 'Gateway default/mygateway', message: /does not route or refuse by SNI/ }] },
    { name: 'passthrough: the NLB does not read the SNI', yaml: 'file:test/fixtures/scenarios/aws-lbc/gwtls-lbc-010/invalid-passthrough-the-nlb-does-not-read-the-sni.yaml', findings: [{ object: 'Gateway apps/gw', message: /without reading the SNI/ }] },
  ],
});

testRule(lbc011, {
  valid: [
    { name: 'seed a corrected: named by the class', yaml: SEED_A_FIXED },
    { name: 'no Gateways in the input: cannot tell', yaml: 'file:test/fixtures/scenarios/aws-lbc/gwtls-lbc-011/valid-no-gateways-in-the-input-cannot-tell.yaml' },
  ],
  invalid: [
    {
      name: 'seed a: LoadBalancerConfiguration mygateway is referenced by nothing',
      yaml: SEED_A,
      findings: [{ object: 'LoadBalancerConfiguration default/mygateway', message: /referenced by no GatewayClass.*shares its name with Gateway default\/mygateway/, fixes: 1 }],
    },
  ],
});

testRule(lbc012, {
  valid: [{ name: 'seed a corrected: a real ARN', yaml: SEED_A_FIXED }],
  invalid: [
    { name: 'seed a: placeholder, configuration not in use', yaml: SEED_A, findings: [{ object: 'LoadBalancerConfiguration default/mygateway', severity: 'warning', message: /template placeholder/, fixes: 0 }] },
    {
      name: 'placeholder in effect',
      yaml: 'file:test/fixtures/scenarios/aws-lbc/gwtls-lbc-012/invalid-placeholder-in-effect.yaml',
      findings: [{ object: 'LoadBalancerConfiguration apps/cfg', severity: 'error', message: /Gateway apps\/gw listener tls cannot be created/ }],
    },
  ],
});

testRule(lbc013, {
  valid: [{ name: 'not PostgreSQL', yaml: 'file:test/fixtures/scenarios/aws-lbc/gwtls-lbc-013/valid-not-postgresql.yaml' }],
  invalid: [
    { name: 'seed a', yaml: SEED_A, findings: [{ object: 'Gateway default/mygateway', severity: 'warning', message: /SSLRequest/, fixes: 0 }] },
    { name: 'seed a corrected: still true, and the TLS leg needs a generic TLS endpoint', yaml: SEED_A_FIXED, findings: [{ object: 'Gateway db/pg-gw', message: /generic TLS to the pods/ }] },
    { name: 'backend port named postgres', yaml: 'file:test/fixtures/scenarios/aws-lbc/gwtls-lbc-013/invalid-backend-port-named-postgres.yaml', findings: [{ object: 'Gateway apps/gw', message: /plaintext/ }] },
  ],
});

testRule(lbc014, {
  valid: [{ name: 'TCP target group', yaml: 'file:test/fixtures/scenarios/aws-lbc/gwtls-lbc-014/valid-tcp-target-group.yaml' }],
  invalid: [
    { name: 'seed a corrected: TargetGroupConfiguration protocol TLS', yaml: SEED_A_FIXED, findings: [{ object: 'TargetGroupConfiguration db/pg-tgc', severity: 'info', message: /does not validate/ }] },
    { name: 'TLSRoute infers TLS', yaml: 'file:test/fixtures/scenarios/aws-lbc/gwtls-lbc-014/invalid-tlsroute-infers-tls.yaml', findings: [{ object: 'TLSRoute apps/api', message: /TLSRoute makes the controller infer a TLS target group/ }] },
  ],
});

describe('target-group protocol with a default TargetGroupConfiguration (LBC v3.2+ field-level merge)', () => {
  it('the Service TGC wins where it sets a field, the default fills the rest', async () => {
    const text = [
      nlbClass(),
      gateway(terminate(), infra()),
      lbcConfig(`[{protocolPort: "TLS:8443", defaultCertificate: "${ARN}"}]`).replace('spec:', 'spec:\n  defaultTargetGroupConfiguration: {name: defaults}'),
      'apiVersion: gateway.k8s.aws/v1\nkind: TargetGroupConfiguration\nmetadata: {name: defaults, namespace: apps}\nspec: {defaultConfiguration: {targetType: ip, protocol: TLS}}',
      'apiVersion: gateway.k8s.aws/v1\nkind: TargetGroupConfiguration\nmetadata: {name: api-tg, namespace: apps}\nspec: {targetReference: {name: api}, defaultConfiguration: {healthCheckConfig: {healthCheckProtocol: TCP}}}',
      tcpRoute(),
      service(),
    ].join('\n---\n');
    const { snapshot } = await loadManifests(['-'], 'default', async () => text);
    const hop = buildModel(snapshot, { allNamespaces: true }).gateways[0]!.listeners[0]!.backends[0]!;
    expect(hop.tls.targetGroup?.props).toMatchObject({ targetType: 'ip', protocol: 'TLS', healthCheckProtocol: 'TCP' });
    expect(hop.tls.targetGroup?.source).toMatch(/default TargetGroupConfiguration apps\/defaults/);
  });
});
