// A local HTTPS server that answers like the Kubernetes API server for what backend probes need: GETs and LISTs
// of a few objects (a path -> JSON map), and the pods/portforward WebSocket, speaking the kubelet's channel
// protocol (v4.channel.k8s.io: per port a data channel 0 and an error channel 1, each opened with the port
// number, little endian) and forwarding to a real TCP server on loopback. The e2e control plane runs no kubelet,
// so this is where port-forward runs end to end.
import { createRequire } from 'node:module';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import https from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Duplex } from 'node:stream';
import { makeCert, type Issued } from '../../helpers/tls-certs.ts';

interface Ws {
  protocol: string;
  send(data: Buffer): void;
  close(): void;
  on(event: 'message', fn: (data: Buffer, isBinary: boolean) => void): void;
  on(event: 'close', fn: () => void): void;
}
interface Wss {
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer, cb: (ws: Ws) => void): void;
  close(): void;
}
const { WebSocketServer } = createRequire(import.meta.url)('ws') as { WebSocketServer: new (o: { noServer: boolean; handleProtocols: (p: Set<string>) => string | false }) => Wss };

export type Forward =
  /** Connect to this loopback port (the "container port"). */
  | { to: number }
  /** The API server refuses the upgrade with this status and Status message. */
  | { status: number; message: string };

/** A path answered by code: hostile answers (trickles, redirects, endless pages, ...). */
export type Handler = (req: IncomingMessage, res: ServerResponse) => void;

/** How the kubeconfig's user authenticates: the server's token (default), or an exec credential plugin. */
export type KubeconfigUser = { token: string } | { exec: { command: string; args?: string[]; env?: Array<{ name: string; value: string }>; apiVersion?: string } };

export interface FakeApiServer {
  url: string;
  ca: Issued;
  /** Every request: method, path (with query), the Authorization header, the WebSocket subprotocols offered. */
  requests: Array<{ method: string; path: string; auth: string | undefined; protocols?: string }>;
  /** WebSocket subprotocols the server selected, in order. */
  selected: string[];
  /** Writes a kubeconfig for this server (bearer token, or the given user) and returns its path. */
  kubeconfig(namespace?: string, user?: KubeconfigUser): string;
  close(): Promise<void>;
}

export const TOKEN = 'gwtls-test-token';

/**
 * Aggregated discovery (/api and /apis, APIGroupDiscoveryList) serving the core kinds and the Gateway API kinds
 * at v1, as a Kubernetes 1.30+ API server answers it: what `inspect` needs before it LISTs anything.
 */
export function discoveryObjects(): Record<string, unknown> {
  const group = (name: string, version: string, resources: string[]) => ({ metadata: { name }, versions: [{ version, resources: resources.map((resource) => ({ resource })) }] });
  const list = (items: unknown[]) => ({ kind: 'APIGroupDiscoveryList', apiVersion: 'apidiscovery.k8s.io/v2', metadata: {}, items });
  return {
    '/api': list([group('', 'v1', ['services', 'pods', 'secrets', 'configmaps', 'namespaces', 'events'])]),
    '/apis': list([
      group('gateway.networking.k8s.io', 'v1', ['gatewayclasses', 'gateways', 'httproutes', 'grpcroutes', 'tlsroutes', 'referencegrants', 'backendtlspolicies']),
      group('discovery.k8s.io', 'v1', ['endpointslices']),
    ]),
  };
}

function status(code: number, reason: string, message: string): string {
  return JSON.stringify({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason, code });
}

/**
 * `objects`: path (without query) -> body for GET. `forward(namespace, pod, port)`: where a port-forward goes.
 * Unknown paths answer 404 with a Status object, as the API server does.
 */
export async function startFakeApiServer(objects: Record<string, unknown>, forward: (namespace: string, pod: string, port: number) => Forward): Promise<FakeApiServer> {
  const ca = makeCert({ cn: [['O', 'gwtls tests'], ['CN', 'Fake API CA']], ca: true });
  const serving = makeCert({ cn: 'kube-apiserver', dns: ['localhost'], ips: ['127.0.0.1'], issuer: ca });
  const requests: FakeApiServer['requests'] = [];
  /** The kubeconfigs written, removed on close. */
  const dirs: string[] = [];
  const selected: string[] = [];
  const sockets = new Set<net.Socket>();
  const server = https.createServer({ key: serving.key.keyPem, cert: serving.pem }, (req, res) => {
    const path = req.url ?? '/';
    requests.push({ method: req.method ?? 'GET', path, auth: req.headers.authorization });
    res.setHeader('Content-Type', 'application/json');
    if (req.headers.authorization !== `Bearer ${TOKEN}`) {
      res.writeHead(401).end(status(401, 'Unauthorized', 'Unauthorized'));
      return;
    }
    const body = objects[path.split('?')[0]!];
    if (typeof body === 'function') return (body as Handler)(req, res);
    if (body === undefined) {
      res.writeHead(404).end(status(404, 'NotFound', `the server could not find the requested resource (${path})`));
      return;
    }
    res.writeHead(200).end(JSON.stringify(body));
  });
  server.on('connection', (s: net.Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  const wss = new WebSocketServer({ noServer: true, handleProtocols: (p) => (p.has('v4.channel.k8s.io') ? 'v4.channel.k8s.io' : false) });
  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const url = new URL(req.url ?? '/', 'https://localhost');
    requests.push({ method: 'UPGRADE', path: `${url.pathname}${url.search}`, auth: req.headers.authorization, protocols: String(req.headers['sec-websocket-protocol'] ?? '') });
    const m = /^\/api\/v1\/namespaces\/([^/]+)\/pods\/([^/]+)\/portforward$/.exec(url.pathname);
    const port = Number(url.searchParams.get('ports'));
    const refuse = (code: number, reason: string, message: string) => {
      const text = status(code, reason, message);
      socket.end(`HTTP/1.1 ${code} ${reason}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(text)}\r\nConnection: close\r\n\r\n${text}`);
    };
    if (req.headers.authorization !== `Bearer ${TOKEN}`) return refuse(401, 'Unauthorized', 'Unauthorized');
    if (!m || !port) return refuse(404, 'NotFound', 'not found');
    const target = forward(decodeURIComponent(m[1]!), decodeURIComponent(m[2]!), port);
    if ('status' in target) return refuse(target.status, target.status === 403 ? 'Forbidden' : target.status === 400 ? 'BadRequest' : 'NotFound', target.message);
    wss.handleUpgrade(req, socket, head, (ws) => {
      selected.push(ws.protocol);
      const portBytes = Buffer.from([port & 0xff, port >> 8]);
      // As the kubelet does: each channel starts with the port number, then the connection to the port.
      ws.send(Buffer.concat([Buffer.from([0]), portBytes]));
      ws.send(Buffer.concat([Buffer.from([1]), portBytes]));
      const tcp = net.connect({ host: '127.0.0.1', port: target.to });
      let connected = false;
      tcp.on('connect', () => (connected = true));
      tcp.on('data', (d: Buffer) => ws.send(Buffer.concat([Buffer.from([0]), d])));
      tcp.on('end', () => ws.close());
      tcp.on('error', (e: NodeJS.ErrnoException) => {
        if (!connected) {
          const msg = `error forwarding port ${port} to pod ${m[2]}, uid : failed to execute portforward in network namespace "/var/run/netns/cni-test": failed to connect to localhost:${port} inside namespace "test", IPv4: dial tcp4 127.0.0.1:${port}: connect: ${e.code === 'ECONNREFUSED' ? 'connection refused' : e.message} `;
          ws.send(Buffer.concat([Buffer.from([1]), Buffer.from(msg)]));
        }
        ws.close();
      });
      ws.on('message', (data, isBinary) => {
        if (!isBinary || data.length < 1) return;
        if (data[0] === 0) tcp.write(data.subarray(1));
      });
      ws.on('close', () => tcp.destroy());
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;
  const url = `https://127.0.0.1:${port}`;
  return {
    url,
    ca,
    requests,
    selected,
    kubeconfig(namespace = 'default', user: KubeconfigUser = { token: TOKEN }) {
      const dir = mkdtempSync(join(tmpdir(), 'gwtls-fake-api-'));
      dirs.push(dir);
      const file = join(dir, 'kubeconfig');
      writeFileSync(
        file,
        [
          'apiVersion: v1',
          'kind: Config',
          'clusters:',
          `- name: fake`,
          '  cluster:',
          `    server: ${url}`,
          `    certificate-authority-data: ${Buffer.from(ca.pem).toString('base64')}`,
          'users:',
          '- name: tester',
          '  user:',
          ...('token' in user ? [`    token: ${user.token}`] : ['    exec:', ...JSON.stringify({ apiVersion: 'client.authentication.k8s.io/v1', interactiveMode: 'Never', ...user.exec }, null, 2).split('\n').map((l) => `      ${l}`)]),
          'contexts:',
          '- name: fake',
          '  context:',
          '    cluster: fake',
          '    user: tester',
          `    namespace: ${namespace}`,
          'current-context: fake',
          '',
        ].join('\n'),
      );
      return file;
    },
    close: () =>
      new Promise<void>((resolve) => {
        wss.close();
        for (const s of sockets) s.destroy();
        for (const d of dirs) rmSync(d, { recursive: true, force: true });
        server.close(() => resolve());
      }),
  };
}
