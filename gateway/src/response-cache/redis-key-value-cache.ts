// The response cache's store on Redis, over the gateway's ioredis connection.
// A Redis that does not answer is a miss, and a write that fails is dropped:
// the answer is computed as if nothing were cached.
import type { KeyValueCache, KeyValueCacheSetOptions } from '@apollo/utils.keyvaluecache';
import type { RedisConnection } from '../redis-connection';

export class RedisKeyValueCache implements KeyValueCache<string> {
  constructor(
    private readonly redis: RedisConnection,
    private readonly prefix: string,
  ) {}

  async get(key: string): Promise<string | undefined> {
    try {
      const value = await this.redis.client.get(this.prefix + key);
      this.redis.outage.up();
      return value ?? undefined;
    } catch (error) {
      this.redis.outage.down(error);
      return undefined;
    }
  }

  async set(key: string, value: string, options?: KeyValueCacheSetOptions): Promise<void> {
    const ttl = options?.ttl;
    // The response cache only stores answers with a positive max age; anything else is not kept.
    if (!ttl || ttl <= 0) return;
    try {
      await this.redis.client.set(this.prefix + key, value, 'EX', Math.ceil(ttl));
      this.redis.outage.up();
    } catch (error) {
      this.redis.outage.down(error);
    }
  }

  async delete(key: string): Promise<boolean> {
    try {
      return (await this.redis.client.del(this.prefix + key)) > 0;
    } catch (error) {
      this.redis.outage.down(error);
      return false;
    }
  }
}
