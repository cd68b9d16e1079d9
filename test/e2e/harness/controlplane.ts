/**
 * A real Kubernetes control plane (etcd + kube-apiserver, no controllers) on 127.0.0.1, envtest style.
 *
 *   const cp = new ControlPlane();
 *   await cp.start({ gatewayApiVersion: 'v1.6.1', lbcCrds: true, envoyCrds: true });
 *   ... cp.kubeconfig, cp.client(), cp.client(RESTRICTED_CONTEXT) ...
 *   await cp.stop();
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { closeSync, mkdirSync, mkdtempSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dump } from 'js-yaml';
import { ensureBinaries, log } from './gobuild.ts';
import { generatePki } from './certs.ts';
import { installCrds, type CrdOptions, type InstallResult } from './crds.ts';
import { RestClient } from './rest.ts';
import {
  destroySync,
  isOurProcess,
  pidAlive,
  readStates,
  REAPER_SCRIPT,
  stateFile,
  writeState,
  type ControlPlaneState,
  type ProcessRecord,
} from './state.ts';
import { ADMIN_CONTEXT, DEFAULT_GATEWAY_API_VERSION, KUBERNETES_VERSION, RESTRICTED_CONTEXT, type GatewayApiVersion } from './versions.ts';

export interface ControlPlaneStartOptions extends CrdOptions {
  gatewayApiVersion?: GatewayApiVersion;
  /** keep running after this process exits (`cli.ts up`); stop with `cli.ts down` */
  persistent?: boolean;
}

export const RESTRICTED_CLUSTER_ROLE = 'gwtls-restricted-read';
export const SERVICE_CLUSTER_IP_RANGE = '10.96.0.0/16';

/** Read-only access for the restricted user: Gateway API, provider CRDs and the core objects a diagnosis reads, no Secrets. */
export const RESTRICTED_RULES = [
  {
    apiGroups: ['gateway.networking.k8s.io', 'gateway.networking.x-k8s.io', 'gateway.k8s.aws', 'gateway.envoyproxy.io', 'cert-manager.io', 'acme.cert-manager.io'],
    resources: ['*'],
    verbs: ['get', 'list', 'watch'],
  },
  { apiGroups: [''], resources: ['services', 'endpoints', 'pods', 'namespaces', 'configmaps', 'events'], verbs: ['get', 'list', 'watch'] },
  { apiGroups: ['discovery.k8s.io'], resources: ['endpointslices'], verbs: ['get', 'list', 'watch'] },
  { apiGroups: ['events.k8s.io'], resources: ['events'], verbs: ['get', 'list', 'watch'] },
  { apiGroups: ['apiextensions.k8s.io'], resources: ['customresourcedefinitions'], verbs: ['get', 'list', 'watch'] },
];

const live = new Set<ControlPlane>();
let handlersInstalled = false;

/** Stops every non-persistent control plane of this process on exit and on SIGINT/SIGTERM/SIGHUP. */
function installExitHandlers(): void {
  if (handlersInstalled) return;
  handlersInstalled = true;
  process.on('exit', () => {
    for (const cp of live) cp.stopSync();
  });
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    const handler = () => {
      for (const cp of live) cp.stopSync();
      process.off(sig, handler);
      // nobody else handles it: restore the default action (terminate with the signal)
      if (process.listenerCount(sig) === 0) process.kill(process.pid, sig);
    };
    process.on(sig, handler);
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

function tail(file: string, lines = 30): string {
  try {
    return readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}

const delay = (ms: number) => new Promise((r) => setTimeout(r, ms));

export interface ControlPlaneTimings {
  /** binaries ready (0 build seconds when cached) */
  buildSeconds: number;
  /** etcd + kube-apiserver start until /readyz is ok */
  readySeconds: number;
  /** CRDs + RBAC installed */
  crdSeconds: number;
  /** whole start() */
  totalSeconds: number;
}

export class ControlPlane {
  readonly id = `cp-${Date.now().toString(36)}-${randomBytes(3).toString('hex')}`;
  readonly adminContext = ADMIN_CONTEXT;
  readonly restrictedContext = RESTRICTED_CONTEXT;
  readonly kubernetesVersion = KUBERNETES_VERSION;
  gatewayApiVersion: GatewayApiVersion = DEFAULT_GATEWAY_API_VERSION;
  workDir = '';
  kubeconfig = '';
  server = '';
  timings?: ControlPlaneTimings;
  crds?: InstallResult;
  private state?: ControlPlaneState;

  /** RestClient for a context of this control plane's kubeconfig (default: admin). */
  client(context: string = ADMIN_CONTEXT): RestClient {
    if (!this.kubeconfig) throw new Error('control plane not started');
    return RestClient.fromFile(this.kubeconfig, context);
  }

  get running(): boolean {
    return this.state !== undefined;
  }

  async start(opts: ControlPlaneStartOptions = {}): Promise<this> {
    if (this.state) throw new Error('control plane already started');
    const t0 = performance.now();
    this.gatewayApiVersion = opts.gatewayApiVersion ?? DEFAULT_GATEWAY_API_VERSION;
    reapStale();
    const { etcd, kubeApiserver } = await ensureBinaries();
    const buildSeconds = etcd.buildSeconds + kubeApiserver.buildSeconds;
    const t1 = performance.now();

    installExitHandlers();
    live.add(this);
    try {
      this.workDir = mkdtempSync(join(tmpdir(), 'gwtls-e2e-'));
      const pkiDir = join(this.workDir, 'pki');
      mkdirSync(pkiDir);
      const pki = generatePki();
      const files = {
        ca: join(pkiDir, 'ca.crt'),
        cert: join(pkiDir, 'apiserver.crt'),
        key: join(pkiDir, 'apiserver.key'),
        saKey: join(pkiDir, 'sa.key'),
        saPub: join(pkiDir, 'sa.pub'),
        tokens: join(pkiDir, 'tokens.csv'),
      };
      writeFileSync(files.ca, pki.caCertPem);
      writeFileSync(files.cert, pki.servingCertPem);
      writeFileSync(files.key, pki.servingKeyPem, { mode: 0o600 });
      writeFileSync(files.saKey, pki.serviceAccount.privateKeyPem, { mode: 0o600 });
      writeFileSync(files.saPub, pki.serviceAccount.publicKeyPem);
      writeFileSync(
        files.tokens,
        `${pki.adminToken},${ADMIN_CONTEXT},uid-gwtls-admin,"system:masters"\n${pki.restrictedToken},${RESTRICTED_CONTEXT},uid-gwtls-restricted\n`,
        { mode: 0o600 },
      );

      const [etcdPort, peerPort, apiPort] = [await freePort(), await freePort(), await freePort()];
      this.server = `https://127.0.0.1:${apiPort}`;
      this.kubeconfig = join(this.workDir, 'kubeconfig');
      writeFileSync(this.kubeconfig, this.renderKubeconfig(pki.caCertPem, pki.adminToken, pki.restrictedToken), { mode: 0o600 });

      this.state = {
        id: this.id,
        ownerPid: process.pid,
        persistent: opts.persistent ?? false,
        workDir: this.workDir,
        kubeconfig: this.kubeconfig,
        server: this.server,
        kubernetesVersion: KUBERNETES_VERSION,
        gatewayApiVersion: this.gatewayApiVersion,
        startedAt: new Date().toISOString(),
        processes: [],
      };
      writeState(this.state);
      if (!this.state.persistent) this.startReaper();

      // etcd
      const etcdUrl = `http://127.0.0.1:${etcdPort}`;
      const peerUrl = `http://127.0.0.1:${peerPort}`;
      const etcdLog = join(this.workDir, 'etcd.log');
      this.spawnTracked('etcd', etcd.path, [
        '--name=default',
        `--data-dir=${join(this.workDir, 'etcd-data')}`,
        `--listen-client-urls=${etcdUrl}`,
        `--advertise-client-urls=${etcdUrl}`,
        `--listen-peer-urls=${peerUrl}`,
        `--initial-advertise-peer-urls=${peerUrl}`,
        `--initial-cluster=default=${peerUrl}`,
        '--unsafe-no-fsync=true',
        '--log-level=warn',
      ], etcdLog);
      await this.waitFor('etcd', etcdLog, async () => {
        const res = await fetch(`${etcdUrl}/health`).catch(() => undefined);
        return res?.ok === true;
      });

      // kube-apiserver
      const apiLog = join(this.workDir, 'kube-apiserver.log');
      this.spawnTracked('kube-apiserver', kubeApiserver.path, [
        `--etcd-servers=${etcdUrl}`,
        '--bind-address=127.0.0.1',
        '--advertise-address=127.0.0.1',
        `--secure-port=${apiPort}`,
        `--cert-dir=${join(this.workDir, 'apiserver-certs')}`,
        `--tls-cert-file=${files.cert}`,
        `--tls-private-key-file=${files.key}`,
        `--token-auth-file=${files.tokens}`,
        `--service-account-key-file=${files.saPub}`,
        `--service-account-signing-key-file=${files.saKey}`,
        '--service-account-issuer=https://kubernetes.default.svc.cluster.local',
        `--service-cluster-ip-range=${SERVICE_CLUSTER_IP_RANGE}`,
        '--authorization-mode=RBAC',
        '--endpoint-reconciler-type=none',
        '--disable-admission-plugins=ServiceAccount',
        '--allow-privileged=true',
        '--enable-priority-and-fairness=false',
        '--profiling=false',
      ], apiLog);
      const admin = this.client();
      await this.waitFor('kube-apiserver', apiLog, async () => {
        const res = await admin.request('GET', '/readyz', { timeoutMs: 5_000 }).catch(() => undefined);
        return res?.status === 200;
      });
      const t2 = performance.now();
      log(`control plane ${this.id}: etcd + kube-apiserver ${KUBERNETES_VERSION} ready at ${this.server} in ${((t2 - t1) / 1000).toFixed(1)} s`);

      await this.installRbac(admin);
      this.crds = await installCrds(admin, opts);
      await this.waitForRestrictedAccess();
      const t3 = performance.now();
      this.timings = {
        buildSeconds,
        readySeconds: (t2 - t1) / 1000,
        crdSeconds: (t3 - t2) / 1000,
        totalSeconds: (t3 - t0) / 1000,
      };
      log(`control plane ${this.id}: ready with CRDs (Gateway API ${this.gatewayApiVersion}) in ${((t3 - t1) / 1000).toFixed(1)} s; kubeconfig ${this.kubeconfig}`);
      if (this.state.persistent) live.delete(this);
      return this;
    } catch (err) {
      this.stopSync();
      throw err;
    }
  }

  private renderKubeconfig(caPem: string, adminToken: string, restrictedToken: string): string {
    const cluster = 'gwtls-e2e';
    return dump({
      apiVersion: 'v1',
      kind: 'Config',
      clusters: [{ name: cluster, cluster: { server: this.server, 'certificate-authority-data': Buffer.from(caPem).toString('base64') } }],
      users: [
        { name: ADMIN_CONTEXT, user: { token: adminToken } },
        { name: RESTRICTED_CONTEXT, user: { token: restrictedToken } },
      ],
      contexts: [
        { name: ADMIN_CONTEXT, context: { cluster, user: ADMIN_CONTEXT, namespace: 'default' } },
        { name: RESTRICTED_CONTEXT, context: { cluster, user: RESTRICTED_CONTEXT, namespace: 'default' } },
      ],
      'current-context': ADMIN_CONTEXT,
      preferences: {},
    });
  }

  /**
   * Runs another process against this control plane (a controller such as the cert-manager wrapper), tracked like
   * etcd and kube-apiserver: stopped first by stop(), the watchdog and `cli.ts down`. Its output goes to
   * `<workDir>/<name>.log`.
   */
  startProcess(name: string, exe: string, args: string[]): { pid: number; logFile: string } {
    if (!this.state) throw new Error('control plane not started');
    const logFile = join(this.workDir, `${name}.log`);
    this.spawnTracked(name, exe, args, logFile);
    return { pid: this.state.processes.at(-1)!.pid, logFile };
  }

  private spawnTracked(name: string, exe: string, args: string[], logFile: string): void {
    const fd = openSync(logFile, 'a');
    const child = spawn(exe, args, { detached: true, stdio: ['ignore', fd, fd], cwd: this.workDir });
    closeSync(fd);
    if (child.pid === undefined) throw new Error(`could not start ${exe}`);
    child.unref();
    child.on('error', () => undefined);
    const rec: ProcessRecord = { name, pid: child.pid, exe };
    this.state!.processes.push(rec);
    writeState(this.state!);
  }

  private startReaper(): void {
    const child = spawn(process.execPath, ['-e', REAPER_SCRIPT, String(process.pid), stateFile(this.id)], {
      detached: true,
      stdio: 'ignore',
    });
    if (child.pid === undefined) return;
    child.unref();
    this.state!.reaper = { name: 'reaper', pid: child.pid, exe: process.execPath };
    writeState(this.state!);
  }

  private async waitFor(name: string, logFile: string, probe: () => Promise<boolean>, timeoutMs = 90_000): Promise<void> {
    const rec = this.state!.processes.find((p) => p.name === name)!;
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      if (await probe()) return;
      if (!pidAlive(rec.pid)) throw new Error(`${name} exited during start; last log lines (${logFile}):\n${tail(logFile)}`);
      if (Date.now() > deadline) throw new Error(`${name} not ready after ${timeoutMs} ms; last log lines (${logFile}):\n${tail(logFile)}`);
      await delay(100);
    }
  }

  private async installRbac(admin: RestClient): Promise<void> {
    await admin.apply({
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRole',
      metadata: { name: RESTRICTED_CLUSTER_ROLE },
      rules: RESTRICTED_RULES,
    });
    await admin.apply({
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRoleBinding',
      metadata: { name: RESTRICTED_CLUSTER_ROLE },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: RESTRICTED_CLUSTER_ROLE },
      subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'User', name: RESTRICTED_CONTEXT }],
    });
  }

  /** RBAC is served from an informer cache: wait until the binding is in effect. */
  private async waitForRestrictedAccess(timeoutMs = 30_000): Promise<void> {
    const restricted = this.client(RESTRICTED_CONTEXT);
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const res = await restricted.request('GET', '/apis/gateway.networking.k8s.io/v1/gateways?limit=1');
      if (res.status === 200) return;
      if (Date.now() > deadline) throw new Error(`restricted user still gets HTTP ${res.status} listing gateways`);
      await delay(100);
    }
  }

  /** Stops kube-apiserver then etcd (SIGTERM, then SIGKILL after 10 s) and removes the temp dir and state file. */
  async stop(): Promise<void> {
    this.stopSync();
  }

  stopSync(): void {
    live.delete(this);
    if (!this.state) return;
    const state = this.state;
    this.state = undefined;
    destroySync(state);
  }

  /** Pids of the running etcd and kube-apiserver (for tests of the harness). */
  processes(): ProcessRecord[] {
    return this.state ? this.state.processes.filter(isOurProcess) : [];
  }
}

/** Stops control planes whose owning process died without cleaning up (never persistent ones). */
export function reapStale(): number {
  let n = 0;
  for (const state of readStates()) {
    if (state.persistent || pidAlive(state.ownerPid)) continue;
    log(`stopping stale control plane ${state.id} (owner ${state.ownerPid} is gone)`);
    destroySync(state);
    n++;
  }
  return n;
}

/** For `cli.ts down`: stops persistent control planes (and stale ones); `all` also stops those of live owners. */
export function stopRecorded(opts: { all?: boolean } = {}): ControlPlaneState[] {
  const stopped: ControlPlaneState[] = [];
  for (const state of readStates()) {
    const ownerGone = !pidAlive(state.ownerPid);
    if (!state.persistent && !ownerGone && !opts.all) continue;
    destroySync(state);
    stopped.push(state);
  }
  return stopped;
}
