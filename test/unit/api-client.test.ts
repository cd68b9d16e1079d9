// The API client against hostile API servers on loopback (real HTTPS, real sockets): every request ends within
// --request-timeout however slowly the answer comes, answers are read up to --max-response-bytes, pagination
// that never ends is stopped, and every answer that is not what a LIST must be is a typed error with a one-line
// message naming the request.
import type { ServerResponse } from 'node:http';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ApiClient, ApiError, BadResponseError, ConnectionError, RequestError, ResponseTooLargeError } from '../../src/cluster/api-client.ts';
import { loadKubeConfig } from '../../src/cluster/kubeconfig.ts';
import { apiLimits } from '../../src/cluster/limits.ts';
import { startFakeApiServer, type FakeApiServer, type Handler } from './probe/apiserver.ts';

const LIST = '/apis/gateway.networking.k8s.io/v1/namespaces/infra/gateways';
const routes = new Map<string, Handler>();
let api: FakeApiServer;
let kubeconfig: string;

beforeAll(async () => {
  // One server; each test installs the answer for LIST (and for /slow, /big, ...) it needs.
  const dispatch = (path: string): Handler => (req, res) => (routes.get(path) ?? ((_q, r: ServerResponse) => r.writeHead(404).end('{}')))(req, res);
  api = await startFakeApiServer({ [LIST]: dispatch(LIST) }, () => ({ status: 404, message: 'no pods' }));
  kubeconfig = api.kubeconfig('infra');
});
afterAll(() => api.close());
afterEach(() => {
  routes.clear();
  delete apiLimits.signal;
});

function client(opts: Partial<ConstructorParameters<typeof ApiClient>[2]> = {}): ApiClient {
  const { kc, server } = loadKubeConfig({ kubeconfig });
  return new ApiClient(kc, server, { timeoutMs: 5_000, concurrency: 4, ...opts });
}

function json(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'Content-Type': 'application/json', ...headers }).end(JSON.stringify(body));
}

const gatewayList = (items: unknown[], cont?: string) => ({ kind: 'GatewayList', apiVersion: 'gateway.networking.k8s.io/v1', metadata: cont ? { continue: cont } : {}, items });

/** The error a LIST ends with, checked to be a RequestError with a one-line message naming the request. */
async function listFails(c: ApiClient = client()): Promise<RequestError> {
  const e = await c.list(LIST).then(
    () => null,
    (x: unknown) => x,
  );
  expect(e, 'the LIST should have failed').toBeInstanceOf(RequestError);
  const err = e as RequestError;
  expect(err.message).not.toMatch(/[\r\n]/);
  expect(err.message.length).toBeLessThan(500);
  expect(err.path).toContain(LIST);
  return err;
}

describe('time: --request-timeout bounds the whole request', () => {
  it('stops a server that sends one byte per second, at the limit', async () => {
    routes.set(LIST, (_req, res) => {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      const body = JSON.stringify(gatewayList([]));
      let i = 0;
      const t = setInterval(() => (i < body.length && !res.destroyed ? res.write(body[i++]) : clearInterval(t)), 1000);
      res.on('close', () => clearInterval(t));
    });
    const started = performance.now();
    const e = await listFails(client({ timeoutMs: 1500 }));
    const took = performance.now() - started;
    expect(e).toBeInstanceOf(ConnectionError);
    expect(e.message).toMatch(/no complete answer within 1500ms \(--request-timeout\)/);
    expect(took).toBeGreaterThanOrEqual(1400);
    expect(took).toBeLessThan(4000);
  });

  it('stops a server that never answers', async () => {
    routes.set(LIST, () => undefined);
    const e = await listFails(client({ timeoutMs: 1000 }));
    expect(e).toBeInstanceOf(ConnectionError);
  });

  it('stops every request in flight when the command\'s time is up (the stop signal)', async () => {
    routes.set(LIST, () => undefined);
    const stop = new AbortController();
    apiLimits.signal = stop.signal;
    setTimeout(() => stop.abort(new Error('the probe\'s time is up')), 300);
    const started = performance.now();
    const e = await listFails(client({ timeoutMs: 60_000 }));
    expect(performance.now() - started).toBeLessThan(3000);
    expect(e.message).toContain('stopped, the probe\'s time is up');
    // And none starts afterwards.
    const again = await listFails(client({ timeoutMs: 60_000 }));
    expect(again.message).toContain('stopped');
  });
});

describe('memory: answers are read up to --max-response-bytes', () => {
  it('refuses an answer that says it is too large, naming the limit and the flag', async () => {
    routes.set(LIST, (_req, res) => {
      res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': String(3 << 20) });
      res.write('{"kind":"GatewayList","items":[');
    });
    const e = await listFails(client({ maxResponseBytes: 1 << 20 }));
    expect(e).toBeInstanceOf(ResponseTooLargeError);
    expect(e.message).toContain('larger than 1Mi (3Mi), the limit of --max-response-bytes');
    expect(e.message).toContain('--max-response-bytes=2Mi');
  });

  it('stops reading an endless answer without a length at the limit', async () => {
    routes.set(LIST, (_req, res) => {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      const chunk = Buffer.alloc(64 << 10, 0x20);
      const pump = () => {
        while (!res.destroyed && res.write(chunk));
        if (!res.destroyed) res.once('drain', pump);
      };
      pump();
    });
    const e = await listFails(client({ maxResponseBytes: 4 << 20 }));
    expect(e).toBeInstanceOf(ResponseTooLargeError);
    expect(e.message).toMatch(/larger than 4Mi, the limit of --max-response-bytes/);
  });

  it('reads an answer just under the limit', async () => {
    const items = Array.from({ length: 200 }, (_, i) => ({ metadata: { name: `gw-${i}`, namespace: 'infra', annotations: { pad: 'x'.repeat(2000) } } }));
    routes.set(LIST, (_req, res) => json(res, 200, gatewayList(items)));
    const size = Buffer.byteLength(JSON.stringify(gatewayList(items)));
    const res = await client({ maxResponseBytes: size + 10 }).list(LIST);
    expect(res.items).toHaveLength(200);
  });
});

describe('honest failure: a LIST that did not work is a typed error', () => {
  const cases: Array<[string, Handler, (e: RequestError) => void]> = [
    ['500 with a Status', (_q, r) => json(r, 500, { kind: 'Status', status: 'Failure', reason: 'InternalError', message: 'etcdserver: request timed out\nretry later', code: 500 }), (e) => {
      expect(e).toBeInstanceOf(ApiError);
      expect((e as ApiError).status).toBe(500);
      expect(e.message).toBe('etcdserver: request timed out retry later');
    }],
    ['500 with an HTML page', (_q, r) => r.writeHead(500, { 'Content-Type': 'text/html' }).end('<html><body><h1>502 Bad Gateway</h1>\n<hr>nginx</body></html>'), (e) => {
      expect((e as ApiError).status).toBe(500);
      expect(e.message).toContain('text/html that is not a Kubernetes Status');
    }],
    ['a redirect', (_q, r) => r.writeHead(302, { Location: 'https://login.example.com/sso?next=/apis' }).end(), (e) => {
      expect(e).toBeInstanceOf(BadResponseError);
      expect(e.message).toContain('302');
      expect(e.message).toContain('a redirect to https://login.example.com/sso?next=/apis, which is not followed');
    }],
    ['200 with HTML', (_q, r) => r.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' }).end('<!doctype html><title>Sign in</title>'), (e) => {
      expect(e).toBeInstanceOf(BadResponseError);
      expect(e.message).toContain('the answer is not JSON (text/html; charset=utf-8)');
    }],
    ['200 with broken JSON', (_q, r) => r.writeHead(200, { 'Content-Type': 'application/json' }).end('{"kind":"GatewayList","items":[{"metadata":'), (e) => {
      expect(e).toBeInstanceOf(BadResponseError);
      expect(e.message).toContain('not JSON');
    }],
    ['200 with a null body', (_q, r) => r.writeHead(200, { 'Content-Type': 'application/json' }).end('null'), (e) => {
      expect(e).toBeInstanceOf(BadResponseError);
      expect(e.message).toContain('the answer is JSON null, not an object');
    }],
    ['200 with the wrong kind', (_q, r) => json(r, 200, { kind: 'Gateway', apiVersion: 'gateway.networking.k8s.io/v1', metadata: { name: 'x' } }), (e) => {
      expect(e).toBeInstanceOf(BadResponseError);
      expect(e.message).toContain('the answer is a Gateway, not a list');
    }],
    ['200 with a Status', (_q, r) => json(r, 200, { kind: 'Status', status: 'Failure', message: 'proxy error' }), (e) => {
      expect(e.message).toContain('the answer is a Status, not a list');
    }],
    ['200 without kind', (_q, r) => json(r, 200, { items: [] }), (e) => {
      expect(e.message).toContain('an object without kind, not a list');
    }],
    ['200 with items that are not an array', (_q, r) => json(r, 200, { kind: 'GatewayList', items: { a: 1 } }), (e) => {
      expect(e).toBeInstanceOf(BadResponseError);
      expect(e.message).toContain('items that are not an array');
    }],
    ['200 with an item that is not an object', (_q, r) => json(r, 200, { kind: 'GatewayList', items: [{ metadata: {} }, 'x'] }), (e) => {
      expect(e.message).toContain('item 1 of the GatewayList is not an object');
    }],
    ['a connection closed mid-answer', (req, r) => {
      r.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': '1000' });
      r.write('{"kind":"GatewayList","items":[');
      setTimeout(() => req.socket.destroy(), 50);
    }, (e) => {
      expect(e).toBeInstanceOf(ConnectionError);
    }],
  ];
  for (const [name, handler, check] of cases) {
    it(name, async () => {
      routes.set(LIST, handler);
      check(await listFails());
    });
  }

  it('429 after the retries: says it was still throttled', async () => {
    let n = 0;
    routes.set(LIST, (_q, r) => {
      n++;
      json(r, 429, { kind: 'Status', status: 'Failure', reason: 'TooManyRequests', message: 'too many requests, please try again later', code: 429 }, { 'Retry-After': '1' });
    });
    const e = (await listFails()) as ApiError;
    expect(e.status).toBe(429);
    expect(e.message).toBe('still throttled after 3 retries (429 Too Many Requests): too many requests, please try again later');
    expect(n).toBe(4);
  });

  it('an empty list written by Go as items: null is no items', async () => {
    routes.set(LIST, (_q, r) => json(r, 200, { kind: 'GatewayList', metadata: {}, items: null }));
    expect((await client().list(LIST)).items).toEqual([]);
  });
});

describe('pagination that never ends is stopped', () => {
  it('a continue token that repeats', async () => {
    let n = 0;
    routes.set(LIST, (_q, r) => json(r, 200, gatewayList([{ metadata: { name: `gw-${n++}` } }], 'same-token')));
    const e = await listFails();
    expect(e).toBeInstanceOf(BadResponseError);
    expect(e.message).toContain('does not end: page 2 repeats the continue token of an earlier page');
    expect(n).toBe(2);
  });

  it('a token that cycles through a few values', async () => {
    let n = 0;
    routes.set(LIST, (_q, r) => json(r, 200, gatewayList([], `t${n++ % 3}`)));
    const e = await listFails();
    expect(e.message).toContain('page 4 repeats the continue token');
  });

  it('a new token on every page, forever', async () => {
    let n = 0;
    routes.set(LIST, (_q, r) => json(r, 200, gatewayList([{ metadata: { name: `gw-${n}` } }], `token-${n++}`)));
    const e = await listFails(client({ maxPages: 40 }));
    expect(e.message).toContain('still a continue token after 40 pages of 500');
    expect(n).toBe(40);
  });

  it('a real paginated LIST is read whole, passing the tokens back', async () => {
    const seen: string[] = [];
    routes.set(LIST, (req, r) => {
      const cont = new URL(req.url!, 'https://x').searchParams.get('continue') ?? '';
      seen.push(cont);
      const page = cont === '' ? 0 : Number(cont.slice(1));
      json(r, 200, gatewayList([{ metadata: { name: `gw-${page}` } }], page < 4 ? `p${page + 1}` : undefined));
    });
    const res = await client().list(LIST);
    expect(res.items.map((i) => (i.metadata as { name: string }).name)).toEqual(['gw-0', 'gw-1', 'gw-2', 'gw-3', 'gw-4']);
    expect(seen).toEqual(['', 'p1', 'p2', 'p3', 'p4']);
  });
});
