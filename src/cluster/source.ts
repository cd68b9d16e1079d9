// One interface, two sources: manifest files, or a live cluster (loaded lazily: the Kubernetes client is
// the heaviest dependency and files mode does not need it).
import type { Scope } from '../graph/model.ts';
import { loadManifests, type InputError } from './manifests.ts';
import type { ApiClient } from './api-client.ts';
import type { Snapshot } from './snapshot.ts';

export interface ClusterAccess {
  kubeconfig?: string;
  context?: string;
  requestTimeoutMs?: number;
}

export interface LoadRequest {
  files?: string[];
  /** -n: the namespace to look in (cluster) or to give objects without one (files). */
  namespace?: string;
  allNamespaces: boolean;
  gatewayName?: string;
  cluster: ClusterAccess;
}

export interface LoadResult {
  snapshot: Snapshot;
  scope: Scope;
  inputErrors: InputError[];
  ignored: Record<string, number>;
  /** Present for cluster sources: the client used, for writes (--apply) and follow-up reads. */
  cluster?: { client: ApiClient; context: string; server: string };
}

export async function loadSnapshot(req: LoadRequest): Promise<LoadResult> {
  if (req.files && req.files.length > 0) {
    const { snapshot, errors, ignored } = await loadManifests(req.files, req.namespace ?? 'default');
    // Files are analysed whole unless a namespace is asked for explicitly.
    const scope: Scope = { allNamespaces: req.allNamespaces || req.namespace === undefined };
    if (req.namespace !== undefined && !req.allNamespaces) scope.namespace = req.namespace;
    if (req.gatewayName) scope.gatewayName = req.gatewayName;
    return { snapshot, scope, inputErrors: errors, ignored };
  }
  const { loadFromCluster } = await import('./live.ts');
  return loadFromCluster(req);
}
