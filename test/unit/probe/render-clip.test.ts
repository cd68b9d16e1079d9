// Text output of values a peer chose: long ones are cut, never inside an escape or a character, and say so.
import { describe, expect, it } from 'vitest';
import { safeLine } from '../../../src/report/sanitize.ts';
import { clipShown } from '../../../src/probe/render.ts';

describe('clipShown', () => {
  it('keeps short values as they are', () => {
    expect(clipShown('CN=shop.example.com')).toBe('CN=shop.example.com');
  });

  it('cuts long values, saying how much was left out', () => {
    expect(clipShown(`CN=${'a'.repeat(60_000)}`)).toBe(`CN=${'a'.repeat(297)}… (59703 more characters; -o json shows all)`);
  });

  it('never cuts one of the sanitiser\'s escapes or a surrogate pair in two, wherever the cut falls', () => {
    const hostile = safeLine(`${'x'.repeat(20)}\u001b[31m\u202e\u{e0041}🔒`.repeat(30));
    for (let max = 20; max < 120; max++) {
      const shown = clipShown(hostile, max);
      const kept = shown.slice(0, shown.indexOf('…'));
      expect(hostile.startsWith(kept)).toBe(true);
      expect(kept).not.toMatch(/\\(x[0-9a-f]?|u[0-9a-f]{0,3}|u\{[0-9a-f]*)$/);
      expect(kept).not.toMatch(/[\ud800-\udbff]$/);
    }
  });
});
