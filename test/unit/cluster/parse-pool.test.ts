// Parse workers: results equal to parsing on this thread, and when workers cannot start (a single executable's
// modules are not files; a missing worker file), everything is parsed here instead, nothing lost.
import { describe, expect, it } from 'vitest';
import { Worker } from 'node:worker_threads';
import { ParsePool } from '../../../src/cluster/parse-pool.ts';

const docs = Array.from({ length: 4000 }, (_, i) => ({ text: `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c-${i}}\ndata: {k: "${'v'.repeat(600)}"}\n${i === 1234 ? 'bad: [\n' : ''}`, line: 1 + i * 5 }));
const batches = [docs.slice(0, 1500), docs.slice(1500, 3000), docs.slice(3000)];

async function parseAll(pool: ParsePool) {
  try {
    return (await Promise.all(batches.map((b) => pool.parse(b, 'f.yaml')))).flat();
  } finally {
    await pool.close();
  }
}

describe('parse pool', () => {
  it('gives the same documents and errors from workers as on this thread', async () => {
    const inline = await parseAll(new ParsePool({ workers: 0 }));
    expect(inline.filter((d) => 'error' in d)).toEqual([expect.objectContaining({ line: 1 + 1234 * 5 + 5 })]);
    expect(await parseAll(new ParsePool({ workers: 2 }))).toEqual(inline);
  });

  it('falls back to this thread when the worker cannot be loaded', async () => {
    const inline = await parseAll(new ParsePool({ workers: 0 }));
    expect(await parseAll(new ParsePool({ workers: 2, workerUrl: new URL('file:///nonexistent/parse-worker.mjs') }))).toEqual(inline);
    expect(await parseAll(new ParsePool({ workers: 2, workerUrl: new URL('gwtls-sea:/chunks/parse-worker.mjs') }))).toEqual(inline);
  });

  it('starts its workers through the single executable\'s boot function for a gwtls-sea: URL', async () => {
    const inline = await parseAll(new ParsePool({ workers: 0 }));
    const asked: string[] = [];
    const g = globalThis as { __gwtlsSeaWorker?: (url: string) => Worker };
    g.__gwtlsSeaWorker = (url) => {
      asked.push(url);
      return new Worker(new URL('../../../src/cluster/parse-worker.ts', import.meta.url));
    };
    try {
      expect(await parseAll(new ParsePool({ workers: 2, workerUrl: new URL('gwtls-sea:///chunks/parse-worker.mjs') }))).toEqual(inline);
      expect(asked).toEqual(['gwtls-sea:///chunks/parse-worker.mjs', 'gwtls-sea:///chunks/parse-worker.mjs']);
    } finally {
      delete g.__gwtlsSeaWorker;
    }
  });
});
