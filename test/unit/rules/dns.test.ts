import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { loadManifests } from '../../../src/cluster/manifests.ts';
import { buildModel } from '../../../src/graph/model.ts';
import { runRules } from '../../../src/rules/engine.ts';
import { dns002 } from '../../../src/rules/dns/dns-002-annotation-prefix.ts';
import { dns003 } from '../../../src/rules/dns/dns-003-tcproute-source-version.ts';
import { dns004 } from '../../../src/rules/dns/dns-004-missing-hostname.ts';
import type { Rule } from '../../../src/rules/types.ts';
import { analyse, applyFix, DEFAULT_NOW, testRule } from '../../helpers/rule-tester.ts';

const SEED_A = 'test/fixtures/seeds/a-nlb-acm/as-written.yaml';
const SEED_A_FIXED = 'test/fixtures/seeds/a-nlb-acm/corrected.yaml';

const egClass = `apiVersion: gateway.networking.k8s.io/v1
kind: GatewayClass
metadata: {name: eg}
spec: {controllerName: gateway.envoyproxy.io/gatewayclass-controller}`;
const gateway = `apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: {name: gw, namespace: db}
spec:
  gatewayClassName: eg
  listeners:
    - {name: pg, protocol: TLS, port: 5432, hostname: pg.example.com, tls: {mode: Terminate, certificateRefs: [{name: pg-tls}]}}
    - {name: mq, protocol: TLS, port: 5671, hostname: mq.example.com, tls: {mode: Terminate, certificateRefs: [{name: mq-tls}]}}`;
const route = (name: string, section: string, annotations = '', apiVersion = 'v1') => `apiVersion: gateway.networking.k8s.io/${apiVersion}
kind: TCPRoute
metadata:
  name: ${name}
  namespace: db
${annotations ? `  annotations: {${annotations}}\n` : ''}spec:
  parentRefs: [{name: gw, sectionName: ${section}}]
  rules: [{backendRefs: [{name: ${name}, port: 5432}]}]`;

// The DNS family is registered by the lead; until then the shared harness cannot see it when it re-analyses a
// fixed fixture, so these cases also check each fix against the rule itself.
async function fixesResolve(rule: Rule, yaml: string): Promise<void> {
  const before = await analyse(yaml, DEFAULT_NOW, [rule]);
  expect(before.length).toBeGreaterThan(0);
  for (const f of before) {
    for (const x of f.fixes.filter((y) => y.type === 'fix')) {
      const after = await analyse(applyFix(yaml, x.yaml), DEFAULT_NOW, [rule]);
      expect(after.map((a) => `${a.object.kind} ${a.object.name} ${a.field ?? ''}`)).not.toContain(`${f.object.kind} ${f.object.name} ${f.field ?? ''}`);
    }
  }
}

testRule(dns002, {
  valid: [{ name: 'both prefixes', yaml: 'file:test/fixtures/scenarios/dns/gwtls-dns-002/valid-both-prefixes.yaml' }],
  invalid: [
    { name: 'seed a: the alpha prefix only', yaml: `file:${SEED_A}`, findings: [{ object: 'TCPRoute default/myroute', severity: 'info', message: /v0\.21 and older \(v0\.22\.0 and later read external-dns\.kubernetes\.io\//, fixes: 1 }] },
    { name: 'seed a corrected: the new prefix only', yaml: `file:${SEED_A_FIXED}`, findings: [{ object: 'TCPRoute db/pg-route', message: /v0\.22\.0 and later only/, fixes: 1 }] },
  ],
});

testRule(dns003, {
  valid: [
    { name: 'no external-dns annotations', yaml: 'file:test/fixtures/scenarios/dns/gwtls-dns-003/valid-no-external-dns-annotations.yaml' },
    { name: 'still at v1alpha2 in a manifest (GWTLS-PLAT-001 speaks)', yaml: 'file:test/fixtures/scenarios/dns/gwtls-dns-003/valid-still-at-v1alpha2-in-a-manifest-gwtls-plat-001-speaks.yaml' },
  ],
  invalid: [{ name: 'seed a corrected: v1 TCPRoute with a hostname annotation', yaml: `file:${SEED_A_FIXED}`, findings: [{ object: 'TCPRoute db/pg-route', severity: 'info', message: /v1alpha2 only/ }] }],
});

describe('GWTLS-DNS-003 in a cluster', () => {
  it('warns when the cluster is known not to serve v1alpha2', async () => {
    const text = [egClass, gateway, route('pg', 'pg', '"external-dns.kubernetes.io/hostname": pg.example.com')].join('\n---\n');
    const { snapshot } = await loadManifests(['-'], 'default', async () => text);
    snapshot.source.type = 'cluster';
    (snapshot.source as { served?: Record<string, string[]> }).served = { TCPRoute: ['v1'] };
    const f = runRules(buildModel(snapshot, { allNamespaces: true }, new Date(DEFAULT_NOW)), [dns003]).findings;
    expect(f.map((x) => x.severity)).toEqual(['warning']);
  });
});

const twoRoutes = [egClass, gateway, route('pg', 'pg', '"external-dns.kubernetes.io/hostname": pg.example.com'), route('mq', 'mq')];
testRule(dns004, {
  valid: [
    { name: 'nobody uses external-dns annotations', yaml: 'file:test/fixtures/scenarios/dns/gwtls-dns-004/valid-nobody-uses-external-dns-annotations.yaml' },
    { name: 'seed a corrected', yaml: `file:${SEED_A_FIXED}` },
  ],
  invalid: [{ name: 'one of two TCPRoutes lacks the annotation', yaml: 'file:test/fixtures/scenarios/dns/gwtls-dns-004/invalid-one-of-two-tcproutes-lacks-the-annotation.yaml', findings: [{ object: 'TCPRoute db/mq', message: /no external-dns hostname annotation/, fixes: 1 }] }],
});

describe('DNS fixes resolve their findings', () => {
  it('GWTLS-DNS-002', async () => fixesResolve(dns002, readFileSync(SEED_A, 'utf8')));
  it('GWTLS-DNS-004', async () => fixesResolve(dns004, twoRoutes.join('\n---\n')));
});
