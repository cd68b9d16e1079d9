// Exec credential plugins (kubeconfig `users[].user.exec`, client.authentication.k8s.io), run as kubectl runs them
// (client-go plugin/pkg/client/auth/exec: KUBERNETES_EXEC_INFO, the plugin's env on top of ours, an
// ExecCredential on stdout, cached until status.expirationTimestamp), with what client-node's runner lacks: a
// deadline (a plugin that hangs is stopped, its whole process group), bounded output, one run shared by
// concurrent requests, and a failure named by the last line the plugin wrote to stderr.
import { spawn } from 'node:child_process';
import type { KubeConfig, User } from '@kubernetes/client-node';
import { apiLimits } from './limits.ts';

export class ExecPluginError extends Error {
  override name = 'ExecPluginError';
}

/** client-node's Authenticator interface (not exported by the package). */
interface Authenticator {
  isAuthProvider(user: User): boolean;
  applyAuthentication(user: User, opts: { headers?: Record<string, unknown>; cert?: unknown; key?: unknown }): Promise<void>;
}

interface ExecConfig {
  command?: string;
  args?: string[] | null;
  env?: Array<{ name: string; value: string }> | null;
  apiVersion?: string;
  installHint?: string;
  provideClusterInfo?: boolean;
  interactiveMode?: string;
}

interface Credential {
  token?: string;
  clientCertificateData?: string;
  clientKeyData?: string;
  expires?: number;
}

/** Most bytes read from a plugin's stdout (an ExecCredential is a few KiB) and kept of its stderr. */
const MAX_STDOUT = 1 << 20;
const MAX_STDERR = 64 << 10;

export interface ExecOptions {
  /** Time a plugin may take (0: none). */
  deadlineMs: number;
  /** Named in the message when the deadline passes. */
  deadlineFlag?: string;
  /** The cluster, for plugins that ask for it (provideClusterInfo). */
  cluster?: { server: string; certificateAuthorityData?: string; insecureSkipTlsVerify?: boolean; tlsServerName?: string };
}

export class ExecCredentials implements Authenticator {
  private readonly opts: ExecOptions;
  private readonly cache = new Map<string, Credential>();
  private readonly running = new Map<string, Promise<Credential>>();

  constructor(opts: ExecOptions) {
    this.opts = opts;
  }

  isAuthProvider(user: User): boolean {
    return Boolean(execConfig(user));
  }

  async applyAuthentication(user: User, opts: { headers?: Record<string, unknown>; cert?: unknown; key?: unknown }): Promise<void> {
    const c = await this.credential(user);
    if (c.clientCertificateData) opts.cert = c.clientCertificateData;
    if (c.clientKeyData) opts.key = c.clientKeyData;
    if (c.token) {
      opts.headers ??= {};
      opts.headers.Authorization = `Bearer ${c.token}`;
    }
  }

  private credential(user: User): Promise<Credential> {
    const cached = this.cache.get(user.name);
    if (cached && (cached.expires === undefined || cached.expires > Date.now())) return Promise.resolve(cached);
    let run = this.running.get(user.name);
    if (!run) {
      run = runPlugin(execConfig(user)!, this.opts)
        .then((c) => {
          this.cache.set(user.name, c);
          return c;
        })
        .finally(() => this.running.delete(user.name));
      this.running.set(user.name, run);
    }
    return run;
  }
}

function execConfig(user: User): ExecConfig | undefined {
  const u = user as User & { exec?: ExecConfig; authProvider?: { name?: string; config?: { exec?: ExecConfig } } };
  return u.exec ?? u.authProvider?.config?.exec ?? undefined;
}

/** Runs the plugin once: resolves with its credential, or rejects with an ExecPluginError in one line. */
export function runPlugin(exec: ExecConfig, opts: ExecOptions): Promise<Credential> {
  const command = exec.command;
  if (!command) return Promise.reject(new ExecPluginError('the kubeconfig user has an exec credential plugin without a command'));
  const apiVersion = exec.apiVersion ?? 'client.authentication.k8s.io/v1';
  const name = `exec credential plugin ${command}`;
  const info = { kind: 'ExecCredential', apiVersion, spec: { interactive: false, ...(exec.provideClusterInfo && opts.cluster ? { cluster: clusterInfo(opts.cluster) } : {}) } };
  const env: NodeJS.ProcessEnv = { ...process.env, KUBERNETES_EXEC_INFO: JSON.stringify(info) };
  for (const e of exec.env ?? []) if (e && typeof e.name === 'string') env[e.name] = String(e.value ?? '');
  if (exec.interactiveMode === 'Always') return Promise.reject(new ExecPluginError(`${name} asks for an interactive terminal (interactiveMode: Always), which kubectl-gwtls does not give it; log in with kubectl first, or set interactiveMode: IfAvailable`));

  return new Promise((resolve, reject) => {
    // Its own process group, so that a deadline stops the plugin and everything it started.
    const child = spawn(command, exec.args ?? [], { env, stdio: ['ignore', 'pipe', 'pipe'], detached: process.platform !== 'win32' });
    const stdout: Buffer[] = [];
    let stdoutBytes = 0;
    let stderr = '';
    let settled = false;
    let timer: NodeJS.Timeout | undefined;
    const halt = apiLimits.signal;
    const onHalt = () => {
      stop();
      finish(new ExecPluginError(`${name} was stopped: the command's time is up`));
    };
    const finish = (e: Error | null, c?: Credential) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      halt?.removeEventListener('abort', onHalt);
      if (e) reject(e);
      else resolve(c!);
    };
    const stop = () => {
      try {
        if (child.pid !== undefined) process.kill(process.platform === 'win32' ? child.pid : -child.pid, 'SIGKILL');
      } catch {
        // already gone
      }
      child.stdout.destroy();
      child.stderr.destroy();
      child.unref();
    };
    child.stdout.on('data', (d: Buffer) => {
      stdoutBytes += d.length;
      if (stdoutBytes > MAX_STDOUT) {
        stop();
        finish(new ExecPluginError(`${name} wrote more than ${MAX_STDOUT >> 20} MiB to stdout, which is not an ExecCredential`));
      } else stdout.push(d);
    });
    child.stderr.setEncoding('utf8').on('data', (d: string) => {
      stderr = (stderr + d).slice(-MAX_STDERR);
    });
    child.on('error', (e: NodeJS.ErrnoException) => {
      finish(new ExecPluginError(e.code === 'ENOENT' ? `${name} not found${exec.installHint ? `: ${oneLine(exec.installHint)}` : ' (is it installed and on PATH?)'}` : `${name} could not be started: ${e.message}`));
    });
    child.on('close', (code, signal) => {
      if (settled) return;
      if (code !== 0) {
        const last = lastLine(stderr);
        return finish(new ExecPluginError(`${name} ${signal ? `was killed by ${signal}` : `exited with status ${code}`}${last ? `: ${last}` : ' and wrote nothing to stderr'}`));
      }
      try {
        finish(null, parseCredential(Buffer.concat(stdout).toString('utf8'), apiVersion, name));
      } catch (e) {
        finish(e as Error);
      }
    });
    if (halt?.aborted) onHalt();
    else halt?.addEventListener('abort', onHalt, { once: true });
    if (opts.deadlineMs > 0) {
      timer = setTimeout(() => {
        stop();
        const last = lastLine(stderr);
        finish(new ExecPluginError(`${name} did not finish within ${opts.deadlineMs % 1000 === 0 ? `${opts.deadlineMs / 1000}s` : `${opts.deadlineMs}ms`}${opts.deadlineFlag ? ` (${opts.deadlineFlag})` : ''} and was stopped${last ? `; its last words: ${last}` : ''}`));
      }, opts.deadlineMs);
    }
  });
}

function parseCredential(text: string, apiVersion: string, name: string): Credential {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    throw new ExecPluginError(`${name} did not write an ExecCredential (its output is not JSON)`);
  }
  const d = doc as { kind?: unknown; apiVersion?: unknown; status?: Record<string, unknown> } | null;
  if (!d || typeof d !== 'object' || d.kind !== 'ExecCredential') throw new ExecPluginError(`${name} did not write an ExecCredential`);
  if (d.apiVersion !== apiVersion) throw new ExecPluginError(`${name} wrote an ExecCredential of ${typeof d.apiVersion === 'string' ? oneLine(d.apiVersion) : 'no apiVersion'}, the kubeconfig asks for ${apiVersion}`);
  const s = d.status;
  if (!s || typeof s !== 'object') throw new ExecPluginError(`${name} wrote an ExecCredential without status`);
  const c: Credential = {};
  if (typeof s.token === 'string' && s.token) c.token = s.token;
  if (typeof s.clientCertificateData === 'string' && typeof s.clientKeyData === 'string' && s.clientCertificateData && s.clientKeyData) {
    c.clientCertificateData = s.clientCertificateData;
    c.clientKeyData = s.clientKeyData;
  }
  if (!c.token && !c.clientCertificateData) throw new ExecPluginError(`${name} wrote an ExecCredential with neither a token nor a client certificate and key`);
  if (typeof s.expirationTimestamp === 'string') {
    const t = Date.parse(s.expirationTimestamp);
    if (Number.isFinite(t)) c.expires = t;
  }
  return c;
}

function clusterInfo(c: NonNullable<ExecOptions['cluster']>): Record<string, unknown> {
  return {
    server: c.server,
    ...(c.certificateAuthorityData ? { 'certificate-authority-data': c.certificateAuthorityData } : {}),
    ...(c.insecureSkipTlsVerify ? { 'insecure-skip-tls-verify': true } : {}),
    ...(c.tlsServerName ? { 'tls-server-name': c.tlsServerName } : {}),
  };
}

/** The last non-empty line the plugin wrote (the rendering edge escapes control characters). */
function lastLine(text: string): string {
  const lines = text.split(/\r?\n/).map((l) => l.trim()).filter(Boolean);
  return oneLine(lines.at(-1) ?? '');
}

function oneLine(s: string): string {
  const t = s.replace(/\s*[\r\n]+\s*/g, ' ').trim();
  return t.length > 300 ? `${t.slice(0, 300)}…` : t;
}

/** Puts the runner above in front of client-node's own for this kubeconfig. */
export function installExecCredentials(kc: KubeConfig, opts: ExecOptions): void {
  const list = (kc as unknown as { authenticators?: Authenticator[] }).authenticators;
  if (!Array.isArray(list)) throw new Error('@kubernetes/client-node changed: KubeConfig has no authenticators list to put the exec credential runner in');
  list.unshift(new ExecCredentials(opts));
}
