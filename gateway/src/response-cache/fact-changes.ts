// The response cache hears when public facts change: a subgraph announces
// every change of the facts it owns (merchants its opt-ins). With a shared bus
// (Redis or PostgreSQL) every subgraph announces on the one fact channel;
// without one, the gateway follows the signed fact stream of every subgraph
// the supergraph declares as announcing (see fact-streams), and hears a change
// from any of them. A change moves the cache to the generation the change
// names; a gap on any bus or stream (changes may have been missed while it
// was down) moves it to a fresh one of its own.
import type { Logger } from '@interop/kit';
import { decodeFactsChanged, FACT_EVENTS_CHANNEL, followSubgraphStream, openSharedEventBus, type BusListener, type EventBus, type FollowedBusConfig } from '@interop/kit/events';
import type { FactStream } from './fact-streams';
import type { ResponseCache } from './response-cache';

export interface FactChanges {
  /**
   * Follows these streams from now on, and no others: the ones the loaded
   * supergraph declares. Nothing changes with a shared bus, which carries
   * every subgraph's changes.
   */
  follow(streams: readonly FactStream[]): void;
  /** True once changes announced from now on will reach the cache (once the streams to follow are known, without a shared bus). */
  ready(timeoutMs: number): Promise<boolean>;
  close(): Promise<void>;
}

export interface FactSource {
  /** A subgraph's routing URL, by its name in the supergraph, once the supergraph is loaded. */
  subgraphUrl: (subgraph: string) => string | undefined;
  /** Signs reads of the subgraphs' event streams; shared with them. */
  secret: string;
}

interface Followed {
  bus: EventBus;
  stop: () => void;
}

export function invalidateOnFactChanges(cache: ResponseCache, config: FollowedBusConfig, source: FactSource, logger: Logger): FactChanges {
  const listener: BusListener = {
    message(text) {
      const change = decodeFactsChanged(text);
      if (!change) {
        logger.warn('fact event ignored: not a fact event');
        return;
      }
      cache.factsChanged(change.factsChanged);
    },
    gap: () => cache.invalidate(),
  };
  const followed = new Map<string, Followed>();
  const open = (key: string, bus: EventBus) => followed.set(key, { bus, stop: bus.subscribe(listener) });
  const release = ({ bus, stop }: Followed) => {
    stop();
    return bus.close().catch((error: unknown) => logger.warn({ err: error }, 'fact event stream did not close cleanly'));
  };
  const shared = openSharedEventBus({ ...config, channel: config.channel ?? FACT_EVENTS_CHANNEL }, logger);
  if (shared) open('', shared);
  let known = shared !== null;
  let closed = false;
  /** Resolves true once `bus` is live, false if it stops being followed first. */
  const live = async (key: string, bus: EventBus): Promise<boolean> => {
    while (!closed && followed.get(key)?.bus === bus) if (await bus.ready(1_000)) return true;
    return false;
  };
  const waiting = new Set<() => void>();
  return {
    follow(streams) {
      if (shared || closed) return;
      const wanted = new Map(streams.map((stream) => [`${stream.subgraph}\n${stream.stream}`, stream]));
      for (const [key, stream] of followed) {
        if (wanted.has(key)) continue;
        followed.delete(key);
        void release(stream);
      }
      for (const [key, { subgraph, stream }] of wanted) {
        if (followed.has(key)) continue;
        const bus = followSubgraphStream({ subgraphUrl: () => source.subgraphUrl(subgraph), path: stream, secret: source.secret }, logger);
        open(key, bus);
        // A stream a reload adds: what it announced before it connected was
        // never heard, and answers cached since the reload emptied the cache
        // may rest on it. Once it is live, they go.
        if (known) void live(key, bus).then((isLive) => isLive && cache.invalidate());
      }
      known = true;
      for (const wake of waiting) wake();
      waiting.clear();
    },
    async ready(timeoutMs) {
      const deadline = Date.now() + timeoutMs;
      if (!known) {
        const heard = await new Promise<boolean>((resolve) => {
          const wake = () => {
            clearTimeout(timer);
            resolve(true);
          };
          const timer = setTimeout(() => {
            waiting.delete(wake);
            resolve(false);
          }, timeoutMs);
          timer.unref();
          waiting.add(wake);
        });
        if (!heard) return false;
      }
      const buses = [...followed.values()].map(({ bus }) => bus);
      const ready = await Promise.all(buses.map((bus) => bus.ready(Math.max(0, deadline - Date.now()))));
      return ready.every(Boolean);
    },
    async close() {
      closed = true;
      const open = [...followed.values()];
      followed.clear();
      await Promise.all(open.map(release));
    },
  };
}
