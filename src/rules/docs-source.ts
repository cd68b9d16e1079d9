// Rule documentation pages, read from docs/rules/ when running from source. The bundle replaces this module
// with the pages embedded at build time (scripts/build.mjs), so installed binaries need no docs directory.
import { existsSync, readdirSync, readFileSync } from 'node:fs';

export function ruleDocs(): Record<string, string> {
  const dir = new URL('../../docs/rules/', import.meta.url);
  if (!existsSync(dir)) return {};
  const out: Record<string, string> = {};
  for (const f of readdirSync(dir)) if (f.endsWith('.md')) out[f.slice(0, -3)] = readFileSync(new URL(f, dir), 'utf8');
  return out;
}
