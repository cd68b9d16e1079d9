// cert-manager on a real API server, two ways:
// 1. the real controllers of cert-manager v1.21.2 (built from the module proxy into test/e2e/controlplane/cert-manager)
//    run against a control plane of this file: SelfSigned ClusterIssuer -> CA ClusterIssuer -> a Gateway annotated for
//    it -> a real Secret; a broken variant (an Issuer whose CA Secret is missing, a listener without hostname) whose
//    real failure the tool explains; and a renewal the "gateway" (a TLS server on loopback) does not pick up;
// 2. every cert-manager scenario file applied to the shared control plane with the status a controller would write,
//    and the GWTLS-CM findings from the cluster compared with those from the same file.
import { createServer, type Server } from 'node:tls';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as yaml from 'js-yaml';
import { KINDS } from '../../src/cluster/kinds.ts';
import { normalize } from '../../src/cluster/normalize.ts';
import type { GatewayObject } from '../../src/cluster/objects.ts';
import { shimPlan } from '../../src/graph/cert-manager-shim.ts';
import { listScenarios, REPO_ROOT, type Scenario } from '../helpers/scenarios.ts';
import { certManagerLog, startCertManager, type RunningCertManager } from './harness/cert-manager.ts';
import { ControlPlane } from './harness/controlplane.ts';
import { deleteNamespace, deleteObject, e2eEnv, getObject, restClient, runPlugin, setStatus, skipE2e, type ClusterTarget, type KubeObject } from './harness/kube.ts';
import { applyScenario } from './scenario.ts';

const env = e2eEnv();
const skipAll = skipE2e(env);
const skipReal = skipAll || !env.goAvailable;
if (!skipAll && !env.goAvailable) console.warn('[gwtls-e2e] SKIPPING the real cert-manager tests: they build cert-manager v1.21.2 from the Go module proxy and need Go (none found); the scenario-file tests still run');

interface Issuance {
  summary: string;
  secret: { namespace: string; name: string; exists: boolean | null; certificateNameAnnotation?: string; issuerAnnotation?: string };
  shim?: { issuer: string | null; outcome: string; why?: string; dnsNames?: string[] };
  certificate: { namespace: string; name: string; controller?: string; dnsNames: string[]; ready: { status: string; reason?: string } | null; renewalTime?: string; renewalDue: boolean; revision?: number } | null;
  issuer: { kind: string; name: string; state: string; type?: string; ready: { status: string; reason?: string; message?: string } | null } | null;
  request: { name: string; revision?: number; conditions: Array<{ type: string; status: string; reason?: string; message?: string }> } | null;
  cause: string | null;
}
interface Finding {
  code: string;
  severity: string;
  message: string;
  field?: string;
  object: { kind: string; name: string; namespace?: string };
  evidence: string[];
  fixes: Array<{ type: string; title: string }>;
}
interface Report {
  gateways: Array<{ name: string; listeners: Array<{ name: string; tls: { certificates: Array<{ subject: string; sans: { dns: string[] }; index?: number }>; issuance?: Issuance[] } | null; path: Array<{ why: string; ok: boolean | null }> }> }>;
  findings: Finding[];
}

async function inspect(args: string[], target: ClusterTarget & { env?: Record<string, string> } = {}): Promise<{ code: number; report: Report; stderr: string }> {
  const r = await runPlugin(['inspect', ...args, '-o', 'json'], { ...target, env: { NO_COLOR: '1', ...target.env }, timeoutMs: 90_000 });
  expect(r.stderr).not.toMatch(/^\s+at /m);
  return { code: r.code, report: JSON.parse(r.stdout) as Report, stderr: r.stderr };
}

async function waitFor<T>(what: string, fn: () => Promise<T | undefined>, timeoutMs: number, diagnose: () => string): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`${what} not reached after ${timeoutMs} ms\n${diagnose()}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

type Conditioned = KubeObject & { status?: { conditions?: Array<{ type: string; status: string; reason?: string; message?: string }>; revision?: number } };
const conditionOf = (o: Conditioned | undefined, type: string) => o?.status?.conditions?.find((c) => c.type === type);
const cmFindings = (r: Report) => r.findings.filter((f) => f.code.startsWith('GWTLS-CM-'));

describe.skipIf(skipReal)('real cert-manager v1.21.2 controllers (gateway-shim, certificates, CA and SelfSigned issuers)', () => {
  const cp = new ControlPlane();
  let cm: RunningCertManager;
  let target: ClusterTarget;
  const diagnose = () => `cert-manager log:\n${cm ? certManagerLog(cm) : '(not started)'}`;
  const gatewayClass: KubeObject = { apiVersion: 'gateway.networking.k8s.io/v1', kind: 'GatewayClass', metadata: { name: 'eg' }, spec: { controllerName: 'gateway.envoyproxy.io/gatewayclass-controller' } };

  beforeAll(async () => {
    await cp.start({ lbcCrds: false, envoyCrds: false });
    target = { kubeconfig: cp.kubeconfig };
    // The first run builds the wrapper (about 6 to 16 minutes on a busy 2-core machine); later runs use the cache.
    cm = await startCertManager(cp);
    console.log(`[cert-manager e2e] binary ${cm.binary.cached ? 'cached' : `built in ${cm.binary.buildSeconds.toFixed(0)} s`}; controllers started in ${cm.startSeconds.toFixed(1)} s`);
  }, 45 * 60_000);

  afterAll(async () => {
    await cp.stop();
  });

  it('SelfSigned ClusterIssuer -> CA ClusterIssuer -> annotated Gateway -> a real Secret, and the chain under the listener certificate', { timeout: 180_000 }, async () => {
    const client = cp.client();
    for (const o of [
      gatewayClass,
      { apiVersion: 'cert-manager.io/v1', kind: 'ClusterIssuer', metadata: { name: 'selfsigned' }, spec: { selfSigned: {} } },
      { apiVersion: 'cert-manager.io/v1', kind: 'Certificate', metadata: { name: 'root-ca', namespace: 'cert-manager' }, spec: { isCA: true, commonName: 'gwtls e2e root CA', secretName: 'root-ca', privateKey: { algorithm: 'ECDSA', size: 256 }, issuerRef: { name: 'selfsigned', kind: 'ClusterIssuer', group: 'cert-manager.io' } } },
      { apiVersion: 'cert-manager.io/v1', kind: 'ClusterIssuer', metadata: { name: 'ca' }, spec: { ca: { secretName: 'root-ca' } } },
      { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop' } },
      {
        apiVersion: 'gateway.networking.k8s.io/v1',
        kind: 'Gateway',
        metadata: { name: 'web', namespace: 'shop', annotations: { 'cert-manager.io/cluster-issuer': 'ca' } },
        spec: { gatewayClassName: 'eg', listeners: [{ name: 'https', protocol: 'HTTPS', port: 443, hostname: 'shop.example.com', tls: { mode: 'Terminate', certificateRefs: [{ name: 'shop-tls' }] } }] },
      },
    ] as KubeObject[]) {
      await client.apply(o);
    }
    const crt = await waitFor('Certificate shop/shop-tls Ready=True', async () => {
      const c = await getObject<Conditioned>({ apiVersion: 'cert-manager.io/v1', kind: 'Certificate', namespace: 'shop', name: 'shop-tls' }, target);
      return conditionOf(c, 'Ready')?.status === 'True' ? c : undefined;
    }, 90_000, diagnose);
    // Made by the real gateway-shim: controlled by the Gateway, dnsNames from the listener hostname.
    expect((crt.metadata as { ownerReferences?: Array<{ kind: string; name: string; controller?: boolean }> }).ownerReferences).toEqual([expect.objectContaining({ kind: 'Gateway', name: 'web', controller: true })]);
    expect((crt as { spec?: { dnsNames?: string[] } }).spec?.dnsNames).toEqual(['shop.example.com']);

    const { report } = await inspect(['web', '-n', 'shop'], target);
    const l = report.gateways[0]!.listeners[0]!;
    const i = l.tls!.issuance![0]!;
    expect(i.summary).toMatch(/^issued by cert-manager Certificate shop\/shop-tls via ClusterIssuer ca: Ready=True; renews \d{4}-\d\d-\d\dT/);
    expect(i.certificate).toMatchObject({ namespace: 'shop', name: 'shop-tls', controller: 'Gateway shop/web', dnsNames: ['shop.example.com'], renewalDue: false, revision: 1, ready: { status: 'True' } });
    expect(i.issuer).toMatchObject({ kind: 'ClusterIssuer', name: 'ca', state: 'found', type: 'ca', ready: { status: 'True', reason: 'KeyPairVerified' } });
    expect(i.request!.conditions).toContainEqual(expect.objectContaining({ type: 'Ready', status: 'True', reason: 'Issued' }));
    expect(i.secret).toMatchObject({ exists: true, certificateNameAnnotation: 'shop-tls', issuerAnnotation: 'ClusterIssuer ca' });
    expect(i.shim).toMatchObject({ issuer: 'cert-manager.io/cluster-issuer: ca', outcome: 'certificate', dnsNames: ['shop.example.com'] });
    // The shim's certificates have no subject, only the SAN: decoded, not "unparseable".
    const leaf = l.tls!.certificates.find((c) => c.index === 0)!;
    expect(leaf).toMatchObject({ subject: '', sans: { dns: ['shop.example.com'] } });
    expect(cmFindings(report)).toEqual([]);
    const text = await runPlugin(['inspect', 'web', '-n', 'shop', '-o', 'text'], { ...target, env: { NO_COLOR: '1' } });
    expect(text.stdout.replace(/\n\s+│\s+/g, ' ')).toMatch(/issued by cert-manager Certificate shop\/shop-tls via ClusterIssuer ca: Ready=True; renews /);

    // Without access to Secrets, the chain is still read (Certificates, requests, issuers are readable).
    const restricted = await inspect(['web', '-n', 'shop'], { ...target, context: cp.restrictedContext });
    expect(restricted.report.gateways[0]!.listeners[0]!.tls!.issuance![0]!.summary).toMatch(/via ClusterIssuer ca: Ready=True/);
  });

  it("the gateway-shim model predicts what the real gateway-shim does, Gateway by Gateway: Certificates and their dnsNames, BadConfig events", { timeout: 180_000 }, async () => {
    const ns = 'shimdiff';
    const client = cp.client();
    await client.apply({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } } as KubeObject);
    const https = (name: string, hostname: string | null, refs: Array<Record<string, string>>, extra: Record<string, unknown> = {}) => ({ name, protocol: 'HTTPS', port: 443, ...(hostname ? { hostname } : {}), tls: { mode: 'Terminate', certificateRefs: refs }, ...extra });
    const gw = (name: string, annotations: Record<string, string>, listeners: unknown[]): KubeObject => ({ apiVersion: 'gateway.networking.k8s.io/v1', kind: 'Gateway', metadata: { name, namespace: ns, annotations }, spec: { gatewayClassName: 'eg', listeners } }) as KubeObject;
    const ci = { 'cert-manager.io/cluster-issuer': 'ca' };
    const gateways = [
      gw('shared', ci, [https('a', 'a.example.com', [{ name: 's1' }]), { ...https('b', 'b.example.com', [{ name: 's1' }, { name: 's2' }]), port: 8443 }, { ...https('dup', 'a.example.com', [{ name: 's1' }]), port: 9443 }, { name: 'web', protocol: 'HTTP', port: 80 }]),
      gw('skips', ci, [https('nohost', null, [{ name: 's3' }]), { ...https('cross', 'c.example.com', [{ name: 's4', namespace: 'elsewhere' }]), port: 8443 }, { ...https('kind', 'k.example.com', [{ name: 's5', kind: 'Certificate', group: 'cert-manager.io' }]), port: 9443 }, { name: 'pass', protocol: 'TLS', port: 7443, hostname: 'p.example.com', tls: { mode: 'Passthrough' } }]),
      gw('ignored', { ...ci, 'cert-manager.io/ignore-tls-listeners': 'x' }, [https('x', 'x.example.com', [{ name: 's6' }]), { ...https('y', 'y.example.com', [{ name: 's7' }]), port: 8443 }]),
      gw('conflict', { ...ci, 'cert-manager.io/issuer': 'ca' }, [https('z', 'z.example.com', [{ name: 's8' }])]),
      gw('altnames', { ...ci, 'cert-manager.io/alt-names': 'extra.example.com' }, [https('w', 'w.example.com', [{ name: 's9' }])]),
    ];
    for (const g of gateways) await client.apply(g);
    const predicted = new Map<string, { certificates: Record<string, string[]>; events: string[] }>();
    for (const g of gateways) {
      const live = await getObject<KubeObject>({ apiVersion: 'gateway.networking.k8s.io/v1', kind: 'Gateway', namespace: ns, name: g.metadata.name }, target);
      const obj = normalize(live as unknown as Record<string, unknown>, KINDS.Gateway, ns) as GatewayObject;
      const plan = shimPlan({ kind: 'Gateway', meta: obj.meta, listeners: obj.listeners });
      predicted.set(g.metadata.name, {
        certificates: Object.fromEntries([...plan.certificates.values()].map((c) => [c.name, [...c.dnsNames].sort()])),
        events: [...(plan.issuerError ? [plan.issuerError] : []), ...plan.listeners.flatMap((l) => (l.outcome === 'skipped' ? [l.why] : []))].sort(),
      });
    }
    const observe = async () => {
      const certs = ((await client.call<{ items: Array<{ metadata: { name: string; ownerReferences?: Array<{ kind: string; name: string }> }; spec: { dnsNames?: string[] } }> }>('GET', `/apis/cert-manager.io/v1/namespaces/${ns}/certificates`)).items);
      const events = ((await client.call<{ items: Array<{ involvedObject: { kind: string; name: string }; reason: string; message: string }> }>('GET', `/api/v1/namespaces/${ns}/events`)).items);
      const out = new Map<string, { certificates: Record<string, string[]>; events: string[] }>();
      for (const g of gateways) {
        const name = g.metadata.name;
        out.set(name, {
          certificates: Object.fromEntries(certs.filter((c) => c.metadata.ownerReferences?.some((o) => o.kind === 'Gateway' && o.name === name)).map((c) => [c.metadata.name, [...(c.spec.dnsNames ?? [])].sort()])),
          events: [...new Set(events.filter((e) => e.involvedObject.kind === 'Gateway' && e.involvedObject.name === name && e.reason === 'BadConfig').map((e) => e.message))].sort(),
        });
      }
      return out;
    };
    // The shim reconciles each Gateway within a second or two; wait until it did what we predict, or time out and show both.
    let seen = await observe();
    const deadline = Date.now() + 45_000;
    while (JSON.stringify([...seen]) !== JSON.stringify([...predicted]) && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 500));
      seen = await observe();
    }
    // And nothing more arrives after a pause.
    await new Promise((r) => setTimeout(r, 3_000));
    seen = await observe();
    expect(Object.fromEntries(seen)).toEqual(Object.fromEntries(predicted));
    console.log(`[cert-manager e2e] gateway-shim: ${[...predicted.values()].reduce((n, p) => n + Object.keys(p.certificates).length, 0)} Certificates and ${[...predicted.values()].reduce((n, p) => n + p.events.length, 0)} BadConfig events predicted and observed on ${gateways.length} Gateways`);
  });

  it('an Issuer whose CA Secret is missing, and a listener without hostname: the tool explains what cert-manager reports', { timeout: 180_000 }, async () => {
    const client = cp.client();
    await client.apply({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'broken' } } as KubeObject);
    await client.apply({ apiVersion: 'cert-manager.io/v1', kind: 'Issuer', metadata: { name: 'ca', namespace: 'broken' }, spec: { ca: { secretName: 'missing-ca' } } } as KubeObject);
    await client.apply({
      apiVersion: 'gateway.networking.k8s.io/v1',
      kind: 'Gateway',
      metadata: { name: 'web', namespace: 'broken', annotations: { 'cert-manager.io/issuer': 'ca' } },
      spec: {
        gatewayClassName: 'eg',
        listeners: [
          { name: 'https', protocol: 'HTTPS', port: 443, hostname: 'broken.example.com', tls: { mode: 'Terminate', certificateRefs: [{ name: 'broken-tls' }] } },
          { name: 'nohost', protocol: 'HTTPS', port: 8443, tls: { mode: 'Terminate', certificateRefs: [{ name: 'nohost-tls' }] } },
        ],
      },
    } as KubeObject);
    // What cert-manager itself reports: the Issuer not Ready, the request Pending on it.
    const issuer = await waitFor('Issuer broken/ca Ready=False', async () => {
      const o = await getObject<Conditioned>({ apiVersion: 'cert-manager.io/v1', kind: 'Issuer', namespace: 'broken', name: 'ca' }, target);
      return conditionOf(o, 'Ready')?.status === 'False' ? o : undefined;
    }, 60_000, diagnose);
    expect(conditionOf(issuer, 'Ready')).toMatchObject({ reason: 'ErrGetKeyPair', message: 'Error getting keypair for CA issuer: secrets "missing-ca" not found' });
    await waitFor('CertificateRequest broken/broken-tls-1 Pending', async () => {
      const o = await getObject<Conditioned>({ apiVersion: 'cert-manager.io/v1', kind: 'CertificateRequest', namespace: 'broken', name: 'broken-tls-1' }, target);
      return conditionOf(o, 'Ready')?.reason === 'Pending' ? o : undefined;
    }, 60_000, diagnose);

    const { code, report } = await inspect(['web', '-n', 'broken'], target);
    expect(code).toBe(1);
    const byCode = (c: string) => cmFindings(report).filter((f) => f.code === c);
    expect(byCode('GWTLS-CM-002')).toEqual([
      expect.objectContaining({ severity: 'error', object: expect.objectContaining({ kind: 'Certificate', namespace: 'broken', name: 'broken-tls' }), message: expect.stringMatching(/is not Ready: DoesNotExist.*Cause: Issuer broken\/ca is not Ready \(ErrGetKeyPair\): Error getting keypair for CA issuer: secrets "missing-ca" not found/) }),
    ]);
    expect(byCode('GWTLS-CM-002')[0]!.evidence).toContainEqual(expect.stringMatching(/CertificateRequest broken\/broken-tls-1 \(revision 1\): Ready=False \(Pending\): Referenced issuer does not have a Ready status condition/));
    expect(byCode('GWTLS-CM-003')).toEqual([expect.objectContaining({ severity: 'error', object: expect.objectContaining({ kind: 'Issuer', name: 'ca' }), message: expect.stringMatching(/CA issuer signing with Secret missing-ca in namespace broken\) is not Ready: ErrGetKeyPair/) })]);
    // The shim's own BadConfig event is the evidence for the listener it skipped.
    const skipped = byCode('GWTLS-CM-001');
    expect(skipped).toEqual([expect.objectContaining({ field: 'spec.listeners[1].hostname', message: expect.stringMatching(/Skipped a listener block: spec\.listeners\[1\]\.hostname: Required value: the hostname cannot be empty/) })]);
    expect(skipped[0]!.evidence).toContainEqual(expect.stringMatching(/^event Warning BadConfig on Gateway broken\/web: Skipped a listener block: spec\.listeners\[1\]\.hostname: Required value/));
    const https = report.gateways[0]!.listeners.find((x) => x.name === 'https')!;
    expect(https.tls!.issuance![0]!.summary).toMatch(/via Issuer broken\/ca: Ready=False, reason: DoesNotExist; cause: Issuer broken\/ca is not Ready \(ErrGetKeyPair\)/);
    expect(https.path[0]!.why).toMatch(/no usable certificate: Secret broken\/broken-tls not found; issued by cert-manager Certificate/);

    // Creating the CA Secret repairs it: the same cert-manager then issues, and the findings go away.
    const root = await getObject<KubeObject & { data: Record<string, string> }>({ apiVersion: 'v1', kind: 'Secret', namespace: 'cert-manager', name: 'root-ca' }, target);
    expect(root, 'the first test created root-ca').toBeDefined();
    await client.apply({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'missing-ca', namespace: 'broken' }, type: 'kubernetes.io/tls', data: { 'tls.crt': root!.data['tls.crt']!, 'tls.key': root!.data['tls.key']! } } as KubeObject);
    await waitFor('Certificate broken/broken-tls Ready=True after the CA Secret exists', async () => {
      const c = await getObject<Conditioned>({ apiVersion: 'cert-manager.io/v1', kind: 'Certificate', namespace: 'broken', name: 'broken-tls' }, target);
      return conditionOf(c, 'Ready')?.status === 'True' ? c : undefined;
    }, 120_000, diagnose);
    const after = await inspect(['web', '-n', 'broken'], target);
    expect(cmFindings(after.report).map((f) => f.code)).toEqual(['GWTLS-CM-001']);
  });

  it('a renewal the gateway has not picked up: inspect --probe says the Secret holds a newer revision (GWTLS-CM-005)', { timeout: 180_000 }, async () => {
    const secretRef = { apiVersion: 'v1', kind: 'Secret', namespace: 'shop', name: 'shop-tls' };
    const before = await getObject<KubeObject & { data: Record<string, string> }>(secretRef, target);
    // The "gateway": a TLS server on loopback serving the Secret as it is now (revision 1), and never reloading it.
    const server: Server = createServer({ cert: Buffer.from(before!.data['tls.crt']!, 'base64'), key: Buffer.from(before!.data['tls.key']!, 'base64') }, (s) => s.end());
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as { port: number }).port;
    try {
      const client = cp.client();
      await client.apply({
        apiVersion: 'gateway.networking.k8s.io/v1',
        kind: 'Gateway',
        metadata: { name: 'web', namespace: 'shop', annotations: { 'cert-manager.io/cluster-issuer': 'ca' } },
        spec: { gatewayClassName: 'eg', listeners: [{ name: 'https', protocol: 'HTTPS', port, hostname: 'shop.example.com', tls: { mode: 'Terminate', certificateRefs: [{ name: 'shop-tls' }] } }] },
      } as KubeObject);
      await setStatus({ apiVersion: 'gateway.networking.k8s.io/v1', kind: 'Gateway', metadata: { name: 'web', namespace: 'shop' } }, { addresses: [{ type: 'IPAddress', value: '127.0.0.1' }] }, target);
      // What `cmctl renew` does: Issuing=True with reason ManuallyTriggered on the status subresource.
      const crtRef = { apiVersion: 'cert-manager.io/v1', kind: 'Certificate', metadata: { name: 'shop-tls', namespace: 'shop' } };
      const crt = await getObject<Conditioned>({ ...crtRef, namespace: 'shop', name: 'shop-tls' }, target);
      await setStatus(crtRef, { conditions: [...(crt!.status?.conditions ?? []).filter((c) => c.type !== 'Issuing'), { type: 'Issuing', status: 'True', reason: 'ManuallyTriggered', message: 'Certificate re-issuance manually triggered', lastTransitionTime: new Date().toISOString().replace(/\.\d+Z$/, 'Z') }] }, target);
      await waitFor('revision 2 of Certificate shop/shop-tls', async () => {
        const c = await getObject<Conditioned>({ ...crtRef, namespace: 'shop', name: 'shop-tls' }, target);
        return c?.status?.revision === 2 && conditionOf(c, 'Ready')?.status === 'True' ? c : undefined;
      }, 120_000, diagnose);
      const { report } = await inspect(['web', '-n', 'shop', '--probe'], target);
      const reload = report.findings.filter((f) => f.code === 'GWTLS-CM-005');
      expect(reload).toEqual([expect.objectContaining({ severity: 'error', message: expect.stringMatching(/still serves the certificate issued .*but Secret shop\/shop-tls holds revision 2 of Certificate shop\/shop-tls.*the gateway has not reloaded the Secret/) })]);
      expect(report.findings.map((f) => f.code)).not.toContain('GWTLS-PRB-004');
    } finally {
      server.close();
    }
  });
});

// ---------------------------------------------------------------------------------------------------------------
// Scenario files with controller-style status, on the shared control plane.

const GROUP_VERSIONS: Record<string, string> = { Certificate: 'cert-manager.io/v1', CertificateRequest: 'cert-manager.io/v1', Order: 'acme.cert-manager.io/v1', Gateway: 'gateway.networking.k8s.io/v1', ListenerSet: 'gateway.networking.k8s.io/v1' };

/** Objects of a scenario moved to `ns`, in owner order, with ownerReferences pointing at the real uids. */
async function applyWithOwners(docs: KubeObject[], ns: string): Promise<void> {
  const rank = (k: string) => ['Namespace', 'GatewayClass', 'ClusterIssuer', 'Issuer', 'Secret', 'Gateway', 'ListenerSet', 'Certificate', 'CertificateRequest', 'Order', 'Challenge'].indexOf(k);
  const sorted = [...docs].sort((a, b) => rank(a.kind) - rank(b.kind));
  for (const d of sorted) {
    const meta = d.metadata as KubeObject['metadata'] & { ownerReferences?: Array<{ kind: string; name: string; uid: string }> };
    for (const ref of meta.ownerReferences ?? []) {
      const owner = await getObject<KubeObject>({ apiVersion: GROUP_VERSIONS[ref.kind] ?? 'v1', kind: ref.kind, namespace: ns, name: ref.name });
      const uid = (owner?.metadata as { uid?: string } | undefined)?.uid;
      if (uid) ref.uid = uid;
    }
    await applyScenario([d]);
  }
}

function relocated(s: Scenario, ns: string): KubeObject[] {
  const text = readFileSync(join(REPO_ROOT, s.path), 'utf8').replaceAll('namespace: infra', `namespace: ${ns}`);
  return (yaml.loadAll(text) as KubeObject[])
    .filter((d) => d && typeof d === 'object')
    .map((d) => {
      const o = structuredClone(d);
      if (o.kind === 'Namespace' && o.metadata.name === 'infra') o.metadata.name = ns;
      delete (o.metadata as Record<string, unknown>).generation;
      return o;
    });
}

describe.skipIf(skipAll)('cert-manager scenario files with controller-style status: the cluster gives the findings the files give', () => {
  const scenarios = listScenarios().filter((s) => s.family === 'cert-manager');
  const suffix = Date.now().toString(36);
  const namespaces: string[] = [];
  // Cluster-scoped objects the scenarios create: removed afterwards unless they were there before (other files use them).
  const clusterScoped = [
    { apiVersion: 'gateway.networking.k8s.io/v1', kind: 'GatewayClass', name: 'eg' },
    { apiVersion: 'cert-manager.io/v1', kind: 'ClusterIssuer', name: 'internal-ca' },
    { apiVersion: 'cert-manager.io/v1', kind: 'ClusterIssuer', name: 'letsencrypt' },
  ];
  const existed = new Set<string>();

  beforeAll(async () => {
    for (const ref of clusterScoped) if (await getObject(ref)) existed.add(`${ref.kind}/${ref.name}`);
  });

  afterAll(async () => {
    for (const ns of namespaces) await deleteNamespace(ns);
    for (const ref of clusterScoped) if (!existed.has(`${ref.kind}/${ref.name}`)) await deleteObject(ref).catch(() => undefined);
  }, 300_000);

  it('serves the cert-manager v1.21.2 CRDs', async () => {
    const served = await restClient().apiResources('cert-manager.io/v1');
    expect(served.filter((r) => !r.name.includes('/')).map((r) => r.kind).filter((k) => ['Certificate', 'CertificateRequest', 'Issuer', 'ClusterIssuer'].includes(k)).sort()).toEqual(['Certificate', 'CertificateRequest', 'ClusterIssuer', 'Issuer']);
  });

  for (const [i, s] of scenarios.entries()) {
    it(`${s.path.split('/').slice(-2).join('/')}`, { timeout: 120_000 }, async () => {
      const ns = `cm-${suffix}-${i}`;
      namespaces.push(ns);
      await applyWithOwners(relocated(s, ns), ns);
      const live = await inspect(['-n', ns], { env: { GWTLS_NOW: s.now } });
      const files = await runPlugin(['inspect', '-f', join(REPO_ROOT, s.path), '-o', 'json'], { env: { GWTLS_NOW: s.now, NO_COLOR: '1' } });
      const fromFiles = JSON.parse(files.stdout) as Report;
      const key = (f: Finding) => `${f.code} ${f.severity} ${f.object.kind} ${f.object.name} ${f.field ?? ''}`;
      const liveKeys = cmFindings(live.report).map(key).sort();
      expect(liveKeys).toEqual(cmFindings(fromFiles).map(key).sort());
      const own = cmFindings(live.report).filter((f) => f.code === s.code);
      if (s.expect === 'valid') expect(own).toEqual([]);
      else expect(own.length).toBeGreaterThan(0);
    });
  }
});
