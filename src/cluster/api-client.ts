// A small read-only API client: GET with the kubeconfig's credentials (client-node applies certificates and
// tokens; exec plugins run through exec-credential.ts, with a deadline), bounded concurrency, 429 Retry-After,
// paginated LISTs, and a request counter. Every request is bounded in time (--request-timeout: the whole request,
// body included) and in size (--max-response-bytes); a LIST that never ends is stopped. Every failure is a
// RequestError with a one-line message naming the request.
import { readableOpenSslError } from '../tls/openssl-error.ts';
import http from 'node:http';
import https from 'node:https';
import type { KubeConfig } from '@kubernetes/client-node';
import { apiLimits, formatBytes, MAX_RESPONSE_BYTES_LIMIT } from './limits.ts';

/** A request that did not give a usable answer. `message` is one line and names the request. */
export class RequestError extends Error {
  override name = 'RequestError';
  /** Path (and query) of the request. */
  readonly path: string;

  constructor(message: string, path = '') {
    super(message);
    this.path = path;
  }
}

/** The server answered with an HTTP error status (or, for BadResponseError, with a body that is not the answer). */
export class ApiError extends RequestError {
  override name = 'ApiError';
  readonly status: number;
  readonly reason: string;
  /** Seconds the server asked us to wait (429). */
  readonly retryAfter?: number;

  constructor(status: number, reason: string, message: string, path: string, retryAfter?: number) {
    super(message, path);
    this.status = status;
    this.reason = reason;
    if (retryAfter !== undefined) this.retryAfter = retryAfter;
  }
}

/**
 * A 2xx answer that is not what the request asks for: not JSON, not an object, a LIST without a list, a
 * redirect, or pagination that never ends. `reason` is always BadResponse.
 */
export class BadResponseError extends ApiError {
  override name = 'BadResponseError';
  constructor(status: number, message: string, path: string) {
    super(status, 'BadResponse', message, path);
  }
}

/** The answer was larger than --max-response-bytes. */
export class ResponseTooLargeError extends RequestError {
  override name = 'ResponseTooLargeError';
  readonly limit: number;
  constructor(message: string, path: string, limit: number) {
    super(message, path);
    this.limit = limit;
  }
}

/** The server could not be reached or did not answer in time. */
export class ConnectionError extends RequestError {
  override name = 'ConnectionError';
}

/** No credentials to send: the kubeconfig's exec plugin failed, hung, or could not be run. */
export class CredentialError extends RequestError {
  override name = 'CredentialError';
}

export interface ListResult {
  items: Array<Record<string, unknown>>;
}

export interface ClientOptions {
  /** Time limit of each request, from sending it to the last byte of the answer (0: none). */
  timeoutMs: number;
  concurrency: number;
  /** Largest response body, in bytes (default: --max-response-bytes, 256 MiB). */
  maxResponseBytes?: number;
  /** Most pages one LIST may take before it counts as endless (default 10,000: 5 million objects). */
  maxPages?: number;
}

const PAGE_SIZE = 500;
const MAX_PAGES = 10_000;
const MAX_RETRIES = 3;
/** How much of a server's error text goes into a message. */
const MESSAGE_CHARS = 300;

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

  private get maxBytes(): number {
    return this.opts.maxResponseBytes ?? apiLimits.maxResponseBytes;
  }

  async get(path: string, accept = 'application/json'): Promise<Record<string, unknown>> {
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.limited(() => this.once(path, accept));
      } catch (e) {
        if (e instanceof ApiError && e.status === 429) {
          if (attempt < MAX_RETRIES) {
            await sleep(Math.min(e.retryAfter ?? 1, 10) * 1000, apiLimits.signal);
            continue;
          }
          throw new ApiError(429, e.reason, `still throttled after ${MAX_RETRIES} retries (429 Too Many Requests): ${e.message}`, path);
        }
        throw e;
      }
    }
  }

  /**
   * LIST with pagination; `query` holds labelSelector/fieldSelector; `accept` may ask for metadata only;
   * `pageSize` 0 asks for everything in one answer (one request whatever the number of objects). Each page
   * must be a list (`kind` ending in List, `items` an array of objects); a continue token seen before, or more
   * pages than a LIST can have, ends it with a BadResponseError.
   */
  async list(basePath: string, query: Record<string, string> = {}, accept?: string, pageSize = PAGE_SIZE): Promise<ListResult> {
    const items: Array<Record<string, unknown>> = [];
    const seen = new Set<string>();
    const maxPages = this.opts.maxPages ?? MAX_PAGES;
    let cont: string | undefined;
    let pages = 0;
    do {
      const params = new URLSearchParams({ ...query, ...(pageSize > 0 ? { limit: String(pageSize) } : {}), ...(cont ? { continue: cont } : {}) });
      const path = params.size > 0 ? `${basePath}?${params}` : basePath;
      const page = await this.get(path, accept);
      pages++;
      items.push(...listItems(page, path));
      const meta = page.metadata;
      const next = isObject(meta) && typeof meta.continue === 'string' && meta.continue !== '' ? meta.continue : undefined;
      if (next !== undefined) {
        if (seen.has(next)) throw new BadResponseError(200, `the LIST of ${basePath} does not end: page ${pages} repeats the continue token of an earlier page`, path);
        if (pages >= maxPages) throw new BadResponseError(200, `the LIST of ${basePath} does not end: still a continue token after ${pages} pages of ${pageSize}`, path);
        seen.add(next);
      }
      cont = next;
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
    const stop = apiLimits.signal;
    if (stop?.aborted) throw stopped(method(write), path, stop);
    const url = new URL(path.replace(/^\//, ''), this.server);
    const opts: https.RequestOptions = { headers: {} };
    try {
      await this.kc.applyToHTTPSOptions(opts);
    } catch (e) {
      if (e instanceof RequestError) throw e;
      const message = (e instanceof Error ? e.message : String(e)).replace(/\s*[\r\n]+\s*/g, ' ').trim();
      throw new CredentialError(message || 'the kubeconfig\'s credentials could not be read', path);
    }
    const mod = url.protocol === 'http:' ? http : https;
    if (url.protocol === 'http:') delete opts.agent;
    const headers: Record<string, string> = { Accept: accept, 'User-Agent': 'kubectl-gwtls' };
    if (write) headers['Content-Type'] = write.contentType;
    const what = `${method(write)} ${path}`;
    const limit = this.maxBytes;
    const timeoutMs = this.opts.timeoutMs;
    return new Promise((resolve, reject) => {
      let timer: NodeJS.Timeout | undefined;
      const onStop = () => fail(stopped(method(write), path, stop!));
      const done = () => {
        clearTimeout(timer);
        stop?.removeEventListener('abort', onStop);
      };
      // Our own reason to stop comes first: the errors the destroyed socket raises after it are not the cause.
      const fail = (e: RequestError) => {
        done();
        reject(e);
        req.destroy(e);
      };
      const req = mod.request(url, { ...opts, method: method(write), headers: { ...opts.headers, ...headers } }, (res) => {
        const status = res.statusCode ?? 0;
        const declared = Number(res.headers['content-length']);
        if (Number.isFinite(declared) && declared > limit) {
          fail(tooLarge(what, path, limit, declared));
          return;
        }
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (c: Buffer) => {
          size += c.length;
          if (size > limit) fail(tooLarge(what, path, limit));
          else chunks.push(c);
        });
        res.on('error', (e) => {
          done();
          reject(e instanceof RequestError ? e : new ConnectionError(`${what}: the answer broke off (${e.message})`, path));
        });
        res.on('end', () => {
          done();
          if (size > limit) return;
          let body: string;
          try {
            body = Buffer.concat(chunks, size).toString('utf8');
          } catch {
            return reject(new ResponseTooLargeError(`${what}: the answer (${formatBytes(size)}) is too large to decode here; lower --max-response-bytes or narrow the question`, path, limit));
          }
          const type = String(res.headers['content-type'] ?? '');
          if (status >= 300 && status < 400) {
            const to = res.headers.location ? ` to ${clip(res.headers.location)}` : '';
            return reject(new BadResponseError(status, `${what}: the server answered ${status} ${res.statusMessage ?? ''}, a redirect${to}, which is not followed (is the server address in the kubeconfig right?)`, path));
          }
          let parsed: unknown;
          let json = true;
          try {
            parsed = body === '' ? {} : JSON.parse(body);
          } catch {
            json = false;
          }
          if (status >= 200 && status < 300) {
            if (!json) return reject(new BadResponseError(status, `${what}: the answer is not JSON${type ? ` (${clip(type)})` : ''}`, path));
            if (!isObject(parsed)) return reject(new BadResponseError(status, `${what}: the answer is JSON ${parsed === null ? 'null' : Array.isArray(parsed) ? 'array' : typeof parsed}, not an object`, path));
            return resolve(parsed);
          }
          const statusObj = json && isObject(parsed) ? parsed : undefined;
          const message =
            typeof statusObj?.message === 'string' && statusObj.message !== ''
              ? clip(statusObj.message)
              : json
                ? `${status} ${res.statusMessage ?? ''}`.trim()
                : `${status} ${res.statusMessage ?? ''}, with ${type ? clip(type) : 'a body'} that is not a Kubernetes Status`.trim();
          const reason = typeof statusObj?.reason === 'string' ? clip(statusObj.reason) : (res.statusMessage ?? '');
          const retryAfter = Number(res.headers['retry-after']);
          reject(new ApiError(status, reason, message, path, Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter : undefined));
        });
      });
      // The whole request, answer included: a server trickling bytes must not hold the run past the limit.
      if (timeoutMs > 0) {
        timer = setTimeout(() => fail(new ConnectionError(`${what}: no complete answer within ${seconds(timeoutMs)} (--request-timeout)`, path)), timeoutMs);
      }
      stop?.addEventListener('abort', onStop, { once: true });
      req.on('error', (e) => {
        done();
        reject(e instanceof RequestError ? e : new ConnectionError(describeSocketError(e as NodeJS.ErrnoException), path));
      });
      req.end(write?.body);
    });
  }
}

function method(write: { method: string } | undefined): string {
  return write?.method ?? 'GET';
}

function stopped(verb: string, path: string, signal: AbortSignal): ConnectionError {
  const why = signal.reason instanceof Error ? signal.reason.message : typeof signal.reason === 'string' ? signal.reason : 'the time is up';
  return new ConnectionError(`${verb} ${path}: stopped, ${why}`, path);
}

function listItems(page: Record<string, unknown>, path: string): Array<Record<string, unknown>> {
  const kind = page.kind;
  if (typeof kind !== 'string' || !kind.endsWith('List')) {
    throw new BadResponseError(200, `GET ${path}: the answer is ${typeof kind === 'string' ? `a ${clip(kind)}` : 'an object without kind'}, not a list`, path);
  }
  // Go writes an empty slice as null; kubectl reads that as no items.
  if (page.items === null || page.items === undefined) return [];
  if (!Array.isArray(page.items)) throw new BadResponseError(200, `GET ${path}: the ${clip(kind)} has items that are not an array`, path);
  const items = page.items as unknown[];
  const bad = items.findIndex((i) => !isObject(i));
  if (bad >= 0) throw new BadResponseError(200, `GET ${path}: item ${bad} of the ${clip(kind)} is not an object`, path);
  return items as Array<Record<string, unknown>>;
}

function tooLarge(what: string, path: string, limit: number, declared?: number): ResponseTooLargeError {
  return new ResponseTooLargeError(`${what}: the answer is larger than ${formatBytes(limit)}${declared !== undefined ? ` (${formatBytes(declared)})` : ''}, the limit of --max-response-bytes; raise it (e.g. --max-response-bytes=${formatBytes(Math.min(limit * 2, MAX_RESPONSE_BYTES_LIMIT))}) or narrow the question (-n, a Gateway name)`, path, limit);
}

function isObject(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

/** Server text in a message: one line, not too long (the rendering edge escapes what is left). */
function clip(s: string): string {
  const one = s.replace(/\s*[\r\n]+\s*/g, ' ').trim();
  return one.length > MESSAGE_CHARS ? `${one.slice(0, MESSAGE_CHARS)}…` : one;
}

function seconds(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000}s` : `${ms}ms`;
}

/** Waits, or less when `signal` aborts (the request that follows then fails at once). */
function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const end = () => {
      clearTimeout(t);
      signal?.removeEventListener('abort', end);
      resolve();
    };
    const t = setTimeout(end, ms);
    signal?.addEventListener('abort', end, { once: true });
  });
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
      return clip(readableOpenSslError(e.message));
  }
}
