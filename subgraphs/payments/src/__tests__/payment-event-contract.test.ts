// The payment-event message as other processes read it: a change or a resync
// round-trips, and anything else decodes to null rather than being trusted.
import { decodePaymentEvent, encodePaymentEvent, type PaymentChanged } from '../payment-event-contract';

test('a status change and a resync round-trip', () => {
  const change: PaymentChanged = { paymentId: 'pay_1', status: 'SUCCEEDED', version: 3, at: '2026-01-01T00:00:00.000Z' };
  expect(decodePaymentEvent(encodePaymentEvent(change))).toEqual(change);
  expect(decodePaymentEvent(encodePaymentEvent({ resync: true }))).toEqual({ resync: true });
});

test.each([
  ['text that is not JSON', 'not json'],
  ['a version that is not positive', JSON.stringify({ paymentId: 'pay_1', status: 'SUCCEEDED', version: 0, at: 'now' })],
  ['an empty payment id', JSON.stringify({ paymentId: '', status: 'SUCCEEDED', version: 1, at: 'now' })],
  ['a resync that is not true', JSON.stringify({ resync: 'yes' })],
  ['null', 'null'],
])('%s decodes to null', (_name, text) => {
  expect(decodePaymentEvent(text)).toBeNull();
});
