// The reference for differential tests: a stock @apollo/gateway on
// @apollo/server over a fixture's subgraphs, in this process, on a port the OS
// picks. Its only addition is the signed identity header the fixture's
// subgraphs demand, sealed over the exact body it sends, as our gateway seals it.
import { ApolloGateway, RemoteGraphQLDataSource } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import { startStandaloneServer } from '@apollo/server/standalone';
import type { Fetcher } from '@apollo/utils.fetcher';
import { IDENTITY_HEADER, signIdentity } from '@interop/kit/security';
import { credentialHeaders } from './harness';
import { PARTNER_A, TEST_TRUST } from './identities';

export interface StockGateway {
  url: string;
  stop(): Promise<void>;
}

/** A fetcher for the `name` subgraph that signs each request as PARTNER_A. */
function signingFetcher(name: string): Fetcher {
  return (async (url: string, init: { method?: string; headers?: Record<string, string>; body?: string }) => {
    const body = init.body ?? '';
    const headers = { ...init.headers, [IDENTITY_HEADER]: signIdentity(TEST_TRUST.signingSecret, PARTNER_A.caller, name, body) };
    return fetch(url, { ...init, headers, body });
  }) as unknown as Fetcher;
}

export async function startStockGateway(supergraphSdl: string): Promise<StockGateway> {
  // Nothing in a test may call out of the machine.
  process.env.APOLLO_TELEMETRY_DISABLED = 'true';
  const gateway = new ApolloGateway({
    supergraphSdl,
    buildService: ({ name, url }) => new RemoteGraphQLDataSource({ ...(url ? { url } : {}), fetcher: signingFetcher(name) }),
  });
  const server = new ApolloServer({ gateway, includeStacktraceInErrorResponses: false, stopOnTerminationSignals: false });
  const { url } = await startStandaloneServer(server, { listen: { port: 0, host: '127.0.0.1' } });
  return { url, stop: () => server.stop() };
}

/** A gateway's answer to one operation as it was written: the status and the JSON text. */
export interface RawAnswer {
  status: number;
  text: string;
}

export async function postRaw(url: string, query: string, variables: Record<string, unknown> = {}): Promise<RawAnswer> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...credentialHeaders(PARTNER_A) },
    body: JSON.stringify({ query, variables }),
  });
  return { status: response.status, text: await response.text() };
}
