// The gateway's Redis connections (shared rate-limit counts, the shared
// response cache): commands fail at once while disconnected instead of
// queueing, so a request falls back to local state without waiting, and an
// outage is logged once when it starts and once when it ends.
import { once } from 'node:events';
import { Redis } from 'ioredis';
import type { Logger } from '@interop/kit';

/** Every request may wait for Redis; a slow Redis costs at most this before the request goes on without it. */
const REDIS_COMMAND_TIMEOUT_MS = 250;

/** How long a start waits for Redis before serving without it (it keeps reconnecting meanwhile). */
const REDIS_CONNECT_WAIT_MS = 2000;

export interface OutageLog {
  down(err: unknown): void;
  up(): void;
}

export interface RedisConnection {
  client: Redis;
  outage: OutageLog;
  close(): Promise<void>;
}

/** Connects, waiting a moment for the connection; a start never fails for want of Redis. */
export async function connectRedis(url: string, logger: Logger, messages: { down: string; up: string }): Promise<RedisConnection> {
  const client = new Redis(url, { enableOfflineQueue: false, commandTimeout: REDIS_COMMAND_TIMEOUT_MS });
  const outage = outageLog(logger, messages);
  // ioredis reports every failed reconnect; the outage itself is logged once.
  client.on('error', (err: unknown) => logger.debug({ err }, messages.down));
  try {
    await once(client, 'ready', { signal: AbortSignal.timeout(REDIS_CONNECT_WAIT_MS) });
  } catch (error) {
    outage.down(error);
  }
  return {
    client,
    outage,
    // quit waits for replies in flight; without a connection there is nothing to wait for.
    close: () => client.quit().then(
      () => undefined,
      () => client.disconnect(),
    ),
  };
}

function outageLog(logger: Logger, messages: { down: string; up: string }): OutageLog {
  let down = false;
  return {
    down(err) {
      if (down) return;
      down = true;
      logger.warn({ err }, messages.down);
    },
    up() {
      if (!down) return;
      down = false;
      logger.info(messages.up);
    },
  };
}
