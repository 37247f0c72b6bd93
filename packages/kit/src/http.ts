// A small node:http integration for Apollo Server, shared by the gateway and
// the subgraphs: one place that reads bodies, maps headers and writes answers,
// with room for plain JSON routes such as /health.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { HeaderMap, type ApolloServer, type BaseContext } from '@apollo/server';
import { context as otelContext } from '@opentelemetry/api';
import getRawBody from 'raw-body';
import { readConfig, wholeNumber, z } from './config';
import { ErrorCode, type PublicErrorCode } from './errors';
import { preferredMediaType, sendAnswer, type AnswerOptions } from './http-answer';
import type { Caller } from './identity';
import { parseJsonOrUndefined } from './json';
import { takeLater, writeMultipart } from './incremental';
import type { Logger } from './logger';
import { requestIdOf, requestScope } from './request-scope';
import { extractTraceContext, inRequestSpan, traceResponse } from './tracing';

export type Route = (req: IncomingMessage, res: ServerResponse) => void | Promise<void>;

export interface GraphQLHttpOptions<TContext extends BaseContext> {
  apollo: ApolloServer<TContext>;
  /** Paths that serve GraphQL, e.g. ['/graphql'] or ['/', '/graphql']. */
  graphqlPaths: readonly string[];
  /** Builds the request's context; may set response headers (e.g. a request id). `caller` is what `identify` admitted. */
  context: (req: IncomingMessage, res: ServerResponse, caller: Caller | undefined) => Promise<TContext>;
  /**
   * Admits a GraphQL request before it is parsed, from its headers and the exact
   * bytes it carries (the body of a POST, the query string of a GET): the caller
   * it proves, or null to refuse it with 401 and UNAUTHENTICATED.
   */
  identify?: (req: IncomingMessage, signedContent: string) => Caller | null;
  /** Rewrites a POST's parsed JSON body before Apollo Server sees it (the context can find what it did by `req`). */
  prepareBody?: (body: unknown, req: IncomingMessage) => unknown;
  /**
   * Answers a request itself, once its context is made, instead of Apollo
   * Server's request pipeline (the gateway's operations it has run before),
   * given the request's fields (a POST's JSON body, a GET's parameters; see
   * directRequest); null leaves the request to Apollo Server, which then
   * reuses the same context.
   */
  answerDirectly?: AnswerDirectly<TContext>;
  /** Sees every request first; answers it and returns true (a CORS preflight), or sets headers and returns false to let it go on. */
  intercept?: (req: IncomingMessage, res: ServerResponse) => boolean;
  /** Extra routes by exact path, answered before GraphQL. */
  routes?: Readonly<Record<string, Route>>;
  /** Extra routes for a path and everything under it ('/demo' answers '/demo' and '/demo/...'), after exact routes. */
  prefixRoutes?: Readonly<Record<string, Route>>;
  /** Largest request body accepted, in bytes. */
  maxBodyBytes?: number;
  /** Compression and ETags for whole answers (see http-answer); without it answers go out as they are. */
  answers?: AnswerOptions;
  /** Another transport on the GraphQL paths (GraphQL over Server-Sent Events): answers the requests it accepts instead of Apollo. */
  streams?: GraphQLStreams;
  /** A transport that takes over a GraphQL POST once its body is read (subscriptions over multipart HTTP): answers the requests it accepts instead of Apollo. */
  postedStreams?: PostedGraphQLStreams;
  /** Where an unexpected failure to answer is logged (the client gets INTERNAL_SERVER_ERROR only). */
  logger: Logger;
}

/** A whole GraphQL answer over HTTP, as Apollo Server would send it. */
export interface DirectAnswer {
  status: number;
  headers: Iterable<readonly [string, string]>;
  body: string;
}

export type AnswerDirectly<TContext> = (req: IncomingMessage, body: Readonly<Record<string, unknown>>, context: TContext) => Promise<DirectAnswer | null>;

export interface GraphQLStreams {
  accepts(req: IncomingMessage): boolean;
  serve: Route;
}

export interface PostedGraphQLStreams {
  /** Whether this transport answers the POST, given its JSON body as parsed (text when it was not sent as JSON). */
  accepts(req: IncomingMessage, body: unknown): boolean;
  serve(req: IncomingMessage, res: ServerResponse, body: unknown): Promise<void>;
}

const DEFAULT_MAX_BODY_BYTES = 1024 * 1024;

export function createGraphQLHttpServer<TContext extends BaseContext>(options: GraphQLHttpOptions<TContext>): Server {
  const paths = new Set(options.graphqlPaths);
  const maxBody = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  return createServer((req, res) => {
    if (options.intercept?.(req, res)) return;
    const url = new URL(req.url ?? '/', 'http://localhost');
    const route = options.routes?.[url.pathname] ?? prefixRoute(options.prefixRoutes, url.pathname);
    const streams = paths.has(url.pathname) && options.streams?.accepts(req) ? options.streams : undefined;
    const requestId = requestIdOf(req);
    res.setHeader('x-request-id', requestId);
    // Requests continue the caller's trace (W3C traceparent), so spans below join it,
    // and run in their request's scope, so log lines below name it. A GraphQL
    // request runs in a span of its own, named in its `traceresponse` header.
    const serve = () => {
      const parent = extractTraceContext(req.headers);
      if (!route && !streams && paths.has(url.pathname)) {
        const attributes = { 'http.method': req.method ?? 'GET', 'url.path': url.pathname };
        return inRequestSpan('http.request', attributes, () => serveGraphQL(options, req, res, url.search, maxBody), parent);
      }
      return otelContext.with(parent, () =>
        route
          ? Promise.resolve(route(req, res))
          : streams
            ? Promise.resolve(streams.serve(req, res))
            : Promise.resolve(sendError(res, 404, ErrorCode.BAD_REQUEST, 'Nothing is served at this path.')),
      );
    };
    const handled = requestScope.run({ requestId }, serve);
    handled.catch((error: unknown) => {
      if (!(error instanceof BodyError)) requestScope.run({ requestId }, () => options.logger.error({ err: error, path: url.pathname }, 'unexpected error answering a request'));
      if (res.headersSent) res.destroy();
      else if (error instanceof BodyError) {
        // What is left of a body too large is not read: the connection closes after the answer.
        if (error.status === 413) res.setHeader('connection', 'close');
        sendError(res, error.status, error.code, error.message);
      }
      else sendError(res, 500, ErrorCode.INTERNAL_SERVER_ERROR, 'Internal server error');
    });
  });
}

function prefixRoute(routes: Readonly<Record<string, Route>> | undefined, pathname: string): Route | undefined {
  for (const [prefix, route] of Object.entries(routes ?? {})) {
    if (pathname === prefix || pathname.startsWith(`${prefix}/`)) return route;
  }
  return undefined;
}

async function serveGraphQL<TContext extends BaseContext>(
  options: GraphQLHttpOptions<TContext>,
  req: IncomingMessage,
  res: ServerResponse,
  search: string,
  maxBody: number,
): Promise<void> {
  // Set first, so refusals below name their trace too.
  const traced = traceResponse();
  if (traced) res.setHeader('traceresponse', traced);
  const text = req.method === 'POST' ? await readRawBody(req, maxBody) : undefined;
  let caller: Caller | undefined;
  if (options.identify) {
    const admitted = options.identify(req, text ?? search);
    if (!admitted) {
      sendError(res, 401, ErrorCode.UNAUTHENTICATED, 'This service answers the gateway only.');
      return;
    }
    caller = admitted;
  }
  const parsed = text === undefined ? undefined : parseJsonBody(req, text);
  if (parsed !== undefined && options.postedStreams?.accepts(req, parsed)) return options.postedStreams.serve(req, res, parsed);
  const body = parsed !== undefined && options.prepareBody ? options.prepareBody(parsed, req) : parsed;
  // Made once: a request the direct path leaves to Apollo Server (or fails to make) is answered with the same outcome.
  let contextValue: Promise<TContext> | undefined;
  const context = () => (contextValue ??= options.context(req, res, caller));
  const direct = options.answerDirectly && directRequest(req, body, search);
  if (direct) {
    const answer = await context().then(
      (value) => options.answerDirectly!(req, direct, value),
      () => null,
    );
    if (answer) {
      res.statusCode = answer.status;
      for (const [name, value] of answer.headers) res.setHeader(name, value);
      if (options.answers) await sendAnswer(req, res, answer.body, options.answers);
      else res.end(answer.body);
      return;
    }
  }
  const headers = new HeaderMap();
  for (const [name, value] of Object.entries(req.headers)) {
    if (value !== undefined) headers.set(name, Array.isArray(value) ? value.join(', ') : value);
  }
  const response = await options.apollo.executeHTTPGraphQLRequest({ httpGraphQLRequest: { method: req.method ?? 'GET', headers, search, body }, context });
  res.statusCode = response.status ?? 200;
  for (const [name, value] of response.headers) res.setHeader(name, value);
  // An executor that answers in parts (@defer) left the rest in the request's scope.
  const later = takeLater();
  if (response.body.kind === 'complete') {
    if (later) await writeMultipart(res, response.body.string, later, (error) => options.logger.error({ err: error }, 'unexpected error answering in parts'));
    else if (options.answers) await sendAnswer(req, res, response.body.string, options.answers);
    else res.end(response.body.string);
    return;
  }
  for await (const chunk of response.body.asyncIterator) res.write(chunk);
  res.end();
}

/** A request the server refuses before it reaches GraphQL; answered with `status` and a GraphQL error carrying `code`. */
export class BodyError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly code: PublicErrorCode = ErrorCode.BAD_REQUEST,
  ) {
    super(message);
  }
}

/**
 * The request's fields when Apollo Server would take it as it is: a POST of
 * one JSON object sent as JSON, or a GET that its CSRF rule admits (a JSON
 * content type or a preflight header), that does not ask for the landing page
 * and names each field at most once, with JSON where JSON belongs. Null leaves
 * the request to Apollo Server, which answers or refuses it itself.
 */
function directRequest(req: IncomingMessage, body: unknown, search: string): Record<string, unknown> | null {
  const contentType = req.headers['content-type'];
  const json = contentType !== undefined && /^application\/json\s*(?:;|$)/i.test(contentType);
  if (req.method === 'POST') return json && typeof body === 'object' && body !== null && !Array.isArray(body) ? (body as Record<string, unknown>) : null;
  if (req.method !== 'GET' || (contentType !== undefined && !json) || prefersHtml(req.headers.accept)) return null;
  if (!json && !CSRF_PREFLIGHT_HEADERS.some((name) => (req.headers[name] ?? '').length > 0)) return null;
  const params = new URLSearchParams(search);
  const fields: Record<string, unknown> = {};
  for (const name of ['query', 'operationName', 'variables', 'extensions']) {
    const values = params.getAll(name);
    if (values.length > 1) return null;
    if (values.length === 0) continue;
    if (name === 'query' || name === 'operationName') fields[name] = values[0];
    else {
      const parsed = parseJsonOrUndefined(values[0]!);
      if (parsed === undefined) return null;
      fields[name] = parsed;
    }
  }
  return fields;
}

/** Headers whose presence Apollo Server's CSRF prevention takes as proof of a preflighted request. */
const CSRF_PREFLIGHT_HEADERS = ['x-apollo-operation-name', 'apollo-require-preflight'];

/** The media types Apollo Server weighs when a GET may want its landing page. */
const GET_MEDIA_TYPES = [
  'application/json; charset=utf-8',
  'application/graphql-response+json; charset=utf-8',
  'multipart/mixed; deferSpec=20220824',
  'multipart/mixed; incrementalSpec=v0.2',
  'multipart/mixed',
  'text/html',
];

/** Whether Apollo Server would answer a GET with `accept` with its landing page. */
function prefersHtml(accept: string | undefined): boolean {
  return accept !== undefined && preferredMediaType(accept, GET_MEDIA_TYPES) === 'text/html';
}

/** A JSON body parsed; a non-JSON content type is passed on as text for Apollo to refuse. */
function parseJsonBody(req: IncomingMessage, text: string): unknown {
  if (!(req.headers['content-type'] ?? '').includes('json')) return text;
  if (text.length === 0) return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new BodyError(400, 'The request body is not valid JSON.');
  }
}

/**
 * Reads the whole body as UTF-8 text; past `limit` bytes (declared or sent)
 * the request is refused with 413, and a body cut short with 400. raw-body
 * reads on the stream's events: an async iterator would cost a dozen promises
 * per request, each paying the async hooks that request scopes run on.
 */
export async function readRawBody(req: IncomingMessage, limit: number): Promise<string> {
  try {
    return (await getRawBody(req, { limit, length: req.headers['content-length'] ?? null })).toString('utf8');
  } catch (error) {
    const type = (error as { type?: unknown }).type;
    if (type === 'entity.too.large') throw new BodyError(413, `The request body is over ${limit} bytes.`);
    if (type === 'request.aborted' || type === 'request.size.invalid') throw new BodyError(400, 'The request body ended before its declared length.');
    throw error;
  }
}

/**
 * An error answer in the shape of a GraphQL response, whatever refused the
 * request, so that clients read every refusal the same way: by its code.
 */
export function sendError(res: ServerResponse, status: number, code: PublicErrorCode, message: string): void {
  sendJson(res, status, { errors: [{ message, extensions: { code } }] });
}

export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

/**
 * How long an idle kept-alive connection stays open: longer than the idle
 * timeouts of common load balancers and proxies (60 s), so that they, not this
 * server, close an idle connection, and never send a request on one this
 * server has just closed. HTTP_KEEP_ALIVE_TIMEOUT_MS sets it for every process.
 */
export const DEFAULT_KEEP_ALIVE_TIMEOUT_MS = 65_000;

export function keepAliveTimeoutMs(env: Record<string, string | undefined> = process.env): number {
  return readConfig(z.object({ HTTP_KEEP_ALIVE_TIMEOUT_MS: wholeNumber(DEFAULT_KEEP_ALIVE_TIMEOUT_MS, 1000, 290_000) }), env).HTTP_KEEP_ALIVE_TIMEOUT_MS;
}

/** The connections of each server started by `listen`, so a stop can reach the requests in flight on them. */
const openConnections = new WeakMap<Server, Set<Socket>>();

function trackConnections(server: Server): void {
  if (openConnections.has(server)) return;
  const sockets = new Set<Socket>();
  openConnections.set(server, sockets);
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
}

/** Starts listening and resolves with the port actually bound (port 0 asks the OS). */
export function listen(server: Server, port: number, host: string, idleTimeoutMs = keepAliveTimeoutMs()): Promise<number> {
  trackConnections(server);
  server.keepAliveTimeout = idleTimeoutMs;
  // A request's headers on a kept-alive connection must be allowed past the idle timeout's end.
  server.headersTimeout = Math.max(server.headersTimeout, idleTimeoutMs + 1000);
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

/** How long a stopping process lets requests in flight finish; deployments size their termination grace above it. */
export const DRAIN_GRACE_MS = 10_000;

/** How often a stopping server looks for connections whose last request has finished. */
const DRAIN_SWEEP_MS = 50;

/** Node's own link from a connection to the answer it is sending now (set by the server for the request it is answering). */
type AnsweringSocket = Socket & { _httpMessage?: ServerResponse | null };

/**
 * Stops accepting connections, lets requests in flight finish, and resolves
 * when all connections are gone. Each answer not yet begun, in flight now or
 * arriving meanwhile, says `Connection: close` and closes its connection, so
 * a client never sends another request on a connection about to close, and a
 * stop ends with its last request rather than when clients happen to hang up.
 * An answer already under way keeps its connection until it ends; then that
 * connection is closed as idle. Past `graceMs` the remaining connections are
 * cut, so a stop is bounded even when a client keeps a request open.
 */
export function close(server: Server, graceMs = DRAIN_GRACE_MS): Promise<void> {
  return new Promise((resolve, reject) => {
    const force = setTimeout(() => server.closeAllConnections(), graceMs);
    force.unref();
    const lastOnConnection = (response: ServerResponse | null | undefined) => {
      if (response && !response.headersSent) response.shouldKeepAlive = false;
    };
    for (const socket of openConnections.get(server) ?? []) lastOnConnection((socket as AnsweringSocket)._httpMessage);
    const onRequest = (_request: IncomingMessage, response: ServerResponse) => lastOnConnection(response);
    server.prependListener('request', onRequest);
    // Node closes only the connections idle at close(): those whose answer was already under way would wait for their client or the grace.
    const sweep = setInterval(() => server.closeIdleConnections(), DRAIN_SWEEP_MS);
    sweep.unref();
    server.close((error) => {
      clearTimeout(force);
      clearInterval(sweep);
      server.off('request', onRequest);
      if (error) reject(error);
      else resolve();
    });
    server.closeIdleConnections();
  });
}
