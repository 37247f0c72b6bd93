// How a subgraph announces that public facts it owns changed: on its buses,
// for every gateway (with a catch-up after a lost publish, see announcer), and
// in the answer of the request that made the change (facts-in-answer), so the
// gateway carrying it needs no bus to serve the change at once. Both carry the
// same id, so a gateway that hears it twice moves its cache once.
import type { Logger } from '../logger';
import { announcer } from './announcer';
import type { EventBus } from './event-bus';
import { eventOutlet, type EventOutlet } from './event-outlet';
import { encodeFactsChanged, FACT_EVENTS_CHANNEL, FACT_EVENTS_PATH, newFactsChanged, type ChangedEntity } from './fact-event';
import type { SharedEventBusConfig } from './open-event-bus';
import { noteFactsChanged } from './facts-in-answer';

export interface FactAnnouncer {
  /**
   * One change, made now, of the entities `changed` names (of any when not
   * given); `context` goes into the log line if a bus refuses it. Resolves
   * once every bus took it or refused it.
   */
  announce(changed?: readonly ChangedEntity[], context?: Record<string, unknown>): Promise<void>;
  stop(): void;
}

export function factAnnouncer(subgraph: string, buses: readonly EventBus[], logger: Logger): FactAnnouncer {
  const out = announcer(buses, { what: 'fact event', catchUp: () => encodeFactsChanged(newFactsChanged(subgraph)), logger });
  return {
    announce(changed, context) {
      const change = newFactsChanged(subgraph, changed);
      noteFactsChanged(change.factsChanged);
      return out.announce(encodeFactsChanged(change), context);
    },
    stop: () => out.stop(),
  };
}

export interface FactOutletOptions {
  /** The shared bus, when configured; its channel defaults to `graph_facts`. */
  shared: Partial<SharedEventBusConfig> | undefined;
  /** Signs reads of the stream; `acceptedSecrets` too while it is rotated. */
  trust: { signingSecret: string; acceptedSecrets?: readonly string[] };
  logger: Logger;
}

/** Where a subgraph announces its fact changes: its own stream at /events/facts, and the shared bus's fact channel when there is one. */
export function factOutlet(options: FactOutletOptions): EventOutlet {
  return eventOutlet({
    shared: options.shared,
    channel: FACT_EVENTS_CHANNEL,
    path: FACT_EVENTS_PATH,
    secret: options.trust.signingSecret,
    ...(options.trust.acceptedSecrets ? { acceptedSecrets: options.trust.acceptedSecrets } : {}),
    logger: options.logger,
  });
}
