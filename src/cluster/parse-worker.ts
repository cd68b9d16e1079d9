// A parse worker: YAML documents in, their values out as one JSON string (the main thread's JSON.parse reads
// that several times faster than structured cloning would copy the objects).
import { parentPort } from 'node:worker_threads';
import { parseYamlDocument } from './parse-document.ts';
import type { RawDocument } from './read-input.ts';

parentPort!.on('message', (msg: { id: number; file: string; docs: RawDocument[] }) => {
  const out = msg.docs.map((d) => parseYamlDocument(d.text, d.line, msg.file));
  parentPort!.postMessage({ id: msg.id, json: JSON.stringify(out) });
});
