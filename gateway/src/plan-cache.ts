// The query-plan cache: an LRU keyed by @apollo/gateway's operation hash,
// bounded by the plans' size as stock @apollo/gateway bounds its own (a plan
// for a wide operation is far larger than one for a narrow one, so a bound on
// their number would not bound memory), counting hits and misses for /metrics.
import type { QueryPlan } from '@apollo/query-planner';
import { InMemoryLRUCache, type KeyValueCache } from '@apollo/utils.keyvaluecache';
import type { GatewayMetrics } from './metrics';

/** What @apollo/gateway asks of a plan cache: a key-value cache it can clear when the schema changes. */
export type PlanCache = KeyValueCache<QueryPlan> & { clear(): void };

/** Stock @apollo/gateway's default. */
const DEFAULT_PLAN_CACHE_MIB = 30;

export function countingPlanCache(metrics: GatewayMetrics, maxMiB = DEFAULT_PLAN_CACHE_MIB): PlanCache {
  const cache = new InMemoryLRUCache<QueryPlan>({
    maxSize: maxMiB * 1024 * 1024,
    // Measured once per plan, when it is stored (a plan miss).
    sizeCalculation: (plan) => Buffer.byteLength(JSON.stringify(plan), 'utf8'),
  });
  return {
    async get(key) {
      const plan = await cache.get(key);
      metrics.planCache.inc({ result: plan ? 'hit' : 'miss' });
      return plan;
    },
    set: (key, value, options) => cache.set(key, value, options),
    delete: (key) => cache.delete(key),
    clear: () => cache.clear(),
  };
}
