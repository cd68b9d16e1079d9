// Writes large reports without building one giant string: top-level arrays go out item by item, waiting for
// the stream to drain, so memory stays flat for -A on big clusters. Characters a terminal would act on that
// JSON.stringify leaves raw (C1 controls, bidi overrides) are written as \u escapes.
import type { Writable } from 'node:stream';
import { terminalSafeJson } from './sanitize.ts';

/** A top-level array whose items are written as `items` yields them, never all held at once. */
export class StreamedArray<T> {
  readonly length: number;
  readonly items: Iterable<T>;
  constructor(length: number, items: Iterable<T>) {
    this.length = length;
    this.items = items;
  }
}

/** A top-level value computed only when the writer reaches it, after everything before it was written. */
export class Later<T> {
  readonly value: () => T;
  constructor(value: () => T) {
    this.value = value;
  }
}

/** Text gathered before it goes to the stream: fewer, larger writes. */
const CHUNK_CHARS = 1 << 20;

/** JSON.stringify(value, null, 2), streamed: arrays directly under the root are written one element at a time. */
export async function writeJson(stream: Writable, value: Record<string, unknown>): Promise<void> {
  const entries = Object.entries(value).filter(([, v]) => v !== undefined);
  let pending = '{\n';
  const flush = async () => {
    const chunk = pending;
    pending = '';
    if (!stream.write(terminalSafeJson(chunk))) await new Promise<void>((resolve) => stream.once('drain', resolve));
  };
  const write = async (text: string) => {
    pending += text;
    if (pending.length >= CHUNK_CHARS) await flush();
  };
  for (const [i, [key, given]] of entries.entries()) {
    const sep = i < entries.length - 1 ? ',' : '';
    const v: unknown = given instanceof Later ? given.value() : given;
    if ((Array.isArray(v) || v instanceof StreamedArray) && v.length > 0) {
      await write(`  ${JSON.stringify(key)}: [\n`);
      let j = 0;
      for (const item of Array.isArray(v) ? v : v.items) await write(`${arrayItem(item)}${++j < v.length ? ',' : ''}\n`);
      await write(`  ]${sep}\n`);
    } else if (v instanceof StreamedArray) {
      await write(`  ${JSON.stringify(key)}: []${sep}\n`);
    } else {
      await write(`${JSON.stringify({ [key]: v }, null, 2).slice(2, -2)}${sep}\n`);
    }
  }
  await write('}\n');
  await flush();
}

// JSON.stringify indents from the left margin: an item is written inside a wrapper that puts it at the depth of
// a top-level array's items, and cut out, rather than re-indented line by line afterwards.
const ITEM_PREFIX = '{\n  "": [\n'.length;
const ITEM_SUFFIX = '\n  ]\n}'.length;

function arrayItem(item: unknown): string {
  return JSON.stringify({ '': [item] }, null, 2).slice(ITEM_PREFIX, -ITEM_SUFFIX);
}
