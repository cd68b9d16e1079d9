// The cert-manager model: the gateway-shim's rules (cert-manager v1.21.2 sync.go, checked live against the real
// controller in test/e2e/cert-manager.test.ts), ACME solver choice and solver-route parentRefs, the issuance chain
// in the report (schema, text and UI, hostile strings), certificates without subject, and GWTLS-CM-005 against a
// real TLS server that keeps serving the previous certificate.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import * as yaml from 'js-yaml';
import { describe, expect, it } from 'vitest';
import { loadManifests } from '../../src/cluster/manifests.ts';
import { normalize } from '../../src/cluster/normalize.ts';
import { KINDS } from '../../src/cluster/kinds.ts';
import type { GatewayObject } from '../../src/cluster/objects.ts';
import type { AcmeSolver, CertificateObject } from '../../src/cluster/objects-cert-manager.ts';
import { effectiveParentRefs, pickSolver } from '../../src/graph/cert-manager-acme.ts';
import { shimPlan } from '../../src/graph/cert-manager-shim.ts';
import { buildModel } from '../../src/graph/model.ts';
import { probeModel } from '../../src/probe/inspect.ts';
import { buildReport } from '../../src/report/build.ts';
import { renderReport } from '../../src/report/text.ts';
import { runRules } from '../../src/rules/engine.ts';
import { ALL_RULES } from '../../src/rules/index.ts';
import { decodePemChain } from '../../src/tls/certificate.ts';
import { nodeLines } from '../../src/tui/describe.ts';
import { issuanceLines } from '../../src/tui/issuance.ts';
import { TreeModel } from '../../src/tui/tree.ts';
import { lineText } from '../../src/tui/lines.ts';
import { rawControl } from '../helpers/hostile.ts';
import { listScenarios, REPO_ROOT, scenarioText } from '../helpers/scenarios.ts';
import { key, makeCert, makePki } from '../helpers/tls-certs.ts';
import { startTlsServer } from '../helpers/tls-servers.ts';

function gateway(doc: string): GatewayObject {
  return normalize(yaml.load(doc) as Record<string, unknown>, KINDS.Gateway, 'default') as GatewayObject;
}

const plan = (doc: string, extra: string[] = []) => {
  const gw = gateway(doc);
  return shimPlan({ kind: 'Gateway', meta: gw.meta, listeners: gw.listeners }, extra);
};

describe('gateway-shim (cert-manager v1.21.2 pkg/controller/certificate-shim)', () => {
  it('does nothing without cert-manager.io/issuer or cluster-issuer', () => {
    const p = plan(`{apiVersion: gateway.networking.k8s.io/v1, kind: Gateway, metadata: {name: g, namespace: a, annotations: {kubernetes.io/tls-acme: "true"}}, spec: {listeners: [{name: h, protocol: HTTPS, port: 443, hostname: a.example.com, tls: {certificateRefs: [{name: s}]}}]}}`);
    expect(p.annotated).toBe(false);
    expect(p.certificates.size).toBe(0);
  });

  it('one Certificate per Secret, named after it, with the hostnames of every listener using it (de-duplicated) and the alt-names', () => {
    const p = plan(`
apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: {name: g, namespace: a, annotations: {cert-manager.io/cluster-issuer: le, cert-manager.io/alt-names: "x.example.com"}}
spec:
  listeners:
    - {name: one, protocol: HTTPS, port: 443, hostname: a.example.com, tls: {mode: Terminate, certificateRefs: [{name: shared}]}}
    - {name: two, protocol: TLS, port: 8443, hostname: b.example.com, tls: {mode: Terminate, certificateRefs: [{name: shared}, {name: own, namespace: a}]}}
    - {name: dup, protocol: HTTPS, port: 9443, hostname: a.example.com, tls: {mode: Terminate, certificateRefs: [{name: shared}]}}
    - {name: web, protocol: HTTP, port: 80}`);
    expect(p.issuer).toEqual({ ref: { name: 'le', kind: 'ClusterIssuer', group: 'cert-manager.io' }, from: 'cert-manager.io/cluster-issuer: le' });
    expect([...p.certificates.values()]).toEqual([
      { namespace: 'a', name: 'shared', dnsNames: ['a.example.com', 'b.example.com', 'x.example.com'], listeners: ['one', 'two', 'dup'] },
      { namespace: 'a', name: 'own', dnsNames: ['b.example.com', 'x.example.com'], listeners: ['two'] },
    ]);
    expect(p.listeners.find((l) => l.listener.name === 'web')).toMatchObject({ outcome: 'passed-over' });
  });

  it('skips listeners with the BadConfig text cert-manager writes, and passes over Passthrough, ignored and other protocols silently', () => {
    const p = plan(
      `
apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: {name: g, namespace: a, annotations: {cert-manager.io/issuer: ca, cert-manager.io/ignore-tls-listeners: "skipme, other"}}
spec:
  listeners:
    - {name: nohost, protocol: HTTPS, port: 443, tls: {mode: Terminate, certificateRefs: [{name: s1}]}}
    - {name: cross, protocol: HTTPS, port: 443, hostname: c.example.com, tls: {mode: Terminate, certificateRefs: [{name: s2, namespace: b}]}}
    - {name: kind, protocol: HTTPS, port: 443, hostname: k.example.com, tls: {mode: Terminate, certificateRefs: [{name: s3, kind: Certificate, group: cert-manager.io}]}}
    - {name: norefs, protocol: HTTPS, port: 443, hostname: n.example.com, tls: {mode: Terminate}}
    - {name: pass, protocol: TLS, port: 443, hostname: p.example.com, tls: {mode: Passthrough}}
    - {name: skipme, protocol: HTTPS, port: 443, hostname: s.example.com, tls: {mode: Terminate, certificateRefs: [{name: s4}]}}
    - {name: extra, protocol: QUIC, port: 443, hostname: q.example.com, tls: {mode: Terminate, certificateRefs: [{name: s5}]}}`,
      ['QUIC'],
    );
    const why = (n: string) => p.listeners.find((l) => l.listener.name === n)!;
    expect(why('nohost')).toEqual(expect.objectContaining({ outcome: 'skipped', why: 'Skipped a listener block: spec.listeners[0].hostname: Required value: the hostname cannot be empty' }));
    expect(why('cross')).toEqual(expect.objectContaining({ outcome: 'skipped', why: 'Skipped a listener block: spec.listeners[1].tls.certificateRef[0].namespace: Invalid value: "b": cross-namespace secret references are not allowed in listeners' }));
    expect(why('kind')).toEqual(expect.objectContaining({ outcome: 'skipped', why: expect.stringContaining('[spec.listeners[2].tls.certificateRef[0].group: Unsupported value: "cert-manager.io": supported values: "core", "", spec.listeners[2].tls.certificateRef[0].kind: Unsupported value: "Certificate"') }));
    expect(why('norefs')).toEqual(expect.objectContaining({ outcome: 'skipped', why: 'Skipped a listener block: spec.listeners[3].tls.certificateRef: Required value: listener has no certificateRefs' }));
    expect(why('pass')).toMatchObject({ outcome: 'passed-over' });
    expect(why('skipme')).toMatchObject({ outcome: 'passed-over' });
    expect(why('extra')).toMatchObject({ outcome: 'certificate' });
    expect([...p.certificates.keys()]).toEqual(['a/s5']);
  });

  it('refuses contradicting issuer annotations with the words of issuerForIngressLike', () => {
    expect(plan(`{kind: Gateway, metadata: {name: g, annotations: {cert-manager.io/issuer: a, cert-manager.io/cluster-issuer: b}}, spec: {}}`).issuerError).toBe(
      'Could not determine issuer for ingress due to bad annotations: both "cert-manager.io/issuer" and "cert-manager.io/cluster-issuer" may not be set',
    );
    expect(plan(`{kind: Gateway, metadata: {name: g, annotations: {cert-manager.io/cluster-issuer: b, cert-manager.io/issuer-kind: X}}, spec: {}}`).issuerError).toMatch(/both "cert-manager.io\/cluster-issuer" and "cert-manager.io\/issuer-kind" may not be set/);
    // issuer + issuer-kind/-group is how other kinds (and external issuers) are named.
    expect(plan(`{kind: Gateway, metadata: {name: g, annotations: {cert-manager.io/issuer: b, cert-manager.io/issuer-kind: AWSPCAClusterIssuer, cert-manager.io/issuer-group: awspca.cert-manager.io}}, spec: {}}`).issuer!.ref).toEqual({ name: 'b', kind: 'AWSPCAClusterIssuer', group: 'awspca.cert-manager.io' });
  });
});

describe('ACME solver choice (pkg/util/solverpicker Pick)', () => {
  const s = (index: number, type: AcmeSolver['type'], selector?: AcmeSolver['selector']): AcmeSolver => ({ index, type, parentRefs: [], ...(selector ? { selector } : {}) });
  const sel = (dnsNames: string[] = [], dnsZones: string[] = [], matchLabels: Record<string, string> = {}) => ({ dnsNames, dnsZones, matchLabels });

  it('prefers dnsNames over dnsZones, the longest zone, then the most labels; a solver without selector only when nothing else matches', () => {
    const solvers = [s(0, 'http01-gateway'), s(1, 'dns01', sel([], ['example.com'])), s(2, 'http01-gateway', sel([], ['shop.example.com'])), s(3, 'dns01', sel(['api.example.com']))];
    expect(pickSolver(solvers, 'other.org', {})!.index).toBe(0);
    expect(pickSolver(solvers, 'www.example.com', {})!.index).toBe(1);
    expect(pickSolver(solvers, 'a.shop.example.com', {})!.index).toBe(2);
    expect(pickSolver(solvers, 'api.example.com', {})!.index).toBe(3);
    expect(pickSolver([s(0, 'dns01', sel([], [], { team: 'a' })), s(1, 'http01-gateway', sel([], [], { team: 'a', env: 'prod' }))], 'x.example.com', { team: 'a', env: 'prod' })!.index).toBe(1);
    expect(pickSolver([s(0, 'http01-gateway', sel([], [], { team: 'b' }))], 'x.example.com', { team: 'a' })).toBeUndefined();
  });

  it('never gives a wildcard name to an HTTP-01 solver', () => {
    expect(pickSolver([s(0, 'http01-gateway'), s(1, 'dns01', sel([], ['example.com']))], '*.example.com', {})!.index).toBe(1);
    expect(pickSolver([s(0, 'http01-gateway')], '*.example.com', {})).toBeUndefined();
  });

  it("adds the shim's Gateway to the solver's parentRefs, replacing an issuer parentRef to the same Gateway", () => {
    const crt = { meta: { name: 'c', namespace: 'apps', labels: {}, annotations: { 'acme.cert-manager.io/http01-parentrefkind': 'Gateway', 'acme.cert-manager.io/http01-parentrefname': 'web' } } } as unknown as CertificateObject;
    const solver: AcmeSolver = { index: 0, type: 'http01-gateway', parentRefs: [{ group: 'gateway.networking.k8s.io', kind: 'Gateway', name: 'web', namespace: 'apps', sectionName: 'http' }, { group: 'gateway.networking.k8s.io', kind: 'Gateway', name: 'shared' }] };
    expect(effectiveParentRefs(solver, crt)).toEqual([
      { group: 'gateway.networking.k8s.io', kind: 'Gateway', name: 'shared', namespace: 'apps' },
      { group: 'gateway.networking.k8s.io', kind: 'Gateway', name: 'web', namespace: 'apps' },
    ]);
  });
});

describe('certificates without subject (cert-manager gateway-shim certificates have only SANs)', () => {
  it('decode with an empty subject and their SANs', () => {
    const pki = makePki('ec', 'CM');
    const leaf = makeCert({ cn: [], dns: ['shop.example.com'], issuer: pki.int, key: key('rsa', 'cm-empty-subject') });
    const chain = decodePemChain(leaf.pem, 'secret a/b', new Date());
    expect(chain.errors).toEqual([]);
    expect(chain.certs[0]!.cert).toMatchObject({ subject: '', sans: { dns: ['shop.example.com'] } });
  });
});

const cmScenarios = listScenarios().filter((s) => s.family === 'cert-manager');
const schema = JSON.parse(readFileSync(join(REPO_ROOT, 'docs/report.schema.json'), 'utf8')) as object;
const validate = new Ajv({ allErrors: true, strict: false }).compile(schema);

/** Every string value of every document prefixed with escape sequences a terminal would act on. */
function hostile(text: string): string {
  const bad = '\x1b]52;c;cm0gLXJmIH4=\x07\r\x1b[2K\u202e';
  const visit = (v: unknown, key: string): unknown => {
    if (typeof v === 'string') return ['apiVersion', 'kind', 'name', 'namespace', 'type', 'status', 'tls.crt', 'tls.key', 'ca.crt', 'secretName', 'protocol', 'mode', 'controllerName', 'uid', 'gatewayClassName', 'group'].includes(key) ? v : `${bad}${v}`;
    if (Array.isArray(v)) return v.map((x) => visit(x, key));
    if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, visit(x, k)]));
    return v;
  };
  return (yaml.loadAll(text) as unknown[]).map((d) => yaml.dump(visit(d, ''), { lineWidth: -1 })).join('---\n');
}

describe('the issuance chain in the report', () => {
  for (const s of cmScenarios) {
    it(`${s.path.split('/').slice(-2).join('/')}: valid JSON, and no raw control character in text or UI with hostile strings`, async () => {
      for (const text of [scenarioText(s), hostile(scenarioText(s))]) {
        const { snapshot, errors } = await loadManifests(['-'], 'default', async () => text);
        expect(errors).toEqual([]);
        const model = buildModel(snapshot, { allNamespaces: true }, new Date(s.now));
        const report = buildReport({ model, findings: runRules(model, ALL_RULES).findings, skipped: [] });
        expect(validate(JSON.parse(JSON.stringify(report))), JSON.stringify(validate.errors)).toBe(true);
        const issuance = report.gateways.flatMap((g) => g.listeners.flatMap((l) => l.tls?.issuance ?? []));
        expect(issuance.length, 'every cert-manager scenario has a chain').toBeGreaterThan(0);
        expect(rawControl(renderReport(report, { width: 100 }))).toBeNull();
        for (const i of issuance) expect(rawControl(issuanceLines(i, 80).map(lineText).join('\n'))).toBeNull();
      }
    });
  }
});

describe('the issuance chain in the UI', () => {
  it('the certificate row shows the chain and carries the findings on the Certificate and the Issuer', async () => {
    const s = cmScenarios.find((x) => x.path.endsWith('gwtls-cm-002/invalid-ca-issuer-without-its-ca-secret.yaml'))!;
    const { snapshot } = await loadManifests(['-'], 'default', async () => scenarioText(s));
    const model = buildModel(snapshot, { allNamespaces: true }, new Date(s.now));
    const report = buildReport({ model, findings: runRules(model, ALL_RULES).findings, skipped: [] });
    const tree = new TreeModel(report, { listView: false });
    const node = tree.node('c:eg|g:infra/gw|l:https|cert:Secret:infra/shop-tls')!;
    expect(node.objects).toEqual(expect.arrayContaining([{ kind: 'Certificate', namespace: 'infra', name: 'shop-tls' }, { kind: 'Issuer', namespace: 'infra', name: 'ca' }]));
    const t = nodeLines(tree, node, 100).map(lineText).join('\n').replace(/\n {2,}(?=[a-zA-Z("])/g, ' ');
    expect(t).toContain('issued by cert-manager Certificate infra/shop-tls via Issuer infra/ca: Ready=False, reason: DoesNotExist; cause: Issuer infra/ca is not Ready');
    expect(t).toMatch(/issuer\s+Issuer infra\/ca \(ca\): Ready=False: Error getting keypair for CA issuer/);
    expect(t).toMatch(/request\s+shop-tls-1: Ready=False \(Pending\): Referenced issuer does not have a Ready status condition/);
    expect(t).toContain('ERROR GWTLS-CM-002');
    expect(t).toContain('ERROR GWTLS-CM-003');
  });
});

describe('GWTLS-CM-005: the gateway still serves the certificate cert-manager replaced (inspect --probe, real TLS server)', () => {
  it('names the revision in the Secret and the older certificate served', async () => {
    const pki = makePki('rsa', 'CM005');
    const old = makeCert({ cn: [], dns: ['shop.example.com'], issuer: pki.int, key: key('rsa', 'cm005-old'), notBefore: new Date('2026-09-01T00:00:00Z'), notAfter: new Date('2026-12-01T00:00:00Z') });
    const renewed = makeCert({ cn: [], dns: ['shop.example.com'], issuer: pki.int, key: key('rsa', 'cm005-new'), notBefore: new Date('2026-11-01T00:00:00Z'), notAfter: new Date('2027-02-01T00:00:00Z') });
    const server = await startTlsServer({ cert: old.pem + pki.int.pem, key: old.key.keyPem });
    try {
      const b64 = (x: string) => Buffer.from(x).toString('base64');
      const docs = `
apiVersion: gateway.networking.k8s.io/v1
kind: GatewayClass
metadata: {name: eg}
spec: {controllerName: gateway.envoyproxy.io/gatewayclass-controller}
---
apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: {name: gw, namespace: infra, annotations: {cert-manager.io/cluster-issuer: ca}}
spec:
  gatewayClassName: eg
  listeners: [{name: https, protocol: HTTPS, port: ${server.port}, hostname: shop.example.com, tls: {mode: Terminate, certificateRefs: [{name: shop-tls}]}}]
status: {addresses: [{type: IPAddress, value: 127.0.0.1}]}
---
apiVersion: cert-manager.io/v1
kind: Certificate
metadata: {name: shop-tls, namespace: infra, ownerReferences: [{apiVersion: gateway.networking.k8s.io/v1, kind: Gateway, name: gw, uid: 00000000-0000-4000-8000-000000000001, controller: true}]}
spec: {secretName: shop-tls, dnsNames: [shop.example.com], issuerRef: {name: ca, kind: ClusterIssuer}}
status:
  conditions: [{type: Ready, status: "True", reason: Ready, message: Certificate is up to date and has not expired}]
  notBefore: "2026-11-01T00:00:00Z"
  notAfter: "2027-02-01T00:00:00Z"
  renewalTime: "2027-01-01T00:00:00Z"
  revision: 2
---
apiVersion: v1
kind: Secret
metadata: {name: shop-tls, namespace: infra, annotations: {cert-manager.io/certificate-name: shop-tls, cert-manager.io/issuer-name: ca, cert-manager.io/issuer-kind: ClusterIssuer}}
type: kubernetes.io/tls
data: {tls.crt: ${b64(renewed.pem + pki.int.pem)}, tls.key: ${b64(renewed.key.keyPem)}}
`;
      const { snapshot } = await loadManifests(['-'], 'default', async () => docs);
      const now = new Date('2026-11-22T00:00:00Z');
      const model = buildModel(snapshot, { allNamespaces: true }, now);
      const probes = await probeModel(model, { kc: null, now, timeoutMs: 5_000 });
      const codes = probes.findings.map((f) => f.code);
      expect(codes).toContain('GWTLS-CM-005');
      expect(codes).not.toContain('GWTLS-PRB-004');
      const f = probes.findings.find((x) => x.code === 'GWTLS-CM-005')!;
      expect(f.message).toMatch(/still serves the certificate issued 2026-09-01T00:00:00\.000Z .*but Secret infra\/shop-tls holds revision 2 of Certificate infra\/shop-tls, issued 2026-11-01T00:00:00\.000Z.*has not reloaded the Secret/);
      expect(f).toMatchObject({ severity: 'error', gateway: 'infra/gw', listener: 'https', object: { kind: 'Gateway', name: 'gw' } });

      // The same server with the renewed certificate: nothing to say.
      const fresh = await startTlsServer({ cert: renewed.pem + pki.int.pem, key: renewed.key.keyPem });
      try {
        const model2 = buildModel((await loadManifests(['-'], 'default', async () => docs.replace(`port: ${server.port}`, `port: ${fresh.port}`))).snapshot, { allNamespaces: true }, now);
        const probes2 = await probeModel(model2, { kc: null, now, timeoutMs: 5_000 });
        expect(probes2.findings.map((x) => x.code)).not.toContain('GWTLS-CM-005');
      } finally {
        await fresh.close();
      }
    } finally {
      await server.close();
    }
  });
});

describe('GWTLS-CM-002 when the Secret is not in the input', () => {
  const NOW = new Date('2026-11-22T00:00:00Z');
  const fixture = 'test/fixtures/scenarios/cert-manager/gwtls-cm-002/invalid-ca-issuer-without-its-ca-secret.yaml';

  async function cm002(reason: string, notAfter?: string) {
    type Doc = { kind?: string; status?: { conditions: Array<{ type: string; reason?: string }>; notBefore?: string; notAfter?: string } };
    const docs = (yaml.loadAll(readFileSync(join(REPO_ROOT, fixture), 'utf8')) as Doc[]).filter(Boolean);
    const crt = docs.find((d) => d.kind === 'Certificate')!;
    for (const c of crt.status!.conditions) if (c.type === 'Ready') c.reason = reason;
    if (notAfter) crt.status = { ...crt.status!, notBefore: '2026-09-01T00:00:00Z', notAfter };
    const { snapshot } = await loadManifests(['-'], 'default', async () => docs.map((d) => yaml.dump(d)).join('---\n'));
    const { findings } = runRules(buildModel(snapshot, { allNamespaces: true }, NOW), ALL_RULES);
    return findings.find((f) => f.code === 'GWTLS-CM-002')!;
  }

  it('is an error when cert-manager says the Secret is empty or expired, and when the last certificate has expired', async () => {
    for (const reason of ['DoesNotExist', 'MissingData', 'InvalidKeyPair', 'InvalidCertificate', 'Expired']) expect((await cm002(reason)).severity, reason).toBe('error');
    expect(await cm002('Failed', '2026-11-01T00:00:00Z')).toMatchObject({ severity: 'error', message: expect.stringMatching(/The Secret holds no usable certificate/) });
  });

  it('is a warning that says what is known otherwise: the last certificate still valid, or nothing', async () => {
    expect(await cm002('Failed', '2027-01-01T00:00:00Z')).toMatchObject({ severity: 'warning', message: expect.stringMatching(/Clients still get the previous certificate in the Secret until it expires \(2027-01-01T00:00:00Z, from the Certificate's status; Secret infra\/shop-tls could not be checked: no secrets in the input\)/) });
    expect(await cm002('Failed')).toMatchObject({ severity: 'warning', message: expect.stringMatching(/Whether the Secret still holds an older certificate is not known: Secret infra\/shop-tls could not be checked: no secrets in the input/) });
  });
});
