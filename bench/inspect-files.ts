// Benchmark (issue 2): `inspect` on the synthetic cluster from files.
//   node bench/inspect-files.ts            (npm run bench:files)
// Prints wall time and peak memory (max RSS, from GNU time) of the built CLI:
//   L, every Gateway:  inspect -A -o json -f L/cluster.json     (goal: < 5 s, < 1 GB)
//   S, one Gateway:    inspect gw-0 -n ns-0 -o json -f S/...    (goal: < 1 s)
// and the same on YAML input (kubectl get -o yaml style): with parse workers, on one thread
// (GWTLS_PARSE_WORKERS=0), and, given GWTLS_BENCH_BEFORE=path/to/an/older/dist/kubectl-gwtls.mjs, L with that build
// too, by turns with this one, so that before and after are measured in the same run. Each figure is the median of
// GWTLS_BENCH_RUNS runs (default 3), with the range; CPU time (user + system) is printed beside wall time.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import * as yaml from 'js-yaml';
import { generate, type Size } from './synthetic.ts';

const root = fileURLToPath(new URL('..', import.meta.url));
const out = `${root}bench/out`;
// GWTLS_BENCH_CLI: a copy of the build, so that rebuilding dist/ meanwhile does not change what is measured.
const cli = process.env.GWTLS_BENCH_CLI ?? `${root}dist/kubectl-gwtls.mjs`;
const node = process.execPath;

function ensure(size: Size): { json: string; yaml: string; counts: Record<string, number> } {
  const dir = `${out}/${size}`;
  const json = `${dir}/cluster.json`;
  const yml = `${dir}/cluster.yaml`;
  if (existsSync(json) && existsSync(yml)) return { json, yaml: yml, counts: JSON.parse(execFileSync(node, ['-e', `const l=require(${JSON.stringify(json)});const c={};for(const o of l.items)c[o.kind]=(c[o.kind]||0)+1;console.log(JSON.stringify(c))`], { encoding: 'utf8', maxBuffer: 1 << 20 })) };
  mkdirSync(dir, { recursive: true });
  const t = performance.now();
  const { objects, counts } = generate(size);
  writeFileSync(json, JSON.stringify({ apiVersion: 'v1', kind: 'List', items: objects }));
  writeFileSync(yml, objects.map((o) => yaml.dump(o, { noRefs: true, lineWidth: -1 })).join('---\n'));
  console.log(`generated ${size} in ${((performance.now() - t) / 1000).toFixed(1)} s`);
  return { json, yaml: yml, counts };
}

/** Runs per measurement (GWTLS_BENCH_RUNS): on a shared machine one run can be off by a fifth; the median of several is printed, with the range. */
const runs = Math.max(1, Number(process.env.GWTLS_BENCH_RUNS ?? 3));

interface Run {
  seconds: number;
  cpu: number;
  maxRssMb: number;
  exit: number | null;
  outMb: number;
}

function runOnce(args: string[], opts: { env?: Record<string, string>; cli?: string }): Run {
  const r = spawnSync('/usr/bin/time', ['-f', '%e %U %S %M', node, opts.cli ?? cli, ...args], { encoding: 'utf8', maxBuffer: 1 << 30, env: { ...process.env, NO_COLOR: '1', ...opts.env } });
  const last = r.stderr.trim().split('\n').at(-1) ?? '';
  const [secs, user, sys, kb] = last.split(' ').map(Number);
  return { seconds: secs ?? NaN, cpu: (user ?? NaN) + (sys ?? NaN), maxRssMb: Math.round((kb ?? NaN) / 1024), exit: r.status, outMb: r.stdout.length / 1e6 };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

function report(label: string, rs: Run[]): { seconds: number; maxRssMb: number; exit: number | null } {
  const secs = rs.map((r) => r.seconds);
  const res = { seconds: median(secs), maxRssMb: Math.max(...rs.map((r) => r.maxRssMb)), exit: rs.find((r) => r.exit !== 0)?.exit ?? rs[0]!.exit };
  const range = rs.length > 1 ? ` (${Math.min(...secs).toFixed(2)}-${Math.max(...secs).toFixed(2)})` : '';
  console.log(`${label.padEnd(52)} ${res.seconds.toFixed(2).padStart(6)} s${range}  cpu ${median(rs.map((r) => r.cpu)).toFixed(2).padStart(6)} s  ${String(res.maxRssMb).padStart(5)} MB  exit ${res.exit}  (${rs[0]!.outMb.toFixed(1)} MB of JSON)`);
  return res;
}

function measure(label: string, args: string[], opts: { env?: Record<string, string>; cli?: string } = {}): { seconds: number; maxRssMb: number; exit: number | null } {
  return report(label, Array.from({ length: runs }, () => runOnce(args, opts)));
}

/** This build and the one before, run by turns, so that a machine slowing down meanwhile weighs on both alike. */
function measurePair(label: string, args: string[], before: string): { seconds: number; maxRssMb: number; exit: number | null } {
  const now: Run[] = [];
  const then: Run[] = [];
  for (let i = 0; i < runs; i++) {
    now.push(runOnce(args, {}));
    then.push(runOnce(args, { cli: before }));
  }
  const res = report(label, now);
  const old = report(`${label}, before`, then);
  console.log(`${''.padEnd(52)} this build / before: ${(res.seconds / old.seconds).toFixed(2)}x time, ${(res.maxRssMb / old.maxRssMb).toFixed(2)}x memory`);
  return res;
}

if (!existsSync(cli)) {
  console.error('dist/kubectl-gwtls.mjs is missing: run `npm run build` first');
  process.exit(2);
}
const S = ensure('S');
const L = ensure('L');
for (const [name, f] of [['S', S], ['L', L]] as const) {
  console.log(`${name}: ${Object.entries(f.counts).map(([k, v]) => `${v} ${k}`).join(', ')}; JSON ${(statSync(f.json).size / 1e6).toFixed(0)} MB, YAML ${(statSync(f.yaml).size / 1e6).toFixed(0)} MB`);
}
console.log(`\nnode ${process.versions.node}, ${execFileSync('nproc', { encoding: 'utf8' }).trim()} cores`);
const before = process.env.GWTLS_BENCH_BEFORE;
measure('kubectl gwtls version (start-up)', ['version']);
const lArgs = ['inspect', '-A', '-o', 'json', '--fail-on', 'none', '-f', L.json];
const l = before ? measurePair('L: inspect -A -o json (JSON input)', lArgs, before) : measure('L: inspect -A -o json (JSON input)', lArgs);
const s1 = measure('S: inspect gw-0 -n ns-0 -o json (JSON input)', ['inspect', 'gw-0', '-n', 'ns-0', '-o', 'json', '--fail-on', 'none', '-f', S.json]);
measure('S: inspect -A -o json (JSON input)', ['inspect', '-A', '-o', 'json', '--fail-on', 'none', '-f', S.json]);
const lyArgs = ['inspect', '-A', '-o', 'json', '--fail-on', 'none', '-f', L.yaml];
const ly = before ? measurePair('L: inspect -A -o json (YAML input)', lyArgs, before) : measure('L: inspect -A -o json (YAML input)', lyArgs);
measure('L: inspect -A -o json (YAML input, one thread)', lyArgs, { env: { GWTLS_PARSE_WORKERS: '0' } });
measure('S: inspect gw-0 -n ns-0 -o json (YAML input)', ['inspect', 'gw-0', '-n', 'ns-0', '-o', 'json', '--fail-on', 'none', '-f', S.yaml]);
console.log(`\ngoals: L under 5 s and 1 GB -> ${l.seconds < 5 && l.maxRssMb < 1024 ? 'met' : 'NOT met'} (${l.seconds.toFixed(2)} s, ${l.maxRssMb} MB; YAML input ${ly.seconds.toFixed(2)} s); one Gateway in S under 1 s -> ${s1.seconds < 1 ? 'met' : 'NOT met'} (${s1.seconds.toFixed(2)} s)`);
