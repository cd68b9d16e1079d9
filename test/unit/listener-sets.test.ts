// ListenerSets (GEP-1713) beyond the rule tests: precedence by creation time, the Experimental XListenerSet read
// from files (its route parentRefs and its ReferenceGrants), findings that land on the right listener when a
// ListenerSet reuses a Gateway listener's name (JSON, text and UI), the report validated against the schema, the
// LS-001 suggestion applied, and hostile strings in a ListenerSet shown escaped.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import * as yaml from 'js-yaml';
import { describe, expect, it } from 'vitest';
import { loadManifests } from '../../src/cluster/manifests.ts';
import { buildModel } from '../../src/graph/model.ts';
import { buildReport } from '../../src/report/build.ts';
import { renderReport } from '../../src/report/text.ts';
import type { InspectReport } from '../../src/report/types.ts';
import { runRules } from '../../src/rules/engine.ts';
import { ALL_RULES } from '../../src/rules/index.ts';
import { TreeModel } from '../../src/tui/tree.ts';
import { issue, tlsSecret } from '../helpers/certs.ts';
import { CR_ERASE, OSC52, rawControl, shown } from '../helpers/hostile.ts';
import { analyse, applyFix, DEFAULT_NOW } from '../helpers/rule-tester.ts';
import { REPO_ROOT } from '../helpers/scenarios.ts';

const validate = new Ajv({ allErrors: true, strict: false }).compile(JSON.parse(readFileSync(join(REPO_ROOT, 'docs/report.schema.json'), 'utf8')) as object);
const FROM = new Date('2026-01-01T00:00:00Z');
const TO = new Date('2036-01-01T00:00:00Z');
const ca = issue({ cn: 'Test CA', ca: true, notBefore: FROM, notAfter: TO });
/** A Secret the test does not care about: its certificate has no key beside it. */
const secret = (name: string, ns: string, host: string) => '---\n' + yaml.dump(tlsSecret(name, ns, issue({ dns: [host], issuer: ca, notBefore: FROM, notAfter: TO }).certPem + ca.certPem, ''));
const leafSecret = (name: string, ns: string, host: string) => {
  const l = issue({ dns: [host], issuer: ca, notBefore: FROM, notAfter: TO });
  return `---\n${yaml.dump(tlsSecret(name, ns, l.certPem + ca.certPem, l.keyPem))}`;
};

const gateway = (allowed = 'All', listeners = '[{name: https, protocol: HTTPS, port: 443, hostname: www.example.com, tls: {certificateRefs: [{name: edge-tls}]}}]') => `apiVersion: gateway.networking.k8s.io/v1
kind: GatewayClass
metadata: {name: eg}
spec: {controllerName: gateway.envoyproxy.io/gatewayclass-controller}
---
apiVersion: v1
kind: Namespace
metadata: {name: infra}
---
apiVersion: v1
kind: Namespace
metadata: {name: team-a}
---
apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: {name: shared, namespace: infra}
spec:
  gatewayClassName: eg
  allowedListeners: {namespaces: {from: ${allowed}}}
  listeners: ${listeners}
${leafSecret('edge-tls', 'infra', 'www.example.com')}`;

const listenerSet = (name: string, ns: string, listeners: string, extra = '') => `---
apiVersion: gateway.networking.k8s.io/v1
kind: ListenerSet
metadata: {name: ${name}, namespace: ${ns}${extra}}
spec:
  parentRef: {name: shared, namespace: infra}
  listeners: ${listeners}
`;

async function judge(text: string, gateway?: string): Promise<{ report: InspectReport; model: ReturnType<typeof buildModel> }> {
  const { snapshot, errors } = await loadManifests(['-'], 'default', async () => text);
  expect(errors).toEqual([]);
  const model = buildModel(snapshot, gateway ? { allNamespaces: false, namespace: 'infra', gatewayName: gateway } : { allNamespaces: true }, new Date(DEFAULT_NOW));
  const { findings, skipped } = runRules(model, ALL_RULES);
  return { model, report: buildReport({ model, findings, skipped }) };
}

describe('ListenerSet precedence', () => {
  const two = (aCreated: string, bCreated: string) =>
    gateway() +
    leafSecret('app-tls', 'team-a', 'app.example.com') +
    listenerSet('a-apps', 'team-a', '[{name: app, protocol: HTTPS, port: 443, hostname: app.example.com, tls: {certificateRefs: [{name: app-tls}]}}]', aCreated ? `, creationTimestamp: "${aCreated}"` : '') +
    listenerSet('b-apps', 'team-a', '[{name: app, protocol: HTTPS, port: 443, hostname: app.example.com, tls: {certificateRefs: [{name: app-tls}]}}]', bCreated ? `, creationTimestamp: "${bCreated}"` : '');

  it('gives the hostname to the oldest ListenerSet, whatever its name', async () => {
    const { model } = await judge(two('2026-05-01T10:00:00Z', '2026-03-01T10:00:00Z'));
    const gm = model.gateways[0]!;
    expect(gm.listenerSets.map((s) => s.obj.meta.name)).toEqual(['b-apps', 'a-apps']);
    const loser = gm.listeners.find((l) => l.set?.obj.meta.name === 'a-apps')!;
    expect(loser.conflict?.reason).toBe('HostnameConflict');
    expect(loser.conflict?.with.set?.obj.meta.name).toBe('b-apps');
  });

  it('orders by namespace/name within the same second, and without timestamps (files)', async () => {
    for (const [a, b] of [
      ['2026-05-01T10:00:00Z', '2026-05-01T10:00:00Z'],
      ['', ''],
    ]) {
      const { model } = await judge(two(a!, b!));
      const gm = model.gateways[0]!;
      expect(gm.listenerSets.map((s) => s.obj.meta.name)).toEqual(['a-apps', 'b-apps']);
      expect(gm.listeners.find((l) => l.set?.obj.meta.name === 'b-apps')!.conflict?.with.set?.obj.meta.name).toBe('a-apps');
    }
  });
});

describe('XListenerSet (gateway.networking.x-k8s.io/v1alpha1, Gateway API v1.3/v1.4)', () => {
  const text = `apiVersion: gateway.networking.k8s.io/v1
kind: GatewayClass
metadata: {name: other}
spec: {controllerName: example.net/gateway-controller}
---
apiVersion: v1
kind: Namespace
metadata: {name: infra}
---
apiVersion: v1
kind: Namespace
metadata: {name: team-a}
---
apiVersion: v1
kind: Namespace
metadata: {name: certs}
---
apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: {name: shared, namespace: infra}
spec:
  gatewayClassName: other
  allowedListeners: {namespaces: {from: All}}
  listeners: [{name: http, protocol: HTTP, port: 80}]
---
apiVersion: gateway.networking.x-k8s.io/v1alpha1
kind: XListenerSet
metadata: {name: apps, namespace: team-a}
spec:
  parentRef: {name: shared, namespace: infra}
  listeners: [{name: app, protocol: HTTPS, port: 443, hostname: app.example.com, tls: {certificateRefs: [{name: app-tls, namespace: certs}]}}]
---
apiVersion: gateway.networking.k8s.io/v1beta1
kind: ReferenceGrant
metadata: {name: xlistenersets, namespace: certs}
spec:
  from: [{group: gateway.networking.x-k8s.io, kind: XListenerSet, namespace: team-a}]
  to: [{group: "", kind: Secret}]
${leafSecret('app-tls', 'certs', 'app.example.com')}---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: app, namespace: team-a}
spec:
  parentRefs: [{group: gateway.networking.x-k8s.io, kind: XListenerSet, name: apps, sectionName: app}]
  hostnames: [app.example.com]
  rules: [{backendRefs: [{name: app, port: 8080}]}]
`;

  it('is read from files, merged into its Gateway, resolves its certificate through a grant from XListenerSet, and takes routes', async () => {
    const { model, report } = await judge(text);
    const gm = model.gateways[0]!;
    expect(gm.listenerSets.map((s) => `${s.obj.kind} ${s.obj.apiVersion}`)).toEqual(['XListenerSet gateway.networking.x-k8s.io/v1alpha1']);
    const lm = gm.listeners.find((l) => l.set)!;
    expect(lm.certRefs[0]!.state).toBe('ok');
    expect(lm.attachments.filter((a) => a.result.accepted).map((a) => a.route.obj.meta.name)).toEqual(['app']);
    expect(report.gateways[0]!.listeners.find((l) => l.name === 'app')!.origin).toEqual({ kind: 'XListenerSet', namespace: 'team-a', name: 'apps' });
    expect(validate(report), JSON.stringify(validate.errors)).toBe(true);
  });
});

describe('findings land on the listener that has them', () => {
  // The ListenerSet reuses the Gateway listener's name `https` (allowed: names are unique per object), and only
  // its listener has a broken certificate reference.
  const text =
    gateway() +
    listenerSet('apps', 'team-a', '[{name: https, protocol: HTTPS, port: 443, hostname: app.example.com, tls: {certificateRefs: [{name: missing-tls}]}}]') +
    secret('unused', 'team-a', 'x.example.com');

  it('in JSON, text and the UI tree', async () => {
    const { report } = await judge(text, 'shared');
    expect(validate(report), JSON.stringify(validate.errors)).toBe(true);
    const f = report.findings.find((x) => x.code === 'GWTLS-LSN-004')!;
    expect(f).toMatchObject({ object: { kind: 'ListenerSet', namespace: 'team-a', name: 'apps' }, listener: 'https', listenerSet: 'team-a/apps' });
    const gw = report.gateways[0]!;
    const [own, theirs] = [gw.listeners.find((l) => l.origin?.kind === 'Gateway')!, gw.listeners.find((l) => l.origin?.kind === 'ListenerSet')!];
    expect(own.verdict).not.toContain('missing-tls');
    expect(theirs.verdict).toMatch(/^BROKEN: .*names Secret team-a\/missing-tls, which does not exist/);
    expect(gw.listenerSets).toMatchObject([{ kind: 'ListenerSet', name: 'apps', namespace: 'team-a', admitted: true, accepted: false, reason: 'ListenersNotValid' }]);
    expect(gw.expectedAttachedListenerSets).toBe(0);

    const out = renderReport(report, { width: 100 });
    expect(out).toMatch(/listener https {2}HTTPS :443 {2}app\.example\.com {2}BROKEN\n {2}│ from ListenerSet team-a\/apps/);
    expect(out).toMatch(/listener sets \(allowedListeners from All; 0 expected to attach\)\n {2}└─ ListenerSet team-a\/apps {2}NOT ACCEPTED {2}listeners https/);

    const tree = new TreeModel(report, { listView: false });
    const gwNode = tree.children(tree.children(tree.roots[0]!)[0]!).filter((n) => n.data.kind === 'listener');
    expect(gwNode.map((n) => n.label)).toEqual([expect.stringMatching(/^listener https {2}HTTPS :443 {2}www\.example\.com$/), expect.stringMatching(/^listener https {2}HTTPS :443 {2}app\.example\.com {2}from ListenerSet team-a\/apps$/)]);
    expect(new Set(gwNode.map((n) => n.key)).size).toBe(2);
    expect(tree.findingsFor(gwNode[0]!).map((x) => x.code)).not.toContain('GWTLS-LSN-004');
    expect(tree.findingsFor(gwNode[1]!).map((x) => x.code)).toContain('GWTLS-LSN-004');
    expect(tree.locate(f)).toBe(gwNode[1]!.key);
  });
});

describe('GWTLS-LS-001 suggestions', () => {
  const cases: Array<[string, string, string]> = [
    ['None, the set beside the Gateway', gateway('None') + leafSecret('app-tls', 'infra', 'app.example.com') + listenerSet('apps', 'infra', '[{name: app, protocol: HTTPS, port: 443, hostname: app.example.com, tls: {certificateRefs: [{name: app-tls}]}}]'), 'None -> Same'],
    ['Same, the set in a team namespace', gateway('Same') + leafSecret('app-tls', 'team-a', 'app.example.com') + listenerSet('apps', 'team-a', '[{name: app, protocol: HTTPS, port: 443, hostname: app.example.com, tls: {certificateRefs: [{name: app-tls}]}}]'), 'Same -> Selector'],
  ];
  for (const [name, text, widening] of cases) {
    it(`widen allowedListeners, are marked as widening access, and admit the set when applied (${name})`, async () => {
      const findings = await analyse(text, DEFAULT_NOW);
      const f = findings.find((x) => x.code === 'GWTLS-LS-001')!;
      expect(f.fixes).toHaveLength(1);
      const s = f.fixes[0]!;
      expect(s).toMatchObject({ type: 'suggestion', widensAccess: true });
      expect(s.grants!.join(' ')).toContain(`allowedListeners would admit ListenerSets from more namespaces (${widening})`);
      const after = await analyse(applyFix(text, s.yaml), DEFAULT_NOW);
      expect(after.filter((x) => x.code === 'GWTLS-LS-001')).toEqual([]);
      expect(after.filter((x) => x.severity === 'error').map((x) => `${x.code} ${x.message}`)).toEqual([]);
    });
  }
});

describe('hostile strings in a ListenerSet', () => {
  it('are shown escaped in the text report', async () => {
    const text = gateway() + listenerSet('apps', 'team-a', `[{name: ${JSON.stringify(`app${OSC52}`)}, protocol: HTTP, port: 8080, hostname: ${JSON.stringify(`x${CR_ERASE}.example.com`)}}]`).replace('kind: ListenerSet', `kind: ListenerSet\nstatus: {conditions: [{type: Accepted, status: "False", reason: ${JSON.stringify(`Weird${OSC52}`)}, message: ${JSON.stringify(`m${CR_ERASE}`)}}]}`);
    const { report } = await judge(text, 'shared');
    const out = renderReport(report, { width: 100 });
    expect(rawControl(out)).toBeNull();
    expect(out).toContain(shown(`app${OSC52}`));
  });
});

describe('status a ListenerSet controller wrote', () => {
  it('is compared per listener under the ListenerSet that holds it, and shown in its word', async () => {
    const text = readFileSync(join(REPO_ROOT, 'test/fixtures/scenarios/listener-sets/gwtls-ls-003/invalid-the-controller-says-conflicted.yaml'), 'utf8');
    const { report } = await judge(text, 'shared');
    const diffs = report.gateways[0]!.statusDifferences ?? [];
    expect(diffs.find((d) => d.type === 'Accepted')).toMatchObject({ object: 'ListenerSet team-a/apps listener app', observed: { status: 'False', reason: 'HostnameConflict' }, cause: 'disagrees' });
    expect(diffs.map((d) => d.object).filter((o) => o.startsWith('Gateway infra/shared listener app'))).toEqual([]);
    // The tree says what the controller wrote, not the prediction it contradicts.
    expect(renderReport(report, { width: 100 })).toMatch(/└─ ListenerSet team-a\/apps {2}NOT ACCEPTED {2}listeners app/);
  });
});
