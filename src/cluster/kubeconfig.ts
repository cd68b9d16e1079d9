// kubeconfig as kubectl reads it: --kubeconfig, else $KUBECONFIG (several files, merged), else ~/.kube/config;
// --context, else current-context. Client certificates, tokens and exec credential plugins come with it; exec
// plugins get the request timeout as their deadline.
import { existsSync } from 'node:fs';
import { KubeConfig } from '@kubernetes/client-node';
import { UserError } from '../cli/errors.ts';
import { installExecCredentials } from './exec-credential.ts';
import type { ClusterAccess } from './source.ts';

export interface LoadedKubeConfig {
  kc: KubeConfig;
  context: string;
  server: string;
  namespace: string;
}

export function loadKubeConfig(access: ClusterAccess): LoadedKubeConfig {
  const kc = new KubeConfig();
  const from = access.kubeconfig ?? process.env.KUBECONFIG;
  try {
    if (access.kubeconfig) {
      if (!existsSync(access.kubeconfig)) throw new UserError(`kubeconfig ${access.kubeconfig} does not exist`);
      kc.loadFromFile(access.kubeconfig);
    } else {
      const files = (process.env.KUBECONFIG ?? '').split(process.platform === 'win32' ? ';' : ':').filter(Boolean);
      const missing = files.filter((f) => !existsSync(f));
      if (files.length > 0 && missing.length === files.length) throw new UserError(`no kubeconfig found: KUBECONFIG names ${files.join(', ')}, and none exists`);
      kc.loadFromDefault();
    }
  } catch (e) {
    if (e instanceof UserError) throw e;
    throw new UserError(`cannot read kubeconfig${from ? ` ${from}` : ''}: ${(e as Error).message.split('\n')[0]}`);
  }
  if (access.context) {
    if (!kc.getContextObject(access.context)) {
      const names = kc.getContexts().map((c) => c.name);
      throw new UserError(`context "${access.context}" not found in kubeconfig${names.length ? ` (contexts: ${names.join(', ')})` : ''}`);
    }
    kc.setCurrentContext(access.context);
  }
  const context = kc.getCurrentContext();
  const ctx = context ? kc.getContextObject(context) : null;
  if (!ctx) {
    const names = kc.getContexts().map((c) => c.name);
    throw new UserError(
      names.length ? `no current context in kubeconfig; choose one with --context (${names.join(', ')})` : 'no kubeconfig with a cluster was found (set KUBECONFIG or --kubeconfig, or use -f to read manifest files)',
    );
  }
  const cluster = kc.getCurrentCluster();
  if (!cluster?.server) throw new UserError(`context "${context}" names cluster "${ctx.cluster}", which is not in the kubeconfig or has no server`);
  if (!kc.getCurrentUser()) throw new UserError(`context "${context}" names user "${ctx.user}", which is not in the kubeconfig`);
  installExecCredentials(kc, {
    deadlineMs: access.requestTimeoutMs ?? 30_000,
    deadlineFlag: '--request-timeout',
    cluster: { server: cluster.server, ...(cluster.caData ? { certificateAuthorityData: cluster.caData } : {}), ...(cluster.skipTLSVerify ? { insecureSkipTlsVerify: true } : {}), ...(cluster.tlsServerName ? { tlsServerName: cluster.tlsServerName } : {}) },
  });
  return { kc, context, server: cluster.server, namespace: ctx.namespace ?? 'default' };
}
