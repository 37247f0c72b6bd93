// Where a process hears what a subgraph announces (the gateway, payment
// events and fact changes; payments, its peers' fact changes), chosen by
// configuration:
// - REDIS_URL set: Redis pub/sub;
// - else DATABASE_URL naming a PostgreSQL server: LISTEN on it;
// - else the subgraph's own signed event stream beside its routing URL (a
//   subgraph on embedded PGlite runs as one process, so its stream carries
//   every change).
// The first two carry changes from every subgraph process to every follower;
// the subgraph must be configured the same way (openSharedEventBus decides for
// both).
import type { Logger } from '../logger';
import type { EventBus } from './event-bus';
import { EventStreamClient } from './event-stream-client';
import { openSharedEventBus, type SharedEventBusConfig } from './open-event-bus';

/** As the subgraph announcing the events is configured; the channel defaults per kind of event. */
export type FollowedBusConfig = Partial<SharedEventBusConfig>;

export interface SubgraphStream {
  /** The subgraph's URL (its routing URL), once it is known. */
  subgraphUrl: () => string | undefined;
  /** The stream's path on the subgraph, e.g. `/events/payments`. */
  path: string;
  /** Signs reads of the stream; shared with the subgraph. */
  secret: string;
}

export function openFollowedBus(config: FollowedBusConfig, defaultChannel: string, stream: SubgraphStream, logger?: Logger): EventBus {
  return openSharedEventBus({ ...config, channel: config.channel ?? defaultChannel }, logger) ?? followSubgraphStream(stream, logger);
}

/** The subgraph's own signed event stream, whatever bus is configured. */
export function followSubgraphStream(stream: SubgraphStream, logger?: Logger): EventBus {
  return new EventStreamClient({
    url: () => {
      const url = stream.subgraphUrl();
      return url ? new URL(stream.path, url).toString() : undefined;
    },
    secret: stream.secret,
    ...(logger ? { logger } : {}),
  });
}
