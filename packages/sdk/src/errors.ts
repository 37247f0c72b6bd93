// What a failed call throws. InteropError: the graph answered with an error,
// whose `code` is one of the schema's codes. InteropTransportError: no usable
// answer came back (the connection failed, the call timed out, or something
// other than the graph answered). Both carry the call's idempotency key, so a
// mutation can be retried later as the same logical call.
import { isErrorCode, type ErrorCode } from './error-codes';

/** One entry of a GraphQL response's `errors`. */
export interface GraphQLErrorEntry {
  message: string;
  path?: readonly (string | number)[];
  extensions?: Readonly<Record<string, unknown>>;
}

/** What every failed call reports about itself. */
export interface CallFailure {
  /** The idempotency key the mutation sent on every attempt; undefined for reads. */
  idempotencyKey: string | undefined;
  /** How many requests the call sent, retries included. */
  attempts: number;
}

export class InteropError extends Error implements CallFailure {
  /**
   * The first error's `extensions.code`. A code this SDK does not know (sent by a
   * newer graph) is reported as INTERNAL_SERVER_ERROR; `extensions.code` keeps it.
   */
  readonly code: ErrorCode;
  /** The first error's extensions: `argument`, `reason`, `limitMinor`, `retryAfterSeconds`, ... */
  readonly extensions: Readonly<Record<string, unknown>>;
  readonly path: readonly (string | number)[] | undefined;
  /** Every error of the response, the first one included. */
  readonly errors: readonly GraphQLErrorEntry[];
  /** The HTTP status of the response. */
  readonly status: number;
  /** The gateway's id for the request (its `x-request-id`), for finding it in the gateway's logs. */
  readonly requestId: string | undefined;
  /** How long the graph asked the caller to wait (RATE_LIMITED), when it said. */
  readonly retryAfterMs: number | undefined;
  readonly idempotencyKey: string | undefined;
  readonly attempts: number;

  constructor(
    errors: readonly GraphQLErrorEntry[],
    response: { status: number; requestId: string | undefined; retryAfterMs: number | undefined },
    call: CallFailure,
  ) {
    const first = errors[0] ?? { message: 'The graph answered with an empty error list.' };
    super(first.message);
    this.name = 'InteropError';
    const code = first.extensions?.['code'];
    this.code = isErrorCode(code) ? code : 'INTERNAL_SERVER_ERROR';
    this.extensions = first.extensions ?? {};
    this.path = first.path;
    this.errors = errors;
    this.status = response.status;
    this.requestId = response.requestId;
    this.retryAfterMs = response.retryAfterMs;
    this.idempotencyKey = call.idempotencyKey;
    this.attempts = call.attempts;
  }
}

export type TransportFailure =
  /** The connection failed or was cut before an answer came back. */
  | 'network'
  /** No answer within `timeoutMs`. */
  | 'timeout'
  /** An HTTP answer that is not a GraphQL response (a proxy's error page, a URL that is not the graph's). */
  | 'http';

export class InteropTransportError extends Error implements CallFailure {
  readonly reason: TransportFailure;
  /** The HTTP status, for `http`. */
  readonly status: number | undefined;
  readonly idempotencyKey: string | undefined;
  readonly attempts: number;

  constructor(reason: TransportFailure, message: string, details: { status?: number; cause?: unknown }, call: CallFailure) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.name = 'InteropTransportError';
    this.reason = reason;
    this.status = details.status;
    this.idempotencyKey = call.idempotencyKey;
    this.attempts = call.attempts;
  }
}
