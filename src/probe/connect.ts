// The default connector: resolve the name (or --connect-to), then TCP-connect to the first address that
// answers. Other connectors (API-server port-forward, tests) produce the same Transport.
import { lookup } from 'node:dns/promises';
import { connect as netConnect, isIP, type Socket } from 'node:net';
import type { Connector, DnsAnswer, ProbeTarget } from './types.ts';
import { TimeoutError } from './deadline.ts';

/** Why the TCP step failed; `code` is the errno (ECONNREFUSED, ...) or TIMEOUT / ENOTFOUND. */
export class ConnectError extends Error {
  override name = 'ConnectError';
  readonly code: string;
  readonly phase: 'dns' | 'connect';
  readonly dns: DnsAnswer | null;
  readonly address: string | null;
  /** Plain words for failures the errno alone does not explain (port-forward): replaces the default summary. */
  readonly detail?: { summary: string; explanation: string };

  constructor(message: string, code: string, phase: 'dns' | 'connect', dns: DnsAnswer | null, address: string | null, detail?: { summary: string; explanation: string }) {
    super(message);
    this.code = code;
    this.phase = phase;
    this.dns = dns;
    this.address = address;
    if (detail) this.detail = detail;
  }
}

export async function resolveHost(host: string, signal: AbortSignal): Promise<DnsAnswer | null> {
  if (isIP(host)) return null;
  const t0 = performance.now();
  try {
    const answers = await raceAbort(lookup(host, { all: true, verbatim: true }), signal);
    return { name: host, addresses: answers.map((a) => a.address), ms: performance.now() - t0 };
  } catch (e) {
    if (e instanceof TimeoutError) throw new ConnectError(`DNS lookup of ${host} did not answer in time`, 'TIMEOUT', 'dns', null, null);
    const code = (e as NodeJS.ErrnoException).code ?? 'EDNS';
    const why = code === 'ENOTFOUND' ? 'no such host' : code === 'EAI_AGAIN' ? 'temporary DNS failure' : code;
    throw new ConnectError(`cannot resolve ${host}: ${why}`, code, 'dns', null, null);
  }
}

export const tcpConnector: Connector = async (target: ProbeTarget, ctx) => {
  if (target.kind !== 'host') {
    throw new ConnectError(`${target.input}: reaching ${target.kind === 'service' ? 'Services' : 'pods'} through the API server's port-forward is not supported yet; probe the Gateway address or port-forward yourself (kubectl port-forward) and probe 127.0.0.1`, 'EUNSUPPORTED', 'connect', null, null);
  }
  const host = ctx.connectTo?.host ?? target.host;
  const port = ctx.connectTo?.port ?? target.port;
  const dns = await resolveHost(host, ctx.signal);
  const addresses = dns ? dns.addresses : [host];
  let lastError: ConnectError | null = null;
  for (const address of addresses) {
    const t0 = performance.now();
    try {
      const socket = await tcpConnect(address, port, ctx.signal);
      return { stream: socket, address, port, dns, connectMs: performance.now() - t0 };
    } catch (e) {
      if (e instanceof TimeoutError) throw new ConnectError(`TCP connect to ${address}:${port} did not complete in time`, 'TIMEOUT', 'connect', dns, address);
      const code = (e as NodeJS.ErrnoException).code ?? 'ECONNECT';
      lastError = new ConnectError(`TCP connect to ${address}:${port} failed: ${code}`, code, 'connect', dns, address);
    }
  }
  throw lastError ?? new ConnectError(`${host} has no addresses`, 'ENOTFOUND', 'dns', dns, null);
};

function tcpConnect(host: string, port: number, signal: AbortSignal): Promise<Socket> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason);
    const socket = netConnect({ host, port, noDelay: true });
    const onAbort = () => {
      socket.destroy();
      reject(signal.reason);
    };
    signal.addEventListener('abort', onAbort, { once: true });
    socket.once('connect', () => {
      signal.removeEventListener('abort', onAbort);
      socket.removeAllListeners('error');
      resolve(socket);
    });
    socket.once('error', (e) => {
      signal.removeEventListener('abort', onAbort);
      socket.destroy();
      reject(e);
    });
  });
}

export function raceAbort<T>(p: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason as Error);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason as Error);
    signal.addEventListener('abort', onAbort, { once: true });
    p.then(
      (v) => {
        signal.removeEventListener('abort', onAbort);
        resolve(v);
      },
      (e: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(e as Error);
      },
    );
  });
}
