// Which failed attempts are tried again, and after how long. Only failures
// that say nothing about the request itself are retried: no answer, a timeout,
// a 5xx, a part of the graph that did not answer, or a rate limit. Retrying a
// mutation is safe because every attempt carries the same idempotency key.
import { RETRYABLE_CODES } from './error-codes';
import { InteropError, InteropTransportError } from './errors';

/** The longest back-off between two attempts, however many came before. */
const MAX_BACKOFF_MS = 10_000;

export function isRetryable(error: InteropError | InteropTransportError): boolean {
  if (error instanceof InteropError) return RETRYABLE_CODES.has(error.code) || error.status >= 500;
  if (error.reason !== 'http') return true;
  const status = error.status ?? 0;
  return status >= 500 || status === 408 || status === 429;
}

/**
 * How long to wait before attempt `attempt + 1`: what the graph asked for
 * (Retry-After), else an exponential back-off from `baseMs` with jitter, so
 * that many clients failing together do not retry together.
 */
export function delayBeforeRetry(error: InteropError | InteropTransportError, attempt: number, baseMs: number, random = Math.random): number {
  if (error instanceof InteropError && error.retryAfterMs !== undefined) return error.retryAfterMs;
  const backoff = Math.min(baseMs * 2 ** (attempt - 1), MAX_BACKOFF_MS);
  return Math.round(backoff * (0.5 + random() / 2));
}

/** Milliseconds from a Retry-After header (seconds or an HTTP date), else from `extensions.retryAfterSeconds`. */
export function retryAfterMs(header: string | null, extensions: Readonly<Record<string, unknown>> | undefined, now = Date.now()): number | undefined {
  if (header !== null && header.trim() !== '') {
    const seconds = Number(header);
    if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
    const date = Date.parse(header);
    if (!Number.isNaN(date)) return Math.max(0, date - now);
  }
  const seconds = extensions?.['retryAfterSeconds'];
  return typeof seconds === 'number' && Number.isFinite(seconds) && seconds >= 0 ? seconds * 1000 : undefined;
}
