// Exit codes (DESIGN.md §3): 0 nothing at or above --fail-on; 1 findings at or above it (probe: handshake or
// verification failed); 2 the tool could not do its job, with a one-line error and no stack trace.
export const EXIT_OK = 0;
export const EXIT_FINDINGS = 1;
export const EXIT_FAILURE = 2;
/** Ctrl-C (SIGINT), as shells report a process that SIGINT ended: 128 + 2. */
export const EXIT_INTERRUPTED = 130;

/** An error the user can act on: printed as one line, exit code 2. */
export class UserError extends Error {
  readonly exitCode: number;
  readonly hint?: string;

  constructor(message: string, opts: { hint?: string; exitCode?: number; cause?: unknown } = {}) {
    super(message, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.name = 'UserError';
    this.exitCode = opts.exitCode ?? EXIT_FAILURE;
    if (opts.hint) this.hint = opts.hint;
  }
}

/** One line for stderr, whatever was thrown. Stack traces only with GWTLS_DEBUG=1. */
export function describeError(e: unknown): string {
  if (e instanceof UserError) return e.hint ? `${e.message} (${e.hint})` : e.message;
  if (e instanceof Error) return e.message.split('\n')[0] ?? String(e);
  return String(e);
}

/** The user pressed Ctrl-C at a prompt: exit 130, with nothing more to say. */
export class Interrupted extends UserError {
  constructor() {
    super('interrupted', { exitCode: EXIT_INTERRUPTED });
    this.name = 'Interrupted';
  }
}
