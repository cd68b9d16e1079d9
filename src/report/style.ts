// Colour is decoration only: every state also has a word. Off unless the stream is a terminal, and off
// whenever NO_COLOR is set (https://no-color.org); FORCE_COLOR turns it on.
import { styleText } from 'node:util';

export interface Style {
  ok(s: string): string;
  bad(s: string): string;
  warn(s: string): string;
  dim(s: string): string;
  bold(s: string): string;
  enabled: boolean;
}

export function colorEnabled(stream: NodeJS.WriteStream = process.stdout, env: NodeJS.ProcessEnv = process.env): boolean {
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  if (env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== '0') return true;
  return stream.isTTY === true && env.TERM !== 'dumb';
}

export function makeStyle(enabled: boolean): Style {
  const wrap = (fmt: Parameters<typeof styleText>[0]) => (s: string) => (enabled ? styleText(fmt, s, { validateStream: false }) : s);
  return { ok: wrap('green'), bad: wrap(['red', 'bold']), warn: wrap('yellow'), dim: wrap('dim'), bold: wrap('bold'), enabled };
}

export const plain = makeStyle(false);
