// The detail pane: whatever lines it is given, scrolled, with a note when there is more.
import { Box } from 'ink';
import { memo } from 'react';
import type { Line } from '../lines.ts';
import { paneTitleLine } from '../rowlines.ts';
import { LinesView, LineView } from './LineView.tsx';

export interface DetailPaneProps {
  title: string;
  lines: Line[];
  scroll: number;
  width: number;
  height: number;
  focused: boolean;
}

export function maxScroll(lines: Line[], height: number): number {
  return Math.max(0, lines.length - height);
}

export const DetailPane = memo(function DetailPane({ title, lines, scroll, width, height, focused }: DetailPaneProps) {
  const offset = Math.min(scroll, maxScroll(lines, height));
  const below = lines.length - offset - height;
  const note = below > 0 ? `${below} more ↓${focused ? '' : ' (tab)'}` : offset > 0 ? 'end' : '';
  return (
    <Box flexDirection="column" width={width}>
      <LineView line={paneTitleLine(title, focused, note, width)} />
      <LinesView lines={lines} height={height} offset={offset} />
    </Box>
  );
});
