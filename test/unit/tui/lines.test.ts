// Layout helpers: every line the UI draws fits its pane.
import { describe, expect, it } from 'vitest';
import { clip, fitPreformatted, lineText, pad, seg, truncate, wrapText } from '../../../src/tui/lines.ts';

describe('lines', () => {
  it('truncates with an ellipsis and clips styled segments', () => {
    expect(truncate('abcdef', 4)).toBe('abc…');
    expect(truncate('abc', 4)).toBe('abc');
    const line = clip([seg('BROKEN', 'bad'), seg(' listener https')], 10);
    expect(lineText(line)).toBe('BROKEN li…');
    expect(line[0]!.tone).toBe('bad');
    expect(lineText(pad([seg('ab')], 5))).toBe('ab   ');
  });

  it('wraps words under an indent and cuts words longer than a line', () => {
    expect(wrapText('one two three four', 10, '- ', '  ')).toEqual(['- one two', '  three', '  four']);
    const long = wrapText(`fingerprint ${'A'.repeat(30)}`, 20);
    for (const l of long) expect(l.length).toBeLessThanOrEqual(20);
    expect(long.join('').replace(/\s/g, '')).toBe(`fingerprint${'A'.repeat(30)}`);
  });

  it('fits preformatted text under its indent, with a tone per line', () => {
    const out = fitPreformatted('a: 1\n    description: a long value that does not fit\n# comment', 24, (l) => (l.startsWith('#') ? 'dim' : undefined));
    for (const l of out) expect(lineText(l).length).toBeLessThanOrEqual(24);
    expect(lineText(out[1]!)).toBe('    description: a long ');
    expect(lineText(out[2]!).startsWith('      ')).toBe(true);
    expect(out.at(-1)![0]!.tone).toBe('dim');
  });
});
