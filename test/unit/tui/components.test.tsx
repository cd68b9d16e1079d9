// Each component on its own, rendered by ink into a fake terminal.
import { render } from 'ink-testing-library';
import { describe, expect, it } from 'vitest';
import { DetailPane } from '../../../src/tui/components/DetailPane.tsx';
import { FindingsPane } from '../../../src/tui/components/FindingsPane.tsx';
import { Footer } from '../../../src/tui/components/Footer.tsx';
import { Header } from '../../../src/tui/components/Header.tsx';
import { LinesView, LineView } from '../../../src/tui/components/LineView.tsx';
import { Panel } from '../../../src/tui/components/Panel.tsx';
import { TreePane } from '../../../src/tui/components/TreePane.tsx';
import { seg, type Line } from '../../../src/tui/lines.ts';
import { ThemeContext } from '../../../src/tui/theme.ts';
import { initialExpanded, TreeModel } from '../../../src/tui/tree.ts';
import { NOW, SEED_C, seedReport, stripAnsi } from './helpers.tsx';

const COLOUR = /\x1b\[(3[0-7]|9[0-7])m/;
const strip = stripAnsi;
const lines = (s: string) => strip(s).split('\n');

async function model() {
  return new TreeModel(await seedReport(SEED_C, 'ssl-offload-gateway'), { listView: false });
}

describe('LineView', () => {
  const line: Line = [seg('BROKEN', 'bad', true), seg(' listener https')];

  it('colours tones when colour is on', () => {
    const r = render(
      <ThemeContext.Provider value={{ color: true }}>
        <LineView line={line} />
      </ThemeContext.Provider>,
    );
    expect(r.lastFrame()).toMatch(/\x1b\[31m/);
    expect(strip(r.lastFrame()!)).toBe('BROKEN listener https');
  });

  it('prints no colour under NO_COLOR, and the word is still there', () => {
    const r = render(
      <ThemeContext.Provider value={{ color: false }}>
        <LineView line={line} />
      </ThemeContext.Provider>,
    );
    expect(r.lastFrame()).not.toMatch(COLOUR);
    expect(strip(r.lastFrame()!)).toBe('BROKEN listener https');
  });

  it('LinesView pads to its height and shows the rows from its offset', () => {
    const r = render(<LinesView lines={[[seg('a')], [seg('b')], [seg('c')]]} height={4} offset={1} />);
    expect(lines(r.lastFrame()!)).toEqual(['b', 'c', '', '']);
  });
});

describe('TreePane', () => {
  it('renders only the rows in view, the cursor row marked', async () => {
    const m = await model();
    const rows = m.visible(initialExpanded(m));
    const r = render(<TreePane model={m} rows={rows} cursor={6} top={3} width={80} height={4} focused={true} />);
    const out = lines(r.lastFrame()!);
    expect(out).toHaveLength(5);
    expect(out[0]).toMatch(/^▶ Tree ─+ 7\/11 ─$/);
    expect(out[1]).toMatch(/^ {7}▸ TLS path {2}client ─plain→ gateway ─plain→ backend +OK$/);
    expect(out[4]).toMatch(/^› {4}▾ listener https {2}HTTPS :443 +BROKEN {2}3 errors {2}1 warning$/);
    for (const l of out) expect(l.length).toBeLessThanOrEqual(80);
  });
});

describe('FindingsPane', () => {
  it('lists findings with severity words and notes the filter', async () => {
    const m = await model();
    const errors = m.report.findings.filter((f) => f.severity === 'error');
    const r = render(<FindingsPane findings={errors} total={5} errorsOnly={true} cursor={2} top={0} width={80} height={3} focused={true} />);
    const out = lines(r.lastFrame()!);
    expect(out[0]).toContain('errors only, 3 of 5 · e: all');
    expect(out[3]).toMatch(/^›ERROR {3}GWTLS-RT-003 {4}TCPRoute default\/backend-ssl-offload/);
  });

  it('says when there is nothing to list', () => {
    const r = render(<FindingsPane findings={[]} total={2} errorsOnly={true} cursor={0} top={0} width={60} height={2} focused={false} />);
    expect(strip(r.lastFrame()!)).toContain('no errors (e: show all findings)');
  });
});

describe('DetailPane and Panel', () => {
  const many: Line[] = Array.from({ length: 10 }, (_, i) => [seg(`line ${i}`)]);

  it('scrolls, clamps, and says how much is below', () => {
    const r = render(<DetailPane title="Detail: x" lines={many} scroll={2} width={40} height={3} focused={false} />);
    const out = lines(r.lastFrame()!);
    expect(out[0]).toMatch(/^─ Detail: x ─+ 5 more ↓ \(tab\) ─$/);
    expect(out.slice(1)).toEqual(['line 2', 'line 3', 'line 4']);
    const end = render(<DetailPane title="Detail: x" lines={many} scroll={99} width={40} height={3} focused={true} />);
    expect(lines(end.lastFrame()!).slice(1)).toEqual(['line 7', 'line 8', 'line 9']);
  });

  it('Panel keeps its footer row under the scrolled lines', () => {
    const r = render(<Panel title="Apply" lines={many} scroll={0} width={40} height={4} footer={[seg('y apply  n cancel')]} />);
    expect(lines(r.lastFrame()!)).toEqual([expect.stringMatching(/^▶ Apply ─+ 7 more ↓ \(j\/k\) ─$/), 'line 0', 'line 1', 'line 2', 'y apply  n cancel']);
  });
});

describe('Header and Footer', () => {
  it('shows the Gateway, its verdict, the counts and when it was updated', async () => {
    const m = await model();
    const r = render(<Header report={m.report} gatewayName="ssl-offload-gateway" width={80} watch={false} watchSeconds={3} busy={null} updatedAt={NOW} />);
    const out = strip(r.lastFrame()!);
    // At 80 columns the source and the brand give way to what matters.
    expect(out).toMatch(/^default\/ssl-offload-gateway BROKEN +3 errors, 2 warnings · updated \d\d:\d\d:\d\d$/);
    expect(out.length).toBe(80);
    const watching = render(<Header report={m.report} width={100} watch={true} watchSeconds={3} busy={null} updatedAt={NOW} />);
    expect(strip(watching.lastFrame()!)).toMatch(/1 Gateway, 1 BROKEN .* · files · watching \d\d:\d\d:\d\d$/);
  });

  it('shows a prompt, else a message, else the key hints (always with help and quit)', () => {
    const prompt = render(<Footer prompt={{ kind: 'search', text: 'tcp' }} message={null} width={80} />);
    expect(strip(prompt.lastFrame()!)).toBe('search: tcp█  (enter: find, esc: cancel)');
    const msg = render(<Footer prompt={null} message={{ text: 'wrote /tmp/x.yaml', tone: 'ok' }} width={80} />);
    expect(strip(msg.lastFrame()!)).toBe('wrote /tmp/x.yaml');
    const hints = render(<Footer prompt={null} message={null} width={80} />);
    expect(strip(hints.lastFrame()!)).toBe('f fix  a apply  p probe  e errors  / find  w watch  r reload  ? help  q quit');
    const narrow = render(<Footer prompt={null} message={null} width={40} />);
    expect(strip(narrow.lastFrame()!)).toBe('f fix  a apply  p probe  ? help  q quit');
    const tiny = render(<Footer prompt={null} message={null} width={16} />);
    expect(strip(tiny.lastFrame()!)).toBe('? help  q quit');
  });
});
