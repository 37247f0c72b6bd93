// A document whose operation cannot be picked (several operations and no
// `operationName`, or an `operationName` it does not contain) is the client's
// mistake. Apollo Server leaves that to the executor, and @apollo/gateway's
// executor throws instead of answering, which would reach the client as an
// unexpected 500. Refused here with the code Apollo Server gives it elsewhere.
import type { ApolloServerPlugin } from '@apollo/server';
import { GraphQLError } from 'graphql';
import { GatewayErrorCode } from './__generated__/error-codes';

export function operationResolutionPlugin(): ApolloServerPlugin {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ operation, request }) {
          if (operation) return;
          const message = request.operationName
            ? `The document has no operation named ${request.operationName}.`
            : 'The document has several operations: name one in operationName.';
          throw new GraphQLError(message, { extensions: { code: GatewayErrorCode.OPERATION_RESOLUTION_FAILURE, http: { status: 400 } } });
        },
      };
    },
  };
}
