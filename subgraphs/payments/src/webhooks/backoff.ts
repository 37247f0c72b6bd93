// When a failed delivery is tried again: exponential back-off with full
// jitter (a uniform wait between 0 and base·2^(n-1), at most `maxMs`), so
// receivers coming back after an outage are not hit by every sender at once;
// null once the next try would fall past the give-up time.
export interface RetryPolicy {
  retryBaseMs: number;
  maxRetryDelayMs: number;
  giveUpAfterMs: number;
}

/** The delay before retry number `failedAttempts` (1 after the first failure). */
export function retryDelayMs(failedAttempts: number, policy: Pick<RetryPolicy, 'retryBaseMs' | 'maxRetryDelayMs'>, random: () => number = Math.random): number {
  const ceiling = Math.min(policy.maxRetryDelayMs, policy.retryBaseMs * 2 ** Math.min(failedAttempts - 1, 40));
  return Math.floor(random() * ceiling);
}

/** When to try again after `failedAttempts` failures of a delivery created at `createdAt`; null to give up. */
export function nextAttemptAt(failedAttempts: number, createdAt: Date, now: Date, policy: RetryPolicy, random: () => number = Math.random): Date | null {
  const at = new Date(now.getTime() + retryDelayMs(failedAttempts, policy, random));
  return at.getTime() - createdAt.getTime() > policy.giveUpAfterMs ? null : at;
}
