// The SDK's webhook checks agree with the graph's signers: a partner delivery
// signed by the kit's `signWebhookPayload` (what payments sends) verifies with
// `verifyWebhook`, under any of an endpoint's live secrets; a wallet webhook
// signed by the kit's `signatureHeader` verifies with `verifyWalletWebhook`.
// A tampered, re-signed, stale or malformed header does not.
import { createHmac, randomBytes } from 'node:crypto';
import { signatureHeader, signingLabel, signWebhookPayload, verifySignature } from '@interop/kit/security';
import {
  DEFAULT_WEBHOOK_TOLERANCE_SECONDS,
  parseWebhookEvent,
  type PartnerWebhookEvent,
  verifyWalletWebhook,
  verifyWebhook,
  WALLET_WEBHOOK_SIGNING_LABEL,
  WEBHOOK_EVENT_TYPES,
  WebhookPayloadError,
} from '../webhooks';

/** An endpoint secret as the graph makes them: `whsec_` and 32 random bytes, base64url. */
const newSecret = () => `whsec_${randomBytes(32).toString('base64url')}`;

const NOW = 1_725_436_800;

describe('partner webhooks: verifyWebhook', () => {
  const SECRET = newSecret();
  const NEW_SECRET = newSecret();
  const money = (amountMinor: number) => ({ amountMinor, currency: 'CNY' });
  const PAYMENT = {
    id: 'pay_1',
    status: 'SUCCEEDED',
    amount: money(12_345),
    refundedAmount: money(0),
    platformId: 'taobao',
    merchantId: 'm0000002',
    paymentToolId: 'wechat-pay',
    channel: 'WEB',
    reference: 'order-1',
    createdAt: '2026-12-04T10:00:00.000Z',
    updatedAt: '2026-12-04T10:00:05.000Z',
    refunds: [],
  };
  const BODY = JSON.stringify({ id: 'evt_1', type: 'payment.succeeded', createdAt: '2026-12-04T10:00:05.000Z', paymentVersion: 3, data: { payment: PAYMENT } });
  const signed = signWebhookPayload([SECRET], NOW, BODY);
  const hex = /v1=([0-9a-f]+)/.exec(signed)?.[1] ?? '';

  test('a delivery the graph signs verifies, with the clock or a given time', () => {
    expect(verifyWebhook(SECRET, BODY, signed, { nowSeconds: NOW })).toEqual({ ok: true });
    expect(verifyWebhook(SECRET, BODY, signWebhookPayload([SECRET], Math.floor(Date.now() / 1000), BODY))).toEqual({ ok: true });
  });

  test('the signed text is `${t}.${body}` under the whole secret, as the page documents', () => {
    const mac = createHmac('sha256', SECRET).update(`${NOW}.${BODY}`).digest('hex');
    expect(signed).toBe(`t=${NOW},v1=${mac}`);
  });

  test.each([
    ['a changed body', SECRET, BODY.replace('12345', '1')],
    ['another secret', NEW_SECRET, BODY],
    ['no secret at all', [] as string[], BODY],
  ])('%s is a mismatch', (_name, secret, body) => {
    expect(verifyWebhook(secret, body, signed, { nowSeconds: NOW })).toEqual({ ok: false, reason: 'mismatch' });
  });

  test('during a rotation the header carries both signatures, and a receiver with either secret, or both, accepts it', () => {
    const both = signWebhookPayload([NEW_SECRET, SECRET], NOW, BODY);
    expect(both.match(/v1=/g)).toHaveLength(2);
    expect(verifyWebhook(SECRET, BODY, both, { nowSeconds: NOW })).toEqual({ ok: true });
    expect(verifyWebhook(NEW_SECRET, BODY, both, { nowSeconds: NOW })).toEqual({ ok: true });
    expect(verifyWebhook([NEW_SECRET, SECRET], BODY, both, { nowSeconds: NOW })).toEqual({ ok: true });
    expect(verifyWebhook(newSecret(), BODY, both, { nowSeconds: NOW })).toEqual({ ok: false, reason: 'mismatch' });
  });

  test('after the rotation window only the new secret signs: a receiver still on the old one alone refuses, one holding both accepts', () => {
    const after = signWebhookPayload([NEW_SECRET], NOW, BODY);
    expect(verifyWebhook(SECRET, BODY, after, { nowSeconds: NOW })).toEqual({ ok: false, reason: 'mismatch' });
    expect(verifyWebhook([NEW_SECRET, SECRET], BODY, after, { nowSeconds: NOW })).toEqual({ ok: true });
  });

  test('a timestamp moved to now, keeping the old signature, is a mismatch', () => {
    const old = signWebhookPayload([SECRET], NOW - 3_600, BODY);
    expect(verifyWebhook(SECRET, BODY, old.replace(`t=${NOW - 3_600}`, `t=${NOW}`), { nowSeconds: NOW })).toEqual({ ok: false, reason: 'mismatch' });
  });

  test('older or newer than the tolerance is stale; at the tolerance it verifies', () => {
    const at = (seconds: number) => signWebhookPayload([SECRET], seconds, BODY);
    expect(verifyWebhook(SECRET, BODY, at(NOW - DEFAULT_WEBHOOK_TOLERANCE_SECONDS), { nowSeconds: NOW })).toEqual({ ok: true });
    expect(verifyWebhook(SECRET, BODY, at(NOW + DEFAULT_WEBHOOK_TOLERANCE_SECONDS), { nowSeconds: NOW })).toEqual({ ok: true });
    expect(verifyWebhook(SECRET, BODY, at(NOW - DEFAULT_WEBHOOK_TOLERANCE_SECONDS - 1), { nowSeconds: NOW })).toEqual({ ok: false, reason: 'stale' });
    expect(verifyWebhook(SECRET, BODY, at(NOW + DEFAULT_WEBHOOK_TOLERANCE_SECONDS + 1), { nowSeconds: NOW })).toEqual({ ok: false, reason: 'stale' });
    expect(verifyWebhook(SECRET, BODY, at(NOW - 30), { nowSeconds: NOW, toleranceSeconds: 10 })).toEqual({ ok: false, reason: 'stale' });
  });

  test('a stale header is refused as stale even when signed with the right secret', () => {
    expect(verifyWebhook(SECRET, BODY, signWebhookPayload([SECRET], NOW - 86_400, BODY), { nowSeconds: NOW })).toEqual({ ok: false, reason: 'stale' });
  });

  test.each([
    ['spaces around the parts', ` t=${NOW} , v1=${hex} `],
    ['the parts swapped', `v1=${hex},t=${NOW}`],
    ['a scheme it does not know, ignored', `t=${NOW},v0=abc,v1=${hex}`],
    ['a wrong v1 before the right one', `t=${NOW},v1=${'0'.repeat(64)},v1=${hex}`],
    ['a header repeated, as Node gives it in a list', [`t=${NOW}`, `v1=${hex}`]],
  ])('%s verifies', (_name, header) => {
    expect(verifyWebhook(SECRET, BODY, header, { nowSeconds: NOW })).toEqual({ ok: true });
  });

  test.each([
    ['no header', undefined, 'missing'],
    ['null', null, 'missing'],
    ['an empty header', '', 'missing'],
    ['an empty list', [], 'missing'],
    ['a repeated t', `t=${NOW},v1=${hex},t=${NOW - 1}`, 'malformed'],
    ['upper-case hex', `t=${NOW},v1=${hex.toUpperCase()}`, 'malformed'],
    ['a short signature', `t=${NOW},v1=${hex.slice(2)}`, 'malformed'],
    ['no timestamp', `v1=${hex}`, 'malformed'],
    ['a fractional timestamp', `t=${NOW}.5,v1=${hex}`, 'malformed'],
    ['a negative timestamp', `t=-${NOW},v1=${hex}`, 'malformed'],
    ['a timestamp that is not a number', `t=now,v1=${hex}`, 'malformed'],
    ['an empty timestamp', `t=,v1=${hex}`, 'malformed'],
    ['no signature', `t=${NOW}`, 'malformed'],
    ['only another scheme', `t=${NOW},v0=${hex}`, 'malformed'],
    ['a bare word', 'signed', 'malformed'],
    ['the wallet format', signatureHeader(SECRET, { context: 'wallet-webhook', body: BODY }, NOW), 'mismatch'],
  ])('%s: %s', (_name, header, reason) => {
    expect(verifyWebhook(SECRET, BODY, header, { nowSeconds: NOW })).toEqual({ ok: false, reason });
  });

  test('parseWebhookEvent gives the verified body as a typed event', () => {
    const event = parseWebhookEvent(BODY);
    expect(event).toEqual(JSON.parse(BODY));
    if (event.type === 'payment.succeeded') expect(event.data.payment.amount.amountMinor).toBe(12_345);
    const refund = { id: 'ref_1', status: 'SUCCEEDED', amount: money(100), reason: 'damaged', createdAt: '2026-12-04T10:01:00.000Z' };
    const refunded: PartnerWebhookEvent = parseWebhookEvent(JSON.stringify({ id: 'evt_2', type: 'refund.succeeded', createdAt: refund.createdAt, paymentVersion: 4, data: { payment: { ...PAYMENT, refunds: [refund] }, refund } }));
    expect(refunded.type === 'refund.succeeded' ? refunded.data.refund.id : null).toBe('ref_1');
    expect(WEBHOOK_EVENT_TYPES).toHaveLength(9);
  });

  test.each([
    ['not JSON', '{'],
    ['not an object', '[]'],
    ['no id', JSON.stringify({ type: 'payment.succeeded', createdAt: 'x', paymentVersion: 1, data: { payment: PAYMENT } })],
    ['an unknown type', JSON.stringify({ id: 'evt_1', type: 'payment.teleported', createdAt: 'x', paymentVersion: 1, data: { payment: PAYMENT } })],
    ['a fractional version', JSON.stringify({ id: 'evt_1', type: 'payment.succeeded', createdAt: 'x', paymentVersion: 1.5, data: { payment: PAYMENT } })],
    ['no payment', JSON.stringify({ id: 'evt_1', type: 'payment.succeeded', createdAt: 'x', paymentVersion: 1, data: {} })],
    ['a refund event without its refund', JSON.stringify({ id: 'evt_1', type: 'refund.failed', createdAt: 'x', paymentVersion: 1, data: { payment: PAYMENT } })],
  ])('parseWebhookEvent refuses %s', (_name, body) => {
    expect(() => parseWebhookEvent(body)).toThrow(WebhookPayloadError);
  });
});

describe('wallet webhooks: verifyWalletWebhook', () => {
  const SECRET = 'webhook-test-secret';
  const BODY = JSON.stringify({ eventId: 'evt_1', type: 'payment.succeeded', paymentId: 'pay_1', amountMinor: 19_900, currency: 'CNY', occurredAt: '2024-09-04T08:00:00.000Z' });
  const WEBHOOK = { context: 'wallet-webhook', body: BODY } as const;

  test('a header signed by the graph verifies', () => {
    expect(verifyWalletWebhook(SECRET, BODY, signatureHeader(SECRET, WEBHOOK, NOW), { nowSeconds: NOW })).toEqual({ ok: true });
    expect(verifyWalletWebhook(SECRET, BODY, signatureHeader(SECRET, WEBHOOK))).toEqual({ ok: true });
  });

  test.each([
    ['a changed body', SECRET, BODY.replace('19900', '1')],
    ['another secret', 'another-secret', BODY],
  ])('%s is a mismatch', (_name, secret, body) => {
    expect(verifyWalletWebhook(secret, body, signatureHeader(SECRET, WEBHOOK, NOW), { nowSeconds: NOW })).toEqual({ ok: false, reason: 'mismatch' });
  });

  test('while the secret is rotated, a header signed with any of the secrets given verifies, and one signed with another does not', () => {
    const secrets = ['the-new-webhook-secret', SECRET];
    expect(verifyWalletWebhook(secrets, BODY, signatureHeader(SECRET, WEBHOOK, NOW), { nowSeconds: NOW })).toEqual({ ok: true });
    expect(verifyWalletWebhook(secrets, BODY, signatureHeader('the-new-webhook-secret', WEBHOOK, NOW), { nowSeconds: NOW })).toEqual({ ok: true });
    expect(verifyWalletWebhook(secrets, BODY, signatureHeader('another-secret', WEBHOOK, NOW), { nowSeconds: NOW })).toEqual({ ok: false, reason: 'mismatch' });
    expect(verifyWalletWebhook([], BODY, signatureHeader(SECRET, WEBHOOK, NOW), { nowSeconds: NOW })).toEqual({ ok: false, reason: 'mismatch' });
  });

  test('a signature the graph made with the same secret for another kind of message, or in the partner format, is a mismatch', () => {
    const apiCall = signatureHeader(SECRET, { context: 'wallet-api', method: 'POST', path: '/v1/payments/pay_1/cancel', body: BODY }, NOW);
    expect(verifyWalletWebhook(SECRET, BODY, apiCall, { nowSeconds: NOW })).toEqual({ ok: false, reason: 'mismatch' });
    expect(verifyWalletWebhook(SECRET, BODY, signWebhookPayload([SECRET], NOW, BODY), { nowSeconds: NOW })).toEqual({ ok: false, reason: 'mismatch' });
    expect(WALLET_WEBHOOK_SIGNING_LABEL).toBe(signingLabel('wallet-webhook'));
  });

  test('older or newer than the tolerance is stale; at the tolerance it verifies', () => {
    const at = (seconds: number) => signatureHeader(SECRET, WEBHOOK, seconds);
    expect(verifyWalletWebhook(SECRET, BODY, at(NOW - DEFAULT_WEBHOOK_TOLERANCE_SECONDS), { nowSeconds: NOW }).ok).toBe(true);
    expect(verifyWalletWebhook(SECRET, BODY, at(NOW - DEFAULT_WEBHOOK_TOLERANCE_SECONDS - 1), { nowSeconds: NOW })).toEqual({ ok: false, reason: 'stale' });
    expect(verifyWalletWebhook(SECRET, BODY, at(NOW + DEFAULT_WEBHOOK_TOLERANCE_SECONDS + 1), { nowSeconds: NOW })).toEqual({ ok: false, reason: 'stale' });
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
    expect(verifyWalletWebhook(SECRET, BODY, header, options)).toEqual(verifySignature(SECRET, WEBHOOK, header, options));
  });
});
