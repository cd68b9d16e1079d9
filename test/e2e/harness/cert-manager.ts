/**
 * A real cert-manager v1.21.2 against an e2e control plane: the controllers of github.com/cert-manager/cert-manager
 * (pkg/controller) built into test/e2e/controlplane/cert-manager (cached like the other binaries) and run out of
 * cluster as a process the control plane tracks (stopped with it, by its watchdog too).
 */
import { readFileSync } from 'node:fs';
import type { ControlPlane } from './controlplane.ts';
import { ensureBinary, log, type BuiltBinary } from './gobuild.ts';
import { pidAlive } from './state.ts';

/** Where ClusterIssuers keep their Secrets (the wrapper's -cluster-resource-namespace). */
export const CLUSTER_RESOURCE_NAMESPACE = 'cert-manager';

export interface RunningCertManager {
  binary: BuiltBinary;
  pid: number;
  logFile: string;
  /** From spawn to "controllers started" (informers synced enough to run). */
  startSeconds: number;
}

export interface CertManagerOptions {
  /** config.enableGatewayAPI (default true): false runs it without the gateway-shim, as a default install does. */
  enableGatewayAPI?: boolean;
}

function tail(file: string, lines = 30): string {
  try {
    return readFileSync(file, 'utf8').split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}

export async function startCertManager(cp: ControlPlane, opts: CertManagerOptions = {}): Promise<RunningCertManager> {
  const binary = await ensureBinary('cert-manager');
  const admin = cp.client();
  await admin.apply({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: CLUSTER_RESOURCE_NAMESPACE } });
  const started = performance.now();
  const args = ['-kubeconfig', cp.kubeconfig, '-cluster-resource-namespace', CLUSTER_RESOURCE_NAMESPACE, `-enable-gateway-api=${opts.enableGatewayAPI ?? true}`];
  const { pid, logFile } = cp.startProcess('cert-manager', binary.path, args);
  const deadline = Date.now() + 60_000;
  for (;;) {
    const text = tail(logFile, 200);
    if (text.includes('cert-manager: controllers started')) break;
    if (!pidAlive(pid)) throw new Error(`cert-manager exited during start; last log lines (${logFile}):\n${tail(logFile)}`);
    if (Date.now() > deadline) throw new Error(`cert-manager did not start within 60 s; last log lines (${logFile}):\n${tail(logFile)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  const startSeconds = (performance.now() - started) / 1000;
  log(`cert-manager ${binary.version}: controllers started in ${startSeconds.toFixed(1)} s (log ${logFile})`);
  return { binary, pid, logFile, startSeconds };
}

export function certManagerLog(running: RunningCertManager): string {
  return tail(running.logFile, 400);
}
