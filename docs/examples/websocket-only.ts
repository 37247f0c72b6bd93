import { ApolloClient, InMemoryCache } from '@apollo/client';
import { GraphQLWsLink } from '@apollo/client/link/subscriptions';
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';

/** An Apollo Client that sends everything, queries and mutations too, over one WebSocket; e.g. webSocketOnlyClient('ws://localhost:4000/', key). */
export function webSocketOnlyClient(gateway: string, apiKey: string): ApolloClient {
  const socket = createClient({ url: gateway, webSocketImpl: WebSocket, connectionParams: { 'x-api-key': apiKey } });
  return new ApolloClient({ cache: new InMemoryCache(), link: new GraphQLWsLink(socket) });
}
