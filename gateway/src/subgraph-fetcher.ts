// How the gateway fetches from a subgraph: a per-subgraph timeout, one retry
// of a read whose connection failed, identical reads in flight shared (not
// across a fact change), and every failure named (timeout, unreachable,
// status) for the client's error. Mutations are never retried or shared.
import type { Fetcher, FetcherRequestInit } from '@apollo/utils.fetcher';
import { IDENTITY_HEADER, sealIdentity } from '@interop/kit';
import type { GatewayMetrics } from './metrics';

export type FetchFailure = 'timeout' | 'unreachable';

export class SubgraphFetchError extends Error {
  constructor(
    readonly subgraph: string,
    readonly failure: FetchFailure,
    cause: unknown,
  ) {
    super(`${subgraph}: ${failure}`, { cause });
    this.name = 'SubgraphFetchError';
  }
}

interface Buffered {
  status: number;
  statusText: string;
  headers: [string, string][];
  body: string;
}

export interface SubgraphFetcherOptions {
  subgraph: string;
  timeoutMs: number;
  /** Seals the identity claims the data source wrote, over the body actually sent. */
  signingSecret: string;
  metrics?: GatewayMetrics;
  /** Identical reads are shared only while this stays the same (it moves when facts change: see facts-heard). */
  epoch?: () => number;
}

/** Headers that differ per request but do not change the answer, so shared reads ignore them. */
const PER_REQUEST_HEADERS = new Set(['x-request-id', 'traceparent', 'tracestate']);

// RemoteGraphQLDataSource serialises `{ query, variables, ... }` with `query` first.
const isMutation = (body: string) => /^\{"query":"\s*mutation\b/.test(body);

export function subgraphFetcher(options: SubgraphFetcherOptions): Fetcher {
  const inflight = new Map<string, Promise<Buffered>>();

  async function attempt(url: string, init: FetcherRequestInit): Promise<Buffered> {
    const started = performance.now();
    const observe = (outcome: string) => options.metrics?.fetchLatency.observe({ subgraph: options.subgraph, outcome }, (performance.now() - started) / 1000);
    try {
      const response = await fetch(url, {
        method: init.method ?? 'POST',
        headers: init.headers ?? {},
        body: init.body ?? null,
        signal: AbortSignal.timeout(options.timeoutMs),
      });
      const body = await response.text();
      observe(response.ok ? 'ok' : 'status');
      return { status: response.status, statusText: response.statusText, headers: [...response.headers], body };
    } catch (error) {
      const failure: FetchFailure = error instanceof DOMException && error.name === 'TimeoutError' ? 'timeout' : 'unreachable';
      observe(failure);
      options.metrics?.fetchFailures.inc({ subgraph: options.subgraph, reason: failure });
      throw new SubgraphFetchError(options.subgraph, failure, error);
    }
  }

  async function fetchRead(url: string, init: FetcherRequestInit): Promise<Buffered> {
    try {
      return await attempt(url, init);
    } catch (error) {
      // A refused or reset connection may be a subgraph restarting: one more try. A timeout is not retried.
      if (error instanceof SubgraphFetchError && error.failure === 'unreachable') return attempt(url, init);
      throw error;
    }
  }

  return async (url, unsealed = {}) => {
    const body = typeof unsealed.body === 'string' ? unsealed.body : (unsealed.body?.toString('utf8') ?? '');
    const init = sealed(unsealed, body, options.signingSecret);
    if (isMutation(body)) return toResponse(await attempt(url, init));
    const headers = Object.entries(init.headers ?? {}).filter(([name]) => !PER_REQUEST_HEADERS.has(name.toLowerCase()));
    const key = `${options.epoch?.() ?? 0}\n${url}\n${JSON.stringify(headers)}\n${body}`;
    let shared = inflight.get(key);
    if (!shared) {
      shared = fetchRead(url, init).finally(() => inflight.delete(key));
      inflight.set(key, shared);
    }
    return toResponse(await shared);
  };
}

function sealed(init: FetcherRequestInit, body: string, secret: string): FetcherRequestInit {
  const claims = init.headers?.[IDENTITY_HEADER];
  if (claims === undefined) return init;
  return { ...init, headers: { ...init.headers, [IDENTITY_HEADER]: sealIdentity(secret, claims, body) } };
}

function toResponse(buffered: Buffered): Response {
  return new Response(buffered.body, { status: buffered.status, statusText: buffered.statusText, headers: buffered.headers });
}
