/**
 * A real Gateway API implementation beside the e2e control plane: Traefik (built from the Go module proxy,
 * gobuild.ts) run out of cluster with its Kubernetes Gateway provider pointed at the harness API server, and
 * real backend servers.
 *
 *   const gw = await new TraefikGateway().start({ kubeconfig });   // GatewayClass `traefik` Accepted by Traefik
 *   await gw.startBackends([{ name: 'plain', kind: 'http', port: 8080 }]);   // on 10.254.0.1 in the namespace
 *   ... Gateway listeners on gw.entryPoints.websecure etc., requests to 127.0.0.1:<port> ...
 *   await gw.stop();
 *
 * Network: the API server refuses EndpointSlice addresses in 127.0.0.0/8, so backends need another address.
 * Traffic to such an address must stay inside a network namespace the run creates, never the host's: Traefik
 * and the backends run in a fresh network namespace (`unshare --net`, as root; `unshare --user
 * --map-root-user --net` otherwise) whose `lo` carries 127.0.0.1 and BACKEND_ADDRESS/32. Two relays
 * (relay.ts) join it to the host through Unix sockets: Traefik reaches the API server at the same
 * 127.0.0.1:PORT as on the host, and every entry point is reachable at the same 127.0.0.1:PORT on the host, so
 * Gateway listeners, `kubectl gwtls probe --connect-to 127.0.0.1` and `inspect --probe` (status address
 * 127.0.0.1) all reach Traefik's real entry points. The namespace, and the address in it, disappear with its
 * last process. Where a namespace cannot be created, `unavailableReason()` says why and the tests skip.
 */
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { closeSync, existsSync, mkdtempSync, openSync, readFileSync, readlinkSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { dump } from 'js-yaml';
import type { BackendServerSpec } from './backend-servers.ts';
import { ensureBinary, findGo, log, type BuiltBinary } from './gobuild.ts';
import { loadKubeConfig, RestClient } from './rest.ts';
import { destroySync, isOurProcess, pidAlive, REAPER_SCRIPT, stateFile, writeState, type ControlPlaneState, type ProcessRecord } from './state.ts';
import { TRAEFIK_CONTROLLER_NAME, TRAEFIK_VERSION } from './versions.ts';

export type { BackendServerSpec } from './backend-servers.ts';

/** The backends' address inside the gateway's network namespace (a private /32 on its `lo`). */
export const BACKEND_ADDRESS = '10.254.0.1';
export const GATEWAY_CLASS = 'traefik';

/** Traefik entry points (one port each, on 127.0.0.1 in the namespace and, through the relay, on the host). */
export const ENTRY_POINTS = ['web', 'websecure', 'tls', 'passthrough', 'tcp', 'extra'] as const;
export type EntryPointName = (typeof ENTRY_POINTS)[number];

const HARNESS_DIR = fileURLToPath(new URL('.', import.meta.url));
const delay = (ms: number) => new Promise((r) => setTimeout(r, ms));

function which(cmd: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(delimiter).concat(['/usr/sbin', '/sbin', '/usr/bin', '/bin'])) {
    if (dir && existsSync(join(dir, cmd))) return join(dir, cmd);
  }
  return undefined;
}

/** `n` distinct free loopback ports (held open together, then released). */
async function freePorts(n: number): Promise<number[]> {
  const servers = await Promise.all(
    Array.from({ length: n }, () => new Promise<Server>((resolve, reject) => {
      const srv = createServer();
      srv.unref();
      srv.on('error', reject);
      srv.listen(0, '127.0.0.1', () => resolve(srv));
    })),
  );
  const ports = servers.map((srv) => {
    const addr = srv.address();
    return typeof addr === 'object' && addr ? addr.port : 0;
  });
  await Promise.all(servers.map((srv) => new Promise((r) => srv.close(r))));
  return ports;
}

function tail(file: string, lines = 30): string {
  try {
    return readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}

const isRoot = () => process.getuid?.() === 0;

/** Why a gateway cannot run here (no Go, not Linux, no unshare/nsenter/ip), or undefined. Creating the namespace may still fail: start() then says why. */
export function unavailableReason(): string | undefined {
  if (process.platform !== 'linux') return `network namespaces need Linux (this is ${process.platform})`;
  if (!findGo()) return 'no Go toolchain to build Traefik (`go` not on PATH, no /usr/local/go/bin/go)';
  for (const cmd of ['unshare', 'nsenter', 'ip']) if (!which(cmd)) return `\`${cmd}\` not found (util-linux and iproute2 are needed for the gateway's network namespace)`;
  return undefined;
}

export class GatewayUnavailable extends Error {}

export interface TraefikStartOptions {
  kubeconfig: string;
  /** kubeconfig context whose token Traefik uses (default: the current one; it must read Secrets and write status) */
  context?: string;
  /** keep running after this process exits (`cli.ts up --with-gateway`); stopped by `cli.ts down` */
  persistent?: boolean;
}

export interface TraefikTimings {
  /** 0 when the cached binary was used */
  buildSeconds: number;
  /** namespace + relays + Traefik until /ping answers and Traefik has Accepted the GatewayClass */
  startSeconds: number;
}

export class TraefikGateway {
  readonly id = `traefik-${Date.now().toString(36)}-${randomBytes(3).toString('hex')}`;
  readonly version = TRAEFIK_VERSION;
  readonly gatewayClass = GATEWAY_CLASS;
  readonly backendAddress = BACKEND_ADDRESS;
  entryPoints = {} as Record<EntryPointName, number>;
  pingPort = 0;
  workDir = '';
  logFile = '';
  binary?: BuiltBinary;
  timings?: TraefikTimings;
  private state?: ControlPlaneState;
  private nsenter: string[] = [];
  private backendCount = 0;

  get running(): boolean {
    return this.state !== undefined;
  }

  async start(opts: TraefikStartOptions): Promise<this> {
    if (this.state) throw new Error('gateway already started');
    const reason = unavailableReason();
    if (reason) throw new GatewayUnavailable(reason);
    const t0 = performance.now();
    this.binary = await ensureBinary('traefik');
    const t1 = performance.now();
    const kc = loadKubeConfig(opts.kubeconfig, opts.context);
    const cluster = kc.getCurrentCluster();
    const user = kc.getCurrentUser();
    if (!cluster || !user?.token) throw new Error(`kubeconfig ${opts.kubeconfig}: Traefik needs a context with a bearer token`);
    const server = new URL(cluster.server);
    if (server.hostname !== '127.0.0.1') throw new Error(`the gateway reaches the API server through a loopback relay; ${cluster.server} is not on 127.0.0.1`);
    const apiPort = Number(server.port || 443);

    this.workDir = mkdtempSync(join(tmpdir(), 'gwtls-e2e-traefik-'));
    this.logFile = join(this.workDir, 'traefik.log');
    this.state = {
      id: this.id,
      ownerPid: process.pid,
      persistent: opts.persistent ?? false,
      workDir: this.workDir,
      kubeconfig: opts.kubeconfig,
      server: cluster.server,
      kubernetesVersion: `Traefik ${TRAEFIK_VERSION}`,
      gatewayApiVersion: `GatewayClass ${GATEWAY_CLASS}`,
      startedAt: new Date().toISOString(),
      processes: [],
    };
    writeState(this.state);
    const onExit = () => {
      if (this.state && !this.state.persistent) this.stopSync();
    };
    process.once('exit', onExit);
    try {
      if (!this.state.persistent) this.startReaper();
      await this.createNamespace();
      const sock = (name: string) => join(this.workDir, `${name}.sock`);
      let ports: Array<readonly [string, number]> = [];
      // host side: the API server for the namespace, the entry points for the host. A port found free can be
      // taken by another process before the relay binds it (the machine is shared): then pick new ones.
      for (let attempt = 1; ; attempt++) {
        const picked = await freePorts(ENTRY_POINTS.length + 1);
        ENTRY_POINTS.forEach((name, i) => (this.entryPoints[name] = picked[i]!));
        this.pingPort = picked.at(-1)!;
        ports = [...Object.entries(this.entryPoints), ['ping', this.pingPort] as const];
        try {
          await this.spawnReady(`relay-host`, process.execPath, [join(HARNESS_DIR, 'relay.ts'), `unix:${sock('api')}=tcp:127.0.0.1:${apiPort}`, ...ports.map(([n, p]) => `tcp:127.0.0.1:${p}=unix:${sock(`ep-${n}`)}`)]);
          break;
        } catch (err) {
          const inUse = /EADDRINUSE/.test(tail(join(this.workDir, 'relay-host.log')));
          this.state!.processes = this.state!.processes.filter((p) => p.name !== 'relay-host');
          writeState(this.state!);
          if (!inUse || attempt >= 3) throw err;
          writeFileSync(join(this.workDir, 'relay-host.log'), '');
        }
      }
      await this.spawnReady('relay-netns', process.execPath, [join(HARNESS_DIR, 'relay.ts'), `tcp:127.0.0.1:${apiPort}=unix:${sock('api')}`, ...ports.map(([n, p]) => `unix:${sock(`ep-${n}`)}=tcp:127.0.0.1:${p}`)], true);

      const caFile = join(this.workDir, 'ca.crt');
      const caData = cluster.caData ? Buffer.from(cluster.caData, 'base64').toString() : cluster.caFile ? readFileSync(cluster.caFile, 'utf8') : '';
      writeFileSync(caFile, caData);
      const configFile = join(this.workDir, 'traefik.yaml');
      writeFileSync(configFile, this.renderConfig(cluster.server, user.token, caFile), { mode: 0o600 });
      this.spawnTracked('traefik', this.binary.path, [`--configFile=${configFile}`], join(this.workDir, 'traefik.out'), true);
      await this.waitFor('traefik', async () => (await fetch(`http://127.0.0.1:${this.pingPort}/ping`).catch(() => undefined))?.ok === true);
      await this.acceptGatewayClass(RestClient.fromFile(opts.kubeconfig, opts.context));
      this.timings = { buildSeconds: this.binary.buildSeconds, startSeconds: (performance.now() - t1) / 1000 };
      log(`gateway ${this.id}: Traefik ${TRAEFIK_VERSION} ready in ${this.timings.startSeconds.toFixed(1)} s (entry points ${ENTRY_POINTS.map((n) => `${n} 127.0.0.1:${this.entryPoints[n]}`).join(', ')}; backends on ${BACKEND_ADDRESS} in its network namespace; whole start ${((performance.now() - t0) / 1000).toFixed(1)} s)`);
      return this;
    } catch (err) {
      const logs = this.logFile ? `\nTraefik log (${this.logFile}):\n${tail(this.logFile)}` : '';
      this.stopSync();
      if (err instanceof GatewayUnavailable) throw err;
      throw new Error(`${err instanceof Error ? err.message : String(err)}${logs}`, { cause: err });
    }
  }

  /** Starts real servers on BACKEND_ADDRESS inside the namespace (one process per call; ports must differ). */
  async startBackends(servers: BackendServerSpec[]): Promise<void> {
    if (!this.state) throw new Error('gateway not started');
    const n = ++this.backendCount;
    const file = join(this.workDir, `backends-${n}.json`);
    writeFileSync(file, JSON.stringify({ address: BACKEND_ADDRESS, servers }), { mode: 0o600 });
    await this.spawnReady(`backends-${n}`, process.execPath, [join(HARNESS_DIR, 'backend-servers.ts'), file], true);
  }

  /** The command prefix that runs a program inside the gateway's network namespace (for manual backends). */
  get enterNamespace(): string {
    return this.nsenter.join(' ');
  }

  /** The Traefik log so far (for failure messages). */
  log(lines = 40): string {
    return tail(this.logFile, lines);
  }

  async stop(): Promise<void> {
    this.stopSync();
  }

  stopSync(): void {
    if (!this.state) return;
    const state = this.state;
    this.state = undefined;
    destroySync(state);
  }

  processes(): ProcessRecord[] {
    return this.state ? this.state.processes.filter(isOurProcess) : [];
  }

  private renderConfig(server: string, token: string, caFile: string): string {
    const entryPoints: Record<string, { address: string }> = { traefik: { address: `127.0.0.1:${this.pingPort}` } };
    for (const name of ENTRY_POINTS) entryPoints[name] = { address: `127.0.0.1:${this.entryPoints[name]}` };
    return dump({
      global: { checkNewVersion: false, sendAnonymousUsage: false },
      entryPoints,
      ping: { entryPoint: 'traefik' },
      log: { level: 'DEBUG', filePath: this.logFile, noColor: true },
      providers: {
        providersThrottleDuration: '100ms',
        kubernetesGateway: {
          endpoint: server,
          token,
          certAuthFilePath: caFile,
          experimentalChannel: true,
          statusAddress: { ip: '127.0.0.1' },
        },
      },
    });
  }

  /** GatewayClass `traefik` (created if absent), and wait until Traefik has written Accepted=True: its provider is connected. */
  private async acceptGatewayClass(client: RestClient): Promise<void> {
    await client.apply({ apiVersion: 'gateway.networking.k8s.io/v1', kind: 'GatewayClass', metadata: { name: GATEWAY_CLASS }, spec: { controllerName: TRAEFIK_CONTROLLER_NAME } });
    await this.waitFor('traefik', async () => {
      const res = await client.request<{ metadata: { generation?: number }; status?: { conditions?: Array<{ type: string; status: string; observedGeneration?: number }> } }>('GET', `/apis/gateway.networking.k8s.io/v1/gatewayclasses/${GATEWAY_CLASS}`);
      const accepted = res.body?.status?.conditions?.find((c) => c.type === 'Accepted');
      return res.status === 200 && accepted?.status === 'True' && accepted.observedGeneration === res.body.metadata.generation;
    });
  }

  private async createNamespace(): Promise<void> {
    const root = isRoot();
    const holderArgs = [...(root ? [] : ['--user', '--map-root-user']), '--net', '--', process.execPath, '-e', 'setInterval(() => {}, 1 << 30)'];
    this.spawnTracked('netns', which('unshare')!, holderArgs, join(this.workDir, 'netns.log'), false, process.execPath);
    const holder = this.state!.processes.at(-1)!;
    const own = readlinkSync('/proc/self/ns/net');
    const deadline = Date.now() + 10_000;
    for (;;) {
      let ns = own;
      try {
        ns = readlinkSync(`/proc/${holder.pid}/ns/net`);
      } catch {
        // not there yet, or gone
      }
      if (ns !== own) break;
      if (!pidAlive(holder.pid)) throw new GatewayUnavailable(`cannot create a network namespace (unshare ${holderArgs.slice(0, -4).join(' ')}): ${tail(join(this.workDir, 'netns.log'), 3)}`);
      if (Date.now() > deadline) throw new GatewayUnavailable('the network namespace did not appear within 10 s');
      await delay(20);
    }
    this.nsenter = [which('nsenter')!, `--target=${holder.pid}`, ...(root ? [] : ['--user', '--preserve-credentials']), '--net', '--'];
    for (const args of [['link', 'set', 'lo', 'up'], ['addr', 'add', `${BACKEND_ADDRESS}/32`, 'dev', 'lo']]) {
      const r = spawnSync(this.nsenter[0]!, [...this.nsenter.slice(1), which('ip')!, ...args], { encoding: 'utf8' });
      if (r.status !== 0) throw new GatewayUnavailable(`cannot set up the gateway's network namespace (ip ${args.join(' ')}): ${(r.stderr || r.error?.message || '').trim()}`);
    }
  }

  /** Spawns a process (inside the namespace when `inNamespace`) as its own process group leader, logging to a file, and records it. */
  private spawnTracked(name: string, exe: string, args: string[], logFile: string, inNamespace = false, recordedExe = exe): ProcessRecord {
    const [cmd, ...prefix] = inNamespace ? [...this.nsenter, exe] : [exe];
    const fd = openSync(logFile, 'a');
    const child = spawn(cmd!, [...prefix, ...args], { detached: true, stdio: ['ignore', fd, fd], cwd: this.workDir });
    closeSync(fd);
    if (child.pid === undefined) throw new Error(`could not start ${exe}`);
    child.unref();
    child.on('error', () => undefined);
    const rec: ProcessRecord = { name, pid: child.pid, exe: recordedExe };
    this.state!.processes.push(rec);
    writeState(this.state!);
    return rec;
  }

  /** Spawns a helper that prints `ready` and waits for it. */
  private async spawnReady(name: string, exe: string, args: string[], inNamespace = false): Promise<void> {
    const logFile = join(this.workDir, `${name}.log`);
    this.spawnTracked(name, exe, args, logFile, inNamespace);
    await this.waitFor(name, async () => /^ready$/m.test(readFileSync(logFile, 'utf8')), 30_000, logFile);
  }

  private async waitFor(name: string, probe: () => Promise<boolean>, timeoutMs = 60_000, logFile = this.logFile): Promise<void> {
    const rec = this.state!.processes.find((p) => p.name === name)!;
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      if (await probe()) return;
      if (!pidAlive(rec.pid)) throw new Error(`${name} exited during start; last log lines (${logFile}):\n${tail(logFile)}\n${tail(join(this.workDir, `${name}.out`), 10)}`);
      if (Date.now() > deadline) throw new Error(`${name} not ready after ${timeoutMs} ms; last log lines (${logFile}):\n${tail(logFile)}`);
      await delay(100);
    }
  }

  private startReaper(): void {
    const child = spawn(process.execPath, ['-e', REAPER_SCRIPT, String(process.pid), stateFile(this.id)], { detached: true, stdio: 'ignore' });
    if (child.pid === undefined) return;
    child.unref();
    this.state!.reaper = { name: 'reaper', pid: child.pid, exe: process.execPath };
    writeState(this.state!);
  }
}
