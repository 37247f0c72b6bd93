// Delays between reconnect attempts: doubling from `firstMs` up to `maxMs`,
// with jitter so many processes that lost one server do not return in step.
export class Backoff {
  private attempt = 0;

  constructor(
    private readonly firstMs = 200,
    private readonly maxMs = 10_000,
  ) {}

  next(): number {
    const base = Math.min(this.firstMs * 2 ** this.attempt, this.maxMs);
    this.attempt += 1;
    return Math.round(base / 2 + Math.random() * (base / 2));
  }

  reset(): void {
    this.attempt = 0;
  }
}

/** Waits `ms`, or less when `signal` aborts; never rejects. */
export function pause(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}
