// The findings list: every finding, or errors only; the cursor row is what enter jumps to.
import { Box } from 'ink';
import { memo } from 'react';
import type { Finding } from '../../report/types.ts';
import { seg } from '../lines.ts';
import { findingRowLine, paneTitleLine } from '../rowlines.ts';
import { LinesView, LineView } from './LineView.tsx';

export interface FindingsPaneProps {
  findings: Finding[];
  total: number;
  errorsOnly: boolean;
  cursor: number;
  top: number;
  width: number;
  height: number;
  focused: boolean;
}

export const FindingsPane = memo(function FindingsPane({ findings, total, errorsOnly, cursor, top, width, height, focused }: FindingsPaneProps) {
  const lines = findings.slice(top, top + height).map((f, i) => findingRowLine(f, width, focused && top + i === cursor));
  if (findings.length === 0) lines.push([seg(errorsOnly && total ? '  no errors (e: show all findings)' : '  no findings', 'ok')]);
  const note = `${errorsOnly ? `errors only, ${findings.length} of ${total}` : `${total}`} · e: ${errorsOnly ? 'all' : 'errors only'}`;
  return (
    <Box flexDirection="column" width={width}>
      <LineView line={paneTitleLine('Findings', focused, note, width)} />
      <LinesView lines={lines} height={height} />
    </Box>
  );
});
