// The probe's finding catalogue (reference: gateway-tls-domain.md §4.10 listener probes, §4.11 backend probes). Titles, severities and descriptions
// live here and nowhere else; `kubectl gwtls rules` lists them.
import type { Finding, Severity } from '../report/types.ts';

export interface ProbeCode {
  code: string;
  severity: Severity;
  title: string;
  description: string;
}

export const PROBE_CODES: ProbeCode[] = [
  {
    code: 'GWTLS-PRB-001',
    severity: 'error',
    title: 'TCP connect fails',
    description: 'Nothing accepts a TCP connection on the address and port: refused (no listener), or no answer (filtered, load balancer not provisioned yet, security group).',
  },
  {
    code: 'GWTLS-PRB-002',
    severity: 'error',
    title: 'Handshake aborted (alert, reset or close) with the expected SNI',
    description: 'The server accepted the connection but ended the TLS handshake: an alert, a reset, a close before ServerHello, or silence. On a Gateway this usually means no listener or filter chain matches the SNI name, or the server wants a client certificate.',
  },
  {
    code: 'GWTLS-PRB-003',
    severity: 'error',
    title: 'Port answers in plaintext / not TLS',
    description: 'The server answered the ClientHello with something that is not TLS: an HTTP response, an SSH or mail banner, a database greeting. The port speaks another protocol, or TLS is negotiated inside it (use --starttls).',
  },
  {
    code: 'GWTLS-PRB-004',
    severity: 'error',
    title: 'Served certificate differs from the configured one',
    description: 'The leaf served for this name is not the certificate the Gateway listener is configured with (needs the cluster cross-check). For ACM-backed listeners of the AWS Load Balancer Controller only a certificate that can be no ACM or IAM certificate (a controller\'s default certificate) is this finding; any other issuer means "cannot tell", since ACM also holds imported and private-CA certificates.',
  },
  {
    code: 'GWTLS-PRB-005',
    severity: 'error',
    title: 'Served certificate does not match the SNI / hostname',
    description: 'No DNS SAN (or IP SAN) of the served leaf covers the name the client asked for; wildcards cover exactly one label (RFC 6125) and the subject CN is not used.',
  },
  {
    code: 'GWTLS-PRB-006',
    severity: 'error',
    title: 'Served certificate expired or not yet valid',
    description: 'A certificate of the served chain is outside its validity period; clients reject the handshake.',
  },
  {
    code: 'GWTLS-PRB-007',
    severity: 'error',
    title: 'Served chain incomplete or mis-ordered',
    description: 'The server does not send the intermediate certificates that link its leaf to a trusted root, or sends them out of order. Browsers may fill the gap from their cache or AIA; most other clients fail with "unable to verify the first certificate".',
  },
  {
    code: 'GWTLS-PRB-008',
    severity: 'error',
    title: 'Chain does not verify against the trust store (private CA, self-signed, weak)',
    description: 'The served chain ends in a certificate the trust store does not hold (a private CA or a self-signed certificate), or it uses keys or signatures that modern clients refuse.',
  },
  {
    code: 'GWTLS-PRB-009',
    severity: 'error',
    title: 'Passthrough expected, but the Gateway terminated TLS',
    description: 'The listener is configured for TLS passthrough but the certificate served is not the backend\'s (needs the cluster cross-check).',
  },
  {
    code: 'GWTLS-PRB-010',
    severity: 'warning',
    title: 'Client without SNI gets no or a different certificate',
    description: 'A client that sends no SNI (connecting by IP address) is refused or gets a default certificate; only clients using the DNS name work.',
  },
  {
    code: 'GWTLS-PRB-011',
    severity: 'error',
    title: 'TLS version / ALPN negotiation mismatch',
    description: 'The handshake fails or succeeds only with protocol versions, cipher suites or ALPN protocols that common clients do not offer.',
  },
  {
    code: 'GWTLS-PRB-012',
    severity: 'error',
    title: 'PostgreSQL: TLS negotiated in-band vs. raw TLS on the listener',
    description: 'PostgreSQL clients send SSLRequest before TLS by default; only PostgreSQL 17+ clients with sslnegotiation=direct start with a ClientHello, and libpq then requires the server to select ALPN "postgresql". A listener that terminates raw TLS and cannot select that ALPN (an AWS NLB TLS listener) serves no libpq client in either mode: PostgreSQL belongs behind a TCP (passthrough) listener.',
  },
  // Backend probes (reference §4.11): a ready endpoint of the backend Service port, reached through the API
  // server's port-forward, as the gateway would reach it.
  {
    code: 'GWTLS-BPRB-001',
    severity: 'info',
    title: 'What the backend speaks on its target port (TLS or not)',
    description: 'The probe sent a ClientHello to the backend Pod\'s target port (SNI: the BackendTLSPolicy hostname, else the Service DNS name) and records whether a TLS server answered. An error when it contradicts the configuration: a BackendTLSPolicy makes the gateway open TLS to a port that answers in plaintext.',
  },
  {
    code: 'GWTLS-BPRB-002',
    severity: 'error',
    title: 'Backend certificate does not carry the name the gateway verifies',
    description: 'The certificate the backend really serves carries none of the names the BackendTLSPolicy makes the gateway verify (subjectAltNames when set, else validation.hostname): the gateway rejects the handshake and requests get HTTP 5xx.',
  },
  {
    code: 'GWTLS-BPRB-003',
    severity: 'error',
    title: 'Backend chain does not verify against the CA the gateway trusts',
    description: 'The chain the backend really serves does not lead to a certificate in the ca.crt of the ConfigMaps the BackendTLSPolicy references (or, with wellKnownCACertificates: System, to a public root): the gateway rejects the handshake and requests get HTTP 5xx.',
  },
  {
    code: 'GWTLS-BPRB-004',
    severity: 'warning',
    title: 'Backend requests a client certificate',
    description: 'The backend asks for a client certificate (mutual TLS). When it requires one, a gateway that presents none (no Gateway spec.tls.backend.clientCertificateRef) fails every connection.',
  },
  {
    code: 'GWTLS-BPRB-005',
    severity: 'error',
    title: 'Backend certificate expired, not yet valid, or CN-only',
    description: 'The leaf the backend serves is outside its validity period, or carries its name only in the subject CN (no subjectAltName): gateways verifying it reject the handshake.',
  },
  {
    code: 'GWTLS-BPRB-006',
    severity: 'error',
    title: 'Nothing listening on the backend\'s target port',
    description: 'The port-forward reached the backend Pod, but the connection to its target port was refused: the Service\'s targetPort does not name the port the server listens on, or the server is not running.',
  },
  {
    code: 'GWTLS-CM-005',
    severity: 'error',
    title: 'Gateway still serves the certificate cert-manager replaced',
    description: 'inspect --probe: the listener serves an older certificate with the same names than the one cert-manager wrote into the Secret (a renewal, a new revision of the Certificate): the gateway has not reloaded the Secret, so clients get the old certificate until it expires.',
  },
];

const BY_CODE = new Map(PROBE_CODES.map((c) => [c.code, c]));

/** A probe finding: the contract's Finding plus a one-line hint on how to resolve it. */
export interface ProbeFinding extends Finding {
  hint?: string;
}

export function probeFinding(
  code: string,
  endpoint: string,
  message: string,
  opts: { severity?: Severity; evidence?: string[]; hint?: string; field?: string } = {},
): ProbeFinding {
  const meta = BY_CODE.get(code);
  if (!meta) throw new Error(`unknown probe code ${code}`);
  const f: ProbeFinding = {
    code,
    severity: opts.severity ?? meta.severity,
    title: meta.title,
    message,
    object: { apiVersion: 'gwtls.dev/v1alpha1', kind: 'Endpoint', name: endpoint },
    evidence: opts.evidence ?? [],
    docs: `docs/rules/${code}.md`,
    fixes: [],
  };
  if (opts.field) f.field = opts.field;
  if (opts.hint) f.hint = opts.hint;
  return f;
}
