// The UI draws text it has already laid out: a Line is a row of styled segments no wider than its pane. Panes
// compute their lines with pure functions (testable without a terminal) and render only the rows in view.
// Text enters a line through the functions below, which show control characters as escapes (names, messages
// and probe output come from clusters, files and peers), so widths are measured on what is drawn; LineView
// escapes once more at the edge, for segments built by hand.
import { safeLine, safeText } from '../report/sanitize.ts';

/** What a piece of text means; the theme turns it into a colour, or into nothing under NO_COLOR. */
export type Tone = 'ok' | 'bad' | 'warn' | 'dim' | 'info' | 'accent' | 'plain';

export interface Seg {
  text: string;
  tone?: Tone;
  bold?: boolean;
  inverse?: boolean;
}

export type Line = Seg[];

export const seg = (text: string, tone?: Tone, bold?: boolean): Seg => ({ text: safeLine(text), ...(tone ? { tone } : {}), ...(bold ? { bold } : {}) });

export function lineText(line: Line): string {
  return line.map((s) => s.text).join('');
}

export function lineWidth(line: Line): number {
  let n = 0;
  for (const s of line) n += s.text.length;
  return n;
}

/** Cuts a string to `width` columns, marking the cut with an ellipsis. */
export function truncate(raw: string, width: number): string {
  if (width <= 0) return '';
  const text = safeLine(raw);
  if (text.length <= width) return text;
  if (width === 1) return '…';
  return text.slice(0, width - 1) + '…';
}

/** Cuts a line to `width` columns, keeping the styles of what is left. */
export function clip(line: Line, width: number): Line {
  if (lineWidth(line) <= width) return line;
  const out: Line = [];
  let left = width;
  for (const s of line) {
    if (left <= 0) break;
    if (s.text.length < left) {
      out.push(s);
      left -= s.text.length;
    } else {
      out.push({ ...s, text: truncate(s.text, left) });
      left = 0;
    }
  }
  return out;
}

/** Pads a line with spaces to `width` (used for the selected row, whose inverse video spans the pane). */
export function pad(line: Line, width: number): Line {
  const w = lineWidth(line);
  return w >= width ? line : [...line, { text: ' '.repeat(width - w) }];
}

/** Greedy word wrap of plain text: the first line starts with `first`, the others with `rest`. */
export function wrapText(text: string, width: number, first = '', rest = ' '.repeat(first.length)): string[] {
  const out: string[] = [];
  let line = first;
  let empty = true;
  for (const word of safeLine(text).split(/\s+/).filter(Boolean)) {
    const room = width - line.length - (empty ? 0 : 1);
    if (!empty && word.length > room) {
      out.push(line);
      line = rest;
      empty = true;
    }
    // A word longer than a whole line (a fingerprint, a long ARN) is cut across lines.
    let w = word;
    while (line.length + (empty ? 0 : 1) + w.length > width && width - line.length - (empty ? 0 : 1) > 8) {
      const take = width - line.length - (empty ? 0 : 1);
      line += (empty ? '' : ' ') + w.slice(0, take);
      out.push(line);
      line = rest;
      w = w.slice(take);
      empty = true;
    }
    line += (empty ? '' : ' ') + w;
    empty = false;
  }
  out.push(line);
  return out.map((l) => truncate(l, width));
}

/** Wraps one styled paragraph: every wrapped row takes the paragraph's tone. */
export function wrapLine(text: string, width: number, opts: { first?: string; rest?: string; tone?: Tone; bold?: boolean } = {}): Line[] {
  return wrapText(text, width, opts.first ?? '', opts.rest ?? ' '.repeat((opts.first ?? '').length)).map((t) => [seg(t, opts.tone, opts.bold)]);
}

/** Fits preformatted text (YAML, a diff, a probe report) to `width`: long lines are wrapped under their indent. */
export function fitPreformatted(text: string, width: number, tone?: (line: string) => Tone | undefined): Line[] {
  const out: Line[] = [];
  for (const raw of safeText(text).replace(/\s+$/, '').split('\n')) {
    const t = tone?.(raw);
    if (raw.length <= width) {
      out.push([seg(raw, t)]);
      continue;
    }
    const indent = /^\s*/.exec(raw)![0].slice(0, Math.max(0, width - 10));
    let rest = raw;
    let first = true;
    while (rest.length > 0) {
      const prefix = first ? '' : `${indent}  `;
      const room = Math.max(1, width - prefix.length);
      const body = first ? rest : rest.trimStart();
      out.push([seg(prefix + body.slice(0, room), t)]);
      rest = body.slice(room);
      first = false;
    }
  }
  return out;
}

/** Styled `prefix` followed by `text` wrapped to `width`; continuation rows start with `rest`. */
export function wrapAfter(prefix: Line, text: string, width: number, rest: string, tone?: Tone): Line[] {
  const p = lineText(prefix);
  const rows = wrapText(text, width, p, rest);
  return rows.map((t, i) => (i === 0 ? clip([...prefix, seg(t.slice(p.length), tone)], width) : [seg(t, tone)]));
}

/** Cuts every line to `width` (a last guard: the layout already aims to fit). */
export function clipAll(lines: Line[], width: number): Line[] {
  return lines.map((l) => clip(l, width));
}
