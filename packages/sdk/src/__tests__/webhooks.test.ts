// The SDK's webhook check agrees with the graph's own (the kit's, which the
// payments subgraph and the wallet use): a header the graph signs verifies;
// a tampered, re-signed, stale or malformed one does not, for the same reason.
import { signatureHeader, signingLabel, verifySignature } from '@interop/kit';
import { DEFAULT_WEBHOOK_TOLERANCE_SECONDS, verifyWebhook, WEBHOOK_SIGNING_LABEL } from '../webhooks';

const SECRET = 'webhook-test-secret';
const BODY = JSON.stringify({ eventId: 'evt_1', type: 'payment.succeeded', paymentId: 'pay_1', amountMinor: 19_900, currency: 'CNY', occurredAt: '2024-09-04T08:00:00.000Z' });
const NOW = 1_725_436_800;
const WEBHOOK = { context: 'wallet-webhook', body: BODY } as const;

test('a header signed by the graph verifies', () => {
  expect(verifyWebhook(SECRET, BODY, signatureHeader(SECRET, WEBHOOK, NOW), { nowSeconds: NOW })).toEqual({ ok: true });
  expect(verifyWebhook(SECRET, BODY, signatureHeader(SECRET, WEBHOOK))).toEqual({ ok: true });
});

test.each([
  ['a changed body', SECRET, BODY.replace('19900', '1')],
  ['another secret', 'another-secret', BODY],
])('%s is a mismatch', (_name, secret, body) => {
  expect(verifyWebhook(secret, body, signatureHeader(SECRET, WEBHOOK, NOW), { nowSeconds: NOW })).toEqual({ ok: false, reason: 'mismatch' });
});

test('while the secret is rotated, a header signed with any of the secrets given verifies, and one signed with another does not', () => {
  const secrets = ['the-new-webhook-secret', SECRET];
  expect(verifyWebhook(secrets, BODY, signatureHeader(SECRET, WEBHOOK, NOW), { nowSeconds: NOW })).toEqual({ ok: true });
  expect(verifyWebhook(secrets, BODY, signatureHeader('the-new-webhook-secret', WEBHOOK, NOW), { nowSeconds: NOW })).toEqual({ ok: true });
  expect(verifyWebhook(secrets, BODY, signatureHeader('another-secret', WEBHOOK, NOW), { nowSeconds: NOW })).toEqual({ ok: false, reason: 'mismatch' });
  expect(verifyWebhook([], BODY, signatureHeader(SECRET, WEBHOOK, NOW), { nowSeconds: NOW })).toEqual({ ok: false, reason: 'mismatch' });
});

test('a signature the graph made with the same secret for another kind of message is a mismatch', () => {
  const apiCall = signatureHeader(SECRET, { context: 'wallet-api', method: 'POST', path: '/v1/payments/pay_1/cancel', body: BODY }, NOW);
  expect(verifyWebhook(SECRET, BODY, apiCall, { nowSeconds: NOW })).toEqual({ ok: false, reason: 'mismatch' });
  expect(WEBHOOK_SIGNING_LABEL).toBe(signingLabel('wallet-webhook'));
});

test('a timestamp moved to now, keeping the old signature, is a mismatch', () => {
  const old = signatureHeader(SECRET, WEBHOOK, NOW - 3_600);
  expect(verifyWebhook(SECRET, BODY, old.replace(`t=${NOW - 3_600}`, `t=${NOW}`), { nowSeconds: NOW })).toEqual({ ok: false, reason: 'mismatch' });
});

test('older or newer than the tolerance is stale; at the tolerance it verifies', () => {
  const at = (seconds: number) => signatureHeader(SECRET, WEBHOOK, seconds);
  expect(verifyWebhook(SECRET, BODY, at(NOW - DEFAULT_WEBHOOK_TOLERANCE_SECONDS), { nowSeconds: NOW }).ok).toBe(true);
  expect(verifyWebhook(SECRET, BODY, at(NOW - DEFAULT_WEBHOOK_TOLERANCE_SECONDS - 1), { nowSeconds: NOW })).toEqual({ ok: false, reason: 'stale' });
  expect(verifyWebhook(SECRET, BODY, at(NOW + DEFAULT_WEBHOOK_TOLERANCE_SECONDS + 1), { nowSeconds: NOW })).toEqual({ ok: false, reason: 'stale' });
  expect(verifyWebhook(SECRET, BODY, at(NOW - 30), { nowSeconds: NOW, toleranceSeconds: 10 })).toEqual({ ok: false, reason: 'stale' });
});

const signed = signatureHeader(SECRET, WEBHOOK, NOW);
const hex = signed.split('v1=')[1] ?? '';

test.each([
  ['no header', undefined],
  ['an empty header', ''],
  ['the graph’s own header', signed],
  ['spaces around the parts', ` t=${NOW} , v1=${hex} `],
  ['the parts swapped', `v1=${hex},t=${NOW}`],
  ['an extra part', `t=${NOW},v1=${hex},v0=abc`],
  ['a repeated t, the last one wrong', `t=${NOW},v1=${hex},t=${NOW - 1}`],
  ['upper-case hex', `t=${NOW},v1=${hex.toUpperCase()}`],
  ['a short signature', `t=${NOW},v1=${hex.slice(2)}`],
  ['no timestamp', `v1=${hex}`],
  ['a fractional timestamp', `t=${NOW}.5,v1=${hex}`],
  ['a timestamp that is not a number', `t=now,v1=${hex}`],
  ['an empty timestamp', `t=,v1=${hex}`],
  ['no signature', `t=${NOW}`],
  ['a bare word', 'signed'],
])('%s: the same verdict as the graph’s own check', (_name, header) => {
  const options = { nowSeconds: NOW };
  expect(verifyWebhook(SECRET, BODY, header, options)).toEqual(verifySignature(SECRET, WEBHOOK, header, options));
});
