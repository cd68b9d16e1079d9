// The top row: what is shown, its verdict, the counts, where it came from and when.
import { memo } from 'react';
import type { InspectReport } from '../../report/types.ts';
import { headerLine } from '../rowlines.ts';
import { LineView } from './LineView.tsx';

export interface HeaderProps {
  report: InspectReport;
  gatewayName?: string;
  width: number;
  watch: boolean;
  watchSeconds: number;
  busy: string | null;
  updatedAt: Date;
}

export const Header = memo(function Header(props: HeaderProps) {
  return <LineView line={headerLine(props.report, props)} />;
});
