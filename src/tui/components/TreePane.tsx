// The tree: only the rows in view are laid out and rendered.
import { Box } from 'ink';
import { memo } from 'react';
import { paneTitleLine, treeRowLine } from '../rowlines.ts';
import type { Row, TreeModel } from '../tree.ts';
import { LinesView, LineView } from './LineView.tsx';

export interface TreePaneProps {
  model: TreeModel;
  rows: Row[];
  cursor: number;
  top: number;
  width: number;
  height: number;
  focused: boolean;
}

export const TreePane = memo(function TreePane({ model, rows, cursor, top, width, height, focused }: TreePaneProps) {
  const shown = rows.slice(top, top + height).map((r, i) => treeRowLine(model, r, width, top + i === cursor, focused));
  const more = rows.length > height ? `${cursor + 1}/${rows.length}` : `${rows.length} rows`;
  return (
    <Box flexDirection="column" width={width}>
      <LineView line={paneTitleLine(model.listView ? 'Gateways' : 'Tree', focused, more, width)} />
      <LinesView lines={shown} height={height} />
    </Box>
  );
});
