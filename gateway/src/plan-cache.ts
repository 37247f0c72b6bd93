// The query-plan cache: a bounded LRU keyed by @apollo/gateway's operation
// hash, counting hits and misses for /metrics.
import type { QueryPlan } from '@apollo/query-planner';
import { InMemoryLRUCache, type KeyValueCache } from '@apollo/utils.keyvaluecache';

/** What @apollo/gateway asks of a plan cache: a key-value cache it can clear when the schema changes. */
export type PlanCache = KeyValueCache<QueryPlan> & { clear(): void };
import type { GatewayMetrics } from './metrics';

export function countingPlanCache(metrics: GatewayMetrics, maxPlans = 2000): PlanCache {
  const cache = new InMemoryLRUCache<QueryPlan>({ max: maxPlans });
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
