// A byte stream to a port of a Pod through the API server's port-forward: client-node's PortForward (WebSocket,
// channel protocol v4.channel.k8s.io: for each port a data channel and an error channel, each starting with the
// port number) adapted to a Duplex, so the probe can run a TLS handshake over it like over a TCP socket.
//
// The WebSocket itself is opened here (a WebSocketInterface handed to PortForward) rather than by client-node's
// default handler, for three things the default does not do: say why the API server refused the upgrade (its
// Status message, e.g. "pod does not have a host assigned"), honour an abort signal, and offer only the binary
// channel protocol the stream adapter understands.
import type { ClientRequest, IncomingMessage } from 'node:http';
import type { RequestOptions } from 'node:https';
import { Duplex, PassThrough, Writable } from 'node:stream';
import { PortForward, type KubeConfig } from '@kubernetes/client-node';
import WebSocketImpl from 'isomorphic-ws';
import type { EndpointSliceObject, PodObject, ServiceObject, ServicePort } from './objects.ts';
import type { Snapshot } from './snapshot.ts';

/** The WebSocket subprotocols offered: the kubelet's binary channel protocol (port-forward speaks v4 and the unversioned one). */
export const PORT_FORWARD_PROTOCOLS = ['v4.channel.k8s.io', 'channel.k8s.io'];

/** The part of the `ws` WebSocket this module uses (the package ships no types here). */
interface Ws {
  readonly protocol: string;
  readonly readyState: number;
  on(event: 'open', fn: () => void): this;
  on(event: 'close', fn: (code: number, reason: Buffer) => void): this;
  on(event: 'error', fn: (e: Error) => void): this;
  on(event: 'message', fn: (data: Buffer | string, isBinary: boolean) => void): this;
  on(event: 'unexpected-response', fn: (req: ClientRequest, res: IncomingMessage) => void): this;
  send(data: Buffer | string): void;
  close(): void;
  terminate(): void;
}
type WsCtor = new (url: string, protocols: string[], options: RequestOptions) => Ws;
const WebSocket = WebSocketImpl as unknown as WsCtor;

/** Why a port-forward could not be opened or broke: `status` is the HTTP status of a refused upgrade (0 otherwise). */
export class PortForwardError extends Error {
  override name = 'PortForwardError';
  readonly status: number;
  /** ECONNREFUSED (nothing listens on the port inside the pod), EPORTFORWARD (the API server or kubelet refused), or a socket errno. */
  readonly code: string;
  /** Plain words: what happened, and what to check. */
  readonly summary: string;
  readonly explanation: string;

  constructor(message: string, opts: { status?: number; code: string; summary: string; explanation: string }) {
    super(message);
    this.status = opts.status ?? 0;
    this.code = opts.code;
    this.summary = opts.summary;
    this.explanation = opts.explanation;
  }
}

export interface PortForwardTarget {
  namespace: string;
  pod: string;
  port: number;
}

export interface PortForwardStream {
  stream: Duplex;
  /** Time from the request to the open WebSocket, ms. */
  connectMs: number;
  /** The subprotocol the server chose. */
  protocol: string;
  /** The failure the kubelet reported on the error channel (e.g. connection refused inside the pod), if any so far. */
  failure(): PortForwardError | null;
}

/**
 * The WebSocketInterface PortForward connects through: opens the WebSocket with the kubeconfig's credentials,
 * dispatches binary frames to the channel handler, and turns a refused upgrade into a PortForwardError.
 */
class Connector {
  private readonly kc: KubeConfig;
  private readonly signal: AbortSignal;
  private readonly what: string;
  socket: Ws | null = null;

  constructor(kc: KubeConfig, signal: AbortSignal, what: string) {
    this.kc = kc;
    this.signal = signal;
    this.what = what;
  }

  async connect(path: string, textHandler: ((text: string) => boolean) | null, binaryHandler: ((stream: number, buff: Buffer) => boolean) | null): Promise<Ws> {
    const cluster = this.kc.getCurrentCluster();
    if (!cluster) throw new PortForwardError('no cluster in the kubeconfig', { code: 'EPORTFORWARD', summary: 'no cluster in the kubeconfig', explanation: 'The kubeconfig names no current cluster.' });
    const uri = `${cluster.server.replace(/^http/, 'ws').replace(/\/$/, '')}${path}`;
    const options: RequestOptions = {};
    await this.kc.applyToHTTPSOptions(options);
    if (this.signal.aborted) throw this.signal.reason as Error;
    return new Promise<Ws>((resolve, reject) => {
      let opened = false;
      const ws = new WebSocket(uri, PORT_FORWARD_PROTOCOLS, options);
      this.socket = ws;
      const onAbort = () => {
        ws.terminate();
        if (!opened) reject(this.signal.reason as Error);
      };
      this.signal.addEventListener('abort', onAbort, { once: true });
      ws.on('unexpected-response', (req, res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (c: Buffer) => {
          if (size < 8192) chunks.push(c);
          size += c.length;
        });
        res.on('end', () => {
          this.signal.removeEventListener('abort', onAbort);
          req.destroy();
          reject(refusal(res.statusCode ?? 0, Buffer.concat(chunks).toString('utf8'), this.what));
        });
        res.on('error', () => undefined);
      });
      ws.on('open', () => {
        opened = true;
        this.signal.removeEventListener('abort', onAbort);
        resolve(ws);
      });
      ws.on('error', (e: Error & { code?: string }) => {
        if (opened) return;
        this.signal.removeEventListener('abort', onAbort);
        reject(new PortForwardError(e.message, { code: e.code ?? 'EPORTFORWARD', summary: `the API server's port-forward for ${this.what} could not be opened: ${e.message}`, explanation: 'The WebSocket to the API server failed before it was established: check that the API server is reachable with this kubeconfig.' }));
      });
      ws.on('message', (data, isBinary) => {
        if (!isBinary) {
          if (textHandler && !textHandler(String(data))) ws.close();
          return;
        }
        const buf = data as Buffer;
        if (buf.length < 1) return;
        if (binaryHandler && !binaryHandler(buf[0]!, buf.subarray(1))) ws.close();
      });
    });
  }
}

/** The API server's refusal of the upgrade, in words. */
function refusal(status: number, body: string, what: string): PortForwardError {
  let message = body.trim().slice(0, 500);
  try {
    const parsed = JSON.parse(body) as { message?: unknown };
    if (typeof parsed.message === 'string') message = parsed.message;
  } catch {
    // not a Status object: keep the text
  }
  const said = message ? `: ${message}` : '';
  const base = { status, code: 'EPORTFORWARD' };
  switch (status) {
    case 401:
      return new PortForwardError(`HTTP 401${said}`, { ...base, summary: `the API server rejected the credentials for the port-forward to ${what} (401 Unauthorized)`, explanation: 'The kubeconfig credentials are not accepted: log in again or pick another --context.' });
    case 403:
      return new PortForwardError(`HTTP 403${said}`, { ...base, summary: `port-forward to ${what} is forbidden (403)${said}`, explanation: 'Reaching a backend through the API server needs RBAC permission "create" on pods/portforward in its namespace (kubectl auth can-i create pods/portforward -n NAMESPACE).' });
    case 404:
      return new PortForwardError(`HTTP 404${said}`, { ...base, summary: `${what} does not exist (404)${said}`, explanation: 'The Pod is gone (restarted or rescheduled under another name): probe again, or probe the Service with svc/NAME:PORT.' });
    case 400:
      return new PortForwardError(`HTTP 400${said}`, { ...base, summary: `the API server cannot port-forward to ${what}${said}`, explanation: 'The Pod is not running on a node yet (Pending, no host assigned) or has stopped: a port-forward needs a running Pod and a kubelet that answers.' });
    default:
      return new PortForwardError(`HTTP ${status}${said}`, { ...base, summary: `the API server refused the port-forward to ${what} (HTTP ${status})${said}`, explanation: 'The API server or the kubelet behind it could not open the stream: check the Pod is running and the node reachable from the control plane.' });
  }
}

/** What the kubelet wrote on the error channel, in words. */
function channelError(text: string, target: PortForwardTarget): PortForwardError {
  const what = `pod ${target.namespace}/${target.pod}`;
  const message = text.trim();
  if (/connection refused/i.test(message)) {
    return new PortForwardError(message, {
      code: 'ECONNREFUSED',
      summary: `connection refused inside ${what}: nothing listens on port ${target.port}`,
      explanation: `The port-forward reached the Pod, but no process in it accepts connections on port ${target.port}: the Service's targetPort (or the container port it names) is not the port the server listens on, the server has not started, or it listens on another interface only.`,
    });
  }
  return new PortForwardError(message, { code: 'EPORTFORWARD', summary: `the kubelet could not forward to port ${target.port} of ${what}: ${message.slice(0, 200)}`, explanation: 'The kubelet reported an error on the port-forward error channel.' });
}

/**
 * Opens a port-forward to one port of a Pod and returns it as a Duplex: what is written goes to the Pod's port,
 * what the Pod sends is readable; the stream ends when the API server closes the WebSocket, and fails with a
 * PortForwardError when the kubelet reports one (connection refused inside the Pod).
 */
export async function openPortForward(kc: KubeConfig, target: PortForwardTarget, signal: AbortSignal): Promise<PortForwardStream> {
  const what = `pod ${target.namespace}/${target.pod}`;
  const connector = new Connector(kc, signal, what);
  const toPod = new PassThrough();
  let failure: PortForwardError | null = null;
  let ws: Ws | null = null;
  const stream = new Duplex({
    allowHalfOpen: false,
    read() {
      // data is pushed as frames arrive
    },
    write(chunk: Buffer, _enc, cb) {
      toPod.write(chunk, () => cb());
    },
    final(cb) {
      toPod.end();
      cb();
    },
    destroy(err, cb) {
      if (ws && ws.readyState <= 1) ws.close();
      toPod.destroy();
      cb(err);
    },
  });
  const fromPod = new Writable({
    write(chunk: Buffer, _enc, cb) {
      if (chunk.length > 0 && !stream.destroyed) stream.push(chunk);
      cb();
    },
  });
  const errors = new Writable({
    write(chunk: Buffer, _enc, cb) {
      // The first frame of the channel carries only the port number (stripped by PortForward): nothing to report.
      if (chunk.length === 0) return cb();
      failure ??= channelError(chunk.toString('utf8'), target);
      if (!stream.destroyed) stream.destroy(failure);
      cb();
    },
  });
  const t0 = performance.now();
  const pf = new PortForward(kc, true, connector as unknown as ConstructorParameters<typeof PortForward>[2]);
  try {
    ws = (await pf.portForward(target.namespace, target.pod, [target.port], fromPod, errors, toPod, 0)) as unknown as Ws;
  } catch (e) {
    toPod.destroy();
    if (e instanceof PortForwardError) throw e;
    if (signal.aborted) throw signal.reason as Error;
    const err = e as Error & { code?: string };
    throw new PortForwardError(err.message ?? String(e), { code: err.code ?? 'EPORTFORWARD', summary: `the port-forward to ${what} could not be opened: ${err.message ?? String(e)}`, explanation: 'The WebSocket to the API server failed.' });
  }
  const connectMs = performance.now() - t0;
  const socket = ws;
  socket.on('close', () => {
    if (!stream.destroyed) stream.push(null);
  });
  socket.on('error', (e: Error) => {
    if (!stream.destroyed) stream.destroy(e);
  });
  const onAbort = () => stream.destroy();
  signal.addEventListener('abort', onAbort, { once: true });
  stream.once('close', () => signal.removeEventListener('abort', onAbort));
  return { stream, connectMs, protocol: socket.protocol, failure: () => failure };
}

// ---------------------------------------------------------------------------------------------------------
// Which Pod and port a Service port leads to.

export interface BackendEndpoint {
  namespace: string;
  pod: string;
  port: number;
  /** How it was chosen, in words: `ready endpoint app-1 of Service apps/app port https (8443 -> 8443)`. */
  why: string;
}

export type EndpointChoice = { ok: true; endpoint: BackendEndpoint } | { ok: false; reason: string };

/**
 * A ready endpoint Pod of a Service port and the container port it forwards to: from the EndpointSlices (whose
 * ports carry the resolved target port, named targetPorts included), else from the Pods the selector matches
 * (named targetPort resolved through the Pod's container ports).
 */
export function serviceEndpoint(snapshot: Snapshot, svc: ServiceObject, port: ServicePort): EndpointChoice {
  const ns = svc.meta.namespace;
  const label = `Service ${ns}/${svc.meta.name} port ${port.name ? `${port.name} (${port.port})` : port.port}`;
  const slices = snapshot.list('EndpointSlice', ns).filter((s: EndpointSliceObject) => s.serviceName === svc.meta.name);
  const candidates: Array<{ pod: string; port: number }> = [];
  let seen = 0;
  let notReady = 0;
  let noPort = 0;
  for (const slice of slices) {
    const sp = slice.ports.length === 0 ? undefined : slice.ports.find((p) => (p.name ?? '') === (port.name ?? ''));
    if (slice.ports.length > 0 && !sp) continue;
    for (const ep of slice.endpoints) {
      if (ep.targetRef?.kind !== 'Pod') continue;
      seen++;
      if (ep.ready === false) {
        notReady++;
        continue;
      }
      const number = sp?.port ?? (typeof port.targetPort === 'number' ? port.targetPort : podPort(snapshot.get('Pod', ep.targetRef.namespace ?? ns, ep.targetRef.name), port.targetPort));
      if (number !== undefined) candidates.push({ pod: ep.targetRef.name, port: number });
      else noPort++;
    }
  }
  if (candidates.length === 0 && slices.length === 0) {
    const pods = snapshot.list('Pod', ns).filter((p) => svc.selector && Object.keys(svc.selector).length > 0 && Object.entries(svc.selector).every(([k, v]) => p.meta.labels[k] === v));
    seen = pods.length;
    for (const p of pods) {
      if (p.ready !== true || p.phase !== 'Running') {
        notReady++;
        continue;
      }
      const number = podPort(p, port.targetPort);
      if (number !== undefined) candidates.push({ pod: p.meta.name, port: number });
      else noPort++;
    }
  }
  const first = candidates[0];
  if (!first) {
    if (seen === 0) return { ok: false, reason: `${label} has no endpoints (no Pod selected, or no EndpointSlice)` };
    const why = [notReady ? `${notReady} not ready` : '', noPort ? `${noPort} without a container port named ${port.targetPort}` : ''].filter(Boolean).join(', ');
    return { ok: false, reason: `${label} has no ready endpoint (${why})` };
  }
  return { ok: true, endpoint: { namespace: ns, pod: first.pod, port: first.port, why: `ready endpoint ${first.pod} of ${label} -> container port ${first.port}${candidates.length > 1 ? ` (1 of ${candidates.length} ready)` : ''}` } };
}

/** A Pod's container port for a targetPort (number, or a container port name). */
export function podPort(pod: PodObject | undefined, targetPort: number | string): number | undefined {
  if (typeof targetPort === 'number') return targetPort;
  return pod?.containerPorts.find((c) => c.name === targetPort)?.containerPort;
}
