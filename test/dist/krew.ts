// krew's manifest rules, as kubernetes-sigs/krew enforces them (internal/index/validation/validate.go, and
// cmd/validate-krew-manifest, which krew-index runs on every pull request), and krew's install steps (unpack,
// move `files`, link `kubectl-<name>` to `bin`), so that tests can check a manifest and install from it here.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { basename, dirname, extname, join, posix } from 'node:path';
import * as yaml from 'js-yaml';
// @ts-expect-error the release scripts are plain ESM without declarations
import { readTarGz, readZip } from '../../scripts/release-archive.mjs';
import { selectorMatches as labelSelectorMatches } from '../../src/graph/selectors.ts';

export interface Selector {
  matchLabels?: Record<string, string> | null;
  matchExpressions?: Array<{ key: string; operator: string; values?: string[] }> | null;
}

export interface FileOperation {
  from: string;
  to: string;
}

export interface Platform {
  selector?: Selector | null;
  uri?: string;
  sha256?: string;
  bin?: string;
  files?: FileOperation[] | null;
}

export interface Plugin {
  apiVersion?: string;
  kind?: string;
  metadata?: { name?: string };
  spec?: { version?: string; homepage?: string; shortDescription?: string; description?: string; caveats?: string; platforms?: Platform[] };
}

/** The os/arch pairs krew supports (krew's validate-krew-manifest, with the arm64 additions). */
export const SUPPORTED: ReadonlyArray<readonly [string, string]> = [
  ['windows', '386'],
  ['windows', 'amd64'],
  ['windows', 'arm64'],
  ['linux', '386'],
  ['linux', 'amd64'],
  ['linux', 'arm'],
  ['linux', 'arm64'],
  ['linux', 'ppc64le'],
  ['darwin', '386'],
  ['darwin', 'amd64'],
  ['darwin', 'arm64'],
];

const WINDOWS_FORBIDDEN = ['CON', 'PRN', 'AUX', 'NUL', ...Array.from({ length: 9 }, (_, i) => `COM${i + 1}`), ...Array.from({ length: 9 }, (_, i) => `LPT${i + 1}`)];
// Semantic Versioning 2.0.0, with the leading "v" krew requires.
const SEMVER = /^v(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-((?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*)(?:\.(?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*))*))?(?:\+([0-9a-zA-Z-]+(?:\.[0-9a-zA-Z-]+)*))?$/;
const SHA256 = /^[a-f0-9]{64}$/;

export function readManifest(path: string): Plugin {
  return yaml.load(readFileSync(path, 'utf8')) as Plugin;
}

/** krew selectors are Kubernetes label selectors: the product's own matcher decides. */
export function selectorMatches(sel: Selector | null | undefined, labels: Record<string, string>): boolean {
  if (!sel) return false;
  return labelSelectorMatches(
    { matchLabels: sel.matchLabels ?? {}, matchExpressions: (sel.matchExpressions ?? []).map((e) => ({ key: e.key, operator: e.operator, values: e.values ?? [] })) },
    labels,
  );
}

function validateSelector(sel: Selector | null | undefined): string | undefined {
  if (!sel) return 'nil selector is not supported';
  if (!sel.matchLabels && !(sel.matchExpressions && sel.matchExpressions.length > 0)) return 'empty selector is not supported';
  const keys = [...Object.keys(sel.matchLabels ?? {}), ...(sel.matchExpressions ?? []).map((e) => e.key)];
  for (const k of keys) if (k !== 'os' && k !== 'arch') return `key "${k}" not supported`;
  if (sel.matchLabels && Object.keys(sel.matchLabels).length === 0) return '`matchLabels` specified but empty';
  if (sel.matchExpressions && sel.matchExpressions.length === 0) return '`matchExpressions` specified but empty';
  for (const e of sel.matchExpressions ?? []) if (!['In', 'NotIn', 'Exists', 'DoesNotExist'].includes(e.operator)) return `operator "${e.operator}" not supported`;
  return undefined;
}

function longLines(s: string | undefined, max: number): boolean {
  return (s ?? '').split('\n').some((l) => l.length > max && l.trim().includes(' '));
}

/**
 * Every violation of krew's rules in the manifest at `path` (whose file name gives the plugin name, as in
 * krew-index). With `archivesDir`, also: each uri's archive is there, its sha256 matches, and installing it puts
 * `bin` and a LICENSE file in place.
 */
export function validateManifest(path: string, opts: { archivesDir?: string } = {}): string[] {
  const errors: string[] = [];
  if (extname(path) !== '.yaml') errors.push(`expected manifest extension ".yaml" but found "${extname(path)}"`);
  const name = basename(path, extname(path));
  const p = readManifest(path);
  if (p.apiVersion !== 'krew.googlecontainertools.github.com/v1alpha2') errors.push(`apiVersion ${p.apiVersion} is not supported`);
  if (p.kind !== 'Plugin') errors.push(`kind ${p.kind} is not Plugin`);
  if (!/^[\w-]+$/.test(name) || WINDOWS_FORBIDDEN.some((f) => f.toLowerCase() === name.toLowerCase())) errors.push(`plugin name "${name}" is not allowed`);
  if (p.metadata?.name !== name) errors.push(`plugin should be named "${name}" (its file name), not "${p.metadata?.name}"`);
  const spec = p.spec ?? {};
  if (!spec.shortDescription) errors.push('should have a short description');
  else if (/[\r\n]/.test(spec.shortDescription)) errors.push('should not have line breaks in short description');
  if (!spec.description) errors.push('should have a description');
  if (!spec.version) errors.push('should have a version specified');
  else if (!SEMVER.test(spec.version)) errors.push(`version ${spec.version} is not semver with a leading "v"`);
  if (longLines(spec.description, 80)) errors.push('line length in `description` exceeds 80 characters');
  if (longLines(spec.shortDescription, 70)) errors.push('line length in `shortDescription` exceeds 70 characters');
  if (longLines(spec.caveats, 80)) errors.push('line length in `caveats` exceeds 80 characters');
  const platforms = spec.platforms ?? [];
  if (platforms.length === 0) errors.push('should have a platform specified');
  platforms.forEach((pl, i) => {
    const at = `spec.platforms[${i}]`;
    if (!pl.uri) errors.push(`${at}: \`uri\` has to be set`);
    else if (!/\.(tar\.gz|tgz|zip)$/.test(pl.uri)) errors.push(`${at}: uri ${pl.uri} is not a .tar.gz or .zip`);
    if (!pl.sha256) errors.push(`${at}: \`sha256\` sum has to be set`);
    else if (!SHA256.test(pl.sha256)) errors.push(`${at}: \`sha256\` value ${pl.sha256} is not valid`);
    if (!pl.bin) errors.push(`${at}: \`bin\` has to be set`);
    if (pl.files !== undefined && pl.files !== null) {
      if (pl.files.length === 0) errors.push(`${at}: \`files\` has to be unspecified or non-empty`);
      for (const f of pl.files) if (!f.from || !f.to) errors.push(`${at}: \`from\` and \`to\` have to be set`);
    }
    const bad = validateSelector(pl.selector);
    if (bad) errors.push(`${at}: invalid platform selector: ${bad}`);
    else if (!SUPPORTED.some(([os, arch]) => selectorMatches(pl.selector, { os, arch }))) errors.push(`${at}: selector matches no supported platform`);
  });
  for (const [os, arch] of SUPPORTED) {
    const matching = platforms.flatMap((pl, i) => (selectorMatches(pl.selector, { os, arch }) ? [i] : []));
    if (matching.length > 1) errors.push(`multiple spec.platforms (at indexes ${matching.join(', ')}) select os=${os}/arch=${arch}`);
  }
  if (opts.archivesDir && errors.length === 0) {
    platforms.forEach((pl, i) => {
      const file = join(opts.archivesDir!, basename(new URL(pl.uri!).pathname));
      if (!existsSync(file)) return errors.push(`spec.platforms[${i}]: archive ${basename(file)} is not in ${opts.archivesDir}`);
      const { sha256, names } = archiveInfo(file);
      if (sha256 !== pl.sha256) return errors.push(`spec.platforms[${i}]: sha256 of ${basename(file)} is ${sha256}, the manifest says ${pl.sha256}`);
      const installed = installedNames(names, pl.files ?? undefined);
      if (!installed.includes(pl.bin!)) errors.push(`spec.platforms[${i}]: bin ${pl.bin} is not among the installed files (${installed.join(', ')})`);
      if (!installed.some((f) => /^licen[cs]e(\.\w+)?$/i.test(basename(f)))) errors.push(`spec.platforms[${i}]: no LICENSE among the installed files (${installed.join(', ')})`);
    });
  }
  return errors;
}

const infoCache = new Map<string, { key: string; sha256: string; names: string[] }>();

/** An archive's sha256 and file names (remembered while the file is unchanged). */
function archiveInfo(file: string): { sha256: string; names: string[] } {
  const st = statSync(file);
  const key = `${st.size}:${st.mtimeMs}`;
  const hit = infoCache.get(file);
  if (hit?.key === key) return hit;
  const info = { key, sha256: createHash('sha256').update(readFileSync(file)).digest('hex'), names: unpack(file).map((e) => e.name) };
  infoCache.set(file, info);
  return info;
}

/** The files krew installs from an archive holding `names`, after the `files` operations (see installFiles). */
export function installedNames(names: string[], files: FileOperation[] = [{ from: '*', to: '.' }]): string[] {
  const paths = new Set<string>();
  for (const n of names) {
    const segs = n.split('/');
    for (let i = 1; i <= segs.length; i++) paths.add(segs.slice(0, i).join('/'));
  }
  const moved = new Set<string>();
  const out: string[] = [];
  for (const op of files) {
    const pattern = op.from.split('/').filter((x) => x !== '' && x !== '.').map(globToRegExp);
    for (const p of [...paths].sort()) {
      const segs = p.split('/');
      if (segs.length !== pattern.length || !segs.every((seg, i) => pattern[i]!.test(seg))) continue;
      for (const n of names) {
        if (moved.has(n) || (n !== p && !n.startsWith(`${p}/`))) continue;
        moved.add(n);
        out.push(posix.join(op.to, basename(p), n.slice(p.length)));
      }
    }
  }
  return out.sort();
}

/** The files of an archive, as krew unpacks it (tar.gz or zip). */
export function unpack(archive: string): Array<{ name: string; data: Buffer; mode: number }> {
  const buf = readFileSync(archive);
  return archive.endsWith('.zip') ? readZip(buf) : readTarGz(buf);
}

function globToRegExp(segment: string): RegExp {
  return new RegExp(`^${segment.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '[^/]*').replace(/\?/g, '[^/]')}$`);
}

function glob(dir: string, pattern: string): string[] {
  let matches = [''];
  for (const segment of pattern.split('/').filter((s) => s !== '' && s !== '.')) {
    const re = globToRegExp(segment);
    matches = matches.flatMap((m) => {
      const base = join(dir, m);
      if (!existsSync(base) || !statSync(base).isDirectory()) return [];
      return readdirSync(base)
        .filter((e) => re.test(e))
        .map((e) => (m ? `${m}/${e}` : e));
    });
  }
  return matches.filter((m) => m !== '');
}

let counter = 0;

/**
 * Unpacks `archive` and applies the platform's `files` operations as krew does (each `from` glob, relative to the
 * archive root, moved into `to`); returns the install directory. Without `files`, everything is installed.
 */
export function installFiles(archive: string, platform: Platform, installDir?: string): string {
  const work = join(dirname(archive), `.krew-unpack-${process.pid}-${counter++}`);
  for (const e of unpack(archive)) {
    const file = join(work, e.name);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, e.data, { mode: e.mode });
  }
  const dest = installDir ?? join(dirname(archive), `.krew-install-${process.pid}-${counter++}`);
  mkdirSync(dest, { recursive: true });
  for (const op of platform.files ?? [{ from: '*', to: '.' }]) {
    const to = join(dest, op.to);
    mkdirSync(to, { recursive: true });
    for (const m of glob(work, op.from)) renameSync(join(work, m), join(to, basename(m)));
  }
  return dest;
}

/**
 * `kubectl krew install --manifest=M --archive=A` for one platform, into `krewRoot`: the files under
 * store/<name>/<version>/, and bin/kubectl-<name> linked to `bin` (as krew does on Linux and macOS).
 */
export function krewInstall(manifest: Plugin, platform: Platform, archive: string, krewRoot: string): { binDir: string; installDir: string } {
  const name = manifest.metadata!.name!;
  const installDir = join(krewRoot, 'store', name, manifest.spec!.version!);
  installFiles(archive, platform, installDir);
  const binDir = join(krewRoot, 'bin');
  mkdirSync(binDir, { recursive: true });
  symlinkSync(join(installDir, platform.bin!), join(binDir, `kubectl-${name}`));
  return { binDir, installDir };
}

/** The platform entry that krew would pick for os/arch. */
export function platformFor(manifest: Plugin, os: string, arch: string): Platform | undefined {
  return (manifest.spec?.platforms ?? []).find((p) => selectorMatches(p.selector, { os, arch }));
}
