// Live entities on the gateway: the subscription fields the supergraph
// declares `@live` (see live-fields), over WebSocket (graphql-ws, which also carries queries and mutations),
// Server-Sent Events (graphql-sse, both of its modes) and multipart HTTP
// (Apollo Client's HttpLink), on the same paths as GraphQL. startGateway hands
// the SSE and multipart sides to the HTTP server as further transports,
// attaches the WebSocket side to its upgrades, and closes all three before
// draining HTTP when it stops.
import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import type { ApolloServer } from '@apollo/server';
import type { GraphQLSchema } from 'graphql';
import type { Logger } from '@interop/kit';
import type { GraphQLStreams, PostedGraphQLStreams } from '@interop/kit/server';
import type { GatewayContext } from '../context';
import type { DocumentLimits } from '../document-limits';
import type { RunOperation } from '../operation-runner';
import type { DocumentTrust } from '../trusted-documents';
import { anonymousCallers, type Authenticate } from './credentials';
import { CallerQuota, DEFAULT_SUBSCRIPTION_LIMITS, type SubscriptionLimits } from './limits';
import { multipartTransport } from './multipart-transport';
import { LiveEvents, type LiveEventsConfig } from './live-events';
import type { LiveFields } from './live-fields';
import { LiveSubscriptions } from './live-subscriptions';
import { sseTransport } from './sse-transport';
import { webSocketTransport } from './ws-transport';

export { anonymousCallers, DEFAULT_SUBSCRIPTION_LIMITS, type Authenticate, type LiveEventsConfig, type SubscriptionLimits };
export { liveFieldsOf, type LiveField, type LiveFields } from './live-fields';
export { subscriptionsOverHttpRefused } from './http-refusal';

export interface SubscriptionServerOptions {
  apollo: ApolloServer<GatewayContext>;
  schema: () => GraphQLSchema | undefined;
  /** The GraphQL paths; WebSocket upgrades elsewhere are refused. */
  paths: readonly string[];
  /** The live fields the loaded supergraph declares. */
  live: () => LiveFields;
  /** Where the owners announce their entities' changes (see live-events). */
  events: LiveEventsConfig;
  /** A subgraph's routing URL, for its event stream when no shared bus is configured. */
  subgraphUrl: (subgraph: string) => string | undefined;
  /** Signs reads of the owners' event streams. */
  signingSecret: string;
  authenticate?: Authenticate;
  /** Runs the queries and mutations a WebSocket sends, as over HTTP. */
  operations: RunOperation;
  /** The client's address, as the HTTP server reads it (see client-address). */
  clientAddress: (req: IncomingMessage) => string;
  limits?: Partial<SubscriptionLimits>;
  maxBodyBytes: number;
  /** Checked on a subscription's text before it is parsed, as for a query. */
  documentLimits: DocumentLimits;
  hideSchemaDetails: boolean;
  /** Whether a subscription's document is trusted; throws where the caller may send only trusted ones. */
  trust?: DocumentTrust;
  logger: Logger;
}

export interface SubscriptionServer {
  /** The SSE transport, for the HTTP server's GraphQL paths. */
  streams: GraphQLStreams;
  /** The multipart transport, for the HTTP server's GraphQL POSTs. */
  postedStreams: PostedGraphQLStreams;
  /** Serves WebSocket upgrades on the GraphQL paths of `server`. */
  attach(server: Server): void;
  /** Closes WebSockets (1001) and ends SSE and multipart streams, then stops following live events. */
  close(graceMs?: number): Promise<void>;
}

export function createSubscriptionServer(options: SubscriptionServerOptions): SubscriptionServer {
  const limits: SubscriptionLimits = { ...DEFAULT_SUBSCRIPTION_LIMITS, ...options.limits };
  const authenticate = options.authenticate ?? anonymousCallers;
  const events = new LiveEvents(options.events, { subgraphUrl: options.subgraphUrl, secret: options.signingSecret }, options.logger);
  const subscriptions = new LiveSubscriptions({
    apollo: options.apollo,
    schema: options.schema,
    live: options.live,
    events,
    quota: new CallerQuota(limits.maxPerCaller),
    eventsReadyTimeoutMs: limits.eventsReadyTimeoutMs,
    recheckMs: limits.recheckMs,
    documentLimits: options.documentLimits,
    hideSchemaDetails: options.hideSchemaDetails,
    ...(options.trust ? { trust: options.trust } : {}),
    logger: options.logger,
  });
  const transportOptions = { subscriptions, authenticate, clientAddress: options.clientAddress, limits, logger: options.logger };
  const sse = sseTransport({ ...transportOptions, maxBodyBytes: options.maxBodyBytes });
  const multipart = multipartTransport({ ...transportOptions, documentLimits: options.documentLimits });
  const ws = webSocketTransport({
    ...transportOptions,
    operations: options.operations,
    schema: options.schema,
    documentLimits: options.documentLimits,
    maxPayloadBytes: options.maxBodyBytes,
  });
  const paths = new Set(options.paths);
  let stopping: Promise<void> | undefined;
  return {
    streams: sse,
    postedStreams: multipart,
    attach(server) {
      server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
        if (paths.has(new URL(req.url ?? '/', 'http://localhost').pathname)) ws.upgrade(req, socket, head);
        else socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\n\r\n');
      });
    },
    close(graceMs = 1000) {
      stopping ??= (async () => {
        sse.close();
        multipart.close();
        await ws.close(graceMs);
        await events.close();
      })();
      return stopping;
    },
  };
}
