import { mkdtempSync, mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import * as yaml from 'js-yaml';
import { InputPathError, InputTooLargeForMemory, loadManifests } from '../../src/cluster/manifests.ts';
import { DocumentSplitter } from '../../src/cluster/read-input.ts';

const gateway = (name: string, ns?: string) => `apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata:
  name: ${name}${ns ? `\n  namespace: ${ns}` : ''}
spec:
  gatewayClassName: eg
  listeners: [{name: http, protocol: HTTP, port: 80}]
`;

const roots: string[] = [];
afterAll(() => {
  for (const r of roots) rmSync(r, { recursive: true, force: true });
});

function dir(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'gwtls-manifests-'));
  roots.push(root);
  for (const [rel, text] of Object.entries(files)) {
    mkdirSync(join(root, rel, '..'), { recursive: true });
    writeFileSync(join(root, rel), text);
  }
  return root;
}

describe('manifest loading', () => {
  it('reads multi-document YAML and gives objects without a namespace the default one', async () => {
    const root = dir({ 'a.yaml': `${gateway('one')}---\n${gateway('two', 'infra')}` });
    const { snapshot, errors } = await loadManifests([join(root, 'a.yaml')], 'apps');
    expect(errors).toEqual([]);
    expect(snapshot.list('Gateway').map((g) => `${g.meta.namespace}/${g.meta.name}`).sort()).toEqual(['apps/one', 'infra/two']);
  });

  it('walks directories recursively, reading .yaml, .yml and .json only', async () => {
    const root = dir({ 'a.yaml': gateway('a'), 'sub/deeper/b.yml': gateway('b'), 'c.json': JSON.stringify({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'x' } }), 'notes.txt': 'not yaml: [' });
    const { snapshot, errors } = await loadManifests([root], 'default');
    expect(errors).toEqual([]);
    expect(snapshot.list('Gateway').map((g) => g.meta.name).sort()).toEqual(['a', 'b']);
    expect(snapshot.count('Namespace')).toBe(1);
  });

  it('expands List kinds (kubectl get -o json|yaml output)', async () => {
    const list = { apiVersion: 'v1', kind: 'List', items: [{ apiVersion: 'v1', kind: 'Service', metadata: { name: 's', namespace: 'n' }, spec: { ports: [{ port: 80 }] } }] };
    const { snapshot } = await loadManifests(['-'], 'default', async () => JSON.stringify(list));
    expect(snapshot.get('Service', 'n', 's')?.ports[0]?.port).toBe(80);
  });

  it('names file and line of a broken document and still reads the others', async () => {
    const text = `${gateway('ok')}---\napiVersion: v1\nkind: Service\nmetadata:\n  name: broken\n   namespace: x\n---\n${gateway('also-ok')}`;
    const root = dir({ 'mixed.yaml': text });
    const { snapshot, errors } = await loadManifests([join(root, 'mixed.yaml')], 'default');
    expect(snapshot.list('Gateway').map((g) => g.meta.name).sort()).toEqual(['also-ok', 'ok']);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ file: join(root, 'mixed.yaml'), line: 13 });
    expect(errors[0]!.message).toMatch(/^invalid YAML: bad indentation/);
  });

  it('skips documents without apiVersion or kind with a message, and counts kinds it does not read', async () => {
    const text = `metadata: {name: x}\n---\napiVersion: apps/v1\nkind: Deployment\nmetadata: {name: d}\n---\napiVersion: apps/v1\nkind: Deployment\nmetadata: {name: e}\n---\n- a list\n`;
    const { errors, ignored } = await loadManifests(['-'], 'default', async () => text);
    expect(errors.map((e) => [e.line, e.message])).toEqual([
      [1, 'document has no apiVersion and kind; skipped'],
      [11, 'document is not a Kubernetes object (expected a mapping with apiVersion and kind)'],
    ]);
    expect(ignored).toEqual({ 'Deployment (apps/v1)': 2 });
  });

  it('reports invalid JSON with its line', async () => {
    const { errors } = await loadManifests(['-'], 'default', async () => '{\n  "apiVersion": "v1",\n  "kind": "Service"\n');
    expect(errors[0]).toMatchObject({ file: '<stdin>', line: 4 });
    expect(errors[0]!.message).toMatch(/^invalid JSON/);
  });

  it('fails cleanly on a path that does not exist', async () => {
    await expect(loadManifests(['/nonexistent/x.yaml'], 'default')).rejects.toBeInstanceOf(InputPathError);
  });

  it('marks kinds absent from the input, so references to them are unknown rather than missing', async () => {
    const { snapshot } = await loadManifests(['-'], 'default', async () => gateway('g'));
    expect(snapshot.state('Secret').state).toBe('absent');
    expect(snapshot.lookup('Secret', 'default', 'tls')).toMatchObject({ found: false, known: false });
    expect(snapshot.lookup('Gateway', 'default', 'nope')).toMatchObject({ found: false, known: true });
  });

  it('keeps only the certificate data of Secrets, and flags base64 that is not', async () => {
    const secret = `apiVersion: v1\nkind: Secret\nmetadata: {name: s}\ntype: kubernetes.io/tls\ndata:\n  tls.crt: "%%%not base64"\n  tls.key: ${Buffer.from('k').toString('base64')}\n  other: ${Buffer.from('secret stuff').toString('base64')}\n`;
    const { snapshot } = await loadManifests(['-'], 'default', async () => secret);
    const s = snapshot.get('Secret', 'default', 's')!;
    expect(s.dataKeys).toEqual(['other', 'tls.crt', 'tls.key']);
    expect(s.decodeErrors).toEqual(['data.tls.crt is not valid base64']);
    expect(JSON.stringify(s.raw)).not.toContain(Buffer.from('secret stuff').toString('base64'));
  });

  it('normalizes BackendTLSPolicy v1alpha2 (targetRef, spec.tls) to the v1 shape', async () => {
    const policy = `apiVersion: gateway.networking.k8s.io/v1alpha2\nkind: BackendTLSPolicy\nmetadata: {name: p, namespace: apps}\nspec:\n  targetRef: {group: "", kind: Service, name: app, sectionName: https}\n  tls: {hostname: app.n.svc, caCertRefs: [{group: "", kind: ConfigMap, name: ca}]}\n`;
    const { snapshot } = await loadManifests(['-'], 'default', async () => policy);
    expect(snapshot.get('BackendTLSPolicy', 'apps', 'p')).toMatchObject({ targetRefs: [{ name: 'app', sectionName: 'https' }], hostname: 'app.n.svc', caCertificateRefs: [{ kind: 'ConfigMap', name: 'ca' }] });
  });

  it('honours YAML merge keys (<<: *base), as kubectl does', async () => {
    const text = `apiVersion: v1\nkind: Service\nmetadata:\n  name: b\n  labels: &labels {team: web, tier: front}\nspec:\n  selector:\n    <<: *labels\n    tier: back\n  ports: [{port: 81}]\n`;
    const { snapshot, errors } = await loadManifests(['-'], 'default', async () => text);
    expect(errors).toEqual([]);
    expect(snapshot.get('Service', 'default', 'b')?.selector).toEqual({ team: 'web', tier: 'back' });
  });

  it('skips comment-only and empty documents without a word', async () => {
    const text = `# generated by a tool\n---\n# nothing here\n---\n${gateway('g')}---\n---\n...\n# trailing comment\n`;
    const { snapshot, errors } = await loadManifests(['-'], 'default', async () => text);
    expect(errors).toEqual([]);
    expect(snapshot.count('Gateway')).toBe(1);
  });

  it('follows symbolic links inside a directory, reads a file reached twice once, and stops at loops', async () => {
    const root = dir({ 'real/a.yaml': gateway('a'), 'other/b.yaml': gateway('b') });
    const scan = join(root, 'scan');
    mkdirSync(scan);
    symlinkSync(join(root, 'real/a.yaml'), join(scan, 'linked.yaml'));
    symlinkSync(join(root, 'real/a.yaml'), join(scan, 'again.yaml'));
    symlinkSync(join(root, 'other'), join(scan, 'dir'));
    symlinkSync(scan, join(scan, 'loop'));
    symlinkSync(join(root, 'missing.yaml'), join(scan, 'dangling.yaml'));
    const { snapshot, errors, warnings } = await loadManifests([scan], 'default');
    expect(snapshot.list('Gateway').map((g) => g.meta.name).sort()).toEqual(['a', 'b']);
    expect(warnings).toEqual([expect.objectContaining({ file: join(scan, 'loop'), message: expect.stringMatching(/^symbolic link loop/) })]);
    expect(errors).toEqual([{ file: join(scan, 'dangling.yaml'), message: 'symbolic link to nothing (its target does not exist)' }]);
  });

  it('merges an object given twice in one input as server-side apply would, and says where both are', async () => {
    const text = `${gateway('g')}---\napiVersion: gateway.networking.k8s.io/v1\nkind: Gateway\nmetadata:\n  name: g\n  labels: {added: "yes"}\nspec:\n  listeners: [{name: https, protocol: HTTPS, port: 443}]\n`;
    const { snapshot, warnings } = await loadManifests(['-'], 'default', async () => text);
    const g = snapshot.get('Gateway', 'default', 'g')!;
    expect(g.listeners.map((l) => l.name)).toEqual(['http', 'https']);
    expect(g.meta.labels).toEqual({ added: 'yes' });
    expect(g.className).toBe('eg');
    expect(warnings).toEqual([{ file: '<stdin>', line: 9, message: 'Gateway default/g is also defined at <stdin>:1: merged as server-side apply would merge this one into it (fields set here win)' }]);
  });

  it('cuts a stream into the documents js-yaml finds, with their lines, wherever the chunks end', () => {
    const docs = [gateway('a'), '# comment only\n', `--- {apiVersion: v1, kind: Namespace, metadata: {name: inline}}\n`, 'apiVersion: v1\r\nkind: Namespace\r\nmetadata:\r\n  name: crlf\r\n', 'a: "---"\nb: |\n  --- not a marker\n'];
    const text = `${docs[0]}---\n${docs[1]}${docs[2]}...\n---\n${docs[3]}---\n${docs[4]}`;
    const expected = (yaml.loadAll(text) as unknown[]).filter((d) => d !== null && d !== undefined);
    for (const size of [1, 3, 7, 64, text.length]) {
      const splitter = new DocumentSplitter();
      const out = [];
      for (let i = 0; i < text.length; i += size) out.push(...splitter.feed(text.slice(i, i + size)));
      out.push(...splitter.end());
      const values = out.flatMap((d) => yaml.loadAll(d.text)).filter((d) => d !== null && d !== undefined);
      expect(values, `chunks of ${size}`).toEqual(expected);
      // Each document's first line is the line its number names (an inline document's marker blanked out).
      for (const d of out) expect(d.text.split('\n')[0]!.trimEnd(), `line ${d.line}`).toBe(text.split('\n')[d.line - 1]!.replace(/^---/, '   ').trimEnd());
    }
  });

  it('parses large inputs in worker threads with the same result as on this thread', async () => {
    const many = Array.from({ length: 6000 }, (_, i) => `apiVersion: v1\nkind: Service\nmetadata:\n  name: s-${i}\n  annotations: {note: "${'n'.repeat(300)}"}\nspec:\n  ports: [{port: ${1000 + (i % 100)}}]\n`).join('---\n');
    const broken = `${many}---\nkind: [\n---\n${gateway('last')}`;
    const inline = await loadManifests(['-'], 'default', { readStdin: async () => broken, workers: 0 });
    const pooled = await loadManifests(['-'], 'default', { stdin: (async function* () { for (let i = 0; i < broken.length; i += 65536) yield broken.slice(i, i + 65536); })(), workers: 2 });
    expect(pooled.snapshot.count('Service')).toBe(6000);
    expect(pooled.snapshot.list('Service').map((s) => [s.meta.name, s.ports[0]?.port])).toEqual(inline.snapshot.list('Service').map((s) => [s.meta.name, s.ports[0]?.port]));
    expect(pooled.errors).toEqual(inline.errors);
    expect(pooled.errors).toEqual([expect.objectContaining({ file: '<stdin>', line: 6000 * 8 + 2, message: expect.stringMatching(/^invalid YAML/) })]);
    expect(pooled.snapshot.get('Gateway', 'default', 'last')?.origin).toEqual({ file: '<stdin>', line: 6000 * 8 + 3 });
  });

  it('stops reading, with an error that says why and what to do, once the objects read would not leave memory to analyse them', async () => {
    const service = (i: number) => ({ apiVersion: 'v1', kind: 'Service', metadata: { name: `s${i}`, namespace: 'default' }, spec: { ports: [{ name: 'https', port: 443 }] } });
    const items = Array.from({ length: 20_000 }, (_, i) => service(i));
    const yamlText = items.map((o) => `kind: Service\napiVersion: v1\nmetadata: ${JSON.stringify(o.metadata)}\nspec: ${JSON.stringify(o.spec)}\n`).join('---\n');
    const jsonText = JSON.stringify({ apiVersion: 'v1', kind: 'List', items });
    for (const [text, workers] of [[yamlText, 0], [yamlText, 2], [jsonText, 0]] as const) {
      const load = loadManifests(['-'], 'default', { readStdin: async () => text, workers, memoryBudget: 1 });
      await expect(load).rejects.toBeInstanceOf(InputTooLargeForMemory);
      await expect(load).rejects.toThrow(/^the input is too large to analyse in the memory this process may use: .*; narrow it \(fewer files, one namespace\) or give Node more memory with NODE_OPTIONS=--max-old-space-size=\d+$/);
    }
    const fits = await loadManifests(['-'], 'default', { readStdin: async () => yamlText, workers: 0, memoryBudget: 4 * 2 ** 30 });
    expect(fits.objects).toHaveLength(20_000);
  });

  it('reads a typed list as the API server returns it, whose items leave out apiVersion and kind', async () => {
    const list = { apiVersion: 'gateway.networking.k8s.io/v1', kind: 'GatewayList', metadata: { resourceVersion: '42' }, items: [{ metadata: { name: 'web', namespace: 'infra' }, spec: { gatewayClassName: 'eg', listeners: [{ name: 'http', port: 80, protocol: 'HTTP' }] } }] };
    const { snapshot, errors } = await loadManifests(['-'], 'default', async () => JSON.stringify(list));
    expect(errors).toEqual([]);
    expect(snapshot.list('Gateway').map((g) => `${g.meta.namespace}/${g.meta.name}`)).toEqual(['infra/web']);
  });
});
