// Follows a peer's event stream (event-stream-route) as a subscribe-only
// event bus: connects with a signed request, reconnects with back-off when
// the stream ends, fails or goes quiet past its heartbeats, and reports each
// reconnect as a gap so followers re-read what they may have missed.
import type { Logger } from '../logger';
import { SIGNATURE_HEADER } from '../signature';
import { Backoff, pause } from './backoff';
import { Fanout, type BusListener, type EventBus } from './event-bus';
import { DEFAULT_EVENT_STREAM_HEARTBEAT_MS, eventStreamSignature } from './event-stream-route';

export interface EventStreamClientOptions {
  /** The stream's URL; undefined while it is not known yet (asked again before each attempt). */
  url: () => string | undefined;
  secret: string;
  logger?: Logger;
  /** The server's heartbeat interval; three missed in a row count as a dead stream. */
  heartbeatMs?: number;
  /** How long a stream that never connected may be unavailable before that is logged (its server may start later); a minute by default. */
  notUpYetMs?: number;
}

const NOT_UP_YET_MS = 60_000;

export class EventStreamClient implements EventBus {
  private readonly fanout: Fanout;
  private readonly backoff = new Backoff();
  private readonly stopped = new AbortController();
  private running = false;
  private failures = 0;
  private connectedOnce = false;
  private startedAt = 0;
  private longWaitLogged = false;

  constructor(private readonly options: EventStreamClientOptions) {
    this.fanout = new Fanout(options.logger);
  }

  publish(): Promise<void> {
    return Promise.reject(new Error('An event stream only receives; publish on the process that serves it'));
  }

  subscribe(listener: BusListener): () => void {
    this.start();
    return this.fanout.add(listener);
  }

  ready(timeoutMs: number): Promise<boolean> {
    this.start();
    return this.fanout.ready(timeoutMs);
  }

  async close(): Promise<void> {
    this.stopped.abort();
    this.fanout.down();
  }

  private start(): void {
    if (this.running) return;
    this.running = true;
    this.startedAt = Date.now();
    void this.run();
  }

  private async run(): Promise<void> {
    while (!this.stopped.signal.aborted) {
      const url = this.options.url();
      if (url) {
        try {
          await this.follow(url);
        } catch (error) {
          if (this.stopped.signal.aborted) break;
          this.failed(error, url);
        }
        this.fanout.down();
      }
      await pause(this.backoff.next(), this.stopped.signal);
    }
  }

  /**
   * Logged on the first failure of an outage only; the back-off keeps retrying
   * quietly. Before the first connection the peer may just not be up yet (its
   * processes start together): that is logged only once it lasts a minute.
   */
  private failed(error: unknown, url: string): void {
    this.failures += 1;
    if (this.connectedOnce) {
      if (this.failures === 1) this.options.logger?.warn({ err: error, url }, 'event stream unavailable; reconnecting');
    } else if (!this.longWaitLogged && Date.now() - this.startedAt >= (this.options.notUpYetMs ?? NOT_UP_YET_MS)) {
      this.longWaitLogged = true;
      this.options.logger?.warn({ err: error, url }, 'event stream not available since start; still trying');
    }
  }

  /** Reads one connection until it ends; resolves on a clean end, throws on a failure. */
  private async follow(url: string): Promise<void> {
    const connection = new AbortController();
    const abort = () => connection.abort();
    this.stopped.signal.addEventListener('abort', abort, { once: true });
    const quietLimit = 3 * (this.options.heartbeatMs ?? DEFAULT_EVENT_STREAM_HEARTBEAT_MS);
    let quiet = setTimeout(abort, quietLimit);
    try {
      const response = await fetch(url, {
        headers: { accept: 'text/event-stream', [SIGNATURE_HEADER]: eventStreamSignature(this.options.secret, new URL(url).pathname) },
        signal: connection.signal,
      });
      if (response.status !== 200 || !response.body) {
        await response.body?.cancel();
        throw new Error(`event stream answered ${response.status}`);
      }
      const decoder = new TextDecoder();
      let buffer = '';
      for await (const chunk of response.body) {
        clearTimeout(quiet);
        quiet = setTimeout(abort, quietLimit);
        buffer += decoder.decode(chunk, { stream: true }).replace(/\r\n?/g, '\n');
        let end: number;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          this.dispatch(buffer.slice(0, end));
          buffer = buffer.slice(end + 2);
        }
      }
      if (connection.signal.aborted && !this.stopped.signal.aborted) throw new Error('event stream went quiet');
    } finally {
      clearTimeout(quiet);
      this.stopped.signal.removeEventListener('abort', abort);
    }
  }

  private dispatch(block: string): void {
    let event = 'message';
    const data: string[] = [];
    for (const line of block.split('\n')) {
      if (line.startsWith(':')) continue;
      const colon = line.indexOf(':');
      const field = colon < 0 ? line : line.slice(0, colon);
      const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
      if (field === 'event') event = value;
      else if (field === 'data') data.push(value);
    }
    if (event === 'ready') {
      this.backoff.reset();
      this.failures = 0;
      this.connectedOnce = true;
      this.fanout.up();
    } else if (event === 'gap') {
      this.fanout.gap();
    } else if (event === 'message' && data.length > 0) {
      this.fanout.message(data.join('\n'));
    }
  }
}
