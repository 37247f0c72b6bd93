// Subscribing through a gateway as clients do: graphql-ws over WebSocket,
// graphql-sse over Server-Sent Events (either mode) and Apollo Client over
// multipart HTTP, each with its own client library, and reading results as
// they come (waiting for events, never for time).
import { createClient as createSseClient, type Client as SseClient } from 'graphql-sse';
import { createClient as createWsClient, type Client as WsClient } from 'graphql-ws';
import WebSocket from 'ws';
import type { RunningGateway } from '@interop/gateway';
import { PARTNER_A } from './identities';

export const PAYMENT_UPDATED = /* GraphQL */ `subscription Follow($id: ID!) {
  paymentUpdated(id: $id) { id status merchant { name } platform { name } tool { name } }
}`;

export interface PaymentUpdate {
  paymentUpdated: { id: string; status: string; merchant: { name: string | null }; platform: { name: string | null }; tool: { name: string | null } };
}

export interface WsOptions {
  path?: string;
  /** Credentials in connection_init: PARTNER_A's key unless given; null sends none. */
  connectionParams?: Record<string, unknown> | null;
  /** Connect at once rather than on the first subscription. */
  eager?: boolean;
  onClosed?: (event: { code: number; reason: string }) => void;
}

/** A graphql-ws client that never retries, so a refusal or a close reaches the test as it happened. */
export function wsClient(gateway: RunningGateway, options: WsOptions = {}): WsClient {
  return createWsClient({
    url: `ws://127.0.0.1:${gateway.port}${options.path ?? '/'}`,
    webSocketImpl: WebSocket,
    retryAttempts: 0,
    lazy: !options.eager,
    ...(options.connectionParams === null ? {} : { connectionParams: options.connectionParams ?? { 'x-api-key': PARTNER_A.key } }),
    on: {
      closed: (event) => {
        const { code, reason } = event as { code: number; reason: string };
        options.onClosed?.({ code, reason: String(reason) });
      },
    },
  });
}

/**
 * A graphql-sse client that never retries, sending `headers` (PARTNER_A's key
 * unless given; `{}` sends none): in distinct-connections mode, or with
 * `singleConnection` over one stream it reserves.
 */
export function sseClient(gateway: RunningGateway, headers: Record<string, string> = { 'x-api-key': PARTNER_A.key }, singleConnection = false): SseClient {
  return createSseClient({ url: `http://127.0.0.1:${gateway.port}/graphql`, retryAttempts: 0, headers, singleConnection });
}

/** The values an Observable (Apollo Client's, rxjs) emits, as an async iterator; its error ends the iteration by throwing. */
export function valuesOf<T>(observable: {
  subscribe(observer: { next(value: T): void; error(error: unknown): void; complete(): void }): { unsubscribe(): void };
}): AsyncIterableIterator<T> {
  const queue: IteratorResult<T, undefined>[] = [];
  let failure: { error: unknown } | undefined;
  let wake: (() => void) | undefined;
  const push = (item: IteratorResult<T, undefined>) => {
    queue.push(item);
    wake?.();
  };
  const subscription = observable.subscribe({
    next: (value) => push({ done: false, value }),
    error: (error) => {
      failure = { error };
      wake?.();
    },
    complete: () => push({ done: true, value: undefined }),
  });
  const iterator: AsyncIterableIterator<T> = {
    async next() {
      for (;;) {
        const item = queue.shift();
        if (item) return item;
        if (failure) throw failure.error;
        await new Promise<void>((resolve) => (wake = resolve));
      }
    },
    async return() {
      subscription.unsubscribe();
      return { done: true, value: undefined };
    },
    [Symbol.asyncIterator]() {
      return iterator;
    },
  };
  return iterator;
}

/** Results from `results` until one satisfies `last` (included) or the stream ends. */
export async function readUntil<T>(results: AsyncIterator<T>, last: (result: T) => boolean): Promise<T[]> {
  const read: T[] = [];
  for (;;) {
    const next = await results.next();
    if (next.done) return read;
    read.push(next.value);
    if (last(next.value)) return read;
  }
}

export const statusOf = (result: { data?: unknown }): string | undefined => (result.data as PaymentUpdate | null | undefined)?.paymentUpdated.status;

/** What a stream ended with: its error (the errors array, a close event, or a network error), or `done`. */
export async function ending<T>(results: AsyncIterator<T>): Promise<unknown> {
  try {
    for (;;) if ((await results.next()).done) return 'done';
  } catch (error) {
    return error;
  }
}

/** The first thing a stream gives: its first result, or the error it ends with before one (never waits past that). */
export async function firstOutcome<T>(results: AsyncIterator<T>): Promise<T | unknown> {
  try {
    const first = await results.next();
    await results.return?.();
    return first.done ? 'done' : first.value;
  } catch (error) {
    return error;
  }
}
