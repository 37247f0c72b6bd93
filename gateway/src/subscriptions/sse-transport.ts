// GraphQL over Server-Sent Events (the graphql-sse protocol) on the gateway's
// GraphQL paths, in both of its modes:
// - distinct connections: a request that accepts `text/event-stream` carries
//   one subscription, answered on its own stream;
// - single connection: a PUT reserves a stream and answers its token; the
//   client opens the stream with a GET that accepts `text/event-stream`, sends
//   each subscription as a POST (and stops one with a DELETE), every request
//   carrying the token in `x-graphql-event-stream-token` (or `?token=`).
// Every request's headers authenticate it as for a query. A token is 192
// random bits and serves only the caller that reserved it; to anyone else it
// is a token that does not exist (404). A reservation whose stream is not
// opened within `connectionInitTimeoutMs` lapses; an open stream holds at most
// `maxPerConnection` subscriptions and ends after `idleTimeoutMs` without one.
// Reservations live in this gateway process, so a stream's requests must all
// reach the gateway that answered its PUT: the PUT's answer names the token in
// a header too, for a load balancer to route by (see docs/deploying.md).
// Answers a client may see:
// - 401 / 403 with `{ errors }` (code UNAUTHENTICATED, or the refusal's code)
//   for bad credentials, 429 TOO_MANY_SUBSCRIPTIONS for a caller (or stream)
//   at its limit, 404 for a token this gateway does not hold for the caller;
// - otherwise a stream: `next` events, then `complete`; a refused
//   subscription (validation, an entity it may not read) is one `next` with
//   the errors, then `complete`, as graphql-sse does for validation errors.
// A reader that leaves more than `maxBufferedBytes` unread is disconnected;
// when the gateway stops, streams end (clients reconnect, elsewhere).
import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { GraphQLFormattedError } from 'graphql';
import { createHandler, TOKEN_HEADER_KEY, TOKEN_QUERY_KEY, type Request as SseRequest, type Response as SseResponse } from 'graphql-sse';
import { type Logger } from '@interop/kit';
import { readRawBody, sendJson, type GraphQLStreams } from '@interop/kit/server';
import { GatewayErrorCode } from '../__generated__/error-codes';
import type { Authenticate } from './credentials';
import { httpSubscriber } from './http-subscriber';
import { tooManySubscriptions, type SubscriptionLimits } from './limits';
import { once } from './once';
import { toGraphQLError } from './live-feed';
import type { LiveSubscriptions, Subscriber } from './live-subscriptions';

export interface SseTransportOptions {
  subscriptions: LiveSubscriptions;
  authenticate: Authenticate;
  clientAddress: (req: IncomingMessage) => string;
  limits: SubscriptionLimits;
  maxBodyBytes: number;
  logger: Logger;
}

export interface SseTransport extends GraphQLStreams {
  /** Ends every stream, drops every reservation and refuses new ones. */
  close(): void;
}

type Stream = AsyncGenerator<string, void, undefined>;

interface Reservation {
  /** Whose it is (the subscriber's quota key): requests of any other caller do not find it. */
  owner: string;
  /** Subscriptions running on it. */
  active: number;
  /** The stream, once its GET came. */
  stream: Stream | undefined;
  /** Lapses the reservation before its stream opens; ends the stream once idle. */
  timer: NodeJS.Timeout | undefined;
}

interface RequestContext {
  /** Null only for the gateway's own request that ends a reservation nobody opened. */
  subscriber: Subscriber | null;
  /** The reservation the request is for; undefined in distinct-connections mode. */
  token: string | undefined;
}

const EVENT_STREAM = 'text/event-stream';
const JSON_TYPE = { 'content-type': 'application/json; charset=utf-8' };

export function sseTransport(options: SseTransportOptions): SseTransport {
  const { limits, logger } = options;
  const open = new Map<ServerResponse, Stream>();
  const reservations = new Map<string, Reservation>();
  let closing = false;

  const handler = createHandler<IncomingMessage | null, RequestContext>({
    // The token was checked against its reservation before the request got here (see `serve`).
    authenticate: (req) => req.context.token,
    onSubscribe: async (req, params) => {
      const { subscriber, token } = req.context;
      if (!subscriber) throw new Error('A subscription without its subscriber');
      const reservation = token === undefined ? undefined : reservations.get(token);
      let release = () => {};
      if (reservation && token !== undefined) {
        if (reservation.active >= limits.maxPerConnection) return tooMany([tooManySubscriptions('connection', limits.maxPerConnection)]);
        reservation.active += 1;
        idleAfterLast(token, reservation);
        release = once(() => {
          reservation.active -= 1;
          idleAfterLast(token, reservation);
        });
      }
      const opening = await options.subscriptions.open(params, subscriber, release);
      if (reservation && token !== undefined && reservations.get(token) !== reservation) {
        // The stream ended while the subscription started: nothing would read it.
        if (!('errors' in opening)) await opening.feed.return();
        return notFound();
      }
      if ('errors' in opening) {
        if (opening.errors.some((error) => error.extensions?.['code'] === GatewayErrorCode.TOO_MANY_SUBSCRIPTIONS)) return tooMany(opening.errors);
        return { data: null, errors: opening.errors.map(toGraphQLError) };
      }
      return opening.feed;
    },
  });

  /** An open stream without subscriptions ends after `idleTimeoutMs`; a reservation not yet opened keeps its lapse. */
  function idleAfterLast(token: string, reservation: Reservation): void {
    if (!reservation.stream) return;
    clearTimeout(reservation.timer);
    reservation.timer = reservation.active > 0 ? undefined : unref(setTimeout(() => void end(token), limits.idleTimeoutMs));
  }

  /** Ends a reservation: its stream, with its subscriptions. A stream nobody opened is opened here to be ended, graphql-sse's one way to drop it. */
  async function end(token: string): Promise<void> {
    const reservation = reservations.get(token);
    if (!reservation) return;
    reservations.delete(token);
    clearTimeout(reservation.timer);
    const stream = reservation.stream ?? (await openedHere(token));
    await stream?.return(undefined);
  }

  async function openedHere(token: string): Promise<Stream | undefined> {
    const [answer] = await handler({
      method: 'GET',
      url: '/',
      headers: { get: (key) => (key === 'accept' ? EVENT_STREAM : undefined) },
      body: null,
      raw: null,
      context: { subscriber: null, token },
    });
    return answer !== null && typeof answer !== 'string' ? answer : undefined;
  }

  return {
    accepts: (req) => (req.headers.accept ?? '').includes(EVENT_STREAM) || req.method === 'PUT' || req.method === 'DELETE' || tokenOf(req) !== undefined,
    async serve(req, res) {
      if (closing) return sendJson(res, 503, { errors: [{ message: 'The gateway is stopping.' }] });
      const subscriber = await httpSubscriber(req, res, options);
      if (!subscriber) return;
      let token = tokenOf(req);
      if (req.method === 'PUT') token = randomBytes(24).toString('base64url');
      else if (token !== undefined && reservations.get(token)?.owner !== subscriber.quotaKey) {
        const [text, init] = notFound();
        res.writeHead(init.status, init.statusText, init.headers);
        res.end(text);
        return;
      }
      const body = req.method === 'POST' ? await readRawBody(req, options.maxBodyBytes) : null;
      const request: SseRequest<IncomingMessage | null, RequestContext> = {
        method: req.method ?? 'GET',
        url: req.url ?? '/',
        headers: {
          // graphql-sse recognises only exact values; browsers and curl may send others beside them.
          get: (key) => (key === 'accept' ? ((req.headers.accept ?? '').includes(EVENT_STREAM) ? EVENT_STREAM : '*/*') : joined(req.headers[key])),
        },
        body,
        raw: req,
        context: { subscriber, token },
      };
      const [answer, init] = await handler(request);
      if (req.method === 'PUT' && token !== undefined && init.status === 201) {
        const reserved = token;
        reservations.set(reserved, { owner: subscriber.quotaKey, active: 0, stream: undefined, timer: unref(setTimeout(() => void end(reserved), limits.connectionInitTimeoutMs)) });
        res.setHeader(TOKEN_HEADER_KEY, reserved);
      }
      res.writeHead(init.status, init.statusText, init.headers);
      if (answer === null || typeof answer === 'string') {
        res.end(answer ?? undefined);
        return;
      }
      const reservation = token === undefined ? undefined : reservations.get(token);
      if (reservation && token !== undefined) {
        reservation.stream = answer;
        idleAfterLast(token, reservation);
      }
      await stream(res, answer);
      if (token !== undefined) await end(token);
    },
    close() {
      closing = true;
      for (const answer of open.values()) void answer.return(undefined);
      for (const token of reservations.keys()) void end(token);
    },
  };

  /** Writes the stream's events until it ends, the client goes away, or the client falls too far behind. */
  async function stream(res: ServerResponse, answer: Stream): Promise<void> {
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
  }
}

function tooMany(errors: readonly GraphQLFormattedError[]): SseResponse {
  return [JSON.stringify({ errors }), { status: 429, statusText: 'Too Many Requests', headers: JSON_TYPE }];
}

/** A token this gateway does not hold for the caller, as graphql-sse answers a token it never issued. */
function notFound(): [string, { status: number; statusText: string; headers: Record<string, string> }] {
  return [JSON.stringify({ errors: [{ message: 'No event stream has this token.', extensions: { code: GatewayErrorCode.BAD_REQUEST } }] }), { status: 404, statusText: 'Not Found', headers: JSON_TYPE }];
}

/** The stream token a request carries, in its header or its query string. */
function tokenOf(req: IncomingMessage): string | undefined {
  const header = joined(req.headers[TOKEN_HEADER_KEY]);
  if (header) return header;
  return new URL(req.url ?? '/', 'http://localhost').searchParams.get(TOKEN_QUERY_KEY) ?? undefined;
}

function joined(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value.join(', ') : value;
}

function unref(timer: NodeJS.Timeout): NodeJS.Timeout {
  timer.unref();
  return timer;
}
