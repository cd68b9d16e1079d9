// Fields of the wrong type, as the API server's schema refuses them: an input error naming the field, not a
// silent misreading (a mapping where the listener list belongs read as "no listeners", a healthy Gateway).
import { readFileSync } from 'node:fs';
import * as yaml from 'js-yaml';
import { describe, expect, it } from 'vitest';
import { kindFor } from '../../../src/cluster/kinds.ts';
import { loadManifests } from '../../../src/cluster/manifests.ts';
import { shapeProblems } from '../../../src/cluster/shape.ts';
import { yamlFiles } from '../../helpers/yaml-files.ts';

const WRONG = `apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: {name: g, namespace: default}
spec: {gatewayClassName: eg, listeners: {name: a, port: 80, protocol: HTTP}}
---
apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: {name: g2}
spec:
  gatewayClassName: eg
  listeners:
  - {name: a, port: "443", protocol: HTTPS, tls: {certificateRefs: "s"}}
  - 7
  - {name: b, port: 99999999999999999999, protocol: HTTP}
---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: r, namespace: apps}
spec:
  parentRefs: {name: g2}
  rules: [{backendRefs: {name: s, port: 80}}]
`;

describe('shape of the fields that decide the diagnosis', () => {
  it('names each field of the wrong type, with file and line, and still reads the objects', async () => {
    const r = await loadManifests(['-'], 'default', async () => WRONG);
    expect(r.errors).toEqual([
      { file: '<stdin>', line: 1, message: 'Gateway default/g: spec.listeners is a mapping, not a list: the API server refuses this object' },
      { file: '<stdin>', line: 6, message: 'Gateway default/g2: spec.listeners[1] is 7, not a mapping: the API server refuses this object' },
      { file: '<stdin>', line: 6, message: 'Gateway default/g2: spec.listeners[0].port is "443" (a string), not a port number (an integer from 1 to 65535): the API server refuses this object' },
      { file: '<stdin>', line: 6, message: 'Gateway default/g2: spec.listeners[2].port is 100000000000000000000, not a port number (an integer from 1 to 65535): the API server refuses this object' },
      { file: '<stdin>', line: 6, message: 'Gateway default/g2: spec.listeners[0].tls.certificateRefs is "s" (a string), not a list: the API server refuses this object' },
      { file: '<stdin>', line: 16, message: 'HTTPRoute apps/r: spec.parentRefs is a mapping, not a list: the API server refuses this object' },
      { file: '<stdin>', line: 16, message: 'HTTPRoute apps/r: spec.rules[0].backendRefs is a mapping, not a list: the API server refuses this object' },
    ]);
    expect(r.objects.map((o) => o.raw.kind)).toEqual(['Gateway', 'Gateway', 'HTTPRoute']);
  });

  it('says why a name became a boolean: kubectl reads an unquoted no or on as one (the Norway problem)', async () => {
    const text = [
      'apiVersion: v1\nkind: Service\nmetadata: {name: db, namespace: no, labels: {tier: y}}\nspec:\n  selector: {app: yes}\n  ports:\n  - {name: on, port: 5432}',
      'apiVersion: gateway.networking.k8s.io/v1\nkind: TCPRoute\nmetadata: {name: r, namespace: apps}\nspec:\n  parentRefs: [{name: gw, namespace: no, sectionName: off}]\n  rules: [{backendRefs: [{name: db, namespace: n, port: 5432}]}]',
      'apiVersion: v1\nkind: Pod\nmetadata: {name: on}',
    ].join('\n---\n');
    const r = await loadManifests(['-'], 'default', async () => text);
    const hint = '(kubectl reads an unquoted yes, no, on, off, y or n as a boolean: quote it)';
    expect(r.errors.map((e) => e.message)).toEqual([
      `Service default/db: metadata.namespace is false, not a string ${hint}: the API server refuses this object`,
      `Service default/db: metadata.labels["tier"] is true, not a string ${hint}: the API server refuses this object`,
      `Service default/db: spec.ports[0].name is true, not a string ${hint}: the API server refuses this object`,
      `Service default/db: spec.selector["app"] is true, not a string ${hint}: the API server refuses this object`,
      `TCPRoute apps/r: spec.parentRefs[0].namespace is false, not a string ${hint}: the API server refuses this object`,
      `TCPRoute apps/r: spec.parentRefs[0].sectionName is false, not a string ${hint}: the API server refuses this object`,
      `TCPRoute apps/r: spec.rules[0].backendRefs[0].namespace is false, not a string ${hint}: the API server refuses this object`,
      `Pod without metadata.name (metadata.name is true: kubectl reads an unquoted yes, no, on, off, y or n as a boolean: quote it); skipped`,
    ]);
  });

  it('listeners need a name, and a name of their own', () => {
    const gw = { spec: { listeners: [{ name: 'x', port: 80 }, { name: 'x', port: 81 }, { protocol: 'HTTP', port: 82 }] } };
    expect(shapeProblems(gw, 'Gateway')).toEqual(['spec.listeners[1].name "x" is also the name of spec.listeners[0] (listener names must be unique)', 'spec.listeners[2] has no name (listeners are keyed by name)']);
  });

  it('finds nothing to refuse in any seed or scenario fixture (no false alarms on real manifests)', () => {
    let objects = 0;
    const flagged: string[] = [];
    for (const file of [...yamlFiles('test/fixtures/seeds'), ...yamlFiles('test/fixtures/scenarios')]) {
      for (const doc of yaml.loadAll(readFileSync(file, 'utf8'))) {
        if (doc === null || typeof doc !== 'object') continue;
        const raw = doc as Record<string, unknown>;
        const info = kindFor(String(raw.apiVersion), String(raw.kind));
        if (!info) continue;
        objects++;
        for (const p of shapeProblems(raw, info.kind)) flagged.push(`${file}: ${info.kind}: ${p}`);
      }
    }
    expect(objects).toBeGreaterThan(1000);
    expect(flagged).toEqual([]);
  });
});
