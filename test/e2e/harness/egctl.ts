/**
 * The differential oracle's binary: Envoy Gateway's `egctl`, built from the Go module proxy with
 * `go install github.com/envoyproxy/gateway/cmd/egctl@VERSION` (CGO_ENABLED=0, -trimpath) into the harness
 * cache beside kube-apiserver and etcd, with a stamp (version, package, ldflags, Go version). A later run
 * reuses the cached binary while the stamp matches.
 *
 * GWTLS_ORACLE_EGCTL=/path/to/egctl uses an existing binary instead (its `egctl version` must name VERSION).
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cacheRoot, findGo, goCommand, isExecutable, log, tmpModuleDir } from './gobuild.ts';
import { EGCTL_PACKAGE, EGCTL_VERSION } from './versions.ts';

export interface Egctl {
  path: string;
  version: string;
  /** seconds the build took; 0 when the cached (or a given) binary was used */
  buildSeconds: number;
  cached: boolean;
}

interface Stamp {
  hash: string;
  version: string;
  builtAt: string;
  buildSeconds: number;
}

const LDFLAGS = ['-s', '-w', `-X github.com/envoyproxy/gateway/internal/cmd/version.envoyGatewayVersion=${EGCTL_VERSION}`];

export function egctlDir(): string {
  return join(cacheRoot(), `egctl-${EGCTL_VERSION}`);
}

/** Why the oracle cannot run here, or undefined when it can (a Go toolchain, or GWTLS_ORACLE_EGCTL). */
export function egctlUnavailable(): string | undefined {
  const given = process.env.GWTLS_ORACLE_EGCTL;
  if (given) return isExecutable(given) ? undefined : `GWTLS_ORACLE_EGCTL=${given} is not an executable file`;
  if (!findGo()) return `no Go toolchain (no \`go\` on PATH nor /usr/local/go/bin/go) to build egctl ${EGCTL_VERSION} from ${EGCTL_PACKAGE}; install Go 1.26+ or set GWTLS_ORACLE_EGCTL to an egctl ${EGCTL_VERSION} binary`;
  return undefined;
}

function capture(cmd: string, args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? 1, stdout, stderr }));
  });
}

/** The version an egctl binary reports (`egctl version --remote=false` prints the client version alone). */
export async function egctlVersion(path: string): Promise<string> {
  const res = await capture(path, ['version', '--remote=false']);
  if (res.code !== 0) throw new Error(`${path} version failed (exit ${res.code}): ${res.stderr.trim().slice(0, 500)}`);
  return res.stdout.trim();
}

/** The egctl to run: given, cached (stamp matches), or built now. */
export async function ensureEgctl(): Promise<Egctl> {
  const given = process.env.GWTLS_ORACLE_EGCTL;
  if (given) {
    const version = await egctlVersion(given);
    if (version !== EGCTL_VERSION) throw new Error(`GWTLS_ORACLE_EGCTL=${given} reports version ${version || '(none)'}, expected ${EGCTL_VERSION}`);
    return { path: given, version, buildSeconds: 0, cached: true };
  }
  const dir = egctlDir();
  const bin = join(dir, 'egctl');
  const stampFile = join(dir, 'stamp.json');
  const goVersion = (await goCommand(['env', 'GOVERSION'])).trim();
  const hash = createHash('sha256').update(`egctl\n${EGCTL_PACKAGE}@${EGCTL_VERSION}\n${LDFLAGS.join(' ')}\n${goVersion}\n`).digest('hex');
  if (existsSync(bin) && existsSync(stampFile)) {
    try {
      const stamp = JSON.parse(readFileSync(stampFile, 'utf8')) as Stamp;
      if (stamp.hash === hash && stamp.version === EGCTL_VERSION) {
        log(`egctl ${EGCTL_VERSION}: cached ${bin} (built ${stamp.builtAt} in ${stamp.buildSeconds.toFixed(0)} s)`);
        return { path: bin, version: EGCTL_VERSION, buildSeconds: 0, cached: true };
      }
    } catch {
      // unreadable stamp: rebuild
    }
  }
  mkdirSync(dir, { recursive: true });
  const gobin = join(dir, `gobin.tmp-${process.pid}`);
  log(`egctl ${EGCTL_VERSION}: building ${EGCTL_PACKAGE} with ${goVersion} into ${dir} (about 5 minutes on 2 cores with an empty Go cache)`);
  const started = performance.now();
  try {
    mkdirSync(gobin, { recursive: true });
    // `go install pkg@version` builds the module as released (its own go.mod and go.sum), outside any module.
    await goCommand(['install', '-trimpath', '-ldflags', LDFLAGS.join(' '), `${EGCTL_PACKAGE}@${EGCTL_VERSION}`], tmpModuleDir(), true, { GOBIN: gobin });
    renameSync(join(gobin, 'egctl'), bin);
  } finally {
    rmSync(gobin, { recursive: true, force: true });
  }
  const buildSeconds = (performance.now() - started) / 1000;
  const version = await egctlVersion(bin);
  if (version !== EGCTL_VERSION) throw new Error(`built ${bin} reports version ${version || '(none)'}, expected ${EGCTL_VERSION}`);
  const stamp: Stamp = { hash, version: EGCTL_VERSION, builtAt: new Date().toISOString(), buildSeconds };
  writeFileSync(stampFile, `${JSON.stringify(stamp, null, 2)}\n`);
  log(`egctl ${EGCTL_VERSION}: built in ${buildSeconds.toFixed(1)} s`);
  return { path: bin, version: EGCTL_VERSION, buildSeconds, cached: false };
}
