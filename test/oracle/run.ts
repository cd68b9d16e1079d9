/**
 * Runs both sides on one prepared input file: Envoy Gateway's translator (`egctl x translate`, status and xDS
 * and IR) and the tool (`kubectl-gwtls inspect -A -f FILE -o json`, the built CLI a user runs).
 */
import { spawn } from 'node:child_process';
import type { InspectReport } from '../../src/report/types.ts';
import { runCli } from '../helpers/cli.ts';

export interface EgctlOutput {
  /** Status the translator wrote (resource.Resources, JSON). */
  resources: Record<string, unknown>;
  /** xDS per Gateway IR key (`ns/name`): the ConfigDump. */
  xds: Record<string, unknown>;
  /** The intermediate representation per Gateway IR key (listeners with certificates, routes with upstream TLS). */
  xdsIR: Record<string, unknown>;
}

export type EgctlResult = { ok: true; output: EgctlOutput; ms: number } | { ok: false; error: string; ms: number };

function capture(cmd: string, args: string[], timeoutMs: number): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => out.push(d));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout: Buffer.concat(out).toString('utf8'), stderr });
    });
  });
}

/** `egctl x translate --from gateway-api --to ir,gateway-api,xds --type all -o json -f FILE`. */
export async function runEgctl(egctl: string, file: string, timeoutMs = 120_000): Promise<EgctlResult> {
  const started = performance.now();
  // ir first: its Resources are replaced by the gateway-api translation's, which also sets the class status.
  const res = await capture(egctl, ['x', 'translate', '--from', 'gateway-api', '--to', 'ir,gateway-api,xds', '--type', 'all', '-o', 'json', '-n', 'envoy-gateway-system', '-f', file], timeoutMs);
  const ms = performance.now() - started;
  if (res.code !== 0) return { ok: false, error: oneLine(res.stderr || res.stdout || `exit ${String(res.code)}`), ms };
  try {
    const parsed = JSON.parse(res.stdout) as Record<string, unknown>;
    const { xds, xdsIR, infraIR: _infra, ...resources } = parsed;
    return { ok: true, output: { resources, xds: (xds ?? {}) as Record<string, unknown>, xdsIR: (xdsIR ?? {}) as Record<string, unknown> }, ms };
  } catch (e) {
    return { ok: false, error: `unreadable egctl output: ${(e as Error).message}`, ms };
  }
}

function oneLine(s: string): string {
  const lines = s.trim().split('\n');
  const panic = lines.find((l) => l.startsWith('panic:'));
  return (panic ?? lines.at(-1) ?? '').slice(0, 500);
}

export type ToolResult = { ok: true; report: InspectReport; ms: number } | { ok: false; error: string; ms: number };

/** The tool as a user runs it, on every Gateway of the file. */
export async function runTool(file: string): Promise<ToolResult> {
  const res = await runCli(['inspect', '-A', '-f', file, '-o', 'json', '--fail-on', 'none'], { timeoutMs: 300_000 });
  if (res.code !== 0 && res.code !== 1) return { ok: false, error: oneLine(res.stderr || `exit ${String(res.code)}`), ms: res.durationMs };
  try {
    return { ok: true, report: JSON.parse(res.stdout) as InspectReport, ms: res.durationMs };
  } catch (e) {
    return { ok: false, error: `unreadable report: ${(e as Error).message}`, ms: res.durationMs };
  }
}
