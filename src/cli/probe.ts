import { Option, type Command } from 'commander';
import { UserError } from './errors.ts';
import { addClusterOptions, parseDuration, type ClusterOptions } from './options.ts';

export interface ProbeCliOptions extends ClusterOptions {
  sni?: string;
  connectTo?: string;
  caFile?: string;
  alpn?: string[];
  starttls?: 'postgres' | 'mysql' | 'smtp' | 'imap' | 'pop3' | 'ftp';
  timeout: number;
  output: 'text' | 'json';
  /** --no-cluster: no cross-check against the cluster. */
  cluster?: boolean;
}

export function registerProbe(program: Command): void {
  const cmd = program
    .command('probe')
    .argument('<target...>', 'HOST[:PORT] (port 443 by default; IPv6 as [ADDR]:PORT), or svc/NAME:PORT / pod/NAME:PORT (with -n) to reach a backend through the API server\'s port-forward; several targets are probed concurrently')
    .description('Connect to an endpoint and show what it really serves: the chain as sent, trust, name match, and why a handshake fails')
    .addHelpText(
      'after',
      `
Examples:
  # Port 443, SNI shop.example.com
  kubectl gwtls probe shop.example.com

  # PostgreSQL negotiates TLS in-band
  kubectl gwtls probe db.example.com:5432 --starttls postgres

  # Test a Gateway address before DNS points at it
  kubectl gwtls probe shop.example.com --connect-to 203.0.113.7

  # Verify against a private CA
  kubectl gwtls probe internal.corp:8443 --ca-file corp-ca.pem

  # Several at once, JSON for CI
  kubectl gwtls probe a.example.com b.example.com -o json

  # A backend, as the gateway would see it
  kubectl gwtls probe svc/app:8443 -n apps

The chain is read as the server sends it and verified afterwards (never
trust-on-connect): against the system store (Node's roots,
NODE_EXTRA_CA_CERTS, the operating system's store) or only --ca-file.

When a kubeconfig is usable, HOST targets are cross-checked against the
cluster: the Gateway listeners that should serve this name and port (hostname,
port, status.addresses) and whether the served certificate is the configured
one (GWTLS-PRB-004; GWTLS-PRB-009 for Passthrough). Without a cluster the
cross-check is skipped with a note; --no-cluster turns it off. -n limits it to
one namespace (default: all the user may list).

svc/NAME:PORT (a Service port, number or name) goes to a ready endpoint Pod
and its target port; pod/NAME:PORT to the Pod. SNI defaults to the hostname of
the BackendTLSPolicy that targets the Service port (else the Service DNS name),
and the served chain is judged as the gateway would: against the policy's CA
references and names (GWTLS-BPRB-*), next to the system-store view.

Exit codes: 0 handshake complete, chain trusted and name matches (for
backends: no error finding); 1 handshake or verification failed, the port does
not speak TLS, or the served certificate is not the configured one; 2 bad
usage, a name or backend that does not resolve, a refused port-forward, or
another tool failure; 130 interrupted (Ctrl-C). With several targets: the
worst.`,
    )
    .option('--sni <name>', 'server name to send (default: the target host; none for IP addresses; "" sends none)')
    .option('--connect-to <addr[:port]>', 'connect to this address (and port) instead, still sending the target host as SNI, like curl --connect-to')
    .option('--ca-file <pem>', 'verify against the CA certificates in this PEM file (or pipe) instead of the system store')
    .option('--alpn <list>', 'comma-separated ALPN protocols to offer, e.g. h2,http/1.1 or postgresql', parseAlpn)
    .addOption(new Option('--starttls <protocol>', 'speak this protocol\'s plaintext preamble before TLS').choices(['postgres', 'mysql', 'smtp', 'imap', 'pop3', 'ftp']))
    .addOption(new Option('--timeout <duration>', 'time limit per target for DNS, connect, preamble and handshake together, e.g. 10s, 500ms (at most 24h); the cluster cross-check ends at most this long after the probes').default(10_000, '10s').argParser(parseProbeTimeout))
    .addOption(new Option('-o, --output <format>', 'output format').choices(['text', 'json']).default('text'))
    .option('--no-cluster', 'do not cross-check HOST targets against the cluster\'s Gateway listeners');
  addClusterOptions(cmd).action(async (targets: string[], opts: ProbeCliOptions) => {
    const { runProbe } = await import('./probe-run.ts');
    process.exitCode = await runProbe(targets, opts);
  });
}

/** ALPN protocol names: each 1 to 255 bytes on the wire (RFC 7301 §3.1). */
export function parseAlpn(value: string): string[] {
  const names = value.split(',').map((s) => s.trim()).filter(Boolean);
  if (names.length === 0) throw new UserError(`invalid --alpn "${value}": give one or more protocol names, e.g. h2,http/1.1`);
  const long = names.find((n) => Buffer.byteLength(n) > 255);
  if (long !== undefined) throw new UserError(`invalid --alpn: a protocol name is at most 255 bytes ("${long.slice(0, 40)}…" is ${Buffer.byteLength(long)})`);
  return names;
}

/** --timeout: a probe always has a limit, so 0 (no limit, for --request-timeout) is refused. */
export function parseProbeTimeout(value: string): number {
  const ms = parseDuration(value, '--timeout');
  if (ms <= 0) throw new UserError(`invalid --timeout "${value}": a probe needs a time limit longer than 0, e.g. 10s or 500ms`);
  return ms;
}
