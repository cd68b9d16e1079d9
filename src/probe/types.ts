// The probe's report (DESIGN.md §4, "Probe JSON"). Fields may be added; none may be renamed or dropped.
import type { Duplex } from 'node:stream';
import type { Cert, Finding } from '../report/types.ts';

export type StartTlsDialect = 'postgres' | 'mysql' | 'smtp' | 'imap' | 'pop3' | 'ftp';
export const STARTTLS_DIALECTS: readonly StartTlsDialect[] = ['postgres', 'mysql', 'smtp', 'imap', 'pop3', 'ftp'];

/** Where a probe went wrong, in the order the steps run. `done` = the handshake completed. */
export type ProbePhase = 'target' | 'dns' | 'connect' | 'preamble' | 'handshake' | 'done';

/** A parsed TARGET argument. */
export type ProbeTarget =
  | { kind: 'host'; input: string; host: string; port: number; ip: boolean }
  /** `svc/NAME:PORT` or `pod/NAME:PORT`: reached through the API server's port-forward. */
  | { kind: 'service' | 'pod'; input: string; name: string; port: number | string; namespace?: string };

/** What the connect step hands to the TLS step: a byte stream to the server, however it was reached. */
export interface Transport {
  stream: Duplex;
  /** The address actually connected to (IP for TCP; a description such as `pod/ns/name:5432` otherwise). */
  address: string;
  port: number | null;
  /** DNS answers when a name was resolved. */
  dns?: DnsAnswer | null;
  /** Time to establish the byte stream (TCP connect, or port-forward setup). */
  connectMs: number;
  /**
   * For streams whose far end is opened after the stream itself (port-forward: the kubelet dials the pod's port
   * once the WebSocket is up): the connect failure reported meanwhile, if any. Checked when the handshake fails.
   */
  failure?: () => Error | null;
}

export interface DnsAnswer {
  name: string;
  addresses: string[];
  ms: number;
}

/**
 * Opens a byte stream to the target. The default connects over TCP; port-forward (svc/, pod/) and tests inject
 * their own. Must honour `signal` (abort = give up and destroy whatever was opened).
 */
export type Connector = (target: ProbeTarget, ctx: { connectTo?: { host: string; port: number | null }; signal: AbortSignal }) => Promise<Transport>;

export interface ProbeOptions {
  /** SNI to present; default the target host (none for IP literals). `''` sends no SNI. */
  sni?: string;
  /** Connect to this address instead of resolving the target host (curl's --connect-to). */
  connectTo?: string;
  /** PEM text of the CA certificates to verify against instead of the system store. */
  ca?: string;
  /** Label for `ca` in the report (the file name). */
  caLabel?: string;
  alpn?: string[];
  starttls?: StartTlsDialect;
  /** Overall time limit per target (DNS, connect, preamble, handshake), ms. Default 10 000. */
  timeoutMs?: number;
  /** Inject the byte stream (port-forward, tests). Default: DNS + TCP. */
  connector?: Connector;
  /** Reference time for validity checks (tests). */
  now?: Date;
  /** Skip the follow-up connections used to classify failures (no-SNI retry, PostgreSQL checks). */
  noFollowUps?: boolean;
}

/** How the server's answer looked when it was not a TLS handshake. */
export interface NotTls {
  /** Short protocol id: `http`, `ssh`, `smtp`, `imap`, `pop3`, `ftp`, `postgresql`, `mysql`, `redis`, `unknown`. */
  protocol: string;
  /** Human name: `plain HTTP`, `SSH`, `PostgreSQL`, ... */
  name: string;
  /** The first bytes the server sent, printable (non-printable as \xNN), at most ~120 characters. */
  banner: string;
}

export interface ProbeError {
  /** Stable id: ECONNREFUSED, ECONNRESET, TIMEOUT_CONNECT, TIMEOUT_HANDSHAKE_SILENT, ALERT_UNRECOGNIZED_NAME, ... */
  code: string;
  /** What Node/OpenSSL said. */
  message: string;
  /** Plain words: what happened. */
  summary: string;
  /** The likely causes on a Gateway, and what to check. */
  explanation: string;
  /** TLS alert received from the server, when there was one. */
  alert?: { level: 'warning' | 'fatal' | 'unknown'; description: number; name: string };
}

export interface ProbeConnection {
  ok: boolean;
  /** The last phase reached; `done` when the handshake completed. */
  phase: ProbePhase;
  dnsMs: number | null;
  tcpMs: number | null;
  preambleMs: number | null;
  tlsMs: number | null;
  totalMs: number;
  protocol: string | null;
  cipher: string | null;
  /** IANA name of the cipher suite. */
  cipherStandardName?: string | null;
  alpn: string | null;
  /** Bytes received from the server until the handshake ended or failed. */
  bytesReceived: number;
  /** ms from sending the ClientHello to the first byte from the server; null when nothing came back. */
  firstByteMs: number | null;
  error: ProbeError | null;
  notTls: NotTls | null;
  /** Whether the server asked for a client certificate (seen in TLS 1.2, or a certificate_required alert). */
  clientCertificateRequested?: boolean;
  /** The preamble exchanged with --starttls, line by line (server lines prefixed `S: `, client `C: `). */
  preamble?: string[];
}

export interface ChainIssue {
  /** order, missing-intermediate, root-included, self-signed-leaf, expired, not-yet-valid, weak-key, weak-signature, unused, duplicate, not-ca, leaf-is-ca, no-server-auth, too-long, unhandled-critical-extension */
  kind: string;
  /** Index of the certificate in the served chain, when it is about one. */
  index?: number;
  message: string;
}

export interface ChainAnalysis {
  length: number;
  /** Every certificate is issued by the next one. */
  ordered: boolean;
  /** Path from the leaf as it can be built from the served certificates: indexes into `chain`. */
  path: number[];
  /** The served chain stops before a certificate whose issuer neither follows nor is a trust anchor. */
  missingIntermediate: { issuer: string; aiaIssuers: string[]; afterIndex: number } | null;
  rootIncluded: boolean;
  selfSignedLeaf: boolean;
  issues: ChainIssue[];
}

export interface ProbeVerification {
  /** The chain links the leaf to a trust anchor, using only the served certificates. null: no certificate. */
  trusted: boolean | null;
  /** The leaf is valid for `name` (RFC 6125: SANs only, one-label wildcards). null: no certificate. */
  hostnameMatches: boolean | null;
  /** Why verification failed, in words; null when it passed. */
  error: string | null;
  /** OpenSSL's verify code, e.g. UNABLE_TO_VERIFY_LEAF_SIGNATURE. */
  errorCode?: string | null;
  /** Which SAN matched the name, or why none did, in words. */
  hostnameDetail?: string;
  /** The name checked: the SNI, or the IP when connecting by address without SNI. */
  name: string | null;
  /** What the chain was verified against: `system` or `ca-file <path>`. */
  trustStore: string;
  /** The trust anchor the chain ends in, when trusted. */
  anchor?: string | null;
  /** Known default / fallback / managed certificate recognised (e.g. Traefik default cert, AWS ACM). */
  recognized?: Array<{ id: string; name: string; kind: 'default' | 'managed' | 'mesh' | 'staging'; note: string }>;
}

/** PostgreSQL negotiation results (PRB-012). */
export interface PostgresCheck {
  /** The server answered SSLRequest with `S` (null: not tried). */
  sslRequest: 'S' | 'N' | 'E' | 'other' | 'none' | null;
  /** Direct TLS with ALPN `postgresql` completed (null: not tried). */
  directTls: boolean | null;
  /** ALPN selected by the server on the direct attempt. */
  directAlpn?: string | null;
  detail?: string;
}

/**
 * The cluster cross-check (filled by `inspect --probe` / a later probe feature, not by probe() alone): which
 * listener should serve this name and whether the served certificate is the one configured (PRB-004).
 */
export interface ProbeClusterCheck {
  gateway: { namespace: string; name: string } | null;
  listener: string | null;
  hostname: string | null;
  /** Where the configured certificate comes from: `secret ns/name`, `acm arn:...`. */
  configuredFrom: string | null;
  configuredFingerprintSha256: string | null;
  /** The served leaf is the configured one; null when unknown. */
  servedMatchesConfigured: boolean | null;
  why?: string;
  /**
   * same: the served leaf is the configured one; different: it is not (GWTLS-PRB-004 / -009); unknown: could not
   * be compared (see why); no-listener: no Gateway listener serves this name and port; skipped: no cluster.
   */
  outcome?: 'same' | 'different' | 'unknown' | 'no-listener' | 'skipped';
  /** The kubeconfig context read. */
  context?: string | null;
  /** Every listener that should serve this name and port, best first (the first is the one compared). */
  matched?: ProbeClusterListener[];
  /** The configured leaf certificate(s), when they could be read. */
  configured?: ProbeConfiguredCertificate[];
  /** Where the listener's certificate comes from, in words (Secret refs, an ACM ARN, ACM discovery, the backend). */
  servedFrom?: string;
  /** The finding code raised by the comparison (GWTLS-PRB-004 or GWTLS-PRB-009), or null. */
  code?: string | null;
}

/** A Gateway listener the cross-check found for a name and port. */
export interface ProbeClusterListener {
  gateway: { namespace: string; name: string };
  listener: string;
  hostname: string | null;
  port: number;
  protocol: string;
  tlsMode: 'Terminate' | 'Passthrough' | null;
  /** The Gateway lists the address connected to (or the target name) in status.addresses. */
  addressMatch: boolean;
}

export interface ProbeConfiguredCertificate {
  /** `secret ns/name`, `backend pod ns/name (Secret ns/name)`. */
  source: string;
  subject: string;
  sans: string[];
  serial: string;
  notAfter: string;
  fingerprintSha256: string;
}

/** How a `svc/` or `pod/` target was reached. */
export interface ProbeBackendTarget {
  kind: 'service' | 'pod';
  namespace: string;
  name: string;
  /** The Service port (number) and its name, for svc/ targets. */
  servicePort?: number | null;
  portName?: string | null;
  /** The endpoint Pod the port-forward went to, and the container port. */
  pod: string | null;
  targetPort: number | null;
  /** How the Pod and port were chosen, in words. */
  resolvedBy: string;
  via: 'port-forward';
}

/**
 * What a gateway verifying this backend would conclude: the BackendTLSPolicy that targets the Service port, its
 * CA references (ConfigMap ca.crt, or the system roots for wellKnownCACertificates: System) and the names it
 * checks (subjectAltNames when set, else the hostname), against the chain the backend really served.
 */
export interface ProbeGatewayView {
  policy: { namespace: string; name: string; hostname: string | null; subjectAltNames: string[]; trust: string[]; problems: string[] } | null;
  /** The SNI a gateway sends (the policy hostname). */
  sni: string | null;
  trusted: boolean | null;
  /** The configured certificate the chain ends in, when trusted. */
  anchor?: string | null;
  nameMatches: boolean | null;
  namesChecked: string[];
  /** The leaf is within its validity period. */
  valid: boolean | null;
  /** pass: the gateway accepts the backend; fail: it rejects every connection; plaintext: no policy, no TLS from the gateway; unknown. */
  verdict: 'pass' | 'fail' | 'plaintext' | 'unknown';
  why: string;
}

export interface ProbeReport {
  apiVersion: 'gwtls.dev/v1alpha1';
  kind: 'ProbeReport';
  generatedAt: string;
  target: {
    input: string;
    host: string;
    port: number;
    /** The SNI presented; null when none was sent. */
    sni: string | null;
    /** The address connected to. */
    address: string | null;
    /** The port connected to (differs from `port` with --connect-to ADDR:PORT). */
    addressPort?: number | null;
    connectTo?: string | null;
    starttls?: StartTlsDialect | null;
    alpnOffered?: string[];
  };
  dns: DnsAnswer | null;
  connection: ProbeConnection;
  /** As served, in order (certificate 0 = leaf). */
  chain: Cert[];
  chainAnalysis: ChainAnalysis | null;
  verification: ProbeVerification;
  postgres?: PostgresCheck;
  /** Result of a retry without SNI when the SNI handshake failed (classifies PRB-002). */
  withoutSni?: { ok: boolean; leaf: string | null; error: string | null };
  findings: Finding[];
  cluster?: ProbeClusterCheck | null;
  /** svc/ and pod/ targets: the endpoint reached through the API server's port-forward. */
  backend?: ProbeBackendTarget;
  /** svc/ targets: what the gateway would conclude about this backend (next to `verification`, the system-store view); null for pod/ targets (no Service, no BackendTLSPolicy). */
  gatewayView?: ProbeGatewayView | null;
  /** Handshake completed, chain trusted and name matches. Decides the exit code. */
  ok: boolean;
  summary: { errors: number; warnings: number; info: number };
}

export interface ProbeReportList {
  apiVersion: 'gwtls.dev/v1alpha1';
  kind: 'ProbeReportList';
  items: ProbeReport[];
}
