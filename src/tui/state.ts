// The UI's state and every change to it, as a pure reducer. Side effects (reload, probe, apply, write) live in the
// App; they report back through actions. The selection is a node key, so it survives reloads.
import type { AppliedChange } from '../fixes/apply.ts';
import type { ReadyPlan } from '../fixes/flow.ts';
import type { Finding, InspectReport } from '../report/types.ts';
import { layout, type Focus, type Size } from './layout.ts';
import type { Tone } from './lines.ts';
import type { ProbeState } from './panels.ts';
import { ancestorKeys, initialExpanded, initialSelection, TreeModel, type Row, type TreeNode } from './tree.ts';

export type { Focus } from './layout.ts';

export type ApplyPhase = 'planning' | 'confirm' | 'applying' | 'done' | 'failed';

export type Overlay =
  | { kind: 'help'; scroll: number }
  | { kind: 'fixes'; findings: Finding[]; scroll: number }
  | {
      kind: 'apply';
      findings: Finding[];
      phase: ApplyPhase;
      scroll: number;
      /** Suggestions the user picked are in the plan: confirmation is a typed word, not a key. */
      withSuggestions: boolean;
      ready?: ReadyPlan;
      results?: AppliedChange[];
      error?: string;
      before?: InspectReport['summary'];
      after?: InspectReport['summary'];
    };

export type Prompt = { kind: 'search'; text: string } | { kind: 'save'; text: string; findings: Finding[] } | { kind: 'confirm'; text: string; word: string };

export interface UiState {
  model: TreeModel;
  expanded: ReadonlySet<string>;
  /** Key of the selected tree node, and its index among the visible rows (kept in step). */
  selected: string | null;
  cursor: number;
  treeTop: number;
  focus: Focus;
  /** What the detail pane shows: the selected node, or the finding under the findings cursor. */
  detailOf: 'node' | 'finding';
  detailScroll: number;
  errorsOnly: boolean;
  findingCursor: number;
  findingTop: number;
  overlay: Overlay | null;
  prompt: Prompt | null;
  search: { query: string; matches: string[]; index: number } | null;
  message: { text: string; tone: Tone } | null;
  watch: boolean;
  busy: string | null;
  updatedAt: Date;
  probes: ReadonlyMap<string, ProbeState>;
  size: Size;
}

export type Action =
  | { type: 'move'; delta: number }
  | { type: 'moveTo'; where: 'top' | 'bottom' }
  | { type: 'page'; dir: 1 | -1 }
  | { type: 'expand' }
  | { type: 'collapse' }
  | { type: 'toggle' }
  | { type: 'focus'; focus: Focus }
  | { type: 'cycleFocus'; dir: 1 | -1 }
  | { type: 'errorsOnly' }
  | { type: 'jump' }
  | { type: 'select'; key: string }
  | { type: 'scroll'; delta: number; max: number }
  | { type: 'resize'; size: Size }
  | { type: 'overlay'; overlay: Overlay | null }
  | { type: 'prompt'; prompt: Prompt | null }
  | { type: 'search'; query: string; matches: string[] }
  | { type: 'searchStep'; dir: 1 | -1 }
  | { type: 'loaded'; report: InspectReport; at: Date; message?: string }
  | { type: 'busy'; what: string | null }
  | { type: 'message'; text: string; tone?: Tone }
  | { type: 'watch'; on: boolean }
  | { type: 'probe'; key: string; probe: ProbeState };

export function initialState(report: InspectReport, opts: { listView: boolean; size: Size; now: Date }): UiState {
  const model = new TreeModel(report, { listView: opts.listView });
  const expanded = initialExpanded(model);
  const selected = initialSelection(model, expanded);
  const base: UiState = {
    model,
    expanded,
    selected,
    cursor: 0,
    treeTop: 0,
    focus: 'tree',
    detailOf: 'node',
    detailScroll: 0,
    errorsOnly: false,
    findingCursor: 0,
    findingTop: 0,
    overlay: null,
    prompt: null,
    search: null,
    message: null,
    watch: false,
    busy: null,
    updatedAt: opts.now,
    probes: new Map(),
    size: opts.size,
  };
  return settle(base);
}

// ---- derived ----------------------------------------------------------------------------------------------------

export function rows(s: UiState): Row[] {
  return s.model.visible(s.expanded);
}

export function selectedNode(s: UiState): TreeNode | undefined {
  const r = rows(s)[s.cursor];
  return r && r.node.key === s.selected ? r.node : s.selected ? s.model.node(s.selected) : undefined;
}

const findingsCache = new WeakMap<TreeModel, { all: Finding[]; errors: Finding[] }>();

export function visibleFindings(s: UiState): Finding[] {
  let c = findingsCache.get(s.model);
  if (!c) {
    c = { all: s.model.report.findings, errors: s.model.report.findings.filter((f) => f.severity === 'error') };
    findingsCache.set(s.model, c);
  }
  return s.errorsOnly ? c.errors : c.all;
}

export function selectedFinding(s: UiState): Finding | undefined {
  return visibleFindings(s)[s.findingCursor];
}

/** The findings `f` and `a` act on: the finding under the cursor, or those of the selected node that have fixes. */
export function currentFindings(s: UiState): Finding[] {
  if (s.focus === 'findings' || (s.focus === 'detail' && s.detailOf === 'finding')) {
    const f = selectedFinding(s);
    return f ? [f] : [];
  }
  const node = selectedNode(s);
  return node ? s.model.findingsFor(node) : [];
}

// ---- helpers ----------------------------------------------------------------------------------------------------

const clamp = (n: number, lo: number, hi: number) => Math.max(lo, Math.min(hi, n));

/** Keeps cursor, selection and scroll offsets consistent with the rows and the pane heights. */
function settle(s: UiState): UiState {
  const list = rows(s);
  let cursor = s.cursor;
  if (list.length === 0) return { ...s, cursor: 0, selected: null, treeTop: 0 };
  if (s.selected === null || list[cursor]?.node.key !== s.selected) {
    const found = s.selected === null ? -1 : list.findIndex((r) => r.node.key === s.selected);
    cursor = found >= 0 ? found : clamp(cursor, 0, list.length - 1);
  }
  const lay = layout(s.size, s.focus);
  const h = lay.treeHeight;
  let top = clamp(s.treeTop, 0, Math.max(0, list.length - h));
  if (cursor < top) top = cursor;
  if (cursor >= top + h) top = cursor - h + 1;
  const fl = visibleFindings(s).length;
  const fc = clamp(s.findingCursor, 0, Math.max(0, fl - 1));
  let ftop = clamp(s.findingTop, 0, Math.max(0, fl - lay.findingsHeight));
  if (fc < ftop) ftop = fc;
  if (fc >= ftop + lay.findingsHeight) ftop = fc - lay.findingsHeight + 1;
  return { ...s, cursor, selected: list[cursor]!.node.key, treeTop: top, findingCursor: fc, findingTop: ftop };
}

function selectKey(s: UiState, key: string): UiState {
  const expanded = new Set(s.expanded);
  let changed = false;
  for (const a of ancestorKeys(key)) {
    if (!expanded.has(a)) {
      expanded.add(a);
      changed = true;
    }
  }
  return settle({ ...s, expanded: changed ? expanded : s.expanded, selected: key, cursor: -1, detailScroll: 0 });
}

function moveTree(s: UiState, to: number): UiState {
  const list = rows(s);
  const cursor = clamp(to, 0, Math.max(0, list.length - 1));
  if (cursor === s.cursor) return s;
  return settle({ ...s, cursor, selected: list[cursor]?.node.key ?? null, detailScroll: 0 });
}

function moveFindings(s: UiState, to: number): UiState {
  const n = visibleFindings(s).length;
  const fc = clamp(to, 0, Math.max(0, n - 1));
  if (fc === s.findingCursor) return s;
  return settle({ ...s, findingCursor: fc, detailOf: 'finding', detailScroll: 0 });
}

function paneHeight(s: UiState): number {
  const lay = layout(s.size, s.focus);
  if (s.overlay) return lay.panelHeight;
  return s.focus === 'tree' ? lay.treeHeight : s.focus === 'findings' ? lay.findingsHeight : lay.detailHeight;
}

/** After a reload: the same node if it still exists, else its nearest surviving ancestor. */
function reselect(s: UiState, model: TreeModel): string | null {
  if (!s.selected) return null;
  if (model.node(s.selected)) return s.selected;
  const up = ancestorKeys(s.selected).reverse();
  for (const k of up) if (model.node(k)) return k;
  return null;
}

// Tab from the tree reaches the detail of the selected node first, then the findings.
const FOCUS_ORDER: Focus[] = ['tree', 'detail', 'findings'];

// ---- the reducer ------------------------------------------------------------------------------------------------

export function reduce(s: UiState, a: Action): UiState {
  switch (a.type) {
    case 'move':
      if (s.overlay) return { ...s, overlay: { ...s.overlay, scroll: Math.max(0, s.overlay.scroll + a.delta) } };
      if (s.focus === 'tree') return moveTree(s, s.cursor + a.delta);
      if (s.focus === 'findings') return moveFindings(s, s.findingCursor + a.delta);
      return { ...s, detailScroll: Math.max(0, s.detailScroll + a.delta) };
    case 'page':
      return reduce(s, { type: 'move', delta: a.dir * Math.max(1, paneHeight(s) - 1) });
    case 'moveTo': {
      const far = a.where === 'top' ? -Infinity : Infinity;
      if (s.overlay) return { ...s, overlay: { ...s.overlay, scroll: a.where === 'top' ? 0 : 1e9 } };
      if (s.focus === 'tree') return moveTree(s, a.where === 'top' ? 0 : rows(s).length - 1);
      if (s.focus === 'findings') return moveFindings(s, a.where === 'top' ? 0 : visibleFindings(s).length - 1);
      return { ...s, detailScroll: far < 0 ? 0 : 1e9 };
    }
    case 'scroll':
      if (s.overlay) return { ...s, overlay: { ...s.overlay, scroll: clamp(Math.min(s.overlay.scroll, a.max) + a.delta, 0, a.max) } };
      return { ...s, detailScroll: clamp(Math.min(s.detailScroll, a.max) + a.delta, 0, a.max) };
    case 'expand': {
      const node = selectedNode(s);
      if (!node?.expandable) return s;
      if (s.expanded.has(node.key)) {
        // Already open: step onto the first child.
        return moveTree(s, s.cursor + 1);
      }
      const expanded = new Set(s.expanded);
      expanded.add(node.key);
      return settle({ ...s, expanded });
    }
    case 'collapse': {
      const node = selectedNode(s);
      if (!node) return s;
      if (node.expandable && s.expanded.has(node.key)) {
        const expanded = new Set(s.expanded);
        expanded.delete(node.key);
        return settle({ ...s, expanded });
      }
      const parent = ancestorKeys(node.key).at(-1);
      return parent && s.model.node(parent) ? selectKey(s, parent) : s;
    }
    case 'toggle': {
      const node = selectedNode(s);
      if (!node) return s;
      if (!node.expandable) return { ...s, focus: 'detail', detailOf: 'node' };
      return reduce(s, { type: s.expanded.has(node.key) ? 'collapse' : 'expand' });
    }
    case 'focus':
      return settle({ ...s, focus: a.focus, detailOf: a.focus === 'tree' ? 'node' : a.focus === 'findings' ? 'finding' : s.detailOf, detailScroll: a.focus === 'detail' ? s.detailScroll : 0 });
    case 'cycleFocus': {
      const i = FOCUS_ORDER.indexOf(s.focus);
      return reduce(s, { type: 'focus', focus: FOCUS_ORDER[(i + a.dir + FOCUS_ORDER.length) % FOCUS_ORDER.length]! });
    }
    case 'errorsOnly': {
      const keep = selectedFinding(s);
      const next = { ...s, errorsOnly: !s.errorsOnly };
      const idx = keep ? visibleFindings(next).indexOf(keep) : -1;
      return settle({ ...next, findingCursor: idx >= 0 ? idx : 0, message: { text: next.errorsOnly ? `findings: errors only (${visibleFindings(next).length})` : `findings: all (${visibleFindings(next).length})`, tone: 'info' } });
    }
    case 'jump': {
      const f = selectedFinding(s);
      if (!f) return s;
      const key = s.model.locate(f);
      const obj = `${f.object.kind} ${f.object.namespace ? `${f.object.namespace}/` : ''}${f.object.name}`;
      if (!key) return { ...s, focus: 'detail', detailOf: 'finding', detailScroll: 0, message: { text: `not in the tree: ${obj}; the detail pane shows the finding`, tone: 'warn' } };
      const node = s.model.node(key);
      const exact = node?.objects.some((o) => o.kind === f.object.kind && o.name === f.object.name);
      return { ...selectKey({ ...s, focus: 'tree', detailOf: 'node' }, key), message: { text: exact ? `${f.code}: ${obj}` : `${f.code}: ${obj} is not a node of the tree; showing where it applies`, tone: 'info' } };
    }
    case 'select':
      return selectKey(s, a.key);
    case 'resize':
      return settle({ ...s, size: a.size });
    case 'overlay':
      return { ...s, overlay: a.overlay };
    case 'prompt':
      return { ...s, prompt: a.prompt };
    case 'search': {
      if (a.matches.length === 0) return { ...s, prompt: null, search: null, message: { text: `no match for "${a.query}"`, tone: 'warn' } };
      // Start at the first match at or after the cursor, in tree order.
      const order = new Map(rows(s).map((r, i) => [r.node.key, i]));
      let index = a.matches.findIndex((k) => (order.get(k) ?? Infinity) >= s.cursor && k !== s.selected);
      if (index < 0) index = 0;
      const next = { ...s, prompt: null, focus: 'tree' as const, detailOf: 'node' as const, search: { query: a.query, matches: a.matches, index } };
      return { ...selectKey(next, a.matches[index]!), message: { text: `"${a.query}": match ${index + 1} of ${a.matches.length}${a.matches.length >= 5000 ? '+' : ''} (n: next, N: previous)`, tone: 'info' } };
    }
    case 'searchStep': {
      if (!s.search) return { ...s, message: { text: 'no search yet: press / to search', tone: 'dim' } };
      const n = s.search.matches.length;
      const index = (s.search.index + a.dir + n) % n;
      const next = { ...s, search: { ...s.search, index }, focus: 'tree' as const, detailOf: 'node' as const };
      return { ...selectKey(next, s.search.matches[index]!), message: { text: `"${s.search.query}": match ${index + 1} of ${n}`, tone: 'info' } };
    }
    case 'loaded': {
      const model = new TreeModel(a.report, { listView: s.model.listView });
      const key = reselect(s, model);
      const keep = selectedFinding(s);
      let next: UiState = { ...s, model, updatedAt: a.at, busy: null, search: null, probes: s.probes };
      const fi = keep ? visibleFindings(next).findIndex((f) => f.code === keep.code && f.object.name === keep.object.name && f.object.kind === keep.object.kind) : -1;
      next = { ...next, findingCursor: fi >= 0 ? fi : s.findingCursor };
      if (a.message) next.message = { text: a.message, tone: 'info' };
      return key ? selectKey(next, key) : settle({ ...next, selected: null });
    }
    case 'busy':
      return { ...s, busy: a.what };
    case 'message':
      return { ...s, message: { text: a.text, tone: a.tone ?? 'info' } };
    case 'watch':
      return { ...s, watch: a.on, message: { text: a.on ? 'watching: reloads on a timer (w to stop)' : 'watch off', tone: 'info' } };
    case 'probe': {
      const probes = new Map(s.probes);
      probes.set(a.key, a.probe);
      return { ...s, probes, detailScroll: s.selected === a.key ? 0 : s.detailScroll };
    }
  }
}
