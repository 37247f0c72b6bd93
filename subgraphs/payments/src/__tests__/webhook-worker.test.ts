/** @backend-contract the webhook queue on each engine */
// The delivery worker over the outbox, against a receiver that always fails:
// the delivery is retried until its give-up time, then FAILED; once enough
// deliveries in a row were given up the endpoint is DISABLED with its reason,
// and what it still had pending fails with it. /metrics counts the outcomes
// and shows the queue. Against receivers that accept: a payment's events in
// turn, each next one claimed by the recording of the one before, and a new
// payment's deliveries claimed by its own statement into reserved room, sent
// in turn and recorded together (the later one given back when the first is
// refused).
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createLogger } from '@interop/kit';
import DataLoader from 'dataloader';
import { WebhookStore } from '../store/webhook-store';
import { newWebhookSecret } from '../webhooks/endpoints';
import { WebhookMetrics } from '../webhooks/metrics';
import { webhookSettings } from '../webhooks/settings';
import { DeliveryWorker } from '../webhooks/worker';
import { newPayment, openLedger, type TestLedger } from './test-context';

let server: Server;
let url: string;
let requests = 0;
let target: TestLedger;

beforeAll(async () => {
  server = createServer((req, res) => {
    requests += 1;
    req.resume();
    res.writeHead(500);
    res.end('down');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks`;
  target = await openLedger();
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
  await target?.drop();
});

async function until(check: () => Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** A worker that never polls within a test: only commits, hand-overs and attempts make it look. */
const unpolledWorker = (store: WebhookStore) =>
  new DeliveryWorker(store, webhookSettings({ pollMs: 600_000, allowInsecure: true, allowPrivate: true }), new WebhookMetrics(), createLogger('payments', { level: 'silent' }));

/**
 * A receiver that lists the event types it got and the status it answered
 * each with (`status`, given how many came before; 204 by default),
 * registered as `endpointId` for `partnerId`'s payments.
 */
async function acceptingEndpoint(
  store: WebhookStore,
  partnerId: string,
  endpointId: string,
  status: (before: number) => number = () => 204,
): Promise<{ delivered: string[]; answered: number[]; close(): Promise<void> }> {
  const delivered: string[] = [];
  const answered: number[] = [];
  const receiver = createServer((req, res) => {
    answered.push(status(delivered.length));
    delivered.push(String(req.headers['interop-event-type']));
    req.resume();
    res.writeHead(answered[answered.length - 1]!);
    res.end();
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  await store.insertEndpoint({
    id: endpointId,
    partnerId,
    merchantId: null,
    merchantConsole: false,
    url: `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hooks`,
    description: null,
    events: ['payment.created', 'payment.requires_action'],
    secret: newWebhookSecret(),
  });
  return {
    delivered,
    answered,
    close: async () => {
      receiver.closeAllConnections();
      await new Promise((resolve) => receiver.close(resolve));
    },
  };
}

test('retries until the give-up time, then FAILED; two given up in a row disable the endpoint with its reason', async () => {
  const { ledger } = target;
  const store = new WebhookStore(ledger.db);
  const endpoint = await store.insertEndpoint({
    id: 'we_worker_test',
    partnerId: 'partner-a',
    merchantId: null,
    merchantConsole: false,
    url,
    description: null,
    events: ['payment.created', 'payment.requires_action', 'payment.canceled'],
    secret: newWebhookSecret(),
  });
  const metrics = new WebhookMetrics();
  const settings = webhookSettings({ retryBaseMs: 20, pollMs: 20, giveUpAfterMs: 2_000, disableAfterFailures: 2, allowInsecure: true, allowPrivate: true });
  const worker = new DeliveryWorker(store, settings, metrics, createLogger('payments', { level: 'silent' }));
  worker.start();
  try {
    // Two events; the second waits for the first, each is given up after 2 s of failures (room for several attempts on a loaded machine).
    const payment = await ledger.insertPayment(newPayment(), 'test');
    expect(payment).not.toBeNull();
    await until(async () => (await store.listEndpoints({ partnerId: 'partner-a' }))[0]?.status === 'DISABLED');
    const [disabled] = await store.listEndpoints({ partnerId: 'partner-a' });
    expect(disabled).toMatchObject({ id: endpoint.id, status: 'DISABLED', consecutiveFailures: 2 });
    expect(disabled?.disabledReason).not.toBeNull();
    const deliveries = await store.deliveries(endpoint.id, { first: 10, afterKey: null });
    expect(deliveries.map((delivery) => [delivery.event.type, delivery.status])).toEqual([
      ['payment.requires_action', 'FAILED'],
      ['payment.created', 'FAILED'],
    ]);
    // The first was retried until its time was up; the second waited for it, and its time (counted from its event) ran meanwhile.
    expect(deliveries[1]?.attemptCount).toBeGreaterThan(1);
    expect(deliveries[0]?.attemptCount).toBeGreaterThanOrEqual(1);
    const attempts = await store.attemptsByDeliveryIds(deliveries.map((delivery) => delivery.id));
    expect(attempts.flat().length).toBe(requests);
    for (const attempt of attempts.flat()) expect(attempt).toMatchObject({ statusCode: 500, responseExcerpt: 'down', error: null });

    // A disabled endpoint is sent nothing more.
    const sent = requests;
    await ledger.transition(payment!.id, 'CANCELED', 'test');
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(requests).toBe(sent);
    // The event is written (the outbox keeps it), but no delivery goes to the disabled endpoint.
    const [canceled] = await ledger.db.query<{ events: number; deliveries: number }>(
      `SELECT count(DISTINCT e.id)::int AS events, count(d.id)::int AS deliveries
       FROM webhook_event e LEFT JOIN webhook_delivery d ON d.event_id = e.id WHERE e.payment_id = $1 AND e.type = 'payment.canceled'`,
      [payment!.id],
    );
    expect(canceled).toEqual({ events: 1, deliveries: 0 });

    // A redelivery to it fails at once; turned back on, it starts afresh.
    const [redelivered] = await store.redeliver(deliveries[0]!.event.id, [endpoint.id]);
    expect(redelivered).toMatchObject({ status: 'FAILED', nextAttemptAt: null });
    const enabled = await store.updateEndpoint({ partnerId: 'partner-a' }, endpoint.id, { enabled: true });
    expect(enabled).toMatchObject({ status: 'ENABLED', disabledReason: null, consecutiveFailures: 0 });
    await store.updateEndpoint({ partnerId: 'partner-a' }, endpoint.id, { enabled: false });

    const text = await metrics.registry.getSingleMetricAsString('payments_webhook_deliveries_total');
    expect(text).toMatch(/outcome="failed"} 2/);
    expect(text).toMatch(/outcome="retry"} \d+/);
  } finally {
    await worker.stop();
  }
}, 30_000);

test('a payment\'s next event goes out as soon as the one before it is delivered, claimed with its recording, and an attempt that holds nothing back looks for no more', async () => {
  const { ledger } = target;
  const store = new WebhookStore(ledger.db);
  const { delivered, close } = await acceptingEndpoint(store, 'partner-t', 'we_in_turn_test');
  const claims = jest.spyOn(store, 'claimDue');
  const worker = unpolledWorker(store);
  worker.start();
  try {
    await until(async () => claims.mock.calls.length === 1);
    await ledger.insertPayment({ ...newPayment(), partnerId: 'partner-t' }, 'test');
    worker.nudge();
    await until(async () => delivered.length === 2);
    expect(delivered).toEqual(['payment.created', 'payment.requires_action']);
    await new Promise((resolve) => setTimeout(resolve, 300));
    // At start and after the commit; the second event was claimed by the first one's recording, and nothing after it.
    expect(claims).toHaveBeenCalledTimes(2);
  } finally {
    await worker.stop();
    await close();
  }
});

test("a new payment's deliveries, claimed by its own statement and handed to the worker, go out in order without a claim of their own, recorded in one statement", async () => {
  const { ledger } = target;
  const store = new WebhookStore(ledger.db);
  const { delivered, close } = await acceptingEndpoint(store, 'partner-h', 'we_handed_test');
  const claims = jest.spyOn(store, 'claimDue');
  const singles = jest.spyOn(store, 'recordAttempt');
  const together = jest.spyOn(store, 'recordDelivered');
  const worker = unpolledWorker(store);
  const stopHanding = ledger.handDeliveriesTo(worker);
  const stopTelling = ledger.onDeliveriesQueued(() => worker.nudge());
  worker.start();
  try {
    await until(async () => claims.mock.calls.length === 1);
    await ledger.insertPayment({ ...newPayment(), partnerId: 'partner-h' }, 'test');
    await until(async () => delivered.length === 2);
    expect(delivered).toEqual(['payment.created', 'payment.requires_action']);
    await new Promise((resolve) => setTimeout(resolve, 300));
    // Only the one at start: both deliveries came with the payment's statement, and were recorded together.
    expect(claims).toHaveBeenCalledTimes(1);
    expect(singles).not.toHaveBeenCalled();
    expect(together).toHaveBeenCalledTimes(1);
    const recorded = (await store.attemptsByDeliveryIds(together.mock.calls[0]![0].map((attempt) => attempt.deliveryId))).flat();
    expect(recorded.map((attempt) => attempt.statusCode)).toEqual([204, 204]);
    // Its room was given back: a full set of claims fits again.
    expect(worker.reserve()).not.toBeNull();
    worker.release();
  } finally {
    stopTelling();
    stopHanding();
    await worker.stop();
    await close();
  }
});

test('deliveries recorded while a recording is being written share the next statement', async () => {
  const { ledger } = target;
  const store = new WebhookStore(ledger.db);
  const { delivered, close } = await acceptingEndpoint(store, 'partner-b', 'we_batched_test');
  const record = store.recordDelivered.bind(store);
  // The first recording is held until the next two payments' have been asked for too.
  const asked = jest.spyOn(DataLoader.prototype, 'load');
  const recordings = jest.spyOn(store, 'recordDelivered').mockImplementation(async (attempts, unsent) => {
    if (recordings.mock.calls.length === 1) await until(async () => asked.mock.calls.length === 3);
    await record(attempts, unsent);
  });
  const worker = unpolledWorker(store);
  const stopHanding = ledger.handDeliveriesTo(worker);
  worker.start();
  try {
    await ledger.insertPayment({ ...newPayment(), partnerId: 'partner-b' }, 'test');
    await until(async () => recordings.mock.calls.length === 1);
    await ledger.insertPayment({ ...newPayment(), partnerId: 'partner-b' }, 'test');
    await ledger.insertPayment({ ...newPayment(), partnerId: 'partner-b' }, 'test');
    await until(async () => (await store.deliveries('we_batched_test', { first: 10, afterKey: null })).filter((row) => row.status === 'DELIVERED').length === 6);
    expect(delivered).toHaveLength(6);
    expect(recordings.mock.calls.map(([attempts]) => attempts.length)).toEqual([2, 4]);
  } finally {
    asked.mockRestore();
    stopHanding();
    await worker.stop();
    await close();
  }
});

test("a new payment's later event is not sent while its first is refused: its claim goes back, and it follows the first's retry", async () => {
  const { ledger } = target;
  const store = new WebhookStore(ledger.db);
  // Refuses the first request, accepts every later one.
  const { delivered, answered, close } = await acceptingEndpoint(store, 'partner-r', 'we_refused_first_test', (before) => (before === 0 ? 503 : 204));
  const given = jest.spyOn(store, 'recordDelivered');
  const worker = new DeliveryWorker(store, webhookSettings({ pollMs: 50, retryBaseMs: 1, maxRetryDelayMs: 1, allowInsecure: true, allowPrivate: true }), new WebhookMetrics(), createLogger('payments', { level: 'silent' }));
  const stopHanding = ledger.handDeliveriesTo(worker);
  worker.start();
  try {
    await ledger.insertPayment({ ...newPayment(), partnerId: 'partner-r' }, 'test');
    await until(async () => delivered.length === 3);
    expect(delivered).toEqual(['payment.created', 'payment.created', 'payment.requires_action']);
    expect(answered).toEqual([503, 204, 204]);
    // The refused one's later event was given back unsent, its claim with it.
    expect(given.mock.calls[0]).toEqual([[], [expect.stringMatching(/^whd_/)]]);
    await until(async () => (await store.deliveries('we_refused_first_test', { first: 10, afterKey: null })).every((row) => row.status === 'DELIVERED'));
    const rows = await store.deliveries('we_refused_first_test', { first: 10, afterKey: null });
    expect(rows.map((row) => [row.event.type, row.attemptCount]).sort()).toEqual([
      ['payment.created', 2],
      ['payment.requires_action', 1],
    ]);
  } finally {
    stopHanding();
    await worker.stop();
    await close();
  }
});

test('a worker reserves no more room than its concurrency, and none once stopping; what is handed to it then is left to lapse', async () => {
  const store = new WebhookStore(target.ledger.db);
  const worker = new DeliveryWorker(store, webhookSettings({ concurrency: 2, pollMs: 600_000 }), new WebhookMetrics(), createLogger('payments', { level: 'silent' }));
  const recorded = jest.spyOn(store, 'recordAttempt');
  expect(worker.reserve()).toBe(worker.leaseMs);
  expect(worker.reserve()).toBe(worker.leaseMs);
  expect(worker.reserve()).toBeNull();
  worker.release();
  expect(worker.reserve()).toBe(worker.leaseMs);
  await worker.stop();
  worker.take([]);
  worker.take([{ id: 'whd_never', endpointId: 'we_never', attempts: 0, createdAt: new Date().toISOString(), url: 'http://127.0.0.1:1/', secrets: ['s'], blocksLater: false, event: { id: 'evt', type: 'payment.created', createdAt: '', paymentId: 'p', paymentVersion: 1, partnerId: 'x', merchantId: 'm', payload: '{}' } }]);
  expect(worker.reserve()).toBeNull();
  await new Promise((resolve) => setTimeout(resolve, 50));
  expect(recorded).not.toHaveBeenCalled();
});

test('/metrics shows the queue: deliveries pending and the age of the oldest undelivered event', async () => {
  const { ledger } = target;
  const store = new WebhookStore(ledger.db);
  await store.insertEndpoint({
    id: 'we_metrics_test',
    partnerId: 'partner-m',
    merchantId: null,
    merchantConsole: false,
    url,
    description: null,
    events: ['payment.created'],
    secret: newWebhookSecret(),
  });
  await ledger.insertPayment({ ...newPayment(), partnerId: 'partner-m' }, 'test');
  const metrics = new WebhookMetrics();
  let body = '';
  const res = { writeHead: () => res, end: (text: string) => (body = text) };
  await metrics.route(store)({} as never, res as never);
  expect(body).toMatch(/^payments_webhook_pending_deliveries 1$/m);
  expect(body).toMatch(/^payments_webhook_oldest_undelivered_event_age_seconds \d/m);
  expect(body).toMatch(/^payments_webhook_queue_age_seconds \d/m);
});
