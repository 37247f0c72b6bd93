// The commerce subgraph as a module: its definition for composition and tests,
// and a factory that serves it (tests pass port 0).
import { join } from 'node:path';
import { createLogger } from '@interop/kit';
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
}

export async function startCommerce(options: CommerceOptions): Promise<RunningSubgraph> {
  const store = options.store ?? new CommerceStore();
  return serveSubgraph({
    definition: commerceSubgraph,
    logger: createLogger('commerce'),
    port: options.port,
    host: options.host,
    trust: options.trust,
    context: () => createContext(store),
  });
}

export { CommerceStore, createContext };
