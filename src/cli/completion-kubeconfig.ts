// Contexts for `--context <TAB>`, read as kubectl reads the kubeconfig. A module of its own, imported statically
// from the Kubernetes client so that the bundler keeps only KubeConfig (a dynamic import of the package would keep
// all of its generated API, about 15 MB).
import { KubeConfig } from '@kubernetes/client-node';

export interface ContextInfo {
  name: string;
  cluster: string;
  namespace?: string;
}

export function kubeconfigContexts(file?: string): ContextInfo[] {
  const kc = new KubeConfig();
  if (file) kc.loadFromFile(file);
  else kc.loadFromDefault();
  return kc.getContexts().map((c) => (c.namespace ? { name: c.name, cluster: c.cluster, namespace: c.namespace } : { name: c.name, cluster: c.cluster }));
}
