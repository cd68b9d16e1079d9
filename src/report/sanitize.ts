// Every string that came from a cluster, a file or a peer is hostile: before a terminal sees it, control
// characters (C0, DEL, C1), and the Unicode characters that reorder or hide text (bidi overrides and isolates,
// every format character: zero-width joiners, soft hyphens, tag characters, interlinear annotations; line and
// paragraph separators; the invisible fillers) are shown visibly as escapes, so no escape sequence (colour,
// OSC 52 clipboard write, title), carriage return or newline from the input can act on the terminal, and no
// text can hide in a name. JSON and YAML output keep the value and write those characters as their escapes
// (terminalSafeJson, terminalSafeYaml). Colour added by our own styling is applied after sanitising, never to
// unsanitised text.

// Characters that hide, reorder or fake text: DEL and C1, every format character (Cf: bidi controls, zero-width
// characters, U+00AD, U+180E, U+FFF9-FFFB, the tag block U+E0000-E007F, ...), U+2060-206F unassigned ones too,
// line/paragraph separators, the Hangul fillers and the combining grapheme joiner (shown as nothing). A regular
// expression pattern, for the `u` flag.
export const HIDDEN = String.raw`[\u007f-\u009f\p{Cf}\u2060-\u206f\u2028\u2029\u115f\u1160\u3164\uffa0]|\u034f`;

// C0 (a tab too: in one line it only shifts columns, e.g. to fake a table cell), then the hidden ones. Text
// keeps its tabs and line breaks.
const UNSAFE = new RegExp(`[\\u0000-\\u001f]|${HIDDEN}`, 'gu');
const UNSAFE_KEEP_NEWLINE = new RegExp(`[\\u0000-\\u0008\\u000b-\\u001f]|${HIDDEN}`, 'gu');

function escape(ch: string): string {
  const code = ch.codePointAt(0)!;
  if (ch === '\n') return '\\n';
  if (ch === '\r') return '\\r';
  if (ch === '\t') return '\\t';
  if (code <= 0xff) return `\\x${code.toString(16).padStart(2, '0')}`;
  return code <= 0xffff ? `\\u${code.toString(16).padStart(4, '0')}` : `\\u{${code.toString(16)}}`;
}

/** One line, safe for a terminal: every control character (newlines and tabs included) shown as an escape. */
export function safeLine(s: string): string {
  return s.replace(UNSAFE, escape);
}

/** Text whose own line breaks are kept; every other control character is shown as an escape. */
export function safeText(s: string): string {
  return s.replace(UNSAFE_KEEP_NEWLINE, escape);
}

/** Whether a string holds a character a terminal would act on or hide (for tests and assertions). */
export function hasUnsafe(s: string): boolean {
  UNSAFE_KEEP_NEWLINE.lastIndex = 0;
  return UNSAFE_KEEP_NEWLINE.test(s);
}

/**
 * A copy of a report (or any JSON-like value) whose strings are safe to print: every string through safeLine,
 * except under the keys in `multiline` (preformatted text such as fix YAML), which keep their line breaks. For
 * renderers that print many fields: the data itself stays untouched (JSON, YAML and --apply use it as it is).
 */
export function sanitizeDeep<T>(value: T, multiline: ReadonlySet<string> = new Set()): T {
  return walk(value, undefined, multiline) as T;
}

function walk(v: unknown, key: string | undefined, multiline: ReadonlySet<string>): unknown {
  if (typeof v === 'string') return key !== undefined && multiline.has(key) ? safeText(v) : safeLine(v);
  if (Array.isArray(v)) return v.map((x) => walk(x, key, multiline));
  if (v !== null && typeof v === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) out[k] = walk(x, k, multiline);
    return out;
  }
  return v;
}

// A quick scan first, for large outputs: a few wide ranges that hold every hidden character (one character class
// scans as fast as the old, narrower one; the exact pattern, with Unicode properties, is several times slower).
// Only where it stops is the exact pattern tried. test/unit/sanitize.test.ts checks every code point.
// eslint-disable-next-line no-misleading-character-class -- U+034F (combining grapheme joiner) is itself sought here
const MAYBE_HIDDEN = /[\u007f-\u00ad\u034f\u0600-\u08e2\u115f\u1160\u180e\u200b-\u200f\u2028-\u206f\u3164\ufeff-\uffff\ud800-\udbff]/g;
const HIDDEN_AT = new RegExp(HIDDEN, 'uy');

/** Whether `s` holds a character that hides or reorders text (HIDDEN). */
export function hasHidden(s: string): boolean {
  MAYBE_HIDDEN.lastIndex = 0;
  for (let m = MAYBE_HIDDEN.exec(s); m; m = MAYBE_HIDDEN.exec(s)) {
    HIDDEN_AT.lastIndex = m.index;
    if (HIDDEN_AT.test(s)) return true;
  }
  return false;
}

// What JSON.stringify leaves raw that a terminal would act on or hide (it escapes only C0 and lone surrogates).
// Such characters occur only inside JSON strings, where \u escapes mean the same.
const JSON_RAW = new RegExp(HIDDEN, 'gu');

/** `\uXXXX` for each UTF-16 unit of `ch` (a character outside the BMP is a surrogate pair): JSON's escape. */
export function jsonEscape(ch: string): string {
  let out = '';
  for (let i = 0; i < ch.length; i++) out += `\\u${ch.charCodeAt(i).toString(16).padStart(4, '0')}`;
  return out;
}

/** JSON text safe for a terminal: the same JSON value, with those characters written as \u escapes. */
export function terminalSafeJson(json: string): string {
  return hasHidden(json) ? json.replace(JSON_RAW, jsonEscape) : json;
}
