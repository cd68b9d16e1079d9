// Flags shared by commands that talk to a cluster, spelled and behaving as kubectl's.
import { Option, type Command } from 'commander';
import { UserError } from './errors.ts';

export interface ClusterOptions {
  namespace?: string;
  allNamespaces?: boolean;
  context?: string;
  kubeconfig?: string;
  requestTimeout?: number;
}

/** kubectl durations: "0" (no limit), "30", "30s", "1m", "1m30s", "250ms". Returns milliseconds. */
export function parseDuration(value: string, flag = 'duration'): number {
  const v = value.trim();
  if (/^\d+$/.test(v)) return Number(v) * 1000;
  const re = /(\d+(?:\.\d+)?)(ms|s|m|h)/g;
  let total = 0;
  let consumed = 0;
  for (const m of v.matchAll(re)) {
    const n = Number(m[1]);
    total += m[2] === 'ms' ? n : m[2] === 's' ? n * 1000 : m[2] === 'm' ? n * 60_000 : n * 3_600_000;
    consumed += m[0].length;
  }
  if (consumed === 0 || consumed !== v.length) throw new UserError(`invalid ${flag} "${value}": use a number of seconds or a duration such as 10s, 1m or 500ms`);
  return total;
}

/** Sizes as Kubernetes quantities: bytes, or with a suffix Ki, Mi, Gi (powers of 1024) or K, M, G (of 1000). */
export function parseSize(value: string, flag: string): number {
  const m = /^(\d+(?:\.\d+)?)\s*(Ki|Mi|Gi|Ti|K|M|G|T|k)?B?$/.exec(value.trim());
  if (!m) throw new UserError(`invalid ${flag} "${value}": use a number of bytes or a size such as 512Mi or 2Gi`);
  const units: Record<string, number> = { '': 1, k: 1e3, K: 1e3, M: 1e6, G: 1e9, T: 1e12, Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40 };
  const n = Math.floor(Number(m[1]) * units[m[2] ?? '']!);
  if (n <= 0) throw new UserError(`invalid ${flag} "${value}": must be more than 0`);
  return n;
}

export function addClusterOptions(cmd: Command): Command {
  return cmd
    .option('-n, --namespace <namespace>', 'namespace to look in (default: the context\'s namespace)')
    .option('-A, --all-namespaces', 'look in every namespace')
    .option('--context <name>', 'kubeconfig context to use')
    .option('--kubeconfig <path>', 'path to the kubeconfig file (default: $KUBECONFIG, several files merged, or ~/.kube/config)')
    .addOption(
      new Option('--request-timeout <duration>', 'time limit for each request to the API server, e.g. 10s; 0 means no limit')
        .default(30_000, '30s')
        .argParser((v) => parseDuration(v, '--request-timeout')),
    );
}
