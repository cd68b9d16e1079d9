// One TLS handshake over a byte stream, never trusting on connect: rejectUnauthorized is off, the verdict of
// OpenSSL's verification is recorded, and everything the server sent is captured for the explanations.
import { readableOpenSslError } from '../tls/openssl-error.ts';
import { Socket } from 'node:net';
import tls, { type SecureContext, type TLSSocket } from 'node:tls';
import type { Duplex } from 'node:stream';
import { TapStream } from './tap.ts';

export interface HandshakeOutcome {
  ok: boolean;
  tlsMs: number;
  protocol: string | null;
  cipher: string | null;
  cipherStandardName: string | null;
  alpn: string | null;
  /** DER certificates in the order the server presented them. */
  chainDer: Buffer[];
  authorized: boolean;
  authorizationError: string | null;
  error: { code?: string; message: string } | null;
  /** The error came after the client considered the handshake complete (TLS 1.3 client-certificate check). */
  afterHandshake: boolean;
  timedOut: boolean;
  received: Buffer;
  bytesReceived: number;
  firstByteMs: number | null;
  ended: TapStream['ended'];
}

const contexts = new Map<string, SecureContext>();

/**
 * One context per trust configuration, shared by all probes in the process: OpenSSL parses the CA list once.
 * The client offers TLS 1.0-1.3 and every cipher suite (SECLEVEL=0) so that old servers are measured rather
 * than refused; weak results are reported as findings.
 */
export function secureContextFor(ca: string | undefined): SecureContext {
  const key = ca ?? '';
  let ctx = contexts.get(key);
  if (!ctx) {
    ctx = tls.createSecureContext({ ca, minVersion: 'TLSv1', maxVersion: 'TLSv1.3', ciphers: 'DEFAULT:@SECLEVEL=0' });
    contexts.set(key, ctx);
  }
  return ctx;
}

export interface HandshakeOptions {
  servername: string | null;
  alpn?: string[];
  secureContext: SecureContext;
  signal: AbortSignal;
  /** After a TLS 1.3 handshake, how long to wait for the server's verdict on our (absent) client certificate. */
  settleMs: number;
  /**
   * Record the server's bytes (needed to name a non-TLS protocol or read a TLS 1.2 flight). A TCP socket is
   * otherwise handed to OpenSSL directly, which is several times cheaper than a JavaScript stream.
   */
  tap?: boolean;
}

/** Failures whose error code already says everything; others are worth a second, recorded attempt. */
export function selfExplaining(hs: HandshakeOutcome): boolean {
  if (hs.ok || hs.timedOut) return true;
  const code = hs.error?.code ?? '';
  if (/ALERT_(CERTIFICATE_REQUIRED|UNRECOGNIZED_NAME|PROTOCOL_VERSION|NO_APPLICATION_PROTOCOL|BAD_CERTIFICATE|UNKNOWN_CA|CERTIFICATE_UNKNOWN|INTERNAL_ERROR)/.test(code)) return true;
  if (/EXCESSIVE_MESSAGE_SIZE|UNSUPPORTED_PROTOCOL|NO_PROTOCOLS_AVAILABLE/.test(code)) return true;
  return hs.bytesReceived === 0;
}

export function handshake(stream: Duplex, opts: HandshakeOptions): Promise<HandshakeOutcome> {
  const native = stream instanceof Socket && !opts.tap ? stream : null;
  const tap = native ? null : new TapStream(stream);
  let nativeEnd: HandshakeOutcome['ended'] = null;
  native?.once('end', () => (nativeEnd ??= { how: 'eof', at: performance.now() }));
  native?.once('error', (e: NodeJS.ErrnoException) => (nativeEnd ??= { how: 'error', code: e.code ?? e.message, at: performance.now() }));
  const t0 = performance.now();
  const out: HandshakeOutcome = {
    ok: false,
    tlsMs: 0,
    protocol: null,
    cipher: null,
    cipherStandardName: null,
    alpn: null,
    chainDer: [],
    authorized: false,
    authorizationError: null,
    error: null,
    afterHandshake: false,
    timedOut: false,
    received: Buffer.alloc(0),
    bytesReceived: 0,
    firstByteMs: null,
    ended: null,
  };
  return new Promise((resolve) => {
    let settled = false;
    let secured = false;
    let settleTimer: ReturnType<typeof setTimeout> | undefined;
    const finish = () => {
      if (settled) return;
      settled = true;
      clearTimeout(settleTimer);
      opts.signal.removeEventListener('abort', onAbort);
      if (!secured) out.tlsMs = performance.now() - t0;
      if (tap) {
        out.received = tap.received();
        out.bytesReceived = tap.total;
        out.firstByteMs = tap.firstByteAt === null ? null : tap.firstByteAt - t0;
        out.ended = tap.ended;
      } else {
        out.bytesReceived = native!.bytesRead;
        out.ended = nativeEnd ?? (/ECONNRESET/.test(out.error?.code ?? '') ? { how: 'error', code: 'ECONNRESET', at: performance.now() } : out.error && !out.timedOut ? { how: 'eof', at: performance.now() } : null);
      }
      socket.destroy();
      (tap ?? native)!.destroy();
      resolve(out);
    };
    const onAbort = () => {
      if (secured) {
        // The deadline hit while waiting for a post-handshake verdict: the handshake itself succeeded.
        finish();
        return;
      }
      out.timedOut = true;
      finish();
    };
    const socket: TLSSocket = tls.connect({
      socket: tap ?? native!,
      ...(opts.servername ? { servername: opts.servername } : {}),
      ...(opts.alpn && opts.alpn.length > 0 ? { ALPNProtocols: opts.alpn } : {}),
      secureContext: opts.secureContext,
      rejectUnauthorized: false,
      // Hostname verification is done separately (RFC 6125, SANs only) so that trust and name stay apart.
      checkServerIdentity: () => undefined,
    });
    if (opts.signal.aborted) return onAbort();
    opts.signal.addEventListener('abort', onAbort, { once: true });
    socket.once('secureConnect', () => {
      secured = true;
      out.tlsMs = performance.now() - t0;
      out.ok = true;
      out.protocol = socket.getProtocol();
      const c = socket.getCipher();
      out.cipher = c?.name ?? null;
      out.cipherStandardName = (c as { standardName?: string } | undefined)?.standardName ?? null;
      out.alpn = typeof socket.alpnProtocol === 'string' ? socket.alpnProtocol : null;
      out.authorized = socket.authorized;
      out.authorizationError = socket.authorizationError ? String(socket.authorizationError) : null;
      out.chainDer = presentedChain(socket);
      if (out.protocol === 'TLSv1.3' && opts.settleMs > 0) {
        // TLS 1.3 clients finish before the server has checked their certificate; a server that requires one
        // answers our Finished with an alert, one that is content sends session tickets.
        socket.once('session', finish);
        socket.resume();
        settleTimer = setTimeout(finish, opts.settleMs);
      } else {
        finish();
      }
    });
    socket.on('error', (e: NodeJS.ErrnoException) => {
      if (!out.error) out.error = { code: e.code, message: readableOpenSslError(e.message) };
      if (secured) {
        out.ok = false;
        out.afterHandshake = true;
      }
      finish();
    });
    socket.on('close', finish);
  });
}

/**
 * The chain exactly as the server sent it. `getPeerCertificate(true)` does not give this: Node rebuilds the
 * chain (reorders it, drops duplicates and unused certificates, appends roots from the local store).
 * `getPeerX509Certificate().issuerCertificate` walks OpenSSL's peer chain stack in wire order.
 */
export function presentedChain(socket: TLSSocket): Buffer[] {
  const out: Buffer[] = [];
  let c = socket.getPeerX509Certificate();
  while (c && out.length < 10_000) {
    out.push(c.raw);
    c = c.issuerCertificate;
  }
  return out;
}
