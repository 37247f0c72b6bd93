// The SDK's codes: its list is written from error-codes.yaml (the freshness of
// that file is `npm run docs:check`'s, and test/__tests__/error-codes.test.ts
// compares it with the source); here, what the SDK does with it.
import { ERROR_CODES, RETRYABLE_CODES, isErrorCode } from '../index';

const sorted = (values: Iterable<string>) => [...values].sort();

test('every listed code is a code, and nothing else is', () => {
  expect(ERROR_CODES.every(isErrorCode)).toBe(true);
  expect(new Set(ERROR_CODES).size).toBe(ERROR_CODES.length);
  expect(isErrorCode('NOT_A_CODE')).toBe(false);
  expect(isErrorCode(undefined)).toBe(false);
});

test('only codes that say nothing about the request are retryable', () => {
  expect(sorted(RETRYABLE_CODES)).toEqual(['DEPENDENCY_UNAVAILABLE', 'GATEWAY_TIMEOUT', 'RATE_LIMITED', 'SUBGRAPH_UNAVAILABLE']);
  expect([...RETRYABLE_CODES].every(isErrorCode)).toBe(true);
});
