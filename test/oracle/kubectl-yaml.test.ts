/**
 * The differential test of src/cluster/yaml-schema.ts: plain scalars read by the tool and by kubectl's own YAML
 * reader (sigs.k8s.io/yaml.YAMLToJSON, built here from the Go module proxy: test/oracle/kubectl-yaml) give the
 * same JSON. The scalars: every word go-yaml v2 resolves by name, and numbers built from signs, prefixes, digits,
 * underscores, dots and exponents, a few thousand in all. Skipped, with the reason printed, without Go.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { parseYamlDocument } from '../../src/cluster/parse-document.ts';
import { findGo } from '../e2e/harness/gobuild.ts';

const SOURCE = fileURLToPath(new URL('./kubectl-yaml/', import.meta.url));
const go = findGo();
if (!go) process.stdout.write('[gwtls-oracle] kubectl YAML: skipped: no Go toolchain to build sigs.k8s.io/yaml\n');
const dir = mkdtempSync(join(tmpdir(), 'gwtls-kubectl-yaml-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function scalars(): string[] {
  const words = ['y', 'Y', 'yes', 'Yes', 'YES', 'n', 'N', 'no', 'No', 'NO', 'on', 'On', 'ON', 'off', 'Off', 'OFF', 'true', 'True', 'TRUE', 'false', 'False', 'FALSE', 'tRue', 'oN', 'nO', '~', 'null', 'Null', 'NULL', 'nULL', 'yES'];
  const out = new Set(words);
  const signs = ['', '+', '-'];
  const heads = ['', '0', '0x', '0X', '0o', '0O', '0b', '0B', '00', '1', '9', '_'];
  const bodies = ['', '0', '7', '8', '17', '755', '09', '1_0', '1__0', '_1', 'F', 'ff', 'e3', 'E-2', '.', '.5', '1.5e3', '5.', '1_000', '101', '2', 'g'];
  for (const s of signs) for (const h of heads) for (const b of bodies) if (`${h}${b}` !== '') out.add(`${s}${h}${b}`);
  for (const b of bodies) if (b) out.add(`.${b}`);
  return [...out];
}

describe.skipIf(!go)('kubectl YAML scalars', () => {
  it('are read as sigs.k8s.io/yaml reads them', () => {
    const bin = join(dir, 'kubectl-yaml');
    const build = spawnSync(go!, ['build', '-o', bin, '.'], { cwd: SOURCE, encoding: 'utf8', env: { ...process.env, GOFLAGS: '-mod=mod', GOTOOLCHAIN: 'local' } });
    expect(build.status, build.stderr).toBe(0);
    const cases = scalars();
    const run = spawnSync(bin, { input: `${cases.join('\n')}\n`, encoding: 'utf8' });
    expect(run.status, run.stderr).toBe(0);
    const kubectl = run.stdout.split('\n');
    const differ: string[] = [];
    let compared = 0;
    cases.forEach((c, i) => {
      const theirs = kubectl[i]!;
      const doc = parseYamlDocument(`v: ${c}\n`, 1, 'scalar.yaml');
      // kubectl refuses .inf and .nan (JSON has no such numbers); so does the API server.
      if (theirs === 'ERR') return;
      compared++;
      const ours = 'value' in doc ? JSON.stringify(doc.value) : 'ERR';
      // Go writes a negative zero as -0, JavaScript as 0: the same number.
      if (ours !== JSON.stringify(JSON.parse(theirs))) differ.push(`v: ${c} -> kubectl ${theirs}, gwtls ${ours}`);
    });
    process.stdout.write(`[gwtls-oracle] kubectl YAML: ${compared} scalars compared with sigs.k8s.io/yaml, ${differ.length} differ\n`);
    expect(compared).toBeGreaterThan(500);
    expect(differ).toEqual([]);
  });
});
