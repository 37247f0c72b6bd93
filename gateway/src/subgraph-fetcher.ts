// @apollo/gateway's data sources send through the subgraph's transport too
// (see subgraph-transport): this adapts it to the fetch-shaped Fetcher they call.
import type { Fetcher } from '@apollo/utils.fetcher';
import { IDENTITY_HEADER } from '@interop/kit/security';
import type { SubgraphTransport } from './subgraph-transport';

// RemoteGraphQLDataSource serialises `{ query, variables, ... }` with `query` first.
const isMutation = (body: string) => /^\{"query":"\s*mutation\b/.test(body);

export function subgraphFetcher(transport: SubgraphTransport): Fetcher {
  return async (_url, init = {}) => {
    const body = typeof init.body === 'string' ? init.body : (init.body?.toString('utf8') ?? '');
    const { [IDENTITY_HEADER]: claims = '', ...headers } = init.headers ?? {};
    const reply = await transport.send({ body, headers, claims, write: isMutation(body) });
    const replyHeaders: [string, string][] = [];
    for (const [name, value] of Object.entries(reply.headers)) {
      if (typeof value === 'string') replyHeaders.push([name, value]);
      else for (const item of value ?? []) replyHeaders.push([name, item]);
    }
    return new Response(reply.body, { status: reply.status, headers: replyHeaders });
  };
}
