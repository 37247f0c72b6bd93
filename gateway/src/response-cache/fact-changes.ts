// The response cache hears when public facts change: merchants announces every
// opt-in change (see followed-bus for the way it travels). A change moves the
// cache to the generation the change names; a gap (changes may have been
// missed while the bus was down) moves it to a fresh one of its own.
import type { Logger } from '@interop/kit';
import { decodeFactsChanged, FACT_EVENTS_CHANNEL, FACT_EVENTS_PATH } from '@interop/kit/events';
import { openFollowedBus, type FollowedBusConfig } from '../followed-bus';
import type { ResponseCache } from './response-cache';

export interface FactChanges {
  /** True once changes announced from now on will reach the cache. */
  ready(timeoutMs: number): Promise<boolean>;
  close(): Promise<void>;
}

export interface FactSource {
  /** The merchants subgraph's routing URL, once the supergraph is loaded. */
  merchantsUrl: () => string | undefined;
  /** Signs reads of merchants' event stream; shared with the subgraphs. */
  secret: string;
}

export function invalidateOnFactChanges(cache: ResponseCache, config: FollowedBusConfig, source: FactSource, logger: Logger): FactChanges {
  const bus = openFollowedBus(config, FACT_EVENTS_CHANNEL, { subgraphUrl: source.merchantsUrl, path: FACT_EVENTS_PATH, secret: source.secret }, logger);
  const stop = bus.subscribe({
    message(text) {
      const change = decodeFactsChanged(text);
      if (!change) {
        logger.warn('fact event ignored: not a fact event');
        return;
      }
      cache.factsChanged(change.factsChanged);
    },
    gap: () => cache.invalidate(),
  });
  return {
    ready: (timeoutMs) => bus.ready(timeoutMs),
    async close() {
      stop();
      await bus.close();
    },
  };
}
