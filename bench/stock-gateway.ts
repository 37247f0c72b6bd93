// The baseline: a stock @apollo/gateway on @apollo/server, every setting left
// at its default, the way its documentation starts one. It lives here only, so
// the comparison never borrows from our gateway. Usage: stock-gateway.ts SUPERGRAPH_FILE PORT
import { readFileSync } from 'node:fs';
import { ApolloGateway } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import { startStandaloneServer } from '@apollo/server/standalone';
import { servableSupergraph } from '../gateway/src/subgraph-enforced-security';

async function main(): Promise<void> {
  const [file, port] = process.argv.slice(2);
  if (!file || !port) throw new Error('usage: stock-gateway.ts SUPERGRAPH_FILE PORT');
  // The bench sets APOLLO_TELEMETRY_DISABLED=true for both gateways; refuse to run without it, so neither phones home.
  if (process.env.APOLLO_TELEMETRY_DISABLED !== 'true') throw new Error('APOLLO_TELEMETRY_DISABLED must be true');
  // The same supergraph our gateway serves: the subgraphs enforce @requiresScopes, which stock @apollo/gateway would otherwise refuse to load.
  const server = new ApolloServer({ gateway: new ApolloGateway({ supergraphSdl: servableSupergraph(readFileSync(file, 'utf8')) }) });
  const { url } = await startStandaloneServer(server, { listen: { port: Number(port), host: '127.0.0.1' } });
  console.log(`stock gateway listening on ${url}`);
  const stop = () => void server.stop().finally(() => process.exit(0));
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
