// Start-up benchmark: `kubectl gwtls version` and `kubectl gwtls --help`, from the bundle (Node 24, as npm and the
// macOS archive run it) and from the single executable (as the Linux and Windows archives run it), beside the
// runtime's floor (`node -e 0`) and `kubectl version --client`, all in the same run: rounds interleave every
// command, so that a busy machine slows all of them alike. Also through kubectl (plugin dispatch), for reference.
// Prints bundle and archive sizes.
//
// Goal (issue #7): each plugin command within 60 ms of the floor, and at most 1.5x `kubectl version --client`.
//
// Usage: npm run bench:startup [-- --runs 30] [--json FILE]
// Builds the bundle into bench/out/dist and the host's single executable (cached under release/.cache).
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { buildBlob, buildExecutable, SEA_TARGETS } from '../scripts/sea.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const { values: args } = parseArgs({ options: { runs: { type: 'string', default: '30' }, warmup: { type: 'string', default: '3' }, json: { type: 'string' } } });
const runs = Number(args.runs);
const warmup = Number(args.warmup);
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const node = process.execPath;
const log = (m) => process.stderr.write(`bench: ${m}\n`);

// The bundle, built apart from dist/ (which tests may be rebuilding).
const out = join(root, 'bench', 'out');
const dist = join(out, 'dist');
const b = spawnSync(node, [join(root, 'scripts', 'build.mjs'), '--outdir', dist], { stdio: 'inherit' });
if (b.status !== 0) process.exit(2);
const bundle = join(dist, 'kubectl-gwtls.mjs');
// For comparison: the same program as one file (what the chunks avoid).
const single = join(out, 'single');
if (spawnSync(node, [join(root, 'scripts', 'build.mjs'), '--outdir', single, '--single-file'], { stdio: 'inherit' }).status !== 0) process.exit(2);
const fixture = join(root, 'test/fixtures/seeds/c-calico-passthrough/as-written.yaml');

// The host's single executable.
const target = SEA_TARGETS.find((t) => t.host[0] === process.platform && t.host[1] === process.arch);
let sea;
if (target) {
  const blob = buildBlob({ distDir: dist, workDir: join(out, 'sea'), nodeVersion: pkg.devDependencies.node });
  sea = (await buildExecutable(target, { blobPath: blob.path, blobSha256: blob.sha256, cacheDir: join(root, 'release', '.cache'), nodeVersion: pkg.devDependencies.node, log })).path;
} else log(`no single executable for ${process.platform}/${process.arch}`);

// kubectl finds the plugin as krew links it: kubectl-gwtls -> the executable, or -> the bundle (with Node on PATH).
const kubectl = spawnSync('kubectl', ['version', '--client'], { stdio: 'ignore' }).status === 0 ? 'kubectl' : undefined;
const pluginDir = (name, file) => {
  const dir = join(tmpdir(), `gwtls-bench-${process.pid}-${name}`);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  symlinkSync(file, join(dir, 'kubectl-gwtls'));
  return dir;
};
const nodeDir = join(node, '..');
const envWith = (dir) => ({ ...process.env, PATH: [dir, nodeDir, process.env.PATH].join(delimiter) });

const cases = [
  { name: 'node -e 0 (floor)', cmd: node, args: ['-e', '0'], role: 'floor' },
  ...(kubectl ? [{ name: 'kubectl version --client', cmd: 'kubectl', args: ['version', '--client'], role: 'kubectl' }] : []),
  { name: 'bundle: version', cmd: node, args: [bundle, 'version'], role: 'plugin' },
  { name: 'bundle: --help', cmd: node, args: [bundle, '--help'], role: 'plugin' },
  { name: 'bundle: version (no compile cache)', cmd: node, args: [bundle, 'version'], env: { ...process.env, NODE_DISABLE_COMPILE_CACHE: '1' }, role: 'info' },
  { name: 'one-file bundle: version', cmd: node, args: [join(single, 'kubectl-gwtls.mjs'), 'version'], role: 'info' },
  { name: 'bundle: inspect -f seed -o json', cmd: node, args: [bundle, 'inspect', '-f', fixture, '-o', 'json'], role: 'info', exitCodes: [0, 1] },
  ...(sea
    ? [
        { name: 'executable: version', cmd: sea, args: ['version'], role: 'plugin' },
        { name: 'executable: --help', cmd: sea, args: ['--help'], role: 'plugin' },
        { name: 'executable: inspect -f seed -o json', cmd: sea, args: ['inspect', '-f', fixture, '-o', 'json'], role: 'info', exitCodes: [0, 1] },
      ]
    : []),
];
if (kubectl) {
  const bundleDir = pluginDir('bundle', bundle);
  cases.push({ name: 'kubectl gwtls version (bundle)', cmd: 'kubectl', args: ['gwtls', 'version'], env: envWith(bundleDir), role: 'info', cleanup: bundleDir });
  if (sea) {
    const seaDir = pluginDir('sea', sea);
    cases.push({ name: 'kubectl gwtls version (executable)', cmd: 'kubectl', args: ['gwtls', 'version'], env: envWith(seaDir), role: 'info', cleanup: seaDir });
  }
}

function once(c) {
  return new Promise((resolve, reject) => {
    const t0 = process.hrtime.bigint();
    const child = spawn(c.cmd, c.args, { stdio: ['ignore', 'pipe', 'pipe'], env: c.env ?? process.env });
    let err = '';
    child.stdout.resume();
    child.stderr.on('data', (d) => (err += d));
    child.on('error', reject);
    child.on('close', (code) => {
      const ms = Number(process.hrtime.bigint() - t0) / 1e6;
      if (!(c.exitCodes ?? [0]).includes(code)) reject(new Error(`${c.name} exited ${code}: ${err.trim().split('\n')[0]}`));
      else resolve(ms);
    });
  });
}

log(`${cases.length} commands, ${warmup} warm-up + ${runs} interleaved rounds`);
for (const c of cases) for (let i = 0; i < warmup; i++) await once(c);
const samples = new Map(cases.map((c) => [c.name, []]));
for (let r = 0; r < runs; r++) {
  // Rotate the order each round, so that no command always follows the same one.
  for (let k = 0; k < cases.length; k++) {
    const c = cases[(k + r) % cases.length];
    samples.get(c.name).push(await once(c));
  }
}
for (const c of cases) if (c.cleanup) rmSync(c.cleanup, { recursive: true, force: true });

const stat = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const q = (p) => s[Math.min(s.length - 1, Math.floor(p * (s.length - 1)))];
  return { median: q(0.5), p10: q(0.1), p90: q(0.9), min: s[0] };
};
const stats = new Map(cases.map((c) => [c.name, stat(samples.get(c.name))]));
const floor = stats.get('node -e 0 (floor)').median;
const kube = kubectl ? stats.get('kubectl version --client').median : undefined;
const f1 = (n) => n.toFixed(1);
const rows = cases.map((c) => {
  const s = stats.get(c.name);
  return {
    command: c.name,
    medianMs: Number(f1(s.median)),
    p10Ms: Number(f1(s.p10)),
    p90Ms: Number(f1(s.p90)),
    overFloorMs: Number(f1(s.median - floor)),
    xFloor: Number((s.median / floor).toFixed(2)),
    xKubectl: kube ? Number((s.median / kube).toFixed(2)) : null,
    role: c.role,
  };
});

const w = Math.max(...rows.map((r) => r.command.length));
const lines = [
  `${'command'.padEnd(w)}  median    p10    p90  +floor  x floor  x kubectl`,
  ...rows.map((r) => `${r.command.padEnd(w)}  ${f1(r.medianMs).padStart(6)} ${f1(r.p10Ms).padStart(6)} ${f1(r.p90Ms).padStart(6)}  ${f1(r.overFloorMs).padStart(6)}  ${r.xFloor.toFixed(2).padStart(7)}  ${r.xKubectl === null ? '-' : r.xKubectl.toFixed(2).padStart(9)}`),
];
const plugin = rows.filter((r) => r.role === 'plugin');
const worst = plugin.reduce((a, r) => (r.medianMs > a.medianMs ? r : a), plugin[0]);
const goals = [
  `goal: within 60 ms of the floor: ${plugin.every((r) => r.overFloorMs <= 60) ? 'met' : 'NOT met'} (worst: ${worst.command}, +${f1(worst.overFloorMs)} ms)`,
  kube ? `goal: at most 1.5x kubectl version --client: ${plugin.every((r) => (r.xKubectl ?? 0) <= 1.5) ? 'met' : 'NOT met'} (worst: ${worst.xKubectl}x)` : 'kubectl not found: no kubectl comparison',
];

// Sizes.
const size = (p) => {
  const st = statSync(p);
  if (!st.isDirectory()) return st.size;
  return readdirSync(p).reduce((n, f) => n + size(join(p, f)), 0);
};
const mb = (n) => `${(n / 1048576).toFixed(2)} MB`;
const chunks = readdirSync(join(dist, 'chunks'));
const largest = chunks.map((f) => ({ f, n: size(join(dist, 'chunks', f)) })).sort((a, b) => b.n - a.n)[0];
const sizes = [
  `bundle: ${mb(size(dist))} in ${chunks.length + 2} files (entry ${size(bundle)} bytes; largest chunk ${largest.f}, ${mb(largest.n)}); as one file: ${mb(size(join(single, 'kubectl-gwtls.mjs')))}`,
  ...(sea ? [`single executable (${target.os}/${target.arch}): ${mb(size(sea))}`] : []),
];
const releaseDir = join(root, 'release');
if (existsSync(releaseDir)) {
  for (const f of readdirSync(releaseDir).filter((x) => /^kubectl-gwtls[_-].*\.(tar\.gz|zip|tgz)$/.test(x)).sort()) sizes.push(`release/${f}: ${mb(size(join(releaseDir, f)))}`);
}

process.stdout.write(`${lines.join('\n')}\n\n${goals.join('\n')}\n\n${sizes.join('\n')}\n`);
if (args.json) writeFileSync(args.json, JSON.stringify({ node: process.version, runs, rows, goals, sizes }, null, 2));
