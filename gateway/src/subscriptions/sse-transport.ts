// GraphQL over Server-Sent Events (the graphql-sse protocol, "distinct
// connections" mode: one subscription per request) on the gateway's GraphQL
// paths, for requests that accept `text/event-stream`. The request's headers
// authenticate it as for a query. Answers a client may see:
// - 401 / 403 with `{ errors }` (code UNAUTHENTICATED, or the refusal's code)
//   for bad credentials, 429 TOO_MANY_SUBSCRIPTIONS for a caller at its limit;
// - otherwise 200 and a stream: `next` events, then `complete`; a refused
//   subscription (validation, a payment it may not read) is one `next` with
//   the errors, then `complete`, as graphql-sse does for validation errors.
// A reader that leaves more than `maxBufferedBytes` unread is disconnected;
// when the gateway stops, streams end (clients reconnect, elsewhere).
// The protocol's "single connection" mode (PUT reservations) is not offered:
// its streams live in one process's memory and its tokens are guessable.
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createHandler } from 'graphql-sse';
import { ErrorCode, readRawBody, requestScope, sendJson, type GraphQLStreams, type Logger } from '@interop/kit';
import { quotaKeyOf, refusalCode, type Authenticate } from './credentials';
import type { SubscriptionLimits } from './limits';
import { toGraphQLError } from './payment-feed';
import type { PaymentSubscriptions, Subscriber } from './payment-subscriptions';

export interface SseTransportOptions {
  subscriptions: PaymentSubscriptions;
  authenticate: Authenticate;
  limits: SubscriptionLimits;
  maxBodyBytes: number;
  logger: Logger;
}

export interface SseTransport extends GraphQLStreams {
  /** Ends every stream and refuses new ones. */
  close(): void;
}

const EVENT_STREAM = 'text/event-stream';
const JSON_TYPE = { 'content-type': 'application/json; charset=utf-8' };

export function sseTransport(options: SseTransportOptions): SseTransport {
  const { limits, logger } = options;
  const open = new Map<ServerResponse, AsyncGenerator<string, void, undefined>>();
  let closing = false;

  const handler = createHandler<IncomingMessage, { subscriber: Subscriber }>({
    // No stream tokens: every request is its own stream ("distinct connections").
    authenticate: () => undefined,
    onSubscribe: async (req, params) => {
      const opening = await options.subscriptions.open(params, req.context.subscriber);
      if ('errors' in opening) {
        if (opening.errors.some((error) => error.extensions?.['code'] === ErrorCode.TOO_MANY_SUBSCRIPTIONS)) {
          return [JSON.stringify({ errors: opening.errors }), { status: 429, statusText: 'Too Many Requests', headers: JSON_TYPE }];
        }
        return { data: null, errors: opening.errors.map(toGraphQLError) };
      }
      return opening.feed;
    },
  });

  return {
    accepts: (req) => (req.headers.accept ?? '').includes(EVENT_STREAM),
    async serve(req, res) {
      if (closing) return sendJson(res, 503, { errors: [{ message: 'The gateway is stopping.' }] });
      let subscriber: Subscriber;
      try {
        const caller = await options.authenticate(req.headers);
        const requestId = requestScope.getStore()?.requestId ?? randomUUID();
        subscriber = { caller, quotaKey: quotaKeyOf(caller, req.socket.remoteAddress), requestId };
      } catch (error) {
        const code = refusalCode(error);
        if (!code) {
          logger.error({ err: error }, 'subscriber authentication failed');
          return sendJson(res, 500, { errors: [{ message: 'Internal server error', extensions: { code: ErrorCode.INTERNAL_SERVER_ERROR } }] });
        }
        return sendJson(res, code === 'UNAUTHENTICATED' ? 401 : 403, { errors: [{ message: (error as Error).message, extensions: { code } }] });
      }
      const body = req.method === 'POST' ? await readRawBody(req, options.maxBodyBytes) : null;
      const [answer, init] = await handler({
        method: req.method ?? 'GET',
        url: req.url ?? '/',
        headers: {
          // graphql-sse recognises only the exact value; browsers and curl may add others after it.
          get: (key) => (key === 'accept' ? EVENT_STREAM : joined(req.headers[key])),
        },
        body,
        raw: req,
        context: { subscriber },
      });
      res.writeHead(init.status, init.statusText, init.headers);
      if (answer === null || typeof answer === 'string') {
        res.end(answer ?? undefined);
        return;
      }
      open.set(res, answer);
      const stop = () => void answer.return(undefined);
      res.once('close', stop);
      try {
        for await (const chunk of answer) {
          if (res.destroyed) break;
          res.write(chunk);
          // Written without waiting for the reader: what it leaves unread is counted here, and bounded.
          if (res.writableLength > limits.maxBufferedBytes) {
            logger.warn({ buffered: res.writableLength }, 'subscriber too slow; disconnected');
            res.destroy();
            break;
          }
        }
      } finally {
        open.delete(res);
        res.off('close', stop);
        stop();
        if (!res.writableEnded && !res.destroyed) res.end();
      }
    },
    close() {
      closing = true;
      for (const answer of open.values()) void answer.return(undefined);
    },
  };
}

function joined(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value.join(', ') : value;
}
