// How the gateway reaches one subgraph: a keep-alive connection pool, a
// per-subgraph timeout, one retry of a read whose connection failed, identical
// reads in flight shared (not across a fact change), the caller's identity
// sealed over the exact body sent, and every failure named (timeout,
// unreachable) for the client's error. Writes are never retried or shared.
// Both the plan executor and @apollo/gateway's data sources send through it.
import { errors, Pool, type Dispatcher } from 'undici';
import { GraphQLError } from 'graphql';
import { bodyDigest, IDENTITY_HEADER, sealIdentityOverDigest } from '@interop/kit/security';
import { GatewayErrorCode } from './__generated__/error-codes';
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

/** What the client learns of a failed fetch: the subgraph, and whether it timed out or could not be reached. */
export function fetchFailureError(error: SubgraphFetchError): GraphQLError {
  const timeout = error.failure === 'timeout';
  return new GraphQLError(`The ${error.subgraph} subgraph ${timeout ? 'did not answer in time' : 'is unavailable'}.`, {
    extensions: { code: timeout ? GatewayErrorCode.GATEWAY_TIMEOUT : GatewayErrorCode.SUBGRAPH_UNAVAILABLE, subgraph: error.subgraph },
    originalError: error,
  });
}

/** A subgraph that answered with a server error status is unavailable to the client. */
export function unavailableStatusError(subgraph: string, status: number, originalError?: Error): GraphQLError {
  return new GraphQLError(`The ${subgraph} subgraph is unavailable.`, {
    extensions: { code: GatewayErrorCode.SUBGRAPH_UNAVAILABLE, subgraph, status },
    ...(originalError ? { originalError } : {}),
  });
}

export interface SubgraphReply {
  status: number;
  /** Lower-case names, as undici gives them. */
  headers: Readonly<Record<string, string | string[] | undefined>>;
  body: string;
}

export interface SubgraphTransportOptions {
  subgraph: string;
  url: string;
  timeoutMs: number;
  /** Seals the identity claims over the body actually sent. */
  signingSecret: string;
  metrics?: GatewayMetrics;
  /** Identical reads are shared only while this stays the same (it moves when facts change: see facts-heard). */
  epoch?: () => number;
  /** Connections kept open to the subgraph; more requests than this wait for one. */
  connections?: number;
}

export interface SubgraphSend {
  body: string;
  /** Headers that may differ between requests sharing one read (request id, trace context). */
  headers: Record<string, string>;
  /** The caller's identity claims (see the kit's identity), sealed here over `body`. */
  claims: string;
  /**
   * Who the read is for, as far as sharing it goes: reads of the same body
   * for the same `sharedBy` share one request. The claims carry the second
   * they expire in, so without this two requests of one caller a second apart
   * would not share; the claims themselves when absent.
   */
  sharedBy?: string;
  /** Reads are shared and retried; writes never. */
  write: boolean;
}

const DEFAULT_CONNECTIONS = 64;

/** A request as it goes out: its body's bytes and their digest, taken once for every attempt. */
interface Outgoing {
  request: SubgraphSend;
  bytes: Buffer;
  digest: string;
}

export class SubgraphTransport {
  readonly subgraph: string;
  readonly url: string;
  private readonly pool: Pool;
  private readonly path: string;
  private readonly inflight = new Map<string, Promise<SubgraphReply>>();
  private readonly observed: Record<string, { observe(seconds: number): void }> = {};

  constructor(private readonly options: SubgraphTransportOptions) {
    const url = new URL(options.url);
    this.subgraph = options.subgraph;
    this.url = options.url;
    this.path = `${url.pathname}${url.search}`;
    this.pool = new Pool(url.origin, { connections: options.connections ?? DEFAULT_CONNECTIONS, pipelining: 1 });
  }

  send(request: SubgraphSend): Promise<SubgraphReply> {
    // The body is encoded once: its bytes are what is sent, and their digest is what the seal covers and
    // what reads are shared by (two different bodies never share a SHA-256).
    const bytes = Buffer.from(request.body, 'utf8');
    const outgoing: Outgoing = { request, bytes, digest: bodyDigest(bytes) };
    if (request.write) return this.attempt(outgoing);
    const key = `${this.options.epoch?.() ?? 0}\n${request.sharedBy ?? request.claims}\n${outgoing.digest}`;
    let shared = this.inflight.get(key);
    if (!shared) {
      shared = this.read(outgoing).finally(() => this.inflight.delete(key));
      this.inflight.set(key, shared);
    }
    return shared;
  }

  close(): Promise<void> {
    return this.pool.close();
  }

  private async read(outgoing: Outgoing): Promise<SubgraphReply> {
    try {
      return await this.attempt(outgoing);
    } catch (error) {
      // A refused or reset connection may be a subgraph restarting: one more try. A timeout is not retried.
      if (error instanceof SubgraphFetchError && error.failure === 'unreachable') return this.attempt(outgoing);
      throw error;
    }
  }

  private async attempt({ request, bytes, digest }: Outgoing): Promise<SubgraphReply> {
    const started = performance.now();
    // undici's own timers (no AbortSignal and timer of our own per request): the wait for the answer's
    // headers, then for each part of its body, each bounded by the subgraph's timeout.
    const timeout = this.options.timeoutMs;
    try {
      const reply = await requestText(this.pool, {
        path: this.path,
        method: 'POST',
        headers: {
          ...request.headers,
          'content-type': 'application/json',
          [IDENTITY_HEADER]: sealIdentityOverDigest(this.options.signingSecret, request.claims, digest),
        },
        body: bytes,
        headersTimeout: timeout,
        bodyTimeout: timeout,
      });
      this.observe(reply.status >= 200 && reply.status < 300 ? 'ok' : 'status', started);
      return reply;
    } catch (error) {
      const failure: FetchFailure = error instanceof errors.HeadersTimeoutError || error instanceof errors.BodyTimeoutError ? 'timeout' : 'unreachable';
      this.observe(failure, started);
      this.options.metrics?.fetchFailures.inc({ subgraph: this.subgraph, reason: failure });
      throw new SubgraphFetchError(this.subgraph, failure, error);
    }
  }

  private observe(outcome: string, started: number): void {
    const metrics = this.options.metrics;
    if (!metrics) return;
    const histogram = (this.observed[outcome] ??= metrics.fetchLatency.labels({ subgraph: this.subgraph, outcome }));
    histogram.observe((performance.now() - started) / 1000);
  }
}

/**
 * Sends one request and reads its answer whole, straight from the connection:
 * a subgraph's answer is parsed only once complete, so a body stream in
 * between would cost per request and buy nothing.
 */
function requestText(pool: Pool, options: Dispatcher.DispatchOptions): Promise<SubgraphReply> {
  return new Promise((resolve, reject) => {
    let status = 0;
    let headers: SubgraphReply['headers'] = {};
    let chunks: Buffer[] = [];
    pool.dispatch(options, {
      // Its presence is what marks this handler as undici's current (controller) interface.
      onRequestStart() {},
      onResponseStart(_controller, statusCode, responseHeaders) {
        status = statusCode;
        headers = responseHeaders;
        chunks = [];
      },
      onResponseData(_controller, chunk) {
        chunks.push(chunk);
      },
      onResponseEnd() {
        resolve({ status, headers, body: (chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks)).toString('utf8') });
      },
      onResponseError(_controller, error) {
        reject(error);
      },
    });
  });
}
