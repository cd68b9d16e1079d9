// A small read-only API client: GET with the kubeconfig's credentials (client-node applies certificates,
// tokens and exec plugins), bounded concurrency, per-request timeouts, 429 Retry-After, paginated LISTs, and
// a request counter. Errors carry enough to say which server and context failed, and why.
import http from 'node:http';
import https from 'node:https';
import type { KubeConfig } from '@kubernetes/client-node';

export class ApiError extends Error {
  readonly status: number;
  readonly reason: string;
  readonly path: string;
  /** Seconds the server asked us to wait (429). */
  readonly retryAfter?: number;

  constructor(status: number, reason: string, message: string, path: string, retryAfter?: number) {
    super(message);
    this.status = status;
    this.reason = reason;
    this.path = path;
    if (retryAfter !== undefined) this.retryAfter = retryAfter;
  }
}

/** The server could not be reached or did not answer in time. */
export class ConnectionError extends Error {}

export interface ListResult {
  items: Array<Record<string, unknown>>;
}

export interface ClientOptions {
  timeoutMs: number;
  concurrency: number;
}

const PAGE_SIZE = 500;
const MAX_RETRIES = 3;

export class ApiClient {
  requests = 0;
  private readonly kc: KubeConfig;
  private readonly server: URL;
  private readonly opts: ClientOptions;
  private active = 0;
  private readonly queue: Array<() => void> = [];

  constructor(kc: KubeConfig, server: string, opts: ClientOptions) {
    this.kc = kc;
    this.server = new URL(server.endsWith('/') ? server : `${server}/`);
    this.opts = opts;
  }

  async get(path: string, accept = 'application/json'): Promise<Record<string, unknown>> {
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.limited(() => this.once(path, accept));
      } catch (e) {
        if (e instanceof ApiError && e.status === 429 && attempt < MAX_RETRIES) {
          await sleep(Math.min(e.retryAfter ?? 1, 10) * 1000);
          continue;
        }
        throw e;
      }
    }
  }

  /** LIST with pagination; `query` holds labelSelector/fieldSelector; `accept` may ask for metadata only. */
  async list(basePath: string, query: Record<string, string> = {}, accept?: string): Promise<ListResult> {
    const items: Array<Record<string, unknown>> = [];
    let cont: string | undefined;
    do {
      const params = new URLSearchParams({ ...query, limit: String(PAGE_SIZE), ...(cont ? { continue: cont } : {}) });
      const page = await this.get(`${basePath}?${params}`, accept);
      const pageItems = Array.isArray(page.items) ? (page.items as Array<Record<string, unknown>>) : [];
      items.push(...pageItems);
      const meta = (page.metadata ?? {}) as Record<string, unknown>;
      cont = typeof meta.continue === 'string' && meta.continue !== '' ? meta.continue : undefined;
    } while (cont);
    return { items };
  }

  private async limited<T>(fn: () => Promise<T>): Promise<T> {
    if (this.active >= this.opts.concurrency) await new Promise<void>((resolve) => this.queue.push(resolve));
    this.active++;
    try {
      return await fn();
    } finally {
      this.active--;
      this.queue.shift()?.();
    }
  }

  /**
   * Server-side apply of one object (PATCH application/apply-patch+yaml), as `kubectl apply --server-side`
   * does; `dryRun` asks the server to validate and merge without persisting.
   */
  async apply(path: string, body: Record<string, unknown>, opts: { fieldManager: string; dryRun: boolean; force: boolean }): Promise<Record<string, unknown>> {
    const query = new URLSearchParams({ fieldManager: opts.fieldManager, force: String(opts.force), ...(opts.dryRun ? { dryRun: 'All' } : {}) });
    return this.limited(() => this.once(`${path}?${query}`, 'application/json', { method: 'PATCH', body: JSON.stringify(body), contentType: 'application/apply-patch+yaml' }));
  }

  /** POST (create) of one object: fails with 409 AlreadyExists rather than touching an object that exists. */
  async create(collectionPath: string, body: Record<string, unknown>, opts: { fieldManager: string; dryRun: boolean }): Promise<Record<string, unknown>> {
    const query = new URLSearchParams({ fieldManager: opts.fieldManager, ...(opts.dryRun ? { dryRun: 'All' } : {}) });
    return this.limited(() => this.once(`${collectionPath}?${query}`, 'application/json', { method: 'POST', body: JSON.stringify(body), contentType: 'application/json' }));
  }

  /** GET that answers undefined for 404 instead of throwing. */
  async getOptional(path: string): Promise<Record<string, unknown> | undefined> {
    try {
      return await this.get(path);
    } catch (e) {
      if (e instanceof ApiError && e.status === 404) return undefined;
      throw e;
    }
  }

  private async once(path: string, accept: string, write?: { method: string; body: string; contentType: string }): Promise<Record<string, unknown>> {
    this.requests++;
    const url = new URL(path.replace(/^\//, ''), this.server);
    const opts: https.RequestOptions = { headers: {} };
    await this.kc.applyToHTTPSOptions(opts);
    const mod = url.protocol === 'http:' ? http : https;
    if (url.protocol === 'http:') delete opts.agent;
    const headers: Record<string, string> = { Accept: accept, 'User-Agent': 'kubectl-gwtls' };
    if (write) headers['Content-Type'] = write.contentType;
    return new Promise((resolve, reject) => {
      const req = mod.request(url, { ...opts, method: write?.method ?? 'GET', headers: { ...opts.headers, ...headers } }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('error', (e) => reject(new ConnectionError(e.message)));
        res.on('end', () => {
          const body = Buffer.concat(chunks).toString('utf8');
          const status = res.statusCode ?? 0;
          let parsed: Record<string, unknown> = {};
          try {
            parsed = body ? (JSON.parse(body) as Record<string, unknown>) : {};
          } catch {
            if (status < 300) return reject(new ApiError(status, 'BadResponse', `the server answered ${path} with something that is not JSON`, path));
          }
          if (status >= 200 && status < 300) return resolve(parsed);
          const message = typeof parsed.message === 'string' ? parsed.message : body.slice(0, 200) || (res.statusMessage ?? `HTTP ${status}`);
          const reason = typeof parsed.reason === 'string' ? parsed.reason : (res.statusMessage ?? '');
          const retryAfter = Number(res.headers['retry-after']);
          reject(new ApiError(status, reason, message, path, Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter : undefined));
        });
      });
      if (this.opts.timeoutMs > 0) {
        req.setTimeout(this.opts.timeoutMs, () => req.destroy(new ConnectionError(`no answer within ${this.opts.timeoutMs / 1000}s (--request-timeout)`)));
      }
      req.on('error', (e) => reject(e instanceof ConnectionError ? e : new ConnectionError(describeSocketError(e as NodeJS.ErrnoException))));
      req.end(write?.body);
    });
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

function describeSocketError(e: NodeJS.ErrnoException): string {
  switch (e.code) {
    case 'ECONNREFUSED':
      return 'connection refused (is the API server running and the address right?)';
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return `cannot resolve the server's name (${e.message})`;
    case 'ECONNRESET':
      return 'the connection was reset';
    case 'ETIMEDOUT':
      return 'the connection timed out';
    case 'DEPTH_ZERO_SELF_SIGNED_CERT':
    case 'SELF_SIGNED_CERT_IN_CHAIN':
    case 'UNABLE_TO_VERIFY_LEAF_SIGNATURE':
    case 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY':
    case 'ERR_TLS_CERT_ALTNAME_INVALID':
    case 'CERT_HAS_EXPIRED':
      return `the server's certificate is not trusted (${e.code}); check certificate-authority-data in the kubeconfig`;
    default:
      return e.message;
  }
}
