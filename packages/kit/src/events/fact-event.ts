// What a subgraph tells other processes when a public fact it owns changed (a
// merchant opened or closed a payment tool): gateways that cache public
// answers stop serving the ones cached before, and subgraphs that hold the
// owner's facts (payments holds merchants') drop the entities it names. Each
// message has its own id, so every gateway that hears it can move to the same
// fresh cache generation.
import { randomUUID } from 'node:crypto';
import { z } from 'zod';

export interface FactsChanged {
  /** Unique per change announced. */
  factsChanged: string;
  /** The subgraph whose facts changed. */
  subgraph: string;
  /** The entities whose facts changed; absent when the owner cannot say (a catch-up after a loss), which means any of them. */
  changed?: ChangedEntity[];
}

/** An entity by its type and id, e.g. `{ type: 'Merchant', id: 'm0000001' }`. */
export interface ChangedEntity {
  type: string;
  id: string;
}

/** More entities than this in one change are announced as a change of any. */
const MAX_CHANGED_ENTITIES = 100;

/** The channel on Redis, or the NOTIFY channel on PostgreSQL. */
export const FACT_EVENTS_CHANNEL = 'graph_facts';

/** Where a subgraph serves its own fact-event stream, beside its GraphQL path. */
export const FACT_EVENTS_PATH = '/events/facts';

const factsChanged = z.object({
  factsChanged: z.string().min(1).max(100),
  subgraph: z.string().min(1).max(100),
  changed: z
    .array(z.object({ type: z.string().min(1).max(100), id: z.string().min(1).max(200) }))
    .max(MAX_CHANGED_ENTITIES)
    .optional(),
});

/** A new change of `subgraph`'s facts, with its own id; of the entities `changed` names, or of any when it does not. */
export function newFactsChanged(subgraph: string, changed?: readonly ChangedEntity[]): FactsChanged {
  const change: FactsChanged = { factsChanged: randomUUID(), subgraph };
  if (changed && changed.length <= MAX_CHANGED_ENTITIES) change.changed = changed.map(({ type, id }) => ({ type, id }));
  return change;
}

export const encodeFactsChanged = (change: FactsChanged): string => JSON.stringify(change);

/** The message, or null for text that is not one (it is ignored, never trusted). */
export function decodeFactsChanged(text: string): FactsChanged | null {
  try {
    const parsed = factsChanged.safeParse(JSON.parse(text));
    if (!parsed.success) return null;
    const { changed, ...change } = parsed.data;
    return changed ? { ...change, changed } : change;
  } catch {
    return null;
  }
}
