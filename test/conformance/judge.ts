// Shared by the conformance-corpus tests: a case's documents judged offline the way `kubectl gwtls inspect -A -f`
// judges files (manifests loaded, model built, every rule run, the JSON report built).
import * as yaml from 'js-yaml';
import { expect } from 'vitest';
import { loadManifests } from '../../src/cluster/manifests.ts';
import { buildModel, type Model } from '../../src/graph/model.ts';
import { buildReport } from '../../src/report/build.ts';
import type { InspectReport } from '../../src/report/types.ts';
import { ALL_RULES } from '../../src/rules/index.ts';
import { runRules } from '../../src/rules/engine.ts';
import type { ConformanceCase, ConformanceProfile } from './loader.ts';

/** A class no implementation profile recognises: the tool assumes the Gateway API spec behaviour for it. */
export const GENERIC_PROFILE: ConformanceProfile = { gatewayClassName: 'gwtls-conformance', controllerName: 'example.com/gwtls-conformance-controller' };
export const INFRA = 'gateway-conformance-infra';

export async function judge(c: ConformanceCase): Promise<{ model: Model; report: InspectReport }> {
  const text = c.documents.map((d) => yaml.dump(d, { noRefs: true, lineWidth: -1 })).join('---\n');
  const { snapshot, errors } = await loadManifests(['-'], 'default', async () => text);
  expect(errors).toEqual([]);
  const model = buildModel(snapshot, { allNamespaces: true }, new Date());
  const { findings, skipped } = runRules(model, ALL_RULES);
  return { model, report: buildReport({ model, findings, skipped }) };
}
