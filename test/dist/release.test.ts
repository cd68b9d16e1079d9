// The release as users get it: `npm run release` into a temporary directory (single executables cached under
// release/.cache), then the manifest against krew's rules, the linux/amd64 archive installed as krew installs it
// and run by the real kubectl with no Node on PATH, the script archive run with Node on PATH, the other
// executables' formats, the npm package installed into a temporary prefix, and what each command loads.
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { krewInstall, platformFor, readManifest, unpack, validateManifest, type Plugin } from './krew.ts';
import { renderManifest } from '../../scripts/krew-manifest.mjs';

const ROOT = join(import.meta.dirname, '..', '..');
const FIXTURE = join(ROOT, 'test/fixtures/seeds/c-calico-passthrough/as-written.yaml');
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string };
const TAG = `v${pkg.version}`;
const kubectlPath = findOnPath('kubectl');

let work: string;
let out: string;
let manifestFile: string;
let manifest: Plugin;
let releaseLog = '';
let templateBefore = '';

/** The section names of a 64-bit little-endian ELF file. */
function elfSections(elf: Buffer): string[] {
  const shoff = Number(elf.readBigUInt64LE(0x28));
  const size = elf.readUInt16LE(0x3a);
  const count = elf.readUInt16LE(0x3c);
  const strndx = elf.readUInt16LE(0x3e);
  const header = (i: number) => ({ name: elf.readUInt32LE(shoff + i * size), offset: Number(elf.readBigUInt64LE(shoff + i * size + 0x18)) });
  const names = header(strndx).offset;
  return Array.from({ length: count }, (_, i) => {
    const start = names + header(i).name;
    return elf.subarray(start, elf.indexOf(0, start)).toString('latin1');
  });
}

function findOnPath(cmd: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    const file = join(dir, cmd);
    if (dir && existsSync(file) && statSync(file).isFile()) return file;
  }
  return undefined;
}

/** A directory holding only links to the given tools, for a PATH with nothing else on it. */
function toolsDir(name: string, tools: Record<string, string>): string {
  const dir = join(work, name);
  mkdirSync(dir, { recursive: true });
  for (const [tool, target] of Object.entries(tools)) symlinkSync(target, join(dir, tool));
  return dir;
}

function run(cmd: string, args: string[], env: NodeJS.ProcessEnv, cwd = ROOT): SpawnSyncReturns<string> {
  return spawnSync(cmd, args, { cwd, env, encoding: 'utf8', timeout: 60_000 });
}

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'gwtls-dist-'));
  out = join(work, 'release');
  manifestFile = join(out, 'plugin.yaml');
  templateBefore = readFileSync(join(ROOT, '.krew.yaml'), 'utf8');
  const t0 = performance.now();
  const r = spawnSync(process.execPath, [join(ROOT, 'scripts/release.mjs'), '--out', out], { cwd: ROOT, encoding: 'utf8', timeout: 900_000 });
  releaseLog = `${r.stderr}${r.stdout}`;
  if (r.status !== 0) throw new Error(`npm run release failed (${r.status}):\n${releaseLog}`);
  process.stderr.write(`release built in ${((performance.now() - t0) / 1000).toFixed(1)}s\n${r.stderr}`);
  manifest = readManifest(manifestFile);
});

afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

describe('krew manifest', () => {
  it('passes krew validation under its krew-index name, with every archive present and its sum matching', () => {
    const asInIndex = join(work, 'index', 'gwtls.yaml');
    mkdirSync(dirname(asInIndex), { recursive: true });
    cpSync(manifestFile, asInIndex);
    expect(validateManifest(asInIndex, { archivesDir: out })).toEqual([]);
    expect(readFileSync(join(out, 'gwtls.yaml'), 'utf8')).toBe(readFileSync(manifestFile, 'utf8'));
  });

  it('has one platform entry per os/arch: single executables for Linux and Windows, the bundle for macOS', () => {
    const entries = (manifest.spec?.platforms ?? []).map((p) => `${p.selector?.matchLabels?.os}/${p.selector?.matchLabels?.arch} ${p.bin}`);
    expect(entries).toEqual(['linux/amd64 kubectl-gwtls', 'linux/arm64 kubectl-gwtls', 'windows/amd64 kubectl-gwtls.exe', 'darwin/amd64 kubectl-gwtls.mjs', 'darwin/arm64 kubectl-gwtls.mjs']);
    expect(manifest.spec?.version).toBe(TAG);
    expect(manifest.spec?.caveats).toMatch(/Node\.js 22 or later/);
    for (const p of manifest.spec?.platforms ?? []) expect(p.uri).toMatch(new RegExp(`/releases/download/${TAG}/kubectl-gwtls_${TAG}_`));
  });

  it('rejects what krew rejects', () => {
    const bad = (mutate: (p: Plugin) => void, name = 'gwtls') => {
      const p = structuredClone(manifest);
      mutate(p);
      const file = join(work, `bad-${Math.random().toString(36).slice(2)}`, `${name}.yaml`);
      mkdirSync(dirname(file), { recursive: true });
      writeFileSync(file, JSON.stringify(p));
      return validateManifest(file, { archivesDir: out }).join('\n');
    };
    expect(bad(() => {}, 'plugin')).toMatch(/should be named "plugin"/);
    expect(bad((p) => (p.spec!.version = '0.1.0'))).toMatch(/semver/);
    expect(bad((p) => (p.spec!.platforms![0]!.selector!.matchLabels = { os: 'linux', arch: 'amd64', libc: 'glibc' }))).toMatch(/key "libc" not supported/);
    expect(bad((p) => (p.spec!.platforms![1]!.selector = { matchExpressions: [{ key: 'os', operator: 'In', values: ['linux'] }] }))).toMatch(/overlap|select os=linux\/arch=amd64/);
    expect(bad((p) => (p.spec!.platforms![0]!.sha256 = 'ABC'))).toMatch(/sha256/);
    expect(bad((p) => (p.spec!.platforms![0]!.sha256 = '0'.repeat(64)))).toMatch(/sha256 of kubectl-gwtls_.*_linux_amd64\.tar\.gz is/);
    expect(bad((p) => (p.spec!.platforms![0]!.files = [{ from: 'kubectl-gwtls', to: '.' }]))).toMatch(/no LICENSE/);
    expect(bad((p) => (p.spec!.platforms![0]!.uri = 'https://example.invalid/missing.tar.gz'))).toMatch(/missing\.tar\.gz is not in/);
  });

  it('is rendered into the release directory only: the repository keeps the template, which holds no sums', () => {
    expect(existsSync(join(ROOT, 'plugin.yaml'))).toBe(false);
    const template = readFileSync(join(ROOT, '.krew.yaml'), 'utf8');
    expect(template).toBe(templateBefore);
    expect(template).not.toMatch(/sha256: [0-9a-f]{64}/);
    expect(template).not.toContain(TAG);
    // The template names each archive the release builds; rendered with the real sums it is the manifest written.
    const archives = readdirSync(out)
      .filter((f) => /^kubectl-gwtls_.*\.(tar\.gz|zip)$/.test(f))
      .map((f) => ({ file: f, sha256: createHash('sha256').update(readFileSync(join(out, f))).digest('hex') }));
    const base = manifest.spec!.platforms![0]!.uri!.replace(/\/[^/]+$/, '');
    expect(renderManifest(template, archives, { tag: TAG, baseUrl: base })).toBe(readFileSync(manifestFile, 'utf8'));
    expect(() => renderManifest(template, archives.slice(1), { tag: TAG, baseUrl: base })).toThrow(/which the release did not build/);
    expect(() => renderManifest(template, [...archives, { file: 'kubectl-gwtls_v0_freebsd_amd64.tar.gz', sha256: '0'.repeat(64) }], { tag: TAG, baseUrl: base })).toThrow(/no platform for kubectl-gwtls_v0_freebsd/);
  });

  it('the single executables are stripped and carry their JavaScript minified', () => {
    const exe = unpack(join(out, `kubectl-gwtls_${TAG}_linux_amd64.tar.gz`)).find((f) => f.name === 'kubectl-gwtls')!.data;
    const node = readFileSync(process.execPath);
    // Sizes, for the record (docs/install.md quotes them): the official binary, the executable made of it.
    process.stderr.write(`linux/amd64: node ${(node.length / 1e6).toFixed(1)} MB, kubectl-gwtls ${(exe.length / 1e6).toFixed(1)} MB\n`);
    expect(exe.length).toBeLessThan(node.length);
    expect(releaseLog).toMatch(/MB of minified JavaScript/);
    const strip = ['llvm-strip', 'strip'].some((t) => spawnSync(t, ['--version'], { stdio: 'ignore' }).status === 0);
    if (!strip) console.warn('no strip tool on this machine: the executable keeps its symbols');
    else expect(elfSections(exe).filter((n) => n === '.symtab' || n.startsWith('.debug_'))).toEqual([]);
    expect(elfSections(exe)).toContain('.dynsym');
  });

  it('SHA256SUMS lists every archive and the npm package', () => {
    const sums = readFileSync(join(out, 'SHA256SUMS'), 'utf8').trim().split('\n');
    expect(sums.map((l) => l.slice(66)).sort()).toEqual(readdirSync(out).filter((f) => /\.(tar\.gz|zip|tgz)$/.test(f)).sort());
    for (const l of sums) expect(l).toMatch(/^[a-f0-9]{64} {2}\S+$/);
  });
});

describe.skipIf(!kubectlPath)('linux/amd64 archive installed as krew installs it', () => {
  let env: NodeJS.ProcessEnv;
  let binDir: string;

  beforeAll(() => {
    const platform = platformFor(manifest, 'linux', 'amd64')!;
    const archive = join(out, `kubectl-gwtls_${TAG}_linux_amd64.tar.gz`);
    ({ binDir } = krewInstall(manifest, platform, archive, join(work, 'krew-sea')));
    // The completion helper, linked beside the plugin as docs/install.md says.
    symlinkSync(join(work, 'krew-sea', 'store', 'gwtls', TAG, 'kubectl_complete-gwtls'), join(binDir, 'kubectl_complete-gwtls'));
    const tools = toolsDir('tools-sea', { kubectl: kubectlPath! });
    env = { PATH: [binDir, tools].join(delimiter), HOME: work, KUBECONFIG: join(work, 'no-kubeconfig'), NO_COLOR: '1' };
  });

  it('has no node on PATH', () => {
    expect(spawnSync('sh', ['-c', 'command -v node'], { env }).status).not.toBe(0);
  });

  it('is found by kubectl plugin list', () => {
    const r = run(kubectlPath!, ['plugin', 'list'], env);
    expect(r.stdout).toContain(join(binDir, 'kubectl-gwtls'));
    expect(r.stderr).not.toMatch(/warning/i);
  });

  it('runs kubectl gwtls version', () => {
    const r = run(kubectlPath!, ['gwtls', 'version'], env);
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe(`kubectl-gwtls ${pkg.version}\n`);
    expect(r.status).toBe(0);
  });

  it('runs kubectl gwtls inspect -f <seed> -o json, as the bundle does', () => {
    const r = run(kubectlPath!, ['gwtls', 'inspect', '-f', FIXTURE, '-o', 'json'], env);
    expect(r.stderr).toBe('');
    const report = JSON.parse(r.stdout) as { kind: string; gateways: Array<{ name: string }>; findings: unknown[] };
    expect(report.kind).toBe('InspectReport');
    expect(report.gateways.map((g) => g.name)).toEqual(['tls-passthrough-gateway']);
    const viaBundle = spawnSync(process.execPath, [join(out, '.stage/dist/kubectl-gwtls.mjs'), 'inspect', '-f', FIXTURE, '-o', 'json'], { encoding: 'utf8' });
    const strip = (s: string) => JSON.stringify({ ...(JSON.parse(s) as object), generatedAt: undefined });
    expect(strip(r.stdout)).toBe(strip(viaBundle.stdout));
    expect(r.status).toBe(viaBundle.status);
  });

  it('parses a large YAML input in worker threads, with the same report as the bundle', () => {
    // Over 2 MB of YAML: the parse goes to workers, which in the executable load their module from its assets.
    const big = join(work, 'big.yaml');
    const filler = Array.from({ length: 2500 }, (_, i) => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: filler-${i}\n  namespace: default\ndata:\n  k: ${'v'.repeat(1000)}\n`);
    writeFileSync(big, [readFileSync(FIXTURE, 'utf8'), ...filler].join('---\n'));
    const r = run(kubectlPath!, ['gwtls', 'inspect', '-f', big, '-o', 'json'], { ...env, GWTLS_DEBUG: '1' });
    expect(r.stderr).toMatch(/^debug: YAML parsed by \d+ worker threads \(\d+ batches\)$/m);
    expect(r.stderr).not.toMatch(/could not run/);
    const viaBundle = spawnSync(process.execPath, [join(out, '.stage/dist/kubectl-gwtls.mjs'), 'inspect', '-f', big, '-o', 'json'], { encoding: 'utf8', env: { ...process.env, GWTLS_PARSE_WORKERS: '0' } });
    const strip = (s: string) => JSON.stringify({ ...(JSON.parse(s) as object), generatedAt: undefined });
    expect(strip(r.stdout)).toBe(strip(viaBundle.stdout));
    expect(r.status).toBe(viaBundle.status);
  });

  it('runs explain (rule docs embedded) and reports usage errors with exit code 2', () => {
    expect(run(kubectlPath!, ['gwtls', 'explain', 'GWTLS-LSN-004'], env).stdout).toMatch(/^# GWTLS-LSN-004/);
    const bad = run(kubectlPath!, ['gwtls', 'inspect', '-o', 'nope'], env);
    expect(bad.status).toBe(2);
  });

  it('completes kubectl gwtls <TAB> through kubectl_complete-gwtls', () => {
    const names = run(kubectlPath!, ['__complete', 'gwtls', 'inspect', '-f', FIXTURE, ''], env);
    expect(names.stdout.split('\n')[0]).toMatch(/^tls-passthrough-gateway\t/);
    expect(names.stdout).toMatch(/^:4$/m);
    const commands = run(kubectlPath!, ['__complete', 'gwtls', 'ins'], env);
    expect(commands.stdout).toMatch(/^inspect\t/m);
  });
});

describe.skipIf(!kubectlPath)('script archive (macOS) run with Node on PATH', () => {
  let env: NodeJS.ProcessEnv;

  beforeAll(() => {
    const platform = platformFor(manifest, 'darwin', 'arm64')!;
    expect(platformFor(manifest, 'darwin', 'amd64')?.uri).toBe(platform.uri);
    const { binDir } = krewInstall(manifest, platform, join(out, `kubectl-gwtls_${TAG}_node.tar.gz`), join(work, 'krew-node'));
    const tools = toolsDir('tools-node', { kubectl: kubectlPath!, node: process.execPath });
    env = { PATH: [binDir, tools].join(delimiter), HOME: work, KUBECONFIG: join(work, 'no-kubeconfig'), NO_COLOR: '1' };
  });

  it('runs kubectl gwtls version and inspect -f <seed> -o json', () => {
    expect(run('node', ['--version'], env).stdout.trim()).toMatch(/^v(2[2-9]|[3-9]\d)\./);
    const v = run(kubectlPath!, ['gwtls', 'version'], env);
    expect(v.stdout).toBe(`kubectl-gwtls ${pkg.version}\n`);
    const r = run(kubectlPath!, ['gwtls', 'inspect', '-f', FIXTURE, '-o', 'json'], env);
    expect(r.stderr).toBe('');
    expect((JSON.parse(r.stdout) as { kind: string }).kind).toBe('InspectReport');
  });

  it('says which Node it needs when an older one is on PATH', () => {
    const old = ['/usr/bin/node', '/usr/local/bin/node'].find((n) => existsSync(n) && Number(/^v(\d+)/.exec(spawnSync(n, ['--version'], { encoding: 'utf8' }).stdout)?.[1]) < 22);
    if (!old) return;
    const tools = toolsDir('tools-old-node', { kubectl: kubectlPath!, node: old });
    const r = run(kubectlPath!, ['gwtls', 'version'], { ...env, PATH: [join(work, 'krew-node', 'bin'), tools].join(delimiter) });
    expect(r.stderr).toMatch(/needs Node\.js >= 22/);
    expect(r.status).toBe(2);
  });
});

describe('the other archives', () => {
  it('windows/amd64: a PE executable with the SEA blob injected, the completion helper and LICENSE', () => {
    const files = unpack(join(out, `kubectl-gwtls_${TAG}_windows_amd64.zip`));
    expect(files.map((f) => f.name).sort()).toEqual(['LICENSE', 'kubectl-gwtls.exe', 'kubectl_complete-gwtls.cmd']);
    const exe = files.find((f) => f.name === 'kubectl-gwtls.exe')!.data;
    expect(exe.subarray(0, 2).toString('latin1')).toBe('MZ');
    expect(exe.includes('NODE_SEA_FUSE_fce680ab2cc467b6e072b8b5df1996b2:1')).toBe(true);
  });

  it('linux/arm64: an aarch64 ELF executable with the SEA blob injected', () => {
    const files = unpack(join(out, `kubectl-gwtls_${TAG}_linux_arm64.tar.gz`));
    expect(files.map((f) => f.name).sort()).toEqual(['LICENSE', 'kubectl-gwtls', 'kubectl_complete-gwtls']);
    const exe = files.find((f) => f.name === 'kubectl-gwtls')!;
    expect(exe.data.subarray(0, 4).toString('latin1')).toBe('\x7fELF');
    expect(exe.data.readUInt16LE(18)).toBe(0xb7); // e_machine: EM_AARCH64
    expect(exe.mode & 0o111).toBe(0o111);
    expect(exe.data.includes('NODE_SEA_FUSE_fce680ab2cc467b6e072b8b5df1996b2:1')).toBe(true);
  });

  // Where qemu and the arm64 C libraries are installed (Debian: qemu-user-static libc6-arm64-cross
  // libstdc++6-arm64-cross), the arm64 executable is run too.
  it.skipIf(!existsSync('/usr/bin/qemu-aarch64-static') || !existsSync('/usr/aarch64-linux-gnu/lib/ld-linux-aarch64.so.1'))('linux/arm64: runs under qemu', () => {
    const platform = platformFor(manifest, 'linux', 'arm64')!;
    const { installDir } = krewInstall(manifest, platform, join(out, `kubectl-gwtls_${TAG}_linux_arm64.tar.gz`), join(work, 'krew-arm64'));
    const qemu = (...args: string[]) => spawnSync('/usr/bin/qemu-aarch64-static', ['-L', '/usr/aarch64-linux-gnu', join(installDir, 'kubectl-gwtls'), ...args], { encoding: 'utf8', timeout: 120_000 });
    expect(qemu('version').stdout).toBe(`kubectl-gwtls ${pkg.version}\n`);
    const r = qemu('inspect', '-f', FIXTURE, '-o', 'json');
    expect((JSON.parse(r.stdout) as { gateways: Array<{ name: string }> }).gateways.map((g) => g.name)).toEqual(['tls-passthrough-gateway']);
  });
});

describe('npm package', () => {
  let tgz: string;
  let prefix: string;
  let env: NodeJS.ProcessEnv;

  beforeAll(() => {
    tgz = join(out, `kubectl-gwtls-${pkg.version}.tgz`);
    prefix = join(work, 'npm-prefix');
    env = { ...process.env, PATH: [join(prefix, 'bin'), dirname(process.execPath), process.env.PATH].join(delimiter), npm_config_prefix: prefix, npm_config_cache: join(work, 'npm-cache') };
  });

  it('holds the bundle and no dependencies', () => {
    const files = unpack(tgz).map((f) => f.name.replace(/^package\//, ''));
    expect(files).toContain('dist/kubectl-gwtls.mjs');
    expect(files).toContain('dist/kubectl_complete-gwtls.mjs');
    expect(files).toContain('LICENSE');
    expect(files.filter((f) => !/^(dist\/|docs\/rules\/|LICENSE$|README\.md$|package\.json$)/.test(f))).toEqual([]);
    const manifestJson = JSON.parse(unpack(tgz).find((f) => f.name === 'package/package.json')!.data.toString('utf8')) as Record<string, unknown>;
    expect(manifestJson.dependencies).toBeUndefined();
    expect(manifestJson.bin).toEqual({ 'kubectl-gwtls': 'dist/kubectl-gwtls.mjs', 'kubectl_complete-gwtls': 'dist/kubectl_complete-gwtls.mjs' });
    expect(manifestJson.engines).toEqual({ node: '>=22' });
  });

  it('installs with npm i -g into a prefix and runs, with its completion helper', () => {
    const i = spawnSync('npm', ['install', '--global', '--offline', '--no-audit', '--no-fund', tgz], { env, encoding: 'utf8', timeout: 120_000 });
    expect(i.status, i.stderr).toBe(0);
    const v = spawnSync('kubectl-gwtls', ['version'], { env, encoding: 'utf8' });
    expect(v.stdout).toBe(`kubectl-gwtls ${pkg.version}\n`);
    const c = spawnSync('kubectl_complete-gwtls', ['inspect', '-f', FIXTURE, ''], { env, encoding: 'utf8' });
    expect(c.stdout).toMatch(/^tls-passthrough-gateway\t.*\n:4\n$/);
  });

  it('runs with npx from the package file', () => {
    const r = spawnSync('npx', ['--yes', '--package', tgz, '--', 'kubectl-gwtls', 'version'], { env, cwd: work, encoding: 'utf8', timeout: 120_000 });
    expect(r.stdout, r.stderr).toBe(`kubectl-gwtls ${pkg.version}\n`);
  });
});

describe('start-up: what each command loads', () => {
  let dist: string;
  let chunks: { ui: string[]; client: string[] };

  /** The dist files a command loads, from a module hook that logs every file URL. */
  function loaded(args: string[]): string[] {
    const log = join(work, `loaded-${Math.random().toString(36).slice(2)}.txt`);
    const hook = join(work, 'log-loads.mjs');
    writeFileSync(hook, `import { registerHooks } from 'node:module';\nimport { appendFileSync } from 'node:fs';\nregisterHooks({ load(url, context, next) { appendFileSync(${JSON.stringify(log)}, url + '\\n'); return next(url, context); } });\n`);
    const r = spawnSync(process.execPath, ['--import', pathToFileURL(hook).href, join(dist, 'kubectl-gwtls.mjs'), ...args], { encoding: 'utf8', env: { ...process.env, KUBECONFIG: join(work, 'no-kubeconfig') } });
    expect(r.status === 0 || r.status === 1, r.stderr).toBe(true);
    return readFileSync(log, 'utf8')
      .split('\n')
      .filter((u) => u.startsWith(pathToFileURL(dist).href))
      .map((u) => u.slice(pathToFileURL(dist).href.length + 1));
  }

  beforeAll(() => {
    const metaFile = join(work, 'meta.json');
    const b = spawnSync(process.execPath, [join(ROOT, 'scripts/build.mjs'), '--outdir', join(work, 'dist-meta'), '--metafile', metaFile], { encoding: 'utf8' });
    expect(b.status, b.stderr).toBe(0);
    dist = join(work, 'dist-meta');
    const meta = JSON.parse(readFileSync(metaFile, 'utf8')) as { outputs: Record<string, { inputs: Record<string, unknown> }> };
    const having = (re: RegExp) =>
      Object.entries(meta.outputs)
        .filter(([, o]) => Object.keys(o.inputs).some((i) => re.test(i)))
        .map(([file]) => file.replace(/^.*?dist-meta\//, ''));
    chunks = { ui: having(/node_modules\/(ink|react-reconciler|yoga-layout)\//), client: having(/node_modules\/@kubernetes\/client-node\//) };
  });

  it('the bundle stays small: no dependency pulled in whole', () => {
    const size = (p: string): number => (statSync(p).isDirectory() ? readdirSync(p).reduce((n, f) => n + size(join(p, f)), 0) : statSync(p).size);
    expect(size(dist)).toBeLessThan(12 * 1024 * 1024);
    expect(statSync(join(dist, 'kubectl-gwtls.mjs')).size).toBeLessThan(4096);
    expect(chunks.client.length).toBeGreaterThan(0);
  });

  it.each([[['version']], [['--help']], [['inspect', '-f', FIXTURE, '-o', 'json']], [['rules', '-o', 'json']]])('%j loads neither the interactive UI nor the Kubernetes client', (args) => {
    const files = loaded(args);
    expect(files).toContain('kubectl-gwtls.mjs');
    for (const f of [...chunks.ui, ...chunks.client]) expect(files).not.toContain(f);
  });

  it('probe loads no interactive UI', () => {
    const files = loaded(['probe', '127.0.0.1:1', '--timeout', '1s', '-o', 'json']);
    for (const f of chunks.ui) expect(files).not.toContain(f);
  });
});
