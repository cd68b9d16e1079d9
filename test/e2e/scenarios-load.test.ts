// Every scenario file (test/fixtures/scenarios) is created, server-side dry run, in the real API server: the
// objects the rule tests judge are objects a cluster accepts. Files whose header says `api-server-rejects`
// must be refused (that is their point), every other file must be accepted whole. The namespaces a file
// declares are created for real (plain, no labels) so that its namespaced objects can be dry-run created.
import { afterAll, describe, expect, it } from 'vitest';
import { listScenarios, scenarioDocuments, SERVED_VERSIONS, type Scenario, type ScenarioDocument } from '../helpers/scenarios.ts';
import { deleteNamespace, e2eEnv, restClient, skipE2e, type RestClient } from './harness/kube.ts';

const env = e2eEnv();

interface Outcome {
  scenario: Scenario;
  rejected: string[];
}

function label(d: ScenarioDocument): string {
  return `${d.kind} ${d.metadata.namespace ? `${d.metadata.namespace}/` : ''}${d.metadata.name}`;
}

async function exists(client: RestClient, path: string): Promise<boolean> {
  return (await client.request('GET', path)).status === 200;
}

/** Dry-run create of one object (as `kubectl create --dry-run=server --validate=strict`); the refusal, if any. */
async function dryRunCreate(client: RestClient, d: ScenarioDocument): Promise<string | undefined> {
  let collection: string;
  try {
    collection = await client.objectPath({ apiVersion: d.apiVersion, kind: d.kind, namespace: d.metadata.namespace });
  } catch (err) {
    return `${label(d)}: ${(err as Error).message}`;
  }
  const query = '?dryRun=All&fieldValidation=Strict&fieldManager=gwtls-e2e';
  // An object that already exists (a Namespace this test created, a cluster-scoped object another test file
  // left, such as its GatewayClass) is checked by a dry-run apply instead: create would say AlreadyExists.
  const res =
    (d.kind === 'Namespace' || !d.metadata.namespace) && (await exists(client, `${collection}/${encodeURIComponent(d.metadata.name)}`))
      ? await client.request('PATCH', `${collection}/${encodeURIComponent(d.metadata.name)}${query}&force=true`, { body: d, contentType: 'application/apply-patch+yaml' })
      : await client.request('POST', collection + query, { body: d });
  if (res.status >= 200 && res.status < 300) return undefined;
  const body = res.body as { reason?: string; message?: string } | undefined;
  return `${label(d)}: HTTP ${res.status} ${body?.reason ?? ''}: ${(body?.message ?? res.text).slice(0, 400)}`;
}

/** Namespaces this file created (and deletes when done); those that existed before are left alone. */
const created = new Set<string>();

async function ensureNamespace(client: RestClient, name: string): Promise<void> {
  if (await exists(client, `/api/v1/namespaces/${encodeURIComponent(name)}`)) return;
  await client.call('POST', '/api/v1/namespaces', { body: { apiVersion: 'v1', kind: 'Namespace', metadata: { name } } });
  created.add(name);
}

describe.skipIf(skipE2e(env))('scenario files on the real API server', () => {
  afterAll(async () => {
    for (const ns of created) await deleteNamespace(ns);
  }, 300_000);

  it('serves every kind and version the scenario files may use (SERVED_VERSIONS)', async () => {
    const client = restClient();
    const missing: string[] = [];
    for (const [key, versions] of Object.entries(SERVED_VERSIONS)) {
      const [group, kind] = key.split('/') as [string, string];
      if (kind === 'EnvoyProxy') continue; // optional in the harness (installed only when it applies cleanly)
      for (const v of versions) {
        const apiVersion = group ? `${group}/${v}` : v;
        if (!(await client.apiResources(apiVersion)).some((r) => r.kind === kind && !r.name.includes('/'))) missing.push(`${kind} ${apiVersion}`);
      }
    }
    expect(missing).toEqual([]);
  });

  it('dry-run creates every scenario file; only files marked api-server-rejects are refused', { timeout: 900_000 }, async () => {
    const client = restClient();
    const outcomes: Outcome[] = [];
    for (const scenario of listScenarios()) {
      const docs = scenarioDocuments(scenario);
      const rejected: string[] = [];
      for (const ns of docs.filter((d) => d.kind === 'Namespace')) {
        const refusal = await dryRunCreate(client, ns);
        if (refusal) rejected.push(refusal);
        else await ensureNamespace(client, ns.metadata.name);
      }
      for (const d of docs.filter((x) => x.kind !== 'Namespace')) {
        const refusal = await dryRunCreate(client, d);
        if (refusal) rejected.push(refusal);
      }
      outcomes.push({ scenario, rejected });
    }
    const unexpected = outcomes.filter((o) => o.rejected.length > 0 && !o.scenario.apiServerRejects);
    const onPurpose = outcomes.filter((o) => o.rejected.length > 0 && o.scenario.apiServerRejects);
    const markedButAccepted = outcomes.filter((o) => o.rejected.length === 0 && o.scenario.apiServerRejects).map((o) => o.scenario.path);
    const lines = [
      `[scenarios-load] ${outcomes.length} scenario files, ${outcomes.length - unexpected.length - onPurpose.length} accepted whole, ${onPurpose.length} refused on purpose, ${unexpected.length} refused unexpectedly`,
      ...onPurpose.map((o) => `  refused on purpose: ${o.scenario.path} (${o.scenario.apiServerRejects})\n    ${o.rejected.join('\n    ')}`),
      ...unexpected.map((o) => `  REFUSED: ${o.scenario.path}\n    ${o.rejected.join('\n    ')}`),
    ];
    console.log(lines.join('\n'));
    expect(unexpected.map((o) => `${o.scenario.path}: ${o.rejected.join('; ')}`)).toEqual([]);
    expect(markedButAccepted).toEqual([]);
  });
});
