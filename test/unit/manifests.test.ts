import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { InputPathError, loadManifests } from '../../src/cluster/manifests.ts';

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
    const policy = `apiVersion: gateway.networking.k8s.io/v1alpha2\nkind: BackendTLSPolicy\nmetadata: {name: p, namespace: n}\nspec:\n  targetRef: {group: "", kind: Service, name: app, sectionName: https}\n  tls: {hostname: app.n.svc, caCertRefs: [{group: "", kind: ConfigMap, name: ca}]}\n`;
    const { snapshot } = await loadManifests(['-'], 'default', async () => policy);
    expect(snapshot.get('BackendTLSPolicy', 'n', 'p')).toMatchObject({ targetRefs: [{ name: 'app', sectionName: 'https' }], hostname: 'app.n.svc', caCertificateRefs: [{ kind: 'ConfigMap', name: 'ca' }] });
  });
});
