/**
 * The Gateway API conformance corpus as document sets, one case per `tests/*.yaml` of
 * sigs.k8s.io/gateway-api/conformance (its own Go module since v1.5; pinned to the Gateway API version of the
 * e2e CRDs), read from the Go module cache the way test/e2e/harness/crds.ts reads the CRDs.
 *
 * Each case is what the conformance suite has in the cluster before the test's steps run (v1.6.1
 * utils/suite/suite.go Setup, utils/kubernetes/apply.go Applier): a GatewayClass for the profile,
 * base/manifests.yaml, the Secrets and CA ConfigMaps that Setup creates in Go (suite-objects.ts), then the
 * test's own manifests, with the Applier's rewrites (every Gateway gets the profile's class, every GatewayClass
 * the profile's controller, static-address placeholders are resolved against empty address pools).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as yaml from 'js-yaml';
import { findGo, goModDownload } from '../e2e/harness/gobuild.ts';
import { DEFAULT_GATEWAY_API_VERSION } from '../e2e/harness/versions.ts';
import { suiteObjects } from './suite-objects.ts';

export const CONFORMANCE_MODULE = 'sigs.k8s.io/gateway-api/conformance';
export const CONFORMANCE_VERSION = DEFAULT_GATEWAY_API_VERSION;

export interface ConformanceCase {
  name: string;
  source: string;
  documents: Array<Record<string, unknown>>;
}

export interface ConformanceProfile {
  gatewayClassName: string;
  controllerName: string;
}

interface Corpus {
  base: string;
  tests: Array<{ name: string; text: string }>;
}

let corpus: Promise<Corpus> | undefined;

async function readCorpus(): Promise<Corpus> {
  const mod = await goModDownload(CONFORMANCE_MODULE, CONFORMANCE_VERSION);
  const tests = readdirSync(join(mod.Dir, 'tests'))
    .filter((f) => f.endsWith('.yaml'))
    .map((f) => ({ name: f.slice(0, -'.yaml'.length), text: readFileSync(join(mod.Dir, 'tests', f), 'utf8') }))
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return { base: readFileSync(join(mod.Dir, 'base', 'manifests.yaml'), 'utf8'), tests };
}

type Doc = Record<string, unknown> & { kind?: unknown; spec?: Record<string, unknown> };

/** Placeholders, then the Applier's per-kind rewrites (apply.go prepareResources). */
function prepare(text: string, file: string, profile: ConformanceProfile): Doc[] {
  const substituted = text.replaceAll('{GATEWAY_CLASS_NAME}', profile.gatewayClassName).replaceAll('{GATEWAY_CONTROLLER_NAME}', profile.controllerName);
  const docs = (yaml.loadAll(substituted, null, { filename: file, schema: yaml.CORE_SCHEMA }) as unknown[]).filter(
    (d): d is Doc => typeof d === 'object' && d !== null && Object.keys(d).length > 0,
  );
  for (const d of docs) {
    if (d.kind === 'GatewayClass') d.spec = { ...d.spec, controllerName: profile.controllerName };
    if (d.kind === 'Gateway') {
      d.spec = { ...d.spec, gatewayClassName: profile.gatewayClassName };
      const addresses = d.spec.addresses;
      if (Array.isArray(addresses) && addresses.length > 0) {
        // prepareGateway: the addresses become the `test/fake-invalid-type` ones plus the caller's usable and
        // unusable pools (PLACEHOLDER_*); a profile has no pools, so only the special ones remain.
        const kept = addresses.filter((a) => (a as { type?: unknown }).type === 'test/fake-invalid-type');
        if (kept.length) d.spec.addresses = kept;
        else delete d.spec.addresses;
      }
    }
  }
  return docs;
}

/**
 * One case per conformance `tests/*.yaml` (name = file base name), or a skip reason when the corpus cannot be
 * read (no Go toolchain, module not downloadable).
 */
export async function loadConformance(profile: ConformanceProfile): Promise<{ cases: ConformanceCase[] } | { skip: string }> {
  if (!findGo()) return { skip: `no Go toolchain (go on PATH or /usr/local/go/bin/go): the conformance corpus is read from the Go module ${CONFORMANCE_MODULE}@${CONFORMANCE_VERSION}` };
  corpus ??= readCorpus();
  let c: Corpus;
  try {
    c = await corpus;
  } catch (err) {
    corpus = undefined;
    return { skip: `${CONFORMANCE_MODULE}@${CONFORMANCE_VERSION} could not be read: ${(err as Error).message.split('\n')[0]}` };
  }
  const gatewayClass = { apiVersion: 'gateway.networking.k8s.io/v1', kind: 'GatewayClass', metadata: { name: profile.gatewayClassName }, spec: { controllerName: profile.controllerName } };
  const base = prepare(c.base, 'base/manifests.yaml', profile);
  const generated = suiteObjects();
  const cases = c.tests.map((t) => ({
    name: t.name,
    source: `${CONFORMANCE_MODULE}@${CONFORMANCE_VERSION} tests/${t.name}.yaml (with base/manifests.yaml and the Secrets and ConfigMaps of utils/suite/suite.go)`,
    documents: structuredClone([gatewayClass, ...base, ...generated, ...prepare(t.text, `tests/${t.name}.yaml`, profile)]),
  }));
  return { cases };
}
