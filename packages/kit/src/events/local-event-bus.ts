// The event bus of one process: what a process on its own (embedded PGlite,
// no shared server) publishes and serves to others on its event stream.
import { Fanout, type BusListener, type EventBus } from './event-bus';
import type { Logger } from '../logger';

export class LocalEventBus implements EventBus {
  private readonly fanout: Fanout;

  constructor(logger?: Logger) {
    this.fanout = new Fanout(logger);
    this.fanout.up();
  }

  async publish(message: string): Promise<void> {
    this.fanout.message(message);
  }

  subscribe(listener: BusListener): () => void {
    return this.fanout.add(listener);
  }

  ready(): Promise<boolean> {
    return Promise.resolve(true);
  }

  async close(): Promise<void> {}
}
