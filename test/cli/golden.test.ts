// Golden files: every output form of `inspect` on every seed, as a user sees it piped (80 columns, no colour), with
// the exit code: the tree (default text), the tree with -v, the -A table, -o wide, -o name, -o json, -o yaml.
// A change to any output shows up as a diff of test/cli/golden/. After an intended change, regenerate with
//   UPDATE_GOLDEN=1 npx vitest run --project unit test/cli/golden.test.ts
// and read the diff before committing it.
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, runCli } from '../helpers/cli.ts';

const NOW = { GWTLS_NOW: '2026-11-22T00:00:00Z' };
const GOLDEN = join(ROOT, 'test/cli/golden');
const update = process.env.UPDATE_GOLDEN === '1';

const seeds = readdirSync(join(ROOT, 'test/fixtures/seeds')).flatMap((d) => readdirSync(join(ROOT, 'test/fixtures/seeds', d)).map((f) => `test/fixtures/seeds/${d}/${f}`));

function gatewayNames(file: string): string[] {
  return [...readFileSync(join(ROOT, file), 'utf8').matchAll(/^kind: Gateway\nmetadata:\n(?: {2}.*\n)*? {2}name: (\S+)/gm)].map((m) => m[1]!);
}

const FORMS: Array<{ name: string; args: (file: string, gateway: string) => string[] }> = [
  { name: 'text', args: (f, g) => ['inspect', g, '-A', '-f', f, '-o', 'text'] },
  { name: 'text-details', args: (f, g) => ['inspect', g, '-A', '-f', f, '-o', 'text', '-v'] },
  { name: 'table', args: (f) => ['inspect', '-A', '-f', f] },
  { name: 'wide', args: (f) => ['inspect', '-A', '-f', f, '-o', 'wide'] },
  { name: 'name', args: (f) => ['inspect', '-A', '-f', f, '-o', 'name'] },
  { name: 'json', args: (f) => ['inspect', '-A', '-f', f, '-o', 'json'] },
  { name: 'yaml', args: (f) => ['inspect', '-A', '-f', f, '-o', 'yaml'] },
];

describe('golden output of every form on every seed', () => {
  it('covers every seed', () => {
    expect(seeds.length).toBeGreaterThanOrEqual(11);
    // One seed is a fragment (a TargetGroupConfiguration and its Service): it has the table forms only.
    expect(seeds.filter((s) => gatewayNames(s).length > 0).length).toBeGreaterThanOrEqual(10);
  });

  for (const seed of seeds) {
    const slug = seed.replace('test/fixtures/seeds/', '').replace(/\.yaml$/, '').replace('/', '--');
    describe(slug, () => {
      for (const form of FORMS) {
        if (form.name.startsWith('text') && gatewayNames(seed).length === 0) continue;
        it(form.name, async () => {
          const args = form.args(seed, gatewayNames(seed)[0]!);
          const r = await runCli(args, { env: NOW });
          expect(r.code === 0 || r.code === 1, r.stderr).toBe(true);
          const text = `$ kubectl gwtls ${args.join(' ')}\n# exit ${r.code}\n${r.stdout}`;
          const file = join(GOLDEN, slug, `${form.name}.txt`);
          if (update || !existsSync(file)) {
            mkdirSync(join(GOLDEN, slug), { recursive: true });
            writeFileSync(file, text);
            if (!update) throw new Error(`${file} did not exist: written; check it and commit it`);
          }
          expect(text).toBe(readFileSync(file, 'utf8'));
        });
      }
    });
  }
});
