// The gateway's data source for one subgraph: @apollo/gateway's remote data
// source with our fetcher, the request id and trace context passed on, the
// fact changes a subgraph's answer names heard, and fetch failures turned into
// errors a client can act on.
import { RemoteGraphQLDataSource, type GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import { injectTraceContext } from '@interop/kit';
import { identityClaims, IDENTITY_HEADER } from '@interop/kit/security';
import { factsChangedIn } from '@interop/kit/events';
import type { GatewayContext } from './context';
import type { FactsHeard } from './facts-heard';
import { subgraphFetcher } from './subgraph-fetcher';
import { fetchFailureError, SubgraphFetchError, unavailableStatusError, type SubgraphTransport } from './subgraph-transport';

export interface SubgraphSourceOptions {
  transport: SubgraphTransport;
  /** Hears each fact change the subgraph's answer names, before the gateway's answer leaves (see the kit's facts-in-answer). */
  facts?: FactsHeard;
}

type Received = Parameters<NonNullable<RemoteGraphQLDataSource<GatewayContext>['didReceiveResponse']>>[0];

export class SubgraphDataSource extends RemoteGraphQLDataSource<GatewayContext> {
  private readonly subgraph: string;
  private readonly facts: FactsHeard | undefined;

  constructor(options: SubgraphSourceOptions) {
    super({ url: options.transport.url, fetcher: subgraphFetcher(options.transport) });
    this.subgraph = options.transport.subgraph;
    this.facts = options.facts;
  }

  override didReceiveResponse({ response }: Received) {
    if (this.facts) for (const change of factsChangedIn(response.extensions)) this.facts.heard(change);
    return response;
  }

  override willSendRequest({ request, context }: GraphQLDataSourceProcessOptions<GatewayContext>): void {
    const headers = request.http?.headers;
    if (!headers) return;
    if (context.requestId) headers.set('x-request-id', context.requestId);
    // Only the gateway speaks for the caller: the claims are written here and sealed by the fetcher over the exact body.
    headers.set(IDENTITY_HEADER, identityClaims(context.caller, this.subgraph));
    for (const [name, value] of Object.entries(injectTraceContext({}))) headers.set(name, value);
  }

  override didEncounterError(error: Error, _request: unknown, response?: { status: number }): void {
    if (error instanceof SubgraphFetchError) throw fetchFailureError(error);
    if (response && response.status >= 500) throw unavailableStatusError(this.subgraph, response.status, error);
    throw error;
  }

}
