// Parses batches of YAML documents, in worker threads once the input is large enough to pay for them (YAML
// parsing is most of the time spent on a large manifest set), on this thread otherwise or where workers cannot
// start. Results come back per batch, in any order.
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { parseYamlDocument, type ParsedDocument } from './parse-document.ts';
import type { RawDocument } from './read-input.ts';
import { safeLine } from '../report/sanitize.ts';

// Set by scripts/build.mjs: where the bundled worker lives, relative to the chunk holding this module.
declare const __GWTLS_PARSE_WORKER__: string | undefined;

/** Below this many characters of YAML seen, parsing stays on this thread (a worker takes ~30 ms to start). */
const WORKER_THRESHOLD = 2 * 1024 * 1024;

interface Job {
  id: number;
  file: string;
  docs: RawDocument[];
  resolve: (r: ParsedDocument[]) => void;
}

export class ParsePool {
  private readonly size: number;
  private workers: Array<{ worker: Worker; busy: Job | null }> = [];
  private readonly queue: Job[] = [];
  private seen = 0;
  private nextId = 0;
  private broken = false;
  /** Why the workers could not run (GWTLS_DEBUG says it). */
  private failure: string | undefined;
  /** Batches the workers parsed. */
  private parsedInWorkers = 0;
  /** Batches handed in and not yet parsed. */
  pending = 0;

  private readonly workerUrl: URL | undefined;

  /** `workerUrl`: where the worker module is (default: beside this module, or where the build put it). */
  constructor(opts: { workers?: number; workerUrl?: URL } = {}) {
    this.workerUrl = opts.workerUrl;
    const env = process.env.GWTLS_PARSE_WORKERS;
    const wanted = opts.workers ?? (env !== undefined && /^\d+$/.test(env) ? Number(env) : Math.min(4, availableParallelism()));
    this.size = Math.max(0, wanted);
  }

  parse(docs: RawDocument[], file: string): Promise<ParsedDocument[]> {
    this.seen += docs.reduce((n, d) => n + d.text.length, 0);
    if (this.size === 0 || this.broken || (this.workers.length === 0 && this.seen < WORKER_THRESHOLD)) return Promise.resolve(parseInline(docs, file));
    this.pending++;
    return new Promise((resolve) => {
      this.queue.push({ id: this.nextId++, file, docs, resolve: (r) => { this.pending--; resolve(r); } });
      this.start();
      this.pump();
    });
  }

  /** Resolves once at most `n` batches are waiting (back-pressure for the reader). */
  async below(n: number): Promise<void> {
    while (this.pending > n) await new Promise((r) => setTimeout(r, 2));
  }

  async close(): Promise<void> {
    if (process.env.GWTLS_DEBUG && (this.parsedInWorkers > 0 || this.failure)) {
      process.stderr.write(this.failure ? `debug: YAML parse workers could not run (${safeLine(this.failure)}): parsed on the main thread\n` : `debug: YAML parsed by ${this.size} worker threads (${this.parsedInWorkers} batches)\n`);
      this.failure = undefined;
      this.parsedInWorkers = 0;
    }
    const ws = this.workers;
    this.workers = [];
    await Promise.all(ws.map((w) => w.worker.terminate()));
  }

  private start(): void {
    if (this.workers.length > 0 || this.broken) return;
    let url: URL;
    try {
      url = this.workerUrl ?? (typeof __GWTLS_PARSE_WORKER__ === 'string' ? new URL(__GWTLS_PARSE_WORKER__, import.meta.url) : new URL('./parse-worker.ts', import.meta.url));
      for (let i = 0; i < this.size; i++) {
        const slot: { worker: Worker; busy: Job | null } = { worker: startWorker(url), busy: null };
        slot.worker.on('message', (msg: { id: number; json: string }) => {
          const job = slot.busy;
          slot.busy = null;
          if (job && job.id === msg.id) {
            this.parsedInWorkers++;
            job.resolve(JSON.parse(msg.json) as ParsedDocument[]);
          }
          this.pump();
        });
        slot.worker.on('error', (e) => this.fail(e));
        this.workers.push(slot);
      }
    } catch (e) {
      this.fail(e);
    }
  }

  /** Workers could not run: parse everything still waiting here instead. */
  private fail(why: unknown): void {
    if (this.broken) return;
    this.broken = true;
    this.failure = why instanceof Error ? why.message : String(why);
    const orphaned = [...this.workers.map((w) => w.busy).filter((j): j is Job => j !== null), ...this.queue.splice(0)];
    void this.close();
    for (const job of orphaned) job.resolve(parseInline(job.docs, job.file));
  }

  private pump(): void {
    for (const slot of this.workers) {
      if (slot.busy || this.queue.length === 0) continue;
      const job = this.queue.shift()!;
      slot.busy = job;
      slot.worker.postMessage({ id: job.id, file: job.file, docs: job.docs });
    }
  }
}

/**
 * A worker for `url`. In the single executable the module is an asset (a gwtls-sea: URL) that only the
 * executable's module hooks can load, and hooks are per thread: its main script (scripts/sea.mjs) starts such a
 * worker with the hooks registered first.
 */
function startWorker(url: URL): Worker {
  const seaWorker = (globalThis as { __gwtlsSeaWorker?: (url: string) => Worker }).__gwtlsSeaWorker;
  return url.protocol === 'gwtls-sea:' && seaWorker ? seaWorker(url.href) : new Worker(url);
}

function parseInline(docs: RawDocument[], file: string): ParsedDocument[] {
  return docs.map((d) => parseYamlDocument(d.text, d.line, file));
}
