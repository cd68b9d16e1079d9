// The UI with a hostile report: names, hostnames, conditions, certificate fields and references that carry
// escape sequences (OSC 52, OSC 0, colour, erase line), carriage returns, newlines, C1 controls and bidi
// overrides. Every frame the UI draws, in every pane and on every row, holds no control character from the
// input: colour codes from the input are shown as text, only the UI's own styles are escape sequences.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { analyse } from '../../../src/cli/inspect-run.ts';
import type { InspectReport } from '../../../src/report/types.ts';
import { HOSTILE, hostileManifest, rawControl, shown, SGR_RED } from '../../helpers/hostile.ts';
import { delay, KEY, makeCtx, NOW, renderApp } from './helpers.tsx';

const dir = mkdtempSync(join(tmpdir(), 'gwtls-tui-hostile-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function hostileReport(gateway?: string): Promise<InspectReport> {
  const file = join(dir, 'hostile.yaml');
  writeFileSync(file, hostileManifest());
  const a = await analyse(gateway, { filename: [file], failOn: 'error', allNamespaces: !gateway, ...(gateway ? { namespace: HOSTILE.namespace } : {}) }, NOW);
  return a.report;
}

describe('the UI with hostile input', () => {
  for (const color of [false, true]) {
    it(`shows every hostile string escaped, on every row and pane (colour ${color ? 'on' : 'off'})`, async () => {
      const report = await hostileReport(HOSTILE.gateway);
      const r = renderApp(makeCtx(report, { gatewayName: HOSTILE.gateway }), { color, size: { columns: 120, rows: 40 } });
      try {
        await delay(30);
        const frames: string[] = [];
        const raw = () => r.stdout.lastFrame() ?? '';
        // Walk the tree (expanding everything), then the findings pane, then the fix preview.
        for (let i = 0; i < 30; i++) {
          await r.press(KEY.right, KEY.down);
          frames.push(raw());
        }
        await r.press(KEY.tab);
        for (let i = 0; i < 8; i++) {
          await r.press(KEY.down);
          frames.push(raw());
        }
        await r.press('f');
        frames.push(raw());
        for (const f of frames) expect(rawControl(f, true), f).toBeNull();
        const all = frames.join('\n');
        expect(all).toContain(shown(HOSTILE.gateway));
        expect(all).toContain(shown(`https${SGR_RED}`));
        expect(all).toContain(shown(HOSTILE.hostname));
      } finally {
        r.unmount();
      }
    });
  }

  it('the Gateway list (no name given)', async () => {
    const report = await hostileReport();
    const r = renderApp(makeCtx(report));
    try {
      await delay(30);
      const f = r.stdout.lastFrame() ?? '';
      expect(rawControl(f, true), f).toBeNull();
      expect(f).toContain(shown(HOSTILE.gateway));
    } finally {
      r.unmount();
    }
  });
});
