// Subscriptions over multipart HTTP, the protocol Apollo Client's HttpLink and
// Apollo Router speak (subscriptionSpec 1.0): a POST whose `accept` takes
// `multipart/mixed;subscriptionSpec=1.0` and whose operation is a
// subscription is answered with one response in parts, never compressed:
// - each result is a part `{"payload": <result>}`, and the closing boundary
//   follows the last when the subscription completes;
// - an empty part `{}` every `heartbeatMs` tells the client (and proxies
//   between) that the stream is alive;
// - a refused subscription (validation, an entity it may not read) is one
//   part with the errors in its payload, then the end, as over SSE;
// - a failure of the gateway's own while streaming ends the stream with a
//   transport error, `{"payload": null, "errors": [...]}`.
// The request's headers authenticate it as for a query; before any part,
// bad credentials get 401 / 403 and a caller at its limit 429
// TOO_MANY_SUBSCRIPTIONS, as JSON. A client that leaves more than
// `maxBufferedBytes` unread is cut off; when the gateway stops, streams end
// without their closing boundary, so clients see a lost connection and
// subscribe again (elsewhere).
import type { IncomingMessage, ServerResponse } from 'node:http';
import { OperationTypeNode } from 'graphql';
import { type Logger } from '@interop/kit';
import { MultipartWriter, sendJson, type PostedGraphQLStreams } from '@interop/kit/server';
import { GatewayErrorCode } from '../__generated__/error-codes';
import type { DocumentLimits } from '../document-limits';
import type { Authenticate } from './credentials';
import { httpSubscriber } from './http-subscriber';
import type { SubscriptionLimits } from './limits';
import { requestedOperationType, type SubscriptionRequest } from './operation';
import type { LiveFeed } from './live-feed';
import type { LiveSubscriptions } from './live-subscriptions';

export interface MultipartTransportOptions {
  subscriptions: LiveSubscriptions;
  authenticate: Authenticate;
  clientAddress: (req: IncomingMessage) => string;
  limits: SubscriptionLimits;
  /** Checked before a body is parsed to tell a subscription from a query. */
  documentLimits: DocumentLimits;
  logger: Logger;
}

export interface MultipartTransport extends PostedGraphQLStreams {
  /** Ends every stream without its closing boundary and refuses new ones. */
  close(): void;
}

export const MULTIPART_SUBSCRIPTION_CONTENT_TYPE = 'multipart/mixed;boundary="graphql";subscriptionSpec="1.0"';
const BOUNDARY = 'graphql';
/** A media range in `accept` that takes multipart/mixed with subscriptionSpec 1.0, quoted or not. */
const TAKES_SUBSCRIPTION_PARTS = /(?:^|,)\s*multipart\/mixed\s*;[^,]*\bsubscriptionSpec\s*=\s*"?1\.0"?/i;

export function multipartTransport(options: MultipartTransportOptions): MultipartTransport {
  const { limits, logger } = options;
  const open = new Set<LiveFeed>();
  let closing = false;

  return {
    accepts: (req, body) =>
      req.method === 'POST' &&
      TAKES_SUBSCRIPTION_PARTS.test(req.headers.accept ?? '') &&
      typeof body === 'object' &&
      body !== null &&
      !Array.isArray(body) &&
      requestedOperationType(body as SubscriptionRequest, options.documentLimits) === OperationTypeNode.SUBSCRIPTION,
    async serve(req, res, body) {
      if (closing) return sendJson(res, 503, { errors: [{ message: 'The gateway is stopping.' }] });
      const subscriber = await httpSubscriber(req, res, options);
      if (!subscriber) return;
      const opening = await options.subscriptions.open(body as SubscriptionRequest, subscriber);
      if ('errors' in opening && opening.errors.some((error) => error.extensions?.['code'] === GatewayErrorCode.TOO_MANY_SUBSCRIPTIONS)) {
        return sendJson(res, 429, { errors: opening.errors });
      }
      res.statusCode = 200;
      res.setHeader('cache-control', 'no-store');
      const parts = new MultipartWriter(res, BOUNDARY);
      parts.open(MULTIPART_SUBSCRIPTION_CONTENT_TYPE);
      if ('errors' in opening) {
        parts.part(JSON.stringify({ payload: { errors: opening.errors } }));
        parts.close();
        return;
      }
      await stream(res, parts, opening.feed);
    },
    close() {
      closing = true;
      for (const feed of open) void feed.return();
    },
  };

  async function stream(res: ServerResponse, parts: MultipartWriter, feed: LiveFeed): Promise<void> {
    open.add(feed);
    const stop = () => void feed.return();
    res.once('close', stop);
    const heartbeat = setInterval(() => parts.part('{}'), limits.heartbeatMs);
    heartbeat.unref();
    try {
      for await (const result of feed) {
        if (!parts.part(JSON.stringify({ payload: result }))) break;
        // Written without waiting for the reader: what it leaves unread is counted here, and bounded.
        if (res.writableLength > limits.maxBufferedBytes) {
          logger.warn({ buffered: res.writableLength }, 'subscriber too slow; disconnected');
          res.destroy();
          break;
        }
      }
      // Stopping: the client must not take the end for the subscription's completion.
      if (closing) res.end();
      else parts.close();
    } catch (error) {
      logger.error({ err: error }, 'subscription failed while streaming');
      parts.part(JSON.stringify({ payload: null, errors: [{ message: 'Internal server error', extensions: { code: GatewayErrorCode.INTERNAL_SERVER_ERROR } }] }));
      parts.close();
    } finally {
      clearInterval(heartbeat);
      open.delete(feed);
      res.off('close', stop);
      stop();
    }
  }
}
