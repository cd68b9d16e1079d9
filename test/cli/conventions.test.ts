// What kubectl users expect of a plugin, through the built CLI: --version and `version -o json`, help on stdout
// with exit 0 when no command is given, help within 80 columns, --ignore that checks its codes, completion of
// flags after `--`, `explain` laid out in a terminal and raw when piped, Ctrl-C exiting 130, -o wide and -o name.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createServer, type Server, type Socket } from 'node:net';
import { join } from 'node:path';
import * as yaml from 'js-yaml';
import { afterAll, describe, expect, it } from 'vitest';
import { renderMarkdown } from '../../src/cli/markdown.ts';
import { CLI, ROOT, runCli } from '../helpers/cli.ts';

const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string };
const SEED = 'test/fixtures/seeds/c-calico-tls-termination/as-written.yaml';
const NOW = { GWTLS_NOW: '2026-11-22T00:00:00Z' };

describe('version and help', () => {
  it('--version prints the version, and version -o json|yaml says it as kubectl version does', async () => {
    const v = await runCli(['--version']);
    expect([v.code, v.stdout, v.stderr]).toEqual([0, `kubectl-gwtls ${pkg.version}\n`, '']);
    const j = await runCli(['version', '-o', 'json']);
    expect(j.code).toBe(0);
    const doc = JSON.parse(j.stdout) as { clientVersion: Record<string, string> };
    expect(doc.clientVersion).toMatchObject({ gitVersion: `v${pkg.version}`, version: pkg.version, nodeVersion: process.version });
    expect(doc.clientVersion.platform).toMatch(/^[a-z0-9]+\/[a-z0-9]+$/);
    expect(yaml.load((await runCli(['version', '-o', 'yaml'])).stdout)).toEqual(doc);
    expect((await runCli(['version', '-o', 'xml'])).code).toBe(2);
  });

  it('with no command prints the help on stdout and exits 0', async () => {
    const r = await runCli([]);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(/^Usage: kubectl gwtls <command> \[flags\]/);
    for (const c of ['inspect', 'probe', 'rules', 'explain', 'completion', 'version']) expect(r.stdout).toMatch(new RegExp(`^ {2}${c}\\b`, 'm'));
  });

  it('every help fits 80 columns when piped', async () => {
    for (const args of [['--help'], ['help'], ...['inspect', 'probe', 'rules', 'explain', 'completion', 'version'].map((c) => [c, '--help'])]) {
      const r = await runCli(args, { env: { COLUMNS: undefined } });
      expect(r.code, args.join(' ')).toBe(0);
      for (const line of r.stdout.split('\n')) expect(line.length, `${args.join(' ')}: ${line}`).toBeLessThanOrEqual(80);
    }
  });
});

describe('--ignore', () => {
  it('takes codes as explain does: CERT-001, cert-001 and GWTLS-CERT-001 are one code', async () => {
    const codes = async (ignore: string) => (JSON.parse((await runCli(['inspect', '-f', SEED, '-o', 'json', '--ignore', ignore], { env: NOW })).stdout) as { findings: Array<{ code: string }> }).findings.map((f) => f.code);
    const all = await codes('GWTLS-RT-003');
    expect(all).toContain('GWTLS-CERT-001');
    for (const form of ['CERT-001', 'cert-001', 'GWTLS-CERT-001', ' gwtls-cert-001 ']) expect(await codes(form), form).not.toContain('GWTLS-CERT-001');
  });

  it('rejects an unknown code with exit 2, naming the nearest known ones', async () => {
    const r = await runCli(['inspect', '-f', SEED, '--ignore', 'GWTLS-RT-030,CERT-001'], { env: NOW });
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr.trim()).toMatch(/^error: --ignore: unknown code GWTLS-RT-030; did you mean GWTLS-RT-003, .*\(kubectl gwtls rules lists them all\)$/);
    const typo = await runCli(['inspect', '-f', SEED, '--ignore', 'CERT-01'], { env: NOW });
    expect(typo.stderr).toMatch(/did you mean GWTLS-CERT-001\b/);
  });

  it('the gwtls.dev/ignore annotation takes the short form too', async () => {
    const text = readFileSync(join(ROOT, SEED), 'utf8').replace('kind: TCPRoute\nmetadata:\n  name: backend-ssl-offload', 'kind: TCPRoute\nmetadata:\n  name: backend-ssl-offload\n  annotations:\n    gwtls.dev/ignore: rt-003');
    const r = await runCli(['inspect', '-f', '-', '-o', 'json'], { stdin: text, env: NOW });
    expect((JSON.parse(r.stdout) as { findings: Array<{ code: string }> }).findings.map((f) => f.code)).not.toContain('GWTLS-RT-003');
  });
});

describe('completion', () => {
  it('completes flags after -- (inspect --<TAB>), and after --f', async () => {
    const r = await runCli(['__complete', 'inspect', '--']);
    const values = r.stdout.trim().split('\n').map((l) => l.split('\t')[0]);
    expect(values.at(-1)).toBe(':4');
    for (const f of ['--filename', '--output', '--details', '--fail-on', '--ignore', '--namespace']) expect(values).toContain(f);
    expect(values.every((v) => v !== undefined && (v.startsWith('--') || v.startsWith(':')))).toBe(true);
    const f = await runCli(['__complete', 'inspect', '--f']);
    expect(f.stdout.split('\n').map((l) => l.split('\t')[0])).toEqual(['--filename', '--fix', '--fail-on', ':4', '']);
    // After a `--` that is a word of its own, every word is an operand: Gateway names, not flags.
    const operands = await runCli(['__complete', 'inspect', '-f', SEED, '--', '']);
    expect(operands.stdout).toMatch(/^ssl-offload-gateway\t/);
  });
});

describe('explain', () => {
  it('prints the raw Markdown when piped', async () => {
    const r = await runCli(['explain', 'cert-001']);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(readFileSync(join(ROOT, 'docs/rules/GWTLS-CERT-001.md'), 'utf8'));
  });

  it('lays the page out for a terminal: headings, wrapped paragraphs, tables, code', () => {
    const page = readFileSync(join(ROOT, 'docs/rules/GWTLS-RT-003.md'), 'utf8');
    for (const width of [60, 80, 120]) {
      const out = renderMarkdown(page, { width });
      expect(out).not.toMatch(/^#+ /m);
      expect(out).not.toMatch(/^\|.*\|$/m);
      expect(out).not.toContain('```');
      expect(out).toMatch(/^What it means\n─+$/m);
      // Code keeps its lines, indented; everything else fits the width.
      for (const line of out.split('\n')) if (!line.startsWith('    ')) expect(line.length, line).toBeLessThanOrEqual(width);
      expect(out).toMatch(/^ {4}apiVersion: gateway\.networking\.k8s\.io\/v1$/m);
    }
    // A table that fits is drawn as one; one that does not becomes a list of rows.
    const small = renderMarkdown('| A | B |\n|---|---|\n| one | two |\n| three | four |\n', { width: 80 });
    expect(small).toBe('  A     │ B\n  ──────┼─────\n  one   │ two\n  three │ four\n');
    expect(renderMarkdown(page, { width: 80 })).toMatch(/^ {2}- Listener: `HTTP`, `HTTPS`\n {4}Accepts: HTTPRoute, GRPCRoute$/m);
  });

  it.skipIf(!existsSync('/usr/bin/script'))('renders in a real terminal (util-linux script gives the command a pty)', () => {
    const r = spawnSync('/usr/bin/script', ['-qec', `${process.execPath} ${CLI} explain GWTLS-RT-003`, '/dev/null'], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1', COLUMNS: '80' }, timeout: 30_000 });
    expect(r.status).toBe(0);
    const out = r.stdout.replace(/\r\n/g, '\n');
    expect(out).toMatch(/^GWTLS-RT-003: Route kind not allowed/);
    expect(out).toMatch(/^What it means\n─+$/m);
    expect(out).not.toMatch(/^## /m);
  });
});

describe('Ctrl-C', () => {
  let server: Server | undefined;
  const sockets = new Set<Socket>();
  afterAll(async () => {
    for (const s of sockets) s.destroy();
    await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  });

  it('exits 130 while the command is busy', async () => {
    // A peer that accepts and never answers the ClientHello: the probe waits for its timeout (60 s).
    server = createServer((s) => sockets.add(s));
    await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as { port: number }).port;
    const child = spawn(process.execPath, [CLI, 'probe', `127.0.0.1:${port}`, '--timeout', '60s', '--no-cluster'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    await new Promise<void>((resolve) => {
      const check = () => (sockets.size > 0 ? resolve() : setTimeout(check, 20));
      check();
    });
    child.kill('SIGINT');
    const code = await new Promise<number | null>((resolve) => child.on('close', (c) => resolve(c)));
    expect(code).toBe(130);
    expect(stderr).not.toMatch(/^\s+at /m);
  });
});

describe('-o wide and -o name', () => {
  it('print the Gateway table as kubectl does, for one Gateway too', async () => {
    const wide = await runCli(['inspect', 'ssl-offload-gateway', '-f', SEED, '-o', 'wide'], { env: NOW });
    expect(wide.stdout.split('\n')[0]).toMatch(/^NAMESPACE +NAME +STATE +ERRORS +WARNINGS +CLASS +LISTENERS +ADDRESSES +VERDICT$/);
    expect(wide.stdout).toMatch(/^default +ssl-offload-gateway +BROKEN +3 +2 +tigera-gateway-class +2 +<none> +BROKEN: Certificate expired/m);
    expect(wide.code).toBe(1);
    const name = await runCli(['inspect', '-A', '-f', 'test/fixtures/seeds/c-calico-passthrough', '-o', 'name'], { env: NOW });
    expect(name.stdout).toBe('gateway.gateway.networking.k8s.io/tls-passthrough-gateway\n');
    expect(name.code).toBe(1);
  });
});

describe('compile cache', () => {
  it('lives under $XDG_CACHE_HOME (else ~/.cache), not in the temp directory', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gwtls-cache-'));
    try {
      const env = { XDG_CACHE_HOME: join(dir, 'cache'), TMPDIR: join(dir, 'tmp'), NODE_COMPILE_CACHE: undefined, NODE_DISABLE_COMPILE_CACHE: undefined };
      expect((await runCli(['rules', '-o', 'json'], { env })).code).toBe(0);
      expect(readdirSync(join(dir, 'cache', 'kubectl-gwtls', 'compile-cache')).length).toBeGreaterThan(0);
      expect(existsSync(join(dir, 'tmp'))).toBe(false);
      const home = await runCli(['version'], { env: { XDG_CACHE_HOME: undefined, HOME: join(dir, 'home'), NODE_COMPILE_CACHE: undefined, NODE_DISABLE_COMPILE_CACHE: undefined } });
      expect(home.code).toBe(0);
      expect(readdirSync(join(dir, 'home', '.cache', 'kubectl-gwtls', 'compile-cache')).length).toBeGreaterThan(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
