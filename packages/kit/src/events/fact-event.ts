// What a subgraph tells other processes when a public fact it owns changed (a
// merchant opened or closed a payment tool): gateways that cache public
// answers stop serving the ones cached before. Each message has its own id, so
// every gateway that hears it can move to the same fresh cache generation.
import { randomUUID } from 'node:crypto';
import { z } from 'zod';

export interface FactsChanged {
  /** Unique per change announced. */
  factsChanged: string;
  /** The subgraph whose facts changed. */
  subgraph: string;
}

/** The channel on Redis, or the NOTIFY channel on PostgreSQL. */
export const FACT_EVENTS_CHANNEL = 'graph_facts';

/** Where a subgraph serves its own fact-event stream, beside its GraphQL path. */
export const FACT_EVENTS_PATH = '/events/facts';

const factsChanged = z.object({ factsChanged: z.string().min(1).max(100), subgraph: z.string().min(1).max(100) });

/** A new change of `subgraph`'s facts, with its own id. */
export const newFactsChanged = (subgraph: string): FactsChanged => ({ factsChanged: randomUUID(), subgraph });

export const encodeFactsChanged = (change: FactsChanged): string => JSON.stringify(change);

/** The message, or null for text that is not one (it is ignored, never trusted). */
export function decodeFactsChanged(text: string): FactsChanged | null {
  try {
    const parsed = factsChanged.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}
