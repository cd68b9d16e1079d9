// One time budget per target, shared by every step (DNS, connect, preamble, handshake, follow-ups).

export class Deadline {
  readonly start = performance.now();
  readonly end: number;
  readonly controller = new AbortController();
  private timer: ReturnType<typeof setTimeout> | undefined;

  readonly budgetMs: number;

  constructor(budgetMs: number) {
    this.budgetMs = budgetMs;
    this.end = this.start + budgetMs;
    this.timer = setTimeout(() => this.controller.abort(new TimeoutError()), budgetMs);
    this.timer.unref?.();
  }

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  get expired(): boolean {
    return this.controller.signal.aborted || performance.now() >= this.end;
  }

  remaining(): number {
    return Math.max(0, this.end - performance.now());
  }

  elapsed(): number {
    return performance.now() - this.start;
  }

  dispose(): void {
    clearTimeout(this.timer);
  }
}

export class TimeoutError extends Error {
  override name = 'TimeoutError';
  constructor(message = 'time limit reached') {
    super(message);
  }
}

/** Milliseconds with one decimal: readable and stable in JSON. */
export function ms(v: number): number {
  return Math.round(v * 10) / 10;
}
