/**
 * A small generic REST client over @kubernetes/client-node's KubeConfig (auth, CA) and node:https.
 * Generic on purpose: the harness applies CRD kinds, status subresources and discovery documents, which the
 * typed client-node APIs cover only piecemeal.
 */
import { request as httpsRequest, type RequestOptions } from 'node:https';
import { request as httpRequest } from 'node:http';
import { KubeConfig } from '@kubernetes/client-node';

export interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; [key: string]: unknown };
  [key: string]: unknown;
}

export interface RestResponse<T = unknown> {
  status: number;
  body: T;
  text: string;
}

export class KubeApiError extends Error {
  readonly status: number;
  readonly body: unknown;
  constructor(method: string, path: string, status: number, text: string, body: unknown) {
    const message = (body as { message?: string } | undefined)?.message ?? text.slice(0, 500);
    super(`${method} ${path}: HTTP ${status}: ${message}`);
    this.name = 'KubeApiError';
    this.status = status;
    this.body = body;
  }
}

export interface ApiResource {
  name: string;
  namespaced: boolean;
  kind: string;
  verbs: string[];
}

export const FIELD_MANAGER = 'gwtls-e2e';

export function loadKubeConfig(kubeconfig: string, context?: string): KubeConfig {
  const kc = new KubeConfig();
  kc.loadFromFile(kubeconfig);
  if (context) kc.setCurrentContext(context);
  return kc;
}

export class RestClient {
  readonly kc: KubeConfig;
  private readonly discovery = new Map<string, ApiResource[]>();

  constructor(kc: KubeConfig) {
    this.kc = kc;
  }

  static fromFile(kubeconfig: string, context?: string): RestClient {
    return new RestClient(loadKubeConfig(kubeconfig, context));
  }

  get server(): string {
    const cluster = this.kc.getCurrentCluster();
    if (!cluster) throw new Error('kubeconfig has no current cluster');
    return cluster.server.replace(/\/+$/, '');
  }

  /** One HTTP request; never throws on an HTTP status (see `call`). */
  async request<T = unknown>(
    method: string,
    path: string,
    opts: { body?: unknown; contentType?: string; timeoutMs?: number } = {},
  ): Promise<RestResponse<T>> {
    const url = new URL(this.server + path);
    const options: RequestOptions = { method, headers: { Accept: 'application/json' } };
    await this.kc.applyToHTTPSOptions(options);
    const payload = opts.body === undefined ? undefined : typeof opts.body === 'string' ? opts.body : JSON.stringify(opts.body);
    const headers = options.headers as Record<string, string>;
    if (payload !== undefined) {
      headers['Content-Type'] = opts.contentType ?? 'application/json';
      headers['Content-Length'] = String(Buffer.byteLength(payload));
    }
    const doRequest = url.protocol === 'http:' ? httpRequest : httpsRequest;
    return new Promise((resolve, reject) => {
      const req = doRequest(url, options, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let body: unknown = text;
          try {
            body = text ? JSON.parse(text) : undefined;
          } catch {
            // not JSON (e.g. /readyz): keep the text
          }
          resolve({ status: res.statusCode ?? 0, body: body as T, text });
        });
        res.on('error', reject);
      });
      req.setTimeout(opts.timeoutMs ?? 30_000, () => req.destroy(new Error(`${method} ${path}: timed out`)));
      req.on('error', reject);
      if (payload !== undefined) req.write(payload);
      req.end();
    });
  }

  /** Like `request`, but throws KubeApiError unless the status is 2xx. */
  async call<T = unknown>(method: string, path: string, opts: { body?: unknown; contentType?: string; timeoutMs?: number } = {}): Promise<T> {
    const res = await this.request<T>(method, path, opts);
    if (res.status < 200 || res.status >= 300) throw new KubeApiError(method, path, res.status, res.text, res.body);
    return res.body;
  }

  static groupVersionPath(apiVersion: string): string {
    return apiVersion.includes('/') ? `/apis/${apiVersion}` : `/api/${apiVersion}`;
  }

  /** The resources served for apiVersion (cached; `refresh` re-reads discovery). [] when not served. */
  async apiResources(apiVersion: string, refresh = false): Promise<ApiResource[]> {
    if (!refresh) {
      const cached = this.discovery.get(apiVersion);
      if (cached) return cached;
    }
    const res = await this.request<{ resources?: ApiResource[] }>('GET', RestClient.groupVersionPath(apiVersion));
    if (res.status === 404) return [];
    if (res.status !== 200) throw new KubeApiError('GET', RestClient.groupVersionPath(apiVersion), res.status, res.text, res.body);
    const resources = res.body.resources ?? [];
    this.discovery.set(apiVersion, resources);
    return resources;
  }

  /** Discovery lookup of a kind's plural and scope; re-reads discovery once on a miss (new CRDs). */
  async resourceFor(apiVersion: string, kind: string): Promise<ApiResource> {
    const find = (list: ApiResource[]) => list.find((r) => r.kind === kind && !r.name.includes('/'));
    let found = find(await this.apiResources(apiVersion));
    if (!found) found = find(await this.apiResources(apiVersion, true));
    if (!found) throw new Error(`${kind} is not served at ${apiVersion}`);
    return found;
  }

  /** Path of an object (or its collection when name is omitted), with an optional subresource. */
  async objectPath(ref: { apiVersion: string; kind: string; name?: string; namespace?: string }, subresource?: string): Promise<string> {
    const res = await this.resourceFor(ref.apiVersion, ref.kind);
    let path = RestClient.groupVersionPath(ref.apiVersion);
    if (res.namespaced) path += `/namespaces/${encodeURIComponent(ref.namespace ?? 'default')}`;
    path += `/${res.name}`;
    if (ref.name) path += `/${encodeURIComponent(ref.name)}`;
    if (subresource) path += `/${subresource}`;
    return path;
  }

  /** Server-side apply (creates or updates). */
  async apply<T extends KubeObject>(obj: T, opts: { fieldManager?: string; force?: boolean; subresource?: string } = {}): Promise<T> {
    const path = await this.objectPath(
      { apiVersion: obj.apiVersion, kind: obj.kind, name: obj.metadata.name, namespace: obj.metadata.namespace },
      opts.subresource,
    );
    const query = `?fieldManager=${encodeURIComponent(opts.fieldManager ?? FIELD_MANAGER)}&force=${opts.force ?? true}`;
    return this.call<T>('PATCH', path + query, { body: obj, contentType: 'application/apply-patch+yaml', timeoutMs: 60_000 });
  }

  async get<T = KubeObject>(ref: { apiVersion: string; kind: string; name: string; namespace?: string }): Promise<T> {
    return this.call<T>('GET', await this.objectPath(ref));
  }
}
