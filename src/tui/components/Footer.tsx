// The bottom row: a prompt being typed, else the last message, else the key hints.
import { memo } from 'react';
import { clip, seg, type Line, type Tone } from '../lines.ts';
import { hintLine } from '../rowlines.ts';
import type { Prompt } from '../state.ts';
import { LineView } from './LineView.tsx';

export interface FooterProps {
  prompt: Prompt | null;
  message: { text: string; tone: Tone } | null;
  width: number;
}

export function footerLine({ prompt, message, width }: FooterProps): Line {
  if (prompt) {
    const label = prompt.kind === 'search' ? 'search: ' : 'save fixes to: ';
    const hint = prompt.kind === 'search' ? '  (enter: find, esc: cancel)' : '  (enter: write, esc: cancel)';
    // The text being typed comes first; the hint shows only when both fit.
    const withHint = label.length + prompt.text.length + 1 + hint.length <= width;
    const room = Math.max(4, width - label.length - 1);
    const text = prompt.text.length > room ? `…${prompt.text.slice(-(room - 1))}` : prompt.text;
    return clip([seg(label, 'accent', true), seg(text), seg('█', 'accent'), ...(withHint ? [seg(hint, 'dim')] : [])], width);
  }
  if (message?.text) return clip([seg(message.text, message.tone)], width);
  return hintLine(width);
}

export const Footer = memo(function Footer(props: FooterProps) {
  return <LineView line={footerLine(props)} />;
});
