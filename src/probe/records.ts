// A reader for the plaintext part of a TLS server flight, as captured from the wire: record headers, alerts,
// ServerHello (version, cipher), and for TLS <= 1.2 the Certificate and CertificateRequest messages. TLS 1.3
// encrypts everything after ServerHello, so for 1.3 only the ServerHello (and plaintext alerts) are visible.

export const ALERTS: Record<number, string> = {
  0: 'close_notify',
  10: 'unexpected_message',
  20: 'bad_record_mac',
  22: 'record_overflow',
  40: 'handshake_failure',
  42: 'bad_certificate',
  43: 'unsupported_certificate',
  44: 'certificate_revoked',
  45: 'certificate_expired',
  46: 'certificate_unknown',
  47: 'illegal_parameter',
  48: 'unknown_ca',
  49: 'access_denied',
  50: 'decode_error',
  51: 'decrypt_error',
  70: 'protocol_version',
  71: 'insufficient_security',
  80: 'internal_error',
  86: 'inappropriate_fallback',
  90: 'user_canceled',
  109: 'missing_extension',
  110: 'unsupported_extension',
  112: 'unrecognized_name',
  113: 'bad_certificate_status_response',
  115: 'unknown_psk_identity',
  116: 'certificate_required',
  120: 'no_application_protocol',
};

export interface ServerFlight {
  /** The bytes start like a TLS record (content type 20-23, version 3.x). */
  isTls: boolean;
  alerts: Array<{ level: number; description: number; name: string }>;
  serverHello: { version: string; cipherSuite: number } | null;
  /** DER certificates of the Certificate message, in the order sent (TLS <= 1.2 only). */
  certificates: Buffer[] | null;
  certificateRequest: boolean;
  /** Sum of record lengths announced by the headers seen (may exceed the bytes captured). */
  recordBytes: number;
}

export function looksLikeTlsRecord(b: Buffer): boolean {
  if (b.length < 3) return b.length > 0 && b[0]! >= 20 && b[0]! <= 23 && (b.length < 2 || b[1] === 3);
  return b[0]! >= 20 && b[0]! <= 23 && b[1] === 3 && b[2]! <= 4;
}

const VERSIONS: Record<number, string> = { 0x0300: 'SSLv3', 0x0301: 'TLSv1', 0x0302: 'TLSv1.1', 0x0303: 'TLSv1.2', 0x0304: 'TLSv1.3' };

export function parseServerFlight(data: Buffer): ServerFlight {
  const out: ServerFlight = { isTls: looksLikeTlsRecord(data), alerts: [], serverHello: null, certificates: null, certificateRequest: false, recordBytes: 0 };
  if (!out.isTls) return out;
  let hs = Buffer.alloc(0);
  let encrypted = false;
  let off = 0;
  while (off + 5 <= data.length) {
    const type = data[off]!;
    const len = data.readUInt16BE(off + 3);
    out.recordBytes += 5 + len;
    const body = data.subarray(off + 5, Math.min(off + 5 + len, data.length));
    if (type === 21 && !encrypted && body.length >= 2) {
      out.alerts.push({ level: body[0]!, description: body[1]!, name: ALERTS[body[1]!] ?? `alert ${body[1]}` });
    } else if (type === 22 && !encrypted) {
      hs = Buffer.concat([hs, body]);
    } else if (type === 20 || type === 23) {
      encrypted = true; // ChangeCipherSpec (or application data) ends the plaintext part of the flight
    }
    off += 5 + len;
    if (type < 20 || type > 23) break;
  }
  readHandshakes(hs, out);
  return out;
}

function readHandshakes(hs: Buffer, out: ServerFlight): void {
  let off = 0;
  while (off + 4 <= hs.length) {
    const type = hs[off]!;
    const len = hs.readUIntBE(off + 1, 3);
    if (off + 4 + len > hs.length) break;
    const msg = hs.subarray(off + 4, off + 4 + len);
    if (type === 2) out.serverHello = readServerHello(msg);
    else if (type === 11 && out.serverHello?.version !== 'TLSv1.3') out.certificates = readCertificates(msg);
    else if (type === 13) out.certificateRequest = true;
    off += 4 + len;
  }
}

function readServerHello(m: Buffer): { version: string; cipherSuite: number } | null {
  if (m.length < 38) return null;
  let version = m.readUInt16BE(0);
  let off = 34;
  const sidLen = m[off]!;
  off += 1 + sidLen;
  if (off + 3 > m.length) return null;
  const cipherSuite = m.readUInt16BE(off);
  off += 3;
  if (off + 2 <= m.length) {
    const extEnd = Math.min(m.length, off + 2 + m.readUInt16BE(off));
    off += 2;
    while (off + 4 <= extEnd) {
      const t = m.readUInt16BE(off);
      const l = m.readUInt16BE(off + 2);
      if (t === 0x2b && l === 2) version = m.readUInt16BE(off + 4); // supported_versions
      off += 4 + l;
    }
  }
  return { version: VERSIONS[version] ?? `0x${version.toString(16)}`, cipherSuite };
}

function readCertificates(m: Buffer): Buffer[] {
  const certs: Buffer[] = [];
  if (m.length < 3) return certs;
  const total = Math.min(m.readUIntBE(0, 3) + 3, m.length);
  let off = 3;
  while (off + 3 <= total) {
    const l = m.readUIntBE(off, 3);
    if (off + 3 + l > total) break;
    certs.push(Buffer.from(m.subarray(off + 3, off + 3 + l)));
    off += 3 + l;
  }
  return certs;
}
