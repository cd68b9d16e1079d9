// A full-body panel over the panes: help, fix preview, apply.
import { Box } from 'ink';
import type { Line } from '../lines.ts';
import { paneTitleLine } from '../rowlines.ts';
import { maxScroll } from './DetailPane.tsx';
import { LinesView, LineView } from './LineView.tsx';

export function Panel({ title, lines, scroll, width, height, footer }: { title: string; lines: Line[]; scroll: number; width: number; height: number; footer?: Line }) {
  const h = footer ? height - 1 : height;
  const offset = Math.min(scroll, maxScroll(lines, h));
  const below = lines.length - offset - h;
  return (
    <Box flexDirection="column" width={width}>
      <LineView line={paneTitleLine(title, true, below > 0 ? `${below} more ↓ (j/k)` : '', width)} />
      <LinesView lines={lines} height={h} offset={offset} />
      {footer ? <LineView line={footer} /> : null}
    </Box>
  );
}
