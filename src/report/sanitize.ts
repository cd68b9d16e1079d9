// Every string that came from a cluster, a file or a peer is hostile: before a terminal sees it, control
// characters (C0, DEL, C1), and the Unicode controls that reorder or hide text (bidi overrides and isolates,
// zero-width joiners, line/paragraph separators) are shown visibly as escapes, so no escape sequence (colour,
// OSC 52 clipboard write, title), carriage return or newline from the input can act on the terminal.
// JSON and YAML output does not need this: their serialisers escape. Colour added by our own styling is
// applied after sanitising, never to unsanitised text.

// C0 except TAB, DEL, C1; then the Unicode format/separator characters that can deceive a reader.
const UNSAFE = /[\u0000-\u0008\u000a-\u001f\u007f-\u009f\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]/g;
const UNSAFE_KEEP_NEWLINE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]/g;

function escape(ch: string): string {
  const code = ch.codePointAt(0)!;
  if (ch === '\n') return '\\n';
  if (ch === '\r') return '\\r';
  return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
}

/** One line, safe for a terminal: every control character (newlines included) shown as an escape. */
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
