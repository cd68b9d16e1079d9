// Lines for the panels that come and go: fix preview, the apply plan, probe results, help.
import type { AppliedChange } from '../fixes/apply.ts';
import type { ReadyPlan } from '../fixes/flow.ts';
import { planLines as renderPlanLines } from '../fixes/render.ts';
import { renderProbeText } from '../probe/render.ts';
import type { ProbeReport } from '../probe/types.ts';
import type { Finding } from '../report/types.ts';
import { clipAll, fitPreformatted, seg, wrapAfter, wrapLine, wrapText, type Line } from './lines.ts';
import * as w from './words.ts';

export type ProbeState =
  | { status: 'running'; target: string }
  | { status: 'done'; target: string; reports: ProbeReport[] }
  | { status: 'failed'; target: string; error: string };

const yamlTone = (l: string) => (/^\s*#/.test(l) ? ('dim' as const) : l === '---' ? ('accent' as const) : undefined);
const diffTone = (l: string) => (/^\s*\+/.test(l) ? ('ok' as const) : /^\s*-/.test(l) ? ('bad' as const) : /^\s*@@/.test(l) ? ('info' as const) : undefined);

export function fixPreviewLines(findings: Finding[], width: number, canApply: boolean): Line[] {
  const out: Line[] = [];
  for (const f of findings) {
    const obj = `${f.object.kind} ${f.object.namespace ? `${f.object.namespace}/` : ''}${f.object.name}`;
    out.push(...wrapAfter([seg(w.SEVERITY_WORDS[f.severity], w.SEVERITY_TONES[f.severity], true), seg(` ${f.code} `, 'info')], obj, width, '  '));
    out.push(...wrapLine(f.title, width, { first: '  ' }));
    if (f.fixes.length === 0) out.push([seg('  no fix offered for this finding', 'dim')]);
    for (const fix of f.fixes) {
      const word = fix.type === 'fix' ? 'fix' : fix.widensAccess ? 'SUGGESTION (widens access; A applies it after you confirm)' : fix.gaps?.length ? 'SUGGESTION (needs a value only you know)' : 'SUGGESTION (not applied without you; A after confirming)';
      out.push([]);
      out.push(...wrapText(`${word}: ${fix.title}`, width, '  ', '    ').map((t, i) => (i === 0 ? [seg('  '), seg(word, fix.type === 'fix' ? 'ok' : 'warn', true), seg(t.slice(2 + word.length))] : [seg(t)])));
      if (fix.note) out.push(...wrapLine(fix.note, width, { first: '  note: ', rest: '        ', tone: 'dim' }));
      out.push(...fitPreformatted(fix.yaml.trimEnd().split('\n').map((l) => `    ${l}`).join('\n'), width, yamlTone));
    }
    out.push([]);
  }
  const keys: Line = [seg('s', 'accent', true), seg(' save to a file  ')];
  if (canApply && findings.some((f) => f.fixes.some((x) => x.type === 'fix'))) keys.push(seg('a', 'accent', true), seg(' apply (dry run first)  '));
  if (canApply && findings.some((f) => f.fixes.some((x) => x.type === 'suggestion' && !x.gaps?.length))) keys.push(seg('A', 'accent', true), seg(' with suggestions  '));
  keys.push(seg('esc', 'accent', true), seg(' close'));
  out.push(keys);
  return clipAll(out, width);
}

/** The fix plan as `--apply` prints it (src/fixes/render.ts), toned for the screen. */
export function planLines(ready: ReadyPlan, width: number): Line[] {
  const text = renderPlanLines(ready.plan, ready.outcome, ready.suggestions).join('\n');
  return fitPreformatted(text, width, (l) => (/^(create|change) /.test(l) ? 'accent' : /CANNOT APPLY|REMOVES|^\s+(added)\b/.test(l) ? 'bad' : /^\s+fixed\b/.test(l) ? 'ok' : diffTone(l)));
}

export function resultLines(results: AppliedChange[], width: number): Line[] {
  return results.flatMap((r) => wrapLine(`${r.ok ? 'applied' : 'FAILED'} ${r.id}${r.error ? `: ${r.error}` : ''}`, width, { first: '  ', rest: '    ', tone: r.ok ? 'ok' : 'bad' }));
}

export function probeLines(state: ProbeState, width: number): Line[] {
  const head: Line = [seg(`Probe ${state.target}`, 'accent', true)];
  if (state.status === 'running') return [head, [seg('  probing…', 'info')], []];
  if (state.status === 'failed') return [head, ...wrapLine(`probe FAILED: ${state.error}`, width, { first: '  ', rest: '  ', tone: 'bad' }), []];
  if (state.reports.length === 0) return [head, [seg('  nothing to probe: no address or hostname', 'dim')], []];
  const text = renderProbeText(state.reports);
  return [
    head,
    ...fitPreformatted(text, width, (l) => {
      if (/^\s+result\s+OK/.test(l)) return 'ok';
      if (/^\s+result\s+(FAILED|ERROR)/.test(l) || /NOT trusted|does NOT match/.test(l)) return 'bad';
      return undefined;
    }),
    [seg('  p', 'accent', true), seg(' probe again')],
    [],
  ];
}

export const HELP: Array<[string, string]> = [
  ['↑ ↓  j k', 'move (PgUp/PgDn, g/G: page, top, bottom)'],
  ['← →  h l', 'collapse / expand (left on a leaf: go to parent)'],
  ['enter', 'expand or collapse; on a finding: jump to its object'],
  ['tab', 'next pane: tree, detail, findings (shift-tab: back)'],
  ['/', 'search the tree (n / N: next / previous match)'],
  ['e', 'findings: errors only / all'],
  ['f', 'fix preview of the selected finding (s: save to a file)'],
  ['a', 'apply the safe fixes: one plan, server dry run, diff, then confirm'],
  ['A', 'fix preview: apply with its suggestions (confirm by typing a word)'],
  ['p', 'probe the selected listener or backend'],
  ['w', 'watch: reload every few seconds (toggle)'],
  ['r', 'refresh now'],
  ['esc', 'close a panel, cancel a prompt'],
  ['?', 'this help'],
  ['q', 'quit'],
];

export function helpLines(width: number, watchSeconds: number): Line[] {
  const out: Line[] = [[seg('Keys', 'accent', true)]];
  for (const [k, v] of HELP) out.push(...wrapText(v.replace('every few seconds', `every ${watchSeconds} s`), width, `  ${k.padEnd(12)}`, ' '.repeat(14)).map((t, i) => (i === 0 ? [seg(t.slice(0, 14), 'accent', true), seg(t.slice(14))] : [seg(t)])));
  out.push([]);
  out.push(...wrapLine('Every state is written in words (OK, BROKEN, NOT ATTACHED, UNVERIFIED); colour only repeats it, and NO_COLOR turns it off.', width, { tone: 'dim' }));
  out.push(...wrapLine('Fixes are YAML for kubectl apply --server-side. Suggestions (they widen access, trade away safety or change another namespace) are applied only when you pick them with A and type the word asked.', width, { tone: 'dim' }));
  out.push([], [seg('esc', 'accent', true), seg(' or '), seg('?', 'accent', true), seg(' close')]);
  return out;
}
