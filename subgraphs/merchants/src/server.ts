// The merchants subgraph as a module: its definition for composition and tests,
// and a factory that serves it (tests pass port 0).
import { join } from 'node:path';
import {
  createLogger,
  loadTypeDefs,
  serveSubgraph,
  SubgraphClient,
  type RunningSubgraph,
  type SubgraphDefinition,
  type SubgraphTrust,
} from '@interop/kit';
import { createContext } from './context';
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
}

export async function startMerchants(options: MerchantsOptions): Promise<RunningSubgraph> {
  const peers = createPeerFacts(options);
  return serveSubgraph({
    definition: merchantsSubgraph,
    logger: createLogger('merchants'),
    port: options.port,
    host: options.host,
    trust: options.trust,
    context: (caller) => createContext(options.store, peers, caller),
    ...(options.closeStore ? { onStop: () => options.store.db.close() } : {}),
  });
}

export { createContext };
export { openMerchantsStore } from './store/open';
export { MerchantsStore } from './store/merchants-store';
