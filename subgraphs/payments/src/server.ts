// The payments subgraph as a module: its definition for composition and tests,
// and a factory that serves it (tests pass port 0).
import { join } from 'node:path';
import { createLogger, loadTypeDefs, serveSubgraph, SubgraphClient, type RunningSubgraph, type SubgraphDefinition } from '@interop/kit';
import { createContext } from './context';
import { PeerFacts } from './peers';
import { resolvers } from './resolvers';
import { PaymentsStore } from './store/payments-store';

export const paymentsSubgraph: SubgraphDefinition = {
  name: 'payments',
  typeDefs: loadTypeDefs(join(__dirname, '..', 'schema.graphql')),
  resolvers,
};

export interface PaymentsOptions {
  port: number;
  host: string;
  commerceUrl: string | (() => string);
  merchantsUrl: string | (() => string);
  peerTimeoutMs: number;
  store?: PaymentsStore;
}

export function createPeerFacts(options: Pick<PaymentsOptions, 'commerceUrl' | 'merchantsUrl' | 'peerTimeoutMs'>): PeerFacts {
  return new PeerFacts(
    new SubgraphClient({ name: 'commerce', url: options.commerceUrl, timeoutMs: options.peerTimeoutMs }),
    new SubgraphClient({ name: 'merchants', url: options.merchantsUrl, timeoutMs: options.peerTimeoutMs }),
  );
}

export async function startPayments(options: PaymentsOptions): Promise<RunningSubgraph> {
  const store = options.store ?? new PaymentsStore();
  const peers = createPeerFacts(options);
  return serveSubgraph({
    definition: paymentsSubgraph,
    logger: createLogger('payments'),
    port: options.port,
    host: options.host,
    context: () => createContext(store, peers),
  });
}

export { PaymentsStore, createContext };
