// One interface, three ways in: manifest files, a live cluster, or files laid over a live cluster (overlay: the
// cluster as it would be after server-side applying the files). The cluster code is loaded lazily: the
// Kubernetes client is the heaviest dependency and files mode does not need it.
import type { Scope } from '../graph/model.ts';
import { loadManifests, type InputError, type InputWarning } from './manifests.ts';
import type { ApiClient } from './api-client.ts';
import type { Snapshot } from './snapshot.ts';

export interface ClusterAccess {
  kubeconfig?: string;
  context?: string;
  requestTimeoutMs?: number;
}

export interface LoadRequest {
  files?: string[];
  /** Files over the cluster (overlay) rather than files alone. */
  overlay?: boolean;
  /** -n: the namespace to look in (cluster) or to give objects without one (files). */
  namespace?: string;
  allNamespaces: boolean;
  gatewayName?: string;
  cluster: ClusterAccess;
  /** Bytes per -f input (--max-input-bytes). */
  maxInputBytes?: number;
}

export interface LoadResult {
  snapshot: Snapshot;
  scope: Scope;
  inputErrors: InputError[];
  /** Read anyway, but worth a line on stderr: duplicate objects merged, symbolic link loops. */
  inputWarnings: InputWarning[];
  ignored: Record<string, number>;
  /** Present for cluster sources: the client used, for writes (--apply) and follow-up reads. */
  cluster?: { client: ApiClient; context: string; server: string };
}

export async function loadSnapshot(req: LoadRequest): Promise<LoadResult> {
  if (req.files && req.files.length > 0 && !req.overlay) {
    const { snapshot, errors, warnings, ignored } = await loadManifests(req.files, req.namespace ?? 'default', req.maxInputBytes === undefined ? {} : { maxInputBytes: req.maxInputBytes });
    // Files are analysed whole unless a namespace is asked for explicitly.
    const scope: Scope = { allNamespaces: req.allNamespaces || req.namespace === undefined };
    if (req.namespace !== undefined && !req.allNamespaces) scope.namespace = req.namespace;
    if (req.gatewayName) scope.gatewayName = req.gatewayName;
    return { snapshot, scope, inputErrors: errors, inputWarnings: warnings, ignored };
  }
  const { loadFromCluster } = await import('./live.ts');
  return loadFromCluster(req);
}
