// The detail pane and panels restate the report: conditions, certificates, the path, findings, fixes, plans,
// probe results.
import { describe, expect, it } from 'vitest';
import type { ProbeReport } from '../../../src/probe/types.ts';
import { findingLines, fingerprintLines, nodeLines, pathLines } from '../../../src/tui/describe.ts';
import { lineText, type Line } from '../../../src/tui/lines.ts';
import { fixPreviewLines, helpLines, planLines, probeLines } from '../../../src/tui/panels.ts';
import { TreeModel } from '../../../src/tui/tree.ts';
import { SEED_C, seedPlan, seedReport } from './helpers.tsx';

const GW = 'c:tigera-gateway-class|g:default/ssl-offload-gateway';
const text = (lines: Line[]) => lines.map(lineText).join('\n');
const fits = (lines: Line[], width: number) => lines.every((l) => lineText(l).length <= width);

async function model() {
  return new TreeModel(await seedReport(SEED_C, 'ssl-offload-gateway'), { listView: false });
}

describe('node details', () => {
  it('decodes the certificate of a certificateRef, with its problems in words', async () => {
    const m = await model();
    const lines = nodeLines(m, m.node(`${GW}|l:https|cert:Secret:default/example-cert`)!, 80);
    const t = text(lines);
    expect(t).toContain('#0 leaf  CN=www.example.com, O=example organization');
    expect(t).toMatch(/SAN\s+none/);
    expect(t).toMatch(/valid\s+2025-08-04 to 2026-08-04 \(EXPIRED \d+ days ago\)/);
    expect(t).toContain('Findings (3)');
    expect(t).toContain('ERROR GWTLS-CERT-001');
    expect(fits(lines, 80)).toBe(true);
  });

  it('draws the listener path as a chain with each hop\'s TLS state and certificate', async () => {
    const m = await model();
    const l = m.node(`${GW}|l:https`)!;
    if (l.data.kind !== 'listener') throw new Error('not a listener');
    const t = text(pathLines(l.data.l.path, 80));
    expect(t.split('\n').slice(0, 3)).toEqual(['  ● client', '  │ TLS terminated  BROKEN', '  │ certificate Secret default/example-cert: CN=www.example.com (no DNS SAN);']);
    expect(t).toContain('  ▼ listener https');
    expect(t).toContain('  │ plaintext  OK');
    expect(t).toContain('  ▼ Service default/backend-ssl-offload:3000');
  });

  it('shows a route\'s attachment with the reason, and its findings with evidence and fixes', async () => {
    const m = await model();
    const lines = nodeLines(m, m.node(`${GW}|l:https|r:TCPRoute:default/backend-ssl-offload`)!, 60);
    const t = text(lines);
    expect(t).toMatch(/attached\s+NO \(NotAllowedByListeners\)/);
    expect(t).toContain('ERROR GWTLS-RT-003');
    expect(t).toContain('- spec.listeners[1]: protocol HTTPS, tls.mode Terminate');
    expect(t).toContain('fix: make listener https a TLS with tls.mode Terminate');
    expect(fits(lines, 60)).toBe(true);
  });

  it('shows conditions with their reasons and messages', async () => {
    const m = await model();
    const r = structuredClone(m.report);
    r.gateways[0]!.conditions = [{ type: 'Programmed', status: 'False', reason: 'AddressNotAssigned', message: 'No addresses have been assigned' }];
    const m2 = new TreeModel(r, { listView: false });
    expect(text(nodeLines(m2, m2.node(GW)!, 80))).toContain('  - Programmed=False (AddressNotAssigned): No addresses have been assigned');
  });

  it('describes a finding with its object when shown from the findings list', async () => {
    const m = await model();
    const f = m.report.findings.find((x) => x.code === 'GWTLS-RT-003')!;
    const t = text(findingLines(f, 80, { withObject: true }));
    expect(t).toMatch(/object\s+TCPRoute default\/backend-ssl-offload spec\.parentRefs\[0\]/);
    expect(t).toMatch(/gateway\s+default\/ssl-offload-gateway, listener https/);
    expect(t).toContain('see: kubectl gwtls explain GWTLS-RT-003');
  });
});

describe('panels', () => {
  it('previews fixes as YAML, saying which are suggestions', async () => {
    const m = await model();
    const f = m.report.findings.find((x) => x.code === 'GWTLS-RT-003')!;
    const sug = { ...f, code: 'GWTLS-X-1', fixes: [{ title: 'skip verification', type: 'suggestion' as const, yaml: 'kind: X\n', note: 'trades away safety' }] };
    const t = text(fixPreviewLines([f, sug], 80, true));
    expect(t).toContain('fix: make listener https a TLS with tls.mode Terminate listener');
    expect(t).toContain('      protocol: TLS');
    expect(t).toContain('SUGGESTION (not applied without you; A after confirming): skip verification');
    expect(t).toContain('s save to a file  a apply (dry run first)  A with suggestions  esc close');
    expect(text(fixPreviewLines([sug], 80, true))).not.toContain('a apply');
  });

  it('renders a dry-run plan as a diff, and refusals as such', async () => {
    const m = await model();
    const f = m.report.findings.find((x) => x.code === 'GWTLS-RT-003')!;
    const ready = await seedPlan(SEED_C, 'ssl-offload-gateway', [{ finding: f, fix: f.fixes[0]! }]);
    const ok = text(planLines(ready, 80));
    expect(ok).toContain('change Gateway default/ssl-offload-gateway');
    expect(ok).toMatch(/-\s+protocol: HTTPS\n\s+\+\s+protocol: TLS/);
    expect(ok).toContain('fixed    ERROR   GWTLS-RT-003 TCPRoute default/backend-ssl-offload');
    expect(planLines(ready, 80).find((l) => lineText(l).includes('+      protocol'))![0]!.tone).toBe('ok');
    ready.plan.changes[0]!.error = "the server's dry run refused it: 422 Invalid: nope";
    const refused = text(planLines(ready, 80));
    expect(refused).toContain('change Gateway default/ssl-offload-gateway  CANNOT APPLY');
    expect(refused).toContain("the server's dry run refused it: 422 Invalid: nope");
  });

  it('shows a probe while it runs, when it fails, and its report', () => {
    expect(text(probeLines({ status: 'running', target: 'listener https' }, 80))).toContain('probing…');
    expect(text(probeLines({ status: 'failed', target: 'listener https', error: 'no address' }, 80))).toContain('probe FAILED: no address');
    const report = { apiVersion: 'gwtls.dev/v1alpha1', kind: 'ProbeReport', generatedAt: '', target: { input: 'a:443', host: 'a.example', port: 443, sni: 'a.example', address: '10.0.0.1' }, dns: null, connection: { ok: false, phase: 'handshake', dnsMs: null, tcpMs: 1, preambleMs: null, tlsMs: 2, totalMs: 3, protocol: null, cipher: null, alpn: null, bytesReceived: 7, firstByteMs: 1, error: { code: 'ALERT_UNRECOGNIZED_NAME', message: 'x', summary: 'the server has no certificate for this name', explanation: 'no listener matches' }, notTls: null }, chain: [], chainAnalysis: null, verification: { trusted: null, hostnameMatches: null, error: null, name: 'a.example', trustStore: 'system' }, findings: [], ok: false, summary: { errors: 1, warnings: 0, info: 0 } } as ProbeReport;
    const lines = probeLines({ status: 'done', target: 'listener https', reports: [report] }, 80);
    expect(text(lines)).toContain('FAILED: TLS handshake did not complete');
    expect(text(lines)).toContain('the server has no certificate for this name');
    expect(lines.find((l) => lineText(l).includes('result'))![0]!.tone).toBe('bad');
  });

  it('lists every key in the help', () => {
    const t = text(helpLines(80, 3));
    for (const k of ['j k', 'h l', 'enter', 'tab', '/', 'e ', 'f ', 'a ', 'p ', 'w ', 'r ', '?', 'q ']) expect(t).toContain(`  ${k}`);
    expect(t).toContain('every 3 s');
  });
});

describe('fingerprints', () => {
  it('break only between bytes, at every width', () => {
    const fp = Array.from({ length: 32 }, (_, i) => (i * 7 + 16).toString(16).toUpperCase().padStart(2, '0')).join(':');
    for (let width = 20; width <= 120; width++) {
      const rows = fingerprintLines('sha256', fp, width).map(lineText);
      for (const row of rows) expect(row.length, `width ${width}: ${row}`).toBeLessThanOrEqual(width);
      const values = rows.map((r) => r.trim().replace(/^sha256\s+/, ''));
      for (const v of values.slice(0, -1)) expect(v, `width ${width}`).toMatch(/^([0-9A-F]{2}:)+$/);
      expect(values.join('')).toBe(fp);
    }
  });
});
