/**
 * The rehearsals payments runs when it starts: a new payment's writes, each
 * delivery recorded, then rolled back, as often as asked within a time. They
 * leave no row and tell no listener, and one that fails is logged, never
 * thrown, and ends them.
 *
 * @backend-contract
 */
import { newPayment, openLedger, type TestLedger } from '../../__tests__/test-context';
import { rehearseNewPayments } from '../rehearsal';
import { WebhookStore } from '../webhook-store';

const TABLES = ['payment', 'payment_event', 'webhook_endpoint', 'webhook_event', 'webhook_delivery', 'webhook_attempt'] as const;

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
  // What the rehearsal's own transaction shows once the deliveries are recorded, before it rolls back.
  const seen: { type: string; status: string; attempts: number }[][] = [];
  const record = webhooks.recordDelivered.bind(webhooks);
  const attempts = jest.spyOn(webhooks, 'recordDelivered').mockImplementation(async (delivered, unsent, tx) => {
    await record(delivered, unsent, tx);
    seen.push(
      await tx!.query(
        `SELECT e.type, d.status, (SELECT count(*)::int FROM webhook_attempt a WHERE a.delivery_id = d.id) AS attempts
         FROM webhook_delivery d JOIN webhook_event e ON e.id = d.event_id WHERE d.id = ANY($1) ORDER BY d.payment_version`,
        [delivered.map((attempt) => attempt.deliveryId)],
      ),
    );
  });
  const warn = jest.fn();
  try {
    await rehearseNewPayments(db.ledger, webhooks, { warn }, { times: 3, withinMs: 60_000 });
    // Three times, both events of a new payment, recorded delivered together, as the worker records a new payment's.
    const both = [
      { type: 'payment.created', status: 'DELIVERED', attempts: 1 },
      { type: 'payment.requires_action', status: 'DELIVERED', attempts: 1 },
    ];
    expect(seen).toEqual([both, both, both]);
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

test('a rehearsal that fails is logged, ends the rehearsals and leaves nothing behind', async () => {
  const before = await rowCounts();
  const attempts = jest.spyOn(webhooks, 'recordDelivered').mockRejectedValueOnce(new Error('database gone'));
  const warn = jest.fn();
  try {
    await expect(rehearseNewPayments(db.ledger, webhooks, { warn }, { times: 3, withinMs: 60_000 })).resolves.toBeUndefined();
    expect(warn).toHaveBeenCalledTimes(1);
    expect(attempts).toHaveBeenCalledTimes(1);
    expect(await rowCounts()).toEqual(before);
  } finally {
    attempts.mockRestore();
  }
});

test('a start with no time to spare still rehearses once', async () => {
  const attempts = jest.spyOn(webhooks, 'recordDelivered');
  try {
    await rehearseNewPayments(db.ledger, webhooks, { warn: jest.fn() }, { times: 50, withinMs: 0 });
    expect(attempts).toHaveBeenCalledTimes(1);
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
