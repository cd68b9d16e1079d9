/**
 * State files (one per running control plane, under <repo>/.e2e/controlplanes/) and the process handling that
 * stops exactly the processes a control plane started: each was spawned as the leader of its own process
 * group; before signalling, the pid's argv[0] is checked against the recorded binary so a reused pid is never
 * touched.
 */
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface ProcessRecord {
  name: string;
  pid: number;
  /** absolute path of the executable (argv[0]) */
  exe: string;
}

export interface ControlPlaneState {
  id: string;
  /** pid of the process that started the control plane */
  ownerPid: number;
  /** started by `cli.ts up`: survives its owner, stopped by `cli.ts down` */
  persistent: boolean;
  workDir: string;
  kubeconfig: string;
  server: string;
  kubernetesVersion: string;
  gatewayApiVersion: string;
  startedAt: string;
  processes: ProcessRecord[];
  /** watchdog that stops the control plane if the owner dies without cleaning up */
  reaper?: ProcessRecord;
}

const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));

export function stateDir(): string {
  return process.env.GWTLS_E2E_STATE_DIR ?? join(REPO_ROOT, '.e2e', 'controlplanes');
}

export function stateFile(id: string): string {
  return join(stateDir(), `${id}.json`);
}

export function writeState(state: ControlPlaneState): void {
  mkdirSync(stateDir(), { recursive: true });
  const file = stateFile(state.id);
  const tmp = `${file}.tmp`;
  writeFileSync(tmp, `${JSON.stringify(state, null, 2)}\n`);
  renameSync(tmp, file);
}

export function readStates(): ControlPlaneState[] {
  if (!existsSync(stateDir())) return [];
  const out: ControlPlaneState[] = [];
  for (const f of readdirSync(stateDir())) {
    if (!f.endsWith('.json')) continue;
    try {
      out.push(JSON.parse(readFileSync(join(stateDir(), f), 'utf8')) as ControlPlaneState);
    } catch {
      // half-written or foreign file: ignore
    }
  }
  return out;
}

export function removeState(id: string): void {
  rmSync(stateFile(id), { force: true });
}

export function sleepSync(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

export function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
  try {
    // a zombie (exited, not yet reaped) counts as gone
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return true;
  }
}

/** True when pid is alive and still runs the recorded executable. */
export function isOurProcess(rec: ProcessRecord): boolean {
  if (!pidAlive(rec.pid)) return false;
  try {
    const argv0 = readFileSync(`/proc/${rec.pid}/cmdline`, 'utf8').split('\0')[0];
    return argv0 === rec.exe;
  } catch {
    // no /proc (not Linux): trust the pid
    return true;
  }
}

function signal(rec: ProcessRecord, sig: NodeJS.Signals): void {
  try {
    process.kill(-rec.pid, sig); // the whole process group the child leads
  } catch {
    try {
      process.kill(rec.pid, sig);
    } catch {
      // already gone
    }
  }
}

/**
 * SIGTERM each process (in the given order), wait up to graceMs for it to exit, then SIGKILL. Synchronous so it
 * can run from 'exit' and signal handlers.
 */
export function terminateSync(records: ProcessRecord[], graceMs = 10_000): void {
  for (const rec of records) {
    if (!isOurProcess(rec)) continue;
    signal(rec, 'SIGTERM');
    const deadline = Date.now() + graceMs;
    while (pidAlive(rec.pid) && Date.now() < deadline) sleepSync(50);
    if (pidAlive(rec.pid)) {
      signal(rec, 'SIGKILL');
      const killDeadline = Date.now() + 5_000;
      while (pidAlive(rec.pid) && Date.now() < killDeadline) sleepSync(50);
    }
  }
}

/**
 * Stops everything a state file records (kube-apiserver, then etcd), removes its files, and only then the
 * reaper: if this process is killed half-way, the reaper is still there to finish the job.
 */
export function destroySync(state: ControlPlaneState): void {
  terminateSync([...state.processes].reverse());
  rmSync(state.workDir, { recursive: true, force: true });
  removeState(state.id);
  if (state.reaper && isOurProcess(state.reaper)) {
    try {
      process.kill(state.reaper.pid, 'SIGKILL');
    } catch {
      // gone
    }
  }
}

/**
 * The watchdog run by `node -e` (plain JS, any Node version): polls the owner pid and the state file; when the
 * owner is gone but the state file is still there, it stops the recorded processes and removes the files.
 * argv: [ownerPid, stateFilePath]
 */
export const REAPER_SCRIPT = `
const fs = require('node:fs');
const [ownerPid, file] = [Number(process.argv[1]), process.argv[2]];
for (const s of ['SIGINT', 'SIGHUP', 'SIGPIPE']) process.on(s, () => {});
const alive = (pid) => { try { process.kill(pid, 0); } catch (e) { return e.code === 'EPERM'; }
  try { const st = fs.readFileSync('/proc/' + pid + '/stat', 'utf8'); return st[st.lastIndexOf(')') + 2] !== 'Z'; } catch { return true; } };
const ours = (r) => { if (!alive(r.pid)) return false;
  try { return fs.readFileSync('/proc/' + r.pid + '/cmdline', 'utf8').split('\\0')[0] === r.exe; } catch { return true; } };
const sleep = (ms) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
const sig = (r, s) => { try { process.kill(-r.pid, s); } catch { try { process.kill(r.pid, s); } catch {} } };
const tick = () => {
  if (!fs.existsSync(file)) process.exit(0);
  if (alive(ownerPid)) return;
  let state; try { state = JSON.parse(fs.readFileSync(file, 'utf8')); } catch { process.exit(0); }
  for (const r of [...state.processes].reverse()) {
    if (!ours(r)) continue;
    sig(r, 'SIGTERM');
    const end = Date.now() + 10000; while (alive(r.pid) && Date.now() < end) sleep(50);
    if (alive(r.pid)) { sig(r, 'SIGKILL'); const e2 = Date.now() + 5000; while (alive(r.pid) && Date.now() < e2) sleep(50); }
  }
  try { fs.rmSync(state.workDir, { recursive: true, force: true }); } catch {}
  try { fs.rmSync(file, { force: true }); } catch {}
  process.exit(0);
};
setInterval(tick, 1000);
`;
