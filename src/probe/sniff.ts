// Recognises what a server that does not speak TLS said instead (or what it says on its own before any
// request: SSH, mail and FTP servers, MySQL greet first).
import type { NotTls } from './types.ts';

/** Printable rendering of the first bytes: text as is (CR/LF as \r \n), everything else as \xNN. */
export function printable(b: Buffer, max = 120): string {
  let s = '';
  for (const byte of b.subarray(0, max)) {
    if (byte === 0x0d) s += '\\r';
    else if (byte === 0x0a) s += '\\n';
    else if (byte >= 0x20 && byte < 0x7f) s += String.fromCharCode(byte);
    else s += `\\x${byte.toString(16).padStart(2, '0')}`;
  }
  return b.length > max ? `${s}...` : s;
}

function firstLine(b: Buffer): string {
  const text = b.subarray(0, 512).toString('latin1');
  return text.split(/\r?\n/)[0] ?? '';
}

/** Classifies non-TLS bytes. Returns null for an empty buffer. */
export function sniffProtocol(b: Buffer): NotTls | null {
  if (b.length === 0) return null;
  const banner = printable(b);
  const line = firstLine(b);
  const text = b.subarray(0, 2048).toString('latin1');
  const mk = (protocol: string, name: string): NotTls => ({ protocol, name, banner });
  if (/^HTTP\/\d(\.\d)? \d{3}/.test(line)) return mk('http', 'plain HTTP');
  if (/^SSH-\d\.\d+-/.test(line)) return mk('ssh', 'SSH');
  if (/^220[ -]/.test(line)) {
    if (/\bftp\b|FileZilla|vsFTPd|ProFTPD|Pure-FTPd/i.test(text)) return mk('ftp', 'FTP');
    if (/SMTP|Postfix|Exim|Sendmail|mail/i.test(text)) return mk('smtp', 'SMTP');
    return mk('smtp', 'SMTP or FTP');
  }
  if (/^\* (OK|PREAUTH|BYE)\b/i.test(line)) return mk('imap', 'IMAP');
  if (/^\+OK\b/.test(line)) return mk('pop3', 'POP3');
  if (isPostgresMessage(b)) return mk('postgresql', 'PostgreSQL');
  if (isMysqlGreeting(b)) return mk('mysql', 'MySQL');
  if (/^-(ERR|NOAUTH|DENIED|WRONGPASS)\b/.test(line)) return mk('redis', 'Redis');
  if (/^AMQP/.test(line)) return mk('amqp', 'AMQP');
  if (/^(<(!DOCTYPE|html)|\{"|400 Bad Request)/i.test(line)) return mk('http', 'plain HTTP (no status line)');
  if (b.length >= 9 && b.subarray(0, 9).toString('latin1') === '\x00\x00\x12\x04\x00\x00\x00\x00\x00') return mk('http2', 'cleartext HTTP/2 (h2c)');
  return mk('unknown', 'an unknown protocol');
}

/** PostgreSQL ErrorResponse ('E', int32 length, fields like 'SFATAL\0') or a bare 'N'/'S' answer. */
export function isPostgresMessage(b: Buffer): boolean {
  if (b.length >= 7 && b[0] === 0x45) {
    const len = b.readUInt32BE(1);
    const fields = b.subarray(5, 5 + Math.min(len, 200)).toString('latin1');
    return len > 4 && len < 100_000 && /^[SVCM]/.test(fields) && /(FATAL|ERROR|PANIC)/.test(fields);
  }
  return false;
}

/** MySQL/MariaDB initial handshake: 3-byte length, sequence 0, protocol 10, NUL-terminated version. */
export function isMysqlGreeting(b: Buffer): boolean {
  if (b.length < 6) return false;
  const len = b.readUIntLE(0, 3);
  if (b[3] !== 0 || len < 10 || len > 4096) return false;
  if (b[4] === 0x0a) {
    const nul = b.indexOf(0, 5);
    return nul > 5 && nul < 60 && /^[\x20-\x7e]+$/.test(b.subarray(5, nul).toString('latin1'));
  }
  return b[4] === 0xff; // an error packet ("Host ... is not allowed to connect")
}

/** Text of a PostgreSQL ErrorResponse (the M field), when present. */
export function postgresErrorMessage(b: Buffer): string | null {
  if (!isPostgresMessage(b)) return null;
  const len = b.readUInt32BE(1);
  const body = b.subarray(5, 1 + len).toString('utf8');
  for (const field of body.split('\0')) if (field.startsWith('M')) return field.slice(1);
  return null;
}

/** Sentence telling what to do when the port speaks `protocol` instead of TLS. */
export function adviceFor(n: NotTls, port: number): string {
  switch (n.protocol) {
    case 'http':
    case 'http2':
      return `This port serves ${n.name}, not HTTPS: the listener (or the backend behind a TCP/passthrough listener) does not terminate TLS. Use an HTTPS/TLS listener with a certificate, probe the HTTPS port instead, or make the backend speak TLS.`;
    case 'ssh':
      return 'This port speaks SSH, not TLS: the target is an SSH server (check the port number, or which Service/pod the route sends this port to).';
    case 'postgresql':
      return `This port speaks PostgreSQL; PostgreSQL negotiates TLS inside its protocol: use --starttls postgres, and note that a load balancer terminating raw TLS in front of it serves only direct-TLS clients (sslnegotiation=direct, PostgreSQL 17+), and only if it selects ALPN postgresql, which libpq requires (an AWS NLB cannot).`;
    case 'mysql':
      return 'This port speaks MySQL, which negotiates TLS inside its protocol after the server greeting: use --starttls mysql. A load balancer terminating raw TLS in front of MySQL does not work with MySQL clients.';
    case 'smtp':
      return `This port speaks ${n.name}, which upgrades to TLS with a command: use --starttls ${n.name === 'FTP' ? 'ftp' : 'smtp'}${port === 25 || port === 587 ? '' : ' (or the implicit-TLS port, e.g. 465 for SMTP)'}.`;
    case 'ftp':
      return 'This port speaks FTP, which upgrades to TLS with AUTH TLS: use --starttls ftp.';
    case 'imap':
      return 'This port speaks IMAP, which upgrades to TLS with STARTTLS: use --starttls imap, or probe the implicit-TLS port 993.';
    case 'pop3':
      return 'This port speaks POP3, which upgrades to TLS with STLS: use --starttls pop3, or probe the implicit-TLS port 995.';
    case 'redis':
      return 'This port speaks the Redis protocol in plaintext: TLS is not enabled on this Redis (tls-port), or the route points at the plaintext port.';
    default:
      return 'The server answered the ClientHello with bytes that are not TLS: the port runs another protocol, or something between you and the server (proxy, captive portal) answered.';
  }
}
