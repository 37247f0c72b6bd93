// One attempt at a subscription, over graphql-ws where there is a WebSocket to
// use (a browser's, Node 22's, or one the caller gives: the `ws` package on
// Node 20), else over graphql-sse (Server-Sent Events on fetch, which every
// platform has). The gateway serves both on its GraphQL path. The attempt
// yields each result's data and fails with the SDK's own errors; neither
// library retries on its own, so the caller (follow.ts) decides what to try
// again.
import { createClient as createSseClient, NetworkError } from 'graphql-sse';
import { createClient as createWsClient } from 'graphql-ws/client';
import { InteropError, InteropTransportError, type CallFailure, type GraphQLErrorEntry } from './errors';
import { retryAfterMs } from './retry-policy';

/** A WebSocket class, as browsers, Node 22 and the `ws` package have it. */
export type WebSocketConstructor = new (url: string, protocols?: string | string[]) => unknown;

export interface SubscriptionSettings {
  /** The gateway's GraphQL endpoint over HTTP; the WebSocket URL is the same with ws: or wss:. */
  url: string;
  headers: Readonly<Record<string, string>>;
  fetch: typeof fetch;
  /** The WebSocket to use; undefined for Server-Sent Events. */
  webSocket: WebSocketConstructor | undefined;
  /** How long the first result may take. */
  timeoutMs: number;
}

export interface SubscriptionRequest {
  query: string;
  variables: Record<string, unknown>;
}

/** A result as it came over the wire: its errors are plain JSON, whatever type the library gives them. */
interface FormattedResult {
  data?: unknown;
  errors?: readonly unknown[] | undefined;
}

interface Connection {
  results: AsyncIterableIterator<FormattedResult>;
  /** The library's failure as the SDK's error. */
  failure(error: unknown): Promise<InteropError | InteropTransportError>;
  dispose(): void;
}

/** Subscriptions send no mutation, so no failure carries an idempotency key. */
const ONE_ATTEMPT: CallFailure = { idempotencyKey: undefined, attempts: 1 };

/** The WebSocket this platform offers, if any. */
export function platformWebSocket(): WebSocketConstructor | undefined {
  const candidate = (globalThis as { WebSocket?: unknown }).WebSocket;
  return typeof candidate === 'function' ? (candidate as WebSocketConstructor) : undefined;
}

export async function* subscribeOnce<TData>(settings: SubscriptionSettings, request: SubscriptionRequest, signal?: AbortSignal): AsyncGenerator<TData, void, undefined> {
  signal?.throwIfAborted();
  const connection = settings.webSocket ? webSocketConnection(settings, settings.webSocket, request) : sseConnection(settings, request);
  let timedOut = false;
  const firstResultTimer = setTimeout(() => {
    timedOut = true;
    connection.dispose();
  }, settings.timeoutMs);
  const onAbort = () => connection.dispose();
  signal?.addEventListener('abort', onAbort, { once: true });
  const timeout = () => new InteropTransportError('timeout', `No first result within ${settings.timeoutMs} ms.`, {}, ONE_ATTEMPT);
  try {
    for await (const result of connection.results) {
      clearTimeout(firstResultTimer);
      if (result.errors && result.errors.length > 0) {
        const errors = result.errors as readonly GraphQLErrorEntry[];
        const details = { status: 200, requestId: undefined, retryAfterMs: retryAfterMs(null, errors[0]?.extensions) };
        throw new InteropError(errors, details, ONE_ATTEMPT);
      }
      if (result.data === undefined || result.data === null) throw new InteropTransportError('http', 'A subscription result without data.', {}, ONE_ATTEMPT);
      yield result.data as TData;
    }
    if (signal?.aborted) throw signal.reason;
    if (timedOut) throw timeout();
  } catch (error) {
    if (signal?.aborted) throw signal.reason;
    if (timedOut) throw timeout();
    throw await connection.failure(error);
  } finally {
    clearTimeout(firstResultTimer);
    signal?.removeEventListener('abort', onAbort);
    connection.dispose();
  }
}

function webSocketConnection(settings: SubscriptionSettings, webSocket: WebSocketConstructor, request: SubscriptionRequest): Connection {
  const url = new URL(settings.url);
  url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
  const client = createWsClient({
    url: url.href,
    webSocketImpl: webSocket,
    // A browser cannot set headers on a WebSocket: the gateway reads the credential from connection_init.
    connectionParams: { ...settings.headers },
    lazy: true,
    retryAttempts: 0,
    connectionAckWaitTimeout: settings.timeoutMs,
  });
  return {
    results: client.iterate(request),
    failure: async (error) => webSocketFailure(error),
    dispose: () => void client.dispose(),
  };
}

/** graphql-ws fails with the `error` message's errors, the close event, or the socket's error event. */
function webSocketFailure(error: unknown): InteropError | InteropTransportError {
  if (error instanceof InteropError || error instanceof InteropTransportError) return error;
  if (Array.isArray(error)) return new InteropError(error as GraphQLErrorEntry[], { status: 200, requestId: undefined, retryAfterMs: undefined }, ONE_ATTEMPT);
  const close = closeOf(error);
  if (close === undefined) return new InteropTransportError('network', 'The WebSocket to the graph failed.', { cause: error }, ONE_ATTEMPT);
  // The gateway closes with 4401 or 4403 and the error code as the reason when it refuses the credential.
  if (close.code === 4401 || close.code === 4403) {
    const errors = [{ message: `The graph refused the credential (${close.reason}).`, extensions: { code: close.reason } }];
    return new InteropError(errors, { status: close.code - 4000, requestId: undefined, retryAfterMs: undefined }, ONE_ATTEMPT);
  }
  const message = `The graph closed the WebSocket with ${close.code}.`;
  if (close.code === 4504 || close.code === 4408) return new InteropTransportError('timeout', message, { cause: error }, ONE_ATTEMPT);
  // graphql-ws's other 44xx codes mirror the HTTP statuses of a request that is wrong as sent, which no retry mends.
  if (close.code >= 4400 && close.code < 4500) return new InteropTransportError('http', message, { status: close.code - 4000, cause: error }, ONE_ATTEMPT);
  return new InteropTransportError('network', message, { cause: error }, ONE_ATTEMPT);
}

function closeOf(error: unknown): { code: number; reason: string } | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const { code, reason } = error as { code?: unknown; reason?: unknown };
  return typeof code === 'number' ? { code, reason: String(reason ?? '') } : undefined;
}

function sseConnection(settings: SubscriptionSettings, request: SubscriptionRequest): Connection {
  const client = createSseClient({
    url: settings.url,
    headers: { ...settings.headers },
    fetchFn: settings.fetch,
    retryAttempts: 0,
  });
  return {
    results: client.iterate(request),
    failure: sseFailure,
    dispose: () => client.dispose(),
  };
}

/** graphql-sse fails with a NetworkError, holding the response when the gateway refused the stream (401, 403, 429 with `{ errors }`). */
async function sseFailure(error: unknown): Promise<InteropError | InteropTransportError> {
  if (error instanceof InteropError || error instanceof InteropTransportError) return error;
  const response = error instanceof NetworkError ? (error.response as Response | undefined) : undefined;
  if (!response) return new InteropTransportError('network', 'The event stream from the graph failed.', { cause: error }, ONE_ATTEMPT);
  const answer = (await response.json().catch(() => undefined)) as { errors?: unknown } | undefined;
  if (Array.isArray(answer?.errors) && answer.errors.length > 0) {
    const errors = answer.errors as GraphQLErrorEntry[];
    const details = {
      status: response.status,
      requestId: response.headers.get('x-request-id') ?? undefined,
      retryAfterMs: retryAfterMs(response.headers.get('retry-after'), errors[0]?.extensions),
    };
    return new InteropError(errors, details, ONE_ATTEMPT);
  }
  return new InteropTransportError('http', `HTTP ${response.status} without an event stream.`, { status: response.status, cause: error }, ONE_ATTEMPT);
}
