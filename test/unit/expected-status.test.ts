// The expected status (expectedConditions, expectedAttachedRoutes), the routes and BackendTLSPolicy ancestors
// under each Gateway, the per-hop TLS facts and the observed-vs-expected differences: one invariant over every
// seed and scenario file (schema-valid, every route parentRef naming a Gateway listed under it), and the cases
// the differential test against egctl (test/oracle) pinned down.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { loadManifests } from '../../src/cluster/manifests.ts';
import { buildModel } from '../../src/graph/model.ts';
import { selectServed } from '../../src/graph/tls-facts.ts';
import { buildReport } from '../../src/report/build.ts';
import type { ExpectedCondition, InspectReport } from '../../src/report/types.ts';
import { runRules } from '../../src/rules/engine.ts';
import { ALL_RULES } from '../../src/rules/index.ts';
import { listScenarios, REPO_ROOT, scenarioText } from '../helpers/scenarios.ts';

const schema = JSON.parse(readFileSync(join(REPO_ROOT, 'docs/report.schema.json'), 'utf8')) as object;
const validate = new Ajv({ allErrors: true, strict: false }).compile(schema);
const NOW = '2026-11-22T00:00:00Z';

async function report(text: string, now = NOW): Promise<InspectReport> {
  const { snapshot, errors } = await loadManifests(['-'], 'default', async () => text);
  if (errors.length) throw new Error(errors.map((e) => e.message).join('; '));
  const model = buildModel(snapshot, { allNamespaces: true }, new Date(now));
  const { findings, skipped } = runRules(model, ALL_RULES);
  return buildReport({ model, findings, skipped });
}

const c = (conds: readonly ExpectedCondition[] | undefined) => (conds ?? []).map((x) => `${x.type}=${x.status}/${x.reason}`).sort();

function seedFiles(): string[] {
  const dir = join(REPO_ROOT, 'test/fixtures/seeds');
  return readdirSync(dir).flatMap((d) => readdirSync(join(dir, d)).map((f) => join(dir, d, f)));
}

describe('expected status over every seed and scenario file', () => {
  const inputs = [...seedFiles().map((f) => ({ name: f.slice(REPO_ROOT.length), text: readFileSync(f, 'utf8'), now: NOW })), ...listScenarios().map((s) => ({ name: s.path, text: scenarioText(s), now: s.now }))];

  it('covers the fixtures', () => {
    expect(inputs.length).toBeGreaterThan(200);
  });

  it('reports validate against docs/report.schema.json and list every route parentRef under its Gateway', async () => {
    const problems: string[] = [];
    for (const input of inputs) {
      const r = await report(input.text, input.now);
      if (!validate(r)) problems.push(`${input.name}: ${JSON.stringify(validate.errors?.slice(0, 2))}`);
      for (const g of r.gateways) {
        if (!g.expectation || !g.expectedConditions || !g.routes) problems.push(`${input.name}: Gateway ${g.namespace}/${g.name} has no expectation sections`);
        for (const l of g.listeners) if (!Array.isArray(l.expectedConditions) || typeof l.expectedAttachedRoutes !== 'number') problems.push(`${input.name}: listener ${l.name} has no expected status`);
        // Every route shown under a listener is also under the Gateway, with the same parentRef.
        for (const l of g.listeners) {
          for (const rt of l.routes) {
            if (!g.routes?.some((x) => x.kind === rt.kind && x.namespace === rt.namespace && x.name === rt.name && x.parentRef.index === rt.parentRef?.index)) problems.push(`${input.name}: ${rt.kind} ${rt.namespace}/${rt.name} under listener ${l.name} is missing from the Gateway's routes`);
          }
        }
        // The expected attachedRoutes of a listener never exceeds the parentRefs that attach to it.
        for (const l of g.listeners) {
          const attaching = (g.routes ?? []).filter((x) => x.listeners.includes(l.name)).length;
          if ((l.expectedAttachedRoutes ?? 0) > attaching) problems.push(`${input.name}: listener ${l.name} expects ${l.expectedAttachedRoutes} attached routes, ${attaching} parentRefs attach`);
        }
      }
    }
    expect(problems).toEqual([]);
  }, 120_000);
});

describe('Envoy Gateway profile', () => {
  it('seed (c): the expired certificate and the TCPRoute on an HTTPS listener, as egctl writes them', async () => {
    const r = await report(readFileSync(join(REPO_ROOT, 'test/fixtures/seeds/c-calico-tls-termination/as-written.yaml'), 'utf8'));
    const g = r.gateways[0]!;
    expect(g.expectation?.profile).toBe('envoy-gateway');
    expect(c(g.listeners.find((l) => l.name === 'https')?.expectedConditions)).toEqual(['Accepted=True/Accepted', 'Programmed=False/Invalid', 'ResolvedRefs=False/InvalidCertificateRef']);
    const tcp = g.routes?.find((x) => x.kind === 'TCPRoute');
    expect(tcp?.attached).toBe(false);
    expect(c(tcp?.expectedConditions)).toEqual(['Accepted=False/NotAllowedByListeners', 'ResolvedRefs=True/ResolvedRefs']);
    // A route that fits no listener is listed under the Gateway, not only in findings.
    expect(g.listeners.every((l) => l.routes.some((x) => x.kind === 'TCPRoute'))).toBe(true);
  });

  it('a route whose sectionName matches no listener is listed under the Gateway with NoMatchingParent', async () => {
    const r = await report(readFileSync(join(REPO_ROOT, 'test/fixtures/scenarios/routes/gwtls-rt-002/invalid-port-matches-no-listener.yaml'), 'utf8'));
    const missing = r.gateways.flatMap((g) => g.routes ?? []).filter((x) => x.reason === 'NoMatchingParent');
    expect(missing.length).toBeGreaterThan(0);
    expect(c(missing[0]!.expectedConditions)).toContain('Accepted=False/NoMatchingParent');
    expect(r.gateways.flatMap((g) => g.listeners).flatMap((l) => l.routes).some((x) => x.name === missing[0]!.name && x.kind === missing[0]!.kind)).toBe(false);
  });

  it('seed (b): the upstream hop of a BackendTLSPolicy as a fact (SNI, names, CA)', async () => {
    const r = await report(readFileSync(join(REPO_ROOT, 'test/fixtures/seeds/b-backend-tls/policy-v1.yaml'), 'utf8'));
    const b = r.gateways[0]!.listeners.flatMap((l) => l.routes).flatMap((x) => x.backends)[0]!;
    expect(b.tls.state).toBe('tls-verified');
    expect(b.tls.hostname).toBe('app.apps.svc.cluster.local');
    expect(b.tls.verifyNames).toEqual(['app.apps.svc.cluster.local']);
    expect(b.tls.caCertificates?.[0]?.source).toBe('configmap apps/app-ca');
    const policy = r.gateways[0]!.backendTLSPolicies?.[0];
    expect(c(policy?.expectedConditions)).toEqual(['Accepted=True/Accepted', 'ResolvedRefs=True/ResolvedRefs']);
    const served = r.gateways[0]!.listeners.find((l) => l.protocol === 'HTTPS')?.tls?.served;
    expect(served?.[0]?.secret).toBe('apps/edge-tls');
    expect(served?.[0]?.fingerprintSha256).toMatch(/^[0-9A-F:]+$/i);
  });

  it('seed (b): skipping verification through an Envoy Gateway Backend is tls-unverified', async () => {
    const r = await report(readFileSync(join(REPO_ROOT, 'test/fixtures/seeds/b-backend-tls/envoy-backend-skip-verify.yaml'), 'utf8'));
    const b = r.gateways[0]!.listeners.flatMap((l) => l.routes).flatMap((x) => x.backends).find((x) => x.kind === 'Backend');
    expect(b?.tls.state).toBe('tls-unverified');
  });
});

describe('observed against expected', () => {
  const gateway = (status: string) => `apiVersion: gateway.networking.k8s.io/v1
kind: GatewayClass
metadata: {name: istio}
spec: {controllerName: istio.io/gateway-controller}
---
apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: {name: gw, namespace: infra, generation: 3}
spec:
  gatewayClassName: istio
  listeners:
    - {name: http, protocol: HTTP, port: 80}
status:
${status}`;

  it('says when a controller lags behind the spec, and when it disagrees with the prediction', async () => {
    const stale = await report(gateway('  conditions:\n    - {type: Accepted, status: "False", reason: Invalid, observedGeneration: 2, lastTransitionTime: "2026-01-01T00:00:00Z", message: old}'));
    const g = stale.gateways[0]!;
    expect(g.expectation?.profile).toBe('gateway-api');
    expect(g.statusDifferences?.find((d) => d.type === 'Accepted')?.cause).toBe('stale');
    const current = await report(gateway('  conditions:\n    - {type: Accepted, status: "False", reason: Invalid, observedGeneration: 3, lastTransitionTime: "2026-01-01T00:00:00Z", message: now}'));
    const d = current.gateways[0]!.statusDifferences?.find((x) => x.type === 'Accepted');
    expect(d?.cause).toBe('disagrees');
    expect(d?.expected).toEqual({ status: 'True', reason: 'Accepted' });
  });

  it('says nothing for manifests without status', async () => {
    const r = await report(gateway('  {}'));
    expect(r.gateways[0]!.statusDifferences).toBeUndefined();
  });
});

describe('served certificate per SNI', () => {
  const cand = (secret: string, names: string[], keyType = 'RSA') => ({ secret, names, keyType, fingerprintSha256: secret });

  it('one certificate answers every name the listener takes', () => {
    expect(selectServed('app.example.com', [cand('a', ['other.test'])]).map((e) => `${e.sni}>${e.candidate.secret}`)).toEqual(['app.example.com>a']);
  });

  it('the certificate whose name matches the SNI, one per key type, else the first', () => {
    const got = selectServed(undefined, [cand('rsa', ['app.example.com']), cand('ec', ['app.example.com'], 'ECDSA'), cand('other', ['other.test'])]).map((e) => `${e.sni}>${e.candidate.secret}`);
    expect(got).toEqual(['*>rsa', '*>ec', 'app.example.com>rsa', 'app.example.com>ec', 'other.test>other']);
  });
});

describe('status differences as text', () => {
  it('one sanitised line per difference, with why', async () => {
    const { statusDifferenceLines } = await import('../../src/report/expected-text.ts');
    const lines = statusDifferenceLines({
      name: 'gw',
      namespace: 'infra',
      className: 'eg',
      controllerName: null,
      addresses: [],
      conditions: [],
      listeners: [],
      statusDifferences: [{ object: 'Gateway infra/gw\u001b[31m', type: 'Accepted', observed: { status: 'False', reason: 'Invalid' }, expected: { status: 'True', reason: 'Accepted' }, cause: 'stale', why: 'lagging\ncontroller' }],
    });
    expect(lines).toEqual(['status STALE  Gateway infra/gw\\x1b[31m Accepted: observed False (Invalid), expected True (Accepted)', '  lagging\\ncontroller']);
  });
});

describe('Envoy Gateway applies BackendTLSPolicy behind a passthrough listener (found by the oracle)', () => {
  const yaml = (controller: string) => `apiVersion: gateway.networking.k8s.io/v1
kind: GatewayClass
metadata: {name: c}
spec: {controllerName: ${controller}}
---
apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: {name: gw, namespace: apps}
spec:
  gatewayClassName: c
  listeners:
    - {name: tls, protocol: TLS, port: 443, tls: {mode: Passthrough}}
---
apiVersion: gateway.networking.k8s.io/v1
kind: TLSRoute
metadata: {name: app, namespace: apps}
spec:
  parentRefs: [{name: gw}]
  hostnames: [app.example.com]
  rules: [{backendRefs: [{name: app, port: 8443}]}]
---
apiVersion: v1
kind: Service
metadata: {name: app, namespace: apps}
spec: {ports: [{name: https, port: 8443}], selector: {app: app}}
---
apiVersion: gateway.networking.k8s.io/v1
kind: BackendTLSPolicy
metadata: {name: app, namespace: apps}
spec:
  targetRefs: [{group: "", kind: Service, name: app}]
  validation: {hostname: app.internal, wellKnownCACertificates: System}
`;

  it('Envoy Gateway: TLS originated inside the passthrough session, the hop broken', async () => {
    const r = await report(yaml('gateway.envoyproxy.io/gatewayclass-controller'));
    const l = r.gateways[0]!.listeners[0]!;
    expect(l.routes[0]!.backends[0]!.tls.state).toBe('tls-verified');
    const hop = l.path.find((h) => h.hop === 'gateway->backend');
    expect(hop?.ok).toBe(false);
    expect(hop?.why).toMatch(/sends the client's TLS inside it/);
  });

  it('another implementation: the client TLS passes through', async () => {
    const r = await report(yaml('istio.io/gateway-controller'));
    expect(r.gateways[0]!.listeners[0]!.routes[0]!.backends[0]!.tls.state).toBe('passthrough');
  });
});
