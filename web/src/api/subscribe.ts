// Follows a generated, typed subscription over GraphQL over WebSocket
// (graphql-ws) on the gateway's GraphQL path. A browser cannot set headers on
// a WebSocket, so the demo's API key goes in connection_init, where the
// gateway reads it as it reads `x-api-key` on a query. One connection carries
// every subscription of the page: it opens with the first and closes with the
// last. A lost connection is not retried here: it ends each subscription with
// an error, and the caller decides how to carry on.
import { createClient, type Client } from 'graphql-ws';
import type { TypedDocumentString } from '../gql/graphql';
import { GRAPHQL_PATH } from './client';
import { demoConfig } from './config';
import { ApiError, type GraphQLErrorBody } from './errors';

export interface SubscriptionSink<TResult> {
  next(data: TResult): void;
  /** The subscription was refused, a result had errors, or the connection was lost; nothing follows. */
  error(error: ApiError): void;
  /** The graph ended the subscription; nothing follows. */
  complete(): void;
}

const ACK_WITHIN_MS = 5_000;
// A connection cut without a close (a laptop asleep, a phone changing network) looks open until the
// operating system gives up, minutes later; a ping unanswered in time says so sooner.
const PING_EVERY_MS = 10_000;
const PONG_WITHIN_MS = 5_000;
const CLOSE_PONG_TIMEOUT = 4408;

let shared: Client | undefined;

function createLiveClient(): Client {
  let socket: WebSocket | undefined;
  let pongDue: ReturnType<typeof setTimeout> | undefined;
  return createClient({
    url: () => {
      const url = new URL(GRAPHQL_PATH, window.location.href);
      url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
      return url.href;
    },
    connectionParams: async () => {
      try {
        const { apiKey } = await demoConfig();
        return { 'x-api-key': apiKey };
      } catch (error) {
        throw new ApiError('setup', error instanceof Error ? error.message : String(error));
      }
    },
    retryAttempts: 0,
    connectionAckWaitTimeout: ACK_WITHIN_MS,
    keepAlive: PING_EVERY_MS,
    on: {
      connected: (opened) => {
        socket = opened as WebSocket;
      },
      ping: (received) => {
        if (received) return;
        clearTimeout(pongDue);
        pongDue = setTimeout(() => socket?.close(CLOSE_PONG_TIMEOUT, 'Pong timeout'), PONG_WITHIN_MS);
      },
      pong: (received) => {
        if (received) clearTimeout(pongDue);
      },
      closed: () => {
        clearTimeout(pongDue);
        socket = undefined;
      },
    },
  });
}

/** Starts `document` with `variables`; the returned function ends it, after which `sink` hears nothing. */
export function subscribe<TResult, TVariables>(
  document: TypedDocumentString<TResult, TVariables>,
  variables: TVariables,
  sink: SubscriptionSink<TResult>,
): () => void {
  let over = false;
  const end = () => {
    over = true;
    unsubscribe();
  };
  const unsubscribe = (shared ??= createLiveClient()).subscribe<TResult>(
    { query: document.toString(), variables: variables as Record<string, unknown> },
    {
      next: (result) => {
        if (over) return;
        const errors = result.errors ?? [];
        // As for a query, a partial answer would leave the page half-drawn: it ends the subscription instead.
        if (errors.length > 0 || !result.data) {
          end();
          sink.error(new ApiError('graphql', errors[0]?.message ?? 'The graph sent no data', errors));
          return;
        }
        sink.next(result.data);
      },
      error: (error) => {
        if (over) return;
        over = true;
        sink.error(asApiError(error));
      },
      complete: () => {
        if (over) return;
        over = true;
        sink.complete();
      },
    },
  );
  return () => {
    if (!over) end();
  };
}

/** graphql-ws reports a refusal as the errors, a lost connection as its close event (or error event), and its own failures as an Error. */
function asApiError(error: unknown): ApiError {
  if (error instanceof ApiError) return error;
  if (Array.isArray(error)) {
    const errors = error as GraphQLErrorBody[];
    return new ApiError('graphql', errors[0]?.message ?? 'The graph refused the subscription', errors);
  }
  if (error && typeof error === 'object' && 'code' in error && typeof error.code === 'number') {
    const reason = 'reason' in error && typeof error.reason === 'string' && error.reason ? ` ${error.reason}` : '';
    return new ApiError('unreachable', `The live connection closed (${error.code}${reason})`);
  }
  return new ApiError('unreachable', error instanceof Error ? error.message : 'The live connection failed');
}
