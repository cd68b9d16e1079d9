// A pass-through Duplex that records what the server sends: the first bytes (to recognise non-TLS answers and
// read the plaintext part of the TLS flight), the byte count, when the first byte came, and how the stream
// ended (EOF, reset). TLS runs on top of it, so it sees exactly the wire.
import { Duplex } from 'node:stream';

const KEEP = 64 * 1024;

export class TapStream extends Duplex {
  private chunks: Buffer[] = [];
  private kept = 0;
  total = 0;
  firstByteAt: number | null = null;
  /** `eof` when the server closed its side, `error` with the errno when the stream failed. */
  ended: { how: 'eof' | 'error'; code?: string; at: number } | null = null;
  readonly inner: Duplex;

  constructor(inner: Duplex) {
    super({ allowHalfOpen: false });
    this.inner = inner;
    inner.on('data', (chunk: Buffer) => {
      this.total += chunk.length;
      this.firstByteAt ??= performance.now();
      if (this.kept < KEEP) {
        const part = chunk.subarray(0, KEEP - this.kept);
        this.chunks.push(Buffer.from(part));
        this.kept += part.length;
      }
      if (!this.push(chunk)) inner.pause();
    });
    inner.on('end', () => {
      this.ended ??= { how: 'eof', at: performance.now() };
      this.push(null);
    });
    inner.on('error', (e: NodeJS.ErrnoException) => {
      this.ended ??= { how: 'error', code: e.code ?? e.message, at: performance.now() };
      this.destroy(e);
    });
    inner.on('close', () => {
      if (!this.ended) this.ended = { how: 'eof', at: performance.now() };
      this.push(null);
    });
  }

  /** The first bytes received (up to 64 KiB). */
  received(): Buffer {
    if (this.chunks.length > 1) this.chunks = [Buffer.concat(this.chunks)];
    return this.chunks[0] ?? Buffer.alloc(0);
  }

  override _read(): void {
    this.inner.resume();
  }

  override _write(chunk: Buffer, _enc: BufferEncoding, cb: (e?: Error | null) => void): void {
    if (this.inner.destroyed || !this.inner.writable) return cb();
    this.inner.write(chunk, (e) => cb(e ?? null));
  }

  override _final(cb: (e?: Error | null) => void): void {
    this.inner.end();
    cb();
  }

  override _destroy(err: Error | null, cb: (e: Error | null) => void): void {
    this.inner.destroy();
    cb(err);
  }
}
