// The merchants subgraph as a module: its definition for composition and tests,
// and a factory that serves it (tests pass port 0).
import { join } from 'node:path';
import { createLogger, type Logger } from '@interop/kit';
import { loadTypeDefs, serveSubgraph, SubgraphClient, type RunningSubgraph, type SubgraphDefinition, type SubgraphTrust } from '@interop/kit/server';
import { factOutlet, type SharedEventBusConfig } from '@interop/kit/events';
import { createContext } from './context';
import { publishFactChanges } from './fact-events';
import { PeerFacts } from './peers';
import { resolvers } from './resolvers';
import type { MerchantsStore } from './store/merchants-store';

export const merchantsSubgraph: SubgraphDefinition = {
  name: 'merchants',
  typeDefs: loadTypeDefs(join(__dirname, '..', 'schema.graphql')),
  resolvers,
};

export interface PeerOptions {
  commerceUrl: string | (() => string);
  paymentsUrl: string | (() => string);
  peerTimeoutMs: number;
  trust: SubgraphTrust;
}

export function createPeerFacts(options: PeerOptions): PeerFacts {
  const from = { name: 'merchants', signingSecret: options.trust.signingSecret };
  return new PeerFacts(
    new SubgraphClient({ name: 'commerce', url: options.commerceUrl, timeoutMs: options.peerTimeoutMs, from }),
    new SubgraphClient({ name: 'payments', url: options.paymentsUrl, timeoutMs: options.peerTimeoutMs, from }),
  );
}

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
  /** Where its lines go; its own on stdout by default. */
  logger?: Logger;
}

export async function startMerchants(options: MerchantsOptions): Promise<RunningSubgraph> {
  const logger = options.logger ?? createLogger('merchants');
  const peers = createPeerFacts(options);
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
    routes: events.routes,
    onStop: async () => {
      factChanges.stop();
      await events.close();
      if (options.closeStore) await options.store.db.close();
    },
  });
  // Awaited, so that it never reaches a follower that subscribed after this start (a bus connects on its first publish).
  await factChanges.announceStart();
  return events.endingStreamsOnStop(running);
}

export { createContext };
export { openMerchantsStore } from './store/open';
export { MerchantsStore } from './store/merchants-store';
