// GraphQL over WebSocket (the graphql-ws protocol, which Apollo Sandbox and
// Apollo Client speak) on the gateway's GraphQL paths: subscriptions, and
// queries and mutations too, so a client may send everything over one
// connection. A connection is authenticated once, at connection_init; each
// operation then runs as its caller. A query or mutation runs as a POST would
// (see operation-runner): it counts against the caller's request budget and
// meets the same limits; an answer a POST would get with a 4xx status (a
// refusal before anything ran) comes as an `error` message, any other as one
// `next` and `complete`. Close codes a client may see:
// - 4401 UNAUTHENTICATED (bad credentials) and 4403 (any other refusal of
//   them), with the error code as the close reason; graphql-ws clients do not
//   retry these;
// - 4408 no connection_init in time, 4400 a malformed message (graphql-ws);
// - 1000 "Idle" after `idleTimeoutMs` without a subscription or an operation;
// - 1013 "Slow consumer" (try again later) when the client leaves more than
//   `maxBufferedBytes` unread: the gateway drops it rather than buffer for it;
// - 1001 "Going away" when the gateway stops; clients reconnect (elsewhere).
// Refusing one subscription (limits, validation, an entity it may not read)
// sends an `error` message for it and keeps the connection.
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { GraphQLError, OperationTypeNode, parse, type ExecutionArgs, type ExecutionResult, type FormattedExecutionResult, type GraphQLSchema } from 'graphql';
import { useServer } from 'graphql-ws/use/ws';
import { WebSocketServer, type WebSocket } from 'ws';
import { requestIdOf, type Logger } from '@interop/kit';
import { GatewayErrorCode } from '../__generated__/error-codes';
import type { DocumentLimits } from '../document-limits';
import type { OperationRequest, RunOperation } from '../operation-runner';
import { connectionHeaders, quotaKeyOf, refusalCode, type Authenticate } from './credentials';
import { tooManySubscriptions, type SubscriptionLimits } from './limits';
import { once } from './once';
import { requestedOperationType } from './operation';
import { toGraphQLError, type LiveFeed } from './live-feed';
import type { LiveSubscriptions, Subscriber } from './live-subscriptions';

export interface WebSocketTransportOptions {
  subscriptions: LiveSubscriptions;
  /** Runs queries and mutations as over HTTP. */
  operations: RunOperation;
  /** The API schema being served. */
  schema: () => GraphQLSchema | undefined;
  /** Checked before a message's operation is parsed to tell a subscription from a query. */
  documentLimits: DocumentLimits;
  authenticate: Authenticate;
  clientAddress: (req: IncomingMessage) => string;
  limits: SubscriptionLimits;
  /** Largest message accepted from a client, in bytes (as for an HTTP body). */
  maxPayloadBytes: number;
  logger: Logger;
}

export interface WebSocketTransport {
  /** Takes over an upgrade request on a GraphQL path. */
  upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void;
  /** Closes every connection with 1001 and refuses new ones; connections that do not close within `graceMs` are cut. */
  close(graceMs: number): Promise<void>;
}

interface Connection {
  subscriber: Subscriber;
  /** Subscriptions held (bounded by maxPerConnection). */
  active: number;
  /** Queries and mutations running. */
  running: number;
  idle: NodeJS.Timeout | undefined;
}

/**
 * What graphql-ws is handed for a query or mutation already answered: it reads
 * the document only to tell it from a subscription, and `execute` below
 * returns the answer.
 */
const ANSWERED = parse('query Answered { __typename }');

const CLOSE_GOING_AWAY = 1001;
const CLOSE_NORMAL = 1000;
const CLOSE_TRY_AGAIN_LATER = 1013;

export function webSocketTransport(options: WebSocketTransportOptions): WebSocketTransport {
  const { limits, logger } = options;
  const wss = new WebSocketServer({ noServer: true, maxPayload: options.maxPayloadBytes });
  // The feed opened in onSubscribe, handed to `subscribe` through the very arguments object graphql-ws passes on.
  const feeds = new WeakMap<ExecutionArgs, LiveFeed>();
  // Likewise the answer to a query or mutation, made in onSubscribe.
  const answers = new WeakMap<ExecutionArgs, FormattedExecutionResult>();
  let closing = false;

  const idleAfterLast = (socket: WebSocket, connection: Connection) => {
    clearTimeout(connection.idle);
    connection.idle = undefined;
    if (connection.active > 0 || connection.running > 0) return;
    connection.idle = setTimeout(() => socket.close(CLOSE_NORMAL, 'Idle'), limits.idleTimeoutMs);
    connection.idle.unref();
  };

  useServer<Record<string, unknown>, { connection: Connection }>(
    {
      connectionInitWaitTimeout: limits.connectionInitTimeoutMs,
      onConnect: async (ctx) => {
        const { socket, request } = ctx.extra;
        let subscriber: Subscriber;
        try {
          const caller = await options.authenticate(connectionHeaders(request.headers, ctx.connectionParams));
          const address = options.clientAddress(request);
          subscriber = { caller, address, quotaKey: quotaKeyOf(caller, address), requestId: requestIdOf(request) };
        } catch (error) {
          const code = refusalCode(error);
          if (code) socket.close(code === 'UNAUTHENTICATED' ? 4401 : 4403, code);
          else {
            logger.error({ err: error }, 'subscriber authentication failed');
            socket.close(4500, GatewayErrorCode.INTERNAL_SERVER_ERROR);
          }
          return false;
        }
        // Closed while its credentials were checked: nothing to set up.
        if (socket.readyState !== socket.OPEN) return false;
        const connection: Connection = { subscriber, active: 0, running: 0, idle: undefined };
        ctx.extra.connection = connection;
        idleAfterLast(socket, connection);
        return true;
      },
      onSubscribe: async (ctx, _id, payload) => {
        const { connection, socket } = ctx.extra;
        if (!connection) return [new GraphQLError('Not connected', { extensions: { code: GatewayErrorCode.BAD_REQUEST } })];
        if (requestedOperationType(payload, options.documentLimits) !== OperationTypeNode.SUBSCRIPTION) return answer(socket, connection, payload);
        if (connection.active >= limits.maxPerConnection) return [toGraphQLError(tooManySubscriptions('connection', limits.maxPerConnection))];
        connection.active += 1;
        idleAfterLast(socket, connection);
        const release = once(() => {
          connection.active -= 1;
          idleAfterLast(socket, connection);
        });
        try {
          const opening = await options.subscriptions.open(payload, connection.subscriber, release);
          if ('errors' in opening) return opening.errors.map(toGraphQLError);
          const { schema, document, variables } = opening.plan;
          const args: ExecutionArgs = { schema, document, variableValues: variables };
          feeds.set(args, opening.feed);
          return args;
        } catch (error) {
          release();
          logger.error({ err: error }, 'subscription could not start');
          return [new GraphQLError('Internal server error', { extensions: { code: GatewayErrorCode.INTERNAL_SERVER_ERROR } })];
        }
      },
      subscribe: (args) => {
        const feed = feeds.get(args);
        if (!feed) throw new Error('A subscription without its feed');
        return feed;
      },
      execute: (args) => {
        const made = answers.get(args);
        if (!made) throw new Error('An operation without its answer');
        return made as ExecutionResult;
      },
      onNext: (ctx, _id, _payload, args) => {
        const { socket } = ctx.extra;
        if (socket.bufferedAmount > limits.maxBufferedBytes) {
          logger.warn({ buffered: socket.bufferedAmount }, 'subscriber too slow; disconnected');
          socket.close(CLOSE_TRY_AGAIN_LATER, 'Slow consumer');
        }
        // A query's answer is formatted (masked) already, exactly as a POST's body carries it: sent as it is.
        return answers.get(args);
      },
      onClose: (ctx) => {
        clearTimeout(ctx.extra.connection?.idle);
      },
    },
    wss,
    limits.keepAliveMs,
  );

  /** Runs a query or mutation (or anything that is not a subscription, for the runner to refuse with its code). */
  async function answer(socket: WebSocket, connection: Connection, payload: OperationRequest): Promise<ExecutionArgs | GraphQLError[]> {
    connection.running += 1;
    idleAfterLast(socket, connection);
    try {
      const schema = options.schema();
      if (!schema) throw new Error('No supergraph loaded');
      const outcome = await options.operations(payload, connection.subscriber);
      if ('refused' in outcome) return outcome.refused.map(toGraphQLError);
      const args: ExecutionArgs = { schema, document: ANSWERED };
      answers.set(args, outcome.result);
      return args;
    } catch (error) {
      logger.error({ err: error }, 'operation over WebSocket failed');
      return [new GraphQLError('Internal server error', { extensions: { code: GatewayErrorCode.INTERNAL_SERVER_ERROR } })];
    } finally {
      connection.running -= 1;
      idleAfterLast(socket, connection);
    }
  }

  return {
    upgrade(req, socket, head) {
      if (closing) {
        socket.end('HTTP/1.1 503 Service Unavailable\r\nConnection: close\r\n\r\n');
        return;
      }
      wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req));
    },
    async close(graceMs) {
      closing = true;
      const sockets = [...wss.clients];
      const closed = Promise.all(sockets.map((socket) => new Promise<void>((resolve) => socket.once('close', () => resolve()))));
      for (const socket of sockets) socket.close(CLOSE_GOING_AWAY, 'Going away');
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([closed, new Promise<void>((resolve) => (timer = setTimeout(resolve, graceMs)))]);
      clearTimeout(timer);
      for (const socket of wss.clients) socket.terminate();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
    },
  };
}
