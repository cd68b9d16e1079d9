// The terminal sanitiser, over every code point a terminal acts on or hides: each is shown as an escape, nothing
// else changes, escaping twice changes nothing more, and JSON stays the same JSON value.
import { describe, expect, it } from 'vitest';
import * as yaml from 'js-yaml';
import { dumpYaml } from '../../src/fixes/yaml.ts';
import { hasHidden, hasUnsafe, safeLine, safeText, sanitizeDeep, terminalSafeJson } from '../../src/report/sanitize.ts';
import { terminalSafeYaml } from '../../src/report/yaml-output.ts';
import { OSC0, OSC52 } from '../helpers/hostile.ts';

// Every code point a terminal acts on or that hides or reorders text, by its Unicode category (an oracle apart
// from the sanitiser's own ranges): controls (Cc), format characters (Cf: bidi, zero-width, soft hyphen, tag
// characters, ...), line and paragraph separators; and the invisible ones of other categories.
const INVISIBLE_OTHERS = [0x034f, 0x115f, 0x1160, 0x2065, 0x3164, 0xffa0];
const CONTROLS = Array.from({ length: 0x110000 }, (_, c) => c)
  .filter((c) => (c < 0xd800 || c > 0xdfff) && (/[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/u.test(String.fromCodePoint(c)) || INVISIBLE_OTHERS.includes(c)))
  .map((c) => String.fromCodePoint(c));

describe('safeLine', () => {
  it('shows every control, format and separator character as an escape', () => {
    for (const ch of CONTROLS) {
      const out = safeLine(`a${ch}b`);
      expect(hasUnsafe(out), JSON.stringify(ch)).toBe(false);
      expect(out).not.toContain(ch);
      expect(out).toMatch(/^a\\(x[0-9a-f]{2}|u[0-9a-f]{4}|u\{[0-9a-f]{5,6}\}|n|r|t)b$/);
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

describe('every output format', () => {
  // Each hidden character alone, in a key, in a multi-line string and beside YAML-significant text.
  const values = CONTROLS.filter((ch) => ch !== '\n' && ch !== '\t').flatMap((ch) => [
    { name: `g${ch}w`, list: [`${ch}`, `- ${ch}: x`, 'plain'], n: 1 },
    { [`k${ch}`]: `line 1\nline 2 ${ch}\n`, ok: true },
  ]);

  it('the quick scan finds exactly the hidden characters, at any code point (C0 aside: serialisers escape it)', () => {
    const hidden = new Set(CONTROLS.filter((ch) => ch.codePointAt(0)! >= 0x20));
    const wrong: string[] = [];
    for (let c = 0; c < 0x110000; c++) {
      if (c >= 0xd800 && c <= 0xdfff) continue;
      const ch = String.fromCodePoint(c);
      if (hasHidden(`a — ${ch}b`) !== hidden.has(ch)) wrong.push(c.toString(16));
    }
    expect(wrong).toEqual([]);
  });

  it('counts the characters the categories name', () => {
    expect(CONTROLS).toContain('\u{e0041}');
    expect(CONTROLS).toContain('\u00ad');
    expect(CONTROLS.length).toBeGreaterThan(200);
  });

  it('JSON: no hidden character is written raw, and the value read back is the same', () => {
    for (const v of values) {
      const json = terminalSafeJson(JSON.stringify(v, null, 2));
      expect(hasUnsafe(json.replace(/\n/g, '')), json).toBe(false);
      expect(JSON.parse(json)).toEqual(v);
    }
  });

  it('YAML (-o yaml): no hidden character is written raw, and the value read back is the same', () => {
    for (const v of values) {
      const out = terminalSafeYaml(v, { noRefs: true, lineWidth: -1 });
      expect(hasUnsafe(out), out).toBe(false);
      expect(yaml.load(out)).toEqual(v);
    }
  });

  it('YAML stays block YAML, quoting only the strings that need it', () => {
    expect(terminalSafeYaml({ name: 'g\u202ew', other: 'plain' })).toBe('name: "g\\u202Ew"\nother: plain\n');
    expect(terminalSafeYaml({ tag: 'a\u{e0041}' })).toBe('tag: "a\\U000E0041"\n');
  });

  it('fix YAML: no hidden character is written raw, and the documents read back are the same', () => {
    for (const v of values) {
      const out = dumpYaml(v);
      expect(hasUnsafe(out), out).toBe(false);
      expect(yaml.load(out)).toEqual(v);
    }
  });
});
