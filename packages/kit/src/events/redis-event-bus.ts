// The event bus over Redis pub/sub: every process that publishes or
// subscribes on the channel, whichever machine it runs on. One connection
// publishes and one (in subscriber mode, as Redis requires) listens; both
// reconnect by themselves.
import { Redis } from 'ioredis';
import type { Logger } from '../logger';
import { Fanout, type BusListener, type EventBus } from './event-bus';

export interface RedisEventBusOptions {
  url: string;
  channel: string;
  logger?: Logger;
}

/** How long a publish waits, queued, for a connection before it fails (it is never retried forever). */
const PUBLISH_TIMEOUT_MS = 2000;

export class RedisEventBus implements EventBus {
  private readonly fanout: Fanout;
  private publisher: Redis | undefined;
  private subscriber: Redis | undefined;
  private lostLogged = false;

  constructor(private readonly options: RedisEventBusOptions) {
    this.fanout = new Fanout(options.logger);
  }

  async publish(message: string): Promise<void> {
    // Commands queue while the connection is down; a bounded retry count and timeout keep that queue from growing without end.
    this.publisher ??= this.connection({ maxRetriesPerRequest: 2, commandTimeout: PUBLISH_TIMEOUT_MS });
    await this.publisher.publish(this.options.channel, message);
  }

  subscribe(listener: BusListener): () => void {
    this.listen();
    return this.fanout.add(listener);
  }

  ready(timeoutMs: number): Promise<boolean> {
    this.listen();
    return this.fanout.ready(timeoutMs);
  }

  async close(): Promise<void> {
    this.fanout.down();
    await Promise.all([this.publisher, this.subscriber].map((connection) => connection && quit(connection)));
  }

  private listen(): void {
    if (this.subscriber) return;
    // Resubscribing ourselves on every `ready` (rather than ioredis's automatic
    // resubscribe) tells us when the subscription is live again, so followers
    // re-read what they may have missed only once it is.
    const subscriber = this.connection({ autoResubscribe: false, maxRetriesPerRequest: null });
    this.subscriber = subscriber;
    subscriber.on('message', (channel: string, message: string) => {
      if (channel === this.options.channel) this.fanout.message(message);
    });
    subscriber.on('ready', () => {
      subscriber.subscribe(this.options.channel).then(
        () => {
          this.lostLogged = false;
          this.fanout.up();
        },
        (error: unknown) => this.options.logger?.warn({ err: error }, 'redis subscribe failed'),
      );
    });
    subscriber.on('close', () => this.fanout.down());
  }

  private connection(extra: { maxRetriesPerRequest: number | null; commandTimeout?: number; autoResubscribe?: boolean }): Redis {
    const connection = new Redis(this.options.url, { ...extra, lazyConnect: false });
    // ioredis reports every failed reconnect; one line per outage is enough.
    connection.on('error', (error: unknown) => {
      if (this.lostLogged) return;
      this.lostLogged = true;
      this.options.logger?.warn({ err: error }, 'redis event bus unavailable; reconnecting');
    });
    return connection;
  }
}

async function quit(connection: Redis): Promise<void> {
  // QUIT waits for queued commands; a connection that cannot reach the server is simply dropped.
  const timer = setTimeout(() => connection.disconnect(), 1000);
  try {
    await connection.quit();
  } catch {
    connection.disconnect();
  } finally {
    clearTimeout(timer);
  }
}
