// One laid-out line, drawn as a single pre-styled string: one ink text node per row keeps each frame cheap (ink
// lays out and measures every node on every frame). The layout already fits the line, so nothing wraps.
import { Text } from 'ink';
import { memo } from 'react';
import { styleText } from 'node:util';
import { safeLine } from '../../report/sanitize.ts';
import type { Line, Seg } from '../lines.ts';
import { toneColor, useTheme, type Theme } from '../theme.ts';

type Format = Parameters<typeof styleText>[0];

const cache = [new WeakMap<Line, string>(), new WeakMap<Line, string>()];

/** The edge: whatever a segment holds, no control character of it reaches the terminal; only our styles do. */
function styleSeg(s: Seg, theme: Theme): string {
  const text = safeLine(s.text);
  const formats: string[] = [];
  const color = toneColor(s.tone, theme);
  if (color) formats.push(color);
  if (s.bold) formats.push('bold');
  if (s.inverse) formats.push('inverse');
  return formats.length ? styleText(formats as Format, text, { validateStream: false }) : text;
}

/** The line as a string with ANSI styles (colours only when the theme has colour). */
export function styledLine(line: Line, theme: Theme): string {
  const c = cache[theme.color ? 1 : 0]!;
  let out = c.get(line);
  if (out === undefined) {
    out = line.map((s) => styleSeg(s, theme)).join('');
    c.set(line, out);
  }
  return out;
}

export const LineView = memo(function LineView({ line }: { line: Line }) {
  const theme = useTheme();
  return <Text wrap="truncate-end">{line.length === 0 ? ' ' : styledLine(line, theme)}</Text>;
});

/** Exactly `height` rows: the lines from `offset`, then rows of `fill` (blank by default). */
export function LinesView({ lines, height, offset = 0, fill = ' ' }: { lines: Line[]; height: number; offset?: number; fill?: string }) {
  const theme = useTheme();
  const shown = lines.slice(offset, offset + height);
  const out = shown.map((l, i) => <LineView key={i} line={l} />);
  const filler = fill === ' ' ? ' ' : styledLine(fillLine(fill), theme);
  for (let i = shown.length; i < height; i++) out.push(<Text key={`fill-${i}`}>{filler}</Text>);
  return <>{out}</>;
}

const fills = new Map<string, Line>();
function fillLine(fill: string): Line {
  let l = fills.get(fill);
  if (!l) {
    l = [{ text: fill, tone: 'dim' }];
    fills.set(fill, l);
  }
  return l;
}
