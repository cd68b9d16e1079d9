// Bundles the CLI with esbuild into dist/ (no runtime node_modules):
//   dist/kubectl-gwtls.mjs           the entry (`#!/usr/bin/env node`): runtime check, then the commander program
//   dist/chunks/*.mjs                everything else, split so that each command loads only what it needs: the
//                                    Kubernetes client, the probe, the rules and the interactive UI (ink, react)
//                                    are read from disk and compiled only by the commands that use them
//   dist/kubectl_complete-gwtls.mjs  the kubectl plugin-completion helper (`kubectl_complete-gwtls ARGS...` runs
//                                    `kubectl-gwtls __complete ARGS...`), installed as a second npm `bin`
//
// Why chunks rather than one file: a single 4 MB ESM file is parsed and linked whole at start-up, which costs
// about 150 ms on every `version` or `--help` (measured; see docs/install.md). The npm package, the script archive
// for macOS and the single executables (which carry these same files as SEA assets) all ship this directory.
//
// The entry enables Node's on-disk compile cache (module.enableCompileCache, Node >= 22.1) before it loads the
// program, so the chunks a command needs are compiled once and then read from the cache
// ($XDG_CACHE_HOME/kubectl-gwtls/compile-cache, else ~/.cache/kubectl-gwtls/compile-cache).
//
// Usage: node scripts/build.mjs [--outdir DIR] [--metafile FILE] [--single-file] [--minify]
//   --single-file: one ESM file, no chunks (for the start-up benchmark's comparison only)
//   --minify: whitespace and identifiers too (names kept for stack traces and errors): the release builds its
//             archives, the npm package and the single executables from this (10 MB of JavaScript become 4 MB,
//             at no cost at start-up); dist/ in a checkout stays readable
import { build } from 'esbuild';
import { chmodSync, existsSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const root = fileURLToPath(new URL('..', import.meta.url));
const pkg = JSON.parse(readFileSync(`${root}/package.json`, 'utf8'));
const { values: args } = parseArgs({ options: { outdir: { type: 'string' }, metafile: { type: 'string' }, 'single-file': { type: 'boolean', default: false }, minify: { type: 'boolean', default: false } } });
const outdir = resolve(args.outdir ?? `${root}/dist`);

// Rule docs are embedded so that `kubectl gwtls explain` works from a single executable.
const embedRuleDocs = {
  name: 'embed-rule-docs',
  setup(b) {
    b.onLoad({ filter: /src[\\/]rules[\\/]docs-source\.ts$/ }, () => {
      const dir = `${root}/docs/rules`;
      const docs = Object.fromEntries(readdirSync(dir).filter((f) => f.endsWith('.md')).sort().map((f) => [f.slice(0, -3), readFileSync(`${dir}/${f}`, 'utf8')]));
      return { contents: `export function ruleDocs() { return ${JSON.stringify(docs)}; }`, loader: 'js' };
    });
  },
};

// Node's compile cache, in the user's cache directory (as XDG says: $XDG_CACHE_HOME, else ~/.cache; the platform's
// own on macOS and Windows), not a fixed folder of the shared temp directory. NODE_COMPILE_CACHE, when set, wins
// (Node reads it itself); NODE_DISABLE_COMPILE_CACHE turns it off. Failing only costs speed.
const COMPILE_CACHE = `import nodeModule from 'node:module';
import { homedir } from 'node:os';
import { join } from 'node:path';
try {
  const env = process.env;
  const base = env.XDG_CACHE_HOME || (process.platform === 'win32' ? env.LOCALAPPDATA || join(homedir(), 'AppData', 'Local') : process.platform === 'darwin' ? join(homedir(), 'Library', 'Caches') : join(homedir(), '.cache'));
  nodeModule.enableCompileCache?.(env.NODE_COMPILE_CACHE ? undefined : join(base, 'kubectl-gwtls', 'compile-cache'));
} catch { /* no home or a read-only one: no cache */ }
`;

// The entry: the compile cache first (a no-op where Node lacks it or NODE_DISABLE_COMPILE_CACHE is set), then
// src/bin.ts, whose runtime check runs before the program is loaded.
const entry = {
  name: 'gwtls-entry',
  setup(b) {
    b.onResolve({ filter: /^gwtls:entry$/ }, () => ({ path: 'entry', namespace: 'gwtls' }));
    b.onResolve({ filter: /^gwtls:compile-cache$/ }, () => ({ path: 'compile-cache', namespace: 'gwtls' }));
    b.onLoad({ filter: /^entry$/, namespace: 'gwtls' }, () => ({
      contents: "import 'gwtls:compile-cache';\nimport './src/bin.ts';\n",
      resolveDir: root,
      loader: 'js',
    }));
    b.onLoad({ filter: /^compile-cache$/, namespace: 'gwtls' }, () => ({
      contents: COMPILE_CACHE,
      resolveDir: root,
      loader: 'js',
    }));
  },
};

// One file hoists every static import to its top, ink's optional devtools one included: give it an empty module.
const noDevtools = {
  name: 'no-devtools',
  setup(b) {
    b.onResolve({ filter: /^react-devtools-core$/ }, () => ({ path: 'react-devtools-core', namespace: 'gwtls' }));
    b.onLoad({ filter: /^react-devtools-core$/, namespace: 'gwtls' }, () => ({ contents: 'export default {};', loader: 'js' }));
  },
};

// Start-up cost of commander's ESM imports of built-ins, paid by every command: the ESM facade of `node:process`
// reads every property of `process` when it is linked, which opens stdin (a tty or pipe handle) on every run; and
// `node:child_process` serves executable subcommands, which this program does not have. Both become cheap
// stand-ins: the global `process`, and child_process loaded on first use (through the banner's `require`).
const lazyBuiltins = {
  name: 'lazy-builtins',
  setup(b) {
    const fromCommander = (a) => /node_modules[\\/]commander[\\/]/.test(a.importer);
    b.onResolve({ filter: /^node:(process|child_process)$/ }, (a) => (fromCommander(a) ? { path: a.path.slice(5), namespace: 'gwtls-builtin' } : undefined));
    b.onLoad({ filter: /^process$/, namespace: 'gwtls-builtin' }, () => ({ contents: 'export default globalThis.process;', loader: 'js' }));
    b.onLoad({ filter: /^child_process$/, namespace: 'gwtls-builtin' }, () => ({
      contents: "export default new Proxy({}, { get: (_, name) => require('node:child_process')[name] });",
      loader: 'js',
    }));
  },
};

// Built beside the output directory, then moved into place: a build never leaves a half-written or missing dist/
// behind for a command (or a test) that runs meanwhile.
const staging = `${outdir}.building-${process.pid}`;
rmSync(staging, { recursive: true, force: true });
const result = await build({
  // The manifest parse worker is its own entry (worker_threads load a file), beside the chunks that load it.
  entryPoints: { 'kubectl-gwtls': 'gwtls:entry', ...(args['single-file'] ? {} : { 'chunks/parse-worker': 'src/cluster/parse-worker.ts' }) },
  outdir: staging,
  outExtension: { '.js': '.mjs' },
  bundle: true,
  splitting: !args['single-file'],
  format: 'esm',
  platform: 'node',
  target: 'node22',
  chunkNames: 'chunks/[name]-[hash]',
  define: { __GWTLS_VERSION__: JSON.stringify(pkg.version), ...(args['single-file'] ? {} : { __GWTLS_PARSE_WORKER__: JSON.stringify('./parse-worker.mjs') }) },
  // Some dependencies are CommonJS and call require() for Node built-ins; give every ESM file one. Inside a
  // single executable the files are loaded from `gwtls-sea:` URLs, which createRequire does not accept; there
  // the executable's own path serves (require() of a built-in does not depend on it).
  banner: {
    js: "import { createRequire as __gwtlsCreateRequire } from 'node:module'; const require = __gwtlsCreateRequire(import.meta.url.startsWith('file:') ? import.meta.url : process.execPath);",
  },
  jsx: 'automatic',
  legalComments: 'none',
  logLevel: 'warning',
  minifySyntax: true,
  ...(args.minify ? { minifyWhitespace: true, minifyIdentifiers: true, keepNames: true } : {}),
  metafile: Boolean(args.metafile),
  // react-devtools-core is an optional peer of ink, loaded only when DEV=true.
  external: ['react-devtools-core'],
  plugins: [entry, embedRuleDocs, lazyBuiltins, ...(args['single-file'] ? [noDevtools] : [])],
});
if (args.metafile) writeFileSync(args.metafile, JSON.stringify(result.metafile));

const main = `${staging}/kubectl-gwtls.mjs`;
const code = readFileSync(main, 'utf8');
if (!code.startsWith('#!')) writeFileSync(main, `#!/usr/bin/env node\n${code}`);
chmodSync(main, 0o755);

// kubectl 1.26+ completes `kubectl gwtls <TAB>` by running `kubectl_complete-gwtls ARGS... PARTIAL`.
const complete = `${staging}/kubectl_complete-gwtls.mjs`;
writeFileSync(
  complete,
  `#!/usr/bin/env node
// kubectl plugin completion (kubectl >= 1.26): kubectl runs \`kubectl_complete-gwtls ARGS... PARTIAL\` and reads
// the candidates, one a line, then \`:<directive>\`. This is \`kubectl-gwtls __complete ARGS... PARTIAL\`.
process.argv.splice(2, 0, '__complete');
await import('./kubectl-gwtls.mjs');
`,
);
chmodSync(complete, 0o755);

const previous = `${outdir}.previous-${process.pid}`;
if (existsSync(outdir)) renameSync(outdir, previous);
renameSync(staging, outdir);
rmSync(previous, { recursive: true, force: true });
