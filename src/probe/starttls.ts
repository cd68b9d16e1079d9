// STARTTLS dialects: the plaintext exchange some protocols need before the TLS handshake starts.
import type { Duplex } from 'node:stream';
import type { StartTlsDialect } from './types.ts';
import { printable } from './sniff.ts';
import { looksLikeTlsRecord } from './records.ts';

export const PG_SSL_REQUEST = Buffer.from([0x00, 0x00, 0x00, 0x08, 0x04, 0xd2, 0x16, 0x2f]);

export class StartTlsError extends Error {
  override name = 'StartTlsError';
  /** NO_ANSWER (silence), EOF, REFUSED (server said no), UNEXPECTED (another protocol), TLS (server expects raw TLS), TIMEOUT */
  readonly code: string;
  /** What the server sent, printable. */
  readonly received: string;
  constructor(message: string, code: string, received: string) {
    super(message);
    this.code = code;
    this.received = received;
  }
}

/** Reads a plaintext conversation from a stream with a time limit, then hands the stream back untouched. */
export class Conversation {
  private buf = Buffer.alloc(0);
  private ended: string | null = null;
  private wake: (() => void) | null = null;
  readonly log: string[] = [];
  private readonly stream: Duplex;
  private readonly signal: AbortSignal;
  private readonly onData = (d: Buffer) => {
    this.buf = Buffer.concat([this.buf, d]);
    this.wake?.();
  };
  private readonly onEnd = () => {
    this.ended ??= 'EOF';
    this.wake?.();
  };
  private readonly onError = (e: NodeJS.ErrnoException) => {
    this.ended ??= e.code ?? e.message;
    this.wake?.();
  };

  constructor(stream: Duplex, signal: AbortSignal) {
    this.stream = stream;
    this.signal = signal;
    stream.on('data', this.onData);
    stream.on('end', this.onEnd);
    stream.on('close', this.onEnd);
    stream.on('error', this.onError);
  }

  write(data: string | Buffer, show?: string): void {
    this.log.push(`C: ${show ?? (typeof data === 'string' ? data.trimEnd() : printable(data))}`);
    this.stream.write(data);
  }

  /** Waits until `take(buf)` returns how many bytes form a complete answer; returns those bytes. */
  async read(take: (b: Buffer) => number, what: string): Promise<Buffer> {
    for (;;) {
      const n = take(this.buf);
      if (n > 0) {
        const out = this.buf.subarray(0, n);
        this.buf = this.buf.subarray(n);
        return out;
      }
      if (this.ended) {
        const got = printable(this.buf);
        throw new StartTlsError(
          this.buf.length === 0 ? `the server closed the connection (${this.ended}) while we waited for ${what}` : `the server closed the connection (${this.ended}) after sending "${got}" while we waited for ${what}`,
          this.ended === 'EOF' ? 'EOF' : 'RESET',
          got,
        );
      }
      if (this.signal.aborted) {
        const got = printable(this.buf);
        throw new StartTlsError(
          this.buf.length === 0 ? `no answer while waiting for ${what}` : `incomplete answer "${got}" while waiting for ${what}`,
          this.buf.length === 0 ? 'NO_ANSWER' : 'TIMEOUT',
          got,
        );
      }
      await new Promise<void>((resolve) => {
        const done = () => {
          this.wake = null;
          this.signal.removeEventListener('abort', done);
          resolve();
        };
        this.wake = done;
        this.signal.addEventListener('abort', done, { once: true });
      });
    }
  }

  /** Reads one CRLF/LF-terminated line. */
  async line(what: string): Promise<string> {
    const b = await this.read((buf) => {
      const i = buf.indexOf(0x0a);
      if (i < 0 && looksLikeTlsRecord(buf) && buf.length >= 5) return -1;
      return i < 0 ? (buf.length > 8192 ? buf.length : -1) : i + 1;
    }, what);
    const l = b.toString('latin1').replace(/\r?\n$/, '');
    this.log.push(`S: ${printable(Buffer.from(l, 'latin1'), 200)}`);
    return l;
  }

  /** Reads an SMTP/FTP style reply: lines `NNN-...` until `NNN ...`. */
  async reply(what: string): Promise<{ code: number; lines: string[] }> {
    const lines: string[] = [];
    for (;;) {
      const l = await this.line(what);
      lines.push(l);
      const m = /^(\d{3})([ -])/.exec(l);
      if (!m) throw new StartTlsError(`expected a numeric reply to ${what}, got "${printable(Buffer.from(l, 'latin1'))}"`, 'UNEXPECTED', l);
      if (m[2] === ' ') return { code: Number(m[1]), lines };
    }
  }

  /** Stops listening; the stream is paused and ready for TLS. Returns bytes that arrived after the answer. */
  release(): Buffer {
    this.stream.off('data', this.onData);
    this.stream.off('end', this.onEnd);
    this.stream.off('close', this.onEnd);
    this.stream.off('error', this.onError);
    this.stream.pause();
    return this.buf;
  }
}

function expect(ok: boolean, message: string, code: string, received: string): void {
  if (!ok) throw new StartTlsError(message, code, received);
}

/** Runs the dialect's preamble; on success the stream is ready for a ClientHello. */
export async function runStartTls(dialect: StartTlsDialect, stream: Duplex, signal: AbortSignal): Promise<{ log: string[]; detail: string }> {
  const c = new Conversation(stream, signal);
  try {
    const detail = await DIALECTS[dialect](c);
    const extra = c.release();
    if (extra.length > 0) throw new StartTlsError(`the server sent more than expected after agreeing to TLS: "${printable(extra)}"`, 'UNEXPECTED', printable(extra));
    return { log: c.log, detail };
  } catch (e) {
    c.release();
    if (e instanceof StartTlsError) Object.assign(e, { log: c.log });
    throw e;
  }
}

const DIALECTS: Record<StartTlsDialect, (c: Conversation) => Promise<string>> = {
  async postgres(c) {
    c.write(PG_SSL_REQUEST, 'SSLRequest (00 00 00 08 04 d2 16 2f)');
    const b = await c.read((buf) => (buf.length === 0 ? -1 : buf[0] === 0x45 ? Math.min(buf.length, 1 + (buf.length >= 5 ? buf.readUInt32BE(1) : 1e9)) : looksLikeTlsRecord(buf) && buf.length < 5 ? -1 : 1), 'the answer to SSLRequest');
    const first = b[0];
    c.log.push(`S: ${printable(b)}`);
    if (first === 0x53) return 'PostgreSQL accepted SSLRequest (S)';
    if (first === 0x4e) throw new StartTlsError('PostgreSQL answered N to SSLRequest: the server has TLS switched off (ssl = off in postgresql.conf)', 'REFUSED', 'N');
    if (first === 0x45) throw new StartTlsError(`the server answered SSLRequest with an error: "${printable(b)}" (a PostgreSQL server older than 7.0, or a proxy)`, 'REFUSED', printable(b));
    if (looksLikeTlsRecord(b)) throw new StartTlsError('the server answered SSLRequest with a TLS record: it expects a raw TLS ClientHello (a TLS-terminating load balancer or Gateway listener), not PostgreSQL negotiation', 'TLS', printable(b));
    throw new StartTlsError(`the server answered SSLRequest with "${printable(b)}", which is not PostgreSQL`, 'UNEXPECTED', printable(b));
  },
  async smtp(c) {
    const greet = await c.reply('the SMTP greeting');
    expect(greet.code === 220, `expected the SMTP greeting 220, got ${greet.lines.join(' / ')}`, 'UNEXPECTED', greet.lines.join('\n'));
    c.write('EHLO kubectl-gwtls.invalid\r\n');
    const ehlo = await c.reply('the answer to EHLO');
    expect(ehlo.code === 250, `the server refused EHLO: ${ehlo.lines.join(' / ')}`, 'REFUSED', ehlo.lines.join('\n'));
    expect(ehlo.lines.some((l) => /^250[ -]STARTTLS\b/i.test(l)), 'the SMTP server does not offer STARTTLS (not in its EHLO capabilities)', 'REFUSED', ehlo.lines.join('\n'));
    c.write('STARTTLS\r\n');
    const st = await c.reply('the answer to STARTTLS');
    expect(st.code === 220, `the server refused STARTTLS: ${st.lines.join(' / ')}`, 'REFUSED', st.lines.join('\n'));
    return 'SMTP server accepted STARTTLS (220)';
  },
  async imap(c) {
    const greet = await c.line('the IMAP greeting');
    expect(/^\* OK\b/i.test(greet), `expected the IMAP greeting "* OK", got "${greet}"`, 'UNEXPECTED', greet);
    c.write('a STARTTLS\r\n');
    for (;;) {
      const l = await c.line('the answer to STARTTLS');
      if (l.startsWith('* ')) continue;
      expect(/^a OK\b/i.test(l), `the IMAP server refused STARTTLS: "${l}"`, 'REFUSED', l);
      return 'IMAP server accepted STARTTLS';
    }
  },
  async pop3(c) {
    const greet = await c.line('the POP3 greeting');
    expect(/^\+OK\b/.test(greet), `expected the POP3 greeting "+OK", got "${greet}"`, 'UNEXPECTED', greet);
    c.write('STLS\r\n');
    const l = await c.line('the answer to STLS');
    expect(/^\+OK\b/.test(l), `the POP3 server refused STLS: "${l}"`, 'REFUSED', l);
    return 'POP3 server accepted STLS';
  },
  async ftp(c) {
    const greet = await c.reply('the FTP greeting');
    expect(greet.code === 220, `expected the FTP greeting 220, got ${greet.lines.join(' / ')}`, 'UNEXPECTED', greet.lines.join('\n'));
    c.write('AUTH TLS\r\n');
    const r = await c.reply('the answer to AUTH TLS');
    expect(r.code === 234, `the FTP server refused AUTH TLS: ${r.lines.join(' / ')}`, 'REFUSED', r.lines.join('\n'));
    return 'FTP server accepted AUTH TLS (234)';
  },
  async mysql(c) {
    const pkt = await c.read((b) => (b.length >= 4 && b.length >= 4 + b.readUIntLE(0, 3) ? 4 + b.readUIntLE(0, 3) : looksLikeTlsRecord(b) && b.length >= 5 ? b.length : -1), 'the MySQL server greeting');
    if (looksLikeTlsRecord(pkt)) throw new StartTlsError('the server sent a TLS record instead of the MySQL greeting: it expects a raw TLS ClientHello', 'TLS', printable(pkt));
    const payload = pkt.subarray(4);
    if (payload[0] === 0xff) {
      const msg = payload.subarray(3).toString('utf8').replace(/^#\w{5}/, '');
      c.log.push(`S: error packet: ${msg}`);
      throw new StartTlsError(`the MySQL server refused the connection: ${msg}`, 'REFUSED', msg);
    }
    expect(payload[0] === 0x0a, `expected a MySQL protocol 10 greeting, got "${printable(pkt)}"`, 'UNEXPECTED', printable(pkt));
    const nul = payload.indexOf(0, 1);
    const version = payload.subarray(1, nul).toString('latin1');
    // protocol(1) version(NUL) thread id(4) auth-data-1(8) filler(1) capabilities-low(2)
    const capOff = nul + 1 + 4 + 8 + 1;
    const capsLow = payload.length >= capOff + 2 ? payload.readUInt16LE(capOff) : 0;
    c.log.push(`S: greeting, server version ${version}, capabilities 0x${capsLow.toString(16)}`);
    expect((capsLow & 0x0800) !== 0, `the MySQL server (${version}) does not offer TLS (CLIENT_SSL not in its capabilities; start it with TLS certificates)`, 'REFUSED', version);
    const req = Buffer.alloc(4 + 32);
    req.writeUIntLE(32, 0, 3);
    req[3] = 1;
    const caps = 0x00000001 | 0x00000200 | 0x00000800 | 0x00008000 | 0x00080000; // LONG_PASSWORD, PROTOCOL_41, SSL, SECURE_CONNECTION, PLUGIN_AUTH
    req.writeUInt32LE(caps, 4);
    req.writeUInt32LE(16 * 1024 * 1024, 8);
    req[12] = 0x21;
    c.write(req, 'SSLRequest packet (CLIENT_SSL)');
    return `MySQL ${version} offers TLS; SSLRequest sent`;
  },
};
