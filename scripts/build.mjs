// Bundles the CLI with esbuild into dist/: one entry file plus lazily loaded chunks (the interactive UI and
// the Kubernetes client are only loaded by the commands that need them).
import { build } from 'esbuild';
import { readFileSync, readdirSync, rmSync, chmodSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const pkg = JSON.parse(readFileSync(`${root}/package.json`, 'utf8'));

// Rule docs are embedded so that `kubectl gwtls explain` works from a single file or executable.
const embedRuleDocs = {
  name: 'embed-rule-docs',
  setup(b) {
    b.onLoad({ filter: /src[\\/]rules[\\/]docs-source\.ts$/ }, () => {
      const dir = `${root}/docs/rules`;
      const docs = Object.fromEntries(readdirSync(dir).filter((f) => f.endsWith('.md')).map((f) => [f.slice(0, -3), readFileSync(`${dir}/${f}`, 'utf8')]));
      return { contents: `export function ruleDocs() { return ${JSON.stringify(docs)}; }`, loader: 'js' };
    });
  },
};

rmSync(`${root}/dist`, { recursive: true, force: true });
await build({
  entryPoints: { 'kubectl-gwtls': `${root}/src/bin.ts` },
  outdir: `${root}/dist`,
  outExtension: { '.js': '.mjs' },
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node22',
  chunkNames: 'chunks/[name]-[hash]',
  define: { __GWTLS_VERSION__: JSON.stringify(pkg.version) },
  // Some dependencies are CommonJS and call require(); give the ESM bundle one.
  banner: { js: "import { createRequire as __gwtlsCreateRequire } from 'node:module'; const require = __gwtlsCreateRequire(import.meta.url);" },
  jsx: 'automatic',
  legalComments: 'none',
  logLevel: 'warning',
  minifySyntax: true,
  // react-devtools-core is an optional peer of ink, loaded only when DEV=true.
  external: ['react-devtools-core'],
  plugins: [embedRuleDocs],
});
chmodSync(`${root}/dist/kubectl-gwtls.mjs`, 0o755);
