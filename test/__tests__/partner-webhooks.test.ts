// Partner webhooks through the gateway, to real HTTP receivers on free ports:
// every event type arrives signed; a failing receiver gets the event on a
// later attempt and every attempt is listed; a payment's events arrive in
// version order at a slow receiver; another partner can neither see nor touch
// an endpoint; a rotation signs with both secrets in its window and only the
// new one after. The receivers listen on 127.0.0.1 over http, so this graph
// allows both (PARTNER_WEBHOOKS_ALLOW_INSECURE and _ALLOW_PRIVATE).
import { randomUUID } from 'node:crypto';
import { parseWebhookEvent, verifyWebhook, WEBHOOK_SIGNATURE_HEADER } from '@interop/sdk/webhooks';
import { startGraph, type Graph } from '@interop/testing/harness';
import { ALL_SCOPES, mintToken, PARTNER_A, PARTNER_B, READ_ONLY } from '@interop/testing/identities';
import { codes, decide, freshKey, initiate, merchantWhere, OPTED_IN_TO_WECHAT_ON_TAOBAO, payment, postWebhook } from '@interop/testing/payments-helpers';
import {
  createEndpoint,
  DELETE_ENDPOINT,
  deliveriesOf,
  deliveriesWhen,
  ENDPOINTS,
  endpointFor,
  REDELIVER,
  ROTATE_SECRET,
  UPDATE_ENDPOINT,
  WIRE_TYPES,
  type DeliveryView,
  type EndpointView,
} from '@interop/testing/webhook-operations';
import { signedWith, startWebhookReceiver, type ReceivedWebhook, type WebhookReceiver } from '@interop/testing/webhook-receiver';

let graph: Graph;
let merchantId: string;
const receivers: WebhookReceiver[] = [];

beforeAll(async () => {
  // Unpaid payments expire after 6 s, so the expiry event comes within the test's time.
  graph = await startGraph({ merchantCount: 100, paymentTtlSeconds: 6, expirySweepMs: 200, partnerWebhooks: { allowInsecure: true, allowPrivate: true } });
  merchantId = await merchantWhere(graph, OPTED_IN_TO_WECHAT_ON_TAOBAO);
});

afterAll(async () => {
  await Promise.all(receivers.map((receiver) => receiver.stop()));
  await graph?.stop();
});

async function receiver(...args: Parameters<typeof startWebhookReceiver>): Promise<WebhookReceiver> {
  const started = await startWebhookReceiver(...args);
  receivers.push(started);
  return started;
}

async function newPayment(): Promise<string> {
  const created = await initiate(graph, { merchantId });
  expect(created.errors).toBeUndefined();
  return created.data?.initiatePayment.id ?? '';
}

const of = (paymentId: string) => (received: readonly ReceivedWebhook[]) => received.filter((request) => request.event.data.payment.id === paymentId);
const typesOf = (received: readonly ReceivedWebhook[]) => received.map((request) => request.event.type);

/** Stops the endpoint receiving this file's later payments. */
async function remove(endpoint: EndpointView): Promise<void> {
  const deleted = await graph.query(DELETE_ENDPOINT, { id: endpoint.id });
  expect(deleted.errors).toBeUndefined();
}

/** A merchant console's credential: a token confined to the merchant (`merchant:<id>`). */
const merchantConsole = (merchant: string) => mintToken({ partnerId: `console-${merchant}`, scopes: [...ALL_SCOPES, `merchant:${merchant}`] });

const REFUND = /* GraphQL */ `mutation ($input: RefundPaymentInput!) { refundPayment(input: $input) { id status } }`;
const CANCEL = /* GraphQL */ `mutation ($id: ID!, $key: String!) { cancelPayment(id: $id, idempotencyKey: $key) { id status } }`;

function refund(paymentId: string, amountMinor: number) {
  return graph.query<{ refundPayment: { id: string; status: string } | null }>(REFUND, {
    input: { paymentId, amount: { amountMinor, currency: 'CNY' }, reason: 'returned', idempotencyKey: freshKey('webhook-refund') },
  });
}

test('every event type arrives signed, verifies, and carries the payment as payment(id) shows it, in version order', async () => {
  const hooks = await receiver();
  const { secret, endpoint } = await endpointFor(graph, PARTNER_A, { url: hooks.url, merchantId, description: 'every event' });
  expect(endpoint).toMatchObject({ url: hooks.url, status: 'ENABLED', merchantId, description: 'every event', disabledReason: null });
  expect(secret).toMatch(/^whsec_[A-Za-z0-9_-]{43}$/);

  // Paid, then partly refunded.
  const paid = await newPayment();
  expect(await decide(graph, paid, 'approve')).toBe(200);
  await hooks.until((all) => typesOf(of(paid)(all)).includes('payment.succeeded'));
  expect((await refund(paid, 345)).data?.refundPayment?.status).toBe('SUCCEEDED');
  // Declined.
  const declined = await newPayment();
  expect(await decide(graph, declined, 'decline')).toBe(200);
  // Cancelled.
  const cancelled = await newPayment();
  expect((await graph.query(CANCEL, { id: cancelled, key: freshKey('cancel') })).errors).toBeUndefined();
  // Settled by a (signed) wallet notice the wallet itself never sent, so the wallet refuses its refund.
  const unrefundable = await newPayment();
  expect(await postWebhook(graph, { eventId: `evt-${randomUUID()}`, type: 'payment.succeeded', paymentId: unrefundable, amountMinor: 12_345, currency: 'CNY' })).toBe(200);
  expect(codes(await refund(unrefundable, 100))).toEqual(['DEPENDENCY_UNAVAILABLE']);
  // Left unpaid until it expires.
  const expiring = await newPayment();

  await hooks.until((all) => typesOf(of(paid)(all)).includes('refund.succeeded'));
  await hooks.until((all) => typesOf(of(declined)(all)).includes('payment.failed'));
  await hooks.until((all) => typesOf(of(cancelled)(all)).includes('payment.canceled'));
  await hooks.until((all) => typesOf(of(unrefundable)(all)).includes('refund.failed'));
  await hooks.until((all) => typesOf(of(expiring)(all)).includes('payment.expired'), 20_000);

  expect(new Set(typesOf(hooks.received))).toEqual(new Set(WIRE_TYPES));
  for (const request of hooks.received) {
    expect(signedWith([secret], request.headers['interop-signature'], request.rawBody)).toEqual([secret]);
    // And as a partner's server checks it, with the SDK.
    expect(verifyWebhook(secret, request.rawBody, request.headers[WEBHOOK_SIGNATURE_HEADER])).toEqual({ ok: true });
    expect(parseWebhookEvent(request.rawBody)).toEqual(request.event);
    expect(request.headers['content-type']).toBe('application/json');
    expect(request.headers['user-agent']).toBe('InteropGraph-Webhooks/1.0');
    expect(request.headers['interop-event-id']).toBe(request.event.id);
    expect(request.headers['interop-event-type']).toBe(request.event.type);
    expect(request.event.id).toMatch(/^evt_/);
    expect(request.event.data.payment.merchantId).toBe(merchantId);
    // Compact JSON, as signed.
    expect(request.rawBody).toBe(JSON.stringify(JSON.parse(request.rawBody)));
  }
  expect(typesOf(of(paid)(hooks.received))).toEqual(['payment.created', 'payment.requires_action', 'payment.processing', 'payment.succeeded', 'refund.succeeded']);
  expect(of(paid)(hooks.received).map((request) => request.event.paymentVersion)).toEqual([1, 2, 3, 4, 5]);
  expect(typesOf(of(declined)(hooks.received))).toEqual(['payment.created', 'payment.requires_action', 'payment.failed']);
  expect(typesOf(of(cancelled)(hooks.received))).toEqual(['payment.created', 'payment.requires_action', 'payment.canceled']);
  expect(typesOf(of(unrefundable)(hooks.received))).toEqual(['payment.created', 'payment.requires_action', 'payment.processing', 'payment.succeeded', 'refund.failed']);
  expect(typesOf(of(expiring)(hooks.received))).toEqual(['payment.created', 'payment.requires_action', 'payment.expired']);

  // The refund event carries the refund and the payment after it, as payment(id) shows the payment.
  const refunded = of(paid)(hooks.received).at(-1)?.event;
  const view = await payment(graph, paid);
  expect(refunded?.data.refund).toMatchObject({ status: 'SUCCEEDED', amount: { amountMinor: 345, currency: 'CNY' } });
  expect(refunded?.data.payment).toMatchObject({
    id: paid,
    status: view?.status,
    amount: { amountMinor: view?.amount.amountMinor, currency: 'CNY' },
    refundedAmount: { amountMinor: 345 },
    refunds: [{ id: refunded?.data.refund?.id, status: 'SUCCEEDED' }],
  });
  expect(of(unrefundable)(hooks.received).at(-1)?.event.data.refund).toMatchObject({ status: 'FAILED' });

  // Every delivery is listed, DELIVERED after one attempt answered 200.
  const deliveries = await deliveriesWhen(graph, PARTNER_A, endpoint.id, (all) => all.length === hooks.received.length && all.every((d) => d.status === 'DELIVERED'));
  for (const delivery of deliveries) {
    expect(delivery.attempts).toHaveLength(1);
    expect(delivery.attempts[0]).toMatchObject({ statusCode: 200, error: null });
    expect(delivery.nextAttemptAt).toBeNull();
  }
  await remove(endpoint);
}, 60_000);

test('a receiver that fails twice and then answers 200 gets the event on the third attempt, and every attempt is listed', async () => {
  const failures = new Map<string, number>();
  const hooks = await receiver((request) => {
    const seen = (failures.get(request.event.id) ?? 0) + 1;
    failures.set(request.event.id, seen);
    return seen <= 2 ? 503 : 200;
  });
  const { endpoint } = await endpointFor(graph, PARTNER_A, { url: hooks.url, events: ['PAYMENT_CREATED'], merchantId });
  const paymentId = await newPayment();
  const [delivery] = await deliveriesWhen(graph, PARTNER_A, endpoint.id, (all) => all.length === 1 && all[0]?.status === 'DELIVERED');
  expect(delivery?.event).toMatchObject({ type: 'PAYMENT_CREATED', paymentId, paymentVersion: 1 });
  expect(delivery?.attempts.map((attempt) => attempt.statusCode)).toEqual([503, 503, 200]);
  for (const attempt of delivery?.attempts ?? []) {
    expect(attempt.durationMs).toBeGreaterThanOrEqual(0);
    expect(attempt.responseExcerpt).not.toBeNull();
    expect(attempt.error).toBeNull();
  }
  const sent = of(paymentId)(hooks.received);
  expect(sent).toHaveLength(3);
  // The same event each time: one id, one body.
  expect(new Set(sent.map((request) => request.rawBody)).size).toBe(1);
  await remove(endpoint);
}, 30_000);

test('events of one payment arrive in version order, one at a time, however slow or failing the receiver', async () => {
  const inFlight = new Set<string>();
  const attempts = new Map<string, number>();
  let overlapped = false;
  // Slow, and every event's first attempt fails: the next event of that payment waits for the retry.
  const hooks = await receiver(async (request) => {
    const paymentId = request.event.data.payment.id;
    if (inFlight.has(paymentId)) overlapped = true;
    inFlight.add(paymentId);
    await new Promise((resolve) => setTimeout(resolve, 100));
    inFlight.delete(paymentId);
    const seen = (attempts.get(request.event.id) ?? 0) + 1;
    attempts.set(request.event.id, seen);
    return seen === 1 ? 500 : 200;
  });
  const { endpoint } = await endpointFor(graph, PARTNER_A, { url: hooks.url, merchantId });
  const ids = await Promise.all([newPayment(), newPayment(), newPayment()]);
  for (const id of ids) expect(await decide(graph, id, 'approve')).toBe(200);
  for (const id of ids) await hooks.until((all) => typesOf(of(id)(all)).filter((type) => type === 'payment.succeeded').length === 2);
  expect(overlapped).toBe(false);
  for (const id of ids) {
    const events = of(id)(hooks.received).map((request) => request.event);
    expect(events.map((event) => event.type)).toEqual([
      'payment.created',
      'payment.created',
      'payment.requires_action',
      'payment.requires_action',
      'payment.processing',
      'payment.processing',
      'payment.succeeded',
      'payment.succeeded',
    ]);
    expect(events.map((event) => event.paymentVersion)).toEqual([1, 1, 2, 2, 3, 3, 4, 4]);
  }
  await remove(endpoint);
}, 60_000);

test('another partner cannot list, read, change, rotate, delete or redeliver an endpoint; its owner can redeliver', async () => {
  const hooks = await receiver();
  const { endpoint } = await endpointFor(graph, PARTNER_A, { url: hooks.url, events: ['PAYMENT_CREATED'], merchantId });
  const paymentId = await newPayment();
  const [delivered] = await deliveriesWhen(graph, PARTNER_A, endpoint.id, (all) => all[0]?.status === 'DELIVERED');
  const eventId = delivered?.event.id ?? '';
  expect(eventId).toMatch(/^evt_/);

  const listed = await graph.queryAs<{ webhookEndpoints: EndpointView[] }>(PARTNER_B, ENDPOINTS);
  expect(listed.data?.webhookEndpoints.map((e) => e.id)).not.toContain(endpoint.id);
  const refusals = [
    await graph.queryAs(PARTNER_B, `query ($id: ID!) { webhookDeliveries(endpointId: $id) { edges { cursor } } }`, { id: endpoint.id }),
    await graph.queryAs(PARTNER_B, UPDATE_ENDPOINT, { input: { id: endpoint.id, url: 'http://127.0.0.1:1/elsewhere', enabled: false } }),
    await graph.queryAs(PARTNER_B, ROTATE_SECRET, { id: endpoint.id, window: 0 }),
    await graph.queryAs(PARTNER_B, DELETE_ENDPOINT, { id: endpoint.id }),
    await graph.queryAs(PARTNER_B, REDELIVER, { eventId }),
    await graph.queryAs(PARTNER_B, REDELIVER, { eventId, endpointId: endpoint.id }),
    // A console of another merchant is as much a stranger.
    await graph.queryAs(await merchantConsole('m-elsewhere'), REDELIVER, { eventId }),
  ];
  for (const refused of refusals) expect(codes(refused)).toEqual(['BAD_USER_INPUT']);
  // One with read access only may not change anything either.
  expect(codes(await graph.queryAs(READ_ONLY, DELETE_ENDPOINT, { id: endpoint.id }))).toEqual(['FORBIDDEN']);

  // Nothing changed: the endpoint is as it was, and the secret unchanged (the next event verifies as before).
  const mine = await graph.queryAs<{ webhookEndpoints: EndpointView[] }>(PARTNER_A, ENDPOINTS);
  expect(mine.data?.webhookEndpoints.find((e) => e.id === endpoint.id)).toEqual(endpoint);
  expect(of(paymentId)(hooks.received)).toHaveLength(1);

  // The merchant's console sees the endpoint confined to its merchant.
  const consoleView = await graph.queryAs<{ webhookEndpoints: EndpointView[] }>(await merchantConsole(merchantId), ENDPOINTS);
  expect(consoleView.data?.webhookEndpoints.map((e) => e.id)).toContain(endpoint.id);

  // The owner's redelivery is a fresh delivery of the same event, due now.
  const again = await graph.query<{ redeliverWebhookEvent: DeliveryView[] }>(REDELIVER, { eventId });
  expect(again.errors).toBeUndefined();
  expect(again.data?.redeliverWebhookEvent).toEqual([expect.objectContaining({ endpointId: endpoint.id, status: 'PENDING', attempts: [], event: expect.objectContaining({ id: eventId }) })]);
  await hooks.until((all) => of(paymentId)(all).length === 2);
  expect(new Set(of(paymentId)(hooks.received).map((request) => request.event.id))).toEqual(new Set([eventId]));
  await remove(endpoint);
}, 30_000);

test('a rotation signs with both secrets in its window and with the new one only after it', async () => {
  const hooks = await receiver();
  const { secret: first, endpoint } = await endpointFor(graph, PARTNER_A, { url: hooks.url, events: ['PAYMENT_CREATED'], merchantId });
  const rotated = await graph.query<{ rotateWebhookSecret: { secret: string; endpoint: EndpointView } }>(ROTATE_SECRET, { id: endpoint.id, window: 3600 });
  expect(rotated.errors).toBeUndefined();
  const second = rotated.data?.rotateWebhookSecret.secret ?? '';
  expect(second).not.toBe(first);
  expect(Date.parse(rotated.data?.rotateWebhookSecret.endpoint.previousSecretExpiresAt ?? '')).toBeGreaterThan(Date.now() + 3500_000);

  const inWindow = await newPayment();
  await hooks.until((all) => of(inWindow)(all).length === 1);
  const both = of(inWindow)(hooks.received)[0]!;
  expect(signedWith([first], both.headers['interop-signature'], both.rawBody)).toEqual([first]);
  expect(signedWith([second], both.headers['interop-signature'], both.rawBody)).toEqual([second]);
  // The new secret's signature comes first.
  const [, newest] = String(both.headers['interop-signature']).split(',');
  expect(signedWith([second], `t=${String(both.headers['interop-signature']).split(',')[0]?.slice(2)},${newest}`, both.rawBody)).toEqual([second]);

  // Rotated again with a one-second window: once it is over, only the newest secret signs.
  const again = await graph.query<{ rotateWebhookSecret: { secret: string; endpoint: EndpointView } }>(ROTATE_SECRET, { id: endpoint.id, window: 1 });
  const third = again.data?.rotateWebhookSecret.secret ?? '';
  const windowEnds = Date.parse(again.data?.rotateWebhookSecret.endpoint.previousSecretExpiresAt ?? '');
  while (Date.now() <= windowEnds + 50) await new Promise((resolve) => setTimeout(resolve, windowEnds + 60 - Date.now()));
  const after = await newPayment();
  await hooks.until((all) => of(after)(all).length === 1);
  const only = of(after)(hooks.received)[0]!;
  expect(signedWith([first, second, third], only.headers['interop-signature'], only.rawBody)).toEqual([third]);
  expect(String(only.headers['interop-signature']).match(/v1=/g)).toHaveLength(1);
  const listed = await graph.query<{ webhookEndpoints: EndpointView[] }>(ENDPOINTS);
  expect(listed.data?.webhookEndpoints.find((e) => e.id === endpoint.id)?.previousSecretExpiresAt).toBeNull();
  expect(codes(await graph.query(ROTATE_SECRET, { id: endpoint.id, window: 604_801 }))).toEqual(['BAD_USER_INPUT']);
  await remove(endpoint);
}, 30_000);

test('endpoints are checked as they are created and changed, and a disabled one is sent nothing', async () => {
  const hooks = await receiver();
  expect(codes(await createEndpoint(graph, PARTNER_A, { url: hooks.url, events: [] }))).toEqual(['BAD_USER_INPUT']);
  expect(codes(await createEndpoint(graph, PARTNER_A, { url: 'not a url' }))).toEqual(['BAD_USER_INPUT']);
  expect(codes(await createEndpoint(graph, PARTNER_A, { url: 'ftp://127.0.0.1/hooks' }))).toEqual(['BAD_USER_INPUT']);
  // A merchant console names one of its merchants.
  expect(codes(await createEndpoint(graph, await merchantConsole(merchantId), { url: hooks.url }))).toEqual(['BAD_USER_INPUT']);
  expect(codes(await createEndpoint(graph, await merchantConsole(merchantId), { url: hooks.url, merchantId: 'm-elsewhere' }))).toEqual(['FORBIDDEN']);
  const before = await graph.query<{ webhookEndpoints: EndpointView[] }>(ENDPOINTS);
  expect(before.data?.webhookEndpoints.filter((e) => e.url === hooks.url)).toEqual([]);

  const { endpoint } = await endpointFor(graph, PARTNER_A, { url: hooks.url, events: ['PAYMENT_CREATED'], merchantId });
  const off = await graph.query<{ updateWebhookEndpoint: EndpointView }>(UPDATE_ENDPOINT, { input: { id: endpoint.id, enabled: false, description: 'paused' } });
  expect(off.data?.updateWebhookEndpoint).toMatchObject({ status: 'DISABLED', description: 'paused' });
  expect(off.data?.updateWebhookEndpoint.disabledReason).not.toBeNull();
  const skipped = await newPayment();
  const on = await graph.query<{ updateWebhookEndpoint: EndpointView }>(UPDATE_ENDPOINT, { input: { id: endpoint.id, enabled: true, events: ['PAYMENT_CREATED', 'PAYMENT_CANCELED'] } });
  expect(on.data?.updateWebhookEndpoint).toMatchObject({ status: 'ENABLED', disabledReason: null, events: ['PAYMENT_CREATED', 'PAYMENT_CANCELED'] });
  const sent = await newPayment();
  await hooks.until((all) => of(sent)(all).length === 1);
  expect(of(skipped)(hooks.received)).toEqual([]);
  expect((await deliveriesOf(graph, PARTNER_A, endpoint.id)).map((d) => d.event.paymentId)).toEqual([sent]);
  await remove(endpoint);
  expect(codes(await graph.query(DELETE_ENDPOINT, { id: endpoint.id }))).toEqual(['BAD_USER_INPUT']);
}, 30_000);
