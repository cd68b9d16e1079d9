// Exec credential plugins, run for real (shell scripts) against the loopback API server: a plugin that hangs is
// stopped at the deadline with everything it started, a failing plugin is named by its stderr's last line, a
// good one authenticates, and concurrent requests share one run.
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiClient, CredentialError } from '../../src/cluster/api-client.ts';
import { loadKubeConfig } from '../../src/cluster/kubeconfig.ts';
import { discoveryObjects, startFakeApiServer, TOKEN, type FakeApiServer } from './probe/apiserver.ts';

let api: FakeApiServer;
const dir = mkdtempSync(join(tmpdir(), 'gwtls-exec-'));

beforeAll(async () => {
  api = await startFakeApiServer(discoveryObjects(), () => ({ status: 404, message: 'no pods' }));
});
afterAll(async () => {
  await api.close();
  rmSync(dir, { recursive: true, force: true });
});

let n = 0;
/** A plugin script; `body` is POSIX shell. */
function plugin(body: string): string {
  const file = join(dir, `plugin-${n++}.sh`);
  writeFileSync(file, `#!/bin/sh\n${body}\n`, { mode: 0o755 });
  return file;
}

const credential = (extra: Record<string, unknown> = {}) => JSON.stringify({ apiVersion: 'client.authentication.k8s.io/v1', kind: 'ExecCredential', status: { token: TOKEN, ...extra } });

function clientFor(command: string, timeoutMs: number, exec: Record<string, unknown> = {}): ApiClient {
  const { kc, server } = loadKubeConfig({ kubeconfig: api.kubeconfig('default', { exec: { command, ...exec } }), requestTimeoutMs: timeoutMs });
  return new ApiClient(kc, server, { timeoutMs, concurrency: 8 });
}

async function fails(c: ApiClient): Promise<CredentialError> {
  const e = await c.get('/api').then(
    () => null,
    (x: unknown) => x,
  );
  expect(e).toBeInstanceOf(CredentialError);
  expect((e as CredentialError).path).toBe('/api');
  expect((e as Error).message).not.toMatch(/[\r\n]/);
  return e as CredentialError;
}

/** Running, and not a zombie waiting for a parent to reap it (orphans go to a PID 1 that may never reap). */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}

async function gone(pid: number): Promise<boolean> {
  for (let i = 0; i < 50 && alive(pid); i++) await new Promise((r) => setTimeout(r, 20));
  return !alive(pid);
}

describe('exec credential plugins', () => {
  it('a plugin that sleeps for an hour is stopped at the deadline, with the processes it started', async () => {
    const pids = join(dir, 'pids');
    const cmd = plugin(`sleep 3600 & echo $! > ${pids}\necho "waiting for the browser login" >&2\nwait`);
    const started = performance.now();
    const e = await fails(clientFor(cmd, 1000));
    expect(performance.now() - started).toBeLessThan(3000);
    expect(e.message).toBe(`exec credential plugin ${cmd} did not finish within 1s (--request-timeout) and was stopped; its last words: waiting for the browser login`);
    const sleeper = Number(readFileSync(pids, 'utf8'));
    expect(await gone(sleeper), 'the plugin\'s sleep 3600 still runs').toBe(true);
  });

  it('a plugin that exits 1 is named by the last line of its stderr', async () => {
    const cmd = plugin(`echo "refreshing token" >&2\necho "error: the refresh token expired; run aws sso login" >&2\nexit 1`);
    const e = await fails(clientFor(cmd, 5000));
    expect(e.message).toBe(`exec credential plugin ${cmd} exited with status 1: error: the refresh token expired; run aws sso login`);
  });

  it('a plugin that exits 1 silently says so', async () => {
    const e = await fails(clientFor(plugin('exit 3'), 5000));
    expect(e.message).toMatch(/exited with status 3 and wrote nothing to stderr$/);
  });

  it('a plugin that is not installed names the install hint', async () => {
    const e = await fails(clientFor(join(dir, 'no-such-plugin'), 5000, { installHint: 'Install it with:\n  brew install no-such-plugin' }));
    expect(e.message).toBe(`exec credential plugin ${join(dir, 'no-such-plugin')} not found: Install it with: brew install no-such-plugin`);
  });

  it('output that is not an ExecCredential of the asked apiVersion is refused', async () => {
    expect((await fails(clientFor(plugin('echo "<html>login</html>"'), 5000))).message).toMatch(/did not write an ExecCredential \(its output is not JSON\)$/);
    expect((await fails(clientFor(plugin(`echo '${credential().replace('/v1', '/v1beta1')}'`), 5000))).message).toMatch(/wrote an ExecCredential of client.authentication.k8s.io\/v1beta1, the kubeconfig asks for client.authentication.k8s.io\/v1$/);
    expect((await fails(clientFor(plugin(`echo '{"apiVersion":"client.authentication.k8s.io/v1","kind":"ExecCredential","status":{}}'`), 5000))).message).toMatch(/neither a token nor a client certificate and key$/);
  });

  it('a plugin that writes without end is stopped at 1 MiB', async () => {
    const e = await fails(clientFor(plugin('yes'), 10_000));
    expect(e.message).toMatch(/wrote more than 1 MiB to stdout/);
  });

  it('a good plugin authenticates, once for many concurrent requests, and sees KUBERNETES_EXEC_INFO', async () => {
    const runs = join(dir, 'runs');
    const info = join(dir, 'info');
    const cmd = plugin(`echo run >> ${runs}\nprintf '%s' "$KUBERNETES_EXEC_INFO" > ${info}\nsleep 0.2\necho '${credential()}'`);
    const c = clientFor(cmd, 5000);
    const answers = await Promise.all(Array.from({ length: 8 }, () => c.get('/apis')));
    expect(answers.every((a) => a.kind === 'APIGroupDiscoveryList')).toBe(true);
    expect(readFileSync(runs, 'utf8').trim().split('\n')).toHaveLength(1);
    expect(JSON.parse(readFileSync(info, 'utf8'))).toEqual({ kind: 'ExecCredential', apiVersion: 'client.authentication.k8s.io/v1', spec: { interactive: false } });
    expect(api.requests.filter((r) => r.path === '/apis').every((r) => r.auth === `Bearer ${TOKEN}`)).toBe(true);
  });

  it('an expired credential runs the plugin again', async () => {
    const runs = join(dir, 'runs-expired');
    const cmd = plugin(`echo run >> ${runs}\necho '${credential({ expirationTimestamp: '2000-01-01T00:00:00Z' })}'`);
    const c = clientFor(cmd, 5000);
    await c.get('/api');
    await c.get('/api');
    expect(readFileSync(runs, 'utf8').trim().split('\n')).toHaveLength(2);
  });

  it('interactiveMode Always is refused in words, without running the plugin', async () => {
    const ran = join(dir, 'ran-interactive');
    const e = await fails(clientFor(plugin(`touch ${ran}`), 5000, { interactiveMode: 'Always' }));
    expect(e.message).toContain('asks for an interactive terminal (interactiveMode: Always)');
    expect(existsSync(ran)).toBe(false);
  });
});
