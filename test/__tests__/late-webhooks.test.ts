// The buyer decides in time but the wallet's webhook is held back past the
// payment's expiry: the payment ends as the buyer decided (FAILED or
// SUCCEEDED), never EXPIRED, because expiry waits for the wallet's word.
import { createServer } from 'node:http';
import { close, listen } from '@interop/kit/server';
import { startGraph, type Graph } from '@interop/testing/harness';
import { decide, initiate, merchantWhere, OPTED_IN_TO_WECHAT_ON_TAOBAO, payment, type PaymentView } from '@interop/testing/payments-helpers';

// Answers every webhook 503, as a payments endpoint that cannot be reached would.
const unreachable = createServer((_req, res) => res.writeHead(503).end());
let graph: Graph;
let merchantId: string;

beforeAll(async () => {
  const port = await listen(unreachable, 0, '127.0.0.1');
  // Long enough for the buyer's decision to come in time on a loaded machine (3 s was not: the wallet
  // answered 410 for a payment past its time); the test waits for the expiry anyway.
  graph = await startGraph({ merchantCount: 100, paymentTtlSeconds: 10, expirySweepMs: 100, webhookUrl: `http://127.0.0.1:${port}/webhooks/wallet` });
  merchantId = await merchantWhere(graph, OPTED_IN_TO_WECHAT_ON_TAOBAO);
});

afterAll(async () => {
  await graph?.stop();
  await close(unreachable, 0);
});

async function settled(id: string): Promise<PaymentView | null> {
  const deadline = Date.now() + 40_000;
  let view = await payment(graph, id);
  while (view && ['REQUIRES_ACTION', 'PROCESSING'].includes(view.status) && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    view = await payment(graph, id);
  }
  return view;
}

// The two run at once: each waits out its payment's time.
test.concurrent.each([
  ['decline', 'FAILED', ['REQUIRES_ACTION', 'FAILED']],
  ['approve', 'SUCCEEDED', ['REQUIRES_ACTION', 'PROCESSING', 'SUCCEEDED']],
] as const)('a payment the buyer chose to %s before its time, whose webhook never came, ends %s', async (decision, status, steps) => {
  const created = (await initiate(graph, { merchantId })).data?.initiatePayment;
  if (!created) throw new Error('not created');
  expect(await decide(graph, created.id, decision)).toBe(200);
  const view = await settled(created.id);
  expect(view?.status).toBe(status);
  expect(view?.events.map((event) => event.toStatus)).toEqual(steps);
});
