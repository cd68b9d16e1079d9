// Real servers on 127.0.0.1, port 0: TLS servers with chosen chains, and hostile peers. Every server tracks
// its sockets so close() ends even connections the peer keeps open.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import net, { type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Duplex } from 'node:stream';
import tls from 'node:tls';

export interface Running {
  port: number;
  /** `127.0.0.1:PORT` */
  addr: string;
  close(): Promise<void>;
}

function track(server: Server, port: () => number): Running {
  const sockets = new Set<Socket>();
  server.on('connection', (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
    s.on('error', () => undefined);
  });
  return {
    get port() {
      return port();
    },
    get addr() {
      return `127.0.0.1:${port()}`;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

async function listen(server: Server, host = '127.0.0.1'): Promise<number> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, host, () => resolve());
  });
  return (server.address() as net.AddressInfo).port;
}

/** A TLS server; the handler (default: close after the handshake) gets each secure socket. */
export async function startTlsServer(options: tls.TlsOptions, onSecure?: (s: tls.TLSSocket) => void, host = '127.0.0.1'): Promise<Running> {
  const server = tls.createServer(options, (s) => {
    s.on('error', () => undefined);
    if (onSecure) onSecure(s);
    else s.end();
  });
  server.on('tlsClientError', () => undefined);
  const port = await listen(server, host);
  return track(server, () => port);
}

/** A plain TCP server with a handler per connection (for hostile peers and STARTTLS servers). */
export async function startRawServer(handler: (s: Socket) => void): Promise<Running> {
  const server = net.createServer((s) => {
    s.on('error', () => undefined);
    handler(s);
  });
  const port = await listen(server);
  return track(server, () => port);
}

/** A port that was free a moment ago (nothing listens there now). */
export async function freePort(): Promise<number> {
  const s = net.createServer();
  const port = await listen(s);
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

/** Upgrades a plaintext socket to TLS as a server (for STARTTLS dialects). */
export function upgradeToTls(socket: Socket | Duplex, options: tls.TlsOptions): tls.TLSSocket {
  const secure = new tls.TLSSocket(socket, { isServer: true, ...options } as tls.TLSSocketOptions);
  secure.on('error', () => undefined);
  secure.on('secure', () => secure.end());
  return secure;
}

export const PG_BIN = '/usr/lib/postgresql/15/bin';

export function postgresAvailable(): string | null {
  if (!existsSync(join(PG_BIN, 'initdb')) || !existsSync(join(PG_BIN, 'postgres'))) return `PostgreSQL binaries not found in ${PG_BIN}`;
  return null;
}

function pgUser(): { uid: number; gid: number; wrap: (cmd: string[]) => string[] } {
  const id = spawnSync('id', ['-u', 'postgres'], { encoding: 'utf8' });
  if (id.status === 0) {
    const uid = Number(id.stdout.trim());
    const gid = Number(spawnSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).stdout.trim());
    // setpriv execs the command itself (no intermediate process), so signals reach postgres directly.
    return { uid, gid, wrap: (cmd) => (process.getuid?.() === 0 ? ['setpriv', `--reuid=${uid}`, `--regid=${gid}`, '--clear-groups', ...cmd] : cmd) };
  }
  return { uid: 65534, gid: 65534, wrap: (cmd) => (process.getuid?.() === 0 ? ['setpriv', '--reuid=nobody', '--regid=nogroup', '--clear-groups', ...cmd] : cmd) };
}

/** A real PostgreSQL server with ssl=on, run as an unprivileged user (postgres refuses root). */
export async function startPostgres(certPem: string, keyPem: string): Promise<Running & { log: () => string }> {
  const dir = mkdtempSync(join(tmpdir(), 'gwtls-pg-'));
  chmodSync(dir, 0o755);
  const user = pgUser();
  const running = process.getuid?.() === 0;
  if (running) chownSync(dir, user.uid, user.gid);
  const data = join(dir, 'data');
  const initCmd = user.wrap([join(PG_BIN, 'initdb'), '-D', data, '-A', 'trust', '-U', 'postgres', '--no-sync', '-E', 'UTF8', '--locale=C']);
  const init = spawnSync(initCmd[0]!, initCmd.slice(1), { encoding: 'utf8' });
  if (init.status !== 0) throw new Error(`initdb failed: ${init.stderr || init.stdout}`);
  writeFileSync(join(data, 'server.crt'), certPem);
  writeFileSync(join(data, 'server.key'), keyPem, { mode: 0o600 });
  if (running) {
    chownSync(join(data, 'server.crt'), user.uid, user.gid);
    chownSync(join(data, 'server.key'), user.uid, user.gid);
  }
  const port = await freePort();
  const cmd = user.wrap([join(PG_BIN, 'postgres'), '-D', data, '-c', 'ssl=on', '-c', 'listen_addresses=127.0.0.1', '-c', `port=${port}`, '-c', `unix_socket_directories=${dir}`, '-c', 'fsync=off', '-c', 'logging_collector=off']);
  const child: ChildProcess = spawn(cmd[0]!, cmd.slice(1), { stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  child.stdout?.on('data', (d: Buffer) => (log += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (log += d.toString()));
  const deadline = Date.now() + 15_000;
  while (!/ready to accept connections/.test(log)) {
    if (child.exitCode !== null) throw new Error(`postgres exited: ${log}`);
    if (Date.now() > deadline) throw new Error(`postgres did not start: ${log}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  return {
    port,
    addr: `127.0.0.1:${port}`,
    log: () => log,
    close: async () => {
      const exited = new Promise<void>((r) => (child.exitCode !== null ? r() : child.once('exit', () => r())));
      child.kill('SIGINT'); // fast shutdown
      const t = setTimeout(() => child.kill('SIGKILL'), 3000);
      await exited;
      clearTimeout(t);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
