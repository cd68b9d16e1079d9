// Keys mean different things in a prompt, a panel and each pane.
import { describe, expect, it } from 'vitest';
import { intentFor } from '../../../src/tui/keys.ts';
import { initialState, reduce, type UiState } from '../../../src/tui/state.ts';
import { NOW, SEED_C, seedReport } from './helpers.tsx';

async function start(): Promise<UiState> {
  return initialState(await seedReport(SEED_C, 'ssl-offload-gateway'), { listView: false, size: { columns: 80, rows: 24 }, now: NOW });
}

describe('intentFor', () => {
  it('maps the documented keys in the tree', async () => {
    const s = await start();
    const k = (input: string, key = {}) => intentFor(s, input, key, 5);
    expect(k('j')).toEqual({ kind: 'action', action: { type: 'move', delta: 1 } });
    expect(k('', { upArrow: true })).toEqual({ kind: 'action', action: { type: 'move', delta: -1 } });
    expect(k('', { rightArrow: true })).toEqual({ kind: 'action', action: { type: 'expand' } });
    expect(k('', { leftArrow: true })).toEqual({ kind: 'action', action: { type: 'collapse' } });
    expect(k('', { return: true })).toEqual({ kind: 'action', action: { type: 'toggle' } });
    expect(k('', { tab: true })).toEqual({ kind: 'action', action: { type: 'cycleFocus', dir: 1 } });
    expect(k('', { tab: true, shift: true })).toEqual({ kind: 'action', action: { type: 'cycleFocus', dir: -1 } });
    expect(k('/')).toEqual({ kind: 'action', action: { type: 'prompt', prompt: { kind: 'search', text: '' } } });
    expect(k('e')).toEqual({ kind: 'action', action: { type: 'errorsOnly' } });
    expect(k('?')).toEqual({ kind: 'action', action: { type: 'overlay', overlay: { kind: 'help', scroll: 0 } } });
    expect(['f', 'p', 'a', 'w', 'r', 'q'].map((c) => k(c).kind)).toEqual(['fixes', 'probe', 'apply', 'toggleWatch', 'reload', 'quit']);
    expect(k('x').kind).toBe('none');
  });

  it('enter on a finding jumps; keys scroll the detail pane', async () => {
    const s = await start();
    expect(intentFor(reduce(s, { type: 'focus', focus: 'findings' }), '', { return: true }, 5)).toEqual({ kind: 'action', action: { type: 'jump' } });
    const d = reduce(s, { type: 'focus', focus: 'detail' });
    expect(intentFor(d, 'j', {}, 5)).toEqual({ kind: 'scroll', delta: 1 });
    expect(intentFor(d, '', { pageDown: true }, 5)).toEqual({ kind: 'scroll', delta: 5 });
  });

  it('types into a prompt, where q is a letter', async () => {
    const s = reduce(await start(), { type: 'prompt', prompt: { kind: 'search', text: 'ab' } });
    expect(intentFor(s, 'q', {}, 5)).toEqual({ kind: 'action', action: { type: 'prompt', prompt: { kind: 'search', text: 'abq' } } });
    expect(intentFor(s, '', { backspace: true }, 5)).toEqual({ kind: 'action', action: { type: 'prompt', prompt: { kind: 'search', text: 'a' } } });
    expect(intentFor(s, '', { return: true }, 5)).toEqual({ kind: 'submitPrompt' });
    expect(intentFor(s, '', { escape: true }, 5)).toEqual({ kind: 'action', action: { type: 'prompt', prompt: null } });
  });

  it('asks for y before applying, and esc cancels', async () => {
    const s = reduce(await start(), { type: 'overlay', overlay: { kind: 'apply', findings: [], phase: 'confirm', scroll: 0, withSuggestions: false } });
    expect(intentFor(s, 'y', {}, 5)).toEqual({ kind: 'confirmApply' });
    expect(intentFor(s, 'n', {}, 5)).toEqual({ kind: 'action', action: { type: 'overlay', overlay: null } });
    const planning = reduce(s, { type: 'overlay', overlay: { kind: 'apply', findings: [], phase: 'planning', scroll: 0, withSuggestions: false } });
    expect(intentFor(planning, 'y', {}, 5).kind).toBe('none');
  });

  it('asks for a typed word, not a key, when the plan holds suggestions the user picked', async () => {
    const s = reduce(await start(), { type: 'overlay', overlay: { kind: 'apply', findings: [], phase: 'confirm', scroll: 0, withSuggestions: true } });
    expect(intentFor(s, 'y', {}, 5)).toEqual({ kind: 'action', action: { type: 'prompt', prompt: { kind: 'confirm', text: '', word: 'apply' } } });
    const fixes = reduce(await start(), { type: 'overlay', overlay: { kind: 'fixes', findings: [], scroll: 0 } });
    expect(intentFor(fixes, 'A', {}, 5)).toEqual({ kind: 'applySuggestions' });
  });

  it('offers save and apply from the fix preview', async () => {
    const s = reduce(await start(), { type: 'overlay', overlay: { kind: 'fixes', findings: [], scroll: 0 } });
    expect(intentFor(s, 's', {}, 5)).toEqual({ kind: 'savePrompt' });
    expect(intentFor(s, 'a', {}, 5)).toEqual({ kind: 'apply' });
    expect(intentFor(s, 'j', {}, 5)).toEqual({ kind: 'scroll', delta: 1 });
  });
});
