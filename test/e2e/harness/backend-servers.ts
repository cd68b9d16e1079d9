/**
 * The real backends behind the gateway scenarios, started inside the gateway's network namespace (gateway.ts)
 * on a non-loopback address, because the API server refuses EndpointSlice addresses in 127.0.0.0/8:
 *
 *   node backend-servers.ts CONFIG.json      (prints `ready` once every server listens)
 *
 * CONFIG: { "address": "10.254.0.1", "servers": [BackendServerSpec...] }. Kinds:
 * - `http`: plaintext HTTP; answers `NAME ok (http) host=HOST path=PATH`;
 * - `https`: HTTP over TLS with the given certificate; answers `NAME ok (https) ...`;
 * - `tcp-echo`: plaintext TCP; answers each chunk with `NAME: CHUNK`;
 * - `tls-echo`: TLS with the given certificate, then like tcp-echo.
 */
import { readFileSync } from 'node:fs';
import { createServer as createHttpServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { createServer as createTcpServer, type Server, type Socket } from 'node:net';
import { createServer as createTlsServer } from 'node:tls';

export interface BackendServerSpec {
  name: string;
  kind: 'http' | 'https' | 'tcp-echo' | 'tls-echo';
  port: number;
  /** PEM, for https and tls-echo */
  cert?: string;
  key?: string;
}

export interface BackendServersConfig {
  address: string;
  servers: BackendServerSpec[];
}

function answer(name: string, scheme: string) {
  return (req: IncomingMessage, res: ServerResponse) => {
    res.writeHead(200, { 'content-type': 'text/plain' });
    res.end(`${name} ok (${scheme}) host=${req.headers.host ?? ''} path=${req.url ?? ''}\n`);
  };
}

function echo(name: string) {
  return (socket: Socket) => {
    socket.on('data', (chunk: Buffer) => socket.write(`${name}: ${chunk.toString()}`));
    socket.on('error', () => socket.destroy());
  };
}

function serverFor(spec: BackendServerSpec): Server {
  const tls = () => {
    if (!spec.cert || !spec.key) throw new Error(`backend ${spec.name}: ${spec.kind} needs cert and key`);
    return { cert: spec.cert, key: spec.key };
  };
  switch (spec.kind) {
    case 'http':
      return createHttpServer(answer(spec.name, 'http'));
    case 'https':
      return createHttpsServer(tls(), answer(spec.name, 'https'));
    case 'tcp-echo':
      return createTcpServer(echo(spec.name));
    case 'tls-echo':
      return createTlsServer(tls(), echo(spec.name));
  }
}

async function main(file: string): Promise<void> {
  const config = JSON.parse(readFileSync(file, 'utf8')) as BackendServersConfig;
  await Promise.all(
    config.servers.map(
      (spec) =>
        new Promise<void>((resolve, reject) => {
          const server = serverFor(spec);
          server.on('tlsClientError', () => undefined);
          server.once('error', reject);
          server.listen(spec.port, config.address, () => resolve());
        }),
    ),
  );
  process.stdout.write('ready\n');
}

for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(sig, () => process.exit(0));
main(process.argv[2] ?? '').catch((err: unknown) => {
  process.stderr.write(`backend-servers: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
