// Payment traffic through the balancer, as a partner's checkout makes it:
// initiatePayment with an idempotency key of its own for each order (the SDK
// retries a failed call with it; should every attempt fail, the order is sent
// again, later, with the same key), a paymentUpdated subscriber for the
// payment, and the buyer's approval or decline in the sandbox wallet. Every
// third order is declined.
import { createInteropClient, type NewPayment, type Payment } from '@interop/sdk';
import { CallLoop, sleep, type Recorder } from './recorder';
import { SDK_SETTINGS } from './sdk-settings';
import { follow, type Followed } from './subscriber';
import { decide, type Decision } from './wallet';

export interface Order {
  key: string;
  input: NewPayment;
  decision: Decision;
  /** The status the decision gives the payment. */
  expected: 'SUCCEEDED' | 'FAILED';
  /** Every payment id an answer for this key named: exactly one is right. */
  ids: Set<string>;
  /** How many times the order was sent (each a call the SDK retried on its own). */
  sends: number;
  acknowledged: boolean;
  decisionStatus: number | null;
  followed: Promise<Followed> | null;
}

export interface PayerOptions {
  url: string;
  wsUrl: string;
  keys: readonly string[];
  merchants: readonly string[];
  runId: string;
  payer: number;
  recorder: Recorder;
  running: () => boolean;
  /** When subscribers stop waiting for a final status. */
  deadline: () => number;
  pauseMs: number;
  orders: Order[];
}

/** Times an order is sent before the payer gives up on it (each send retried by the SDK). */
const SENDS = 4;
const LIVE_WAIT_MS = 15_000;

export async function runPayer(options: PayerOptions): Promise<void> {
  const loop = new CallLoop();
  const buyers: Promise<void>[] = [];
  const clients = options.keys.map((apiKey) => createInteropClient({ url: options.url, apiKey, fetch: loop.fetch, ...SDK_SETTINGS }));
  for (let n = 0; options.running(); n += 1) {
    const slot = options.payer + n * 7;
    const decision: Decision = n % 3 === 2 ? 'decline' : 'approve';
    const key = `${options.runId}-payer${options.payer}-${n}`;
    const order: Order = {
      key,
      input: {
        platformId: 'taobao',
        merchantId: options.merchants[slot % options.merchants.length]!,
        paymentToolId: 'wechat-pay',
        amount: { amountMinor: 500 + ((n * 7919) % 80_000), currency: 'CNY' },
        reference: `order-${key}`,
      },
      decision,
      expected: decision === 'approve' ? 'SUCCEEDED' : 'FAILED',
      ids: new Set(),
      sends: 0,
      acknowledged: false,
      decisionStatus: null,
      followed: null,
    };
    options.orders.push(order);
    const apiKey = options.keys[slot % options.keys.length]!;
    const client = clients[slot % clients.length]!;
    let payment: Payment | undefined;
    while (!payment && order.sends < SENDS) {
      order.sends += 1;
      const result = await options.recorder.call('initiatePayment', loop, () => client.initiatePayment(order.input, { idempotencyKey: order.key }));
      if (result.ok) payment = result.value;
      else await sleep(1000);
    }
    if (!payment) continue;
    order.acknowledged = true;
    order.ids.add(payment.id);
    const following = follow(options.wsUrl, apiKey, payment.id, order.expected, options.deadline);
    order.followed = following.done;
    const pageUrl = payment.nextAction?.url;
    // The buyer takes up to a few seconds, so subscribers stay open across the faults.
    if (pageUrl) buyers.push(buyer(order, pageUrl, following.live, (n % 8) * 1000, options.recorder));
    await sleep(options.pauseMs);
  }
  await Promise.all(buyers);
}

/** The buyer's decision in the wallet, `thinkMs` after the subscriber is following (so it has a change to see). */
async function buyer(order: Order, pageUrl: string, live: Promise<boolean>, thinkMs: number, recorder: Recorder): Promise<void> {
  await Promise.race([live, sleep(LIVE_WAIT_MS)]);
  await sleep(thinkMs);
  const loop = new CallLoop();
  const decided = await recorder.call('wallet decision', loop, () => decide(pageUrl, order.decision, loop.fetch));
  order.decisionStatus = decided.ok ? decided.value : null;
}
