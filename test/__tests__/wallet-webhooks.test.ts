// The wallet's webhooks as payments receives them: only a valid, fresh
// signature over the exact body is applied; a repeated or out-of-order event,
// a wrong amount or an unknown payment changes nothing.
import { randomUUID } from 'node:crypto';
import { signatureHeader, SIGNATURE_HEADER } from '@interop/kit/security';
import { startGraph, TEST_WALLET_SECRET, type Graph } from '@interop/testing/harness';
import { approveAndSettle, initiate, merchantWhere, OPTED_IN_TO_WECHAT_ON_TAOBAO, payment, postWebhook, type PaymentView } from '@interop/testing/payments-helpers';

let graph: Graph;
let merchantId: string;

beforeAll(async () => {
  graph = await startGraph({ merchantCount: 200 });
  merchantId = await merchantWhere(graph, OPTED_IN_TO_WECHAT_ON_TAOBAO);
});

afterAll(async () => {
  await graph?.stop();
});

async function unpaid(): Promise<PaymentView> {
  const response = await initiate(graph, { merchantId, paymentToolId: 'alipay', amount: { amountMinor: 5_000, currency: 'CNY' } });
  const created = response.data?.initiatePayment;
  if (!created) throw new Error(JSON.stringify(response.errors));
  return created;
}

function event(paymentId: string, type: string, overrides: Record<string, unknown> = {}) {
  return { eventId: `evt_${randomUUID()}`, type, paymentId, amountMinor: 5_000, currency: 'CNY', ...overrides };
}

async function statusAndEvents(id: string) {
  const view = await payment(graph, id);
  return { status: view?.status, events: view?.events.length };
}

test('a valid event is applied', async () => {
  const created = await unpaid();
  expect(await postWebhook(graph, event(created.id, 'payment.succeeded'))).toBe(200);
  const view = await payment(graph, created.id);
  expect(view?.status).toBe('SUCCEEDED');
  // A success that arrives first still records the step through PROCESSING.
  expect(view?.events.map((e) => e.toStatus)).toEqual(['REQUIRES_ACTION', 'PROCESSING', 'SUCCEEDED']);
});

test.each([
  ['signed with another secret', { secret: 'an-attacker-secret-value' }],
  ['signed ten minutes ago', { timestamp: Math.floor(Date.now() / 1000) - 600 }],
  ['with a malformed signature header', { signature: 'v1=abc' }],
  ['without a signature', { signature: '' }],
])('an event %s is refused with 401 and changes nothing', async (_name, options) => {
  const created = await unpaid();
  const before = await statusAndEvents(created.id);
  expect(await postWebhook(graph, event(created.id, 'payment.succeeded'), options)).toBe(401);
  expect(await statusAndEvents(created.id)).toEqual(before);
});

test('an event whose body was changed after signing is refused', async () => {
  const created = await unpaid();
  const body = JSON.stringify(event(created.id, 'payment.succeeded'));
  const header = signatureHeader(TEST_WALLET_SECRET, { context: 'wallet-webhook', body });
  const response = await fetch(graph.subgraphs.payments.url.replace(/\/graphql$/, '/webhooks/wallet'), {
    method: 'POST',
    headers: { 'content-type': 'application/json', [SIGNATURE_HEADER]: header },
    body: body.replace('5000', '1'),
  });
  expect(response.status).toBe(401);
  expect((await payment(graph, created.id))?.status).toBe('REQUIRES_ACTION');
});

test('a repeated event is acknowledged and changes nothing', async () => {
  const created = await unpaid();
  const failed = event(created.id, 'payment.failed');
  expect(await postWebhook(graph, failed)).toBe(200);
  const after = await statusAndEvents(created.id);
  expect(after.status).toBe('FAILED');
  expect(await postWebhook(graph, failed)).toBe(200);
  expect(await statusAndEvents(created.id)).toEqual(after);
});

test('an out-of-order event changes nothing', async () => {
  const created = await unpaid();
  const settled = await approveAndSettle(graph, created.id);
  expect(settled?.status).toBe('SUCCEEDED');
  const before = await statusAndEvents(created.id);
  expect(await postWebhook(graph, event(created.id, 'payment.processing'))).toBe(200);
  expect(await postWebhook(graph, event(created.id, 'payment.failed'))).toBe(200);
  expect(await statusAndEvents(created.id)).toEqual(before);
});

test('a wrong amount or currency is refused with 422; an unknown payment with 404; a malformed body with 400', async () => {
  const created = await unpaid();
  const before = await statusAndEvents(created.id);
  expect(await postWebhook(graph, event(created.id, 'payment.succeeded', { amountMinor: 1 }))).toBe(422);
  expect(await postWebhook(graph, event(created.id, 'payment.succeeded', { currency: 'USD' }))).toBe(422);
  expect(await postWebhook(graph, event('pay_unknown', 'payment.succeeded'))).toBe(404);
  expect(await postWebhook(graph, { type: 'payment.succeeded' })).toBe(400);
  expect(await statusAndEvents(created.id)).toEqual(before);
});
