// The scenario files under test/fixtures/scenarios/: one complete document set per rule-test case, shared by
// the rule tests, the fix-plan e2e test and the live/offline invariant. Each file starts with a header:
//
//   # GWTLS-RT-001 invalid: parentRef namespace points nowhere (seed a)     <- rule, valid|invalid, case name
//   # test: test/unit/rules/routes.test.ts                                  <- the rule test that reads it
//   # now: 2026-11-22T00:00:00Z                                             <- the clock the case is judged at
//   # missing-namespace: wherethegatewayis (why)                            <- optional, repeatable
//   # api-server-rejects: why                                               <- optional: invalid on purpose
//
// `missing-namespace` names a namespace the documents reference but that is deliberately not created;
// `api-server-rejects` marks a file a real API server refuses (e.g. an apiVersion it no longer serves), so
// cluster tests can leave it out and say why.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as yaml from 'js-yaml';

export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const SCENARIO_DIR = 'test/fixtures/scenarios';

export interface Scenario {
  /** Relative to the repository root, e.g. test/fixtures/scenarios/routes/gwtls-rt-001/invalid-....yaml */
  path: string;
  /** Rule family: the rule test file's base name (routes, certificates, ...). */
  family: string;
  code: string;
  expect: 'valid' | 'invalid';
  name: string;
  test: string;
  now: string;
  /** Namespaces referenced but deliberately absent, with the reason. */
  missingNamespaces: Record<string, string>;
  /** Set when a real API server refuses the file on purpose: the reason. */
  apiServerRejects?: string;
}

export type ScenarioDocument = Record<string, unknown> & { apiVersion: string; kind: string; metadata: { name: string; namespace?: string; [k: string]: unknown } };

/**
 * Versions the e2e control plane serves for every kind a scenario may use: Gateway API v1.6.1 experimental
 * (config/crd/experimental), AWS LBC v3.5.0 gateway CRDs, Envoy Gateway v1.9.0 Backend/EnvoyProxy, cert-manager
 * v1.21.2 (deploy/crds), and the built-in kinds. test/e2e/scenarios-load.test.ts checks this table against the server's discovery.
 */
export const SERVED_VERSIONS: Readonly<Record<string, readonly string[]>> = {
  'gateway.networking.k8s.io/GatewayClass': ['v1', 'v1beta1'],
  'gateway.networking.k8s.io/Gateway': ['v1', 'v1beta1'],
  'gateway.networking.k8s.io/HTTPRoute': ['v1', 'v1beta1'],
  'gateway.networking.k8s.io/GRPCRoute': ['v1'],
  'gateway.networking.k8s.io/TLSRoute': ['v1', 'v1alpha2', 'v1alpha3'],
  'gateway.networking.k8s.io/TCPRoute': ['v1', 'v1alpha2'],
  'gateway.networking.k8s.io/UDPRoute': ['v1', 'v1alpha2'],
  'gateway.networking.k8s.io/ListenerSet': ['v1'],
  'gateway.networking.k8s.io/ReferenceGrant': ['v1', 'v1beta1'],
  'gateway.networking.k8s.io/BackendTLSPolicy': ['v1', 'v1alpha3'],
  'gateway.k8s.aws/LoadBalancerConfiguration': ['v1', 'v1beta1'],
  'gateway.k8s.aws/TargetGroupConfiguration': ['v1', 'v1beta1'],
  'gateway.k8s.aws/ListenerRuleConfiguration': ['v1', 'v1beta1'],
  'gateway.envoyproxy.io/Backend': ['v1alpha1'],
  'gateway.envoyproxy.io/EnvoyProxy': ['v1alpha1'],
  'cert-manager.io/Certificate': ['v1'],
  'cert-manager.io/CertificateRequest': ['v1'],
  'cert-manager.io/Issuer': ['v1'],
  'cert-manager.io/ClusterIssuer': ['v1'],
  'acme.cert-manager.io/Order': ['v1'],
  'acme.cert-manager.io/Challenge': ['v1'],
  '/Namespace': ['v1'],
  '/Service': ['v1'],
  '/Pod': ['v1'],
  '/Secret': ['v1'],
  '/ConfigMap': ['v1'],
  '/Event': ['v1'],
  'discovery.k8s.io/EndpointSlice': ['v1'],
  'apiextensions.k8s.io/CustomResourceDefinition': ['v1'],
};

export const CLUSTER_SCOPED_KINDS: ReadonlySet<string> = new Set(['Namespace', 'GatewayClass', 'CustomResourceDefinition', 'ClusterIssuer']);

export function servedKey(apiVersion: string, kind: string): { key: string; version: string } {
  const slash = apiVersion.indexOf('/');
  return slash < 0 ? { key: `/${kind}`, version: apiVersion } : { key: `${apiVersion.slice(0, slash)}/${kind}`, version: apiVersion.slice(slash + 1) };
}

const FIRST_LINE = /^# (GWTLS-[A-Z0-9]+-\d{3}) (valid|invalid): (.+)$/;

/** Parses a scenario file's header; throws naming the file when it is malformed. */
export function parseScenarioHeader(text: string, path: string): Scenario {
  const lines = text.split('\n');
  const first = FIRST_LINE.exec(lines[0] ?? '');
  if (!first) throw new Error(`${path}: first line must be "# GWTLS-XXX-000 valid|invalid: case name"`);
  const parts = path.split('/');
  const s: Scenario = { path, family: parts.at(-3) ?? '', code: first[1]!, expect: first[2] as 'valid' | 'invalid', name: first[3]!, test: '', now: '', missingNamespaces: {} };
  for (const line of lines.slice(1)) {
    if (!line.startsWith('#')) break;
    const m = /^# ([a-z-]+): (.*)$/.exec(line);
    if (!m) continue;
    const [, key, value] = m as unknown as [string, string, string];
    if (key === 'test') s.test = value;
    else if (key === 'now') s.now = value;
    else if (key === 'api-server-rejects') s.apiServerRejects = value;
    else if (key === 'missing-namespace') {
      const ns = /^(\S+)(?: \((.*)\))?$/.exec(value);
      if (ns) s.missingNamespaces[ns[1]!] = ns[2] ?? '';
    }
  }
  if (!s.test || !s.now) throw new Error(`${path}: header needs "# test:" and "# now:" lines`);
  return s;
}

function walk(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .sort((a, b) => a.name.localeCompare(b.name))
    .flatMap((e) => (e.isDirectory() ? walk(join(dir, e.name)) : e.name.endsWith('.yaml') ? [join(dir, e.name)] : []));
}

/** Every scenario file, sorted by path. */
export function listScenarios(): Scenario[] {
  return walk(join(REPO_ROOT, SCENARIO_DIR)).map((abs) => parseScenarioHeader(readFileSync(abs, 'utf8'), relative(REPO_ROOT, abs)));
}

export function scenarioText(s: Scenario): string {
  return readFileSync(join(REPO_ROOT, s.path), 'utf8');
}

/** The documents of a scenario, parsed as the tool parses manifests (YAML core schema). */
export function scenarioDocuments(s: Scenario): ScenarioDocument[] {
  return (yaml.loadAll(scenarioText(s), null, { schema: yaml.CORE_SCHEMA }) as unknown[]).filter(
    (d): d is ScenarioDocument => typeof d === 'object' && d !== null && 'kind' in d,
  );
}

/** Every namespace a document names: its own, and any `namespace` field in its body (references). */
export function referencedNamespaces(doc: ScenarioDocument): Set<string> {
  const out = new Set<string>();
  if (doc.metadata.namespace) out.add(doc.metadata.namespace);
  const visit = (v: unknown): void => {
    if (Array.isArray(v)) v.forEach(visit);
    else if (v && typeof v === 'object') {
      for (const [k, x] of Object.entries(v)) {
        if (k === 'namespace' && typeof x === 'string') out.add(x);
        else visit(x);
      }
    }
  };
  for (const [k, v] of Object.entries(doc)) if (k !== 'metadata') visit(v);
  return out;
}
