// The catalog as users see it: every code `kubectl gwtls rules` lists has a docs page that `explain` prints,
// codes are unique, and every inspect rule declares its inputs.
import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { PROBE_CODES } from '../../../src/probe/codes.ts';
import { ALL_RULES, allCodes } from '../../../src/rules/index.ts';

describe('rule catalog', () => {
  const codes = allCodes(PROBE_CODES);

  it('has unique codes of the form GWTLS-AREA-NNN', () => {
    expect(new Set(codes.map((c) => c.code)).size).toBe(codes.length);
    for (const c of codes) expect(c.code).toMatch(/^GWTLS-[A-Z]+-\d{3}$/);
  });

  it('has a docs page for every code, titled with the code', () => {
    for (const c of codes) {
      const file = new URL(`../../../docs/rules/${c.code}.md`, import.meta.url);
      expect(existsSync(file), c.code).toBe(true);
      expect(readFileSync(file, 'utf8').split('\n')[0], c.code).toMatch(new RegExp(`^# ${c.code}`));
    }
  });

  it('registers the codes added for Gateway API v1.6 (issue 14) with their families', () => {
    const byCode = new Map(codes.map((c) => [c.code, c]));
    expect(byCode.get('GWTLS-LBC-015')).toMatchObject({ severity: 'error', title: expect.stringMatching(/ACM discovery/) });
    expect(byCode.get('GWTLS-LBC-016')).toMatchObject({ severity: 'error', title: expect.stringMatching(/route kind of another protocol/) });
    expect(byCode.get('GWTLS-EG-005')).toMatchObject({ severity: 'error', title: expect.stringMatching(/tls\.options but no certificateRefs/) });
    expect(byCode.get('GWTLS-BTLS-012')).toMatchObject({ severity: 'warning', title: expect.stringMatching(/subjectAltNames/) });
    // GWTLS-BTLS-009 stays reserved for the client-certificate check of the domain reference (reported as BPRB-004).
    expect(byCode.has('GWTLS-BTLS-009')).toBe(false);
  });

  it('declares the kinds each inspect rule reads', () => {
    for (const r of ALL_RULES) expect(r.meta.inputs.length, r.meta.code).toBeGreaterThan(0);
  });
});
