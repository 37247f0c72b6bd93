/**
 * The rehearsal payments runs when it starts: a new payment's writes, each
 * delivery recorded, then rolled back. It leaves no row and tells no
 * listener, and one that fails is logged, never thrown.
 *
 * @backend-contract
 */
import { newPayment, openLedger, type TestLedger } from '../../__tests__/test-context';
import { rehearseNewPayment } from '../rehearsal';
import { WebhookStore } from '../webhook-store';

const TABLES = ['payment', 'payment_event', 'webhook_endpoint', 'webhook_event', 'webhook_delivery', 'webhook_attempt'] as const;
const SETTINGS = { disableAfterFailures: 20, claimNextMs: 30_000 };

let db: TestLedger;
let webhooks: WebhookStore;

beforeAll(async () => {
  db = await openLedger();
  webhooks = new WebhookStore(db.ledger.db);
});

afterAll(async () => {
  await db?.drop();
});

async function rowCounts(): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const table of TABLES) {
    const [row] = await db.ledger.db.query<{ count: number }>(`SELECT count(*)::int AS count FROM ${table}`);
    counts[table] = row!.count;
  }
  return counts;
}

test('writes a payment, its deliveries and their attempts, then keeps none of it and tells nobody', async () => {
  // One payment of the ledger's own first, so "nothing kept" is not "nothing there".
  await db.ledger.insertPayment(newPayment(), 'test');
  const before = await rowCounts();
  const changes = jest.fn();
  const queued = jest.fn();
  const stopChanges = db.ledger.onChange(changes);
  const stopQueued = db.ledger.onDeliveriesQueued(queued);
  const attempts = jest.spyOn(webhooks, 'recordAttempt');
  const warn = jest.fn();
  try {
    await rehearseNewPayment(db.ledger, webhooks, SETTINGS, { warn });
    // Both events of a new payment reached the rehearsal's endpoint, and each was recorded delivered.
    const recorded = await Promise.all(attempts.mock.results.map((result) => result.value as ReturnType<WebhookStore['recordAttempt']>));
    expect(recorded.map((outcome) => outcome.status)).toEqual(['DELIVERED', 'DELIVERED']);
    // The first delivery's record claimed the second, as the worker's does.
    expect(recorded[0]!.next).not.toBeNull();
    expect(warn).not.toHaveBeenCalled();
    expect(await rowCounts()).toEqual(before);
    expect(changes).not.toHaveBeenCalled();
    expect(queued).not.toHaveBeenCalled();
  } finally {
    attempts.mockRestore();
    stopChanges();
    stopQueued();
  }
});

test('a rehearsal that fails is logged and leaves nothing behind', async () => {
  const before = await rowCounts();
  const attempts = jest.spyOn(webhooks, 'recordAttempt').mockRejectedValueOnce(new Error('database gone'));
  const warn = jest.fn();
  try {
    await expect(rehearseNewPayment(db.ledger, webhooks, SETTINGS, { warn })).resolves.toBeUndefined();
    expect(warn).toHaveBeenCalledTimes(1);
    expect(await rowCounts()).toEqual(before);
  } finally {
    attempts.mockRestore();
  }
});

test('a payment inserted in a transaction is told once the transaction commits, and never when it rolls back', async () => {
  const changes: string[] = [];
  const stop = db.ledger.onChange((change) => changes.push(change.paymentId));
  try {
    const kept = await db.ledger.transaction(async (tx) => {
      const row = await db.ledger.insertPayment(newPayment(), 'test', tx);
      expect(changes).toEqual([]);
      return row!;
    });
    expect(changes).toEqual([kept.id]);

    const dropped = newPayment();
    await expect(
      db.ledger.transaction(async (tx) => {
        await db.ledger.insertPayment(dropped, 'test', tx);
        throw new Error('rolled back');
      }),
    ).rejects.toThrow();
    expect(changes).toEqual([kept.id]);
    expect(await db.ledger.paymentsByIds([dropped.id])).toEqual([null]);
  } finally {
    stop();
  }
});
