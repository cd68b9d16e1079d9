/**
 * CRDs from their Go module zips (`go mod download -json`), installed by server-side apply and waited for
 * until Established and served by discovery.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { loadAll } from 'js-yaml';
import { ApiextensionsV1Api, type V1CustomResourceDefinition } from '@kubernetes/client-node';
import { goModDownload, log } from './gobuild.ts';
import { KubeApiError, type KubeObject, type RestClient } from './rest.ts';
import {
  CERT_MANAGER_CRD_DIR,
  CERT_MANAGER_MODULE,
  CERT_MANAGER_VERSION,
  DEFAULT_GATEWAY_API_VERSION,
  ENVOY_GATEWAY_CRD_DIR,
  ENVOY_GATEWAY_CRD_FILES,
  ENVOY_GATEWAY_MODULE,
  ENVOY_GATEWAY_VERSION,
  GATEWAY_API_CRD_DIR,
  GATEWAY_API_MODULE,
  LBC_CHART_DIR,
  LBC_CRD_FILE,
  LBC_MODULE,
  LBC_MODULE_VERSION,
  LBC_VERSION,
  type GatewayApiVersion,
} from './versions.ts';

export interface CrdOptions {
  /** Gateway API experimental channel bundle; default v1.6.1 */
  gatewayApiVersion?: GatewayApiVersion;
  /** AWS Load Balancer Controller gateway CRDs (gateway.k8s.aws); default true */
  lbcCrds?: boolean;
  /** Envoy Gateway Backend (+ EnvoyProxy) CRDs (gateway.envoyproxy.io); default true */
  envoyCrds?: boolean;
  /** cert-manager CRDs (cert-manager.io, acme.cert-manager.io); default true */
  certManagerCrds?: boolean;
}

export interface ManifestSet {
  /** e.g. sigs.k8s.io/gateway-api@v1.6.1 config/crd/experimental */
  source: string;
  objects: KubeObject[];
  /** objects that may fail to apply (logged and skipped), e.g. ValidatingAdmissionPolicies, EnvoyProxy */
  optional: KubeObject[];
}

function parseYamlFile(path: string): KubeObject[] {
  return (loadAll(readFileSync(path, 'utf8')) as unknown[]).filter(
    (d): d is KubeObject => typeof d === 'object' && d !== null && 'kind' in d && 'apiVersion' in d,
  );
}

export async function gatewayApiManifests(version: GatewayApiVersion = DEFAULT_GATEWAY_API_VERSION): Promise<ManifestSet> {
  const mod = await goModDownload(GATEWAY_API_MODULE, version);
  const dir = join(mod.Dir, GATEWAY_API_CRD_DIR);
  const objects: KubeObject[] = [];
  const optional: KubeObject[] = [];
  for (const file of readdirSync(dir).sort()) {
    if (!file.endsWith('.yaml') || file === 'kustomization.yaml') continue;
    // *_vap_* = ValidatingAdmissionPolicy guarding CRD upgrades: applied only when it applies cleanly
    (file.includes('_vap_') ? optional : objects).push(...parseYamlFile(join(dir, file)));
  }
  return { source: `${GATEWAY_API_MODULE}@${version} ${GATEWAY_API_CRD_DIR}`, objects, optional };
}

export async function lbcManifests(): Promise<ManifestSet> {
  const mod = await goModDownload(LBC_MODULE, LBC_MODULE_VERSION);
  const chart = readFileSync(join(mod.Dir, LBC_CHART_DIR, 'Chart.yaml'), 'utf8');
  const appVersion = /^appVersion:\s*"?([^"\s]+)"?/m.exec(chart)?.[1];
  if (appVersion !== LBC_VERSION) {
    throw new Error(`${LBC_MODULE}@${LBC_MODULE_VERSION} ${LBC_CHART_DIR} has appVersion ${appVersion}, expected ${LBC_VERSION}`);
  }
  const objects = parseYamlFile(join(mod.Dir, LBC_CRD_FILE));
  return { source: `${LBC_MODULE}@${LBC_MODULE_VERSION} ${LBC_CRD_FILE} (LBC ${LBC_VERSION})`, objects, optional: [] };
}

export async function envoyGatewayManifests(): Promise<ManifestSet> {
  const mod = await goModDownload(ENVOY_GATEWAY_MODULE, ENVOY_GATEWAY_VERSION);
  const [backend, ...rest] = ENVOY_GATEWAY_CRD_FILES.map((f) => parseYamlFile(join(mod.Dir, ENVOY_GATEWAY_CRD_DIR, f)));
  return {
    source: `${ENVOY_GATEWAY_MODULE}@${ENVOY_GATEWAY_VERSION} ${ENVOY_GATEWAY_CRD_DIR}`,
    objects: backend ?? [],
    optional: rest.flat(),
  };
}

/** Certificate, CertificateRequest, Issuer, ClusterIssuer, Order, Challenge from cert-manager's deploy/crds. */
export async function certManagerManifests(): Promise<ManifestSet> {
  const mod = await goModDownload(CERT_MANAGER_MODULE, CERT_MANAGER_VERSION);
  const dir = join(mod.Dir, CERT_MANAGER_CRD_DIR);
  const objects = readdirSync(dir)
    .filter((f) => f.endsWith('.yaml'))
    .sort()
    .flatMap((f) => parseYamlFile(join(dir, f)));
  return { source: `${CERT_MANAGER_MODULE}@${CERT_MANAGER_VERSION} ${CERT_MANAGER_CRD_DIR}`, objects, optional: [] };
}

export async function crdManifests(opts: CrdOptions = {}): Promise<ManifestSet[]> {
  const sets = [await gatewayApiManifests(opts.gatewayApiVersion ?? DEFAULT_GATEWAY_API_VERSION)];
  if (opts.lbcCrds ?? true) sets.push(await lbcManifests());
  if (opts.envoyCrds ?? true) sets.push(await envoyGatewayManifests());
  if (opts.certManagerCrds ?? true) sets.push(await certManagerManifests());
  return sets;
}

function isEstablished(crd: V1CustomResourceDefinition): boolean {
  return (crd.status?.conditions ?? []).some((c) => c.type === 'Established' && c.status === 'True');
}

/** Polls until every named CRD is Established and its served versions appear in discovery. */
export async function waitForCrds(client: RestClient, crds: KubeObject[], timeoutMs = 60_000): Promise<void> {
  const api = client.kc.makeApiClient(ApiextensionsV1Api);
  const deadline = Date.now() + timeoutMs;
  for (const obj of crds) {
    const name = obj.metadata.name;
    const spec = obj.spec as { group: string; names: { plural: string }; versions: { name: string; served: boolean }[] };
    for (;;) {
      const crd = await api.readCustomResourceDefinition({ name });
      if (isEstablished(crd)) break;
      if (Date.now() > deadline) throw new Error(`CRD ${name} not Established after ${timeoutMs} ms`);
      await new Promise((r) => setTimeout(r, 200));
    }
    for (const v of spec.versions.filter((x) => x.served)) {
      for (;;) {
        const resources = await client.apiResources(`${spec.group}/${v.name}`, true);
        if (resources.some((r) => r.name === spec.names.plural)) break;
        if (Date.now() > deadline) throw new Error(`${spec.names.plural}.${spec.group}/${v.name} not in discovery after ${timeoutMs} ms`);
        await new Promise((r) => setTimeout(r, 200));
      }
      // a new resource's watch cache answers 429 ("storage is (re)initializing") until it has synced
      const list = `/apis/${spec.group}/${v.name}/${spec.names.plural}?limit=1`;
      for (;;) {
        const res = await client.request('GET', list);
        if (res.status === 200) break;
        if (res.status !== 429 || Date.now() > deadline) throw new KubeApiError('GET', list, res.status, res.text, res.body);
        await new Promise((r) => setTimeout(r, 100));
      }
    }
  }
}

export interface InstallResult {
  installed: string[];
  skipped: { name: string; reason: string }[];
}

/**
 * Server-side applies the manifest sets (all CRDs first, then optional objects), waits until the CRDs are
 * Established. `onlyMissing` leaves CRDs that already exist untouched (for an existing cluster).
 */
export async function installCrds(client: RestClient, opts: CrdOptions & { onlyMissing?: boolean } = {}): Promise<InstallResult> {
  const sets = await crdManifests(opts);
  const result: InstallResult = { installed: [], skipped: [] };
  const applied: KubeObject[] = [];
  const started = performance.now();
  for (const set of sets) {
    for (const obj of set.objects) {
      if (opts.onlyMissing && obj.kind === 'CustomResourceDefinition') {
        const res = await client.request('GET', `/apis/apiextensions.k8s.io/v1/customresourcedefinitions/${obj.metadata.name}`);
        if (res.status === 200) continue;
      }
      await client.apply(obj);
      if (obj.kind === 'CustomResourceDefinition') applied.push(obj);
      result.installed.push(`${obj.kind}/${obj.metadata.name}`);
    }
  }
  await waitForCrds(client, applied);
  for (const set of sets) {
    for (const obj of set.optional) {
      try {
        if (opts.onlyMissing) {
          const path = await client.objectPath({ apiVersion: obj.apiVersion, kind: obj.kind, name: obj.metadata.name });
          if ((await client.request('GET', path)).status === 200) continue;
        }
        await client.apply(obj);
        if (obj.kind === 'CustomResourceDefinition') await waitForCrds(client, [obj]);
        result.installed.push(`${obj.kind}/${obj.metadata.name}`);
      } catch (err) {
        const reason = err instanceof KubeApiError ? `HTTP ${err.status}: ${err.message}` : String(err);
        result.skipped.push({ name: `${obj.kind}/${obj.metadata.name}`, reason });
        log(`skipped optional ${obj.kind}/${obj.metadata.name} from ${set.source}: ${reason.slice(0, 300)}`);
      }
    }
  }
  log(`installed ${result.installed.length} objects (${sets.map((s) => s.source).join('; ')}) in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  return result;
}
