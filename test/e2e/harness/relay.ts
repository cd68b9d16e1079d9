/**
 * A byte-for-byte stream relay between a network namespace and the host, through Unix sockets (a path in the
 * file system is reachable from every network namespace; a TCP port is not). Run twice: once in the host
 * namespace and once inside the gateway's namespace (gateway.ts), e.g.
 *
 *   node relay.ts tcp:127.0.0.1:6443=unix:/tmp/x/api.sock unix:/tmp/x/ep-8443.sock=tcp:127.0.0.1:8443
 *
 * Each argument is LISTEN=CONNECT. Nothing is parsed or terminated: TLS passes through unchanged, so what a
 * client sees is what the far end serves. Prints `ready` once every listener is bound.
 */
import { createConnection, createServer, type Socket } from 'node:net';
import { rmSync } from 'node:fs';

type End = { unix: string } | { host: string; port: number };

function parseEnd(text: string): End {
  if (text.startsWith('unix:')) return { unix: text.slice(5) };
  const m = /^tcp:([^:]+):(\d+)$/.exec(text);
  if (!m) throw new Error(`bad relay end ${text} (tcp:HOST:PORT or unix:PATH)`);
  return { host: m[1]!, port: Number(m[2]) };
}

function connect(end: End): Socket {
  return 'unix' in end ? createConnection(end.unix) : createConnection(end.port, end.host);
}

function pipe(a: Socket, b: Socket): void {
  a.pipe(b);
  b.pipe(a);
  const close = () => {
    a.destroy();
    b.destroy();
  };
  a.on('error', close);
  b.on('error', close);
  a.on('close', close);
  b.on('close', close);
}

async function listen(from: End, to: End): Promise<void> {
  const server = createServer({ allowHalfOpen: false }, (client) => pipe(client, connect(to)));
  if ('unix' in from) rmSync(from.unix, { force: true });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    if ('unix' in from) server.listen(from.unix, resolve);
    else server.listen(from.port, from.host, resolve);
  });
}

const pairs = process.argv.slice(2).map((arg) => {
  const [from, to] = arg.split('=');
  if (!from || !to) throw new Error(`bad relay pair ${arg} (LISTEN=CONNECT)`);
  return [parseEnd(from), parseEnd(to)] as const;
});
for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(sig, () => process.exit(0));
Promise.all(pairs.map(([from, to]) => listen(from, to))).then(
  () => process.stdout.write('ready\n'),
  (err: unknown) => {
    process.stderr.write(`relay: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  },
);
