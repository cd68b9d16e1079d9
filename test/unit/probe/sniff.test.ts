import { describe, expect, it } from 'vitest';
import { adviceFor, isMysqlGreeting, postgresErrorMessage, printable, sniffProtocol } from '../../../src/probe/sniff.ts';
import { looksLikeTlsRecord, parseServerFlight } from '../../../src/probe/records.ts';
import { alertOf, handshakeFailure, type HandshakeFacts } from '../../../src/probe/explain.ts';

const b = (s: string) => Buffer.from(s, 'latin1');

function pgError(msg: string): Buffer {
  const body = b(`SFATAL\0VFATAL\0C0A000\0M${msg}\0\0`);
  const head = Buffer.alloc(5);
  head[0] = 0x45;
  head.writeUInt32BE(body.length + 4, 1);
  return Buffer.concat([head, body]);
}

describe('sniffProtocol', () => {
  it.each([
    ['HTTP/1.1 400 Bad Request\r\n\r\n', 'http'],
    ['HTTP/1.0 200 OK\r\n', 'http'],
    ['SSH-2.0-OpenSSH_9.6\r\n', 'ssh'],
    ['220 mx.example.com ESMTP Postfix\r\n', 'smtp'],
    ['220-FileZilla Server\r\n220 ready\r\n', 'ftp'],
    ['220 (vsFTPd 3.0.5)\r\n', 'ftp'],
    ['* OK [CAPABILITY IMAP4rev1] Dovecot ready.\r\n', 'imap'],
    ['+OK POP3 server ready\r\n', 'pop3'],
    ['-ERR unknown command\r\n', 'redis'],
    ['AMQP\x00\x00\x09\x01', 'amqp'],
    ['<html><body>hi', 'http'],
    ['\x00\xff\x13\x37', 'unknown'],
  ])('%j -> %s', (text, proto) => {
    expect(sniffProtocol(b(text))?.protocol).toBe(proto);
  });

  it('PostgreSQL error response', () => {
    const e = pgError('unsupported frontend protocol 5635.8');
    expect(sniffProtocol(e)?.protocol).toBe('postgresql');
    expect(postgresErrorMessage(e)).toBe('unsupported frontend protocol 5635.8');
  });

  it('MySQL greeting and error packet', () => {
    const body = Buffer.concat([Buffer.from([0x0a]), b('8.0.36\0'), Buffer.alloc(30)]);
    const head = Buffer.from([body.length, 0, 0, 0]);
    expect(isMysqlGreeting(Buffer.concat([head, body]))).toBe(true);
    expect(sniffProtocol(Buffer.concat([head, body]))?.name).toBe('MySQL');
    const err = Buffer.concat([Buffer.from([20, 0, 0, 0, 0xff, 0x6a, 0x04]), b("Host '1.2.3.4' is not")]);
    expect(isMysqlGreeting(err)).toBe(true);
  });

  it('empty input is nothing', () => {
    expect(sniffProtocol(Buffer.alloc(0))).toBeNull();
  });

  it('printable escapes control bytes and truncates', () => {
    expect(printable(b('ab\r\n\x00\xff'))).toBe('ab\\r\\n\\x00\\xff');
    expect(printable(b('x'.repeat(200)), 10)).toBe('xxxxxxxxxx...');
  });

  it('advice names the flag to use', () => {
    expect(adviceFor({ protocol: 'imap', name: 'IMAP', banner: '' }, 143)).toContain('--starttls imap');
    expect(adviceFor({ protocol: 'smtp', name: 'SMTP', banner: '' }, 25)).toBe('This port speaks SMTP, which upgrades to TLS with a command: use --starttls smtp.');
    expect(adviceFor({ protocol: 'mysql', name: 'MySQL', banner: '' }, 3306)).toContain('--starttls mysql');
  });
});

describe('TLS records', () => {
  it('recognises record headers', () => {
    expect(looksLikeTlsRecord(Buffer.from([0x16, 0x03, 0x03, 0x00, 0x10]))).toBe(true);
    expect(looksLikeTlsRecord(Buffer.from([0x15, 0x03, 0x01]))).toBe(true);
    expect(looksLikeTlsRecord(b('HTTP/1.1'))).toBe(false);
  });

  it('reads a plaintext alert', () => {
    const f = parseServerFlight(Buffer.from([0x15, 0x03, 0x03, 0x00, 0x02, 0x02, 0x70]));
    expect(f.alerts).toEqual([{ level: 2, description: 112, name: 'unrecognized_name' }]);
  });

  it('reads a TLS 1.3 ServerHello (supported_versions) and stops at ChangeCipherSpec', () => {
    const hello = Buffer.concat([
      Buffer.from([0x03, 0x03]),
      Buffer.alloc(32, 1),
      Buffer.from([0x00]), // session id length
      Buffer.from([0x13, 0x01, 0x00]), // TLS_AES_128_GCM_SHA256, no compression
      Buffer.from([0x00, 0x06, 0x00, 0x2b, 0x00, 0x02, 0x03, 0x04]),
    ]);
    const hs = Buffer.concat([Buffer.from([0x02, 0x00, 0x00, hello.length]), hello]);
    const rec = Buffer.concat([Buffer.from([0x16, 0x03, 0x03, 0x00, hs.length]), hs, Buffer.from([0x14, 0x03, 0x03, 0x00, 0x01, 0x01, 0x17, 0x03, 0x03, 0x00, 0x02, 0x99, 0x99])]);
    const f = parseServerFlight(rec);
    expect(f.serverHello).toEqual({ version: 'TLSv1.3', cipherSuite: 0x1301 });
    expect(f.certificates).toBeNull();
    expect(f.alerts).toEqual([]);
  });
});

describe('explanations', () => {
  const base: HandshakeFacts = { error: null, timedOut: false, timeoutMs: 10_000, bytesReceived: 0, flight: parseServerFlight(Buffer.alloc(0)), notTls: null, ended: null, sni: 'shop.example.com', alpnOffered: [], afterHandshake: false };

  it('unrecognized_name from OpenSSL\'s error code', () => {
    const facts = { ...base, error: { code: 'ERR_SSL_TLSV1_ALERT_UNRECOGNIZED_NAME', message: 'tlsv1 unrecognized name' } };
    expect(alertOf(facts)).toMatchObject({ name: 'unrecognized_name', description: 112 });
    const e = handshakeFailure(facts);
    expect(e.code).toBe('ALERT_UNRECOGNIZED_NAME');
    expect(e.summary).toBe('the server refused the handshake: it has nothing for SNI shop.example.com (alert unrecognized_name)');
  });

  it('handshake_failure with a CertificateRequest seen: client certificate', () => {
    const flight = { ...base.flight, certificateRequest: true };
    const e = handshakeFailure({ ...base, flight, error: { code: 'ERR_SSL_SSLV3_ALERT_HANDSHAKE_FAILURE', message: 'sslv3 alert handshake failure' } });
    expect(e.code).toBe('CLIENT_CERTIFICATE_REQUIRED');
  });

  it('protocol_version', () => {
    expect(handshakeFailure({ ...base, error: { code: 'ERR_SSL_TLSV1_ALERT_PROTOCOL_VERSION', message: 'x' } }).code).toBe('ALERT_PROTOCOL_VERSION');
  });

  it('silence vs. stall', () => {
    expect(handshakeFailure({ ...base, timedOut: true }).code).toBe('TIMEOUT_HANDSHAKE_SILENT');
    expect(handshakeFailure({ ...base, timedOut: true, bytesReceived: 3 }).code).toBe('TIMEOUT_HANDSHAKE_STALLED');
  });

  it('EOF before ServerHello names Envoy and the SNI', () => {
    const e = handshakeFailure({ ...base, ended: { how: 'eof' }, error: { code: 'ECONNRESET', message: 'Client network socket disconnected before secure TLS connection was established' } });
    expect(e.code).toBe('EOF_BEFORE_SERVER_HELLO');
    expect(e.explanation).toContain('listener hostname or TLSRoute hostnames include shop.example.com');
  });
});
