// Where a subgraph announces changes: its own bus, served to gateways as a
// signed event stream at `path` (for a subgraph alone on embedded PGlite),
// and the shared bus (Redis or PostgreSQL, see openSharedEventBus) when one
// is configured. Payments announces payment status changes this way, and
// merchants opt-in changes.
import type { Route } from '../http';
import type { Logger } from '../logger';
import type { EventBus } from './event-bus';
import { eventStreamRoute } from './event-stream-route';
import { LocalEventBus } from './local-event-bus';
import { openSharedEventBus, type SharedEventBusConfig } from './open-event-bus';

export interface EventOutletOptions {
  /** The shared bus, when configured; its channel defaults to `channel`. */
  shared: Partial<SharedEventBusConfig> | undefined;
  channel: string;
  /** Where this process serves its own events, e.g. `/events/payments`. */
  path: string;
  /** Signs reads of the stream; shared with the gateways. */
  secret: string;
  /** Secrets a reader may sign with besides `secret`, while it is rotated. */
  acceptedSecrets?: readonly string[];
  logger: Logger;
}

export interface EventOutlet {
  /** Every bus a change is published on. */
  buses: readonly EventBus[];
  /** The stream route, by its path, for the subgraph's routes. */
  routes: Readonly<Record<string, Route>>;
  /**
   * The running server with the streams ended before its stop: streams never
   * end by themselves, so the drain would otherwise wait for them.
   */
  endingStreamsOnStop<T extends { stop(): Promise<void> }>(running: T): T;
  /** Closes the shared bus; after requests in flight finished, so the changes they made are still published. */
  close(): Promise<void>;
}

export function eventOutlet(options: EventOutletOptions): EventOutlet {
  const own = new LocalEventBus(options.logger);
  const shared = openSharedEventBus({ ...options.shared, channel: options.shared?.channel ?? options.channel }, options.logger);
  const stream = eventStreamRoute({
    bus: own,
    path: options.path,
    secret: options.secret,
    ...(options.acceptedSecrets ? { acceptedSecrets: options.acceptedSecrets } : {}),
    logger: options.logger,
  });
  return {
    buses: shared ? [own, shared] : [own],
    routes: { [options.path]: stream.route },
    endingStreamsOnStop: (running) => ({
      ...running,
      stop() {
        stream.close();
        return running.stop();
      },
    }),
    close: async () => {
      await shared?.close();
    },
  };
}
