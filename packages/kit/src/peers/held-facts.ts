// Facts a peer owns, held in this process while the peer's announcements of
// their changes are heard (its fact events, on the bus it announces on), so a
// request reads them from memory instead of asking the owner each time.
// What is served is as fresh as the owner's announcements make it:
// - held facts are served only while that bus is live; while it is not, every
//   read asks the owner (and fails as that does), and what was held is dropped;
// - a change the owner announces drops the entities it names at once, as the
//   message arrives (a subgraph announces a change before it answers the
//   request that made it, so the caller's next request, one more round trip
//   away, finds it heard); a change that names none, or a gap in the bus,
//   drops everything, and everything is loaded again;
// - an answer asked of the owner before a change to it was heard is used for
//   that read but not held.
import DataLoader from 'dataloader';
import { LRUCache } from 'lru-cache';
import { dependencyUnavailable } from '../errors';
import type { Logger } from '../logger';
import type { EntityFragment, SubgraphClient } from '../subgraph-client';
import { Backoff, pause } from '../events/backoff';
import type { EventBus } from '../events/event-bus';
import { decodeFactsChanged } from '../events/fact-event';

/** One page of every entity's facts, in the owner's order, and where the next one starts (null after the last). */
export interface FactsPage<T> {
  entries: readonly (readonly [id: string, facts: T])[];
  next: string | null;
}

/** Where facts come from: the owner, asked over GraphQL. */
export interface FactsSource<T> {
  /** The entities' facts now, null for an id the owner does not know; one call per batch. */
  fetch(ids: readonly string[]): Promise<(T | null)[]>;
  /** One page of all of them, starting after `after` (null for the first). */
  page(after: string | null): Promise<FactsPage<T>>;
}

/** A source's `fetch` through the owner's `_entities`: each entity of `fragment`'s type by id, made facts by `toFacts`. */
export function entitiesById<E, T>(owner: SubgraphClient, fragment: EntityFragment<E>, toFacts: (id: string, entity: E) => T): FactsSource<T>['fetch'] {
  return async (ids) => {
    const entities = await owner.entities(fragment, ids.map((id) => ({ __typename: fragment.typename, id })));
    return ids.map((id, index) => {
      const entity = entities[index];
      return entity ? toFacts(id, entity) : null;
    });
  };
}

/** A query that lists every entity of an owner at once (a handful) with their ids and a fragment's fields, and the field that holds them. */
export interface EntityListing {
  query: string;
  field: string;
}

/**
 * The source of an owner's handful of entities: each through its `_entities`
 * (`entitiesById`), all of them as one page through `listing`, whose query
 * spreads `fragment`; both made facts by `toFacts`.
 */
export function listedEntities<E, T>(owner: SubgraphClient, fragment: EntityFragment<E>, listing: EntityListing, toFacts: (id: string, entity: E) => T): FactsSource<T> {
  const query = `${listing.query}\n${fragment.text}`;
  return {
    fetch: entitiesById(owner, fragment, toFacts),
    async page() {
      const listed = (await owner.request<Record<string, readonly (E & { id: string })[] | null>>(query))[listing.field];
      // The owner answers a null list only with an error, which has already failed the request; a bare null is as unusable.
      if (!listed) throw dependencyUnavailable(owner.name, new Error(`The ${listing.field} came without them`));
      return { entries: listed.map((entity) => [entity.id, toFacts(entity.id, entity)] as const), next: null };
    },
  };
}

/** Asks `source` for each id once, however many times `ids` names it. */
export async function fetchEachOnce<T>(source: FactsSource<T>, ids: readonly string[]): Promise<(T | null)[]> {
  const unique = [...new Set(ids)];
  if (unique.length === ids.length) return source.fetch(ids);
  const facts = await source.fetch(unique);
  const byId = new Map(unique.map((id, index) => [id, facts[index] ?? null]));
  return ids.map((id) => byId.get(id) ?? null);
}

/** Reads that ask the owner every time; reads in one tick share one request. */
export function askedFacts<T>(source: FactsSource<T>): FactsReader<T> {
  const loader = new DataLoader((ids: readonly string[]) => fetchEachOnce(source, ids), { cache: false });
  const get = (id: string) => loader.load(id);
  return { get, fresh: get, peek: () => undefined };
}

/** Where a request reads facts a peer owns: held (HeldFacts), or asked each time (askedFacts). */
export interface FactsReader<T> {
  /** Null for an id the owner does not know. Throws DEPENDENCY_UNAVAILABLE as the owner's request does. */
  get(id: string): Promise<T | null>;
  /** As `get`, but asked of the owner now whatever is held: for a caller that knows what is held is older. */
  fresh(id: string): Promise<T | null>;
  /** The entity's facts if they are held now, else undefined (nothing is asked): for a caller that answers at once when it can. */
  peek(id: string): T | undefined;
}

export interface HeldFactsOptions<T> {
  /** The subgraph that owns and announces the facts, as its fact events name it. */
  owner: string;
  /** The entity type its fact events name, e.g. `Merchant`. */
  type: string;
  source: FactsSource<T>;
  /** The bus the owner announces its fact events on (shared, or its own stream). */
  bus: EventBus;
  /** At most this many entities are held; a read of one not held asks the owner. */
  max: number;
  logger: Logger;
}

/** How reads of held facts went, and how often all of them were loaded; for metrics. */
export interface HeldFactsCounts {
  /** Reads answered from memory. */
  held: number;
  /** Reads that asked the owner. */
  asked: number;
  /** Loads of every entity finished (at start, and after each gap or change of any). */
  loads: number;
}

/** How long loading may fail before it is logged as a warning. */
const LOAD_FAILING_WARN_AFTER_MS = 60_000;

/** Entities changed while answers were awaited, remembered to keep those answers out; past this, everything is reloaded instead. */
const CHANGES_REMEMBERED = 10_000;

export class HeldFacts<T extends object> implements FactsReader<T> {
  private readonly held: LRUCache<string, T>;
  private readonly asking: DataLoader<string, T | null>;
  private readonly stopFollowing: () => void;
  private live = false;
  /** Moves whenever everything held is dropped: what was asked before it is not held. */
  private generation = 0;
  /** Counts the changes heard; `changedAt` remembers, per entity, the count at its last change while any answer is awaited. */
  private changes = 0;
  private readonly changedAt = new Map<string, number>();
  private awaited = 0;
  private readonly counts: HeldFactsCounts = { held: 0, asked: 0, loads: 0 };
  private readonly stopped = new AbortController();
  private reloading = false;

  constructor(private readonly options: HeldFactsOptions<T>) {
    if (!Number.isSafeInteger(options.max) || options.max < 1) throw new RangeError(`Held facts need room for at least one entity, not ${options.max}`);
    this.held = new LRUCache({ max: options.max });
    // Reads in one tick share one request to the owner; nothing is cached here but what `held` keeps.
    this.asking = new DataLoader((ids) => this.ask(ids), { cache: false });
    this.stopFollowing = options.bus.subscribe({
      message: (text) => this.heard(text),
      gap: () => this.reload(),
      up: () => {
        this.live = true;
        this.reload();
      },
      down: () => {
        this.live = false;
        this.dropAll();
      },
    });
  }

  /** The entity's facts: held, or asked of the owner (null when it knows no such entity). Rejects as the owner's request does. */
  async get(id: string): Promise<T | null> {
    return this.peek(id) ?? this.fresh(id);
  }

  peek(id: string): T | undefined {
    if (!this.live) return undefined;
    const held = this.held.get(id);
    if (held !== undefined) this.counts.held += 1;
    return held;
  }

  fresh(id: string): Promise<T | null> {
    this.counts.asked += 1;
    return this.asking.load(id);
  }

  /** Reads so far, held and asked. */
  get reads(): Readonly<HeldFactsCounts> {
    return { ...this.counts };
  }

  /** How many entities are held now. */
  get size(): number {
    return this.held.size;
  }

  stop(): void {
    this.stopped.abort();
    this.stopFollowing();
    this.live = false;
    this.dropAll();
  }

  private heard(text: string): void {
    const change = decodeFactsChanged(text);
    if (!change || change.subgraph !== this.options.owner) return;
    if (!change.changed) {
      this.reload();
      return;
    }
    this.changes += 1;
    for (const entity of change.changed) {
      if (entity.type !== this.options.type) continue;
      this.held.delete(entity.id);
      if (this.awaited > 0) this.changedAt.set(entity.id, this.changes);
    }
    // Answers awaited without a pause for this long a run of changes: forget them all rather than remember more.
    if (this.changedAt.size > CHANGES_REMEMBERED) this.reload();
  }

  /** Nothing asked before now is held: its answers, and the changes kept to sort them, go. */
  private dropAll(): void {
    this.generation += 1;
    this.held.clear();
    this.changedAt.clear();
  }

  /**
   * Drops everything and, while the bus is live, loads every entity again:
   * once for all the reasons heard in one tick (a bus that is back says `up`,
   * then `gap`).
   */
  private reload(): void {
    this.dropAll();
    if (this.reloading) return;
    this.reloading = true;
    queueMicrotask(() => {
      this.reloading = false;
      if (this.live) void this.loadAll(this.generation);
    });
  }

  /** Pages through every entity until all are held or `max` are; a page that fails is asked again after a pause (reads ask the owner meanwhile). */
  private async loadAll(generation: number): Promise<void> {
    const backoff = new Backoff(500, 30_000);
    const current = () => generation === this.generation && !this.stopped.signal.aborted;
    const started = Date.now();
    let warned = false;
    let after: string | null = null;
    while (current()) {
      try {
        const page: FactsPage<T> = await this.awaiting(() => this.options.source.page(after), (answer: FactsPage<T>) => answer.entries, generation);
        backoff.reset();
        after = page.next;
        if (after === null || this.held.size >= this.options.max) {
          if (current()) this.counts.loads += 1;
          return;
        }
      } catch (error) {
        if (!current()) return;
        // An owner starting beside this process may not answer yet: worth a warning only once that lasts.
        const lasting: boolean = !warned && Date.now() - started >= LOAD_FAILING_WARN_AFTER_MS;
        warned ||= lasting;
        this.options.logger[lasting ? 'warn' : 'info']({ err: error, owner: this.options.owner }, 'held facts not loaded yet; reads ask their owner meanwhile');
        await pause(backoff.next(), this.stopped.signal);
      }
    }
  }

  private ask(ids: readonly string[]): Promise<(T | null)[]> {
    return this.awaiting(
      () => fetchEachOnce(this.options.source, ids),
      (facts) => ids.flatMap((id, index) => (facts[index] ? [[id, facts[index]] as const] : [])),
      this.generation,
    );
  }

  /** Runs one request to the owner and holds what it answered that no change heard meanwhile made old. */
  private async awaiting<R>(request: () => Promise<R>, entriesOf: (answer: R) => readonly (readonly [string, T])[], generation: number): Promise<R> {
    const changesBefore = this.changes;
    this.awaited += 1;
    try {
      const answer = await request();
      if (this.live && generation === this.generation) {
        for (const [id, facts] of entriesOf(answer)) {
          if ((this.changedAt.get(id) ?? -1) > changesBefore) continue;
          this.held.set(id, facts);
        }
      }
      return answer;
    } finally {
      this.awaited -= 1;
      if (this.awaited === 0) this.changedAt.clear();
    }
  }
}
