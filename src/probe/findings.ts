// Turns a probe's facts into catalogue findings (codes.ts), each with a message in plain words, the evidence,
// and a hint on how to resolve it.
import { probeFinding, type ProbeFinding } from './codes.ts';
import { shortName } from './chain.ts';
import { adviceFor } from './sniff.ts';
import type { ProbeReport } from './types.ts';

export function buildFindings(r: ProbeReport, endpoint: string): ProbeFinding[] {
  const out: ProbeFinding[] = [];
  const c = r.connection;
  const e = c.error;
  const sniText = r.target.sni ? `SNI ${r.target.sni}` : 'no SNI';
  const add = (code: string, message: string, opts: Parameters<typeof probeFinding>[3] = {}) => out.push(probeFinding(code, endpoint, message, opts));

  // Could not connect.
  if (c.phase === 'dns' || c.phase === 'connect') {
    if (e) add('GWTLS-PRB-001', `${capital(e.summary)}. ${e.explanation}`, { evidence: [e.message], hint: c.phase === 'dns' ? 'check the DNS record, or probe the Gateway address with --connect-to ADDRESS' : 'check the Gateway is Programmed with an address and the listener port, then firewalls/security groups' });
    return out;
  }

  // STARTTLS preamble failed.
  if (c.phase === 'preamble' && e) {
    if (r.target.starttls === 'postgres') {
      const pg = r.postgres;
      const direct = pg?.directTls === true ? (pg.directAlpn === 'postgresql' ? 'Direct TLS with ALPN postgresql does work here: only PostgreSQL 17+ clients with sslnegotiation=direct can connect.' : NO_ALPN) : pg?.directTls === false ? 'Direct TLS with ALPN postgresql does not work either.' : '';
      const rawTls = e.code === 'STARTTLS_TLS' || e.code === 'STARTTLS_EOF' || e.code === 'STARTTLS_RESET' || e.code === 'STARTTLS_NO_ANSWER';
      add(
        'GWTLS-PRB-012',
        rawTls
          ? `The port does not answer PostgreSQL's SSLRequest with S (${e.message}): it expects a raw TLS handshake, like a TLS-terminating load balancer or Gateway listener. Default PostgreSQL clients (sslnegotiation=postgres) cannot connect. ${direct}`.trim()
          : `${capital(e.message)}. ${direct}`.trim(),
        { severity: 'error', evidence: [...(c.preamble ?? []), ...(pg?.directTls === true ? [`direct TLS: ALPN selected ${pg.directAlpn ?? 'none'}`] : [])], hint: PG_HINT },
      );
    } else if (c.notTls) {
      add('GWTLS-PRB-003', `The server does not speak ${r.target.starttls}: it sent ${c.notTls.name} ("${c.notTls.banner.slice(0, 60)}"). ${adviceFor(c.notTls, r.target.port)}`, { evidence: c.preamble ?? [] });
    } else {
      add('GWTLS-PRB-002', `${capital(e.summary)}.`, { evidence: c.preamble ?? [], hint: e.code === 'STARTTLS_NO_ANSWER' ? 'the server says nothing: check the port speaks this protocol' : 'enable TLS on the server, or probe its implicit-TLS port' });
    }
    return out;
  }

  // Handshake failed.
  if (e) {
    if (c.notTls) {
      add('GWTLS-PRB-003', adviceFor(c.notTls, r.target.port), {
        evidence: [`server sent: ${c.notTls.banner}`, ...(r.postgres?.detail ? [r.postgres.detail] : []), ...(r.postgres?.directTls === true ? ['direct TLS with ALPN postgresql works'] : r.postgres?.directTls === false ? ['direct TLS with ALPN postgresql fails'] : [])],
        hint: c.notTls.protocol === 'postgresql' ? 'kubectl gwtls probe HOST:PORT --starttls postgres' : 'terminate TLS on the listener or make the backend speak TLS',
      });
      return out;
    }
    const evidence = [e.message];
    if (e.alert) evidence.push(`TLS alert ${e.alert.name} (${e.alert.description})`);
    evidence.push(`${c.bytesReceived} bytes received from the server`);
    if (r.withoutSni) {
      evidence.push(r.withoutSni.ok ? `without SNI the handshake completes and the server presents ${r.withoutSni.leaf ? shortName(r.withoutSni.leaf) : 'a certificate'}` : `without SNI it fails too (${r.withoutSni.error ?? 'no answer'})`);
    }
    const sniSpecific = r.withoutSni?.ok === true;
    const code = e.code === 'ALERT_NO_APPLICATION_PROTOCOL' || e.code === 'ALERT_PROTOCOL_VERSION' || e.code === 'PROTOCOL_VERSION' ? 'GWTLS-PRB-011' : 'GWTLS-PRB-002';
    const msg = `${capital(e.summary)}. ${e.explanation}${sniSpecific ? ` The server does answer clients without SNI, so it rejects ${r.target.sni} specifically: no listener/filter chain serves this name.` : ''}`;
    add(code, msg, { evidence, hint: hintFor(e.code, r.target.sni) });
    const sniRelated = e.code === 'EOF_BEFORE_SERVER_HELLO' || e.code === 'ECONNRESET' || (e.code.startsWith('ALERT_') && e.code !== 'ALERT_NO_APPLICATION_PROTOCOL' && e.code !== 'ALERT_PROTOCOL_VERSION');
    if (!r.target.sni && sniRelated) {
      add('GWTLS-PRB-010', 'This probe sent no SNI (the target is an IP address) and the server refused the handshake: clients connecting by IP address fail. Probe with --sni NAME (or --connect-to) to test the way DNS clients connect.', { evidence: [e.summary], hint: 'clients must use the DNS name; on AWS NLB make the intended certificate the default certificate' });
    }
    if (c.protocol === null && r.chain.length === 0) return out;
  }

  const v = r.verification;
  const a = r.chainAnalysis;
  if (r.chain.length === 0 || !a) return out;
  const leaf = r.chain[0]!;
  const defaults = (v.recognized ?? []).filter((k) => k.kind === 'default' || k.kind === 'mesh');

  // Name.
  if (v.hostnameMatches === false) {
    const dflt = defaults.length ? ` The server presents the ${defaults[0]!.name}: ${defaults[0]!.note}` : '';
    if (!r.target.sni) {
      add('GWTLS-PRB-010', `No SNI was sent (the target is an IP address) and the certificate served is not valid for ${v.name}: ${v.hostnameDetail ?? 'no SAN matches'}.${dflt} Clients connecting by IP get this certificate; probe with --sni NAME to see what DNS clients get.`, { evidence: [`leaf ${leaf.subject}`, `SANs: ${sanList(leaf)}`] });
    } else {
      add('GWTLS-PRB-005', `The certificate served for ${sniText} is not valid for ${v.name}: ${v.hostnameDetail ?? 'no SAN matches'}.${dflt}`, {
        evidence: [`leaf ${leaf.subject}`, `SANs: ${sanList(leaf)}`],
        hint: defaults.length ? 'make the listener\'s certificateRefs Secret exist and cover this name' : 'reissue the certificate with this name as a DNS SAN, or narrow the listener hostname',
      });
    }
  }

  // Validity.
  const validity = a.issues.filter((i) => i.kind === 'expired' || i.kind === 'not-yet-valid');
  if (validity.length) add('GWTLS-PRB-006', `${validity.map((i) => capital(i.message)).join('. ')}. Clients reject the handshake.`, { evidence: validity.map((i) => i.message), hint: 'renew the certificate (let cert-manager own the Secret) and check the server picks it up' });

  // Chain shape.
  let missing = a.issues.find((i) => i.kind === 'missing-intermediate');
  const gap = a.missingIntermediate;
  if (missing && gap && gap.afterIndex > 0 && v.trusted === false && !/holds that intermediate/.test(missing.message)) {
    // The served chain ends at an intermediate whose issuer nobody has: most often a private root CA.
    const last = r.chain[gap.afterIndex]!;
    add('GWTLS-PRB-008', `The chain ends at ${shortName(last.subject)}, issued by ${shortName(gap.issuer)}, which the trust store (${v.trustStore}) does not hold. ${shortName(gap.issuer)} is most likely a private root CA: pass it with --ca-file to verify the rest, and distribute it to clients. If it is an intermediate instead, the server must send it too${gap.aiaIssuers.length ? ` (it can be downloaded from ${gap.aiaIssuers.join(', ')})` : ''}.`, {
      evidence: [`verify code ${v.errorCode ?? 'unknown'}`, ...r.chain.map((x, i) => `${i}: ${shortName(x.subject)} <- ${shortName(x.issuer)}`)],
      hint: 'distribute the CA to clients, or serve a certificate from a publicly trusted CA',
    });
    missing = undefined;
  }
  if (missing) {
    const aia = a.missingIntermediate?.aiaIssuers ?? [];
    add('GWTLS-PRB-007', `The served chain is incomplete: ${missing.message}. Clients that do not fetch missing intermediates (curl, OpenSSL, Go, Java, Python, Envoy as a client) fail with "unable to verify the first certificate".`, {
      evidence: r.chain.map((x, i) => `${i}: ${shortName(x.subject)} <- issued by ${shortName(x.issuer)}`),
      hint: `put the leaf followed by its intermediate(s) in the Secret's tls.crt${aia.length ? ` (the intermediate: ${aia[0]})` : ''}; for ACM, import the chain with the certificate`,
    });
  }
  const order = a.issues.filter((i) => i.kind === 'order');
  if (order.length) add('GWTLS-PRB-007', `The chain is served out of order: ${order.map((i) => i.message).join('; ')}. Most clients reorder, but strict ones (older Java, .NET, embedded TLS stacks) fail.`, { severity: 'warning', evidence: r.chain.map((x, i) => `${i}: ${shortName(x.subject)}`), hint: 'order tls.crt as leaf, intermediate(s), [root]' });
  const extra = a.issues.filter((i) => i.kind === 'unused' || i.kind === 'duplicate');
  if (extra.length) add('GWTLS-PRB-007', `The chain carries certificates that do not belong to it: ${extra.map((i) => i.message).join('; ')}.`, { severity: 'info', evidence: extra.map((i) => i.message), hint: 'remove them from tls.crt' });
  const root = a.issues.find((i) => i.kind === 'root-included');
  if (root) add('GWTLS-PRB-007', capital(`${root.message}.`), { severity: 'info', evidence: [root.message] });

  // Trust. A chain that fails for its certificates' usage (below) is explained there, not as an unknown CA.
  const usage = a.issues.filter((i) => i.kind === 'not-ca' || i.kind === 'no-server-auth' || i.kind === 'leaf-is-ca');
  const usageFails = usage.some((i) => i.kind !== 'leaf-is-ca');
  // A critical extension clients do not know fails every verifier, whatever the trust store holds.
  const critical = a.issues.filter((i) => i.kind === 'unhandled-critical-extension');
  if (critical.length) add('GWTLS-PRB-008', `${capital(critical.map((i) => i.message).join('; '))}.`, { evidence: [`verify code ${v.errorCode ?? 'unknown'}`, ...critical.map((i) => i.message)], hint: 'reissue the certificate without that extension, or with it not marked critical' });
  if (v.trusted === false && !critical.length && !a.missingIntermediate && !validity.length && !usageFails) {
    const selfSigned = a.selfSignedLeaf;
    const staging = (v.recognized ?? []).find((k) => k.kind === 'staging');
    const msg = staging
      ? `The chain does not verify: ${staging.note}`
      : selfSigned
        ? `The leaf is self-signed (${shortName(leaf.subject)}) and not in the trust store (${v.trustStore}): no client trusts it unless it is distributed to them. Pass the certificate with --ca-file to verify everything else.`
        : `The chain does not verify against ${v.trustStore}: ${v.error ?? 'untrusted'}. If this is a private CA, pass its certificate with --ca-file to check the rest; clients need it in their trust store too.`;
    add('GWTLS-PRB-008', msg, { evidence: [`verify code ${v.errorCode ?? 'unknown'}`, ...r.chain.map((x, i) => `${i}: ${shortName(x.subject)} <- ${shortName(x.issuer)}`)], hint: 'distribute the CA to clients, or serve a certificate from a publicly trusted CA (e.g. cert-manager with ACME)' });
  }
  const weak = a.issues.filter((i) => i.kind === 'weak-key' || i.kind === 'weak-signature');
  // Node's own TLS (OpenSSL at security level 1) accepts such a chain; the clients named fail: an error either way.
  if (weak.length) add('GWTLS-PRB-008', `Weak cryptography in the served chain${v.trusted ? ', which this probe\'s TLS (Node: OpenSSL at security level 1) accepted and common clients reject' : ''}: ${weak.map((i) => i.message).join('; ')}.`, { evidence: weak.map((i) => i.message), hint: 'reissue with RSA 2048+ or ECDSA P-256 and SHA-256 signatures' });
  if (usage.length) add('GWTLS-PRB-008', `The chain is not usable for a TLS server: ${usage.map((i) => i.message).join('; ')}.`, { severity: usageFails ? 'error' : 'warning', evidence: usage.map((i) => i.message), hint: 'reissue from a CA with a server certificate profile' });

  // Protocol.
  if (c.protocol && /^(SSLv3|TLSv1|TLSv1\.1)$/.test(c.protocol)) {
    add('GWTLS-PRB-011', `The server negotiated ${c.protocol} (the best it offers). Clients with default settings (Node, Go, Java 17+, browsers, curl with OpenSSL 3) require TLS 1.2 or newer and fail the handshake.`, { evidence: [`protocol ${c.protocol}`, `cipher ${c.cipher ?? 'unknown'}`], hint: 'allow TLS 1.2 and 1.3 on the listener (AWS sslPolicy; Envoy Gateway ClientTrafficPolicy tls.minVersion: "1.2")' });
  }
  if ((r.target.alpnOffered ?? []).length > 0 && c.phase === 'done' && !c.alpn) {
    add('GWTLS-PRB-011', `The server ignored ALPN (${(r.target.alpnOffered ?? []).join(', ')} offered, none selected): clients that require ALPN (HTTP/2-only gRPC clients, PostgreSQL direct TLS) fail.`, { severity: 'warning', evidence: [`ALPN offered: ${(r.target.alpnOffered ?? []).join(', ')}`], hint: 'configure the listener\'s ALPN protocols (AWS alpnPolicy, Envoy Gateway ClientTrafficPolicy tls.alpnProtocols)' });
  }

  // PostgreSQL negotiation.
  const pg = r.postgres;
  if (pg && c.phase === 'done') {
    if (r.target.starttls === 'postgres' && pg.directTls === false) {
      add('GWTLS-PRB-012', 'PostgreSQL negotiation (SSLRequest, then TLS) works. Direct TLS with ALPN postgresql does not: fine for default clients, but PostgreSQL 17+ clients set to sslnegotiation=direct cannot connect, and neither can a load balancer or Gateway listener that terminates raw TLS in front of this port.', { severity: 'info', evidence: ['SSLRequest answered S', 'direct TLS with ALPN postgresql failed'] });
    } else if (!r.target.starttls && pg.sslRequest !== 'S') {
      const offered = (r.target.alpnOffered ?? []).includes('postgresql');
      const direct =
        c.alpn === 'postgresql'
          ? 'Only PostgreSQL 17+ clients with sslnegotiation=direct can connect (the port selects ALPN postgresql, which they require).'
          : offered
            ? NO_ALPN
            : 'PostgreSQL 17+ clients with sslnegotiation=direct can connect only if the port selects ALPN postgresql, which libpq requires (probe with --alpn postgresql to see); a TLS-terminating AWS NLB never does (its ALPN policies are HTTP only).';
      add('GWTLS-PRB-012', `The port terminates raw TLS${c.alpn === 'postgresql' ? ' (ALPN postgresql selected)' : ''} but does not answer PostgreSQL's SSLRequest with S (answer: ${pg.sslRequest}): default clients (sslnegotiation=postgres) send SSLRequest first and fail. ${direct}`, {
        evidence: [`raw TLS handshake ok (${c.protocol})`, `ALPN offered: ${(r.target.alpnOffered ?? []).join(', ') || 'none'}; selected: ${c.alpn ?? 'none'}`, `SSLRequest answer: ${pg.sslRequest}`],
        hint: PG_HINT,
      });
    }
  }

  // The server wants a client certificate (TLS 1.3: seen after our Finished).
  return out;
}

// libpq: "ALPN is mandatory with direct SSL connections" (src/interfaces/libpq/fe-secure-openssl.c, open_client_SSL,
// PostgreSQL 17+): a direct handshake that does not select ALPN postgresql is closed by the client.
const NO_ALPN = 'A direct TLS handshake completes, but the port does not select ALPN postgresql, which libpq requires with sslnegotiation=direct ("direct SSL connection was established without ALPN protocol negotiation extension"): no libpq client can connect, in either mode.';
const PG_HINT = 'put PostgreSQL behind a TCP listener (TLS Passthrough, or plain TCP) and let it terminate TLS itself; a TLS-terminating listener that cannot select ALPN postgresql (an AWS NLB TLS listener) serves no libpq client';

function hintFor(code: string, sni: string | null): string {
  switch (code) {
    case 'CLIENT_CERTIFICATE_REQUIRED':
      return 'clients need a certificate from the CA the listener trusts; this is policy, not a fault';
    case 'TIMEOUT_HANDSHAKE_SILENT':
      return 'check what the route\'s backend port runs, and whether the listener is TCP instead of TLS';
    case 'TIMEOUT_HANDSHAKE_STALLED':
      return 'retry with a longer --timeout; check MTU and proxy load';
    case 'HANDSHAKE_TOO_LARGE':
    case 'CHAIN_TOO_LONG':
      return 'serve only the leaf and its intermediates in tls.crt';
    case 'ALERT_NO_APPLICATION_PROTOCOL':
      return 'offer the protocol the listener expects (--alpn) or widen its ALPN list';
    case 'ALERT_PROTOCOL_VERSION':
    case 'PROTOCOL_VERSION':
      return 'allow TLS 1.2 and 1.3 on the listener';
    case 'ALERT_INTERNAL_ERROR':
      return 'check the listener certificate Secret (key matches, supported key type) and the proxy log';
    default:
      return `check that the Gateway listener hostname or the route hostnames include ${sni ?? 'the name clients use'}, and that the listener's certificate Secret is valid`;
  }
}

function sanList(c: { sans: { dns: string[]; ip: string[] } }): string {
  const all = [...c.sans.dns, ...c.sans.ip];
  return all.length ? (all.length > 8 ? `${all.slice(0, 8).join(', ')} (+${all.length - 8})` : all.join(', ')) : 'none';
}


function capital(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}
