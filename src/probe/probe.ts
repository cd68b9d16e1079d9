// probe(): connect to one endpoint, speak the preamble if asked, handshake, analyse what was served, explain.
// A library function: no commander, no printing. The CLI, `inspect --probe` and port-forward reuse it.
import { decodeDer, parsesAsX509, type DecodedCert } from '../tls/certificate.ts';
import { issuedBy } from './trust.ts';
import { analyzeChain } from './chain.ts';
import { ConnectError, tcpConnector } from './connect.ts';
import { Deadline, ms, TimeoutError } from './deadline.ts';
import { connectFailure, dnsFailure, handshakeFailure } from './explain.ts';
import { buildFindings } from './findings.ts';
import { handshake, secureContextFor, selfExplaining, type HandshakeOutcome } from './handshake.ts';
import { matchHostname } from './hostname.ts';
import { recognize } from './known.ts';
import { parseServerFlight, type ServerFlight } from './records.ts';
import { sniffProtocol } from './sniff.ts';
import { PG_SSL_REQUEST, runStartTls, StartTlsError } from './starttls.ts';
import { joinHostPort, parseTarget, splitHostPort } from './target.ts';
import { buildPath, nodeDefaultStore, osTrustStore, storeFromPem, type TrustStore } from './trust.ts';
import type { Connector, PostgresCheck, ProbeConnection, ProbeOptions, ProbeReport, ProbeTarget, Transport } from './types.ts';

export const DEFAULT_TIMEOUT_MS = 10_000;
/** Verify codes meaning "the issuer is unknown here", worth a second look in the operating system's store. */
const UNKNOWN_ISSUER = new Set(['UNABLE_TO_GET_ISSUER_CERT_LOCALLY', 'UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'SELF_SIGNED_CERT_IN_CHAIN', 'DEPTH_ZERO_SELF_SIGNED_CERT', 'UNABLE_TO_GET_ISSUER_CERT']);

export async function probe(targetInput: string | ProbeTarget, options: ProbeOptions = {}): Promise<ProbeReport> {
  const target = typeof targetInput === 'string' ? parseTarget(targetInput) : targetInput;
  const now = options.now ?? new Date();
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const deadline = new Deadline(timeoutMs);
  const connector: Connector = options.connector ?? tcpConnector;
  const host = target.kind === 'host' ? target.host : target.name;
  const port = typeof target.port === 'number' ? target.port : 0;
  const sni = options.sni !== undefined ? options.sni || null : target.kind === 'host' && !target.ip ? target.host : null;
  const connectTo = options.connectTo ? parseConnectTo(options.connectTo, port) : undefined;
  const endpoint = joinHostPort(host, target.port);
  const conn: ProbeConnection = {
    ok: false,
    phase: 'dns',
    dnsMs: null,
    tcpMs: null,
    preambleMs: null,
    tlsMs: null,
    totalMs: 0,
    protocol: null,
    cipher: null,
    alpn: null,
    bytesReceived: 0,
    firstByteMs: null,
    error: null,
    notTls: null,
  };
  const report: ProbeReport = {
    apiVersion: 'gwtls.dev/v1alpha1',
    kind: 'ProbeReport',
    generatedAt: now.toISOString(),
    target: { input: target.input, host, port, sni, address: null, connectTo: options.connectTo ?? null, starttls: options.starttls ?? null, alpnOffered: options.alpn ?? [] },
    dns: null,
    connection: conn,
    chain: [],
    chainAnalysis: null,
    verification: { trusted: null, hostnameMatches: null, error: null, name: null, trustStore: options.ca ? caStoreLabel(options.caLabel) : 'system' },
    findings: [],
    ok: false,
    summary: { errors: 0, warnings: 0, info: 0 },
  };
  const ctxFollow = { target, connector, connectTo, sni, deadline, options };
  try {
    // 1. DNS + connect (or the injected stream).
    let transport: Transport;
    try {
      transport = await connector(target, { connectTo, signal: deadline.signal });
    } catch (e) {
      const ce = e instanceof ConnectError ? e : new ConnectError((e as Error).message, e instanceof TimeoutError ? 'TIMEOUT' : ((e as NodeJS.ErrnoException).code ?? 'ECONNECT'), 'connect', null, null);
      report.dns = ce.dns ? roundDns(ce.dns) : null;
      conn.phase = ce.phase;
      report.target.address = ce.address;
      conn.error = ce.phase === 'dns' ? dnsFailure(ce.code, connectTo?.host ?? host, ce.message) : connectFailure(ce.code, joinHostPort(ce.address ?? connectTo?.host ?? host, connectTo?.port ?? port), timeoutMs);
      if (ce.detail) conn.error = { ...conn.error, message: ce.message, ...ce.detail };
      return finish(report, endpoint, deadline);
    }
    report.dns = transport.dns ? roundDns(transport.dns) : null;
    conn.dnsMs = transport.dns ? ms(transport.dns.ms) : null;
    conn.tcpMs = ms(transport.connectMs);
    report.target.address = transport.address;
    report.target.addressPort = transport.port;

    // 2. STARTTLS preamble.
    if (options.starttls) {
      conn.phase = 'preamble';
      const t0 = performance.now();
      try {
        const { log } = await runStartTls(options.starttls, transport.stream, deadline.signal);
        conn.preamble = log;
        conn.preambleMs = ms(performance.now() - t0);
      } catch (e) {
        transport.stream.destroy();
        conn.preambleMs = ms(performance.now() - t0);
        if (lateConnectFailure(report, transport, timeoutMs)) return finish(report, endpoint, deadline);
        if (!(e instanceof StartTlsError)) throw e;
        conn.preamble = (e as StartTlsError & { log?: string[] }).log ?? [];
        conn.error = {
          code: `STARTTLS_${e.code}`,
          message: e.message,
          summary: `${options.starttls} STARTTLS failed: ${e.message}`,
          explanation: e.code === 'NO_ANSWER' || e.code === 'TIMEOUT' ? `no answer within ${Math.round(timeoutMs / 100) / 10}s` : e.message,
        };
        const banner = Buffer.from(e.received, 'latin1');
        if (e.code === 'UNEXPECTED') conn.notTls = sniffProtocol(banner);
        if (options.starttls === 'postgres' && !options.noFollowUps) {
          report.postgres = { sslRequest: e.code === 'REFUSED' ? (e.received === 'N' ? 'N' : 'E') : e.code === 'EOF' || e.code === 'RESET' || e.code === 'NO_ANSWER' ? 'none' : 'other', directTls: null, detail: e.message };
          await postgresDirect(report.postgres, ctxFollow);
        }
        return finish(report, endpoint, deadline);
      }
    }

    // 3. The handshake.
    conn.phase = 'handshake';
    const settleMs = Math.min(500, Math.max(50, 3 * transport.connectMs));
    let hs = await handshake(transport.stream, { servername: sni, alpn: options.alpn, secureContext: secureContextFor(options.ca), signal: deadline.signal, settleMs, tap: Boolean(options.starttls) });
    if (!hs.ok && lateConnectFailure(report, transport, timeoutMs)) return finish(report, endpoint, deadline);
    if ((!selfExplaining(hs) || refusedOverClientCertificate(hs)) && !options.starttls) {
      // A quick failure the error code does not explain, or a refusal of our (absent) client certificate before
      // the chain was seen: connect again and record what the server says (a TLS 1.2 flight holds its chain).
      const again = await tryHandshake(ctxFollow, sni, options.alpn, deadline.remaining(), true);
      if (again && !again.ok) hs = again;
    }
    fillConnection(conn, hs);
    const flight = parseServerFlight(hs.received);
    if (flight.certificateRequest) conn.clientCertificateRequested = true;
    if (!hs.ok || hs.error) {
      if (!flight.isTls && hs.received.length > 0) conn.notTls = sniffProtocol(hs.received);
      conn.error = handshakeFailure({
        error: hs.error,
        timedOut: hs.timedOut,
        timeoutMs,
        bytesReceived: hs.bytesReceived,
        flight,
        notTls: conn.notTls,
        ended: hs.ended,
        sni,
        alpnOffered: options.alpn ?? [],
        afterHandshake: hs.afterHandshake,
      });
      if (conn.error.code === 'CLIENT_CERTIFICATE_REQUIRED') conn.clientCertificateRequested = true;
    }
    if (hs.ok && !hs.afterHandshake) conn.phase = 'done';

    // 4. What was served. A TLS 1.2 handshake the server stops (most often: it wants a client certificate) ends
    // before the client verifies anything, but the server's certificates went in the clear: show those.
    if (hs.chainDer.length > 0) analyse(report, hs, options, now);
    else if (!hs.ok && serverStopped(flight)) {
      // Only certificates X.509 can read: a malformed Certificate message is the client's refusal, said by the error.
      const sent = (flight.certificates ?? []).filter(parsesAsX509);
      if (sent.length > 0) analyse(report, { ...hs, chainDer: sent }, options, now, { verified: false });
    }

    // 5. Follow-ups that classify a failure or check PostgreSQL negotiation.
    if (!options.noFollowUps) await followUps(report, hs, ctxFollow);
  } catch (e) {
    if (e instanceof TimeoutError) {
      conn.error ??= { code: 'TIMEOUT', message: e.message, summary: 'time limit reached', explanation: 'The probe did not finish within --timeout.' };
    } else {
      throw e;
    }
  }
  return finish(report, endpoint, deadline);
}

/** The server refused the handshake over the client certificate before its chain was seen (Java: bad_certificate; TLS 1.3 style certificate_required). */
function refusedOverClientCertificate(hs: HandshakeOutcome): boolean {
  return !hs.ok && hs.chainDer.length === 0 && hs.bytesReceived > 0 && /ALERT_(BAD_CERTIFICATE|CERTIFICATE_REQUIRED|CERTIFICATE_UNKNOWN)/.test(hs.error?.code ?? '');
}

/** The server ended the handshake with a fatal alert of its own (not the client refusing what it sent). */
function serverStopped(flight: ServerFlight): boolean {
  return flight.alerts.some((a) => a.level === 2);
}

/** A connect failure the transport learnt of after it handed the stream over (port-forward): the connect step failed after all. */
function lateConnectFailure(report: ProbeReport, transport: Transport, timeoutMs: number): boolean {
  const e = transport.failure?.();
  if (!e) return false;
  const ce = e instanceof ConnectError ? e : new ConnectError(e.message, (e as NodeJS.ErrnoException).code ?? 'ECONNECT', 'connect', null, transport.address);
  const conn = report.connection;
  conn.phase = 'connect';
  conn.error = connectFailure(ce.code, joinHostPort(transport.address, transport.port), timeoutMs);
  conn.error = { ...conn.error, message: ce.message, ...(ce.detail ?? {}) };
  return true;
}

function parseConnectTo(v: string, defaultPort: number): { host: string; port: number } {
  const { host, port } = splitHostPort(v, '--connect-to');
  return { host, port: port ?? defaultPort };
}

function roundDns(d: { name: string; addresses: string[]; ms: number }) {
  return { ...d, ms: ms(d.ms) };
}

function fillConnection(conn: ProbeConnection, hs: HandshakeOutcome): void {
  conn.tlsMs = ms(hs.tlsMs);
  conn.protocol = hs.protocol;
  conn.cipher = hs.cipher;
  conn.cipherStandardName = hs.cipherStandardName;
  conn.alpn = hs.alpn;
  conn.bytesReceived = hs.bytesReceived;
  conn.firstByteMs = hs.firstByteMs === null ? null : ms(hs.firstByteMs);
}

function storeFor(options: ProbeOptions): TrustStore {
  return options.ca ? storeFromPem(options.ca, caStoreLabel(options.caLabel)) : nodeDefaultStore();
}

/** How a --ca-file store is named in reports (and the key of its parse cache). */
export function caStoreLabel(file: string | undefined): string {
  return `ca-file ${file ?? '(given)'}`;
}

const servedDer = new WeakMap<ProbeReport, Buffer[]>();

/** The chain exactly as served (DER, leaf first), for callers that verify it further (backend observations). Not part of the JSON. */
export function servedChainDer(report: ProbeReport): Buffer[] {
  return servedDer.get(report) ?? [];
}

/** `verified: false`: the chain was read off the wire from a handshake that stopped, so OpenSSL gave no verdict on it. */
function analyse(report: ProbeReport, hs: HandshakeOutcome, options: ProbeOptions, now: Date, { verified = true } = {}): void {
  servedDer.set(report, hs.chainDer);
  const decoded: DecodedCert[] = [];
  hs.chainDer.forEach((der, i) => {
    try {
      const d = decodeCached(der, now);
      d.cert.index = i;
      decoded.push(d);
    } catch {
      // An undecodable certificate: OpenSSL accepted it, node-forge did not. Keep going with the rest.
    }
  });
  decoded.forEach((d, i) => {
    const next = decoded[i + 1];
    d.cert.issuedByNext = next ? issuedBy(d.x509, next.x509) : null;
  });
  report.chain = decoded.map((d) => d.cert);
  const store = storeFor(options);
  const { analysis, path } = analyzeChain(decoded, store, now);
  report.chainAnalysis = analysis;
  const v = report.verification;
  v.trusted = verified ? hs.authorized : null;
  v.errorCode = verified ? hs.authorizationError : null;
  v.anchor = verified && path.anchor ? path.anchor.subject.replace(/\n/g, ', ') : null;
  if (verified && !hs.authorized && !options.ca && hs.authorizationError && UNKNOWN_ISSUER.has(hs.authorizationError)) {
    // Node verifies against its bundled roots; clients on this machine also trust the operating system's store.
    const os = osTrustStore();
    if (os) {
      const p = buildPath(decoded.map((d) => d.x509), os);
      const valid = p.path.every((i) => {
        const c = decoded[i]!.cert;
        return now >= new Date(c.notBefore) && now <= new Date(c.notAfter);
      });
      if (p.anchor && valid && !p.storeIntermediate) {
        v.trusted = true;
        v.errorCode = null;
        v.anchor = p.anchor.subject.replace(/\n/g, ', ');
        v.trustStore = 'system (operating system store)';
      }
    }
  }
  if (v.trusted === false) v.error = verifyErrorText(v.errorCode ?? 'UNKNOWN', report);
  else if (!verified) v.error = 'not verified: the handshake stopped before the client verified the chain (the certificates are as the server sent them)';
  const leaf = decoded[0];
  if (leaf) {
    const name = report.target.sni ?? report.target.host;
    const hm = matchHostname(leaf.x509, leaf.cert, name);
    v.name = name;
    v.hostnameMatches = hm.matches;
    v.hostnameDetail = hm.detail;
    if (!hm.matches) v.error = v.error ? `${v.error}; ${hm.detail}` : hm.detail;
    const rec = recognize(leaf.cert);
    if (rec.length > 0) v.recognized = rec;
  }
}

const decodeCache = new Map<string, { d: DecodedCert; minute: number }>();

/**
 * Decoding is the costliest step after the handshake (node-forge ASN.1); endpoints of one Gateway usually share
 * their certificates, so decode each distinct certificate once (per minute of the reference time, for daysLeft).
 */
function decodeCached(der: Buffer, now: Date): DecodedCert {
  const key = der.toString('base64');
  const minute = Math.floor(now.getTime() / 60_000);
  const hit = decodeCache.get(key);
  const d = hit && hit.minute === minute ? hit.d : decodeDer(der, 'probe', now);
  if (d !== hit?.d) {
    if (decodeCache.size > 1000) decodeCache.clear();
    decodeCache.set(key, { d, minute });
  }
  // The report's copy of the certificate is its own (the analysis numbers it); the rest is shared.
  return { ...d, cert: structuredClone(d.cert) };
}

function verifyErrorText(code: string, report: ProbeReport): string {
  const a = report.chainAnalysis;
  const store = report.verification.trustStore;
  switch (code) {
    case 'UNABLE_TO_VERIFY_LEAF_SIGNATURE':
    case 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY':
    case 'UNABLE_TO_GET_ISSUER_CERT':
      if (a?.missingIntermediate) return `the chain does not reach a trusted root (${store}): issuer ${a.missingIntermediate.issuer} is not sent by the server and not trusted (${code})`;
      return `the chain ends in a certificate whose issuer is not in the trust store (${store}) (${code})`;
    case 'DEPTH_ZERO_SELF_SIGNED_CERT':
      return `the leaf is self-signed and not in the trust store (${store})`;
    case 'SELF_SIGNED_CERT_IN_CHAIN':
      return `the chain ends in a root CA that is not in the trust store (${store}): a private CA`;
    case 'CERT_HAS_EXPIRED':
      return 'a certificate in the chain has expired';
    case 'CERT_NOT_YET_VALID':
      return 'a certificate in the chain is not yet valid';
    case 'CERT_CHAIN_TOO_LONG':
      return 'the chain is longer than the verifier accepts (OpenSSL: 100 certificates)';
    case 'INVALID_CA':
      return 'a certificate used as an issuer is not a CA';
    case 'CA_KEY_TOO_SMALL':
    case 'EE_KEY_TOO_SMALL':
      return 'a key in the chain is too small';
    case 'CA_MD_TOO_WEAK':
      return 'a certificate in the chain is signed with a weak digest (SHA-1/MD5)';
    case 'UNSPECIFIED': {
      // Node has no name for X509_V_ERR_UNHANDLED_CRITICAL_EXTENSION, among others.
      const critical = a?.issues.find((i) => i.kind === 'unhandled-critical-extension');
      return critical ? `${critical.message} (verify code ${code})` : `verification failed: ${code}`;
    }
    default:
      return `verification failed: ${code}`;
  }
}

interface FollowCtx {
  target: ProbeTarget;
  connector: Connector;
  connectTo: { host: string; port: number } | undefined;
  sni: string | null;
  deadline: Deadline;
  options: ProbeOptions;
}

/** A second connection within the same time budget (at most `capMs`). */
async function withStream<T>(ctx: FollowCtx, capMs: number, fn: (t: Transport, signal: AbortSignal) => Promise<T>): Promise<T | null> {
  const budget = Math.floor(Math.min(capMs, ctx.deadline.remaining()));
  if (budget < 20) return null;
  const signal = AbortSignal.any([ctx.deadline.signal, AbortSignal.timeout(budget)]);
  let t: Transport | null = null;
  try {
    t = await ctx.connector(ctx.target, { connectTo: ctx.connectTo, signal });
    return await fn(t, signal);
  } catch {
    return null;
  } finally {
    t?.stream.destroy();
  }
}

async function tryHandshake(ctx: FollowCtx, servername: string | null, alpn: string[] | undefined, capMs: number, tap = false): Promise<HandshakeOutcome | null> {
  return withStream(ctx, capMs, (t, signal) => handshake(t.stream, { servername, alpn, secureContext: secureContextFor(ctx.options.ca), signal, settleMs: 0, tap }));
}

/** Sends SSLRequest and returns the first answer byte as a letter, 'none' on close/silence. */
async function sslRequest(ctx: FollowCtx, capMs: number): Promise<PostgresCheck['sslRequest']> {
  const r = await withStream(ctx, capMs, (t, signal) =>
    new Promise<PostgresCheck['sslRequest']>((resolve) => {
      const s = t.stream;
      const done = (v: PostgresCheck['sslRequest']) => {
        signal.removeEventListener('abort', onAbort);
        resolve(v);
      };
      const onAbort = () => done('none');
      signal.addEventListener('abort', onAbort, { once: true });
      s.once('data', (b: Buffer) => done(b[0] === 0x53 ? 'S' : b[0] === 0x4e ? 'N' : b[0] === 0x45 ? 'E' : 'other'));
      s.once('end', () => done('none'));
      s.once('error', () => done('none'));
      s.write(PG_SSL_REQUEST);
    }),
  );
  return r ?? 'none';
}

async function postgresDirect(pg: PostgresCheck, ctx: FollowCtx): Promise<void> {
  const direct = await tryHandshake(ctx, ctx.sni, ['postgresql'], 3000);
  pg.directTls = direct ? direct.ok && !direct.error : false;
  pg.directAlpn = direct?.alpn ?? null;
}

async function followUps(report: ProbeReport, hs: HandshakeOutcome, ctx: FollowCtx): Promise<void> {
  const conn = report.connection;
  const code = conn.error?.code ?? '';
  const port = report.target.port;
  const alpn = ctx.options.alpn ?? [];
  // A failed handshake with SNI: does the server answer without SNI? (SNI-specific vs. general failure)
  if (!hs.ok && ctx.sni && !conn.notTls && !hs.timedOut && !ctx.options.starttls && conn.error?.code !== 'CLIENT_CERTIFICATE_REQUIRED') {
    const bare = await tryHandshake(ctx, null, ctx.options.alpn, 2000);
    if (bare) {
      let leaf: string | null = null;
      if (bare.chainDer[0]) {
        try {
          leaf = decodeDer(bare.chainDer[0], 'probe').cert.subject;
        } catch {
          leaf = null;
        }
      }
      report.withoutSni = { ok: bare.ok, leaf, error: bare.error?.message ?? (bare.timedOut ? 'timed out' : null) };
    }
  }
  // Closed on a ClientHello without a word: PostgreSQL does exactly that.
  if (!ctx.options.starttls && !hs.ok && hs.bytesReceived === 0 && (code === 'EOF_BEFORE_SERVER_HELLO' || code === 'ECONNRESET')) {
    const answer = await sslRequest(ctx, 2000);
    if (answer === 'S' || answer === 'N') {
      report.postgres = { sslRequest: answer, directTls: null, detail: `the port answered a PostgreSQL SSLRequest with ${answer}` };
      conn.notTls = { protocol: 'postgresql', name: 'PostgreSQL', banner: `(closed on ClientHello; answered SSLRequest with ${answer})` };
      if (conn.error) {
        conn.error.code = 'NOT_TLS';
        conn.error.summary = `the server closed the connection on the ClientHello but answers PostgreSQL's SSLRequest (${answer}): this port speaks PostgreSQL`;
        conn.error.explanation = 'PostgreSQL negotiates TLS inside its protocol (SSLRequest first); a bare ClientHello is dropped without a word.';
      }
      if (answer === 'S' && !alpn.includes('postgresql')) await postgresDirect(report.postgres, ctx);
      else report.postgres.directTls = false;
    }
  }
  // --starttls postgres worked: do direct-TLS clients (sslnegotiation=direct) work too?
  if (ctx.options.starttls === 'postgres' && hs.ok) {
    report.postgres = { sslRequest: 'S', directTls: null };
    await postgresDirect(report.postgres, ctx);
  }
  // Raw TLS on a PostgreSQL port: do default clients (SSLRequest first) get an answer?
  if (!ctx.options.starttls && hs.ok && (port === 5432 || alpn.includes('postgresql') || hs.alpn === 'postgresql')) {
    const answer = await sslRequest(ctx, 2000);
    report.postgres = { sslRequest: answer, directTls: true, directAlpn: hs.alpn };
  }
}

function finish(report: ProbeReport, endpoint: string, deadline: Deadline): ProbeReport {
  deadline.dispose();
  const c = report.connection;
  c.totalMs = ms(deadline.elapsed());
  c.ok = c.phase === 'done' && !c.error;
  const v = report.verification;
  // A chain that Node accepts but common clients reject for its weak keys or signatures does not pass.
  const weak = (report.chainAnalysis?.issues ?? []).some((i) => i.kind === 'weak-key' || i.kind === 'weak-signature');
  report.ok = c.ok && v.trusted === true && v.hostnameMatches === true && !weak;
  report.findings = buildFindings(report, endpoint);
  for (const f of report.findings) {
    if (f.severity === 'error') report.summary.errors++;
    else if (f.severity === 'warning') report.summary.warnings++;
    else report.summary.info++;
  }
  return report;
}

/** Probes several targets with bounded concurrency; results in input order. */
export async function probeAll(targets: Array<string | ProbeTarget>, options: ProbeOptions = {}, concurrency = 16): Promise<ProbeReport[]> {
  const out: ProbeReport[] = new Array<ProbeReport>(targets.length);
  let next = 0;
  const worker = async () => {
    while (next < targets.length) {
      const i = next++;
      out[i] = await probe(targets[i]!, options);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, targets.length) }, worker));
  return out;
}
