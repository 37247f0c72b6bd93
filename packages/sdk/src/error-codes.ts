// Every `extensions.code` the graph sends, as the schema's `enum ErrorCode`
// states them (see docs/errors.md for what each means). A test keeps this list
// equal to the schema's enum, so an exhaustive `switch` over `ErrorCode` covers
// everything a client can be told.

export const ERROR_CODES = [
  'BAD_USER_INPUT',
  'INVALID_AMOUNT',
  'AMOUNT_OVER_LIMIT',
  'PAYMENT_TOOL_NOT_ACCEPTED',
  'MERCHANT_SUSPENDED',
  'MERCHANT_INELIGIBLE',
  'IDEMPOTENCY_KEY_REUSED',
  'INVALID_STATE',
  'REFUND_EXCEEDS_CAPTURED',
  'WEBHOOK_URL_NOT_ALLOWED',
  'UNAUTHENTICATED',
  'FORBIDDEN',
  'RATE_LIMITED',
  'DEPENDENCY_UNAVAILABLE',
  'SUBGRAPH_UNAVAILABLE',
  'GATEWAY_TIMEOUT',
  'OPERATION_TOO_DEEP',
  'TOO_MANY_ALIASES',
  'TOO_MANY_ROOT_FIELDS',
  'OPERATION_TOO_EXPENSIVE',
  'TOO_MANY_TOKENS',
  'TOO_MANY_FRAGMENTS',
  'TOO_MANY_SUBSCRIPTIONS',
  'OPERATION_NOT_SUPPORTED',
  'DEFER_BAD_HEADER',
  'PERSISTED_QUERY_NOT_ALLOWED',
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'BAD_REQUEST',
  'OPERATION_RESOLUTION_FAILURE',
  'PERSISTED_QUERY_NOT_FOUND',
  'PERSISTED_QUERY_NOT_SUPPORTED',
  'INTERNAL_SERVER_ERROR',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

const known = new Set<string>(ERROR_CODES);

export const isErrorCode = (value: unknown): value is ErrorCode => typeof value === 'string' && known.has(value);

/**
 * The codes a call is retried on: the graph or one of its parts did not
 * answer in time, or asked the caller to slow down. Every other code is an
 * answer (the input, the state or the credential is wrong) and would come back
 * the same on a retry.
 */
export const RETRYABLE_CODES: ReadonlySet<ErrorCode> = new Set<ErrorCode>([
  'DEPENDENCY_UNAVAILABLE',
  'SUBGRAPH_UNAVAILABLE',
  'GATEWAY_TIMEOUT',
  'RATE_LIMITED',
]);
