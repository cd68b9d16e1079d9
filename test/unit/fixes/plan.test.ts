// Every fix builder, through the plan: over every scenario file and seed, each fix is planned together with a
// second change to the same object, and the plan must (1) hold one configuration per object, (2) keep what the
// fix changes and what the second change adds, (3) lose no field of the object that no fix names, and (4) in a
// later plan, carry the fields kubectl-gwtls took over, so a server-side apply by the same manager removes
// nothing. The in-memory server-side apply (merge.ts) plays the API server; the e2e test does it for real.
import { readdirSync, readFileSync as readFile } from 'node:fs';
import { join } from 'node:path';
import * as yaml from 'js-yaml';
import { describe, expect, it } from 'vitest';
import { loadManifests } from '../../../src/cluster/manifests.ts';
import { makeEvaluator } from '../../../src/fixes/evaluator.ts';
import { decode, displayPath, fieldsOf, isUnder, valueAt } from '../../../src/fixes/fields.ts';
import { settlePlan } from '../../../src/fixes/evaluate.ts';
import { applyConfigurations, deepEqual } from '../../../src/fixes/merge.ts';
import { composePlan, FIELD_MANAGER, type ChosenFix } from '../../../src/fixes/plan.ts';
import { parseDocuments } from '../../../src/fixes/yaml.ts';
import { buildModel } from '../../../src/graph/model.ts';
import type { Finding, Fix } from '../../../src/report/types.ts';
import { runRules } from '../../../src/rules/engine.ts';
import { ALL_RULES } from '../../../src/rules/index.ts';
import { listScenarios, REPO_ROOT, scenarioText } from '../../helpers/scenarios.ts';

type Raw = Record<string, unknown>;

const SEEDS = 'test/fixtures/seeds';
const seedFiles = readdirSync(join(REPO_ROOT, SEEDS), { recursive: true, encoding: 'utf8' })
  .filter((f) => f.endsWith('.yaml'))
  .map((f) => ({ path: `${SEEDS}/${f}`, now: '2026-11-22T00:00:00Z', text: () => readFile(join(REPO_ROOT, SEEDS, f), 'utf8') }));
const inputs = [...listScenarios().map((s) => ({ path: s.path, now: s.now, text: () => scenarioText(s) })), ...seedFiles];

async function analysis(text: string, now: string) {
  const { snapshot, errors } = await loadManifests(['-'], 'default', async () => text);
  expect(errors).toEqual([]);
  const scope = { allNamespaces: true };
  const at = new Date(now);
  const model = buildModel(snapshot, scope, at);
  const evaluate = makeEvaluator(snapshot, scope, at, { defaultNamespace: 'default' });
  return { snapshot, model, findings: runRules(model, ALL_RULES).findings, evaluate };
}

const idOf = (d: Raw) => {
  const m = (d.metadata ?? {}) as Raw;
  return `${String(d.kind)}|${String(m.namespace ?? 'default')}|${String(m.name)}`;
};

/** A second, harmless change to the object a fix changes: one annotation. */
function annotationFix(doc: Raw, finding: Finding): ChosenFix {
  const m = (doc.metadata ?? {}) as Raw;
  const metadata: Raw = { name: m.name, annotations: { 'gwtls.dev/plan-test': 'second change' } };
  if (m.namespace) metadata.namespace = m.namespace;
  const fix: Fix = { title: 'annotate it', type: 'fix', yaml: yaml.dump({ apiVersion: doc.apiVersion, kind: doc.kind, metadata }) };
  return { finding, fix };
}

/** Objects of the input by id, as the API server would hold them (namespace filled in). */
function objectsOf(text: string): Map<string, Raw> {
  const out = new Map<string, Raw>();
  for (const d of parseDocuments(text)) {
    const m = { ...((d.metadata ?? {}) as Raw) };
    if (!m.namespace && !['GatewayClass', 'Namespace'].includes(String(d.kind))) m.namespace = 'default';
    out.set(idOf(d), { ...d, metadata: m });
  }
  return out;
}

/** Every leaf an object has that a set of configurations does not name (at or below, or above a keyed item). */
function fieldsNotNamed(obj: Raw, named: Raw[]): string[][] {
  const kind = String(obj.kind);
  const namedPaths = named.flatMap((c) => [...fieldsOf(c, kind)].map(decode));
  return [...fieldsOf(obj, kind)].map(decode).filter((f) => !namedPaths.some((n) => isUnder(f, n) || isUnder(n, f)));
}

describe('every fix builder, planned with a second change to the same object', () => {
  for (const input of inputs) {
    it(input.path, async () => {
      const text = input.text();
      const a = await analysis(text, input.now);
      const fixes = a.findings.flatMap((finding) => finding.fixes.filter((f) => !f.gaps?.length).map((fix) => ({ finding, fix })));
      const original = objectsOf(text);
      for (const chosen of fixes) {
        const docs = parseDocuments(chosen.fix.yaml);
        const second = annotationFix(docs[0]!, chosen.finding);
        const plan = composePlan([chosen, second], a.snapshot, { defaultNamespace: 'default' });
        const what = `${chosen.finding.code} "${chosen.fix.title}"`;
        expect(plan.fixes.map((f) => f.status), `${what}: ${plan.fixes.map((f) => f.reason).join('; ')}`).toEqual(['planned', 'planned']);
        // (1) one configuration per object
        const ids = plan.changes.map((c) => c.id);
        expect(new Set(ids).size, what).toBe(ids.length);
        expect(plan.changes.filter((c) => c.fixes.includes(1))).toHaveLength(1);
        // (2) and (3): applied once, the configurations give what the fix alone gives, plus the annotation, and drop nothing
        const alone = applyConfigurations([...original.values()], docs);
        const once = applyConfigurations([...original.values()], plan.changes.map((c) => c.config));
        for (const c of plan.changes) {
          const key = idOf(c.config);
          const got = once.find((o) => idOf(o) === key)!;
          const want = alone.find((o) => idOf(o) === key)!;
          for (const f of fieldsOf(want, c.ref.kind)) {
            if (decode(f)[0] === 'f:metadata' && decode(f)[1] === 'f:managedFields') continue;
            expect(valueAt(got, c.ref.kind, decode(f)), `${what}: ${c.id} ${displayPath(decode(f))}`).toEqual(valueAt(want, c.ref.kind, decode(f)));
          }
          const before = original.get(key);
          if (before) {
            const lost = fieldsNotNamed(before, docs).filter((f) => valueAt(got, c.ref.kind, f) === undefined);
            expect(lost.map(displayPath), `${what}: ${c.id} lost fields no fix names`).toEqual([]);
          }
        }
        const annotated = once.find((o) => idOf(o) === idOf(docs[0]!))!;
        expect(((annotated.metadata as Raw).annotations as Raw)['gwtls.dev/plan-test'], what).toBe('second change');
        // (4) a later plan by the same manager carries what it owns: nothing the first plan set goes away
        const later = await analysis(once.map((o) => yaml.dump(o, { noRefs: true })).join('---\n'), input.now);
        const third = annotationFix(docs[0]!, chosen.finding);
        third.fix = { ...third.fix, yaml: third.fix.yaml.replace('second change', 'third change') };
        const next = composePlan([third], later.snapshot, { defaultNamespace: 'default' });
        const twice = applyConfigurations(once, next.changes.map((c) => c.config));
        for (const c of plan.changes) {
          const key = idOf(c.config);
          const first = once.find((o) => idOf(o) === key)!;
          const again = twice.find((o) => idOf(o) === key)!;
          const owned = ((first.metadata as Raw).managedFields as Raw[]).find((m) => m.manager === FIELD_MANAGER);
          if (!owned) continue;
          for (const f of fieldsOf(c.config, c.ref.kind)) {
            if (decode(f)[0] === 'f:metadata') continue;
            expect(deepEqual(valueAt(again, c.ref.kind, decode(f)), valueAt(first, c.ref.kind, decode(f))), `${what}: ${c.id} ${displayPath(decode(f))} survives a later plan`).toBe(true);
          }
        }
      }
    });
  }
});

describe('the plan of seed (a) as written, with every safe fix', () => {
  it('keeps the parentRef fix when the annotation fix and the v1 rewrite of the same TCPRoute follow it', async () => {
    const text = readFile(join(REPO_ROOT, SEEDS, 'a-nlb-acm/as-written.yaml'), 'utf8');
    const a = await analysis(text, '2026-11-22T00:00:00Z');
    const chosen = a.findings.flatMap((finding) => finding.fixes.filter((f) => f.type === 'fix').map((fix) => ({ finding, fix })));
    expect(chosen.map((c) => c.finding.code)).toEqual(expect.arrayContaining(['GWTLS-RT-001', 'GWTLS-DNS-002', 'GWTLS-PLAT-001']));
    const { plan, outcome } = settlePlan(chosen, a.evaluate, { findings: a.findings, model: a.model }, { defaultNamespace: 'default', sender: 'kubectl' });
    const route = plan.changes.filter((c) => c.id === 'TCPRoute default/myroute');
    expect(route).toHaveLength(1);
    expect(route[0]!.migration).toEqual({ from: 'v1alpha2', to: 'v1' });
    expect((route[0]!.config.spec as Raw).parentRefs).toEqual([{ name: 'mygateway', sectionName: 'mylistener', namespace: 'default' }]);
    expect(((route[0]!.config.metadata as Raw).annotations as Raw)['external-dns.kubernetes.io/hostname']).toBe('myroute.my-domain.com');
    expect(outcome.findings.filter((f) => f.state === 'added' && f.severity !== 'info')).toEqual([]);
    expect(outcome.findings.filter((f) => f.code === 'GWTLS-RT-001').map((f) => f.state)).toEqual(['fixed']);
    // The placeholder ARN is never written by a fix: the LoadBalancerConfiguration rewrite is a suggestion.
    expect(plan.changes.map((c) => c.id)).not.toContain('LoadBalancerConfiguration default/mygateway');
  });

  it('refuses a fix whose outcome adds an error, and says which', async () => {
    const text = readFile(join(REPO_ROOT, SEEDS, 'c-calico-tls-termination/as-written.yaml'), 'utf8');
    const a = await analysis(text, '2026-11-22T00:00:00Z');
    const rt003 = a.findings.find((f) => f.code === 'GWTLS-RT-003')!;
    const breaking: Fix = { title: 'drop the certificate', type: 'fix', yaml: yaml.dump({ apiVersion: 'gateway.networking.k8s.io/v1', kind: 'Gateway', metadata: { name: 'ssl-offload-gateway', namespace: 'default' }, spec: { listeners: [{ name: 'https', tls: { certificateRefs: [{ name: 'missing-secret' }] } }] } }) };
    const { plan } = settlePlan([{ finding: rt003, fix: breaking }], a.evaluate, { findings: a.findings, model: a.model }, { defaultNamespace: 'default' });
    expect(plan.fixes[0]).toMatchObject({ status: 'refused' });
    expect(plan.fixes[0]!.reason).toMatch(/^it would add an error: GWTLS-LSN-004 Gateway default\/ssl-offload-gateway/);
    expect(plan.changes).toEqual([]);
  });
});

describe('a fix is planned whole or not at all', () => {
  it('refuses the whole fix when one of its objects exists unread, and no other object carries a part of it', async () => {
    const text = readFile(join(REPO_ROOT, SEEDS, 'b-backend-tls/no-policy.yaml'), 'utf8');
    const a = await analysis(text, '2026-11-22T00:00:00Z');
    const btls = a.findings.find((f) => f.code === 'GWTLS-BTLS-001')!;
    const policy = btls.fixes.find((f) => /BackendTLSPolicy/.test(f.yaml) && /ConfigMap/.test(f.yaml))!;
    const cm = parseDocuments(policy.yaml).find((d) => d.kind === 'ConfigMap')!;
    const meta = cm.metadata as Raw;
    // The ConfigMap the fix would create turns out to exist (a GET found it): it must not be overwritten.
    const existing = new Map([[`|ConfigMap|${String(meta.namespace)}|${String(meta.name)}`, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: meta.name, namespace: meta.namespace }, data: { 'ca.crt': 'theirs' } }]]);
    const annotate = annotationFix(parseDocuments(policy.yaml).find((d) => d.kind === 'BackendTLSPolicy')!, btls);
    const plan = composePlan([{ finding: btls, fix: policy }, annotate], a.snapshot, { defaultNamespace: 'default', existing });
    expect(plan.fixes[0]).toMatchObject({ status: 'refused' });
    expect(plan.fixes[0]!.reason).toMatch(/exists, but this run had not read it/);
    // The annotation fix alone creates the policy from nothing but its annotation: none of the refused fix's fields.
    const policyChange = plan.changes.find((c) => c.ref.kind === 'BackendTLSPolicy');
    expect(policyChange?.config.spec).toBeUndefined();
    expect(plan.changes.find((c) => c.ref.kind === 'ConfigMap')).toBeUndefined();
  });
});
