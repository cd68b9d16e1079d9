// Which versions of each kind the cluster serves, from aggregated discovery (one request for /apis, one for
// /api on Kubernetes >= 1.30), falling back to per-group discovery on older servers.
import type { ApiClient } from './api-client.ts';
import { KINDS, type KindInfo, type KindName } from './kinds.ts';

export interface Served {
  /** Served versions per kind (resource plural), and the group's preferred version. */
  versions: Map<KindName, string[]>;
  preferred: Map<string, string>;
}

const AGGREGATED = 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList,application/json';

type Raw = Record<string, unknown>;
const arr = (x: unknown): Raw[] => (Array.isArray(x) ? (x as Raw[]) : []);

export async function discover(client: ApiClient): Promise<Served> {
  const served: Served = { versions: new Map(), preferred: new Map() };
  const byGroupPlural = new Map<string, KindName>();
  for (const info of Object.values(KINDS)) byGroupPlural.set(`${info.group}/${info.plural}`, info.kind);
  const record = (group: string, version: string, plural: string) => {
    const kind = byGroupPlural.get(`${group}/${plural}`);
    if (!kind) return;
    const list = served.versions.get(kind) ?? [];
    if (!list.includes(version)) list.push(version);
    served.versions.set(kind, list);
  };
  const [apis, core] = await Promise.all([client.get('/apis', AGGREGATED), client.get('/api', AGGREGATED)]);
  for (const doc of [core, apis]) {
    if (doc.kind === 'APIGroupDiscoveryList') {
      for (const g of arr(doc.items)) {
        const group = String((g.metadata as Raw | undefined)?.name ?? '');
        const versions = arr(g.versions);
        if (versions[0]) served.preferred.set(group, String(versions[0].version));
        for (const v of versions) for (const r of arr(v.resources)) record(group, String(v.version), String(r.resource));
      }
    } else if (doc.kind === 'APIVersions') {
      for (const plural of ['services', 'pods', 'secrets', 'configmaps', 'namespaces', 'events']) record('', 'v1', plural);
    } else if (doc.kind === 'APIGroupList') {
      const wanted = new Set(Object.values(KINDS).map((k: KindInfo) => k.group));
      const groups = arr(doc.groups).filter((g) => wanted.has(String(g.name)));
      await Promise.all(
        groups.flatMap((g) => {
          const group = String(g.name);
          served.preferred.set(group, String((g.preferredVersion as Raw | undefined)?.version ?? ''));
          return arr(g.versions).map(async (v) => {
            const version = String(v.version);
            const res = await client.get(`/apis/${group}/${version}`);
            for (const r of arr(res.resources)) if (!String(r.name).includes('/')) record(group, version, String(r.name));
          });
        }),
      );
    }
  }
  return served;
}

/** The version to read a kind at: the group's preferred version if it serves the kind, else the newest served one we understand. */
export function versionToRead(kind: KindName, served: Served): string | undefined {
  const versions = served.versions.get(kind);
  if (!versions || versions.length === 0) return undefined;
  const info = KINDS[kind];
  const preferred = served.preferred.get(info.group);
  if (preferred && versions.includes(preferred) && info.versions.includes(preferred)) return preferred;
  return info.versions.find((v) => versions.includes(v)) ?? versions[0];
}
