// Flags shared by commands that talk to a cluster, spelled and behaving as kubectl's.
import { Option, type Command } from 'commander';
import { UserError } from './errors.ts';
import { apiLimits, DEFAULT_MAX_RESPONSE_BYTES, formatBytes, MAX_RESPONSE_BYTES_LIMIT } from '../cluster/limits.ts';

export interface ClusterOptions {
  namespace?: string;
  allNamespaces?: boolean;
  context?: string;
  kubeconfig?: string;
  requestTimeout?: number;
  maxResponseBytes?: number;
}

/** The longest time limit accepted: a longer one is a typo (a missing unit), not a wish. */
export const MAX_DURATION_MS = 24 * 3_600_000;

/** kubectl durations: "0" (no limit), "30", "30s", "1m", "1m30s", "250ms". Returns milliseconds, at most 24 hours. */
export function parseDuration(value: string, flag = 'duration'): number {
  const v = value.trim();
  let total = 0;
  if (/^\d+$/.test(v)) total = Number(v) * 1000;
  else {
    const re = /(\d+(?:\.\d+)?)(ms|s|m|h)/g;
    let consumed = 0;
    for (const m of v.matchAll(re)) {
      const n = Number(m[1]);
      total += m[2] === 'ms' ? n : m[2] === 's' ? n * 1000 : m[2] === 'm' ? n * 60_000 : n * 3_600_000;
      consumed += m[0].length;
    }
    if (consumed === 0 || consumed !== v.length) throw new UserError(`invalid ${flag} "${value}": use a number of seconds or a duration such as 10s, 1m or 500ms`);
  }
  if (total > MAX_DURATION_MS) throw new UserError(`${flag} "${value}" is longer than 24h, the longest limit accepted`);
  return total;
}

const SIZE_UNITS: Record<string, number> = { '': 1, k: 1e3, K: 1e3, M: 1e6, G: 1e9, Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30 };

/**
 * A byte size as a Kubernetes quantity: plain bytes ("1048576"), decimal (500M, 1G) or binary (256Mi, 1Gi)
 * suffixes. At least 1 byte, at most `max`.
 */
export function parseByteSize(value: string, flag: string, max: number): number {
  const m = /^(\d+(?:\.\d+)?)(k|K|M|G|Ki|Mi|Gi)?$/.exec(value.trim());
  if (!m) throw new UserError(`invalid ${flag} "${value}": use a number of bytes or a quantity such as 512Mi or 1Gi`);
  const n = Math.floor(Number(m[1]) * SIZE_UNITS[m[2] ?? '']!);
  if (n < 1) throw new UserError(`${flag} "${value}" must be at least 1 byte`);
  if (n > max) throw new UserError(`${flag} "${value}" is above ${formatBytes(max)}, the largest this tool can read`);
  return n;
}

export function addClusterOptions(cmd: Command): Command {
  return cmd
    .option('-n, --namespace <namespace>', 'namespace to look in (default: the context\'s namespace)')
    .option('-A, --all-namespaces', 'look in every namespace')
    .option('--context <name>', 'kubeconfig context to use')
    .option('--kubeconfig <path>', 'path to the kubeconfig file (default: $KUBECONFIG, several files merged, or ~/.kube/config)')
    .addOption(
      new Option('--request-timeout <duration>', 'time limit for each request to the API server, answer included, e.g. 10s (at most 24h); 0 means no limit')
        .default(30_000, '30s')
        .argParser((v) => parseDuration(v, '--request-timeout')),
    )
    .addOption(
      new Option('--max-response-bytes <size>', 'largest answer read from the API server, e.g. 512Mi (at most 512Mi)')
        .default(DEFAULT_MAX_RESPONSE_BYTES, '256Mi')
        .argParser((v) => parseByteSize(v, '--max-response-bytes', MAX_RESPONSE_BYTES_LIMIT)),
    )
    .hook('preAction', (_cmd, action) => {
      const bytes = (action.opts() as ClusterOptions).maxResponseBytes;
      if (bytes !== undefined) apiLimits.maxResponseBytes = bytes;
    });
}
