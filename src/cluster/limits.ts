// Process-wide limits on API access, set by the command before any client exists: the largest answer
// (--max-response-bytes), and a signal that stops every request (and exec credential plugin) when the command's
// time is up. No imports: the CLI sets them without loading the HTTP client.

/** 256 MiB: far above one page of a paginated LIST (500 objects), yet below what would exhaust memory. */
export const DEFAULT_MAX_RESPONSE_BYTES = 256 * 1024 * 1024;

export const apiLimits: { maxResponseBytes: number; signal?: AbortSignal } = {
  /** The largest response body read from the API server, in bytes (--max-response-bytes). */
  maxResponseBytes: DEFAULT_MAX_RESPONSE_BYTES,
};

/** Above this an answer cannot be decoded into one JavaScript string (V8's longest string is just under 512 MiB). */
export const MAX_RESPONSE_BYTES_LIMIT = 512 * 1024 * 1024;

/** Bytes as a Kubernetes quantity where exact (256Mi, 1Gi), else bytes. */
export function formatBytes(n: number): string {
  for (const [unit, size] of [['Gi', 2 ** 30], ['Mi', 2 ** 20], ['Ki', 2 ** 10]] as const) if (n >= size && n % size === 0) return `${n / size}${unit}`;
  return `${n} bytes`;
}
