// Hostile and non-TLS peers through the built CLI: each run ends within --timeout, explains itself in words,
// and exits with the documented code.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.ts';
import { makePki, pem } from '../helpers/tls-certs.ts';
import { freePort, postgresAvailable, startPostgres, startRawServer, type Running } from '../helpers/tls-servers.ts';

const servers: Running[] = [];
const dirs: string[] = [];
afterAll(async () => {
  await Promise.all(servers.map((s) => s.close()));
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});
const raw = async (h: Parameters<typeof startRawServer>[0]) => {
  const s = await startRawServer(h);
  servers.push(s);
  return s;
};
const json = (stdout: string) => JSON.parse(stdout) as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
/** Text output wraps at 80 columns: compare sentences with whitespace collapsed. */
const flat = (s: string) => s.replace(/\s+/g, ' ');
const TIMEOUT = '1500ms';
// The whole run: Node start-up plus the probe's own limit plus follow-ups (which share the same budget).
const WITHIN = 1500 + 2500;

describe('probe CLI: hostile peers', () => {
  it('accepts and stays silent: handshake timeout, exit 1', async () => {
    const s = await raw(() => undefined);
    const r = await runCli(['probe', s.addr, '--timeout', TIMEOUT, '-o', 'json']);
    expect(r.code).toBe(1);
    expect(r.durationMs).toBeLessThan(WITHIN);
    const j = json(r.stdout);
    expect(j.connection).toMatchObject({ ok: false, phase: 'handshake', bytesReceived: 0, firstByteMs: null });
    expect(j.connection.error.code).toBe('TIMEOUT_HANDSHAKE_SILENT');
    expect(j.connection.error.summary).toContain('never answered the ClientHello');
    expect(j.findings.map((f: { code: string }) => f.code)).toEqual(['GWTLS-PRB-002']);
    expect(r.stderr).toBe('');
  });

  it('trickles bytes: stalled handshake, exit 1', async () => {
    const s = await raw((sock) => {
      sock.once('data', () => {
        const bytes = Buffer.from([0x16, 0x03, 0x03, 0x00, 0x50, 0x02, 0x00, 0x00]);
        let i = 0;
        const t = setInterval(() => {
          if (sock.destroyed || i >= bytes.length) return clearInterval(t);
          sock.write(bytes.subarray(i, ++i));
        }, 150);
        sock.on('close', () => clearInterval(t));
      });
    });
    const r = await runCli(['probe', s.addr, '--timeout', TIMEOUT, '-o', 'json']);
    expect(r.code).toBe(1);
    expect(r.durationMs).toBeLessThan(WITHIN);
    const j = json(r.stdout);
    expect(j.connection.error.code).toBe('TIMEOUT_HANDSHAKE_STALLED');
    expect(j.connection.bytesReceived).toBeGreaterThan(0);
    expect(j.connection.error.summary).toMatch(/started answering \(\d bytes\) but did not finish/);
  });

  it('resets the connection: ECONNRESET explained, exit 1', async () => {
    const s = await raw((sock) => sock.once('data', () => sock.resetAndDestroy()));
    const r = await runCli(['probe', `reset.example.test:${s.port}`, '--connect-to', '127.0.0.1', '--timeout', TIMEOUT]);
    expect(r.code).toBe(1);
    expect(flat(r.stdout)).toContain('reset the connection in answer to the ClientHello (SNI reset.example.test)');
    expect(r.stdout).toContain('GWTLS-PRB-002');
    expect(flat(r.stdout)).toMatch(/no SNI +fails as well/); // the retry without SNI
  });

  it('closes on the ClientHello: EOF before ServerHello, with the Envoy explanation', async () => {
    const s = await raw((sock) => sock.once('data', () => sock.end()));
    const r = await runCli(['probe', `app.example.test:${s.port}`, '--connect-to', '127.0.0.1', '--timeout', TIMEOUT, '-o', 'json']);
    expect(r.code).toBe(1);
    const j = json(r.stdout);
    expect(j.connection.error.code).toBe('EOF_BEFORE_SERVER_HELLO');
    expect(j.connection.error.explanation).toContain('Envoy');
    expect(j.connection.error.explanation).toContain('no filter chain matches the SNI');
    expect(j.withoutSni).toMatchObject({ ok: false });
  });

  it('sends garbage: not TLS, exit 1', async () => {
    const s = await raw((sock) => sock.once('data', () => sock.end(Buffer.from([0x00, 0xff, 0x13, 0x37, 0x42, 0x00, 0x01, 0x02, 0x03]))));
    const r = await runCli(['probe', s.addr, '--timeout', TIMEOUT, '-o', 'json']);
    expect(r.code).toBe(1);
    const j = json(r.stdout);
    expect(j.connection.notTls).toMatchObject({ protocol: 'unknown', banner: '\\x00\\xff\\x137B\\x00\\x01\\x02\\x03' });
    expect(j.findings[0].code).toBe('GWTLS-PRB-003');
    expect(j.findings[0].message).toContain('bytes that are not TLS');
  });

  it('plain HTTP: named, exit 1', async () => {
    const s = await raw((sock) => sock.once('data', () => sock.end('HTTP/1.1 400 Bad Request\r\nContent-Type: text/plain\r\n\r\nClient sent an HTTP request to an HTTPS server.\n')));
    const r = await runCli(['probe', s.addr, '--timeout', TIMEOUT]);
    expect(r.code).toBe(1);
    expect(flat(r.stdout)).toContain('FAILED: not TLS, the port speaks plain HTTP');
    expect(flat(r.stdout)).toContain('This port serves plain HTTP, not HTTPS');
    expect(r.stdout).toContain('GWTLS-PRB-003');
  });

  it('SSH banner: named, exit 1', async () => {
    const s = await raw((sock) => sock.write('SSH-2.0-OpenSSH_9.6p1 Debian-4\r\n'));
    const r = await runCli(['probe', s.addr, '--timeout', TIMEOUT, '-o', 'json']);
    expect(r.code).toBe(1);
    const j = json(r.stdout);
    expect(j.connection.notTls).toMatchObject({ protocol: 'ssh', name: 'SSH' });
    expect(j.findings[0].message).toContain('This port speaks SSH, not TLS');
  });

  it('SMTP greeting without --starttls: suggests --starttls smtp', async () => {
    const s = await raw((sock) => sock.write('220 mail.example.test ESMTP Postfix\r\n'));
    const r = await runCli(['probe', s.addr, '--timeout', TIMEOUT, '-o', 'json']);
    expect(r.code).toBe(1);
    expect(json(r.stdout).findings[0].message).toContain('use --starttls smtp');
  });

  it('connection refused: PRB-001, exit 1', async () => {
    const port = await freePort();
    const r = await runCli(['probe', `127.0.0.1:${port}`, '-o', 'json']);
    expect(r.code).toBe(1);
    const j = json(r.stdout);
    expect(j.connection).toMatchObject({ phase: 'connect', tcpMs: null });
    expect(j.connection.error).toMatchObject({ code: 'ECONNREFUSED', summary: `connection refused: nothing listens on 127.0.0.1:${port}` });
    expect(j.findings[0]).toMatchObject({ code: 'GWTLS-PRB-001', severity: 'error', object: { kind: 'Endpoint', name: `127.0.0.1:${port}` } });
  });

  it('a name that does not resolve: exit 2 with a one-line error', async () => {
    const r = await runCli(['probe', 'does-not-exist.invalid']);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain('cannot resolve does-not-exist.invalid');
    expect(r.stderr).not.toMatch(/at .*\.(ts|js|mjs):\d+/);
  });
});

const pgMissing = postgresAvailable();
describe.skipIf(pgMissing !== null)('probe CLI: a real PostgreSQL 15 with ssl=on', () => {
  let pg: Running;
  let caFile: string;
  beforeAll(async () => {
    const pki = makePki('ec', 'Pg');
    const leaf = pki.leaf({ cn: 'db.example.test', dns: ['db.example.test', 'localhost'] });
    pg = await startPostgres(pem(leaf, pki.int), leaf.key.keyPem);
    servers.push(pg);
    const dir = mkdtempSync(join(tmpdir(), 'gwtls-ca-'));
    dirs.push(dir);
    caFile = join(dir, 'ca.pem');
    writeFileSync(caFile, pki.root.pem);
  }, 30_000);

  it('without --starttls: recognised as PostgreSQL, exit 1', async () => {
    const r = await runCli(['probe', `db.example.test:${pg.port}`, '--connect-to', '127.0.0.1', '--ca-file', caFile, '--timeout', '5s', '-o', 'json']);
    expect(r.code).toBe(1);
    const j = json(r.stdout);
    expect(j.connection.notTls).toMatchObject({ protocol: 'postgresql' });
    expect(j.postgres).toMatchObject({ sslRequest: 'S', directTls: false });
    expect(j.findings[0].code).toBe('GWTLS-PRB-003');
    expect(j.findings[0].message).toBe(
      'This port speaks PostgreSQL; PostgreSQL negotiates TLS inside its protocol: use --starttls postgres, and note that a load balancer terminating raw TLS in front of it serves only direct-TLS clients (sslnegotiation=direct, PostgreSQL 17+), and only if it selects ALPN postgresql, which libpq requires (an AWS NLB cannot).',
    );
  });

  it('with --starttls postgres: verified, PRB-012 notes direct TLS does not work, exit 0', async () => {
    const r = await runCli(['probe', `db.example.test:${pg.port}`, '--connect-to', '127.0.0.1', '--ca-file', caFile, '--starttls', 'postgres', '--timeout', '5s', '-o', 'json']);
    expect(r.code).toBe(0);
    const j = json(r.stdout);
    expect(j.ok).toBe(true);
    expect(j.target).toMatchObject({ sni: 'db.example.test', starttls: 'postgres' });
    expect(j.connection.preamble[0]).toMatch(/^C: SSLRequest/);
    expect(j.connection.preambleMs).toBeGreaterThanOrEqual(0);
    expect(j.chain[0].commonName).toBe('db.example.test');
    expect(j.verification).toMatchObject({ trusted: true, hostnameMatches: true });
    expect(j.postgres).toMatchObject({ sslRequest: 'S', directTls: false });
    expect(j.findings).toHaveLength(1);
    expect(j.findings[0]).toMatchObject({ code: 'GWTLS-PRB-012', severity: 'info' });
  });
});
if (pgMissing) console.log(`skipping the PostgreSQL probe tests: ${pgMissing}`);
