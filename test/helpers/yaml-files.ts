// Every .yaml/.yml file under a folder, depth first, in name order (fixture sets read by the e2e and oracle tests).
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

export function yamlFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  const out: string[] = [];
  for (const e of readdirSync(dir).sort()) {
    const p = join(dir, e);
    if (statSync(p).isDirectory()) out.push(...yamlFiles(p));
    else if (/\.ya?ml$/.test(e)) out.push(p);
  }
  return out;
}
