// The terminal sanitiser, over every code point a terminal acts on or hides: each is shown as an escape, nothing
// else changes, escaping twice changes nothing more, and JSON stays the same JSON value.
import { describe, expect, it } from 'vitest';
import { hasUnsafe, safeLine, safeText, sanitizeDeep, terminalSafeJson } from '../../src/report/sanitize.ts';
import { OSC0, OSC52 } from '../helpers/hostile.ts';

const CONTROLS = [
  ...Array.from({ length: 32 }, (_, i) => i),
  ...Array.from({ length: 33 }, (_, i) => 0x7f + i),
  0x061c,
  ...Array.from({ length: 5 }, (_, i) => 0x200b + i),
  ...Array.from({ length: 7 }, (_, i) => 0x2028 + i),
  ...Array.from({ length: 10 }, (_, i) => 0x2060 + i),
  0xfeff,
].map((c) => String.fromCodePoint(c));

describe('safeLine', () => {
  it('shows every control, format and separator character as an escape', () => {
    for (const ch of CONTROLS) {
      const out = safeLine(`a${ch}b`);
      expect(hasUnsafe(out), JSON.stringify(ch)).toBe(false);
      expect(out).not.toContain(ch);
      expect(out).toMatch(/^a\\(x[0-9a-f]{2}|u[0-9a-f]{4}|n|r|t)b$/);
    }
  });

  it('names the common ones the way a reader knows them', () => {
    expect(safeLine(`x${OSC52}y`)).toBe('x\\x1b]52;c;cm0gLXJmIH4=\\x07y');
    expect(safeLine(`t${OSC0}`)).toBe('t\\x1b]0;pwned\\x07');
    expect(safeLine('a\r\nb\tc')).toBe('a\\r\\nb\\tc');
    expect(safeLine('\u009b31m\u202eevil')).toBe('\\x9b31m\\u202eevil');
  });

  it('leaves printable text alone, and escaping twice changes nothing more', () => {
    const text = 'Gateway infra/shop — ünïcödé, 日本語, emoji 🔒, a\\x1b literal';
    expect(safeLine(text)).toBe(text);
    const once = safeLine(`a${OSC52}\n${OSC0}\t`);
    expect(safeLine(once)).toBe(once);
  });
});

describe('safeText', () => {
  it('keeps line breaks and tabs, escapes everything else', () => {
    expect(safeText(`line 1\n\tline 2${OSC52}\r\n`)).toBe('line 1\n\tline 2\\x1b]52;c;cm0gLXJmIH4=\\x07\\r\n');
  });
});

describe('sanitizeDeep', () => {
  it('copies a report with every string safe, keeping preformatted keys multi-line and the original untouched', () => {
    const report = { name: `gw${OSC52}`, n: 3, ok: true, none: null, list: [{ msg: 'a\nb' }], fixes: [{ yaml: `a: 1\nb: "x${OSC0}"\n` }] };
    const copy = sanitizeDeep(report, new Set(['yaml']));
    expect(copy).toEqual({ name: 'gw\\x1b]52;c;cm0gLXJmIH4=\\x07', n: 3, ok: true, none: null, list: [{ msg: 'a\\nb' }], fixes: [{ yaml: 'a: 1\nb: "x\\x1b]0;pwned\\x07"\n' }] });
    expect(report.name).toBe(`gw${OSC52}`);
  });
});

describe('terminalSafeJson', () => {
  it('escapes what JSON.stringify leaves raw, and the JSON value stays the same', () => {
    const value = { s: CONTROLS.join(''), k: 'plain' };
    const json = terminalSafeJson(JSON.stringify(value, null, 2));
    expect(hasUnsafe(json.replace(/\n/g, ''))).toBe(false);
    expect(JSON.parse(json)).toEqual(value);
  });
});
