// Whether there is a cluster to cross-check against, decided without loading the Kubernetes client (probing a
// host must start fast, and a machine without a kubeconfig must not pay for it).
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { ClusterAccess } from '../cluster/source.ts';

/** null when a kubeconfig (or in-cluster credentials) may be usable; otherwise why not, in words. */
export function noKubeconfigReason(access: ClusterAccess): string | null {
  if (access.kubeconfig) return existsSync(access.kubeconfig) ? null : `kubeconfig ${access.kubeconfig} does not exist`;
  const files = (process.env.KUBECONFIG ?? '').split(process.platform === 'win32' ? ';' : ':').filter(Boolean);
  if (files.length > 0) return files.some((f) => existsSync(f)) ? null : `none of the KUBECONFIG files exists (${files.join(', ')})`;
  if (existsSync(join(homedir(), '.kube', 'config'))) return null;
  if (process.env.KUBERNETES_SERVICE_HOST && existsSync('/var/run/secrets/kubernetes.io/serviceaccount/token')) return null;
  return 'no kubeconfig (set KUBECONFIG or --kubeconfig)';
}
