// Fuzz: random control characters and newlines in every string field of every seed fixture, through the
// command as a user runs it (the program's main, in-process, with stdout and stderr captured), and random
// control characters in every string field of real probe reports, through the probe's text renderer. No text
// output may contain a raw control character (newlines are the output's own; with colour on, the SGR codes our
// styling adds).
//
// Reproduce a failure with the seed it prints: FUZZ_SEED=<n> npx vitest run --project unit test/cli/fuzz-terminal.test.ts
// More rounds: FUZZ_ROUNDS=<n> (default 8 per fixture and mode).
//
// An output form is one entry of FORMS: a name, the runs it makes for a fuzzed case, and (optionally) its own
// check of what was captured on top of the raw-control check.
import { readdirSync, readFileSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import * as yaml from 'js-yaml';
import { afterAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.ts';
import { probe, renderProbeText } from '../../src/probe/index.ts';
import type { ProbeReport } from '../../src/probe/types.ts';
import { ROOT } from '../helpers/cli.ts';
import { rawControl } from '../helpers/hostile.ts';
import { makePki, pem } from '../helpers/tls-certs.ts';
import { startRawServer, startTlsServer } from '../helpers/tls-servers.ts';

const SEED = Number(process.env.FUZZ_SEED ?? 1205);
const ROUNDS = Number(process.env.FUZZ_ROUNDS ?? 8);
const SEEDS_DIR = join(ROOT, 'test/fixtures/seeds');
const dir = mkdtempSync(join(tmpdir(), 'gwtls-fuzz-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** mulberry32: small, seedable, good enough to pick characters and positions. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** What goes in: single control characters (C0, DEL, C1, bidi, separators) and whole escape sequences. */
const PIECES = [
  ...Array.from({ length: 32 }, (_, i) => String.fromCharCode(i)),
  '\x7f',
  '\x85',
  '\x9b',
  '\x9d',
  '\u061c',
  '\u200b',
  '\u200e',
  '\u2028',
  '\u2029',
  '\u202e',
  '\u2066',
  '\ufeff',
  '\r\n',
  '\n---\nkind: ClusterRoleBinding\n',
  '\x1b[31m',
  '\x1b[2J\x1b[H',
  '\x1b]52;c;cm0gLXJmIH4=\x07',
  '\x1b]0;pwned\x1b\\',
  '\x1bP+q\x1b\\',
  '\r\x1b[2KOK',
];

function mutate(s: string, rnd: () => number): string {
  let out = s;
  const n = 1 + Math.floor(rnd() * 3);
  for (let i = 0; i < n; i++) {
    const at = Math.floor(rnd() * (out.length + 1));
    out = out.slice(0, at) + PIECES[Math.floor(rnd() * PIECES.length)]! + out.slice(at);
  }
  return out;
}

/**
 * Every string value replaced by a mutation of it, the same mutation for the same string (so references between
 * objects still hold). `keep(path)` leaves a value as it is.
 */
function fuzzStrings<T>(value: T, rnd: () => number, keep: (key: string, path: string[]) => boolean = () => false): T {
  const memo = new Map<string, string>();
  const walk = (v: unknown, path: string[]): unknown => {
    if (typeof v === 'string') {
      if (keep(path.at(-1) ?? '', path)) return v;
      let m = memo.get(v);
      if (m === undefined) memo.set(v, (m = mutate(v, rnd)));
      return m;
    }
    if (Array.isArray(v)) return v.map((x, i) => walk(x, [...path, String(i)]));
    if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, walk(x, [...path, k])]));
    return v;
  };
  return walk(value, []) as T;
}

function seedFiles(d = SEEDS_DIR): string[] {
  return readdirSync(d)
    .flatMap((f) => (statSync(join(d, f)).isDirectory() ? seedFiles(join(d, f)) : /\.ya?ml$/.test(f) ? [join(d, f)] : []))
    .sort();
}

/** Modes: object names and references and texts (objects stay loadable), or every string (apiVersion, kind, data too). */
const MODES: Record<string, (key: string, path: string[]) => boolean> = {
  'every field but apiVersion, kind and data': (key, path) => key === 'apiVersion' || key === 'kind' || path.includes('data') || path.includes('stringData'),
  'every field': () => false,
};

interface Case {
  file: string;
  gateways: Array<{ name: string; namespace: string }>;
}

interface Run {
  args: string[];
  env?: Record<string, string | undefined>;
}

interface Captured {
  stdout: string;
  stderr: string;
  exitCode: number;
}

interface OutputForm {
  name: string;
  runs(c: Case): Run[];
  /** Styled output: the SGR codes our styling adds are allowed. */
  styled?: boolean;
  check?(out: Captured, c: Case, run: Run): void;
}

const NOW = { GWTLS_NOW: '2026-11-22T00:00:00Z' };
const FORMS: OutputForm[] = [
  // The report is rendered (not an error): the fuzzed names still find the Gateway.
  { name: 'inspect GATEWAY -o text', runs: (c) => c.gateways.map((g) => ({ args: ['inspect', g.name, '-n', g.namespace, '-f', c.file, '-o', 'text'] })), check: (out) => expect(out.stdout).toMatch(/^Gateway [^\n]*\/[^\n]* {2}(OK|BROKEN|UNVERIFIED|WARNING|NO ROUTES|NOT CHECKED)/m) },
  { name: 'inspect GATEWAY -o text -v (details)', runs: (c) => c.gateways.slice(0, 1).map((g) => ({ args: ['inspect', g.name, '-n', g.namespace, '-f', c.file, '-o', 'text', '-v'] })) },
  { name: 'inspect GATEWAY -o text, colour on', styled: true, runs: (c) => c.gateways.slice(0, 1).map((g) => ({ args: ['inspect', g.name, '-n', g.namespace, '-f', c.file, '-o', 'text'], env: { NO_COLOR: undefined, FORCE_COLOR: '1' } })) },
  { name: 'inspect -A (table)', runs: (c) => [{ args: ['inspect', '-A', '-f', c.file] }] },
  { name: 'inspect -A -o wide', runs: (c) => [{ args: ['inspect', '-A', '-f', c.file, '-o', 'wide'] }] },
  { name: 'inspect -A -o name', runs: (c) => [{ args: ['inspect', '-A', '-f', c.file, '-o', 'name'] }], check: (out) => expect(out.stdout).toMatch(/^(gateway\.gateway\.networking\.k8s\.io\/[^\n]+\n)*$/) },
  { name: 'inspect MISSING (error naming the Gateways there)', runs: (c) => c.gateways.slice(0, 1).map((g) => ({ args: ['inspect', `${g.name}-x`, '-n', g.namespace, '-f', c.file, '-o', 'text'] })), check: (out) => expect(out.exitCode).toBe(2) },
  { name: 'inspect -o json', runs: (c) => [{ args: ['inspect', '-A', '-f', c.file, '-o', 'json'] }], check: (out) => void JSON.parse(out.stdout) },
  // Every line is a comment or part of a document the YAML library wrote; the plan-level check (documents
  // equal to the plan's configurations) is test/unit/fixes/hostile.test.ts.
  { name: 'inspect -A --fix', runs: (c) => [{ args: ['inspect', '-A', '-f', c.file, '--fix'] }], check: (out) => expect(yaml.loadAll(out.stdout).filter((d) => d && typeof d === 'object' && (d as { kind?: unknown }).kind === 'ClusterRoleBinding')).toEqual([]) },
];

/** Runs the program in this process, as the built CLI would, capturing what it writes. */
async function runMain(run: Run): Promise<Captured> {
  const out = { stdout: '', stderr: '' };
  const env = { NO_COLOR: '1', FORCE_COLOR: undefined, ...NOW, ...run.env };
  const saved = Object.fromEntries(Object.keys(env).map((k) => [k, process.env[k]]));
  const writes = { stdout: process.stdout.write, stderr: process.stderr.write };
  const capture = (which: 'stdout' | 'stderr') =>
    ((chunk: string | Uint8Array, enc?: unknown, cb?: unknown) => {
      out[which] += typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8');
      const done = typeof enc === 'function' ? enc : cb;
      if (typeof done === 'function') queueMicrotask(() => (done as () => void)());
      return true;
    }) as typeof process.stdout.write;
  for (const [k, v] of Object.entries(env)) {
    if (v === undefined) Reflect.deleteProperty(process.env, k);
    else process.env[k] = v;
  }
  process.stdout.write = capture('stdout');
  process.stderr.write = capture('stderr');
  const exitBefore = process.exitCode;
  try {
    await main(['node', 'kubectl-gwtls', ...run.args]);
    return { ...out, exitCode: Number(process.exitCode ?? 0) };
  } finally {
    process.stdout.write = writes.stdout;
    process.stderr.write = writes.stderr;
    process.exitCode = exitBefore;
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) Reflect.deleteProperty(process.env, k);
      else process.env[k] = v;
    }
  }
}

const tally = new Map<string, { tried: number; passed: number }>();
function count(category: string, ok: boolean): void {
  const t = tally.get(category) ?? { tried: 0, passed: 0 };
  t.tried++;
  if (ok) t.passed++;
  tally.set(category, t);
}
afterAll(() => {
  const lines = [...tally].map(([k, v]) => `  ${k}: ${v.passed}/${v.tried} passed`);
  process.stdout.write(`fuzz (seed ${SEED}, ${ROUNDS} rounds):\n${lines.join('\n')}\n`);
});

describe('fuzz: control characters in every string of the seed fixtures', () => {
  const files = seedFiles();
  it('has seed fixtures to fuzz', () => {
    expect(files.length).toBeGreaterThan(5);
  });
  for (const file of files) {
    for (const [mode, keep] of Object.entries(MODES)) {
      it(`${relative(SEEDS_DIR, file)}: ${mode}`, async () => {
        const docs = yaml.loadAll(readFileSync(file, 'utf8')).filter((d) => d && typeof d === 'object') as Array<Record<string, unknown>>;
        for (let round = 0; round < ROUNDS; round++) {
          const seed = SEED * 1000 + files.indexOf(file) * 10 + round + (mode === 'every field' ? 500 : 0);
          const fuzzed = fuzzStrings(docs, prng(seed), keep);
          const path = join(dir, `case-${seed}.yaml`);
          writeFileSync(path, fuzzed.map((d) => yaml.dump(d)).join('---\n'));
          const gateways = fuzzed
            .filter((d) => d.kind === 'Gateway' && d.metadata && typeof (d.metadata as { name?: unknown }).name === 'string')
            .map((d) => {
              const m = d.metadata as { name: string; namespace?: string };
              return { name: m.name, namespace: typeof m.namespace === 'string' ? m.namespace : 'default' };
            });
          const c: Case = { file: path, gateways };
          for (const form of FORMS) {
            for (const run of form.runs(c)) {
              const out = await runMain(run);
              const problem = rawControl(out.stdout, form.styled) ?? rawControl(out.stderr);
              const where = `seed ${seed} (${path}), ${form.name}: ${JSON.stringify(run.args)}`;
              count(form.name, problem === null);
              expect(problem, `${where}: raw control character in the output`).toBeNull();
              expect(out.stderr, where).not.toMatch(/^\s+at /m);
              form.check?.(out, c, run);
            }
          }
        }
      });
    }
  }
});

describe('fuzz: control characters in every string of real probe reports', () => {
  it('the probe text renderer escapes them all', async () => {
    const pki = makePki('rsa', 'Fuzz');
    const leaf = pki.leaf({ dns: ['fuzz.example.test', 'localhost'] });
    const good = await startTlsServer({ key: leaf.key.keyPem, cert: pem(leaf, pki.int) });
    const banner = await startRawServer((s) => s.once('data', () => s.end('HTTP/1.1 400 Bad Request\r\nServer: nginx\r\n\r\n')));
    try {
      const reports: ProbeReport[] = [
        await probe(`fuzz.example.test:${good.port}`, { connectTo: '127.0.0.1', ca: pki.root.pem, timeoutMs: 5000 }),
        await probe(`fuzz.example.test:${good.port}`, { connectTo: '127.0.0.1', timeoutMs: 5000 }),
        await probe(banner.addr, { timeoutMs: 5000 }),
      ];
      for (const [i, base] of reports.entries()) {
        for (let round = 0; round < ROUNDS * 10; round++) {
          const seed = SEED * 1000 + 900 + i * 100 + round;
          const fuzzed = fuzzStrings(base, prng(seed));
          const text = renderProbeText([fuzzed]);
          const problem = rawControl(text);
          count('probe text', problem === null);
          expect(problem, `seed ${seed}: probe report ${i}`).toBeNull();
        }
      }
    } finally {
      await Promise.all([good.close(), banner.close()]);
    }
  });
});
