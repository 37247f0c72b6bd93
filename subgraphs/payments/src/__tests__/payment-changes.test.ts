/** @backend-contract changes announced after commit on each engine */
// What the ledger announces for the payment-events bus: every status change
// (creation, transitions, expiry) with the payment's version, only after its
// transaction commits, and nothing for one that rolls back.
import { createLogger } from '@interop/kit';
import { PaymentService } from '../payment-service';
import { PaymentsStore } from '../store/payments-store';
import type { PeerFacts } from '../peers';
import { Reconciler } from '../reconciler';
import type { PaymentChange } from '../store/committed-changes';
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
