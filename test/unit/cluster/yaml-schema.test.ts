// Plain scalars read as kubectl reads them (sigs.k8s.io/yaml, go-yaml v2): the expected values are what
// sigs.k8s.io/yaml v1.6.0 with go-yaml v2.4.4 printed for `v: <scalar>` (test/oracle/kubectl-yaml, which compares
// the two on thousands of scalars whenever Go can build it).
import { describe, expect, it } from 'vitest';
import { parseYamlDocument } from '../../../src/cluster/parse-document.ts';

const KUBECTL: Array<[string, unknown]> = [
  ['yes', true], ['Yes', true], ['YES', true], ['y', true], ['Y', true], ['on', true], ['On', true], ['ON', true], ['true', true], ['True', true],
  ['no', false], ['No', false], ['NO', false], ['n', false], ['N', false], ['off', false], ['Off', false], ['OFF', false], ['false', false], ['FALSE', false],
  ['tRUE', 'tRUE'], ["'yes'", 'yes'], ['"on"', 'on'],
  ['~', null], ['null', null], ['NULL', null], ['', null],
  ['0755', 493], ['0o755', 493], ['0x1F', 31], ['0b101', 5], ['1_000', 1000], ['1_0_0', 100], ['+12', 12], ['08', 8], ['012345678', 12345678], ['443', 443],
  ['1e3', 1000], ['1.5', 1.5], ['.5', 0.5], ['1.', 1],
  ['2026-01-01', '2026-01-01'], ['2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z'], ['1:20', '1:20'], ['0x', '0x'],
];

describe('YAML scalars as kubectl reads them', () => {
  it.each(KUBECTL)('v: %s', (scalar, expected) => {
    const doc = parseYamlDocument(`v: ${scalar}\n`, 1, 'test.yaml');
    expect(doc).toEqual({ value: { v: expected }, line: 1 });
  });

  it('reads insecureSkipVerify: yes as true, as the API server receives it', () => {
    const doc = parseYamlDocument('apiVersion: gateway.envoyproxy.io/v1alpha1\nkind: Backend\nmetadata: {name: b}\nspec:\n  tls:\n    insecureSkipVerify: yes\n', 1, 'b.yaml');
    expect(doc).toMatchObject({ value: { spec: { tls: { insecureSkipVerify: true } } } });
  });
});
