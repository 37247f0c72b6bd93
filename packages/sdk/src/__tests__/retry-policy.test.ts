// When a failed attempt is tried again, and how long the SDK waits first.
import { InteropError, InteropTransportError, isRetryable, type ErrorCode } from '../index';
import { delayBeforeRetry, retryAfterMs } from '../retry-policy';

const call = { idempotencyKey: undefined, attempts: 1 };
const graphError = (code: ErrorCode, status = 200, wait?: number) =>
  new InteropError([{ message: 'x', extensions: { code } }], { status, requestId: undefined, retryAfterMs: wait }, call);
const transport = (reason: 'network' | 'timeout' | 'http', status?: number) =>
  new InteropTransportError(reason, 'x', status === undefined ? {} : { status }, call);

test.each([
  ['SUBGRAPH_UNAVAILABLE', graphError('SUBGRAPH_UNAVAILABLE'), true],
  ['GATEWAY_TIMEOUT', graphError('GATEWAY_TIMEOUT'), true],
  ['DEPENDENCY_UNAVAILABLE', graphError('DEPENDENCY_UNAVAILABLE'), true],
  ['RATE_LIMITED', graphError('RATE_LIMITED', 429), true],
  ['an error with HTTP 500', graphError('INTERNAL_SERVER_ERROR', 500), true],
  ['INTERNAL_SERVER_ERROR with HTTP 200', graphError('INTERNAL_SERVER_ERROR'), false],
  ['BAD_USER_INPUT', graphError('BAD_USER_INPUT'), false],
  ['IDEMPOTENCY_KEY_REUSED', graphError('IDEMPOTENCY_KEY_REUSED'), false],
  ['UNAUTHENTICATED', graphError('UNAUTHENTICATED', 401), false],
  ['GRAPHQL_VALIDATION_FAILED', graphError('GRAPHQL_VALIDATION_FAILED', 400), false],
  ['a failed connection', transport('network'), true],
  ['a timeout', transport('timeout'), true],
  ['a proxy’s 502', transport('http', 502), true],
  ['a 429 without a GraphQL body', transport('http', 429), true],
  ['413', transport('http', 413), false],
  ['404', transport('http', 404), false],
])('%s: retried %s', (_name, error, retried) => {
  expect(isRetryable(error)).toBe(retried);
});

test('the wait is what Retry-After asked for, else a back-off that doubles, with jitter between half and all of it', () => {
  expect(delayBeforeRetry(graphError('RATE_LIMITED', 429, 7_000), 1, 250)).toBe(7_000);
  expect(delayBeforeRetry(transport('network'), 1, 250, () => 1)).toBe(250);
  expect(delayBeforeRetry(transport('network'), 3, 250, () => 1)).toBe(1_000);
  expect(delayBeforeRetry(transport('network'), 3, 250, () => 0)).toBe(500);
  expect(delayBeforeRetry(transport('network'), 30, 250, () => 1)).toBe(10_000);
});

test('Retry-After in seconds or as a date, else extensions.retryAfterSeconds', () => {
  const now = Date.parse('2024-09-04T08:00:00Z');
  expect(retryAfterMs('3', undefined, now)).toBe(3_000);
  expect(retryAfterMs('Wed, 04 Sep 2024 08:00:05 GMT', undefined, now)).toBe(5_000);
  expect(retryAfterMs(null, { retryAfterSeconds: 2 }, now)).toBe(2_000);
  expect(retryAfterMs('soon', undefined, now)).toBeUndefined();
  expect(retryAfterMs(null, {}, now)).toBeUndefined();
});
