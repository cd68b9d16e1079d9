// Global setup of the unit project: the run gets a temporary directory of its own (TMPDIR, which os.tmpdir() and
// every child process read), and at its end nothing may be left in it: a test removes the folders it creates.
// What is left is listed, removed, and fails the run.
import { chmodSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export default function setup(): () => void {
  const dir = mkdtempSync(join(tmpdir(), 'gwtls-unit-run-'));
  // Like /tmp: tests run servers as other users (PostgreSQL refuses to run as root) in folders made here.
  chmodSync(dir, 0o1777);
  const before = process.env.TMPDIR;
  process.env.TMPDIR = dir;
  return () => {
    if (before === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = before;
    const left = readdirSync(dir);
    rmSync(dir, { recursive: true, force: true });
    if (left.length) throw new Error(`tests left ${left.length} temporary folder(s) behind: ${left.sort().join(', ')} (a test removes what it creates)`);
  };
}
