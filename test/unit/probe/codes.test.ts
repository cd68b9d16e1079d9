import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { PROBE_CODES, probeFinding } from '../../../src/probe/codes.ts';

describe('PROBE_CODES', () => {
  it('lists GWTLS-PRB-001..012, GWTLS-BPRB-001..006 and GWTLS-CM-005 (cert-manager, inspect --probe) with severity, title, description and a docs page', () => {
    expect(PROBE_CODES.map((c) => c.code)).toEqual([
      ...Array.from({ length: 12 }, (_, i) => `GWTLS-PRB-${String(i + 1).padStart(3, '0')}`),
      ...Array.from({ length: 6 }, (_, i) => `GWTLS-BPRB-${String(i + 1).padStart(3, '0')}`),
      'GWTLS-CM-005',
    ]);
    for (const c of PROBE_CODES) {
      expect(['error', 'warning', 'info']).toContain(c.severity);
      expect(c.title.length).toBeGreaterThan(10);
      expect(c.description.length).toBeGreaterThan(40);
      const page = new URL(`../../../docs/rules/${c.code}.md`, import.meta.url);
      expect(existsSync(page), c.code).toBe(true);
      const text = readFileSync(page, 'utf8');
      expect(text).toContain(`# ${c.code}: `);
      expect(text).toContain(`Severity: **${c.severity}**`);
      for (const h of ['## What it means', '## Example', '## How to resolve']) expect(text).toContain(h);
    }
  });

  it('builds findings in the contract shape', () => {
    const f = probeFinding('GWTLS-PRB-005', 'shop.example.com:443', 'msg', { hint: 'do this', evidence: ['e'] });
    expect(f).toEqual({
      code: 'GWTLS-PRB-005',
      severity: 'error',
      title: 'Served certificate does not match the SNI / hostname',
      message: 'msg',
      object: { apiVersion: 'gwtls.dev/v1alpha1', kind: 'Endpoint', name: 'shop.example.com:443' },
      evidence: ['e'],
      docs: 'docs/rules/GWTLS-PRB-005.md',
      fixes: [],
      hint: 'do this',
    });
    expect(() => probeFinding('GWTLS-PRB-999', 'x', 'y')).toThrow(/unknown probe code/);
  });
});
