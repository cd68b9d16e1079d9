// Reads one -f input (a file or stdin) as a stream, within a size limit, and cuts YAML into documents as it
// arrives, so that neither a large file nor endless stdin is ever held whole: JSON (a file starting with `{` or
// `[`) is one document and is read whole; YAML goes out in batches of documents as soon as they are complete.
import { StringDecoder } from 'node:string_decoder';
import { formatBytes } from './parse-document.ts';

export interface RawDocument {
  text: string;
  /** 1-based line of the document's first line in its file. */
  line: number;
}

/** The input is larger than --max-input-bytes allows. */
export class InputTooLarge extends Error {}

/** Text of about this many characters goes out as one batch of documents. */
const BATCH_CHARS = 512 * 1024;
/** The largest string V8 can hold (2^29 - 24 characters): a single document beyond it cannot be parsed. */
const MAX_STRING = (1 << 29) - 24;

export interface ReadOptions {
  /** Bytes; reading stops with InputTooLarge beyond it. */
  limit: number;
  /** For messages: the flag that raises the limit. */
  flag: string;
}

/**
 * Reads `chunks`; YAML documents go to `onBatch` in order; returns the text of a JSON input instead. Throws
 * InputTooLarge past the limit, and an Error for a single document too large to be a string.
 */
export async function readDocuments(chunks: AsyncIterable<Buffer | string>, opts: ReadOptions, onBatch: (docs: RawDocument[]) => void | Promise<void>): Promise<{ json?: string }> {
  const decoder = new StringDecoder('utf8');
  let bytes = 0;
  let mode: 'unknown' | 'json' | 'yaml' = 'unknown';
  const jsonParts: Buffer[] = [];
  const splitter = new DocumentSplitter();
  let batch: RawDocument[] = [];
  let batchChars = 0;
  const emit = async (docs: RawDocument[]) => {
    for (const d of docs) {
      batch.push(d);
      batchChars += d.text.length;
    }
    if (batchChars >= BATCH_CHARS) {
      const out = batch;
      batch = [];
      batchChars = 0;
      await onBatch(out);
    }
  };
  let head = '';
  for await (const raw of chunks) {
    const buf = typeof raw === 'string' ? Buffer.from(raw) : raw;
    bytes += buf.length;
    if (bytes > opts.limit) throw new InputTooLarge(`larger than ${formatBytes(opts.limit)}, the limit for one input (raise it with ${opts.flag})`);
    if (mode === 'json') {
      jsonParts.push(buf);
      continue;
    }
    const text = decoder.write(buf);
    if (mode === 'unknown') {
      head += text;
      const first = /[^\s\ufeff]/.exec(head);
      if (!first) continue;
      if (first[0] === '{' || first[0] === '[') {
        mode = 'json';
        jsonParts.push(Buffer.from(head));
        continue;
      }
      mode = 'yaml';
      await emit(splitter.feed(head));
      continue;
    }
    await emit(splitter.feed(text));
  }
  if (mode === 'json') {
    const total = jsonParts.reduce((n, b) => n + b.length, 0) + decoder.end().length;
    if (total > MAX_STRING) throw new Error(`a single JSON document of ${formatBytes(total)} is too large to read (at most ${formatBytes(MAX_STRING)} per document)`);
    return { json: Buffer.concat(jsonParts).toString('utf8') };
  }
  const rest = decoder.end();
  if (mode === 'unknown') {
    // Whitespace only, or nothing: no documents.
    if (head.trim() !== '' || rest.trim() !== '') await emit(splitter.feed(head + rest));
  } else if (rest) await emit(splitter.feed(rest));
  const last = splitter.end();
  for (const d of last) {
    batch.push(d);
  }
  if (batch.length) await onBatch(batch);
  return {};
}

/**
 * Cuts YAML text into documents at `---` and `...` lines. A document's text keeps its line numbering through
 * `line`; `--- {inline: document}` keeps the content of its marker line.
 */
export class DocumentSplitter {
  private buf = '';
  /** Where in `buf` to look for the next marker (everything before it is known not to hold one). */
  private scan = 0;
  private line = 1;
  private readonly marker = /^(?:---|\.\.\.)(?=[ \t\r\n]|$)/gm;

  feed(text: string): RawDocument[] {
    this.buf += text;
    const out: RawDocument[] = [];
    for (;;) {
      this.marker.lastIndex = this.scan;
      const m = this.marker.exec(this.buf);
      if (!m) {
        // Only a partial last line can still turn out to be a marker.
        const lastNl = this.buf.lastIndexOf('\n');
        this.scan = Math.max(this.scan, lastNl + 1);
        break;
      }
      const at = m.index;
      const eol = this.buf.indexOf('\n', at);
      if (eol < 0) {
        this.scan = at;
        break;
      }
      this.cut(at, eol, m[0], out);
    }
    if (this.buf.length > MAX_STRING / 2) throw new Error(`a single YAML document is larger than ${formatBytes(MAX_STRING / 2)}, too large to read`);
    return out;
  }

  end(): RawDocument[] {
    const out: RawDocument[] = [];
    for (;;) {
      this.marker.lastIndex = this.scan;
      const m = this.marker.exec(this.buf);
      if (!m) break;
      const eol = this.buf.indexOf('\n', m.index);
      this.cut(m.index, eol < 0 ? this.buf.length : eol, m[0], out);
    }
    if (this.buf.trim() !== '') out.push({ text: this.buf, line: this.line });
    this.buf = '';
    this.scan = 0;
    return out;
  }

  /** A marker at `at` whose line ends at `eol`: the text before it is a document. */
  private cut(at: number, eol: number, marker: string, out: RawDocument[]): void {
    const before = this.buf.slice(0, at);
    if (before.trim() !== '') out.push({ text: before, line: this.line });
    this.line += countLines(before);
    const markerLine = this.buf.slice(at, eol);
    const inline = marker === '---' && /^---[ \t]+[^\s#]/.test(markerLine);
    if (inline) {
      // The content after `---` on the marker line belongs to the next document, at its own column.
      this.buf = `   ${this.buf.slice(at + 3)}`;
    } else {
      this.buf = this.buf.slice(eol + 1);
      this.line += 1;
    }
    this.scan = 0;
  }
}

function countLines(s: string): number {
  let n = 0;
  for (let i = s.indexOf('\n'); i >= 0; i = s.indexOf('\n', i + 1)) n++;
  return n;
}
