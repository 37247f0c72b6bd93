// The commerce subgraph as a module: its definition for composition and tests,
// and a factory that serves it (tests pass port 0).
import { join } from 'node:path';
import { createLogger } from '@interop/kit';
import { factAnnouncer, factOutlet, type SharedEventBusConfig } from '@interop/kit/events';
import { loadTypeDefs, serveSubgraph, type RunningSubgraph, type SubgraphDefinition, type SubgraphTrust } from '@interop/kit/server';
import { createContext } from './context';
import { resolvers } from './resolvers';
import { CommerceStore } from './store/commerce-store';

export const commerceSubgraph: SubgraphDefinition = {
  name: 'commerce',
  typeDefs: loadTypeDefs(join(__dirname, '..', 'schema.graphql')),
  resolvers,
};

export interface CommerceOptions {
  port: number;
  host: string;
  trust: SubgraphTrust;
  store?: CommerceStore;
  /**
   * Where fact events go besides this process's own stream (/events/facts):
   * Redis when `redisUrl` is set, else PostgreSQL when `databaseUrl` names a
   * server; gateways and payments must be given the same. The channel is
   * `graph_facts` unless given.
   */
  events?: Partial<SharedEventBusConfig>;
}

export async function startCommerce(options: CommerceOptions): Promise<RunningSubgraph> {
  const store = options.store ?? new CommerceStore();
  const logger = createLogger('commerce');
  const events = factOutlet({ shared: options.events, trust: options.trust, logger });
  const facts = factAnnouncer('commerce', events.buses, logger);
  const stopAnnouncing = store.onRulesChange(() => void facts.announce());
  const running = await serveSubgraph({
    definition: commerceSubgraph,
    logger,
    port: options.port,
    host: options.host,
    trust: options.trust,
    context: () => createContext(store),
    routes: events.routes,
    onStop: async () => {
      stopAnnouncing();
      facts.stop();
      await events.close();
    },
  });
  // The rules change only with a deploy, and this may be one: whoever holds or
  // caches them (payments, gateways) on the shared bus reads them again. A
  // follower of this process's own stream hears a new stream instead. Started
  // once it has left, so that it never reaches a follower that subscribed
  // after this start (a bus connects on its first publish).
  await facts.announce();
  return events.endingStreamsOnStop(running);
}

export { CommerceStore, createContext };
