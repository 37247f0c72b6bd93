/** @backend-contract durability after SIGKILL on each engine */
// Partner webhooks from payments running as real processes: an event whose
// change committed is delivered even when the process is SIGKILLed before
// the delivery is recorded (after a restart); and two processes sharing one
// PostgreSQL database deliver every event exactly once between them.
import pg from 'pg';
import { scratchDatabase } from '@interop/testing/scratch-database';
import { postSigned, startGraph, type Graph } from '@interop/testing/harness';
import { decide, freshKey, merchantWhere, OPTED_IN_TO_WECHAT_ON_TAOBAO, startPaymentsProcess, type PaymentsProcess } from '@interop/testing/payments-helpers';
import { freePort } from '@interop/testing/processes';
import { CREATE_ENDPOINT, DELIVERIES, type DeliveryView, type EndpointView } from '@interop/testing/webhook-operations';
import { startWebhookReceiver, type WebhookReceiver } from '@interop/testing/webhook-receiver';
import { scratchDir } from '@interop/testing/scratch-dir';

let graph: Graph;
let merchantId: string;
const receivers: WebhookReceiver[] = [];

beforeAll(async () => {
  graph = await startGraph({ merchantCount: 100 });
  merchantId = await merchantWhere(graph, OPTED_IN_TO_WECHAT_ON_TAOBAO);
});

afterAll(async () => {
  await Promise.all(receivers.map((receiver) => receiver.stop()));
  await graph?.stop();
});

/** Payments as a child process, sending webhooks to 127.0.0.1 soon and often. */
function paymentsProcess(port: number, env: Record<string, string | undefined>) {
  return startPaymentsProcess(graph, port, {
    PARTNER_WEBHOOKS_ALLOW_INSECURE: 'true',
    PARTNER_WEBHOOKS_ALLOW_PRIVATE: 'true',
    PARTNER_WEBHOOKS_RETRY_BASE_MS: '50',
    PARTNER_WEBHOOKS_POLL_MS: '50',
    // A claim lapses after twice this and a second: a delivery cut short by a crash is tried again soon.
    PARTNER_WEBHOOKS_TIMEOUT_MS: '1000',
    ...env,
  });
}

const INITIATE = /* GraphQL */ `mutation ($input: InitiatePaymentInput!) { initiatePayment(input: $input) { id status } }`;

async function initiateOn(target: PaymentsProcess): Promise<string> {
  const created = await postSigned<{ initiatePayment: { id: string } }>(target, INITIATE, {
    input: { platformId: 'taobao', merchantId, paymentToolId: 'wechat-pay', amount: { amountMinor: 8_800, currency: 'CNY' }, reference: 'hooked', idempotencyKey: freshKey('hooked') },
  });
  expect(created.errors).toBeUndefined();
  return created.data?.initiatePayment.id ?? '';
}

async function endpointOn(target: PaymentsProcess, url: string, events: string[]): Promise<EndpointView> {
  const created = await postSigned<{ createWebhookEndpoint: { endpoint: EndpointView } }>(target, CREATE_ENDPOINT, { input: { url, events, merchantId } });
  expect(created.errors).toBeUndefined();
  return created.data!.createWebhookEndpoint.endpoint;
}

async function stop(processes: readonly PaymentsProcess[]): Promise<void> {
  for (const { child, exit } of processes) {
    child.kill('SIGTERM');
    expect((await exit).code).toBe(0);
  }
}

test('an event committed before a SIGKILL is delivered after the restart, though its attempt was cut short', async () => {
  let hold = true;
  const hooks = await startWebhookReceiver(() => (hold ? new Promise<number>(() => undefined) : 200));
  receivers.push(hooks);
  const port = await freePort();
  // Long enough that the held attempt is still under way when the process is killed (its claim then lapses 7 s after it was made).
  const env = { DATA_DIR: scratchDir('payments-webhooks-'), DATABASE_URL: undefined, PARTNER_WEBHOOKS_TIMEOUT_MS: '3000' };
  const first = await paymentsProcess(port, env);
  const endpoint = await endpointOn(first, hooks.url, ['PAYMENT_CREATED']);
  const paymentId = await initiateOn(first);
  // The attempt is under way, the answer held back: nothing is recorded yet when the process dies.
  await hooks.until((all) => all.length === 1);
  first.child.kill('SIGKILL');
  expect((await first.exit).signal).toBe('SIGKILL');
  hold = false;

  const second = await paymentsProcess(port, env);
  try {
    await hooks.until((all) => all.length === 2, 30_000);
    expect(hooks.received.map((request) => request.event.data.payment.id)).toEqual([paymentId, paymentId]);
    expect(hooks.received[1]?.event.id).toBe(hooks.received[0]?.event.id);
    let deliveries: DeliveryView[] = [];
    const deadline = Date.now() + 10_000;
    while (deliveries[0]?.status !== 'DELIVERED' && Date.now() < deadline) {
      const page = await postSigned<{ webhookDeliveries: { edges: { node: DeliveryView }[] } }>(second, DELIVERIES, { endpointId: endpoint.id });
      deliveries = page.data?.webhookDeliveries.edges.map((edge) => edge.node) ?? [];
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(deliveries).toHaveLength(1);
    expect(deliveries[0]).toMatchObject({ status: 'DELIVERED', event: { type: 'PAYMENT_CREATED', paymentId } });
    // The attempt the kill cut short left no record (or, on a machine slow enough, its timeout did): the one after the restart succeeded.
    const codes = deliveries[0]?.attempts.map((attempt) => attempt.statusCode) ?? [];
    expect(codes.at(-1)).toBe(200);
    expect(codes.slice(0, -1).every((code) => code === null)).toBe(true);
  } finally {
    await stop([second]);
  }
}, 120_000);

const databaseUrl = process.env.DATABASE_URL;

if (databaseUrl) {
  // Two processes need a server they share; PGlite belongs to one process, so this runs where DATABASE_URL is set (CI does).
  test('two payments processes on one PostgreSQL database deliver each event exactly once', async () => {
    const { url, drop } = await scratchDatabase(databaseUrl);
    const hooks = await startWebhookReceiver(() => 200);
    receivers.push(hooks);
    const processes = [await paymentsProcess(await freePort(), { DATABASE_URL: url.toString(), PARTNER_WEBHOOKS_POLL_MS: '10' })];
    processes.push(await paymentsProcess(await freePort(), { DATABASE_URL: url.toString(), PARTNER_WEBHOOKS_POLL_MS: '10' }));
    const db = new pg.Client({ connectionString: url.toString() });
    await db.connect();
    try {
      await endpointOn(processes[0]!, hooks.url, ['PAYMENT_CREATED', 'PAYMENT_REQUIRES_ACTION', 'PAYMENT_PROCESSING', 'PAYMENT_SUCCEEDED']);
      const ids = await Promise.all(Array.from({ length: 16 }, (_, i) => initiateOn(processes[i % 2]!)));
      for (const id of ids.slice(0, 8)) expect(await decide(graph, id, 'approve')).toBe(200);
      // 16 payments created (2 events each), 8 of them paid (2 more each).
      const expected = 16 * 2 + 8 * 2;
      // A claim both processes took would be sent twice and answered 200 twice. An attempt that failed
      // (a receiver too slow for the timeout on a loaded machine) is retried, as for any receiver: that is
      // at-least-once delivery working, not a shared claim, so only answered attempts are counted.
      const settled = async () => {
        const { rows } = await db.query<{ events: number; delivered: number; answered: number; answeredTwice: number }>(
          `SELECT (SELECT count(*)::int FROM payments.webhook_event) AS events,
             (SELECT count(*)::int FROM payments.webhook_delivery WHERE status = 'DELIVERED') AS delivered,
             (SELECT count(*)::int FROM payments.webhook_attempt WHERE status_code = 200) AS answered,
             (SELECT count(*)::int FROM (SELECT delivery_id FROM payments.webhook_attempt WHERE status_code = 200
               GROUP BY delivery_id HAVING count(*) > 1) twice) AS "answeredTwice"`,
        );
        return rows[0]!;
      };
      const deadline = Date.now() + 30_000;
      while ((await settled()).delivered < expected && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
      expect(await settled()).toEqual({ events: expected, delivered: expected, answered: expected, answeredTwice: 0 });
      expect(new Set(hooks.received.map((request) => request.event.id)).size).toBe(expected);
    } finally {
      await db.end();
      await stop(processes);
      await drop();
    }
  }, 120_000);
}
