// Where a subgraph hears the fact events of the peers whose facts it holds:
// the shared bus when one is configured (every owner announces there), else
// each owner's own stream (/events/facts), followed over HTTP.
import type { Logger } from '../logger';
import type { EventBus } from '../events/event-bus';
import { FACT_EVENTS_CHANNEL, FACT_EVENTS_PATH } from '../events/fact-event';
import { followSubgraphStream } from '../events/followed-bus';
import { openSharedEventBus, type SharedEventBusConfig } from '../events/open-event-bus';

/** A peer's URL, or a function giving it once it is known (a peer started on a port of the OS's choosing). */
export type PeerUrl = string | (() => string);

export interface OwnerBuses {
  /** The bus the owner at `url` announces its fact events on. */
  of(url: PeerUrl): EventBus;
  /** Closes every bus opened here. */
  close(): Promise<void>;
}

export function ownerFactBuses(shared: Partial<SharedEventBusConfig>, streamSecret: string, logger: Logger): OwnerBuses {
  const sharedBus = openSharedEventBus({ ...shared, channel: shared.channel ?? FACT_EVENTS_CHANNEL }, logger);
  const opened = new Set<EventBus>();
  return {
    of(url) {
      const bus = sharedBus ?? followSubgraphStream({ subgraphUrl: () => knownUrl(url), path: FACT_EVENTS_PATH, secret: streamSecret }, logger);
      opened.add(bus);
      return bus;
    },
    async close() {
      await Promise.all([...opened].map((bus) => bus.close()));
    },
  };
}

/** The URL, or undefined while it is not known. */
function knownUrl(url: PeerUrl): string | undefined {
  try {
    return typeof url === 'string' ? url : url();
  } catch {
    return undefined;
  }
}
