// Writes large reports without building one giant string: top-level arrays go out item by item, waiting for
// the stream to drain, so memory stays flat for -A on big clusters. Characters a terminal would act on that
// JSON.stringify leaves raw (C1 controls, bidi overrides) are written as \u escapes.
import type { Writable } from 'node:stream';
import { terminalSafeJson } from './sanitize.ts';

async function write(stream: Writable, chunk: string): Promise<void> {
  if (!stream.write(terminalSafeJson(chunk))) await new Promise<void>((resolve) => stream.once('drain', resolve));
}

/** JSON.stringify(value, null, 2), streamed: arrays directly under the root are written one element at a time. */
export async function writeJson(stream: Writable, value: Record<string, unknown>): Promise<void> {
  const entries = Object.entries(value).filter(([, v]) => v !== undefined);
  await write(stream, '{\n');
  for (const [i, [key, v]] of entries.entries()) {
    const sep = i < entries.length - 1 ? ',' : '';
    if (Array.isArray(v) && v.length > 0) {
      await write(stream, `  ${JSON.stringify(key)}: [\n`);
      for (const [j, item] of v.entries()) {
        await write(stream, `    ${JSON.stringify(item, null, 2).replace(/\n/g, '\n    ')}${j < v.length - 1 ? ',' : ''}\n`);
      }
      await write(stream, `  ]${sep}\n`);
    } else {
      await write(stream, `  ${JSON.stringify(key)}: ${JSON.stringify(v, null, 2).replace(/\n/g, '\n  ')}${sep}\n`);
    }
  }
  await write(stream, '}\n');
}
