// TARGET parsing: HOST[:PORT], [IPv6]:PORT, bare IPv6, svc/NAME:PORT, pod/NAME:PORT.
import { isIP } from 'node:net';
import { domainToASCII } from 'node:url';
import type { ProbeTarget } from './types.ts';

export class TargetError extends Error {
  override name = 'TargetError';
}

const HOSTNAME = /^(?=.{1,253}$)[A-Za-z0-9_](?:[A-Za-z0-9_-]{0,62})(?:\.[A-Za-z0-9_](?:[A-Za-z0-9_-]{0,62}))*\.?$/;

export function parsePort(value: string, what: string): number {
  if (!/^\d{1,5}$/.test(value)) throw new TargetError(`${what}: port "${value}" is not a number`);
  const n = Number(value);
  if (n < 1 || n > 65535) throw new TargetError(`${what}: port ${n} is out of range (1-65535)`);
  return n;
}

/** Splits HOST[:PORT] / [V6]:PORT / V6 into host and optional port; validates the host. */
export function splitHostPort(input: string, what = 'target'): { host: string; port: number | null; ip: boolean } {
  const s = input.trim();
  if (s === '') throw new TargetError(`${what} is empty`);
  let host: string;
  let port: number | null = null;
  if (s.startsWith('[')) {
    const end = s.indexOf(']');
    if (end < 0) throw new TargetError(`${what} "${input}": missing "]" after the IPv6 address`);
    host = s.slice(1, end);
    const rest = s.slice(end + 1);
    if (rest !== '') {
      if (!rest.startsWith(':')) throw new TargetError(`${what} "${input}": expected ":PORT" after "]"`);
      port = parsePort(rest.slice(1), `${what} "${input}"`);
    }
    if (isIP(host) !== 6) throw new TargetError(`${what} "${input}": "${host}" is not an IPv6 address`);
    return { host, port, ip: true };
  }
  const colons = s.split(':').length - 1;
  if (colons > 1) {
    // A bare IPv6 literal (no port possible without brackets).
    if (isIP(s) === 6) return { host: s, port: null, ip: true };
    throw new TargetError(`${what} "${input}": write IPv6 addresses in brackets, e.g. [::1]:8443`);
  }
  if (colons === 1) {
    const i = s.lastIndexOf(':');
    host = s.slice(0, i);
    port = parsePort(s.slice(i + 1), `${what} "${input}"`);
  } else {
    host = s;
  }
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(input)) throw new TargetError(`${what} "${input}": give HOST[:PORT], not a URL`);
  if (isIP(host) === 4) return { host, port, ip: true };
  // An internationalised name goes out as its A-label (bücher.example -> xn--bcher-kva.example), as curl and
  // browsers send it and as certificates carry it.
  if (/[^\x00-\x7f]/.test(host)) host = domainToASCII(host) || host;
  if (!HOSTNAME.test(host)) throw new TargetError(`${what} "${input}": "${host}" is not a valid host name`);
  return { host: host.replace(/\.$/, '').toLowerCase(), port, ip: false };
}

export function parseTarget(input: string, defaultPort = 443): ProbeTarget {
  const s = input.trim();
  if (/^https?:\/\//i.test(s)) {
    // Be forgiving with URLs: users paste them. The path is ignored.
    const u = new URL(s);
    const port = u.port ? Number(u.port) : u.protocol === 'http:' ? 80 : 443;
    const host = u.hostname.replace(/^\[|\]$/g, '');
    return { kind: 'host', input, host, port, ip: isIP(host) !== 0 };
  }
  const m = /^(svc|service|services|pod|pods|po)\/([^:/]+)(?::(.+))?$/i.exec(s);
  if (m) {
    const kind = m[1]!.toLowerCase().startsWith('s') ? 'service' : 'pod';
    const name = m[2]!;
    if (!m[3]) throw new TargetError(`target "${input}": give the port, e.g. ${kind === 'service' ? 'svc' : 'pod'}/${name}:443`);
    const port = /^\d+$/.test(m[3]) ? parsePort(m[3], `target "${input}"`) : m[3];
    return { kind, input, name, port };
  }
  const { host, port, ip } = splitHostPort(s, 'target');
  return { kind: 'host', input, host, port: port ?? defaultPort, ip };
}

/** `host:port`, with brackets for IPv6. */
export function joinHostPort(host: string, port: number | string | null): string {
  const h = isIP(host) === 6 ? `[${host}]` : host;
  return port === null ? h : `${h}:${port}`;
}
