/** @backend-contract the rate limit's store, shared through Redis when there is one */
// Rate limits: each credential and each anonymous client IP has its own budget
// per window, the request past it is refused until the window ends, and the
// response carries the RateLimit headers (and a 429 RATE_LIMITED when refused).
// The suite runs on the in-memory store always, and on Redis too when
// REDIS_URL is set, where separate limiters (gateway processes) share counts.
import { randomUUID } from 'node:crypto';
import { createServer, type AddressInfo } from 'node:net';
import { ApolloServer, HeaderMap } from '@apollo/server';
import type { Logger } from '@interop/kit';
import { maskingFormatError } from '@interop/kit/server';
import pino from 'pino';
import type { RateLimitConfig } from '../defaults';
import { createRateLimiter, rateLimitedError, rateLimitHeaders, type RateLimitDecision, type RateLimiter } from '../rate-limit';

interface Store {
  name: string;
  redisUrl: string | undefined;
  /** Whether two limiters (two gateway processes) count against one budget. */
  shared: boolean;
}

const stores: Store[] = [
  { name: 'memory', redisUrl: undefined, shared: false },
  ...(process.env.REDIS_URL ? [{ name: 'redis', redisUrl: process.env.REDIS_URL, shared: true }] : []),
];

/** Unique per run, so runs on one Redis never see each other's counts. */
const RUN = `interop:rate-limit-test:${randomUUID()}`;

const CONFIG: RateLimitConfig = { points: 3, windowSeconds: 60, anonymousPoints: 2 };

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A logger whose JSON lines land in `lines`. */
function capturingLogger(): { logger: Logger; lines: { level: number; msg: string }[] } {
  const lines: { level: number; msg: string }[] = [];
  const logger = pino({ level: 'debug' }, { write: (line: string) => void lines.push(JSON.parse(line) as { level: number; msg: string }) });
  return { logger, lines };
}

const WARN = 40;

describe.each(stores)('on the $name store', ({ redisUrl, shared }) => {
  const opened: RateLimiter[] = [];
  let prefixes = 0;
  const { logger, lines } = capturingLogger();

  /** A limiter with a namespace of its own, or the given one to act as a second process on the same store. */
  async function open(config: RateLimitConfig = CONFIG, keyPrefix = `${RUN}:${++prefixes}`): Promise<RateLimiter> {
    const limiter = await createRateLimiter(config, { redisUrl, keyPrefix, logger });
    opened.push(limiter);
    return limiter;
  }

  afterEach(async () => {
    await Promise.all(opened.splice(0).map((limiter) => limiter.close()));
    // A warning would mean Redis was not used and the counts were local after all.
    expect(lines.splice(0).filter((line) => line.level >= WARN)).toEqual([]);
  });

  async function consumeTimes(limiter: RateLimiter, times: number, key: string, anonymous: boolean): Promise<RateLimitDecision[]> {
    const decisions: RateLimitDecision[] = [];
    for (let i = 0; i < times; i++) decisions.push(await limiter.consume(key, anonymous));
    return decisions;
  }

  test('a credential gets its budget, counted down, and the request past it is refused', async () => {
    const limiter = await open();
    const decisions = await consumeTimes(limiter, 4, 'credential-a', false);
    expect(decisions.map(({ allowed, limit, remaining }) => ({ allowed, limit, remaining }))).toEqual([
      { allowed: true, limit: 3, remaining: 2 },
      { allowed: true, limit: 3, remaining: 1 },
      { allowed: true, limit: 3, remaining: 0 },
      { allowed: false, limit: 3, remaining: 0 },
    ]);
    for (const { resetSeconds } of decisions) {
      expect(resetSeconds).toBeGreaterThanOrEqual(1);
      expect(resetSeconds).toBeLessThanOrEqual(CONFIG.windowSeconds);
    }
  });

  test('a refused key stays refused for the rest of the window', async () => {
    const limiter = await open();
    await consumeTimes(limiter, 3, 'credential-a', false);
    const refused = await consumeTimes(limiter, 5, 'credential-a', false);
    expect(refused.every((decision) => !decision.allowed && decision.remaining === 0)).toBe(true);
  });

  test('an anonymous client IP has the anonymous budget', async () => {
    const limiter = await open();
    const decisions = await consumeTimes(limiter, 3, '203.0.113.7', true);
    expect(decisions.map(({ allowed, limit, remaining }) => ({ allowed, limit, remaining }))).toEqual([
      { allowed: true, limit: 2, remaining: 1 },
      { allowed: true, limit: 2, remaining: 0 },
      { allowed: false, limit: 2, remaining: 0 },
    ]);
  });

  test('each key has its own bucket: one caller over its limit does not spend another caller’s budget', async () => {
    const limiter = await open();
    await consumeTimes(limiter, 4, 'credential-a', false);
    expect(await limiter.consume('credential-b', false)).toMatchObject({ allowed: true, remaining: 2 });
    await consumeTimes(limiter, 3, '203.0.113.7', true);
    expect(await limiter.consume('203.0.113.8', true)).toMatchObject({ allowed: true, remaining: 1 });
  });

  test('a credential and a client IP never share a bucket, even under the same key', async () => {
    const limiter = await open();
    await consumeTimes(limiter, 3, '203.0.113.7', true);
    expect(await limiter.consume('203.0.113.7', false)).toMatchObject({ allowed: true, limit: 3, remaining: 2 });
    await consumeTimes(limiter, 3, 'credential-a', false);
    expect(await limiter.consume('credential-a', true)).toMatchObject({ allowed: true, limit: 2, remaining: 1 });
  });

  test('the budget is whole again once the window has passed', async () => {
    const limiter = await open({ points: 2, windowSeconds: 1, anonymousPoints: 1 });
    await consumeTimes(limiter, 2, 'credential-a', false);
    const refused = await limiter.consume('credential-a', false);
    expect(refused).toMatchObject({ allowed: false, resetSeconds: 1 });
    await sleep(1200);
    expect(await limiter.consume('credential-a', false)).toMatchObject({ allowed: true, remaining: 1 });
  });

  test(shared ? 'two gateway processes on this store enforce one limit' : 'each gateway process on this store counts on its own', async () => {
    const keyPrefix = `${RUN}:${++prefixes}`;
    const first = await open(CONFIG, keyPrefix);
    const second = await open(CONFIG, keyPrefix);
    await consumeTimes(first, 2, 'credential-a', false);
    const next = await second.consume('credential-a', false);
    const past = await second.consume('credential-a', false);
    if (shared) {
      expect(next).toMatchObject({ allowed: true, remaining: 0 });
      expect(past.allowed).toBe(false);
      expect((await first.consume('credential-a', false)).allowed).toBe(false);
    } else {
      expect(next).toMatchObject({ allowed: true, remaining: 2 });
      expect(past).toMatchObject({ allowed: true, remaining: 1 });
    }
  });
});

describe('when Redis does not answer', () => {
  /** A local port with nothing listening: connections to it are refused. */
  async function closedPort(): Promise<number> {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    await new Promise((resolve) => server.close(resolve));
    return port;
  }

  test('the process enforces the limits on its own, and the outage is logged once', async () => {
    const { logger, lines } = capturingLogger();
    const limiter = await createRateLimiter(CONFIG, { redisUrl: `redis://127.0.0.1:${await closedPort()}`, keyPrefix: `${RUN}:down`, logger });
    try {
      const credential = [];
      for (let i = 0; i < 4; i++) credential.push(await limiter.consume('credential-a', false));
      expect(credential.map((decision) => decision.allowed)).toEqual([true, true, true, false]);
      expect(credential.map((decision) => decision.remaining)).toEqual([2, 1, 0, 0]);
      expect(await limiter.consume('203.0.113.7', true)).toMatchObject({ allowed: true, limit: 2, remaining: 1 });
      expect(lines.filter((line) => line.level >= WARN)).toHaveLength(1);
    } finally {
      await limiter.close();
    }
  });
});

test('a configuration without a whole window or budget is refused at creation', async () => {
  await expect(createRateLimiter({ points: 10, windowSeconds: 0.5, anonymousPoints: 5 })).rejects.toThrow();
  await expect(createRateLimiter({ points: 0, windowSeconds: 60, anonymousPoints: 5 })).rejects.toThrow();
});

describe('response headers', () => {
  test('an allowed request carries the limit, what is left, the reset and the policy', () => {
    expect(rateLimitHeaders({ allowed: true, limit: 600, remaining: 599, resetSeconds: 60 }, { windowSeconds: 60 })).toEqual({
      'RateLimit-Limit': '600',
      'RateLimit-Remaining': '599',
      'RateLimit-Reset': '60',
      'RateLimit-Policy': '600;w=60',
    });
  });

  test('a refused request also says when to retry', () => {
    expect(rateLimitHeaders({ allowed: false, limit: 120, remaining: 0, resetSeconds: 17 }, { windowSeconds: 60 })).toEqual({
      'RateLimit-Limit': '120',
      'RateLimit-Remaining': '0',
      'RateLimit-Reset': '17',
      'RateLimit-Policy': '120;w=60',
      'Retry-After': '17',
    });
  });

  test('a refusal at the very end of a window still asks for at least a second', () => {
    expect(rateLimitHeaders({ allowed: false, limit: 120, remaining: 0, resetSeconds: 0 }, { windowSeconds: 60 })['Retry-After']).toBe('1');
  });
});

describe('the refusal as the client sees it', () => {
  const refused: RateLimitDecision = { allowed: false, limit: 120, remaining: 0, resetSeconds: 17 };
  let resolved = 0;
  const apollo = new ApolloServer({
    typeDefs: 'type Query { ok: Boolean }',
    resolvers: { Query: { ok: () => ++resolved > 0 } },
    formatError: maskingFormatError(pino({ level: 'silent' })),
    includeStacktraceInErrorResponses: false,
  });

  beforeAll(() => apollo.start());
  afterAll(() => apollo.stop());

  test('thrown from the context function, it answers 429 RATE_LIMITED with the headers, before running anything', async () => {
    const response = await apollo.executeHTTPGraphQLRequest({
      httpGraphQLRequest: {
        method: 'POST',
        headers: new HeaderMap([['content-type', 'application/json']]),
        search: '',
        body: { query: '{ ok }' },
      },
      context: async () => {
        throw rateLimitedError(refused, { windowSeconds: 60 });
      },
    });
    expect(response.status).toBe(429);
    expect(response.headers.get('retry-after')).toBe('17');
    expect(response.headers.get('ratelimit-limit')).toBe('120');
    expect(response.headers.get('ratelimit-remaining')).toBe('0');
    expect(response.headers.get('ratelimit-reset')).toBe('17');
    expect(response.headers.get('ratelimit-policy')).toBe('120;w=60');
    expect(resolved).toBe(0);
    const body = JSON.parse(response.body.kind === 'complete' ? response.body.string : '{}') as {
      errors: { extensions: Record<string, unknown> }[];
    };
    expect(body.errors).toHaveLength(1);
    expect(body.errors[0]?.extensions).toEqual({ code: 'RATE_LIMITED', limit: 120, retryAfterSeconds: 17 });
  });
});
