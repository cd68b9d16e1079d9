import { describe, expect, it } from 'vitest';
import { loadManifests } from '../../../src/cluster/manifests.ts';
import type { KindName } from '../../../src/cluster/kinds.ts';
import { buildModel } from '../../../src/graph/model.ts';
import type { Finding } from '../../../src/report/types.ts';
import { runRules } from '../../../src/rules/engine.ts';
import { gw001 } from '../../../src/rules/platform/gw-001-not-accepted.ts';
import { gw002 } from '../../../src/rules/platform/gw-002-not-programmed.ts';
import { gw003 } from '../../../src/rules/platform/gw-003-lbc-events.ts';
import { gw004 } from '../../../src/rules/platform/gw-004-stale-status.ts';
import { plat001 } from '../../../src/rules/platform/plat-001-api-version.ts';
import { plat002 } from '../../../src/rules/platform/plat-002-prerequisites.ts';
import { plat003 } from '../../../src/rules/platform/plat-003-gatewayclass.ts';
import { plat004 } from '../../../src/rules/platform/plat-004-mixed-bundles.ts';
import type { Rule } from '../../../src/rules/types.ts';
import { DEFAULT_NOW, testRule } from '../../helpers/rule-tester.ts';
import { SEED_A, SEED_A_FIXED } from '../../helpers/rule-fixtures.ts';

/** The same manifests, as if read from a cluster that serves `kinds` at these versions and nothing of `notServed`. */
async function inCluster(text: string, rule: Rule, kinds: Record<string, string>, notServed: KindName[] = []): Promise<Finding[]> {
  const { snapshot } = await loadManifests(['-'], 'default', async () => text);
  snapshot.source.type = 'cluster';
  snapshot.source.kinds = kinds;
  for (const k of notServed) snapshot.setState(k, { state: 'not-served', detail: `${k} not served` });
  return runRules(buildModel(snapshot, { allNamespaces: true }, new Date(DEFAULT_NOW)), [rule]).findings;
}

const nlbClass = (extra = '') => `apiVersion: gateway.networking.k8s.io/v1
kind: GatewayClass
metadata: {name: nlb}
spec:
  controllerName: gateway.k8s.aws/nlb
${extra}`;
const egClass = (extra = '') => `apiVersion: gateway.networking.k8s.io/v1
kind: GatewayClass
metadata: {name: eg}
spec:
  controllerName: gateway.envoyproxy.io/gatewayclass-controller
${extra}`;
const nlbGateway = (extra = '', status = '') => `apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: {name: pg-gw, namespace: db, generation: 2}
spec:
  gatewayClassName: nlb
  listeners:
    - {name: pg, protocol: TLS, port: 5432, hostname: pg.example.com, tls: {mode: Terminate, options: {example.com/cert: acm}}}
${extra}${status}`;
const tcpRoute = (apiVersion = 'v1', rules = '[{backendRefs: [{name: pg, port: 5432}]}]', ns = 'db', parent = '{name: pg-gw}') => `apiVersion: gateway.networking.k8s.io/${apiVersion}
kind: TCPRoute
metadata: {name: pg-route, namespace: ${ns}}
spec:
  parentRefs: [${parent}]
  rules: ${rules}`;
const pgService = `apiVersion: v1
kind: Service
metadata: {name: pg, namespace: db}
spec:
  selector: {app: pg}
  ports: [{name: pg, port: 5432, targetPort: 5432}]`;

testRule(plat001, {
  valid: [
    { name: 'seed a corrected (everything at v1)', yaml: SEED_A_FIXED },
    { name: 'seed c corrected', yaml: 'file:test/fixtures/seeds/c-calico-tls-termination/corrected.yaml' },
    { name: 'TCPRoute v1', yaml: 'file:test/fixtures/scenarios/platform/gwtls-plat-001/valid-tcproute-v1.yaml' },
  ],
  invalid: [
    {
      name: 'seed a: TCPRoute v1alpha2 and the LBC objects at v1beta1',
      yaml: SEED_A,
      findings: [
        { object: 'TCPRoute default/myroute', message: /deprecated in Gateway API v1\.6.*external-dns/, severity: 'warning', fixes: 1 },
        { object: 'LoadBalancerConfiguration default/mygateway', message: /v3\.4 and older serve only v1beta1/, fixes: 0, suggestions: 1 },
        { object: 'TargetGroupConfiguration default/myroute', fixes: 1 },
      ],
    },
    {
      name: 'seed c: TCPRoute v1alpha2 on Calico, right for the Calico release of the seed',
      yaml: 'file:test/fixtures/seeds/c-calico-tls-termination/as-written.yaml',
      findings: [{ object: 'TCPRoute default/backend-ssl-offload', message: /Calico Enterprise v3\.21 lists TCPRoute v1alpha2 only, so v1alpha2 is right for that Calico release/, fixes: 1 }],
    },
    { name: 'seed c passthrough: TLSRoute v1alpha2', yaml: 'file:test/fixtures/seeds/c-calico-passthrough/as-written.yaml', findings: [{ object: 'TLSRoute default/tls-passthrough', message: /Gateway API v1\.5/, fixes: 1 }] },
    { name: 'seed b: BackendTLSPolicy v1alpha3', yaml: 'file:test/fixtures/seeds/b-backend-tls/policy-v1alpha3-missing-ca.yaml', findings: [{ object: 'BackendTLSPolicy apps/app-upstream-tls', message: /v1\.4/, fixes: 1 }] },
    {
      name: 'TCPRoute v1alpha2 with two rules cannot be converted (v1 allows one)',
      yaml: 'file:test/fixtures/scenarios/platform/gwtls-plat-001/invalid-tcproute-v1alpha2-with-two-rules-cannot-be-converted-v1-allows-one.yaml',
      findings: [{ object: 'TCPRoute db/pg-route', fixes: 0 }],
    },
    {
      name: 'TLSRoute v1alpha2 without hostnames takes the listener hostname (required from v1alpha3)',
      yaml: 'file:test/fixtures/scenarios/platform/gwtls-plat-001/invalid-tlsroute-v1alpha2-without-hostnames-takes-the-listener-hostname.yaml',
      findings: [{ object: 'TLSRoute db/t', fixes: 1 }],
    },
    {
      name: 'BackendTLSPolicy v1alpha2 is converted to the v1 shape',
      yaml: 'file:test/fixtures/scenarios/platform/gwtls-plat-001/invalid-backendtlspolicy-v1alpha2-is-converted-to-the-v1-shape.yaml',
      findings: [{ object: 'BackendTLSPolicy db/p', message: /removed in Gateway API v1\.1 \(v1alpha3 replaced it there/, fixes: 1 }],
    },
    {
      name: 'ReferenceGrant v1alpha2',
      yaml: 'file:test/fixtures/scenarios/platform/gwtls-plat-001/invalid-referencegrant-v1alpha2.yaml',
      findings: [{ object: 'ReferenceGrant db/g', fixes: 1 }],
    },
  ],
});

describe('GWTLS-PLAT-001 in a cluster', () => {
  it('reports writers that still use v1alpha2, from managedFields and last-applied', async () => {
    const route = `apiVersion: gateway.networking.k8s.io/v1
kind: TCPRoute
metadata:
  name: pg-route
  namespace: db
  annotations:
    kubectl.kubernetes.io/last-applied-configuration: '{"apiVersion":"gateway.networking.k8s.io/v1alpha2","kind":"TCPRoute"}'
  managedFields:
    - {manager: argocd-controller, operation: Apply, apiVersion: gateway.networking.k8s.io/v1alpha2}
    - {manager: gateway-api-controller, operation: Update, apiVersion: gateway.networking.k8s.io/v1, subresource: status}
spec:
  parentRefs: [{name: pg-gw}]
  rules: [{backendRefs: [{name: pg, port: 5432}]}]`;
    const findings = await inCluster([nlbClass(), nlbGateway(), route].join('\n---\n'), plat001, { TCPRoute: 'v1alpha2' });
    expect(findings).toHaveLength(1);
    expect(findings[0]!.message).toMatch(/argocd-controller.*kubectl apply/);
    const gone = await inCluster([nlbClass(), nlbGateway(), route].join('\n---\n'), plat001, { TCPRoute: 'v1' });
    expect(gone[0]!.message).toMatch(/Those writers fail once the version is no longer served/);
  });
});

testRule(plat002, {
  valid: [{ name: 'files carry no served versions', yaml: SEED_A }],
  invalid: [],
});

describe('GWTLS-PLAT-002 in a cluster', () => {
  const accepted = `status:
  conditions: [{type: Accepted, status: "True", reason: Accepted}]`;
  it('LBC v3.5 switches the NLB gateway off without the v1 kinds: error while the class is not accepted', async () => {
    const f = await inCluster([nlbClass(), nlbGateway(), tcpRoute('v1alpha2')].join('\n---\n'), plat002, { TCPRoute: 'v1alpha2', TLSRoute: 'v1alpha2', LoadBalancerConfiguration: 'v1beta1' }, ['UDPRoute']);
    expect(f.map((x) => [x.object.kind, x.severity])).toEqual([['GatewayClass', 'error']]);
    expect(f[0]!.message).toMatch(/loadbalancerconfigurations\.gateway\.k8s\.aws\/v1.*tcproutes\.gateway\.networking\.k8s\.io\/v1, udproutes/);
  });
  it('warns only, when the class is Accepted (an older controller runs)', async () => {
    const f = await inCluster([nlbClass(accepted), nlbGateway()].join('\n---\n'), plat002, { TCPRoute: 'v1alpha2' });
    expect(f.map((x) => x.severity)).toEqual(['warning']);
  });
  it('says nothing when every kind is served at v1', async () => {
    const kinds = { GatewayClass: 'v1', Gateway: 'v1', TLSRoute: 'v1', TCPRoute: 'v1', UDPRoute: 'v1', LoadBalancerConfiguration: 'v1', TargetGroupConfiguration: 'v1' };
    expect(await inCluster([nlbClass(), nlbGateway()].join('\n---\n'), plat002, kinds)).toEqual([]);
  });
  it('Envoy Gateway v1.9 skips TCPRoutes without v1', async () => {
    const gw = `apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: {name: pg-gw, namespace: db}
spec:
  gatewayClassName: eg
  listeners: [{name: tcp, protocol: TCP, port: 5432}]`;
    const f = await inCluster([egClass(), gw, tcpRoute('v1alpha2'), pgService].join('\n---\n'), plat002, { TCPRoute: 'v1alpha2' });
    expect(f.map((x) => [x.object.kind, x.severity])).toEqual([['Gateway', 'warning']]);
    expect(f[0]!.message).toMatch(/silently skip/);
  });
});

testRule(plat003, {
  valid: [
    { name: 'seed a corrected: class Accepted, parameters found', yaml: SEED_A_FIXED },
    { name: 'class without parameters', yaml: 'file:test/fixtures/scenarios/platform/gwtls-plat-003/valid-class-without-parameters.yaml' },
  ],
  invalid: [
    {
      name: 'seed a: parametersRef names whatever/mylbc, which does not exist; the only LoadBalancerConfiguration fits',
      yaml: SEED_A,
      findings: [{ object: 'GatewayClass nlb', message: /whatever\/mylbc, which does not exist.*NotFound/, field: 'spec.parametersRef', fixes: 0, suggestions: 1 }],
    },
    {
      name: 'parametersRef without namespace (InvalidParametersRef)',
      yaml: 'file:test/fixtures/scenarios/platform/gwtls-plat-003/invalid-parametersref-without-namespace-invalidparametersref.yaml',
      findings: [{ object: 'GatewayClass nlb', message: /InvalidParametersRef/, field: 'spec.parametersRef.namespace', fixes: 0, suggestions: 1 }],
    },
    {
      name: 'no fix when two LoadBalancerConfigurations could be meant',
      yaml: 'file:test/fixtures/scenarios/platform/gwtls-plat-003/invalid-no-fix-when-two-loadbalancerconfigurations-could-be-meant.yaml',
      findings: [{ object: 'GatewayClass nlb', fixes: 0 }],
    },
    {
      name: 'several LoadBalancerConfigurations, one beside the Gateway, unreferenced and fitting: a suggestion names it',
      yaml: 'file:test/fixtures/scenarios/platform/gwtls-plat-003/invalid-several-loadbalancerconfigurations-one-beside-the-gateway-unreferenced-and-fitting-a-suggestion-names-it.yaml',
      findings: [{ object: 'GatewayClass nlb', fixes: 0, suggestions: 1 }],
    },
    {
      name: 'no controller ever wrote status',
      yaml: 'file:test/fixtures/scenarios/platform/gwtls-plat-003/invalid-no-controller-ever-wrote-status.yaml',
      findings: [{ object: 'GatewayClass nlb', message: /no controller has claimed controllerName gateway\.k8s\.aws\/nlb.*CRD default/, fixes: 0 }],
    },
    {
      name: 'controller refuses the class',
      yaml: 'file:test/fixtures/scenarios/platform/gwtls-plat-003/invalid-controller-refuses-the-class.yaml',
      findings: [{ object: 'GatewayClass eg', message: /InvalidParameters: EnvoyProxy not found/ }],
    },
    {
      name: 'Gateway names a class that does not exist; the only one there is fits',
      yaml: 'file:test/fixtures/scenarios/platform/gwtls-plat-003/invalid-gateway-names-a-class-that-does-not-exist-the-only-one-there-is-fits.yaml',
      findings: [{ object: 'Gateway db/pg-gw', field: 'spec.gatewayClassName', fixes: 1 }],
    },
  ],
});

const acceptedTrue = `status:
  conditions: [{type: Accepted, status: "True", reason: Accepted}]`;

testRule(gw001, {
  valid: [
    { name: 'seed a corrected', yaml: SEED_A_FIXED },
    { name: 'no status in manifests', yaml: 'file:test/fixtures/scenarios/platform/gwtls-gw-001/valid-no-status-in-manifests.yaml' },
    { name: 'ListenersNotValid is explained per listener', yaml: 'file:test/fixtures/scenarios/platform/gwtls-gw-001/valid-listenersnotvalid-is-explained-per-listener.yaml' },
    { name: 'a class that is not accepted explains it (PLAT-003)', yaml: 'file:test/fixtures/scenarios/platform/gwtls-gw-001/valid-a-class-that-is-not-accepted-explains-it-plat-003.yaml' },
  ],
  invalid: [
    {
      name: 'controller rejects the Gateway',
      yaml: 'file:test/fixtures/scenarios/platform/gwtls-gw-001/invalid-controller-rejects-the-gateway.yaml',
      findings: [{ object: 'Gateway db/gw', message: /UnsupportedAddress: address 10\.0\.0\.1 not usable/ }],
    },
    {
      name: 'infrastructure.parametersRef names a LoadBalancerConfiguration that does not exist',
      yaml: 'file:test/fixtures/scenarios/platform/gwtls-gw-001/invalid-infrastructure-parametersref-names-a-loadbalancerconfiguration-that.yaml',
      findings: [{ object: 'Gateway db/pg-gw', field: 'spec.infrastructure.parametersRef', message: /db\/pg-cfg/ }],
    },
    {
      name: 'class accepted, Gateway still holds the CRD default',
      yaml: 'file:test/fixtures/scenarios/platform/gwtls-gw-001/invalid-class-accepted-gateway-still-holds-the-crd-default.yaml',
      findings: [{ object: 'Gateway db/pg-gw', message: /no controller ever wrote its status/ }],
    },
  ],
});

testRule(gw002, { valid: [{ name: 'files mode: no judgement of status', yaml: SEED_A_FIXED }], invalid: [] });

describe('GWTLS-GW-002 in a cluster', () => {
  const gw = (status: string) => `apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: {name: gw, namespace: db, generation: 1}
spec: {gatewayClassName: eg, listeners: [{name: tcp, protocol: TCP, port: 5432}]}
status:
${status}`;
  it('Envoy Gateway without a LoadBalancer address', async () => {
    const f = await inCluster([egClass(acceptedTrue), gw('  conditions:\n    - {type: Accepted, status: "True", reason: Accepted, observedGeneration: 1}\n    - {type: Programmed, status: "False", reason: AddressNotAssigned, message: No addresses have been assigned to the Gateway, observedGeneration: 1}')].join('\n---\n'), gw002, {});
    expect(f.map((x) => x.severity)).toEqual(['error']);
    expect(f[0]!.message).toMatch(/NodePort/);
  });
  it('the NLB still provisioning is a warning', async () => {
    const f = await inCluster([nlbClass(acceptedTrue), nlbGateway('', 'status:\n  conditions:\n    - {type: Accepted, status: "True", reason: Accepted, observedGeneration: 2}\n    - {type: Programmed, status: Unknown, reason: Pending, message: Waiting for load balancer to be active., observedGeneration: 2}')].join('\n---\n'), gw002, {});
    expect(f.map((x) => x.severity)).toEqual(['warning']);
    expect(f[0]!.message).toMatch(/still being provisioned/);
  });
  it('Programmed without an address', async () => {
    const f = await inCluster([egClass(acceptedTrue), gw('  conditions:\n    - {type: Accepted, status: "True", reason: Accepted, observedGeneration: 1}\n    - {type: Programmed, status: "True", reason: Programmed, observedGeneration: 1}')].join('\n---\n'), gw002, {});
    expect(f.map((x) => x.field)).toEqual(['status.addresses']);
  });
});

testRule(gw003, {
  valid: [
    { name: 'no events', yaml: 'file:test/fixtures/scenarios/platform/gwtls-gw-003/valid-no-events.yaml' },
    {
      name: 'the event is explained by a static finding (GWTLS-LBC-001)',
      yaml: 'file:test/fixtures/scenarios/platform/gwtls-gw-003/valid-the-event-is-explained-by-a-static-finding-gwtls-lbc-001.yaml',
    },
  ],
  invalid: [
    {
      name: 'an ACM error only the event tells',
      yaml: 'file:test/fixtures/scenarios/platform/gwtls-gw-003/invalid-an-acm-error-only-the-event-tells.yaml',
      findings: [{ object: 'Gateway db/pg-gw', message: /latest event says: CertificateNotFound.*GWTLS-LBC-012/ }],
    },
  ],
});

testRule(gw004, {
  valid: [{ name: 'seed a corrected: observedGeneration current', yaml: SEED_A_FIXED }],
  invalid: [
    {
      name: 'status written for generation 1, spec at 2',
      yaml: 'file:test/fixtures/scenarios/platform/gwtls-gw-004/invalid-status-written-for-generation-1-spec-at-2.yaml',
      findings: [{ object: 'Gateway db/pg-gw', message: /generation 2, but its status was written for generation 1/ }],
    },
  ],
});

/** A Gateway API CRD as `kubectl get crd -o yaml` shows its metadata (the schema does not matter to the rule). */
const crd = (plural: string, version?: string, channel?: string, group = 'gateway.networking.k8s.io') => `apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: ${plural}.${group}
${version ? `  annotations:\n    gateway.networking.k8s.io/bundle-version: ${version}\n${channel ? `    gateway.networking.k8s.io/channel: ${channel}\n` : ''}` : ''}spec: {group: ${group}, names: {plural: ${plural}}, scope: Namespaced, versions: []}`;

testRule(plat004, {
  valid: [
    { name: 'one bundle (v1.6.1 experimental) throughout', yaml: 'file:test/fixtures/scenarios/platform/gwtls-plat-004/valid-one-bundle-v1-6-1-experimental-throughout.yaml' },
    { name: 'CRDs without bundle annotations are not judged', yaml: 'file:test/fixtures/scenarios/platform/gwtls-plat-004/valid-crds-without-bundle-annotations-are-not-judged.yaml' },
    { name: 'other groups are not Gateway API bundles', yaml: 'file:test/fixtures/scenarios/platform/gwtls-plat-004/valid-other-groups-are-not-gateway-api-bundles.yaml' },
    { name: 'a single CRD', yaml: 'file:test/fixtures/scenarios/platform/gwtls-plat-004/valid-a-single-crd.yaml' },
  ],
  invalid: [
    {
      name: 'TLSRoute left over from v1.2 experimental next to v1.6 standard',
      yaml: 'file:test/fixtures/scenarios/platform/gwtls-plat-004/invalid-tlsroute-left-over-from-v1-2-experimental-next-to-v1-6-standard.yaml',
      findings: [
        {
          object: 'CustomResourceDefinition tlsroutes.gateway.networking.k8s.io',
          severity: 'warning',
          field: 'metadata.annotations[gateway.networking.k8s.io/bundle-version]',
          message: /v1\.2\.1 experimental, gateways\.gateway\.networking\.k8s\.io and 1 other Gateway API CRD from v1\.6\.1 standard.*download\/v1\.6\.1\/standard-install\.yaml$/,
          fixes: 0,
        },
      ],
    },
    {
      name: 'an upgrade that stopped half way: the Gateway CRD is the older one, the newest release is advised',
      yaml: 'file:test/fixtures/scenarios/platform/gwtls-plat-004/invalid-an-upgrade-that-stopped-half-way-the-gateway-crd-is-the-older-one-the.yaml',
      findings: [{ object: 'CustomResourceDefinition udproutes.gateway.networking.k8s.io', message: /from v1\.4\.1 experimental.*download\/v1\.6\.1\/experimental-install\.yaml$/ }],
    },
    {
      name: 'same release, Experimental TCPRoute beside Standard CRDs: information only',
      yaml: 'file:test/fixtures/scenarios/platform/gwtls-plat-004/invalid-same-release-experimental-tcproute-beside-standard-crds-information-only.yaml',
      findings: [{ object: 'CustomResourceDefinition tcproutes.gateway.networking.k8s.io', severity: 'info', field: 'metadata.annotations[gateway.networking.k8s.io/channel]', message: /safe-upgrades\.gateway\.networking\.k8s\.io/ }],
    },
    {
      name: 'no Gateway CRD in the input: the release most CRDs share is the reference',
      yaml: 'file:test/fixtures/scenarios/platform/gwtls-plat-004/invalid-no-gateway-crd-in-the-input-the-release-most-crds-share-is-the-reference.yaml',
      findings: [{ object: 'CustomResourceDefinition tlsroutes.gateway.networking.k8s.io', message: /grpcroutes\.gateway\.networking\.k8s\.io and 1 other Gateway API CRD from v1\.5\.0 standard/ }],
    },
  ],
});

describe('GWTLS-PLAT-004 in a cluster', () => {
  it('is skipped, naming the CRDs, when they cannot be listed', async () => {
    const { snapshot } = await loadManifests(['-'], 'default', async () => [crd('gateways', 'v1.6.1', 'standard'), crd('tlsroutes', 'v1.2.1', 'experimental')].join('\n---\n'));
    snapshot.setState('CustomResourceDefinition', { state: 'forbidden', detail: 'list customresourcedefinitions: forbidden' });
    const { findings, skipped } = runRules(buildModel(snapshot, { allNamespaces: true }, new Date(DEFAULT_NOW)), [plat004]);
    expect(findings).toEqual([]);
    expect(skipped).toEqual([{ what: 'rule GWTLS-PLAT-004', reason: 'forbidden', detail: 'needs customresourcedefinitions, which could not be read' }]);
  });
});
