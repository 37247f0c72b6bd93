// The partner webhook signature, byte for byte as docs/webhooks.md gives it:
// `t=<seconds>,v1=<hex>` per secret, the HMAC-SHA256 of `${t}.${body}` keyed
// with the whole secret string; checked here against a known vector.
import { createHmac } from 'node:crypto';
import { PARTNER_WEBHOOK_SIGNATURE_HEADER, signWebhookPayload } from '../webhook-signing';

const BODY = '{"id":"evt_1","type":"payment.succeeded"}';

test('one secret: the timestamp and one v1 over `t.body`', () => {
  const expected = createHmac('sha256', 'whsec_one').update(`1700000000.${BODY}`).digest('hex');
  expect(signWebhookPayload(['whsec_one'], 1_700_000_000, BODY)).toBe(`t=1700000000,v1=${expected}`);
  expect(PARTNER_WEBHOOK_SIGNATURE_HEADER).toBe('interop-signature');
});

test('a rotation: one v1 per secret, in the order given (the newest first)', () => {
  const header = signWebhookPayload(['whsec_new', 'whsec_old'], 1_700_000_000, BODY);
  const [t, first, second] = header.split(',');
  expect(t).toBe('t=1700000000');
  expect(first).toBe(`v1=${createHmac('sha256', 'whsec_new').update(`1700000000.${BODY}`).digest('hex')}`);
  expect(second).toBe(`v1=${createHmac('sha256', 'whsec_old').update(`1700000000.${BODY}`).digest('hex')}`);
});

test('another body or time signs differently; no secret or a broken time is refused', () => {
  const header = signWebhookPayload(['whsec_one'], 1_700_000_000, BODY);
  expect(signWebhookPayload(['whsec_one'], 1_700_000_001, BODY)).not.toBe(header);
  expect(signWebhookPayload(['whsec_one'], 1_700_000_000, `${BODY} `).split(',')[1]).not.toBe(header.split(',')[1]);
  expect(() => signWebhookPayload([], 1_700_000_000, BODY)).toThrow();
  expect(() => signWebhookPayload(['whsec_one'], 1.5, BODY)).toThrow();
});
