// A subscription sent as a plain HTTP request (one whose `accept` does not
// take multipart subscription parts, see multipart-transport) is refused before planning,
// with a code that says where to send it, rather than failing inside the
// gateway's executor (which does not run subscriptions).
import type { ApolloServerPlugin } from '@apollo/server';
import { GraphQLError, OperationTypeNode } from 'graphql';
import { GatewayErrorCode } from '../__generated__/error-codes';

export function subscriptionsOverHttpRefused(): ApolloServerPlugin {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ operation }) {
          if (operation?.operation !== OperationTypeNode.SUBSCRIPTION) return;
          throw new GraphQLError('Subscriptions are served over WebSocket (graphql-ws), Server-Sent Events (graphql-sse) or multipart HTTP (accept: multipart/mixed;subscriptionSpec=1.0) on this endpoint.', {
            extensions: { code: GatewayErrorCode.OPERATION_NOT_SUPPORTED, http: { status: 400 } },
          });
        },
      };
    },
  };
}
