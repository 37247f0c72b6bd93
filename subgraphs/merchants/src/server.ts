// The merchants subgraph as a module: its definition for composition and tests,
// and a factory that serves it (tests pass port 0).
import { join } from 'node:path';
import { Registry } from 'prom-client';
import { collectProcessMetrics, createLogger, type Logger } from '@interop/kit';
import { loadTypeDefs, metricsRoute, serveSubgraph, type RunningSubgraph, type SubgraphDefinition } from '@interop/kit/server';
import { factOutlet, type SharedEventBusConfig } from '@interop/kit/events';
import { registerHeldFactsMetrics } from '@interop/kit/peers';
import { createContext } from './context';
import { publishFactChanges } from './fact-events';
import { createPeerFacts, type PeerOptions } from './peers';
import { resolvers } from './resolvers';
import type { MerchantsStore } from './store/merchants-store';

export const merchantsSubgraph: SubgraphDefinition = {
  name: 'merchants',
  typeDefs: loadTypeDefs(join(__dirname, '..', 'schema.graphql')),
  resolvers,
};

export interface MerchantsOptions extends PeerOptions {
  port: number;
  host: string;
  store: MerchantsStore;
  /** Whether stopping the server also closes the store (true when the server opened it). */
  closeStore?: boolean;
  /**
   * Where opt-in changes are announced besides this process's own stream
   * (/events/facts): Redis when `redisUrl` is set, else PostgreSQL when
   * `databaseUrl` names a server; gateways must be given the same. The
   * channel is `graph_facts` unless given.
   */
  events?: Partial<SharedEventBusConfig>;
  /**
   * Where commerce announces changes of its facts, as configured (the
   * `graph_facts` channel unless given): with it, merchants holds the
   * platforms and their names while it hears those changes; without it, it
   * asks commerce whenever it needs them.
   */
  factEvents?: Partial<SharedEventBusConfig>;
  /** Where its lines go; its own on stdout by default. */
  logger?: Logger;
}

export async function startMerchants(options: MerchantsOptions): Promise<RunningSubgraph> {
  const logger = options.logger ?? createLogger('merchants');
  const peers = createPeerFacts(options, options.factEvents && { facts: options.factEvents, logger });
  const metrics = new Registry();
  collectProcessMetrics(metrics, 'merchants_');
  registerHeldFactsMetrics(metrics, 'merchants', () => peers.held());
  const events = factOutlet({ shared: options.events, trust: options.trust, logger });
  const factChanges = publishFactChanges(options.store, events.buses, logger);
  const running = await serveSubgraph({
    definition: merchantsSubgraph,
    logger,
    port: options.port,
    host: options.host,
    trust: options.trust,
    context: (caller) => createContext(options.store, peers, caller),
    readinessCheck: () => options.store.db.query('SELECT 1'),
    routes: { ...events.routes, '/metrics': metricsRoute(metrics) },
    onStop: async () => {
      factChanges.stop();
      await peers.stop();
      await events.close();
      if (options.closeStore) await options.store.db.close();
    },
  });
  // Awaited, so that it never reaches a follower that subscribed after this start (a bus connects on its first publish).
  await factChanges.announceStart();
  return events.endingStreamsOnStop(running);
}

export { createContext, createPeerFacts, type PeerOptions };
export { openMerchantsStore } from './store/open';
export { MerchantsStore } from './store/merchants-store';
