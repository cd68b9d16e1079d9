// `npm run release`: every release archive, its sha256, the krew manifest, and the npm package.
//
//   release/kubectl-gwtls_v<V>_linux_amd64.tar.gz    single executable (Node SEA) + completion helper + LICENSE
//   release/kubectl-gwtls_v<V>_linux_arm64.tar.gz    single executable (Node SEA) + completion helper + LICENSE
//   release/kubectl-gwtls_v<V>_windows_amd64.zip     single executable (Node SEA) + completion helper + LICENSE
//   release/kubectl-gwtls_v<V>_node.tar.gz           the bundle (needs Node >= 22 on PATH): macOS, amd64 and arm64
//   release/kubectl-gwtls-<V>.tgz                    the npm package (publish it with `npm publish <file>`)
//   release/SHA256SUMS                               sums
//   release/plugin.yaml, release/gwtls.yaml          the krew manifest (v1alpha2), rendered from the template
//                                                    .krew.yaml with the tag and the sums; gwtls.yaml is its
//                                                    krew-index name. Nothing tracked is rewritten.
//
// macOS gets the bundle rather than an executable: an executable made here could not be signed, and arm64 macOS
// kills unsigned binaries (no tool for an ad-hoc signature is packaged for Linux on npm or Debian).
//
// Everything is deterministic (fixed archive times and owners, gzip without a timestamp), so the same sources
// give the same sums. The costly parts are cached under release/.cache: the Node binaries fetched from the npm
// registry, the executables (by blob), and the archives (by content).
//
// Usage: node scripts/release.mjs [--out DIR] [--manifest FILE] [--cache DIR] [--base-url URL] [--no-npm]
import { spawnSync } from 'node:child_process';
import { copyFileSync, cpSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { tarGz, zip } from './release-archive.mjs';
import { renderManifest } from './krew-manifest.mjs';
import { buildBlob, buildExecutable, SEA_TARGETS, sha256 } from './sea.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const { values: args } = parseArgs({
  options: {
    out: { type: 'string', default: join(root, 'release') },
    manifest: { type: 'string' },
    cache: { type: 'string' },
    'base-url': { type: 'string' },
    'no-npm': { type: 'boolean', default: false },
  },
});

const version = pkg.version;
const tag = `v${version}`;
const nodeVersion = pkg.devDependencies.node;
const out = resolve(args.out);
const cacheDir = resolve(args.cache ?? join(root, 'release', '.cache'));
const manifestPath = resolve(args.manifest ?? join(out, 'plugin.yaml'));
const template = readFileSync(join(root, '.krew.yaml'), 'utf8');
const HOMEPAGE = 'https://github.com/kubectl-gwtls/kubectl-gwtls';
const baseUrl = (args['base-url'] ?? `${HOMEPAGE}/releases/download/${tag}`).replace(/\/$/, '');
const started = performance.now();
const log = (msg) => process.stderr.write(`release: ${msg}\n`);
const seconds = (t0) => `${((performance.now() - t0) / 1000).toFixed(1)}s`;

mkdirSync(out, { recursive: true });
mkdirSync(cacheDir, { recursive: true });
for (const f of readdirSync(out)) if (/^kubectl-gwtls[_-].*\.(tar\.gz|zip|tgz)$/.test(f) || f === 'SHA256SUMS' || f === 'gwtls.yaml') rmSync(join(out, f));
const stage = join(out, '.stage');
rmSync(stage, { recursive: true, force: true });
mkdirSync(stage, { recursive: true });

// 1. The bundle, built apart from dist/ so that a release never races a build or a test run in the checkout.
let t0 = performance.now();
const dist = join(stage, 'dist');
const built = spawnSync(process.execPath, [join(root, 'scripts', 'build.mjs'), '--outdir', dist, '--minify'], { stdio: ['ignore', 'inherit', 'inherit'] });
if (built.status !== 0) process.exit(built.status ?? 2);
log(`bundle built in ${seconds(t0)}`);

const license = readFileSync(join(root, 'LICENSE'));
const completeSh = readFileSync(join(root, 'bin', 'kubectl_complete-gwtls'));
const completeCmd = Buffer.from('@echo off\r\nrem kubectl plugin completion (kubectl >= 1.26): `kubectl_complete-gwtls ARGS...` runs `kubectl-gwtls __complete ARGS...`.\r\n"%~dp0kubectl-gwtls.exe" __complete %*\r\n');

function distEntries(prefix = '') {
  const entries = [];
  const walk = (dir, rel) => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const name = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) walk(join(dir, e.name), name);
      else if (name !== 'kubectl_complete-gwtls.mjs') entries.push({ name: prefix + name, data: readFileSync(join(dir, e.name)), mode: name === 'kubectl-gwtls.mjs' ? 0o755 : 0o644 });
    }
  };
  walk(dist, '');
  return entries;
}

/** Writes an archive of `entries`, reusing the cached one with the same content. */
function writeArchive(file, format, entries) {
  const key = sha256(JSON.stringify([format, ...entries.map((e) => [e.name, e.mode ?? 0o644, sha256(e.data)])])).slice(0, 24);
  const cached = join(cacheDir, 'archives', `${key}.${format}`);
  const hit = existsSync(cached);
  if (!hit) {
    mkdirSync(join(cacheDir, 'archives'), { recursive: true });
    writeFileSync(`${cached}.${process.pid}.tmp`, format === 'zip' ? zip(entries) : tarGz(entries));
    renameSync(`${cached}.${process.pid}.tmp`, cached);
  }
  copyFileSync(cached, join(out, file));
  return { file, sha256: sha256(readFileSync(join(out, file))), cached: hit };
}

const archives = [];

// 2. Single executables.
t0 = performance.now();
const blob = buildBlob({ distDir: dist, workDir: join(stage, 'sea'), nodeVersion });
log(`SEA blob (${blob.assets} files, ${(blob.bytes / 1048576).toFixed(1)} MB of minified JavaScript) in ${seconds(t0)}`);
for (const target of SEA_TARGETS) {
  t0 = performance.now();
  const exe = await buildExecutable(target, { blobPath: blob.path, blobSha256: blob.sha256, cacheDir, nodeVersion, log });
  const windows = target.os === 'windows';
  const entries = [
    { name: target.exe, data: readFileSync(exe.path), mode: 0o755 },
    windows ? { name: 'kubectl_complete-gwtls.cmd', data: completeCmd, mode: 0o755 } : { name: 'kubectl_complete-gwtls', data: completeSh, mode: 0o755 },
    { name: 'LICENSE', data: license, mode: 0o644 },
  ];
  const file = `kubectl-gwtls_${tag}_${target.os}_${target.arch}.${windows ? 'zip' : 'tar.gz'}`;
  const a = writeArchive(file, windows ? 'zip' : 'tar.gz', entries);
  archives.push({
    ...a,
    platforms: [{ os: target.os, arch: target.arch }],
    bin: target.exe,
    files: [target.exe, windows ? 'kubectl_complete-gwtls.cmd' : 'kubectl_complete-gwtls', 'LICENSE'].map((from) => ({ from, to: '.' })),
  });
  log(`${target.os}/${target.arch} executable${exe.cached ? ' (cached)' : ''} and ${file} in ${seconds(t0)}`);
}

// 3. The bundle for macOS (and any system with Node >= 22): kubectl follows krew's link to kubectl-gwtls.mjs,
//    whose `#!/usr/bin/env node` line runs it; Node resolves the link, so the chunks are found beside it.
t0 = performance.now();
{
  const file = `kubectl-gwtls_${tag}_node.tar.gz`;
  const entries = [...distEntries(), { name: 'kubectl_complete-gwtls', data: completeSh, mode: 0o755 }, { name: 'LICENSE', data: license, mode: 0o644 }];
  const a = writeArchive(file, 'tar.gz', entries);
  archives.push({
    ...a,
    platforms: [
      { os: 'darwin', arch: 'amd64' },
      { os: 'darwin', arch: 'arm64' },
    ],
    bin: 'kubectl-gwtls.mjs',
    files: ['kubectl-gwtls.mjs', 'chunks', 'kubectl_complete-gwtls', 'LICENSE'].map((from) => ({ from, to: '.' })),
  });
  log(`${file} in ${seconds(t0)}`);
}

// 4. The npm package: the bundle as the `bin`s, nothing to install beside it (every dependency is bundled).
if (!args['no-npm']) {
  t0 = performance.now();
  const dir = join(stage, 'npm');
  mkdirSync(dir, { recursive: true });
  const { scripts: _scripts, dependencies: _deps, devDependencies: _devDeps, allowScripts: _allow, ...published } = pkg;
  writeFileSync(join(dir, 'package.json'), `${JSON.stringify(published, null, 2)}\n`);
  for (const f of ['LICENSE', 'README.md']) if (existsSync(join(root, f))) copyFileSync(join(root, f), join(dir, f));
  cpSync(join(root, 'docs', 'rules'), join(dir, 'docs', 'rules'), { recursive: true });
  cpSync(dist, join(dir, 'dist'), { recursive: true });
  const r = spawnSync('npm', ['pack', dir, '--pack-destination', out, '--ignore-scripts', '--json'], { encoding: 'utf8', shell: process.platform === 'win32' });
  if (r.status !== 0) throw new Error(`npm pack failed: ${r.stderr}`);
  const [info] = JSON.parse(r.stdout);
  log(`npm package ${info.filename} (${info.entryCount} files) in ${seconds(t0)}`);
}

// 5. Sums and the manifest.
const sums = readdirSync(out)
  .filter((f) => /^kubectl-gwtls[_-].*\.(tar\.gz|zip|tgz)$/.test(f))
  .sort()
  .map((f) => `${sha256(readFileSync(join(out, f)))}  ${f}`);
writeFileSync(join(out, 'SHA256SUMS'), `${sums.join('\n')}\n`);
const manifest = renderManifest(template, archives, { tag, baseUrl });
writeFileSync(manifestPath, manifest);
writeFileSync(join(out, 'gwtls.yaml'), manifest);
log(`manifest ${manifestPath} (${archives.reduce((n, a) => n + a.platforms.length, 0)} platforms); done in ${seconds(started)}`);
for (const line of sums) {
  const f = line.slice(66);
  process.stdout.write(`${(readFileSync(join(out, f)).length / 1048576).toFixed(1).padStart(6)} MB  ${line}\n`);
}
