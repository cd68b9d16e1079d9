// One laid-out line: styled segments, never wrapped by the terminal (the layout already fits it).
import { Text } from 'ink';
import { memo } from 'react';
import type { Line } from '../lines.ts';
import { toneColor, useTheme } from '../theme.ts';

export const LineView = memo(function LineView({ line }: { line: Line }) {
  const theme = useTheme();
  if (line.length === 0) return <Text> </Text>;
  return (
    <Text wrap="truncate-end">
      {line.map((s, i) => {
        const color = toneColor(s.tone, theme);
        return (
          <Text key={i} {...(color ? { color } : {})} bold={s.bold === true} inverse={s.inverse === true}>
            {s.text}
          </Text>
        );
      })}
    </Text>
  );
});

/** Exactly `height` rows: the lines from `offset`, then blank rows. */
export function LinesView({ lines, height, offset = 0 }: { lines: Line[]; height: number; offset?: number }) {
  const shown = lines.slice(offset, offset + height);
  const out = shown.map((l, i) => <LineView key={i} line={l} />);
  for (let i = shown.length; i < height; i++) out.push(<Text key={`blank-${i}`}> </Text>);
  return <>{out}</>;
}
