// Where the panes go for a terminal size. Narrow terminals (80x24) stack tree, detail and findings, giving the
// focused pane the most rows; wide ones put the detail pane beside the tree. Heights count content rows only
// (each pane also has a one-row title); the header and the footer take one row each.

export type Focus = 'tree' | 'findings' | 'detail';

export interface Size {
  columns: number;
  rows: number;
}

export interface Layout {
  wide: boolean;
  tooSmall: boolean;
  width: number;
  /** Width of the tree and findings panes, and of the detail pane. */
  leftWidth: number;
  detailWidth: number;
  treeHeight: number;
  detailHeight: number;
  findingsHeight: number;
  /** Content rows of a full-body panel (help, fix preview, apply). */
  panelHeight: number;
}

export const MIN_COLUMNS = 40;
export const MIN_ROWS = 12;
export const WIDE_COLUMNS = 110;

const SHARES: Record<Focus, [number, number, number]> = {
  // tree, detail, findings
  tree: [0.44, 0.34, 0.22],
  detail: [0.22, 0.56, 0.22],
  findings: [0.26, 0.32, 0.42],
};

export function layout(size: Size, focus: Focus): Layout {
  const columns = Math.max(1, size.columns);
  const rows = Math.max(1, size.rows);
  const tooSmall = columns < MIN_COLUMNS || rows < MIN_ROWS;
  const panelHeight = Math.max(1, rows - 3);
  if (columns >= WIDE_COLUMNS) {
    const leftWidth = Math.floor((columns - 1) * 0.5);
    const body = rows - 2 - 2;
    const treeShare = focus === 'findings' ? 0.45 : 0.68;
    const treeHeight = Math.max(3, Math.round(body * treeShare));
    return { wide: true, tooSmall, width: columns, leftWidth, detailWidth: columns - leftWidth - 1, treeHeight, findingsHeight: Math.max(2, body - treeHeight), detailHeight: Math.max(3, rows - 2 - 1), panelHeight };
  }
  const body = Math.max(6, rows - 2 - 3);
  const [t, d] = SHARES[focus];
  const treeHeight = Math.max(2, Math.round(body * t));
  const detailHeight = Math.max(2, Math.round(body * d));
  const findingsHeight = Math.max(2, body - treeHeight - detailHeight);
  return { wide: false, tooSmall, width: columns, leftWidth: columns, detailWidth: columns, treeHeight, detailHeight, findingsHeight, panelHeight };
}
