// Hostile input against the fix plan: a tenant's objects cannot make the tool grant access across a namespace
// boundary, and no string from the input can add a document to the --fix stream or reach it raw.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as yaml from 'js-yaml';
import { describe, expect, it } from 'vitest';
import { loadManifests } from '../../../src/cluster/manifests.ts';
import { makeEvaluator } from '../../../src/fixes/evaluator.ts';
import { chooseFixes, preparePlan } from '../../../src/fixes/flow.ts';
import { fixStream } from '../../../src/fixes/render.ts';
import { buildModel } from '../../../src/graph/model.ts';
import { hasUnsafe } from '../../../src/report/sanitize.ts';
import { runRules } from '../../../src/rules/engine.ts';
import { ALL_RULES } from '../../../src/rules/index.ts';
import { issue, tlsSecret } from '../../helpers/certs.ts';
import { REPO_ROOT } from '../../helpers/scenarios.ts';

type Raw = Record<string, unknown>;
const NOW = '2026-11-22T00:00:00Z';

async function plan(text: string) {
  const { snapshot, errors } = await loadManifests(['-'], 'default', async () => text);
  expect(errors).toEqual([]);
  const scope = { allNamespaces: true };
  const model = buildModel(snapshot, scope, new Date(NOW));
  const findings = runRules(model, ALL_RULES).findings;
  const { chosen, suggestions } = chooseFixes(findings);
  const ready = await preparePlan(chosen, suggestions, { evaluate: makeEvaluator(snapshot, scope, new Date(NOW), { defaultNamespace: 'default' }), defaultNamespace: 'default', sender: 'kubectl' });
  return { findings, ready, stream: fixStream(ready.plan, ready.outcome, ready.suggestions) };
}

const wildcard = issue({ dns: ['*.example.com'], notBefore: new Date('2026-01-01'), notAfter: new Date('2027-06-01') });
const tenant = [readFileSync(join(REPO_ROOT, 'test/fixtures/hostile/tenant.yaml'), 'utf8'), yaml.dump(tlsSecret('wildcard-tls', 'infra', wildcard.certPem, wildcard.keyPem))].join('---\n');

describe('a tenant asking for access it does not have', () => {
  it('gets every grant as a suggestion marked as widening access, and the plan changes nothing outside its namespace', async () => {
    const { findings, ready } = await plan(tenant);
    const offered = findings.flatMap((f) => f.fixes.map((x) => ({ code: f.code, fix: x })));
    const grants = offered.filter((o) => o.fix.widensAccess);
    // A ReferenceGrant into kube-system and into infra, and a wider allowedRoutes on the shared Gateway.
    expect(grants.map((g) => g.code).sort()).toEqual(['GWTLS-BE-003', 'GWTLS-LSN-006', 'GWTLS-RT-006']);
    for (const g of grants) expect(g.fix.type).toBe('suggestion');
    expect(grants.find((g) => g.code === 'GWTLS-BE-003')!.fix.grants!.join(' ')).toMatch(/creates ReferenceGrant kube-system\/.* in namespace kube-system/);
    expect(grants.find((g) => g.code === 'GWTLS-RT-006')!.fix.grants!.join(' ')).toMatch(/Gateway infra\/shared-gw listener https would admit routes from more namespaces \(Same -> /);
    const touched = ready.plan.changes.map((c) => c.ref.namespace ?? '');
    expect(touched.filter((ns) => ns !== 'team-b')).toEqual([]);
    expect(ready.suggestions.filter((s) => s.fix.widensAccess)).toHaveLength(3);
  });

  it('does not let a safe-looking fix of one namespace change another namespace\'s object', async () => {
    // The tenant's TCPRoute on the shared HTTPS listener: the fix that would turn infra's listener into TLS is infra's to make.
    const route = `---
apiVersion: gateway.networking.k8s.io/v1
kind: TCPRoute
metadata: {name: tenant-db, namespace: team-b}
spec:
  parentRefs: [{name: shared-gw, namespace: infra}]
  rules: [{backendRefs: [{name: db, port: 5432}]}]`;
    const { findings } = await plan(tenant + route);
    const rt003 = findings.filter((f) => f.code === 'GWTLS-RT-003' && f.object.name === 'tenant-db');
    expect(rt003).toHaveLength(1);
    for (const fix of rt003[0]!.fixes) {
      expect(fix.type).toBe('suggestion');
      expect(fix.note).toMatch(/changes Gateway infra\/shared-gw at the request of TCPRoute team-b\/tenant-db, another namespace/);
    }
  });
});

/** A small deterministic generator (mulberry32), so a failure names a seed that reproduces it. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const HOSTILE = ['\n---\nkind: ClusterRoleBinding\nmetadata: {name: pwn}\n---\n#', '\x1b]52;c;cm0gLXJmIH4=\x07', '\x1b[2J', '\r', '\n', '\u2028', '\u202e', '# x', '\n#', '\x00', '\x9b31m', '---', '"', "'", '\\', '{', '*', '&a', '!!binary'];

function mutate(doc: unknown, r: () => number, path = ''): unknown {
  if (typeof doc === 'string') {
    if (r() > 0.3) return doc;
    const bad = HOSTILE[Math.floor(r() * HOSTILE.length)]!;
    const at = Math.floor(r() * (doc.length + 1));
    return doc.slice(0, at) + bad + doc.slice(at);
  }
  if (Array.isArray(doc)) return doc.map((x, i) => mutate(x, r, `${path}[${i}]`));
  if (doc && typeof doc === 'object') {
    const out: Raw = {};
    for (const [k, v] of Object.entries(doc)) out[k] = ['apiVersion', 'kind', 'data', 'stringData'].includes(k) ? v : mutate(v, r, `${path}.${k}`);
    return out;
  }
  return doc;
}

describe('the --fix stream with control characters and YAML in every string of the seeds', () => {
  const seeds = ['a-nlb-acm/as-written.yaml', 'c-calico-tls-termination/as-written.yaml', 'c-calico-passthrough/as-written.yaml', 'b-backend-tls/policy-v1alpha3-missing-ca.yaml', 'b-backend-tls/no-policy.yaml'];
  for (const seed of seeds) {
    it(`${seed}: parses to exactly the documents the plan names, and holds no raw control character`, async () => {
      const docs = yaml.loadAll(readFileSync(join(REPO_ROOT, 'test/fixtures/seeds', seed), 'utf8'));
      for (let n = 1; n <= 12; n++) {
        const r = rng(n * 7919 + seed.length);
        const text = docs.map((d) => yaml.dump(mutate(d, r), { noRefs: true, lineWidth: -1 })).join('---\n');
        const { snapshot, errors } = await loadManifests(['-'], 'default', async () => text);
        if (errors.length) continue; // a mutated name the loader refuses is its own one-line error
        const scope = { allNamespaces: true };
        const findings = runRules(buildModel(snapshot, scope, new Date(NOW)), ALL_RULES).findings;
        const { chosen, suggestions } = chooseFixes(findings);
        const ready = await preparePlan(chosen, suggestions, { evaluate: makeEvaluator(snapshot, scope, new Date(NOW), { defaultNamespace: 'default' }), defaultNamespace: 'default', sender: 'kubectl' });
        const stream = fixStream(ready.plan, ready.outcome, ready.suggestions);
        const where = `${seed} mutation ${n}`;
        const parsed = yaml.loadAll(stream).filter((d) => d !== null && d !== undefined);
        expect(parsed, where).toEqual(ready.plan.changes.filter((c) => !c.error).map((c) => c.config));
        for (const line of stream.split('\n')) {
          expect(hasUnsafe(line), `${where}: ${JSON.stringify(line)}`).toBe(false);
          if (!line.startsWith('#') && line !== '---' && line !== '') expect(parsed.length, `${where}: a line outside the plan's documents: ${JSON.stringify(line)}`).toBeGreaterThan(0);
        }
        expect(stream).not.toMatch(/^kind: ClusterRoleBinding/m);
      }
    });
  }
});
