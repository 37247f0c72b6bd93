// Which bus carries events between processes, decided once from the
// configuration, the same way by the processes that publish and those that
// subscribe:
// - REDIS_URL set: Redis pub/sub. Preferred when there is one: it reaches
//   every process, whatever database each uses, and costs the database nothing.
// - else DATABASE_URL naming a PostgreSQL server: its LISTEN/NOTIFY, so a
//   deployment that shares one server needs nothing else.
// - else none: a process on embedded PGlite is alone with its data, and
//   serves its own events on an event stream instead (see event-stream-route).
import type { Logger } from '../logger';
import type { EventBus } from './event-bus';
import { PostgresEventBus } from './postgres-event-bus';
import { RedisEventBus } from './redis-event-bus';

export interface SharedEventBusConfig {
  redisUrl?: string | undefined;
  databaseUrl?: string | undefined;
  channel: string;
}

export type SharedEventBusKind = 'redis' | 'postgres' | null;

export function sharedEventBusKind(config: Omit<SharedEventBusConfig, 'channel'>): SharedEventBusKind {
  if (config.redisUrl) return 'redis';
  if (config.databaseUrl && /^postgres(ql)?:\/\//.test(config.databaseUrl)) return 'postgres';
  return null;
}

export function openSharedEventBus(config: SharedEventBusConfig, logger?: Logger): EventBus | null {
  const options = { channel: config.channel, ...(logger ? { logger } : {}) };
  switch (sharedEventBusKind(config)) {
    case 'redis':
      return new RedisEventBus({ ...options, url: config.redisUrl ?? '' });
    case 'postgres':
      return new PostgresEventBus({ ...options, url: config.databaseUrl ?? '' });
    default:
      return null;
  }
}
