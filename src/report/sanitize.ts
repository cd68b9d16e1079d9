// Every string that came from a cluster, a file or a peer is hostile: before a terminal sees it, control
// characters (C0, DEL, C1), and the Unicode controls that reorder or hide text (bidi overrides and isolates,
// zero-width joiners, line/paragraph separators) are shown visibly as escapes, so no escape sequence (colour,
// OSC 52 clipboard write, title), carriage return or newline from the input can act on the terminal.
// JSON and YAML output does not need this: their serialisers escape. Colour added by our own styling is
// applied after sanitising, never to unsanitised text.

// C0 (a tab too: in one line it only shifts columns, e.g. to fake a table cell), DEL, C1; then the Unicode
// format/separator characters that can deceive a reader. Text keeps its tabs and line breaks.
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]/g;
const UNSAFE_KEEP_NEWLINE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]/g;

function escape(ch: string): string {
  const code = ch.codePointAt(0)!;
  if (ch === '\n') return '\\n';
  if (ch === '\r') return '\\r';
  if (ch === '\t') return '\\t';
  return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
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

// What JSON.stringify leaves raw that a terminal would act on or hide: DEL, C1 controls, bidi and zero-width
// characters (it escapes only C0). They occur only inside JSON strings, where \u escapes mean the same.
const JSON_RAW = /[\u007f-\u009f\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]/g;

/** JSON text safe for a terminal: the same JSON value, with those characters written as \u escapes. */
export function terminalSafeJson(json: string): string {
  // Almost all reports have none: a test is cheaper than a replace that finds nothing.
  JSON_RAW.lastIndex = 0;
  if (!JSON_RAW.test(json)) return json;
  return json.replace(JSON_RAW, (ch) => `\\u${ch.codePointAt(0)!.toString(16).padStart(4, '0')}`);
}
