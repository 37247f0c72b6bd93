// How a subgraph announces that public facts it owns changed: on its buses,
// for every gateway (with a catch-up after a lost publish, see announcer), and
// in the answer of the request that made the change (facts-in-answer), so the
// gateway carrying it needs no bus to serve the change at once. Both carry the
// same id, so a gateway that hears it twice moves its cache once.
import type { Logger } from '../logger';
import { announcer } from './announcer';
import type { EventBus } from './event-bus';
import { encodeFactsChanged, newFactsChanged } from './fact-event';
import { noteFactsChanged } from './facts-in-answer';

export interface FactAnnouncer {
  /** One change, made now; `context` goes into the log line if a bus refuses it. */
  announce(context?: Record<string, unknown>): void;
  stop(): void;
}

export function factAnnouncer(subgraph: string, buses: readonly EventBus[], logger: Logger): FactAnnouncer {
  const out = announcer(buses, { what: 'fact event', catchUp: () => encodeFactsChanged(newFactsChanged(subgraph)), logger });
  return {
    announce(context) {
      const change = newFactsChanged(subgraph);
      noteFactsChanged(change.factsChanged);
      out.announce(encodeFactsChanged(change), context);
    },
    stop: () => out.stop(),
  };
}
