/** @backend-contract changes announced after commit on each engine */
// What the ledger announces for the payment-events bus: every status change
// (creation, transitions, expiry) with the payment's version, only after its
// transaction commits, and nothing for one that rolls back; and, for the
// webhook delivery worker, each commit that queued deliveries.
import { createLogger } from '@interop/kit';
import { PaymentService } from '../payment-service';
import { PaymentsStore } from '../store/payments-store';
import type { PeerFacts } from '../peers';
import { Reconciler } from '../reconciler';
import type { PaymentChange } from '../store/committed-changes';
import { WebhookStore } from '../store/webhook-store';
import { newWebhookSecret } from '../webhooks/endpoints';
import { PARTNER_A } from '@interop/testing/identities';
import { newPayment, openLedger, stubProvider, type TestLedger } from './test-context';

/** Settling payments never asks the owners of checkout facts. */
const unusedPeers = {} as PeerFacts;

let db: TestLedger;
const heard: PaymentChange[] = [];

beforeAll(async () => {
  db = await openLedger();
  db.ledger.onChange((change) => heard.push(change));
});

afterAll(async () => {
  await db?.drop();
});

beforeEach(() => {
  heard.length = 0;
});

test('creation and each transition are announced with the version and time of the change, after commit', async () => {
  const created = await db.ledger.insertPayment(newPayment(), 'test');
  if (!created) throw new Error('not created');
  expect(heard).toEqual([{ paymentId: created.id, status: 'REQUIRES_ACTION', version: 1, at: created.updatedAt }]);

  let heardInside = -1;
  const settled = await db.ledger.transaction(async (tx) => {
    await db.ledger.transition(created.id, 'PROCESSING', 'test', tx);
    const row = await db.ledger.transition(created.id, 'SUCCEEDED', 'test', tx);
    heardInside = heard.length;
    return row;
  });
  expect(heardInside).toBe(1);
  expect(heard.slice(1).map(({ status, version }) => [status, version])).toEqual([
    ['PROCESSING', 2],
    ['SUCCEEDED', 3],
  ]);
  expect(heard[2]?.at).toBe(settled?.updatedAt);
});

test('a change in a transaction that rolls back is never announced', async () => {
  const created = await db.ledger.insertPayment(newPayment(), 'test');
  if (!created) throw new Error('not created');
  heard.length = 0;
  await expect(
    db.ledger.transaction(async (tx) => {
      await db.ledger.transition(created.id, 'CANCELED', 'test', tx);
      throw new Error('changed my mind');
    }),
  ).rejects.toThrow('changed my mind');
  expect(heard).toEqual([]);
});

test('expiry is announced for each payment it expires', async () => {
  const created = await db.ledger.insertPayment(newPayment(new Date(Date.now() - 1000).toISOString()), 'test');
  if (!created) throw new Error('not created');
  heard.length = 0;
  const provider = stubProvider();
  provider.states.set(created.id, { status: 'EXPIRED', amountMinor: created.amountMinor, currency: created.currency });
  const payments = new PaymentService(db.ledger, new PaymentsStore(), unusedPeers, provider, 900);
  expect(await new Reconciler(db.ledger, provider, payments, createLogger('test'), { staleMs: 60_000 }).sweep()).toContain('applied');
  expect(heard).toContainEqual({ paymentId: created.id, status: 'EXPIRED', version: 2, at: expect.any(String) });
  const [expired] = await db.ledger.paymentsByIds([created.id]);
  expect(heard.find((change) => change.paymentId === created.id)?.at).toBe(expired?.updatedAt);
});

describe('a request repeated after its change committed announces the payment again', () => {
  // Its first try's process may have died between COMMIT and the announcement;
  // followers skip a version they already have, so repeating it costs nothing.
  const settledPayment = async (payments: PaymentService) => {
    const created = await db.ledger.insertPayment(newPayment(), 'test');
    if (!created) throw new Error('not created');
    const event = { eventId: `evt_${created.id}`, type: 'payment.succeeded' as const, paymentId: created.id, amountMinor: created.amountMinor, currency: created.currency };
    expect(await payments.applyWalletEvent(event)).toBe('applied');
    return { created, event };
  };

  test('a wallet event that was already applied', async () => {
    const payments = new PaymentService(db.ledger, new PaymentsStore(), unusedPeers, stubProvider(), 900);
    const { created, event } = await settledPayment(payments);
    const first = heard.filter((change) => change.paymentId === created.id).at(-1);
    expect(first).toMatchObject({ status: 'SUCCEEDED', version: 3 });
    heard.length = 0;
    expect(await payments.applyWalletEvent(event)).toBe('duplicate');
    expect(heard).toEqual([first]);
  });

  test('a cancel repeated with its key', async () => {
    const provider = stubProvider();
    provider.cancelPayment = async () => true;
    const payments = new PaymentService(db.ledger, new PaymentsStore(), unusedPeers, provider, 900);
    const created = await db.ledger.insertPayment(newPayment(), 'test');
    if (!created) throw new Error('not created');
    await payments.cancel(created.id, `cancel-${created.id}`, PARTNER_A.caller);
    const first = heard.at(-1);
    expect(first).toMatchObject({ paymentId: created.id, status: 'CANCELED', version: 2 });
    heard.length = 0;
    expect(await payments.cancel(created.id, `cancel-${created.id}`, PARTNER_A.caller)).toMatchObject({ status: 'CANCELED' });
    expect(heard).toEqual([first]);
  });

  test('a refund repeated with its key', async () => {
    const provider = stubProvider();
    provider.refund = async () => undefined;
    const payments = new PaymentService(db.ledger, new PaymentsStore(), unusedPeers, provider, 900);
    const { created } = await settledPayment(payments);
    const input = { paymentId: created.id, amount: { amountMinor: created.amountMinor, currency: 'CNY' as const }, idempotencyKey: `refund-${created.id}`, reason: 'test' };
    await payments.refund(input, PARTNER_A.caller);
    const first = heard.at(-1);
    expect(first).toMatchObject({ paymentId: created.id, status: 'REFUNDED', version: 4 });
    heard.length = 0;
    expect(await payments.refund(input, PARTNER_A.caller)).toMatchObject({ status: 'SUCCEEDED' });
    expect(heard).toEqual([first]);
  });
});

test('a commit that queued partner webhook deliveries is told once committed; one that queued none, or rolled back, is not', async () => {
  let told = 0;
  const stop = db.ledger.onDeliveriesQueued(() => (told += 1));
  try {
    // A partner without an endpoint: its events are kept, nothing is queued.
    await db.ledger.insertPayment({ ...newPayment(), partnerId: 'partner-quiet' }, 'test');
    expect(told).toBe(0);
    await new WebhookStore(db.ledger.db).insertEndpoint({
      id: 'we_told',
      partnerId: 'partner-told',
      merchantId: null,
      merchantConsole: false,
      url: 'https://hooks.example/payments',
      description: null,
      events: ['payment.created', 'payment.canceled'],
      secret: newWebhookSecret(),
    });
    const created = await db.ledger.insertPayment({ ...newPayment(), partnerId: 'partner-told' }, 'test');
    expect(told).toBe(1);
    let toldInside = -1;
    await db.ledger.transaction(async (tx) => {
      await db.ledger.transition(created!.id, 'CANCELED', 'test', tx);
      toldInside = told;
    });
    expect([toldInside, told]).toEqual([1, 2]);
    const other = await db.ledger.insertPayment({ ...newPayment(), partnerId: 'partner-told' }, 'test');
    await expect(
      db.ledger.transaction(async (tx) => {
        await db.ledger.transition(other!.id, 'CANCELED', 'test', tx);
        throw new Error('changed my mind');
      }),
    ).rejects.toThrow('changed my mind');
    expect(told).toBe(3);
  } finally {
    stop();
  }
});
