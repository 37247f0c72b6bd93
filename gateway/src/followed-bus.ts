// Where the gateway hears what a subgraph announces, chosen by configuration:
// - REDIS_URL set: Redis pub/sub;
// - else DATABASE_URL naming a PostgreSQL server: LISTEN on it;
// - else the subgraph's own signed event stream beside its routing URL (a
//   subgraph on embedded PGlite runs as one process, so its stream carries
//   every change).
// The first two carry changes from every subgraph process to every gateway
// process; the subgraph must be configured the same way (openSharedEventBus
// decides for both).
import type { Logger } from '@interop/kit';
import { EventStreamClient, openSharedEventBus, type EventBus, type SharedEventBusConfig } from '@interop/kit/events';

/** As the subgraph announcing the events is configured; the channel defaults per kind of event. */
export type FollowedBusConfig = Partial<SharedEventBusConfig>;

export interface SubgraphStream {
  /** The subgraph's routing URL, once the supergraph is loaded. */
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
