// The error codes clients see in `extensions.code`. They are part of the public
// contract: partner apps branch on them, so a code is never renamed or reused.
// The payments schema's `enum ErrorCode` states each of them, with the Apollo
// Server codes below, for clients and for docs/errors.md; a test keeps the two equal.
import { GraphQLError } from 'graphql';

export const ErrorCode = {
  /** An argument is malformed, out of range or names something that does not exist. */
  BAD_USER_INPUT: 'BAD_USER_INPUT',
  /** A subgraph needed another subgraph's facts (or the wallet's) and could not get them in time, or lost its database connection; `extensions.dependency` names which. */
  DEPENDENCY_UNAVAILABLE: 'DEPENDENCY_UNAVAILABLE',
  /** The gateway could not reach a subgraph (refused, reset, or an error status); `extensions.subgraph` names it. */
  SUBGRAPH_UNAVAILABLE: 'SUBGRAPH_UNAVAILABLE',
  /** A subgraph did not answer within its timeout; `extensions.subgraph` names it. */
  GATEWAY_TIMEOUT: 'GATEWAY_TIMEOUT',
  /** The operation nests deeper than the gateway allows; nothing was run. */
  OPERATION_TOO_DEEP: 'OPERATION_TOO_DEEP',
  /** The operation uses more aliases than the gateway allows; nothing was run. */
  TOO_MANY_ALIASES: 'TOO_MANY_ALIASES',
  /** The operation asks for more root fields than the gateway allows; nothing was run. */
  TOO_MANY_ROOT_FIELDS: 'TOO_MANY_ROOT_FIELDS',
  /** The operation's estimated cost (fields times list sizes) is over the gateway's limit; nothing was run. */
  OPERATION_TOO_EXPENSIVE: 'OPERATION_TOO_EXPENSIVE',
  /** The operation's text has more tokens than the gateway reads; nothing was parsed or run. */
  TOO_MANY_TOKENS: 'TOO_MANY_TOKENS',
  /** The operation's text defines more fragments than the gateway allows; nothing was parsed or run. */
  TOO_MANY_FRAGMENTS: 'TOO_MANY_FRAGMENTS',
  /** The request carries a credential the gateway does not accept (unknown, expired, badly signed or for another audience), or a field needs a credential and none was given. */
  UNAUTHENTICATED: 'UNAUTHENTICATED',
  /** The credential is valid but may not do this: a scope is missing, or the payment, merchant or opt-in belongs to someone else. The field is null; the rest of the response stands. */
  FORBIDDEN: 'FORBIDDEN',
  /** The caller used up its requests for the current window (HTTP 429); `extensions.retryAfterSeconds` says when to retry; nothing was run. */
  RATE_LIMITED: 'RATE_LIMITED',
  /** Anything unexpected; details are logged, never sent. */
  INTERNAL_SERVER_ERROR: 'INTERNAL_SERVER_ERROR',
  /** The tool is not an effective checkout option for that merchant on that platform now; `extensions.reason` says why. */
  PAYMENT_TOOL_NOT_ACCEPTED: 'PAYMENT_TOOL_NOT_ACCEPTED',
  /** The merchant is suspended and may not take payments or open tools. */
  MERCHANT_SUSPENDED: 'MERCHANT_SUSPENDED',
  /** The merchant does not meet the rules for opening a payment tool itself. */
  MERCHANT_INELIGIBLE: 'MERCHANT_INELIGIBLE',
  /** The amount is not a positive integer in minor units, is not in CNY, or is below the tool's minimum (reason UNDER_LIMIT). */
  INVALID_AMOUNT: 'INVALID_AMOUNT',
  /** The amount is above the tool's per-payment limit. */
  AMOUNT_OVER_LIMIT: 'AMOUNT_OVER_LIMIT',
  /** The idempotency key was already used with different input. */
  IDEMPOTENCY_KEY_REUSED: 'IDEMPOTENCY_KEY_REUSED',
  /** The payment's status does not allow that change. */
  INVALID_STATE: 'INVALID_STATE',
  /** A refund would take back more than was captured and not yet refunded. */
  REFUND_EXCEEDS_CAPTURED: 'REFUND_EXCEEDS_CAPTURED',
  /** A webhook endpoint's URL is plain http or reaches a loopback, private, link-local or metadata address where the deployment does not allow it. */
  WEBHOOK_URL_NOT_ALLOWED: 'WEBHOOK_URL_NOT_ALLOWED',
  /** A connection or caller already holds as many subscriptions as the gateway allows; `extensions.limit` and `extensions.scope` say which. */
  TOO_MANY_SUBSCRIPTIONS: 'TOO_MANY_SUBSCRIPTIONS',
  /** The operation type is not served on this transport: subscriptions over WebSocket, Server-Sent Events or multipart HTTP, queries and mutations over HTTP or WebSocket. */
  OPERATION_NOT_SUPPORTED: 'OPERATION_NOT_SUPPORTED',
  /** The operation uses @defer and the request's `accept` does not take `multipart/mixed; deferSpec=20220824` (HTTP 406); nothing was run. Apollo Router's code for the same refusal. */
  DEFER_BAD_HEADER: 'DEFER_BAD_HEADER',
  /** The caller may send trusted documents only (its key's trustedDocuments mode is enforce), and this one is not in the gateway's manifest (HTTP 400); nothing was parsed or run. */
  PERSISTED_QUERY_NOT_ALLOWED: 'PERSISTED_QUERY_NOT_ALLOWED',
} as const;

export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

// INTERNAL_SERVER_ERROR is what Apollo gives every unexpected throw, so it is never safe as it stands.
const knownCodes = new Set<string>(Object.values(ErrorCode).filter((code) => code !== ErrorCode.INTERNAL_SERVER_ERROR));

/** Codes that Apollo Server itself attaches to request errors and that are safe to show. */
export const APOLLO_SERVER_ERROR_CODES = [
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'BAD_REQUEST',
  'PERSISTED_QUERY_NOT_FOUND',
  'PERSISTED_QUERY_NOT_SUPPORTED',
  'OPERATION_RESOLUTION_FAILURE',
] as const;

const serverCodes = new Set<string>(APOLLO_SERVER_ERROR_CODES);

/** An error meant for the client: a stable code plus a message safe to show. */
export class AppError extends GraphQLError {
  constructor(code: ErrorCode, message: string, extensions: Record<string, unknown> = {}) {
    super(message, { extensions: { ...extensions, code } });
    this.name = 'AppError';
  }
}

/** A bad argument; `argument` names it so clients can point at the field. */
export function badUserInput(argument: string, message: string): AppError {
  return new AppError(ErrorCode.BAD_USER_INPUT, message, { argument });
}

export function dependencyUnavailable(dependency: string, cause?: unknown): AppError {
  const error = new AppError(
    ErrorCode.DEPENDENCY_UNAVAILABLE,
    `The ${dependency} service did not answer; nothing was changed.`,
    { dependency },
  );
  if (cause !== undefined) (error as { cause?: unknown }).cause = cause;
  return error;
}

/** No credential, where one is needed. */
export function unauthenticated(message = 'This needs a credential: an API key or a bearer token.'): AppError {
  return new AppError(ErrorCode.UNAUTHENTICATED, message);
}

export function forbidden(message: string, extensions: Record<string, unknown> = {}): AppError {
  return new AppError(ErrorCode.FORBIDDEN, message, extensions);
}

/** True when the error carries a code the client may see as it is. */
export function isClientSafe(code: unknown): boolean {
  return typeof code === 'string' && (knownCodes.has(code) || serverCodes.has(code));
}
