// Every `extensions.code` the graph sends (see docs/errors.md for what each
// means). The list is written from error-codes.yaml by `npm run docs`, as the
// schema's `enum ErrorCode` is, so an exhaustive `switch` over `ErrorCode`
// covers everything a client can be told. It is plain data in this package:
// the published SDK depends on nothing for it.
import { ERROR_CODES } from './__generated__/error-codes';

export { ERROR_CODES };

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
