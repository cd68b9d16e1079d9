// STARTTLS dialects against small real servers that speak each preamble and then upgrade to TLS.
import type { Socket } from 'node:net';
import { Duplex } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import { probe } from '../../../src/probe/index.ts';
import type { StartTlsDialect } from '../../../src/probe/types.ts';
import { makePki, pem } from '../../helpers/tls-certs.ts';
import { startRawServer, upgradeToTls, type Running } from '../../helpers/tls-servers.ts';

const pki = makePki('ec', 'Mail');
const leaf = pki.leaf({ dns: ['mail.example.test'] });
const tlsOpts = { key: leaf.key.keyPem, cert: pem(leaf, pki.int) };
const servers: Running[] = [];
afterAll(async () => {
  await Promise.all(servers.map((s) => s.close()));
});

/** Reads lines from a plaintext socket and answers with `script`; `upgrade` tells when to switch to TLS. */
function lineServer(greeting: string, answer: (line: string) => { reply: string; upgrade?: boolean } | null) {
  return (sock: Socket) => {
    sock.write(greeting);
    let buf = '';
    const onData = (d: Buffer) => {
      buf += d.toString('latin1');
      let i: number;
      while ((i = buf.indexOf('\n')) >= 0) {
        const line = buf.slice(0, i).replace(/\r$/, '');
        buf = buf.slice(i + 1);
        const a = answer(line);
        if (!a) continue;
        sock.write(a.reply);
        if (a.upgrade) {
          sock.off('data', onData);
          upgradeToTls(sock, tlsOpts);
          return;
        }
      }
    };
    sock.on('data', onData);
  };
}

const dialects: Array<[StartTlsDialect, (s: Socket) => void, RegExp]> = [
  ['smtp', lineServer('220-mail.example.test ESMTP\r\n220 ready\r\n', (l) => (/^EHLO/i.test(l) ? { reply: '250-mail.example.test\r\n250-PIPELINING\r\n250 STARTTLS\r\n' } : /^STARTTLS/i.test(l) ? { reply: '220 go ahead\r\n', upgrade: true } : { reply: '500 what\r\n' })), /^C: EHLO/],
  ['imap', lineServer('* OK IMAP4rev1 ready\r\n', (l) => (/^a STARTTLS/i.test(l) ? { reply: 'a OK begin TLS\r\n', upgrade: true } : { reply: `${l.split(' ')[0]} BAD\r\n` })), /^C: a STARTTLS/],
  ['pop3', lineServer('+OK POP3 ready\r\n', (l) => (/^STLS/i.test(l) ? { reply: '+OK begin TLS\r\n', upgrade: true } : { reply: '-ERR\r\n' })), /^C: STLS/],
  ['ftp', lineServer('220-Welcome\r\n220 FTP ready\r\n', (l) => (/^AUTH TLS/i.test(l) ? { reply: '234 AUTH TLS ok\r\n', upgrade: true } : { reply: '500\r\n' })), /^C: AUTH TLS/],
  [
    'mysql',
    (sock) => {
      // Protocol 10 greeting with CLIENT_SSL (0x0800) in the lower capability flags.
      const version = Buffer.from('8.0.36\0', 'latin1');
      const body = Buffer.concat([Buffer.from([0x0a]), version, Buffer.from([1, 0, 0, 0]), Buffer.alloc(8, 0x61), Buffer.from([0]), Buffer.from([0xff, 0xff]), Buffer.from([0x21, 0x02, 0x00, 0xff, 0xc3, 0x15]), Buffer.alloc(10), Buffer.alloc(13, 0x62)]);
      const head = Buffer.alloc(4);
      head.writeUIntLE(body.length, 0, 3);
      sock.write(Buffer.concat([head, body]));
      let got = Buffer.alloc(0);
      const onData = (d: Buffer) => {
        got = Buffer.concat([got, d]);
        if (got.length >= 36) {
          sock.off('data', onData);
          // The client sends its ClientHello right behind the 36-byte SSLRequest: TLS must see those bytes.
          const stream = new Duplex({
            read: () => sock.resume(),
            write: (c: Buffer, _e, cb) => sock.write(c, cb),
            final: (cb) => (sock.end(), cb()),
          });
          stream.push(got.subarray(36));
          sock.on('data', (c: Buffer) => stream.push(c));
          sock.on('end', () => stream.push(null));
          sock.on('close', () => stream.destroy());
          upgradeToTls(stream, tlsOpts);
        }
      };
      sock.on('data', onData);
    },
    /^C: SSLRequest packet/,
  ],
];

describe('probe --starttls', () => {
  for (const [dialect, handler, firstClientLine] of dialects) {
    it(`${dialect}: preamble, then a verified handshake`, async () => {
      const s = await startRawServer(handler);
      servers.push(s);
      const r = await probe(`mail.example.test:${s.port}`, { starttls: dialect, connectTo: '127.0.0.1', ca: pki.root.pem, timeoutMs: 3000 });
      expect(r.connection.error, JSON.stringify([r.connection.error, r.connection.preamble])).toBeNull();
      expect(r.ok).toBe(true);
      expect(r.connection.preamble?.find((l) => l.startsWith('C: '))).toMatch(firstClientLine);
      expect(r.chain[0]!.sans.dns).toEqual(['mail.example.test']);
    });
  }

  it('smtp without STARTTLS capability: a refusal in words', async () => {
    const s = await startRawServer(lineServer('220 mail ESMTP\r\n', (l) => (/^EHLO/i.test(l) ? { reply: '250-mail\r\n250 SIZE 100\r\n' } : { reply: '502\r\n' })));
    servers.push(s);
    const r = await probe(s.addr, { starttls: 'smtp', timeoutMs: 2000 });
    expect(r.connection.phase).toBe('preamble');
    expect(r.connection.error?.code).toBe('STARTTLS_REFUSED');
    expect(r.connection.error?.summary).toContain('does not offer STARTTLS');
    expect(r.findings[0]!.code).toBe('GWTLS-PRB-002');
  });

  it('postgres against a raw TLS listener: PRB-012 (default clients fail; direct TLS works)', async () => {
    const { startTlsServer } = await import('../../helpers/tls-servers.ts');
    const s = await startTlsServer({ ...tlsOpts, ALPNProtocols: ['postgresql'] });
    servers.push(s);
    const r = await probe(`mail.example.test:${s.port}`, { starttls: 'postgres', connectTo: '127.0.0.1', ca: pki.root.pem, timeoutMs: 3000 });
    expect(r.ok).toBe(false);
    expect(r.postgres).toMatchObject({ directTls: true, directAlpn: 'postgresql' });
    const f = r.findings[0]!;
    expect(f.code).toBe('GWTLS-PRB-012');
    expect(f.message).toMatch(/Default PostgreSQL clients \(sslnegotiation=postgres\) cannot connect/);
    expect(f.message).toMatch(/Direct TLS with ALPN postgresql does work here/);
  });

  it('raw TLS on 5432-style use (--alpn postgresql, no --starttls): PRB-012 when SSLRequest gets no S', async () => {
    const { startTlsServer } = await import('../../helpers/tls-servers.ts');
    const s = await startTlsServer({ ...tlsOpts, ALPNProtocols: ['postgresql'] });
    servers.push(s);
    const r = await probe(`mail.example.test:${s.port}`, { alpn: ['postgresql'], connectTo: '127.0.0.1', ca: pki.root.pem, timeoutMs: 3000 });
    expect(r.ok).toBe(true);
    expect(r.connection.alpn).toBe('postgresql');
    expect(r.postgres?.sslRequest).not.toBe('S');
    expect(r.findings.map((f) => f.code)).toEqual(['GWTLS-PRB-012']);
  });

  it('a server that says nothing to SSLRequest: ends within the timeout', async () => {
    const s = await startRawServer(() => undefined);
    servers.push(s);
    const t0 = performance.now();
    const r = await probe(s.addr, { starttls: 'postgres', timeoutMs: 600 });
    expect(performance.now() - t0).toBeLessThan(1500);
    expect(r.connection.error?.code).toBe('STARTTLS_NO_ANSWER');
    expect(r.findings[0]!.code).toBe('GWTLS-PRB-012');
  });
});
