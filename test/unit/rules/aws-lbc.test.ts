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
const passthrough = (port = 6443) => `    - {name: tls, protocol: TLS, port: ${port}, hostname: api.example.com, tls: {mode: Passthrough}}`;
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
const ipTargets = `apiVersion: gateway.k8s.aws/v1
kind: TargetGroupConfiguration
metadata: {name: api-tg, namespace: apps}
spec:
  targetReference: {name: api}
  defaultConfiguration: {targetType: ip}`;
const tcpRoute = (port = 8443) => `apiVersion: gateway.networking.k8s.io/v1
kind: TCPRoute
metadata: {name: api, namespace: apps}
spec:
  parentRefs: [{name: gw}]
  rules: [{backendRefs: [{name: api, port: ${port}}]}]`;
const tlsRoute = (port = 8443) => `apiVersion: gateway.networking.k8s.io/v1
kind: TLSRoute
metadata: {name: api, namespace: apps}
spec:
  parentRefs: [{name: gw}]
  hostnames: [api.example.com]
  rules: [{backendRefs: [{name: api, port: ${port}}]}]`;
const event = (message: string) => `apiVersion: v1
kind: Event
metadata: {name: gw.1, namespace: apps}
involvedObject: {kind: Gateway, name: gw, namespace: apps}
type: Warning
reason: FailedBuildModel
message: "${message}"`;

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
    { name: 'hostname for ACM discovery', yaml: [nlbClass(), gateway(terminate()), tcpRoute(), service(), ipTargets] },
    { name: 'listenerConfigurations entry', yaml: [nlbClass(), gateway(terminate(8443, ''), infra()), lbcConfig(`[{protocolPort: "TLS:8443", defaultCertificate: "${ARN}"}]`), tcpRoute(), service(), ipTargets] },
    { name: 'the referenced configuration is missing: reported as such, not here', yaml: [nlbClass(), gateway(terminate(8443, ''), infra('nope')), lbcConfig('[]'), tcpRoute(), service(), ipTargets] },
  ],
  invalid: [
    {
      name: 'no entry and no hostname',
      yaml: [nlbClass(), gateway(terminate(8443, '')), tcpRoute(), service(), ipTargets, event('No hostnames found for TLS cert discovery for listener on gateway apps/gw with protocol:port TLS:8443')],
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
  valid: [{ name: 'entry keyed like the listener', yaml: [nlbClass(), gateway(terminate(), infra()), lbcConfig(`[{protocolPort: "TLS:8443", defaultCertificate: "${ARN}"}]`), tcpRoute(), service(), ipTargets] }],
  invalid: [
    {
      name: 'HTTPS:8443 for a TLS listener',
      yaml: [nlbClass(), gateway(terminate(), infra()), lbcConfig(`[{protocolPort: "HTTPS:8443", defaultCertificate: "${ARN}"}]`), tcpRoute(), service(), ipTargets],
      findings: [{ object: 'LoadBalancerConfiguration apps/cfg', message: /keyed HTTPS:8443.*TLS:8443.*never used/, fixes: 1 }],
    },
    {
      name: 'TLS:6443 for a passthrough listener (an NLB TCP listener since v3.1)',
      yaml: [nlbClass(), gateway(passthrough(), infra()), lbcConfig(`[{protocolPort: "TLS:6443", defaultCertificate: "${ARN}"}]`), tcpRoute(6443), service('api', 6443)],
      findings: [{ object: 'LoadBalancerConfiguration apps/cfg', message: /key TCP:6443.*tls\.mode to Terminate/, fixes: 0 }],
    },
  ],
});

testRule(lbc004, {
  valid: [{ name: 'terminating listener', yaml: [nlbClass(), gateway(terminate()), tcpRoute(), service(), ipTargets] }],
  invalid: [
    { name: 'passthrough: depends on v3.1.0', yaml: [nlbClass(), gateway(passthrough()), tcpRoute(6443), service('api', 6443)], findings: [{ object: 'Gateway apps/gw', severity: 'info', message: /v3\.1\.0 and later/ }] },
    {
      name: 'an event proves an old controller',
      yaml: [nlbClass(), gateway(passthrough()), tcpRoute(6443), service('api', 6443), event('No hostnames found for TLS cert discovery for listener on gateway apps/gw with protocol:port TLS:6443')],
      findings: [{ object: 'Gateway apps/gw', severity: 'error', message: /predates v3\.1\.0/ }],
    },
  ],
});

testRule(lbc005, {
  valid: [
    { name: 'TCPRoute on a passthrough listener', yaml: [nlbClass(), gateway(passthrough()), tcpRoute(6443), service('api', 6443)] },
    { name: 'TLSRoute with a TCP target group', yaml: [nlbClass(), gateway(passthrough()), tlsRoute(6443), service('api', 6443), ipTargets.replace('targetType: ip', 'targetType: ip, protocol: TCP')] },
  ],
  invalid: [
    {
      name: 'TLSRoute on a passthrough listener infers a TLS target group (new TargetGroupConfiguration)',
      yaml: [nlbClass(), gateway(passthrough()), tlsRoute(6443), service('api', 6443)],
      findings: [{ object: 'TLSRoute apps/api', message: /IncompatibleProtocols/, fixes: 1 }],
    },
    {
      name: 'a TargetGroupConfiguration sets TLS behind the passthrough listener (patched)',
      yaml: [nlbClass(), gateway(passthrough()), tcpRoute(6443), service('api', 6443), ipTargets.replace('targetType: ip', 'targetType: ip, protocol: TLS')],
      findings: [{ object: 'TCPRoute apps/api', message: /TargetGroupConfiguration apps\/api-tg sets protocol TLS/, fixes: 1 }],
    },
  ],
});

testRule(lbc007, {
  valid: [
    { name: 'seed a corrected', yaml: SEED_A_FIXED },
    { name: 'a default named by a LoadBalancerConfiguration', yaml: [lbcConfig('[]').replace('listenerConfigurations: []', 'defaultTargetGroupConfiguration: {name: defaults}'), 'apiVersion: gateway.k8s.aws/v1\nkind: TargetGroupConfiguration\nmetadata: {name: defaults, namespace: apps}\nspec: {defaultConfiguration: {targetType: ip}}'] },
  ],
  invalid: [
    {
      name: 'seed b: no targetReference, named by nothing',
      yaml: 'file:test/fixtures/seeds/b-backend-tls/lbc-targetgroupconfiguration.yaml',
      findings: [{ object: 'TargetGroupConfiguration default/broker-expose-85309-11170', message: /no targetReference.*protocol TLS/, fixes: 0 }],
    },
    {
      name: 'no targetReference, one LoadBalancerConfiguration in use could take it as its default',
      yaml: [nlbClass(), gateway(terminate(), infra()), lbcConfig(`[{protocolPort: "TLS:8443", defaultCertificate: "${ARN}"}]`), tcpRoute(), service(), 'apiVersion: gateway.k8s.aws/v1\nkind: TargetGroupConfiguration\nmetadata: {name: defaults, namespace: apps}\nspec: {defaultConfiguration: {targetType: ip}}'],
      findings: [{ object: 'TargetGroupConfiguration apps/defaults', fixes: 1 }],
    },
    {
      name: 'targetReference names a Service in another namespace',
      yaml: [service(), 'apiVersion: gateway.k8s.aws/v1\nkind: TargetGroupConfiguration\nmetadata: {name: api-tg, namespace: db}\nspec: {targetReference: {name: api}, defaultConfiguration: {protocol: TLS}}'],
      findings: [{ object: 'TargetGroupConfiguration db/api-tg', message: /exists in apps/ }],
    },
    {
      name: 'two TargetGroupConfigurations for one Service',
      yaml: [service(), ipTargets, ipTargets.replace('name: api-tg', 'name: api-tg-2')],
      findings: [{ object: 'TargetGroupConfiguration apps/api-tg', message: /2 TargetGroupConfigurations target Service apps\/api/ }],
    },
    {
      name: 'a default that has a targetReference makes the controller fail',
      yaml: [nlbClass(), gateway(terminate(), infra()), lbcConfig(`[{protocolPort: "TLS:8443", defaultCertificate: "${ARN}"}]`).replace('spec:', 'spec:\n  defaultTargetGroupConfiguration: {name: api-tg}'), tcpRoute(), service(), ipTargets],
      findings: [{ object: 'LoadBalancerConfiguration apps/cfg', severity: 'error', message: /refuses a default with a targetReference/ }],
    },
  ],
});

testRule(lbc008, {
  valid: [
    { name: 'TCPRoute on a terminating listener', yaml: [nlbClass(), gateway(terminate()), tcpRoute(), service(), ipTargets] },
    { name: 'pods that look plaintext are GWTLS-BTLS-002\'s', yaml: [nlbClass(), gateway(terminate()), tlsRoute(), service('http'), ipTargets] },
  ],
  invalid: [{ name: 'TLSRoute re-encrypts to pods of unknown protocol', yaml: [nlbClass(), gateway(terminate()), tlsRoute(), service(), ipTargets], findings: [{ object: 'TLSRoute apps/api', severity: 'info', message: /must serve TLS/, fixes: 0 }] }],
});

testRule(lbc009, {
  valid: [{ name: 'TCPRoute on Terminate works on every release', yaml: [nlbClass(), gateway(terminate()), tcpRoute(), service(), ipTargets] }],
  invalid: [
    { name: 'TLSRoute on Terminate', yaml: [nlbClass(), gateway(terminate()), tlsRoute(), service(), ipTargets], findings: [{ object: 'TLSRoute apps/api', severity: 'info', message: /v3\.1\.0 and later/ }] },
    { name: 'TCPRoute on Passthrough', yaml: [nlbClass(), gateway(passthrough()), tcpRoute(6443), service('api', 6443)], findings: [{ object: 'TCPRoute apps/api', severity: 'info' }] },
    {
      name: 'the controller rejected it: an old release',
      yaml: [
        nlbClass(),
        gateway(terminate()),
        tlsRoute().concat('\nstatus:\n  parents:\n    - parentRef: {name: gw}\n      controllerName: gateway.k8s.aws/nlb\n      conditions: [{type: Accepted, status: "False", reason: NotAllowedByListeners}]'),
        service(),
        ipTargets,
      ],
      findings: [{ object: 'TLSRoute apps/api', severity: 'error', message: /v2\.14\.0 to v3\.0\.x/ }],
    },
  ],
});

testRule(lbc010, {
  valid: [{ name: 'no hostnames', yaml: [nlbClass(), gateway(terminate(8443, ''), infra()), lbcConfig(`[{protocolPort: "TLS:8443", defaultCertificate: "${ARN}"}]`), tcpRoute(), service(), ipTargets] }],
  invalid: [
    { name: 'seed a: "the hostname must MATCH the SNI" is not enforced by the NLB', yaml: SEED_A, findings: [{ object: 'Gateway default/mygateway', message: /does not route or refuse by SNI/ }] },
    { name: 'passthrough: the NLB does not read the SNI', yaml: [nlbClass(), gateway(passthrough()), tcpRoute(6443), service('api', 6443)], findings: [{ object: 'Gateway apps/gw', message: /without reading the SNI/ }] },
  ],
});

testRule(lbc011, {
  valid: [
    { name: 'seed a corrected: named by the class', yaml: SEED_A_FIXED },
    { name: 'no Gateways in the input: cannot tell', yaml: lbcConfig('[]') },
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
      yaml: [nlbClass(), gateway(terminate(), infra()), lbcConfig('[{protocolPort: "TLS:8443", defaultCertificate: "<ARN OF our ACM certificate>"}]'), tcpRoute(), service(), ipTargets],
      findings: [{ object: 'LoadBalancerConfiguration apps/cfg', severity: 'error', message: /Gateway apps\/gw listener tls cannot be created/ }],
    },
  ],
});

testRule(lbc013, {
  valid: [{ name: 'not PostgreSQL', yaml: [nlbClass(), gateway(terminate()), tcpRoute(), service(), ipTargets] }],
  invalid: [
    { name: 'seed a', yaml: SEED_A, findings: [{ object: 'Gateway default/mygateway', severity: 'warning', message: /SSLRequest/, fixes: 0 }] },
    { name: 'seed a corrected: still true, and the TLS leg needs a generic TLS endpoint', yaml: SEED_A_FIXED, findings: [{ object: 'Gateway db/pg-gw', message: /generic TLS to the pods/ }] },
    { name: 'backend port named postgres', yaml: [nlbClass(), gateway(terminate()), tcpRoute(), service('postgres'), ipTargets], findings: [{ object: 'Gateway apps/gw', message: /plaintext/ }] },
  ],
});

testRule(lbc014, {
  valid: [{ name: 'TCP target group', yaml: [nlbClass(), gateway(terminate()), tcpRoute(), service(), ipTargets] }],
  invalid: [
    { name: 'seed a corrected: TargetGroupConfiguration protocol TLS', yaml: SEED_A_FIXED, findings: [{ object: 'TargetGroupConfiguration db/pg-tgc', severity: 'info', message: /does not validate/ }] },
    { name: 'TLSRoute infers TLS', yaml: [nlbClass(), gateway(terminate()), tlsRoute(), service(), ipTargets], findings: [{ object: 'TLSRoute apps/api', message: /TLSRoute makes the controller infer a TLS target group/ }] },
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
