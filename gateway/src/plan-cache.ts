// The cache of prepared plans: an LRU keyed by the operation's hash (and
// name), bounded by the bytes its entries take as stock @apollo/gateway bounds
// its own plans (a plan for a wide operation is far larger than one for a
// narrow one, so a bound on their number would not bound memory), counting
// hits and misses for /metrics.
import { LRUCache } from 'lru-cache';
import type { GatewayMetrics } from './metrics';

/** Stock @apollo/gateway's default. */
export const DEFAULT_PLAN_CACHE_MIB = 30;

export class PlanCache<T extends object> {
  private readonly cache: LRUCache<string, T>;

  constructor(
    private readonly metrics: GatewayMetrics,
    /** An entry's size in bytes, measured once, when it is stored (a miss). */
    sizeOf: (entry: T) => number,
    maxMiB = DEFAULT_PLAN_CACHE_MIB,
  ) {
    this.cache = new LRUCache<string, T>({ maxSize: maxMiB * 1024 * 1024, sizeCalculation: (entry) => Math.max(1, sizeOf(entry)) });
  }

  get(key: string): T | undefined {
    const entry = this.cache.get(key);
    this.metrics.planCache.inc({ result: entry ? 'hit' : 'miss' });
    return entry;
  }

  set(key: string, entry: T): void {
    this.cache.set(key, entry);
  }

  clear(): void {
    this.cache.clear();
  }
}
