// The event bus over PostgreSQL LISTEN/NOTIFY, for deployments that already
// share one PostgreSQL server and run no Redis. NOTIFY is sent from a small
// pool; LISTEN holds one dedicated connection, reconnected with back-off.
import pg from 'pg';
import { createPgPool } from '../db/pg-pool';
import type { Logger } from '../logger';
import { Backoff, pause } from './backoff';
import { Fanout, type BusListener, type EventBus } from './event-bus';

export interface PostgresEventBusOptions {
  url: string;
  /** NOTIFY channel; any text up to 63 bytes (it is quoted, so case matters). */
  channel: string;
  logger?: Logger;
}

export class PostgresEventBus implements EventBus {
  private readonly fanout: Fanout;
  private readonly backoff = new Backoff();
  private readonly stopped = new AbortController();
  private pool: pg.Pool | undefined;
  private listening = false;
  private client: pg.Client | undefined;

  constructor(private readonly options: PostgresEventBusOptions) {
    if (Buffer.byteLength(options.channel) > 63) throw new Error(`NOTIFY channel too long: ${options.channel}`);
    this.fanout = new Fanout(options.logger);
  }

  async publish(message: string): Promise<void> {
    if (!this.pool) {
      this.pool = createPgPool({ connectionString: this.options.url, max: 2, connectionTimeoutMillis: 2000 });
    }
    await this.pool.query('SELECT pg_notify($1, $2)', [this.options.channel, message]);
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
    this.stopped.abort();
    this.fanout.down();
    await Promise.all([this.pool?.end(), this.client?.end().catch(() => {})]);
  }

  private listen(): void {
    if (this.listening) return;
    this.listening = true;
    void this.keepListening();
  }

  private async keepListening(): Promise<void> {
    while (!this.stopped.signal.aborted) {
      const client = new pg.Client({ connectionString: this.options.url, keepAlive: true });
      const ended = new Promise<void>((resolve) => {
        client.on('end', resolve);
        client.on('error', (error) => {
          this.options.logger?.warn({ err: error }, 'postgres event bus connection failed');
          resolve();
        });
      });
      client.on('notification', (notification) => {
        if (notification.channel === this.options.channel) this.fanout.message(notification.payload ?? '');
      });
      try {
        this.client = client;
        await client.connect();
        await client.query(`LISTEN ${client.escapeIdentifier(this.options.channel)}`);
        if (this.stopped.signal.aborted) break;
        this.backoff.reset();
        this.fanout.up();
        await ended;
      } catch (error) {
        if (!this.stopped.signal.aborted) this.options.logger?.warn({ err: error }, 'postgres event bus cannot listen; retrying');
      }
      this.fanout.down();
      await client.end().catch(() => {});
      await pause(this.backoff.next(), this.stopped.signal);
    }
  }
}
