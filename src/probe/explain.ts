// Socket errors and TLS alerts in plain words, with the likely cause on a Gateway.
import type { NotTls, ProbeError } from './types.ts';
import { ALERTS, type ServerFlight } from './records.ts';

const secs = (ms: number) => `${Math.round(ms / 100) / 10}s`;

export function connectFailure(code: string, address: string, timeoutMs: number): ProbeError {
  switch (code) {
    case 'ECONNREFUSED':
      return {
        code,
        message: `connect ECONNREFUSED ${address}`,
        summary: `connection refused: nothing listens on ${address}`,
        explanation:
          'The host answered but no process or load balancer listener accepts this port. On a Gateway: the listener port is not programmed yet (Gateway not Programmed, AWS LBC still reconciling), the Gateway\'s Service does not expose the port, or the address is not the Gateway\'s (check `kubectl get gateway -o wide` for its addresses and the listener port).',
      };
    case 'TIMEOUT':
      return {
        code: 'TIMEOUT_CONNECT',
        message: `TCP connect to ${address} timed out after ${secs(timeoutMs)}`,
        summary: `no answer to the TCP connection attempt to ${address} within ${secs(timeoutMs)}: packets are dropped on the way`,
        explanation:
          'Nothing answered at all, not even a refusal. Likely: a firewall, security group or network ACL drops the traffic (on AWS: the NLB security group or loadBalancerSourceRanges), the load balancer is still being provisioned, or DNS points at an address that is not the Gateway\'s.',
      };
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return { code, message: `connect ${code} ${address}`, summary: `no route to ${address}`, explanation: 'The network has no route to this address: a private address reached from outside its network, a VPN that is not up, or a wrong address.' };
    case 'EUNSUPPORTED':
      return { code, message: 'port-forward targets are not supported yet', summary: 'port-forward targets are not supported yet', explanation: 'Probe the Gateway address instead, or run `kubectl port-forward` and probe 127.0.0.1.' };
    default:
      return { code, message: `connect ${code} ${address}`, summary: `TCP connect to ${address} failed (${code})`, explanation: 'The operating system could not open a TCP connection to this address.' };
  }
}

export function dnsFailure(code: string, host: string, message: string): ProbeError {
  return {
    code: code === 'TIMEOUT' ? 'TIMEOUT_DNS' : code,
    message,
    summary: code === 'TIMEOUT' ? `DNS lookup of ${host} did not answer in time` : `cannot resolve ${host}`,
    explanation:
      'The name has no address. For a Gateway hostname: the DNS record is not created yet (external-dns reads only routes Accepted by a Programmed Gateway with an address), or it lives in a private zone. Probe the Gateway address with --connect-to ADDRESS to test TLS without DNS.',
  };
}

export interface HandshakeFacts {
  /** Node's error (code, message), if any. */
  error: { code?: string; message: string } | null;
  timedOut: boolean;
  timeoutMs: number;
  bytesReceived: number;
  flight: ServerFlight;
  notTls: NotTls | null;
  ended: { how: 'eof' | 'error'; code?: string } | null;
  sni: string | null;
  alpnOffered: string[];
  /** The handshake completed and the error came afterwards (TLS 1.3 client certificate check). */
  afterHandshake: boolean;
}

/** The alert the server sent: from the plaintext records seen, else from OpenSSL's error code. */
export function alertOf(facts: HandshakeFacts): ProbeError['alert'] | undefined {
  const a = facts.flight.alerts.find((x) => x.description !== 0);
  if (a) return { level: a.level === 2 ? 'fatal' : a.level === 1 ? 'warning' : 'unknown', description: a.description, name: a.name };
  const m = /ERR_SSL_(?:SSLV3|TLSV1|TLSV13)_ALERT_([A-Z_]+)/.exec(facts.error?.code ?? '') ?? /alert ([a-z ]+?)(?::|$)/i.exec(facts.error?.message ?? '');
  if (!m) return undefined;
  const name = m[1]!.toLowerCase().replace(/ /g, '_');
  const entry = Object.entries(ALERTS).find(([, v]) => v === name);
  return { level: 'fatal', description: entry ? Number(entry[0]) : -1, name };
}

export function handshakeFailure(f: HandshakeFacts): ProbeError {
  const sniText = f.sni ? `SNI ${f.sni}` : 'no SNI';
  const nodeMsg = f.error?.message ?? (f.timedOut ? 'timed out' : 'connection closed');
  const alert = alertOf(f);
  if (alert) return { ...alertExplanation(alert.name, f, sniText), message: nodeMsg, alert };
  if (f.notTls) {
    return {
      code: 'NOT_TLS',
      message: nodeMsg,
      summary: `the server answered the ClientHello in ${f.notTls.name}, not TLS: "${f.notTls.banner.slice(0, 60)}"`,
      explanation: 'The port does not terminate TLS. See the finding for what to do.',
    };
  }
  const code = f.error?.code ?? '';
  if (code === 'ERR_SSL_EXCESSIVE_MESSAGE_SIZE' || /excessive message size/i.test(nodeMsg)) {
    return {
      code: 'HANDSHAKE_TOO_LARGE',
      message: nodeMsg,
      summary: `the server's handshake message is larger than TLS clients accept (${Math.round(f.bytesReceived / 1024)} KiB received before the client gave up)`,
      explanation:
        'OpenSSL-based clients (Node, curl, Python, Envoy as a client) refuse a certificate list over about 100 KiB. The served chain is far too big: too many certificates (a whole CA bundle in tls.crt?) or a huge certificate. Serve only the leaf and its intermediates.',
    };
  }
  if (/CERT_CHAIN_TOO_LONG|chain too long/i.test(code + nodeMsg)) {
    return { code: 'CHAIN_TOO_LONG', message: nodeMsg, summary: 'the certificate chain is longer than clients accept', explanation: 'Serve only the leaf and its intermediates.' };
  }
  if (/UNSUPPORTED_PROTOCOL|NO_PROTOCOLS_AVAILABLE|VERSION_TOO_LOW|VERSION_TOO_HIGH/i.test(code)) {
    return {
      code: 'PROTOCOL_VERSION',
      message: nodeMsg,
      summary: 'no TLS version in common with the server',
      explanation: 'The server offers only protocol versions outside TLS 1.0-1.3 (SSLv3?) or refuses all of them. Check the listener\'s TLS policy (AWS: sslPolicy; Envoy Gateway: ClientTrafficPolicy tls.minVersion/maxVersion).',
    };
  }
  if (f.timedOut) {
    if (f.bytesReceived === 0) {
      return {
        code: 'TIMEOUT_HANDSHAKE_SILENT',
        message: `no answer within ${secs(f.timeoutMs)}`,
        summary: `the server accepted the TCP connection but never answered the ClientHello (silent for ${secs(f.timeoutMs)})`,
        explanation:
          'Something accepts connections without speaking TLS: a TCP listener (or a Passthrough/TCPRoute) forwarding to a backend that waits for a plaintext request or for the client to speak another protocol, a load balancer whose targets do not answer, or a process that accepts and hangs. Check what the route\'s backend port runs.',
      };
    }
    return {
      code: 'TIMEOUT_HANDSHAKE_STALLED',
      message: `handshake incomplete after ${secs(f.timeoutMs)}`,
      summary: `the server started answering (${f.bytesReceived} bytes) but did not finish the handshake within ${secs(f.timeoutMs)}`,
      explanation: 'The server sends too slowly or stalls mid-handshake: an overloaded proxy, a path MTU problem dropping large packets (the certificate flight is the largest), or a server trickling bytes. Retry with a longer --timeout to tell slow from stuck.',
    };
  }
  if (f.bytesReceived === 0 && (f.ended?.how === 'eof' || /disconnected|socket hang up|EOF/i.test(nodeMsg))) {
    return {
      code: 'EOF_BEFORE_SERVER_HELLO',
      message: nodeMsg,
      summary: `the server closed the connection without answering the ClientHello (${sniText})`,
      explanation:
        `Envoy (Envoy Gateway, Istio, Contour, Calico Ingress Gateway) closes the connection when no filter chain matches the SNI: check that the listener hostname or TLSRoute hostnames include ${f.sni ?? 'the name (clients without SNI match only a listener without hostname)'}. It also does so when the listener has no usable certificate (certificateRefs Secret missing or invalid). A PostgreSQL server closes silently on a ClientHello too (try --starttls postgres).`,
    };
  }
  if (f.ended?.how === 'error' && /ECONNRESET/.test(f.ended.code ?? '') || code === 'ECONNRESET') {
    return {
      code: 'ECONNRESET',
      message: nodeMsg,
      summary: f.bytesReceived === 0 ? `the server reset the connection in answer to the ClientHello (${sniText})` : `the connection was reset during the handshake after ${f.bytesReceived} bytes`,
      explanation:
        `A reset instead of an answer: no listener or filter chain for this SNI (${sniText}) on an Envoy- or NGINX-based Gateway, a load balancer with no healthy target, a firewall or IDS cutting TLS, or a plaintext server that gave up on the binary ClientHello.`,
    };
  }
  return {
    code: code || 'HANDSHAKE_FAILED',
    message: nodeMsg,
    summary: `the TLS handshake failed: ${nodeMsg}`,
    explanation: 'The TLS library rejected the server\'s answer. The bytes received are in the report (connection.bytesReceived).',
  };
}

function alertExplanation(name: string, f: HandshakeFacts, sniText: string): Omit<ProbeError, 'message' | 'alert'> {
  const certAsked = f.flight.certificateRequest;
  switch (name) {
    case 'unrecognized_name':
      return {
        code: 'ALERT_UNRECOGNIZED_NAME',
        summary: `the server refused the handshake: it has nothing for ${sniText} (alert unrecognized_name)`,
        explanation: `The server knows the names it serves and ${f.sni ?? 'a client without SNI'} is not one of them. NGINX-based Gateways (NGINX Gateway Fabric) and servers with strict SNI reject unknown names this way: add the name to the Gateway listener hostname or the route hostnames, or use a name the listener serves (--sni).`,
      };
    case 'handshake_failure':
      if (certAsked) return clientCert('handshake_failure', true);
      return {
        code: 'ALERT_HANDSHAKE_FAILURE',
        summary: `the server aborted the handshake (alert handshake_failure, ${sniText})`,
        explanation:
          'The server found nothing acceptable in the ClientHello: no cipher suite or signature algorithm in common (a strict TLS policy), no certificate for this SNI on some proxies, or (TLS 1.2) a required client certificate. Check the listener TLS policy and hostname.',
      };
    case 'protocol_version':
      return {
        code: 'ALERT_PROTOCOL_VERSION',
        summary: 'the server refused every TLS version offered (alert protocol_version)',
        explanation: 'No version in common: the server allows only versions this client did not offer. Check the listener TLS policy (AWS sslPolicy, Envoy Gateway ClientTrafficPolicy tls.minVersion/maxVersion).',
      };
    case 'certificate_required':
    case 'bad_certificate':
    case 'certificate_unknown':
    case 'unknown_ca':
    case 'access_denied':
      return clientCert(name, certAsked || f.afterHandshake || name === 'certificate_required');
    case 'no_application_protocol':
      return {
        code: 'ALERT_NO_APPLICATION_PROTOCOL',
        summary: `the server supports none of the ALPN protocols offered (${f.alpnOffered.join(', ') || 'none'})`,
        explanation: 'ALPN mismatch: the listener accepts only other application protocols (e.g. h2 only, or postgresql). Offer the protocol the server expects (--alpn) or widen the listener\'s ALPN list (AWS alpnPolicy, Envoy Gateway ClientTrafficPolicy tls.alpnProtocols).',
      };
    case 'internal_error':
      return {
        code: 'ALERT_INTERNAL_ERROR',
        summary: 'the server failed while handling the handshake (alert internal_error)',
        explanation: 'Often a listener whose certificate or key could not be loaded (a Secret with a key that does not match, an unsupported key type), or a server-side callback failing.',
      };
    case 'insufficient_security':
      return { code: 'ALERT_INSUFFICIENT_SECURITY', summary: 'the server requires stronger ciphers than offered (alert insufficient_security)', explanation: 'Check the listener TLS policy.' };
    default:
      return { code: `ALERT_${name.toUpperCase()}`, summary: `the server aborted the handshake with alert ${name}`, explanation: 'The server rejected the handshake; the alert name says why.' };
  }
}

function clientCert(alertName: string, sure: boolean): Omit<ProbeError, 'message' | 'alert'> {
  return {
    code: 'CLIENT_CERTIFICATE_REQUIRED',
    summary: sure ? `the server wants a client certificate (mutual TLS) and this probe sends none (alert ${alertName})` : `the server rejected the handshake with alert ${alertName}, which usually means it wants a client certificate`,
    explanation:
      'The listener validates client certificates (Gateway spec.tls.frontend validation, Envoy Gateway ClientTrafficPolicy tls.clientValidation, an mTLS sidecar). That is a policy, not a server fault: clients need a certificate from the CA the listener trusts.',
  };
}
