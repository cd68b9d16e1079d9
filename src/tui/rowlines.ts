// The one-line renderings: tree rows, finding rows, pane titles, header and footer. Pure and cached: moving the
// cursor re-renders two rows, not the pane.
import type { Finding, InspectReport } from '../report/types.ts';
import { clip, pad, seg, truncate, type Line, type Tone } from './lines.ts';
import type { Row, TreeModel } from './tree.ts';
import * as w from './words.ts';

const rowCache = new WeakMap<TreeModel, Map<string, Line>>();

function cacheFor(model: TreeModel): Map<string, Line> {
  let c = rowCache.get(model);
  if (!c) {
    c = new Map();
    rowCache.set(model, c);
  }
  return c;
}

function badge(counts: { errors: number; warnings: number }): Array<[string, Tone]> {
  const out: Array<[string, Tone]> = [];
  if (counts.errors) out.push([`${counts.errors} error${counts.errors === 1 ? '' : 's'}`, 'bad']);
  if (counts.warnings) out.push([`${counts.warnings} warning${counts.warnings === 1 ? '' : 's'}`, 'warn']);
  return out;
}

/** `› ▾ listener https  HTTPS :443 ……  BROKEN  3 errors`: the label is cut, never the status. */
export function treeRowLine(model: TreeModel, row: Row, width: number, selected: boolean, focused = true): Line {
  const cache = cacheFor(model);
  const ck = `${row.node.key}\u0000${width}\u0000${selected ? (focused ? 2 : 1) : 0}\u0000${row.expanded ? 1 : 0}`;
  const hit = cache.get(ck);
  if (hit) return hit;
  const n = row.node;
  const glyph = n.expandable ? (row.expanded ? '▾ ' : '▸ ') : '  ';
  const left = `${selected ? '›' : ' '}${'  '.repeat(n.depth)}${glyph}`;
  const badges = width >= 60 ? badge(model.counts(n)) : [];
  const right: Line = [seg(n.status.word, n.status.tone, true)];
  for (const [text, tone] of badges) right.push(seg('  '), seg(text, tone));
  let rightWidth = right.reduce((a, s) => a + s.text.length, 0);
  if (rightWidth > width - left.length - 8) {
    right.splice(1);
    rightWidth = n.status.word.length;
  }
  const room = Math.max(1, width - left.length - rightWidth - 2);
  const label = truncate(n.label, room);
  let line: Line = [seg(left + label), seg(' '.repeat(Math.max(2, width - left.length - label.length - rightWidth))), ...right];
  line = clip(line, width);
  if (selected && focused) line = pad(line, width).map((s) => ({ ...s, inverse: true }));
  cache.set(ck, line);
  return line;
}

const findingCache = new WeakMap<Finding, Map<string, Line>>();

export function findingRowLine(f: Finding, width: number, selected: boolean): Line {
  let c = findingCache.get(f);
  if (!c) {
    c = new Map();
    findingCache.set(f, c);
  }
  const ck = `${width}\u0000${selected ? 1 : 0}`;
  const hit = c.get(ck);
  if (hit) return hit;
  const obj = `${f.object.kind} ${f.object.namespace ? `${f.object.namespace}/` : ''}${f.object.name}`;
  let line: Line = [seg(selected ? '›' : ' '), seg(w.SEVERITY_WORDS[f.severity].padEnd(8), w.SEVERITY_TONES[f.severity], true), seg(f.code.padEnd(16), 'info'), seg(`${obj}  `), seg(f.title, 'dim')];
  line = clip(line, width);
  if (selected) line = pad(line, width).map((s) => ({ ...s, inverse: true }));
  c.set(ck, line);
  return line;
}

/** A pane's title row: which pane, whether it has the keyboard, and a note on the right. */
export function paneTitleLine(title: string, focused: boolean, note: string, width: number): Line {
  const head = focused ? `▶ ${title} ` : `─ ${title} `;
  const tail = note ? ` ${note} ─` : '─';
  const fill = Math.max(1, width - head.length - tail.length);
  return clip([seg(head, focused ? 'accent' : 'dim', focused), seg('─'.repeat(fill), 'dim'), seg(tail, 'dim')], width);
}

export function headerLine(report: InspectReport, opts: { gatewayName?: string; width: number; watch: boolean; watchSeconds: number; busy: string | null; updatedAt: Date }): Line {
  const gws = report.gateways;
  const one = opts.gatewayName && gws.length === 1 ? gws[0] : undefined;
  const left: Line = [seg('gwtls ', 'accent', true)];
  if (one) {
    const st = w.gatewayStatus(one);
    left.push(seg(`${one.namespace}/${one.name} `, undefined, true), seg(st.word, st.tone, true));
  } else {
    const broken = gws.filter((g) => (g.state ? g.state === 'BROKEN' : g.ok === false)).length;
    left.push(seg(`${gws.length} Gateway${gws.length === 1 ? '' : 's'}`, undefined, true));
    if (broken) left.push(seg(`, ${broken} BROKEN`, 'bad', true));
  }
  const { errors, warnings, info } = report.summary;
  const counts = w.countWords({ errors, warnings, info }) || 'no findings';
  const time = opts.updatedAt.toTimeString().slice(0, 8);
  const status = opts.busy ?? (opts.watch ? `watching ${time}` : `updated ${time}`);
  const src = report.source.type === 'cluster' ? (report.source.context ?? 'cluster') : 'files';
  const countSeg = seg(counts, errors ? 'bad' : warnings ? 'warn' : 'ok');
  const statusSeg = seg(status, opts.busy ? 'info' : opts.watch ? 'accent' : 'dim');
  // Most to least informative; the first that fits wins.
  const candidates: Array<[Line, Line]> = [
    [left, [countSeg, seg(` · ${src} · `, 'dim'), statusSeg]],
    [left, [countSeg, seg(' · ', 'dim'), statusSeg]],
    [left.slice(1), [countSeg, seg(' · ', 'dim'), statusSeg]],
    [left.slice(1), [countSeg, seg(' · ', 'dim'), seg(opts.busy ?? (opts.watch ? `watch ${time}` : time), statusSeg.tone)]],
  ];
  for (const [l, r] of candidates) {
    const lw = l.reduce((a, s) => a + s.text.length, 0);
    const rw = r.reduce((a, s) => a + s.text.length, 0);
    if (lw + rw + 2 <= opts.width) return [...l, seg(' '.repeat(opts.width - lw - rw)), ...r];
  }
  return clip([...left.slice(1), seg('  '), countSeg, seg(' · ', 'dim'), statusSeg], opts.width);
}

// At 80 columns the action keys fit; movement keys join them on wider terminals (and ? lists them all).
const MOVE_HINTS: Array<[string, string]> = [
  ['↑↓←→', 'move'],
  ['⏎', 'open'],
  ['tab', 'pane'],
];
const ACTION_HINTS: Array<[string, string]> = [
  ['f', 'fix'],
  ['a', 'apply'],
  ['p', 'probe'],
  ['e', 'errors'],
  ['/', 'find'],
  ['w', 'watch'],
  ['r', 'reload'],
];
const TAIL: Array<[string, string]> = [
  ['?', 'help'],
  ['q', 'quit'],
];

const hintWidth = (h: Array<[string, string]>) => h.reduce((a, [k, v]) => a + k.length + 1 + v.length + 2, 0);

/** The key hints that fit: actions first, movement when all actions fit; help and quit always. */
export function hintLine(width: number): Line {
  let room = width - hintWidth(TAIL) + 2;
  const actions: Array<[string, string]> = [];
  for (const h of ACTION_HINTS) {
    if (hintWidth([h]) > room) break;
    actions.push(h);
    room -= hintWidth([h]);
  }
  const moves: Array<[string, string]> = [];
  if (actions.length === ACTION_HINTS.length) {
    for (const h of MOVE_HINTS) {
      if (hintWidth([h]) > room) break;
      moves.push(h);
      room -= hintWidth([h]);
    }
  }
  const out: Line = [];
  for (const [k, v] of [...moves, ...actions, ...TAIL]) out.push(seg(k, 'accent', true), seg(` ${v}  `));
  const last = out.at(-1)!;
  out[out.length - 1] = { ...last, text: last.text.trimEnd() };
  return clip(out, width);
}
