// Answers of public facts served from a cache, so that a repeated query skips
// planning, subgraph fetches, result shaping and merging. What may be cached,
// and for how long, is decided by the subgraphs that own the data: each sends
// Apollo cache hints (@cacheControl in its schema) as a Cache-Control header,
// and @apollo/gateway keeps the shortest. Anything without a hint (payments,
// refunds, opt-in details, every per-caller field) makes the whole answer
// uncacheable, and so do errors and mutations. A cached answer is shared by
// every caller: only PUBLIC hints are used, and private ones are never stored.
//
// When a subgraph announces that facts changed (a merchant opened or closed a
// tool), the cache moves to a new generation: every key carries the generation
// current when the request looked it up, so nothing cached before the change
// is served after it, and an answer computed before it is never stored under
// the new one. The gateway that carried the change moves before it answers
// the mutation (the subgraph names the change in its answer); the others when
// the bus delivers it. Old entries age out (memory: least recently used
// first; Redis: their TTL).
//
// An answer is stored the second time its key is asked within the recent
// window, not the first: one-off operations (an ad-hoc query, a variable
// value asked once) never push the answers that repeat out of the cache, and
// cost no serialisation. The key is made once per request, from the hash
// Apollo Server already took of the operation's text.
import { createHash, hash, randomUUID } from 'node:crypto';
import type { CacheHint, CachePolicy } from '@apollo/cache-control-types';
import { HeaderMap, type ApolloServerPlugin } from '@apollo/server';
import { InMemoryLRUCache, type KeyValueCache } from '@apollo/utils.keyvaluecache';
import { LRUCache } from 'lru-cache';
import type { Logger } from '@interop/kit';
import type { GatewayContext } from '../context';
import type { GatewayMetrics } from '../metrics';
import { connectRedis, type RedisConnection } from '../redis-connection';
import { RedisKeyValueCache } from './redis-key-value-cache';
import type { ResponseCacheSettings } from '../defaults';

/** How many recently asked keys are remembered to tell a repeated query from a one-off. */
const RECENT_KEYS = 10_000;
/** How many fact changes are remembered, so one heard twice (in a subgraph's answer and on the bus) moves the cache once. */
const RECENT_CHANGES = 1_000;

export interface ResponseCacheOptions {
  /** Keeps answers in this Redis, shared by every gateway process that uses it; else in this process's memory. */
  redisUrl?: string | undefined;
  /** Namespace of the cache's keys on that Redis. */
  keyPrefix?: string | undefined;
  logger: Logger;
  metrics: GatewayMetrics;
}

export class ResponseCache {
  private generation: string;
  private readonly heard = new LRUCache<string, true>({ max: RECENT_CHANGES });
  /** Keys whose answer was computed once in the recent window: the next computed answer for one is stored. */
  private readonly offered = new LRUCache<string, true>({ max: RECENT_KEYS });

  private constructor(
    private readonly store: KeyValueCache<string>,
    generation: string,
    private readonly metrics: GatewayMetrics,
    private readonly redis: { connection: RedisConnection; generationKey: string } | null,
  ) {
    this.generation = generation;
  }

  static async open(settings: ResponseCacheSettings, options: ResponseCacheOptions): Promise<ResponseCache> {
    if (!options.redisUrl) {
      const store = new InMemoryLRUCache<string>({ maxSize: settings.maxSizeMiB * 1024 * 1024 });
      return new ResponseCache(store, randomUUID(), options.metrics, null);
    }
    const keyPrefix = options.keyPrefix ?? 'interop:response-cache';
    const connection = await connectRedis(options.redisUrl, options.logger, {
      down: 'response cache store unavailable: answers are computed, not cached, until it is back',
      up: 'response cache store is back',
    });
    const generationKey = `${keyPrefix}:generation`;
    // Gateways sharing the Redis share the generation too: a new process
    // joins the one the others use (the last announced change's), or starts it.
    const { client } = connection;
    const generation = await client
      .set(generationKey, randomUUID(), 'NX')
      .then(() => client.get(generationKey))
      .then((current) => current ?? randomUUID())
      .catch(() => randomUUID());
    const store = new RedisKeyValueCache(connection, `${keyPrefix}:answer:`);
    return new ResponseCache(store, generation, options.metrics, { connection, generationKey });
  }

  /**
   * Facts changed: nothing cached so far is served again. `change` names the
   * announced change, so that every gateway in the same generation that hears
   * it moves to the same next one; without it (changes may have been missed)
   * this process moves to a generation of its own.
   */
  invalidate(change?: string): void {
    if (!change) {
      this.generation = randomUUID();
      return;
    }
    // Derived from the one before, so that a change seen again (a supergraph
    // loaded again) never brings back what was cached under it the first time.
    this.generation = createHash('sha256').update(`${this.generation}\n${change}`).digest('hex');
    this.redis?.connection.client.set(this.redis.generationKey, this.generation).catch(() => undefined);
  }

  /**
   * A subgraph's facts changed: heard in the answer of the mutation that made
   * the change (before the gateway's answer leaves) and again on the bus. The
   * first hearing moves the generation; a repeat does not, so this gateway
   * stays in the generation of those that heard it only once.
   */
  factsChanged(change: string): void {
    if (this.heard.has(change)) return;
    this.heard.set(change, true);
    this.invalidate(change);
  }

  /**
   * Looks a query's answer up: the key it is kept under in the current
   * generation (made now, so an answer computed across a change of generation
   * is stored under the old one), and the stored answer when there is one.
   */
  async lookup(queryHash: string, operationName: string | null, variables: Record<string, unknown> | undefined): Promise<Lookup> {
    const key = answerKey(queryHash, operationName, variables, this.generation);
    const stored = await this.store.get(key);
    return { key, stored: stored === undefined ? null : (JSON.parse(stored) as StoredAnswer) };
  }

  /**
   * Once a query is answered: counts the hit or miss, gives a hit its `age`,
   * and offers a computed answer for storing (stored on its key's second
   * offer within the window). Synchronous up to the serialisation, so the
   * answer is stored in the names it was computed in, before the client's
   * aliases are restored.
   */
  settle(lookup: Lookup, answer: SettledAnswer, logger: Pick<Logger, 'warn'>): void {
    const hit = lookup.stored !== null;
    this.metrics.responseCache.inc({ result: hit ? 'hit' : 'miss' });
    if (hit) {
      answer.headers.set('age', String(Math.round((Date.now() - lookup.stored!.cacheTime) / 1000)));
      return;
    }
    const { data, errors } = answer;
    const policy = answer.policy.policyIfCacheable();
    // Shared by every caller, so never an answer hinted PRIVATE.
    if (errors || !data || !policy || policy.scope === 'PRIVATE') return;
    if (!this.offered.has(lookup.key)) {
      this.offered.set(lookup.key, true);
      return;
    }
    const stored: StoredAnswer = { data, cachePolicy: policy, cacheTime: Date.now() };
    this.store.set(lookup.key, JSON.stringify(stored), { ttl: policy.maxAge }).catch((error: unknown) => logger.warn(`response cache: ${String(error)}`));
  }

  /** A query answered without a lookup (refused before it) or in parts: a miss, and nothing to store. */
  missed(): void {
    this.metrics.responseCache.inc({ result: 'miss' });
  }

  plugins(): ApolloServerPlugin<GatewayContext>[] {
    return [
      {
        requestDidStart: async ({ contextValue }) => {
          // The warm-up must reach the subgraphs; what it computed is a miss nobody asked for.
          if (contextValue.warmUp) return {};
          let lookup: Lookup | null = null;
          return {
            responseForOperation: async (request) => {
              request.metrics.responseCacheHit = false;
              if (request.operation?.operation !== 'query') return null;
              lookup = await this.lookup(request.queryHash ?? '', request.operationName, request.request.variables);
              if (!lookup.stored) return null;
              request.overallCachePolicy.replace(lookup.stored.cachePolicy);
              request.metrics.responseCacheHit = true;
              return { body: { kind: 'single', singleResult: { data: lookup.stored.data } }, http: { headers: new HeaderMap() } };
            },
            // Synchronous: the alias-restoring plugin after this one renames the answer's keys.
            willSendResponse: async (request) => {
              if (request.operation?.operation !== 'query') return;
              // Refused before it was looked up, or answered in parts: a miss, never stored.
              if (!lookup || request.response.body.kind !== 'single') return this.missed();
              const { data, errors } = request.response.body.singleResult;
              this.settle(lookup, { data, errors, policy: request.overallCachePolicy, headers: request.response.http.headers }, request.logger);
            },
          };
        },
      },
    ];
  }

  async close(): Promise<void> {
    await this.redis?.connection.close();
  }
}

interface StoredAnswer {
  data: Record<string, unknown>;
  cachePolicy: Required<CacheHint>;
  /** Milliseconds since the epoch, for the `age` header of a hit. */
  cacheTime: number;
}

/** A query's answer looked up: its key, and what was stored under it. */
export interface Lookup {
  key: string;
  stored: StoredAnswer | null;
}

/** A query's answer as it leaves, in the operation's own response names. */
export interface SettledAnswer {
  data?: Record<string, unknown> | null | undefined;
  errors?: readonly unknown[] | undefined;
  policy: Pick<CachePolicy, 'policyIfCacheable'>;
  headers: { set(name: string, value: string): unknown };
}

/**
 * Everything an answer depends on: the operation (by the hash Apollo Server
 * took of its text), which of its operations runs, the variables, and the
 * cache's generation. Hashed, so a key's length is bounded (a Redis key).
 */
function answerKey(queryHash: string, operationName: string | null, variables: Record<string, unknown> | undefined, generation: string): string {
  return hash('sha256', `${queryHash}\n${operationName ?? ''}\n${generation}\n${JSON.stringify(variables ?? {})}`, 'hex');
}
