// Keys to intents, as a pure function of the state: what a key means depends on the prompt, the panel and the
// pane that has the keyboard. The App carries intents out (the reducer, or an effect such as reload or probe).
import type { Action, UiState } from './state.ts';

/** The parts of ink's Key this UI reads. */
export interface KeyLike {
  upArrow?: boolean;
  downArrow?: boolean;
  leftArrow?: boolean;
  rightArrow?: boolean;
  pageUp?: boolean;
  pageDown?: boolean;
  home?: boolean;
  end?: boolean;
  return?: boolean;
  escape?: boolean;
  tab?: boolean;
  shift?: boolean;
  ctrl?: boolean;
  meta?: boolean;
  backspace?: boolean;
  delete?: boolean;
}

export type Intent =
  | { kind: 'action'; action: Action }
  /** Scroll the detail pane or the open panel (the App knows how far it can go). */
  | { kind: 'scroll'; delta: number }
  | { kind: 'quit' }
  /** Ctrl-C: quit, and exit 130 as an interrupted command does. */
  | { kind: 'interrupt' }
  | { kind: 'reload' }
  | { kind: 'toggleWatch' }
  | { kind: 'probe' }
  | { kind: 'fixes' }
  | { kind: 'apply' }
  | { kind: 'confirmApply' }
  | { kind: 'applySuggestions' }
  | { kind: 'savePrompt' }
  | { kind: 'submitPrompt' }
  | { kind: 'none' };

const act = (action: Action): Intent => ({ kind: 'action', action });

/** The word a person types to apply picked suggestions: `grant` when one widens access, else `apply`. */
export function confirmWord(o: Extract<NonNullable<UiState['overlay']>, { kind: 'apply' }>): string {
  return o.ready?.plan.fixes.some((f) => f.status === 'planned' && f.fix.widensAccess) ? 'grant' : 'apply';
}
const NONE: Intent = { kind: 'none' };

function promptIntent(s: UiState, input: string, key: KeyLike): Intent {
  const p = s.prompt!;
  if (key.escape) return act({ type: 'prompt', prompt: null });
  if (key.return) return { kind: 'submitPrompt' };
  if (key.backspace || key.delete) return act({ type: 'prompt', prompt: { ...p, text: p.text.slice(0, -1) } });
  if (key.ctrl && input === 'u') return act({ type: 'prompt', prompt: { ...p, text: '' } });
  if (key.ctrl || key.meta || key.upArrow || key.downArrow || key.leftArrow || key.rightArrow || key.tab) return NONE;
  // Printable text (a paste arrives as one string).
  const text = input.replace(/[\u0000-\u001f\u007f]/g, '');
  return text ? act({ type: 'prompt', prompt: { ...p, text: p.text + text } }) : NONE;
}

function scrollKeys(input: string, key: KeyLike, page: number): Intent | null {
  if (key.upArrow || input === 'k') return { kind: 'scroll', delta: -1 };
  if (key.downArrow || input === 'j' || input === ' ') return { kind: 'scroll', delta: 1 };
  if (key.pageUp) return { kind: 'scroll', delta: -page };
  if (key.pageDown) return { kind: 'scroll', delta: page };
  if (key.home || input === 'g') return { kind: 'scroll', delta: -1e9 };
  if (key.end || input === 'G') return { kind: 'scroll', delta: 1e9 };
  return null;
}

function overlayIntent(s: UiState, input: string, key: KeyLike, page: number): Intent {
  const o = s.overlay!;
  if (input === 'q') return { kind: 'quit' };
  if (o.kind === 'apply' && o.phase === 'confirm') {
    if (o.withSuggestions && (input === 'y' || input === 'Y')) return act({ type: 'prompt', prompt: { kind: 'confirm', text: '', word: confirmWord(o) } });
    if (input === 'y' || input === 'Y') return { kind: 'confirmApply' };
    if (input === 'n' || input === 'N' || key.escape) return act({ type: 'overlay', overlay: null });
  }
  if (key.escape || (o.kind === 'help' && input === '?') || (o.kind === 'fixes' && input === 'f')) return act({ type: 'overlay', overlay: null });
  if (o.kind === 'fixes' && input === 's') return { kind: 'savePrompt' };
  if (o.kind === 'fixes' && input === 'a') return { kind: 'apply' };
  if (o.kind === 'fixes' && input === 'A') return { kind: 'applySuggestions' };
  if (input === '?') return act({ type: 'overlay', overlay: { kind: 'help', scroll: 0 } });
  return scrollKeys(input, key, page) ?? NONE;
}

export function intentFor(s: UiState, input: string, key: KeyLike, page: number): Intent {
  if (key.ctrl && input === 'c') return { kind: 'interrupt' };
  if (s.prompt) return promptIntent(s, input, key);
  if (s.overlay) return overlayIntent(s, input, key, page);
  if (key.tab) return act({ type: 'cycleFocus', dir: key.shift ? -1 : 1 });
  if (key.escape) return s.focus === 'tree' ? act({ type: 'message', text: '', tone: 'plain' }) : act({ type: 'focus', focus: 'tree' });
  if (s.focus === 'detail') {
    const sk = scrollKeys(input, key, page);
    if (sk) return sk;
  } else {
    if (key.upArrow || input === 'k') return act({ type: 'move', delta: -1 });
    if (key.downArrow || input === 'j') return act({ type: 'move', delta: 1 });
    if (key.pageUp) return act({ type: 'page', dir: -1 });
    if (key.pageDown) return act({ type: 'page', dir: 1 });
    if (key.home || input === 'g') return act({ type: 'moveTo', where: 'top' });
    if (key.end || input === 'G') return act({ type: 'moveTo', where: 'bottom' });
  }
  if (s.focus === 'tree') {
    if (key.rightArrow || input === 'l') return act({ type: 'expand' });
    if (key.leftArrow || input === 'h') return act({ type: 'collapse' });
    if (key.return) return act({ type: 'toggle' });
  }
  if (s.focus === 'findings' && (key.return || key.rightArrow)) return act({ type: 'jump' });
  if (s.focus === 'detail' && key.leftArrow) return act({ type: 'focus', focus: 'tree' });
  switch (input) {
    case 'q':
      return { kind: 'quit' };
    case '?':
      return act({ type: 'overlay', overlay: { kind: 'help', scroll: 0 } });
    case '/':
      return act({ type: 'prompt', prompt: { kind: 'search', text: '' } });
    case 'n':
      return act({ type: 'searchStep', dir: 1 });
    case 'N':
      return act({ type: 'searchStep', dir: -1 });
    case 'e':
      return act({ type: 'errorsOnly' });
    case 'f':
      return { kind: 'fixes' };
    case 'a':
      return { kind: 'apply' };
    case 'p':
      return { kind: 'probe' };
    case 'w':
      return { kind: 'toggleWatch' };
    case 'r':
      return { kind: 'reload' };
    default:
      return NONE;
  }
}

/** One key of a burst: text typed or pasted, or Enter. */
export interface BurstKey {
  input: string;
  key: KeyLike;
}

/**
 * Input that arrived in one read (a paste, fast typing, a test writing a line) as the keys it stands for: runs of
 * text, and Enter for every line break (CR, LF or CRLF), so that `/name⏎` searches instead of leaving the prompt
 * open with the line break dropped. Null when the input holds no line break (nothing to split) or is an escape
 * sequence (a key ink has already named).
 */
export function burstKeys(input: string): BurstKey[] | null {
  if (input.length < 2 || !/[\r\n]/.test(input) || input.includes('\x1b')) return null;
  const out: BurstKey[] = [];
  for (const part of input.split(/(\r\n|\r|\n)/)) {
    if (part === '') continue;
    if (/^(\r\n|\r|\n)$/.test(part)) out.push({ input: '\r', key: { return: true } });
    else out.push({ input: part, key: {} });
  }
  return out;
}
