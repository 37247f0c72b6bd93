// The payment lifecycle's table: what may follow each status, and what it
// implies for refunds and for the statuses a change may come from.
import { canMove, finalStatuses, REFUNDABLE, statusesBefore, type PaymentStatus } from '../payment-lifecycle';

test.each<[PaymentStatus, PaymentStatus, boolean]>([
  ['REQUIRES_ACTION', 'PROCESSING', true],
  ['REQUIRES_ACTION', 'SUCCEEDED', false],
  ['PROCESSING', 'SUCCEEDED', true],
  ['PROCESSING', 'CANCELED', false],
  ['SUCCEEDED', 'PARTIALLY_REFUNDED', true],
  ['PARTIALLY_REFUNDED', 'PARTIALLY_REFUNDED', true],
  ['REFUNDED', 'PARTIALLY_REFUNDED', false],
  ['FAILED', 'PROCESSING', false],
])('%s -> %s is %s', (from, to, allowed) => {
  expect(canMove(from, to)).toBe(allowed);
});

test('a payment is refundable exactly where a refund may follow', () => {
  expect([...REFUNDABLE].sort()).toEqual(statusesBefore('REFUNDED').sort());
});

test('the statuses nothing follows', () => {
  expect([...finalStatuses()].sort()).toEqual(['CANCELED', 'EXPIRED', 'FAILED', 'REFUNDED']);
});
