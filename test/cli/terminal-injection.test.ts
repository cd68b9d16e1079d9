// Terminal injection, through the built CLI: escape sequences (OSC 52 clipboard writes, OSC 0 titles, colour,
// erase line), carriage returns, newlines, C1 controls and bidi overrides in object names, conditions,
// hostnames, references, certificate subjects and SANs, file names, API error messages and banners of probed
// servers are shown as escapes in every text output (-o text, the -A table, stderr, probe text); JSON keeps the
// data and escapes it.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import type { Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, type CliResult } from '../helpers/cli.ts';
import { BIDI, C1_CSI, CR_ERASE, HOSTILE, hostileCert, hostileManifest, OSC0, OSC52, rawControl, SGR_RED, shown } from '../helpers/hostile.ts';
import { startRawServer, startTlsServer, upgradeToTls, type Running } from '../helpers/tls-servers.ts';
import { startFakeApiServer, type FakeApiServer } from '../unit/probe/apiserver.ts';

const NOW = { GWTLS_NOW: '2026-11-22T00:00:00Z' };
const dir = mkdtempSync(join(tmpdir(), 'gwtls-inject-'));
const manifest = join(dir, 'hostile.yaml');
const servers: Running[] = [];
let api: FakeApiServer;

beforeAll(async () => {
  writeFileSync(manifest, hostileManifest());
});
afterAll(async () => {
  await Promise.all(servers.map((s) => s.close()));
  await api?.close();
  rmSync(dir, { recursive: true, force: true });
});

/** Neither stream holds a character the terminal would act on; with colour on, only our own SGR codes. */
function clean(r: CliResult, styled = false): void {
  expect(rawControl(r.stdout, styled), 'stdout').toBeNull();
  expect(rawControl(r.stderr), 'stderr').toBeNull();
  expect(r.stderr).not.toMatch(/^\s+at /m);
}

describe('inspect text output', () => {
  it('-o text for one Gateway: every hostile string is shown escaped', async () => {
    const r = await runCli(['inspect', HOSTILE.gateway, '-n', 'infra', '-f', manifest, '-o', 'text'], { env: NOW });
    clean(r);
    expect(r.stdout).toContain(`Gateway infra/${shown(HOSTILE.gateway)}`);
    for (const s of [HOSTILE.hostname, HOSTILE.route, HOSTILE.reason, `203.0.113.7${OSC0}`]) expect(r.stdout, shown(s)).toContain(shown(s));
    // The condition message is part of a finding's details (-v). Wrapped text: compare without the line breaks.
    const details = await runCli(['inspect', HOSTILE.gateway, '-n', 'infra', '-f', manifest, '-o', 'text', '-v'], { env: NOW });
    clean(details);
    const flat = details.stdout.replace(/\n\s*(?:│\s*)*/g, ' ');
    expect(flat).toContain(shown(HOSTILE.message).replace(/\s+/g, ' '));
    // The subject as OpenSSL renders it (it escapes control characters itself); the SAN as our sanitiser does.
    expect(r.stdout).toMatch(/CN=evil\\1B\]52/);
    expect(r.stdout).toContain(shown(`a${OSC0}.example.com`));
  });

  it('with colour on, the only escape sequences are the colours we add', async () => {
    const r = await runCli(['inspect', HOSTILE.gateway, '-n', 'infra', '-f', manifest, '-o', 'text'], { env: { ...NOW, NO_COLOR: undefined, FORCE_COLOR: '1' } });
    expect(r.stdout).toMatch(/\x1b\[\d+m/);  
    clean(r, true);
    expect(r.stdout).toContain(shown(SGR_RED));
  });

  it('the -A table', async () => {
    const r = await runCli(['inspect', '-A', '-f', manifest], { env: NOW });
    clean(r);
    const row = r.stdout.split('\n').find((l) => l.startsWith('infra '));
    expect(row).toContain(shown(HOSTILE.gateway));
  });

  it('JSON keeps the data exactly and escapes every control character', async () => {
    const r = await runCli(['inspect', HOSTILE.gateway, '-n', 'infra', '-f', manifest, '-o', 'json'], { env: NOW });
    clean(r);
    const j = JSON.parse(r.stdout) as { gateways: Array<{ name: string; listeners: Array<{ hostname: string }> }> };
    expect(j.gateways[0]!.name).toBe(HOSTILE.gateway);
    expect(j.gateways[0]!.listeners[0]!.hostname).toBe(HOSTILE.hostname);
    expect(r.stdout).toContain('\\u009b31m');
    expect(r.stdout).toContain('\\u202e');
  });

  it('file names and input errors on stderr', async () => {
    const bad = join(dir, `broken${OSC0}.yaml`);
    writeFileSync(bad, `apiVersion: v1\nkind: [unclosed${OSC52}\n`);
    const r = await runCli(['inspect', '-A', '-f', manifest, '-f', bad], { env: NOW });
    clean(r);
    expect(r.stderr).toContain(shown(bad));
    const missing = await runCli(['inspect', '-A', '-f', join(dir, `missing${OSC52}${CR_ERASE}.yaml`)], { env: NOW });
    clean(missing);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain(shown(`missing${OSC52}${CR_ERASE}.yaml`));
  });

  it('a Gateway name on the command line that is not found: the error quotes it escaped', async () => {
    const r = await runCli(['inspect', `nope${OSC52}${BIDI}`, '-n', 'infra', '-f', manifest], { env: NOW });
    clean(r);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(shown(`nope${OSC52}${BIDI}`));
  });

  it('usage errors quoting the words given', async () => {
    const r = await runCli(['inspect', '-o', `text${OSC0}`]);
    clean(r);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(shown(`text${OSC0}`));
  });
});

describe('API error messages', () => {
  it('a Status message with escape sequences and newlines is one escaped line', async () => {
    const message = `forbidden${OSC52}\nUser "x" cannot list${CR_ERASE}resource "gateways"${C1_CSI}`;
    api = await startFakeApiServer(
      {
        '/apis': (_req: unknown, res: import('node:http').ServerResponse) =>
          res.writeHead(403, { 'Content-Type': 'application/json' }).end(JSON.stringify({ kind: 'Status', status: 'Failure', reason: `Forbidden${OSC0}`, message, code: 403 })),
      },
      () => ({ status: 404, message: 'no' }),
    );
    const r = await runCli(['inspect', '-A', '--kubeconfig', api.kubeconfig('infra')]);
    clean(r);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain(shown(`forbidden${OSC52}`));
  });
});

describe('probe text output', () => {
  const cert = hostileCert();
  const tlsOpts = { key: cert.key.keyPem, cert: cert.pem };

  it('a certificate whose subject and SANs carry escape sequences', async () => {
    const s = await startTlsServer(tlsOpts);
    servers.push(s);
    const r = await runCli(['probe', `shop.example.com:${s.port}`, '--connect-to', '127.0.0.1', '--timeout', '3s', '--no-cluster']);
    clean(r);
    expect(r.stdout).toMatch(/CN=evil\\1B\]52/);
    expect(r.stdout).toContain(shown(`a${OSC0}.example.com`));
  });

  it('a STARTTLS server whose banner and replies carry escape sequences', async () => {
    const banner = `220 mail${OSC52} ESMTP${CR_ERASE}\r\n`;
    const s = await startRawServer((sock: Socket) => {
      sock.write(banner);
      let buf = '';
      sock.on('data', (d: Buffer) => {
        buf += d.toString('latin1');
        if (/EHLO/i.test(buf)) {
          buf = '';
          sock.write(`250-mail${OSC0}\r\n250 SIZE 100\r\n`);
        }
      });
    });
    servers.push(s);
    const r = await runCli(['probe', s.addr, '--starttls', 'smtp', '--timeout', '3s', '--no-cluster']);
    clean(r);
    expect(r.stdout + r.stderr).toMatch(/\\x1b\]/);
  });

  it('a plaintext banner on a TLS port (sniffed and quoted)', async () => {
    const s = await startRawServer((sock: Socket) => {
      sock.once('data', () => sock.end(`SSH-2.0-OpenSSH${OSC52}${CR_ERASE}\r\n`));
    });
    servers.push(s);
    const r = await runCli(['probe', s.addr, '--timeout', '3s', '--no-cluster']);
    clean(r);
  });

  it('a hostile target name on the command line', async () => {
    const r = await runCli(['probe', `x${OSC52}.invalid:443`, '--timeout', '2s', '--no-cluster']);
    clean(r);
    expect(r.code).toBe(2);
  });

  it('STARTTLS that upgrades to the hostile certificate', async () => {
    const s = await startRawServer((sock: Socket) => {
      sock.write(`220 ready${SGR_RED}\r\n`);
      let buf = '';
      const onData = (d: Buffer) => {
        buf += d.toString('latin1');
        if (/EHLO[^\n]*\n/i.test(buf)) {
          buf = '';
          sock.write('250-mail\r\n250 STARTTLS\r\n');
        } else if (/STARTTLS[^\n]*\n/i.test(buf)) {
          sock.off('data', onData);
          sock.write('220 go ahead\r\n');
          upgradeToTls(sock, tlsOpts);
        }
      };
      sock.on('data', onData);
    });
    servers.push(s);
    const r = await runCli(['probe', s.addr, '--starttls', 'smtp', '--timeout', '3s', '--no-cluster']);
    clean(r);
    expect(r.stdout).toContain(shown(`a${OSC0}.example.com`));
  });
});
