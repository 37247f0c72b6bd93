// Per-caller request budgets at the gateway: a fixed window of requests per
// credential, and a smaller one per client IP for anonymous callers. Counts
// live in memory, or in Redis so that several gateway processes enforce one
// limit. When Redis stops answering, each process counts on its own until it
// is back: a store outage must not refuse or fail requests.
import { HeaderMap } from '@apollo/server';
import { AppError, createLogger, type Logger } from '@interop/kit';
import { GatewayErrorCode } from './__generated__/error-codes';
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import { connectRedis } from './redis-connection';
import type { RateLimitConfig } from './defaults';

export interface RateLimitDecision {
  allowed: boolean;
  /** The key's budget per window. */
  limit: number;
  /** Requests left in the current window, after this one. */
  remaining: number;
  /** Seconds until the current window ends and the budget is whole again. */
  resetSeconds: number;
}

export interface RateLimiter {
  /** Counts one request against a credential id, or against a client IP when `anonymous`. */
  consume(key: string, anonymous: boolean): Promise<RateLimitDecision>;
  close(): Promise<void>;
}

export interface RateLimiterOptions {
  /** Share counts through this Redis; without it, each process counts on its own. */
  redisUrl?: string | undefined;
  /** Namespace of the counters, so that unrelated limiters on one Redis never share counts. */
  keyPrefix?: string | undefined;
  logger?: Logger | undefined;
}

const DEFAULT_KEY_PREFIX = 'interop:rate-limit';

/** Resolves while the key is under its budget; rejects with the RateLimiterRes once it is over. */
type Counter = (key: string) => Promise<RateLimiterRes>;

interface Bucket {
  points: number;
  keyPrefix: string;
}

export async function createRateLimiter(config: RateLimitConfig, options: RateLimiterOptions = {}): Promise<RateLimiter> {
  checkConfig(config);
  const keyPrefix = options.keyPrefix ?? DEFAULT_KEY_PREFIX;
  // Separate namespaces, so a credential id that looks like an IP never spends that IP's budget.
  const credentials: Bucket = { points: config.points, keyPrefix: `${keyPrefix}:credential` };
  const anonymous: Bucket = { points: config.anonymousPoints, keyPrefix: `${keyPrefix}:ip` };
  const local = (bucket: Bucket) => memoryCounter(bucket, config.windowSeconds);

  if (!options.redisUrl) {
    return limiter(config, local(credentials), local(anonymous), async () => {});
  }

  const logger = options.logger ?? createLogger('gateway');
  const { client, outage, close } = await connectRedis(options.redisUrl, logger, {
    down: 'rate limit store unavailable: each gateway process now enforces the limits on its own',
    up: 'rate limit store is back: limits are shared again',
  });
  const shared = (bucket: Bucket): Counter => {
    const redis = new RateLimiterRedis({
      storeClient: client,
      points: bucket.points,
      duration: config.windowSeconds,
      keyPrefix: bucket.keyPrefix,
      rejectIfRedisNotReady: true,
    });
    // What rate-limiter-flexible's insuranceLimiter does, written out so that the
    // outage and the recovery are noticed (and logged) where they happen.
    const fallback = local(bucket);
    return async (key) => {
      try {
        const res = await redis.consume(key);
        outage.up();
        return res;
      } catch (error) {
        if (error instanceof RateLimiterRes) {
          outage.up();
          throw error;
        }
        outage.down(error);
        return fallback(key);
      }
    };
  };
  return limiter(config, shared(credentials), shared(anonymous), close);
}

function limiter(config: RateLimitConfig, credentials: Counter, anonymous: Counter, close: () => Promise<void>): RateLimiter {
  return {
    consume: (key, isAnonymous) =>
      isAnonymous ? decide(anonymous, key, config.anonymousPoints) : decide(credentials, key, config.points),
    close,
  };
}

async function decide(count: Counter, key: string, limit: number): Promise<RateLimitDecision> {
  let res: RateLimiterRes;
  let allowed = true;
  try {
    res = await count(key);
  } catch (error) {
    if (!(error instanceof RateLimiterRes)) throw error;
    res = error;
    allowed = false;
  }
  return { allowed, limit, remaining: res.remainingPoints, resetSeconds: Math.max(0, Math.ceil(res.msBeforeNext / 1000)) };
}

function memoryCounter(bucket: Bucket, windowSeconds: number): Counter {
  const memory = new RateLimiterMemory({ points: bucket.points, duration: windowSeconds, keyPrefix: bucket.keyPrefix });
  return (key) => memory.consume(key);
}

/** Logs when the shared store goes away and when it is back, once each, however many requests notice. */
function checkConfig(config: RateLimitConfig): void {
  for (const name of ['points', 'windowSeconds', 'anonymousPoints'] as const) {
    const value = config[name];
    if (!Number.isInteger(value) || value < 1) throw new Error(`rate limit ${name} must be a whole number of at least 1, not ${value}`);
  }
}

/** Whole seconds a refused caller should wait; never 0, which would invite an immediate retry. */
function retryAfterSeconds(decision: RateLimitDecision): number {
  return Math.max(1, decision.resetSeconds);
}

/** The RateLimit header fields (IETF draft) for a decision, with Retry-After when it refused the request. */
export function rateLimitHeaders(decision: RateLimitDecision, config: Pick<RateLimitConfig, 'windowSeconds'>): Record<string, string> {
  const headers: Record<string, string> = {
    'RateLimit-Limit': String(decision.limit),
    'RateLimit-Remaining': String(decision.remaining),
    'RateLimit-Reset': String(decision.resetSeconds),
    'RateLimit-Policy': `${decision.limit};w=${config.windowSeconds}`,
  };
  if (!decision.allowed) headers['Retry-After'] = String(retryAfterSeconds(decision));
  return headers;
}

/**
 * The error for a refused request. Thrown from the context function, Apollo
 * Server answers with `extensions.http`: status 429 and the rate limit headers.
 */
export function rateLimitedError(decision: RateLimitDecision, config: Pick<RateLimitConfig, 'windowSeconds'>): AppError {
  const retryAfter = retryAfterSeconds(decision);
  return new AppError(GatewayErrorCode.RATE_LIMITED, `Too many requests: try again in ${retryAfter} s.`, {
    limit: decision.limit,
    retryAfterSeconds: retryAfter,
    http: { status: 429, headers: new HeaderMap(Object.entries(rateLimitHeaders(decision, config))) },
  });
}
