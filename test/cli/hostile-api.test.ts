// The built CLI against hostile API servers and kubeconfigs on loopback: every run ends within the limits it was
// given (--request-timeout for each request, exec plugins included; probe --timeout for its cluster cross-check),
// answers are read up to --max-response-bytes, and every failure is one line on stderr with exit code 2, never a
// stack trace. Also: limits above 24 hours are refused, and --ca-file on a FIFO does not hang.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import type { ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, type CliResult } from '../helpers/cli.ts';
import { makePki, pem } from '../helpers/tls-certs.ts';
import { startTlsServer, type Running } from '../helpers/tls-servers.ts';
import { discoveryObjects, startFakeApiServer, TOKEN, type FakeApiServer, type Handler } from '../unit/probe/apiserver.ts';

const dir = mkdtempSync(join(tmpdir(), 'gwtls-hostile-api-'));
const routes = new Map<string, Handler>();
const GATEWAYS = '/apis/gateway.networking.k8s.io/v1/namespaces/infra/gateways';
const ALL_GATEWAYS = '/apis/gateway.networking.k8s.io/v1/gateways';
let api: FakeApiServer;
let tlsServer: Running;
const pki = makePki('ec', 'Hostile');

beforeAll(async () => {
  const dispatch = (path: string, fallback: unknown): Handler => (req, res) => {
    const h = routes.get(path);
    if (h) return h(req, res);
    res.writeHead(fallback === undefined ? 404 : 200, { 'Content-Type': 'application/json' }).end(JSON.stringify(fallback ?? { kind: 'Status', status: 'Failure', reason: 'NotFound', code: 404, message: 'not found' }));
  };
  const disc = discoveryObjects();
  const emptyList = { kind: 'GatewayList', apiVersion: 'gateway.networking.k8s.io/v1', metadata: {}, items: [] };
  api = await startFakeApiServer(
    { '/api': dispatch('/api', disc['/api']), '/apis': dispatch('/apis', disc['/apis']), [GATEWAYS]: dispatch(GATEWAYS, emptyList), [ALL_GATEWAYS]: dispatch(ALL_GATEWAYS, emptyList) },
    () => ({ status: 404, message: 'no pods' }),
  );
  tlsServer = await startTlsServer({ cert: pem(pki.leaf({ dns: ['shop.example.test', 'localhost'] }), pki.int), key: pki.leaf().key.keyPem });
  writeFileSync(join(dir, 'ca.pem'), pem(pki.root));
});
afterAll(async () => {
  await Promise.all([api.close(), tlsServer.close()]);
  rmSync(dir, { recursive: true, force: true });
});

function answer(path: string, h: Handler): void {
  routes.set(path, h);
}

let n = 0;
function plugin(body: string): string {
  const file = join(dir, `plugin-${n++}.sh`);
  writeFileSync(file, `#!/bin/sh\n${body}\n`, { mode: 0o755 });
  return file;
}

/** One line on stderr (plus nothing else), exit 2, no stack trace, no raw control character. */
function failsInOneLine(r: CliResult): string {
  expect(r.code, r.stderr).toBe(2);
  const lines = r.stderr.split('\n').filter(Boolean);
  expect(lines, r.stderr).toHaveLength(1);
  expect(r.stderr).not.toMatch(/^\s+at /m);
  expect(r.stderr).not.toMatch(/ERR_STRING_TOO_LONG|Invalid string length|Maximum call stack/);
  expect(r.stderr).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/);
  return lines[0]!;
}

const trickle: Handler = (_req, res: ServerResponse) => {
  res.writeHead(200, { 'Content-Type': 'application/json' });
  const body = '{"kind":"GatewayList","items":[]}';
  let i = 0;
  const t = setInterval(() => (i < body.length && !res.destroyed ? res.write(body[i++]) : clearInterval(t)), 1000);
  res.on('close', () => clearInterval(t));
};

describe('inspect: time bounds that hold', () => {
  it('a server sending one byte per second is stopped at --request-timeout', async () => {
    // For one Gateway the Gateways of every namespace are read (one request); -A reads them page by page.
    answer(GATEWAYS, trickle);
    answer(ALL_GATEWAYS, trickle);
    try {
      const r = await runCli(['inspect', 'shared-gw', '--kubeconfig', api.kubeconfig('infra'), '--request-timeout', '2s', '-o', 'text']);
      const line = failsInOneLine(r);
      expect(line).toMatch(/^error: cannot reach the API server https:\/\/127\.0\.0\.1:\d+ \(context fake\): GET \/apis\/gateway\.networking\.k8s\.io\/v1\/gateways: no complete answer within 2s \(--request-timeout\)$/);
      expect(r.durationMs).toBeLessThan(2000 + 4000);
    } finally {
      routes.delete(GATEWAYS);
      routes.delete(ALL_GATEWAYS);
    }
  });

  it('an exec credential plugin that sleeps for an hour is stopped at --request-timeout', async () => {
    const cmd = plugin('exec sleep 3600');
    const r = await runCli(['inspect', '-A', '--kubeconfig', api.kubeconfig('infra', { exec: { command: cmd } }), '--request-timeout', '2s']);
    const line = failsInOneLine(r);
    expect(line).toContain(`exec credential plugin ${cmd} did not finish within 2s (--request-timeout) and was stopped`);
    expect(r.durationMs).toBeLessThan(2000 + 4000);
  });

  it('an exec credential plugin that exits 1 is named by its stderr\'s last line, escaped', async () => {
    const cmd = plugin(`printf 'fetching token\\n' >&2\nprintf 'token expired \\033]52;c;cm0gLXJmIH4=\\007\\rlogin with: aws sso login\\n' >&2\nexit 1`);
    const r = await runCli(['inspect', '-A', '--kubeconfig', api.kubeconfig('infra', { exec: { command: cmd } })]);
    const line = failsInOneLine(r);
    expect(line).toBe(`error: cannot talk to the API server ${api.url} (context fake): exec credential plugin ${cmd} exited with status 1: token expired \\x1b]52;c;cm0gLXJmIH4=\\x07 login with: aws sso login`);
  });

  it('a good exec credential plugin authenticates the run', async () => {
    const cmd = plugin(`echo '{"apiVersion":"client.authentication.k8s.io/v1","kind":"ExecCredential","status":{"token":"${TOKEN}"}}'`);
    const r = await runCli(['inspect', '-A', '--kubeconfig', api.kubeconfig('infra', { exec: { command: cmd } }), '-o', 'json']);
    expect(r.stderr).toBe('');
    expect(JSON.parse(r.stdout)).toMatchObject({ kind: 'InspectReport', source: { type: 'cluster' } });
  });

  it('--request-timeout and --timeout above 24 hours are refused in one line', async () => {
    expect(failsInOneLine(await runCli(['inspect', '-A', '--request-timeout', '25h']))).toBe('error: --request-timeout "25h" is longer than 24h, the longest limit accepted');
    expect(failsInOneLine(await runCli(['inspect', '-A', '--request-timeout', '86401']))).toBe('error: --request-timeout "86401" is longer than 24h, the longest limit accepted');
    expect(failsInOneLine(await runCli(['probe', 'localhost:1', '--timeout', '1441m']))).toBe('error: --timeout "1441m" is longer than 24h, the longest limit accepted');
    const ok = await runCli(['probe', `localhost:${tlsServer.port}`, '--timeout', '24h', '--no-cluster', '--ca-file', join(dir, 'ca.pem')]);
    expect(ok.code, ok.stderr).toBe(0);
  });
});

describe('inspect: answers read up to --max-response-bytes', () => {
  it('an endless answer stops at the default 256Mi with an error naming the limit and the flag', async () => {
    answer('/apis', (_req, res) => {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.write('{"kind":"APIGroupDiscoveryList","items":[{"metadata":{"name":"');
      const chunk = Buffer.alloc(1 << 20, 0x61);
      const pump = () => {
        while (!res.destroyed && res.write(chunk));
        if (!res.destroyed) res.once('drain', pump);
      };
      pump();
    });
    try {
      const r = await runCli(['inspect', '-A', '--kubeconfig', api.kubeconfig('infra')], { timeoutMs: 120_000 });
      expect(failsInOneLine(r)).toBe(`error: cannot talk to the API server ${api.url} (context fake): GET /apis: the answer is larger than 256Mi, the limit of --max-response-bytes; raise it (e.g. --max-response-bytes=512Mi) or narrow the question (-n, a Gateway name)`);
    } finally {
      routes.delete('/apis');
    }
  });

  it('--max-response-bytes lowers and raises the limit', async () => {
    const disc = discoveryObjects()['/apis'] as { items: Array<Record<string, unknown>> };
    const padded = { ...disc, metadata: { annotations: { pad: 'x'.repeat(100 << 10) } } };
    answer('/apis', (_req, res) => res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify(padded)));
    try {
      const low = await runCli(['inspect', '-A', '--kubeconfig', api.kubeconfig('infra'), '--max-response-bytes', '64Ki']);
      expect(failsInOneLine(low)).toMatch(/GET \/apis: the answer is larger than 64Ki( \(\d+ bytes\))?, the limit of --max-response-bytes; raise it \(e\.g\. --max-response-bytes=128Ki\)/);
      const high = await runCli(['inspect', '-A', '--kubeconfig', api.kubeconfig('infra'), '--max-response-bytes', '1Mi', '-o', 'json']);
      expect(high.stderr).toBe('');
      expect(JSON.parse(high.stdout)).toMatchObject({ kind: 'InspectReport' });
    } finally {
      routes.delete('/apis');
    }
  });

  it('refuses sizes it cannot read, in one line', async () => {
    expect(failsInOneLine(await runCli(['inspect', '-A', '--max-response-bytes', '1Gi']))).toBe('error: --max-response-bytes "1Gi" is above 512Mi, the largest this tool can read');
    expect(failsInOneLine(await runCli(['inspect', '-A', '--max-response-bytes', 'lots']))).toBe('error: invalid --max-response-bytes "lots": use a number of bytes or a quantity such as 512Mi or 1Gi');
    expect(failsInOneLine(await runCli(['inspect', '-A', '--max-response-bytes', '0']))).toBe('error: --max-response-bytes "0" must be at least 1 byte');
  });
});

describe('probe: --timeout bounds the cluster cross-check', () => {
  it('an API server that never answers the Gateway LIST: the run ends near --timeout, the cross-check says why', async () => {
    answer(ALL_GATEWAYS, () => undefined);
    try {
      const r = await runCli(['probe', `shop.example.test:${tlsServer.port}`, '--connect-to', '127.0.0.1', '--ca-file', join(dir, 'ca.pem'), '--timeout', '1500ms', '--kubeconfig', api.kubeconfig('infra'), '--request-timeout', '0', '-o', 'json']);
      expect(r.code, r.stderr).toBe(0);
      expect(r.durationMs).toBeLessThan(1500 + 1500 + 4000);
      const j = JSON.parse(r.stdout) as { cluster: { outcome: string; why: string } };
      expect(j.cluster).toMatchObject({ outcome: 'skipped' });
      expect(j.cluster.why).toBe('cluster cross-check skipped: it did not finish within 1500ms (--timeout); the API server is slow or does not answer');
    } finally {
      routes.delete(ALL_GATEWAYS);
    }
  });

  it('an exec credential plugin that hangs cannot hold the probe either', async () => {
    const cmd = plugin('exec sleep 3600');
    const r = await runCli(['probe', `shop.example.test:${tlsServer.port}`, '--connect-to', '127.0.0.1', '--ca-file', join(dir, 'ca.pem'), '--timeout', '1500ms', '--kubeconfig', api.kubeconfig('infra', { exec: { command: cmd } }), '--request-timeout', '0', '-o', 'json']);
    expect(r.durationMs).toBeLessThan(1500 + 1500 + 4000);
    const j = JSON.parse(r.stdout) as { cluster: { outcome: string; why: string } };
    expect(j.cluster.outcome).toBe('skipped');
    expect(r.code).toBe(0);
  });
});

describe('probe: --ca-file that is not a plain file', () => {
  it('a FIFO nobody writes to ends at --timeout with one line, exit 2', async () => {
    const fifo = join(dir, 'ca.fifo');
    await new Promise<void>((resolve, reject) => spawn('mkfifo', [fifo]).on('exit', (c) => (c === 0 ? resolve() : reject(new Error(`mkfifo exited ${c}`)))));
    const r = await runCli(['probe', tlsServer.addr, '--ca-file', fifo, '--timeout', '1500ms', '--no-cluster']);
    expect(failsInOneLine(r)).toBe(`error: cannot read --ca-file ${fifo}: nothing arrived within 1500ms (--timeout): a pipe or FIFO nobody writes to?`);
    expect(r.durationMs).toBeLessThan(1500 + 4000);
  });

  it('a FIFO with a writer is read (as with --ca-file <(kubectl get ...))', async () => {
    const fifo = join(dir, 'ca-written.fifo');
    await new Promise<void>((resolve, reject) => spawn('mkfifo', [fifo]).on('exit', (c) => (c === 0 ? resolve() : reject(new Error(`mkfifo exited ${c}`)))));
    const writer = spawn('sh', ['-c', `sleep 0.3; cat > ${fifo}`], { stdio: ['pipe', 'ignore', 'ignore'] });
    writer.stdin.end(pem(pki.root));
    const r = await runCli(['probe', `shop.example.test:${tlsServer.port}`, '--connect-to', '127.0.0.1', '--ca-file', fifo, '--timeout', '5s', '--no-cluster', '-o', 'json']);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ verification: { trusted: true, hostnameMatches: true } });
  });

  it('a directory or a device is refused in words', async () => {
    expect(failsInOneLine(await runCli(['probe', tlsServer.addr, '--ca-file', dir, '--no-cluster']))).toBe(`error: cannot read --ca-file ${dir}: it is a directory`);
    expect(failsInOneLine(await runCli(['probe', tlsServer.addr, '--ca-file', '/dev/zero', '--no-cluster']))).toBe('error: cannot read --ca-file /dev/zero: it is a terminal or character device; give a PEM file (or a pipe)');
  });
});
