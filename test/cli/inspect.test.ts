// The built CLI, run as a user runs it: output, JSON contract, exit codes, and bad input.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import * as yaml from 'js-yaml';
import { afterAll, describe, expect, it } from 'vitest';
import { ROOT, runCli } from '../helpers/cli.ts';

const NOW = { GWTLS_NOW: '2026-11-22T00:00:00Z' };
const seed = (p: string) => `test/fixtures/seeds/${p}`;
const schema = JSON.parse(readFileSync(join(ROOT, 'docs/report.schema.json'), 'utf8')) as object;
const validate = new Ajv({ allErrors: true, strict: false }).compile(schema);

function noStackTrace(stderr: string): void {
  expect(stderr).not.toMatch(/^\s+at /m);
}

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

function tmp(name: string, text: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'gwtls-cli-'));
  dirs.push(dir);
  writeFileSync(join(dir, name), text);
  return join(dir, name);
}

describe('inspect -f (files)', () => {
  it('prints the path of a Gateway as a tree readable at 80 columns, without colour when piped', async () => {
    const r = await runCli(['inspect', 'ssl-offload-gateway', '-f', seed('c-calico-tls-termination/as-written.yaml')], { env: NOW });
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('Gateway default/ssl-offload-gateway  BROKEN');
    expect(r.stdout).toContain('listener https  HTTPS :443');
    expect(r.stdout).toMatch(/TCPRoute default\/backend-ssl-offload {2}NOT ATTACHED/);
    expect(r.stdout).toContain('GWTLS-RT-003');
    expect(r.stdout).not.toMatch(/\x1b\[/);
    for (const line of r.stdout.split('\n')) expect(line.length, line).toBeLessThanOrEqual(80);
    noStackTrace(r.stderr);
  });

  it('lists every Gateway with a one-line verdict when no name is given', async () => {
    const r = await runCli(['inspect', '-f', seed('c-calico-tls-termination'), '-f', seed('c-calico-passthrough/as-written.yaml')], { env: NOW });
    const rows = r.stdout.split('\n').filter((l) => l.startsWith('default '));
    expect(rows.map((l) => l.split(/\s+/)[1])).toEqual(expect.arrayContaining(['ssl-offload-gateway', 'tls-passthrough-gateway']));
  });

  it('emits JSON that validates against the report contract', async () => {
    for (const file of ['a-nlb-acm/as-written.yaml', 'a-nlb-acm/corrected.yaml', 'b-backend-tls/policy-v1.yaml', 'c-calico-tls-termination/as-written.yaml', 'c-calico-passthrough/as-written.yaml']) {
      const r = await runCli(['inspect', '-A', '-f', seed(file), '-o', 'json'], { env: NOW });
      const report = JSON.parse(r.stdout) as Record<string, unknown>;
      expect(validate(report), `${file}: ${JSON.stringify(validate.errors)}`).toBe(true);
      expect(report).toMatchObject({ apiVersion: 'gwtls.dev/v1alpha1', kind: 'InspectReport', source: { type: 'files' } });
    }
  });

  it('emits the same report as YAML', async () => {
    const j = await runCli(['inspect', '-f', seed('c-calico-passthrough/as-written.yaml'), '-o', 'json'], { env: NOW });
    const y = await runCli(['inspect', '-f', seed('c-calico-passthrough/as-written.yaml'), '-o', 'yaml'], { env: NOW });
    expect(yaml.load(y.stdout)).toEqual(JSON.parse(j.stdout));
  });

  it('never prints private key material', async () => {
    const key = readFileSync(join(ROOT, seed('c-calico-passthrough/as-written.yaml')), 'utf8').match(/tls\.key: (\S+)/)![1]!;
    const pem = Buffer.from(key, 'base64').toString('utf8');
    for (const output of ['json', 'yaml', 'text']) {
      const r = await runCli(['inspect', 'tls-passthrough-gateway', '-f', seed('c-calico-passthrough/as-written.yaml'), '-o', output], { env: NOW });
      expect(r.stdout).not.toContain(key.slice(0, 40));
      expect(r.stdout).not.toContain(pem.split('\n')[1]!);
      expect(r.stdout).not.toMatch(/PRIVATE KEY/);
    }
  });

  it('reads manifests from stdin with -f -', async () => {
    const r = await runCli(['inspect', '-f', '-', '-o', 'json'], { stdin: readFileSync(join(ROOT, seed('c-calico-passthrough/as-written.yaml')), 'utf8'), env: NOW });
    expect(JSON.parse(r.stdout).source.files).toEqual(['<stdin>']);
  });

  it('prints fixes as a YAML stream that kubectl can read, suggestions commented out', async () => {
    const r = await runCli(['inspect', 'ssl-offload-gateway', '-f', seed('c-calico-tls-termination/as-written.yaml'), '--fix'], { env: NOW });
    const docs = yaml.loadAll(r.stdout).filter(Boolean) as Array<Record<string, unknown>>;
    expect(docs.some((d) => d.kind === 'Gateway')).toBe(true);
    const gw = docs.find((d) => d.kind === 'Gateway') as { spec: { listeners: Array<{ name: string; protocol: string }> } };
    expect(gw.spec.listeners).toContainEqual(expect.objectContaining({ name: 'https', protocol: 'TLS' }));
  });

  it('honours --fail-on and --ignore in the exit code', async () => {
    const file = seed('c-calico-tls-termination/as-written.yaml');
    expect((await runCli(['inspect', '-f', file, '--fail-on', 'none'], { env: NOW })).code).toBe(0);
    const ignored = await runCli(['inspect', '-f', file, '-o', 'json', '--ignore', 'GWTLS-RT-003,GWTLS-CERT-001,GWTLS-CERT-006'], { env: NOW });
    expect(JSON.parse(ignored.stdout).findings.map((f: { code: string }) => f.code)).not.toContain('GWTLS-RT-003');
  });

  it('honours the gwtls.dev/ignore annotation', async () => {
    const text = readFileSync(join(ROOT, seed('c-calico-tls-termination/as-written.yaml')), 'utf8').replace('kind: TCPRoute\nmetadata:\n  name: backend-ssl-offload', 'kind: TCPRoute\nmetadata:\n  name: backend-ssl-offload\n  annotations:\n    gwtls.dev/ignore: GWTLS-RT-003');
    const r = await runCli(['inspect', '-f', '-', '-o', 'json'], { stdin: text, env: NOW });
    expect(JSON.parse(r.stdout).findings.map((f: { code: string }) => f.code)).not.toContain('GWTLS-RT-003');
  });

  it('colours only on request, and always with words', async () => {
    const r = await runCli(['inspect', 'ssl-offload-gateway', '-f', seed('c-calico-tls-termination/as-written.yaml')], { env: { ...NOW, NO_COLOR: undefined, FORCE_COLOR: '1' } });
    expect(r.stdout).toMatch(/\x1b\[/);
    expect(r.stdout.replace(/\x1b\[[0-9;]*m/g, '')).toContain('BROKEN');
  });
});

describe('inspect: bad input gets one line and a documented exit code', () => {
  it('names the file and line of YAML that does not parse, and still reads the rest', async () => {
    const good = readFileSync(join(ROOT, seed('c-calico-passthrough/as-written.yaml')), 'utf8');
    const broken = tmp('broken.yaml', 'apiVersion: v1\nkind: Service\nmetadata:\n  name: x\n   namespace: y\n');
    const goodFile = tmp('good.yaml', good);
    const r = await runCli(['inspect', '-f', broken, '-f', goodFile], { env: NOW });
    expect(r.stderr).toContain(`error: ${broken}:5: invalid YAML: bad indentation of a mapping entry`);
    expect(r.stdout).toContain('tls-passthrough-gateway');
    // Unreadable input is a failure, whatever was found in the rest (DESIGN.md §3): the report still comes.
    expect(r.code).toBe(2);
    noStackTrace(r.stderr);
  });

  it('exits 2 with the report and inputErrors filled when nothing could be parsed, whatever --fail-on says', async () => {
    const broken = tmp('broken.yaml', 'apiVersion: v1\nkind: [Service\n');
    for (const failOn of ['error', 'none']) {
      const r = await runCli(['inspect', '-f', broken, '-o', 'json', '--fail-on', failOn], { env: NOW });
      expect(r.code).toBe(2);
      const report = JSON.parse(r.stdout) as { inputErrors: Array<{ file: string; line: number; message: string }> };
      expect(validate(report), JSON.stringify(validate.errors)).toBe(true);
      expect(report.inputErrors).toEqual([expect.objectContaining({ file: broken, line: 3 })]);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr).toMatch(/^error: .*broken\.yaml:3: invalid YAML/);
    }
  });

  it('shows hostile file names with their control characters visible, on one line', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gwtls-cli-'));
    dirs.push(dir);
    const name = join(dir, 'evil\x1b]52;c;cm0gLXJmIH4=\x07\nname.yaml');
    writeFileSync(name, 'kind: [broken\n');
    const r = await runCli(['inspect', '-f', dir, '-o', 'json'], { env: NOW });
    expect(r.code).toBe(2);
    expect(r.stderr).not.toMatch(/[\x00-\x08\x0b-\x1f\x7f]/);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain('evil\\x1b]52;c;cm0gLXJmIH4=\\x07\\nname.yaml');
    noStackTrace(r.stderr);
  });

  it('reads each input within --max-input-bytes, stdin included, and says which limit and flag stopped it', async () => {
    const file = seed('c-calico-passthrough/as-written.yaml');
    const small = await runCli(['inspect', '-f', file, '-o', 'json', '--max-input-bytes', '1Ki'], { env: NOW });
    expect(small.code).toBe(2);
    expect(small.stderr.trim()).toMatch(/^error: test\/fixtures\/seeds\/c-calico-passthrough\/as-written\.yaml: \d+ bytes, larger than 1Ki, the limit for one input \(raise it with --max-input-bytes\)$/);
    expect(JSON.parse(small.stdout).inputErrors).toHaveLength(1);
    const stdin = await runCli(['inspect', '-f', '-', '-o', 'json', '--max-input-bytes', '2Ki'], { env: NOW, stdin: 'x'.repeat(5000) });
    expect(stdin.code).toBe(2);
    expect(stdin.stderr.trim()).toBe('error: <stdin>: larger than 2Ki, the limit for one input (raise it with --max-input-bytes)');
    const raised = await runCli(['inspect', '-f', file, '-o', 'json', '--max-input-bytes', '1Mi'], { env: NOW });
    expect(JSON.parse(raised.stdout).inputErrors).toBeUndefined();
    const bad = await runCli(['inspect', '-f', file, '--max-input-bytes', 'lots']);
    expect([bad.code, bad.stderr.trim()]).toEqual([2, 'error: invalid --max-input-bytes "lots": use a number of bytes or a quantity such as 512Mi or 1Gi']);
  });

  it('lists the first 100 input errors of a file and counts the rest', async () => {
    const r = await runCli(['inspect', '-f', '-', '-o', 'json'], { env: NOW, stdin: '---\n{}\n'.repeat(250) });
    expect(r.code).toBe(2);
    const lines = r.stderr.trim().split('\n');
    expect(lines).toHaveLength(101);
    expect(lines.at(-1)).toBe('error: <stdin>: 150 more errors in this file (only the first 100 are listed)');
    expect(JSON.parse(r.stdout).inputErrors).toHaveLength(101);
  });

  it('warns about a directory with nothing to read', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gwtls-empty-'));
    dirs.push(dir);
    const r = await runCli(['inspect', '-f', dir], { env: NOW });
    expect(r.code).toBe(0);
    expect(r.stderr.trim()).toBe(`warning: ${dir}: no .yaml, .yml or .json files in this directory`);
  });

  it('gives one line for a 5,000-deep nested List and for a YAML alias bomb', async () => {
    let list = '{"apiVersion":"v1","kind":"Namespace","metadata":{"name":"x"}}';
    for (let i = 0; i < 5000; i++) list = `{"apiVersion":"v1","kind":"List","items":[${list}]}`;
    const deep = await runCli(['inspect', '-f', '-', '-o', 'json'], { env: NOW, stdin: list });
    expect(deep.code).toBe(2);
    expect(deep.stderr.trim()).toBe('error: <stdin>:1: document nested more than 1000 levels deep; skipped');
    const message = 'x'.repeat(200_000);
    const bomb = `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: bomb\n  annotations:\n    a: &m "${message}"\ndata:\n${Array.from({ length: 1000 }, (_, i) => `  k${i}: *m`).join('\n')}\n`;
    const b = await runCli(['inspect', '-f', '-', '-o', 'json'], { env: NOW, stdin: bomb });
    expect(b.code).toBe(2);
    expect(b.stderr.trim()).toMatch(/^error: <stdin>:1: YAML aliases expand this document beyond \d+(Mi| bytes) \(10 times its size\); skipped$/);
    expect(b.stdout.length).toBeLessThan(100_000);
  });

  it('counts a parentRef that matches no listener against the Gateway it names, not another one the route attaches to', async () => {
    const gw = (name: string, listener: string, port: number) => `apiVersion: gateway.networking.k8s.io/v1\nkind: Gateway\nmetadata: {name: ${name}, namespace: default}\nspec:\n  gatewayClassName: eg\n  listeners: [{name: ${listener}, port: ${port}, protocol: HTTP}]\n`;
    const route = 'apiVersion: gateway.networking.k8s.io/v1\nkind: HTTPRoute\nmetadata: {name: r, namespace: default}\nspec:\n  parentRefs: [{name: gw, sectionName: htp}, {name: gw2, sectionName: web}]\n';
    const r = await runCli(['inspect', '-A', '-f', '-', '-o', 'json'], { env: NOW, stdin: [gw('gw', 'http', 80), gw('gw2', 'web', 8080), route].join('---\n') });
    const report = JSON.parse(r.stdout) as { gateways: Array<{ name: string; summary: { errors: number } }>; findings: Array<{ code: string; gateway?: string }> };
    expect(report.findings.filter((f) => f.code === 'GWTLS-RT-002').map((f) => f.gateway)).toEqual(['default/gw']);
    expect(Object.fromEntries(report.gateways.map((g) => [g.name, g.summary.errors]))).toEqual({ gw: 1, gw2: 0 });
  });

  it('--fix leaves out a fix the rest of the plan makes unneeded when keeping it would add a finding', async () => {
    const file = 'test/fixtures/scenarios/aws-lbc/gwtls-lbc-005/invalid-tlsroute-on-a-passthrough-listener-infers-a-tls-target-group-new.yaml';
    const r = await runCli(['inspect', '-A', '-f', file, '--fix'], { env: NOW });
    const docs = yaml.loadAll(r.stdout).filter((d): d is { kind: string } => d !== null && typeof d === 'object');
    // One TargetGroupConfiguration for the Service: it fixes GWTLS-LBC-005 and GWTLS-BE-008 both; two would add GWTLS-LBC-007.
    expect(docs.map((d) => d.kind)).toEqual(['TargetGroupConfiguration']);
    expect(r.stdout).toMatch(/^# kubectl-gwtls fix plan: changes 0 objects, creates 1; fixes 2 findings \(1 error, 1 warning\), adds none\./);
    expect(r.stdout).toContain('not needed: the rest of the plan fixes GWTLS-BE-008 on Service apps/api too, and without this fix it does not add GWTLS-LBC-007');
  });

  it('merges the same object given twice as server-side apply would, and warns naming both files', async () => {
    const asWritten = seed('c-calico-tls-termination/as-written.yaml');
    const gatewayFix = tmp('fix.yaml', 'apiVersion: gateway.networking.k8s.io/v1\nkind: Gateway\nmetadata:\n  name: ssl-offload-gateway\nspec:\n  listeners:\n  - name: https\n    protocol: TLS\n    tls:\n      mode: Terminate\n');
    const r = await runCli(['inspect', 'ssl-offload-gateway', '-f', asWritten, '-f', gatewayFix, '-o', 'json'], { env: NOW });
    expect(r.stderr).toContain(`warning: ${gatewayFix}:1: Gateway default/ssl-offload-gateway is also defined at ${asWritten}:`);
    expect(r.stderr).toContain('merged as server-side apply would merge this one into it (fields set here win)');
    expect(r.code).toBe(1);
    const report = JSON.parse(r.stdout) as { gateways: Array<{ listeners: Array<{ name: string; protocol: string; port: number }> }> };
    // The listener list is a map keyed by name: https changes protocol and keeps its port; http stays.
    expect(report.gateways[0]!.listeners.map((l) => [l.name, l.protocol, l.port])).toEqual([
      ['http', 'HTTP', 80],
      ['https', 'TLS', 443],
    ]);
  });

  it('fails with exit 2 on a path that does not exist', async () => {
    const r = await runCli(['inspect', '-f', '/nonexistent/dir']);
    expect(r.code).toBe(2);
    expect(r.stderr.trim()).toBe('error: /nonexistent/dir: no such file or directory');
  });

  it('says which Gateways exist when the name is wrong', async () => {
    const r = await runCli(['inspect', 'nope', '-f', seed('c-calico-passthrough/as-written.yaml')]);
    expect(r.code).toBe(2);
    expect(r.stderr.trim()).toBe('error: Gateway nope not found in the input: Gateways there: default/tls-passthrough-gateway');
  });

  it('reports a garbage certificate instead of crashing', async () => {
    const text = readFileSync(join(ROOT, seed('c-calico-passthrough/with-certificate-refs.yaml')), 'utf8').replace(/tls\.crt: \S+/, `tls.crt: ${Buffer.from('garbage').toString('base64')}`);
    const r = await runCli(['inspect', 'tls-passthrough-gateway', '-f', '-', '-o', 'json'], { stdin: text, env: NOW });
    expect([0, 1]).toContain(r.code);
    noStackTrace(r.stderr);
    expect(JSON.parse(r.stdout).kind).toBe('InspectReport');
  });

  it('rejects unknown flags and values with exit 2', async () => {
    expect((await runCli(['inspect', '--nope'])).code).toBe(2);
    const bad = await runCli(['inspect', '-o', 'xml', '-f', seed('c-calico-passthrough')]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/argument 'xml' is invalid/);
  });

  it('fails with exit 2 and one line when the kubeconfig is missing, unparseable, or names no such context', async () => {
    const missing = await runCli(['inspect', '--kubeconfig', '/nonexistent/config']);
    expect([missing.code, missing.stderr.trim()]).toEqual([2, 'error: kubeconfig /nonexistent/config does not exist']);
    const garbage = await runCli(['inspect', '--kubeconfig', tmp('config', 'clusters: [ nope')]);
    expect(garbage.code).toBe(2);
    expect(garbage.stderr).toMatch(/^error: cannot read kubeconfig/);
    const cfg = tmp('config', yaml.dump({ apiVersion: 'v1', kind: 'Config', clusters: [{ name: 'c', cluster: { server: 'https://127.0.0.1:1' } }], users: [{ name: 'u', user: { token: 't' } }], contexts: [{ name: 'ctx', context: { cluster: 'c', user: 'u' } }], 'current-context': 'ctx' }));
    const ctx = await runCli(['inspect', '--kubeconfig', cfg, '--context', 'other']);
    expect([ctx.code, ctx.stderr.trim()]).toEqual([2, 'error: context "other" not found in kubeconfig (contexts: ctx)']);
    const down = await runCli(['inspect', '--kubeconfig', cfg, '--request-timeout', '2s']);
    expect(down.code).toBe(2);
    expect(down.stderr.trim()).toBe('error: cannot reach the API server https://127.0.0.1:1 (context ctx): connection refused (is the API server running and the address right?)');
    for (const r of [missing, garbage, ctx, down]) noStackTrace(r.stderr);
  });

  it('rejects a malformed --request-timeout', async () => {
    const r = await runCli(['inspect', '--request-timeout', 'soon']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/invalid --request-timeout "soon"/);
  });
});

describe('kubectl plugin discovery', () => {
  const kubectl = (() => {
    try {
      return execFileSync('sh', ['-c', 'command -v kubectl'], { encoding: 'utf8' }).trim();
    } catch {
      return '';
    }
  })();
  if (!kubectl) console.warn('skipping kubectl plugin discovery tests: kubectl is not on PATH');

  it.skipIf(!kubectl)('finds bin/kubectl-gwtls as `kubectl gwtls` and runs it', () => {
    const env = { ...process.env, PATH: `${ROOT}bin:${process.env.PATH}`, GWTLS_NOW: NOW.GWTLS_NOW };
    const list = execFileSync(kubectl, ['plugin', 'list'], { env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
    expect(list).toContain(`${ROOT}bin/kubectl-gwtls`);
    expect(execFileSync(kubectl, ['gwtls', 'version'], { env, encoding: 'utf8' })).toMatch(/^kubectl-gwtls \d+\.\d+\.\d+/);
    const out = execFileSync(kubectl, ['gwtls', 'inspect', '-f', join(ROOT, seed('c-calico-passthrough/as-written.yaml')), '-o', 'json', '--fail-on', 'none'], { env, encoding: 'utf8' });
    expect(JSON.parse(out).gateways[0].name).toBe('tls-passthrough-gateway');
  });
});
