// Tones to terminal colours. Under NO_COLOR (or when stdout is not a colour terminal) nothing is coloured: the
// words carry every state, and only bold and inverse video (not colours) remain.
import { createContext, useContext } from 'react';
import type { Tone } from './lines.ts';

export interface Theme {
  color: boolean;
}

export const ThemeContext = createContext<Theme>({ color: false });

export const useTheme = (): Theme => useContext(ThemeContext);

const COLORS: Record<Tone, string | undefined> = {
  ok: 'green',
  bad: 'red',
  warn: 'yellow',
  dim: 'gray',
  info: 'cyan',
  accent: 'cyan',
  plain: undefined,
};

export function toneColor(tone: Tone | undefined, theme: Theme): string | undefined {
  if (!theme.color || !tone) return undefined;
  return COLORS[tone];
}
