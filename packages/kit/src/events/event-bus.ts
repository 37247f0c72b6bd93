// A channel of short text messages from the processes that change something to
// the processes that follow it. Delivery is at most once: a subscriber whose
// connection dropped is told so when it is back (a gap), and re-reads what it
// follows instead of trusting that it saw every message.
import type { Logger } from '../logger';

export interface BusListener {
  /** One message, in the order the bus delivered them. */
  message(text: string): void;
  /** Messages may have been lost since the last one: re-read whatever you follow. */
  gap(): void;
  /** The subscription is live: messages published from now on arrive (before `gap` when it is live again after a loss). */
  up?(): void;
  /** The subscription is lost: messages published from now on may never arrive, until `up`. */
  down?(): void;
}

export interface EventBus {
  /** Sends `message` to every subscriber of the channel, in every process; rejects when the bus cannot take it now. */
  publish(message: string): Promise<void>;
  /** Starts delivering to `listener`; returns the function that stops it. */
  subscribe(listener: BusListener): () => void;
  /** True once messages published from now on reach this process's subscribers; false if that did not happen within `timeoutMs`. */
  ready(timeoutMs: number): Promise<boolean>;
  close(): Promise<void>;
}

/**
 * The listeners of one bus and whether its subscription is live: what every
 * implementation shares. A listener that throws is logged and the others
 * still hear the message.
 */
export class Fanout {
  private readonly listeners = new Set<BusListener>();
  private readonly waiters = new Set<() => void>();
  private live = false;
  private everLive = false;

  constructor(private readonly logger?: Logger) {}

  get size(): number {
    return this.listeners.size;
  }

  /** A listener added to a live subscription hears `up` at once. */
  add(listener: BusListener): () => void {
    this.listeners.add(listener);
    if (this.live && listener.up) this.call(() => listener.up?.());
    return () => {
      this.listeners.delete(listener);
    };
  }

  message(text: string): void {
    for (const listener of [...this.listeners]) this.call(() => listener.message(text));
  }

  gap(): void {
    for (const listener of [...this.listeners]) this.call(() => listener.gap());
  }

  /** The subscription is live (again). After a loss, listeners hear of the gap. */
  up(): void {
    if (this.live) return;
    this.live = true;
    const resumed = this.everLive;
    this.everLive = true;
    for (const wake of this.waiters) wake();
    this.waiters.clear();
    for (const listener of [...this.listeners]) if (listener.up) this.call(() => listener.up?.());
    if (resumed) this.gap();
  }

  /** The subscription is lost: messages published from now on may never arrive. */
  down(): void {
    if (!this.live) return;
    this.live = false;
    for (const listener of [...this.listeners]) if (listener.down) this.call(() => listener.down?.());
  }

  /** Whether messages published now reach this process's listeners. */
  get isLive(): boolean {
    return this.live;
  }

  ready(timeoutMs: number): Promise<boolean> {
    if (this.live) return Promise.resolve(true);
    return new Promise((resolve) => {
      const wake = () => {
        clearTimeout(timer);
        resolve(true);
      };
      const timer = setTimeout(() => {
        this.waiters.delete(wake);
        resolve(false);
      }, timeoutMs);
      timer.unref();
      this.waiters.add(wake);
    });
  }

  private call(deliver: () => void): void {
    try {
      deliver();
    } catch (error) {
      this.logger?.error({ err: error }, 'event listener failed');
    }
  }
}
