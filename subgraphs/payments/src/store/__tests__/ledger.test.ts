/**
 * The payment ledger's contract, on the engine the environment names (PGlite,
 * or PostgreSQL with DATABASE_URL; CI runs it on both): rows as the engine
 * returns them, idempotency keys taken once however many callers race for
 * them, status moves guarded by the status they start from, claims shared
 * between processes, and refunds of one payment taking turns under its row
 * lock. The whole-graph tests run on PGlite only; this file is where the
 * ledger proves it behaves the same on PostgreSQL.
 *
 * @backend-contract
 */
import { randomUUID } from 'node:crypto';
import { AppError, ErrorCode } from '@interop/kit';
import { PARTNER_A } from '@interop/testing/identities';
import type { PeerFacts } from '../../peers';
import { PaymentService } from '../../payment-service';
import { PaymentsStore } from '../payments-store';
import type { PaymentChange } from '../committed-changes';
import type { PaymentRow, PaymentStatus } from '../types';
import { newPayment, openLedger, stubProvider, type TestLedger } from '../../__tests__/test-context';

const ISO_MS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

let db: TestLedger;

beforeAll(async () => {
  db = await openLedger();
});

afterAll(async () => {
  await db?.drop();
});

/** A payment with its own merchant, so filters and pages see only this test's rows. */
async function created(overrides: Partial<ReturnType<typeof newPayment>> = {}): Promise<PaymentRow> {
  const row = await db.ledger.insertPayment({ ...newPayment(), ...overrides }, 'test');
  if (!row) throw new Error('not created');
  return row;
}

/** Moves a new payment to SUCCEEDED as the wallet's news would. */
async function paid(amountMinor = 100): Promise<PaymentRow> {
  const payment = await created({ amountMinor });
  await db.ledger.transition(payment.id, 'PROCESSING', 'test');
  const row = await db.ledger.transition(payment.id, 'SUCCEEDED', 'test');
  if (!row) throw new Error('not paid');
  return row;
}

const steps = async (id: string) => ((await db.ledger.eventsByPaymentIds([id]))[0] ?? []).map((event) => [event.fromStatus, event.toStatus, event.cause]);

describe('payments', () => {
  test('a new payment comes back with every column typed as the resolvers expect, and its creation recorded', async () => {
    const input = { ...newPayment(), channel: 'APP' as const, nextActionQr: 'weixin://pay' };
    const row = await db.ledger.insertPayment(input, 'initiatePayment');
    expect(row).toEqual({
      ...input,
      seq: expect.any(Number),
      status: 'REQUIRES_ACTION',
      registered: false,
      createdAt: expect.stringMatching(ISO_MS),
      updatedAt: expect.stringMatching(ISO_MS),
    });
    // The expiry goes in as an ISO string and comes back as the same instant, at millisecond precision.
    expect(new Date(row!.expiresAt).getTime()).toBe(new Date(input.expiresAt).getTime());
    expect(await db.ledger.paymentsByIds([row!.id])).toEqual([row]);
    expect(await steps(row!.id)).toEqual([[null, 'REQUIRES_ACTION', 'initiatePayment']]);
  });

  test('paymentsByIds answers in the order asked, with null for an unknown id', async () => {
    const [first, second] = [await created(), await created()];
    const rows = await db.ledger.paymentsByIds([second.id, 'pay_unknown', first.id]);
    expect(rows.map((row) => row?.id ?? null)).toEqual([second.id, null, first.id]);
  });

  test('an idempotency key is one payment per partner: a second insert gives null and writes nothing; another partner may use it', async () => {
    const first = await created();
    const again = await db.ledger.insertPayment({ ...newPayment(), idempotencyKey: first.idempotencyKey }, 'test');
    expect(again).toBeNull();
    expect(await db.ledger.paymentByIdempotencyKey('partner-a', first.idempotencyKey)).toEqual(first);
    const other = await db.ledger.insertPayment({ ...newPayment(), idempotencyKey: first.idempotencyKey, partnerId: 'partner-b' }, 'test');
    expect(other).toMatchObject({ partnerId: 'partner-b', idempotencyKey: first.idempotencyKey });
    expect(await db.ledger.paymentByIdempotencyKey('partner-c', first.idempotencyKey)).toBeNull();
  });

  test('twenty inserts racing for one key create exactly one payment with one creation event', async () => {
    const key = `race-${randomUUID()}`;
    const results = await Promise.all(Array.from({ length: 20 }, () => db.ledger.insertPayment({ ...newPayment(), idempotencyKey: key }, 'test')));
    const winners = results.filter((row): row is PaymentRow => row !== null);
    expect(winners).toHaveLength(1);
    const [count] = await db.ledger.db.query<{ payments: number; events: number }>(
      `SELECT (SELECT count(*)::int FROM payment WHERE idempotency_key = $1) AS payments,
              (SELECT count(*)::int FROM payment_event e JOIN payment p ON p.id = e.payment_id WHERE p.idempotency_key = $1) AS events`,
      [key],
    );
    expect(count).toEqual({ payments: 1, events: 1 });
  });

  test('markRegistered sets the flag once and touches nothing else', async () => {
    const payment = await created();
    await db.ledger.markRegistered(payment.id);
    await db.ledger.markRegistered(payment.id);
    const [row] = await db.ledger.paymentsByIds([payment.id]);
    expect(row).toEqual({ ...payment, registered: true });
  });
});

describe('status moves', () => {
  test('an allowed move returns the moved row, records the step and announces it after commit with its version', async () => {
    const payment = await created();
    const heard: PaymentChange[] = [];
    const stop = db.ledger.onChange((change) => heard.push(change));
    try {
      const moved = await db.ledger.transition(payment.id, 'PROCESSING', 'wallet');
      expect(moved).toMatchObject({ id: payment.id, status: 'PROCESSING', createdAt: payment.createdAt });
      expect(moved!.updatedAt >= payment.updatedAt).toBe(true);
      expect(await steps(payment.id)).toEqual([
        [null, 'REQUIRES_ACTION', 'test'],
        ['REQUIRES_ACTION', 'PROCESSING', 'wallet'],
      ]);
      expect(heard.filter((change) => change.paymentId === payment.id)).toEqual([{ paymentId: payment.id, status: 'PROCESSING', version: 2, at: moved!.updatedAt }]);
    } finally {
      stop();
    }
  });

  test('a move the status does not allow, or of an unknown payment, is null and changes nothing', async () => {
    const payment = await created();
    expect(await db.ledger.transition(payment.id, 'REFUNDED', 'test')).toBeNull();
    expect(await db.ledger.transition('pay_unknown', 'PROCESSING', 'test')).toBeNull();
    expect(await db.ledger.paymentsByIds([payment.id])).toEqual([payment]);
    expect(await steps(payment.id)).toHaveLength(1);
  });

  test('ten callers racing to cancel one payment: one moves it, nine get null, one event', async () => {
    const payment = await created();
    const results = await Promise.all(Array.from({ length: 10 }, () => db.ledger.transition(payment.id, 'CANCELED', 'race')));
    expect(results.filter((row) => row !== null)).toHaveLength(1);
    expect(await steps(payment.id)).toEqual([
      [null, 'REQUIRES_ACTION', 'test'],
      ['REQUIRES_ACTION', 'CANCELED', 'race'],
    ]);
  });

  test('a move inside a transaction that rolls back leaves no trace and is never announced', async () => {
    const payment = await created();
    const heard: PaymentChange[] = [];
    const stop = db.ledger.onChange((change) => heard.push(change));
    try {
      await expect(
        db.ledger.transaction(async (tx) => {
          await db.ledger.transition(payment.id, 'CANCELED', 'rolled back', tx);
          throw new Error('abandoned');
        }),
      ).rejects.toThrow();
    } finally {
      stop();
    }
    expect(await db.ledger.paymentsByIds([payment.id])).toEqual([payment]);
    expect(await steps(payment.id)).toHaveLength(1);
    expect(heard.filter((change) => change.paymentId === payment.id)).toEqual([]);
  });
});

describe('claims', () => {
  /** A payment whose last change was an hour ago. */
  async function due(status: PaymentStatus = 'REQUIRES_ACTION'): Promise<PaymentRow> {
    const payment = await created();
    if (status !== 'REQUIRES_ACTION') await db.ledger.transition(payment.id, status, 'test');
    await db.ledger.db.query(`UPDATE payment SET updated_at = now() - interval '1 hour', checked_at = NULL WHERE id = $1`, [payment.id]);
    return payment;
  }

  beforeEach(async () => {
    // Only this test's payments are due.
    await db.ledger.db.exec(`UPDATE payment SET checked_at = now() + interval '1 day' WHERE status IN ('REQUIRES_ACTION', 'PROCESSING')`);
  });

  test('unsettled payments that waited are claimed once until the claim lapses; settled ones never', async () => {
    const waiting = await due();
    const processing = await due('PROCESSING');
    await due('CANCELED');
    const claimed = await db.ledger.claimDue(60_000, 10);
    expect(claimed.map((row) => row.id).sort()).toEqual([waiting.id, processing.id].sort());
    expect(await db.ledger.claimDue(60_000, 10)).toEqual([]);
    await db.ledger.db.query(`UPDATE payment SET checked_at = now() - interval '2 minutes' WHERE id = $1`, [waiting.id]);
    expect((await db.ledger.claimDue(60_000, 10)).map((row) => row.id)).toEqual([waiting.id]);
  });

  test('an unpaid payment past its time is due at once; a fresh one is not', async () => {
    const lapsed = await db.ledger.insertPayment(newPayment(new Date(Date.now() - 1000).toISOString()), 'test');
    await created();
    expect((await db.ledger.claimDue(60_000, 10)).map((row) => row.id)).toEqual([lapsed!.id]);
  });

  test('claimers racing over one table share the due payments: none is claimed twice', async () => {
    const payments = [];
    for (let i = 0; i < 12; i++) payments.push(await due());
    const claims = await Promise.all(Array.from({ length: 4 }, () => db.ledger.claimDue(60_000, 5)));
    const ids = claims.flat().map((row) => row.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.sort()).toEqual(payments.map((payment) => payment.id).sort());
  });
});

describe('lists', () => {
  test('payments filtered by merchant, platform, partner, merchants and status, newest first, in keyset pages', async () => {
    const merchantId = `m-${randomUUID()}`;
    const mine = [];
    for (let i = 0; i < 5; i++) mine.push(await created({ merchantId }));
    await created({ merchantId, partnerId: 'partner-b' });
    await created({ merchantId, platformId: 'meituan' });
    await db.ledger.transition(mine[1]!.id, 'CANCELED', 'test');
    const ids = (rows: PaymentRow[]) => rows.map((row) => row.id);
    const newestFirst = ids([...mine].reverse());

    const filter = { merchantId, platformId: 'taobao', partnerId: 'partner-a' };
    // One more than asked: the caller learns from it that a next page exists.
    const first = await db.ledger.listPayments(filter, { first: 2, afterKey: null });
    expect(ids(first)).toEqual(newestFirst.slice(0, 3));
    const second = await db.ledger.listPayments(filter, { first: 2, afterKey: first[1]!.seq });
    expect(ids(second)).toEqual(newestFirst.slice(2, 5));
    const last = await db.ledger.listPayments(filter, { first: 2, afterKey: second[1]!.seq });
    expect(ids(last)).toEqual(newestFirst.slice(4));

    expect(ids(await db.ledger.listPayments({ ...filter, status: 'CANCELED' }, { first: 10, afterKey: null }))).toEqual([mine[1]!.id]);
    expect(await db.ledger.listPayments({ merchantIds: [merchantId, `m-${randomUUID()}`], partnerId: 'partner-b' }, { first: 10, afterKey: null })).toHaveLength(1);
    expect(await db.ledger.listPayments({ merchantIds: [] }, { first: 10, afterKey: null })).toEqual([]);
    expect(await db.ledger.listPayments({ merchantId }, { first: 10, afterKey: null })).toHaveLength(7);
  });

  test('events and refunds per payment: in the order asked, oldest first within each, empty for a payment without any', async () => {
    const [a, b] = [await paid(), await created()];
    await db.ledger.transaction(async (tx) => {
      await db.ledger.insertRefund(tx, { id: `re_${randomUUID()}`, paymentId: a.id, amountMinor: 10, currency: 'CNY', reason: 'one', idempotencyKey: `k-${randomUUID()}`, requestHash: 'h', partnerId: 'partner-a' });
      await db.ledger.insertRefund(tx, { id: `re_${randomUUID()}`, paymentId: a.id, amountMinor: 20, currency: 'CNY', reason: 'two', idempotencyKey: `k-${randomUUID()}`, requestHash: 'h', partnerId: 'partner-a' });
    });
    const events = await db.ledger.eventsByPaymentIds([b.id, 'pay_unknown', a.id]);
    expect(events.map((list) => list.map((event) => event.toStatus))).toEqual([['REQUIRES_ACTION'], [], ['REQUIRES_ACTION', 'PROCESSING', 'SUCCEEDED']]);
    expect(events[2]!.every((event) => ISO_MS.test(event.at))).toBe(true);
    const refunds = await db.ledger.refundsByPaymentIds([a.id, b.id]);
    expect(refunds.map((list) => list.map((refund) => refund.reason))).toEqual([['one', 'two'], []]);
  });
});

describe('refunds, cancel keys and wallet events', () => {
  test('a pending refund is typed as read back; sums count pending and succeeded, and only succeeded', async () => {
    const payment = await paid(500);
    const key = `k-${randomUUID()}`;
    const refund = await db.ledger.transaction((tx) =>
      db.ledger.insertRefund(tx, { id: `re_${randomUUID()}`, paymentId: payment.id, amountMinor: 120, currency: 'CNY', reason: 'damaged', idempotencyKey: key, requestHash: 'h', partnerId: 'partner-a' }),
    );
    expect(refund).toEqual({
      id: expect.stringMatching(/^re_/),
      paymentId: payment.id,
      amountMinor: 120,
      currency: 'CNY',
      reason: 'damaged',
      status: 'PENDING',
      partnerId: 'partner-a',
      idempotencyKey: key,
      requestHash: 'h',
      createdAt: expect.stringMatching(ISO_MS),
    });
    expect(await db.ledger.refundByIdempotencyKey('partner-a', key)).toEqual(refund);
    expect(await db.ledger.refundByIdempotencyKey('partner-b', key)).toBeNull();
    const sums = () => db.ledger.transaction(async (tx) => [await db.ledger.committedRefunds(tx, payment.id), await db.ledger.succeededRefunds(tx, payment.id)]);
    expect(await sums()).toEqual([120, 0]);
    expect(await db.ledger.transaction((tx) => db.ledger.setRefundStatus(tx, refund.id, 'SUCCEEDED'))).toEqual({ ...refund, status: 'SUCCEEDED' });
    expect(await sums()).toEqual([120, 120]);
    await db.ledger.transaction((tx) => db.ledger.setRefundStatus(tx, refund.id, 'FAILED'));
    expect(await sums()).toEqual([0, 0]);
    // A key is one refund per partner, whichever payment it was used on.
    const other = await paid();
    await expect(
      db.ledger.transaction((tx) =>
        db.ledger.insertRefund(tx, { id: `re_${randomUUID()}`, paymentId: other.id, amountMinor: 1, currency: 'CNY', reason: 'again', idempotencyKey: key, requestHash: 'h', partnerId: 'partner-a' }),
      ),
    ).rejects.toThrow();
    expect((await db.ledger.refundsByPaymentIds([other.id]))[0]).toEqual([]);
  });

  test('a cancel key records the first payment it cancelled; used again for another it answers that first one', async () => {
    const [first, second] = [await created(), await created()];
    const key = `cancel-${randomUUID()}`;
    expect(await db.ledger.cancelKeyPayment('partner-a', key)).toBeNull();
    expect(await db.ledger.transaction((tx) => db.ledger.claimCancelKey(tx, 'partner-a', key, first.id))).toBe(first.id);
    expect(await db.ledger.transaction((tx) => db.ledger.claimCancelKey(tx, 'partner-a', key, second.id))).toBe(first.id);
    expect(await db.ledger.cancelKeyPayment('partner-a', key)).toBe(first.id);
    expect(await db.ledger.cancelKeyPayment('partner-b', key)).toBeNull();
  });

  test('a wallet event is claimed once', async () => {
    const payment = await created();
    const eventId = `evt_${randomUUID()}`;
    const claim = () => db.ledger.transaction((tx) => db.ledger.claimWalletEvent(tx, eventId, payment.id, 'payment.succeeded'));
    expect(await claim()).toBe(true);
    expect(await claim()).toBe(false);
  });
});

describe('the payment service on this engine', () => {
  // A wallet that takes every refund: what is under test is the ledger's locking, not the wallet.
  const provider = { ...stubProvider(), refund: async () => undefined };
  const peers = {} as PeerFacts;
  const service = () => new PaymentService(db.ledger, new PaymentsStore(), peers, provider, 900);

  test('refunds racing for one payment take turns under its lock: together they never exceed what was paid', async () => {
    const payment = await paid(300);
    const attempts = await Promise.allSettled(
      Array.from({ length: 6 }, (_, i) =>
        service().refund({ paymentId: payment.id, amount: { amountMinor: 100, currency: 'CNY' }, reason: 'race', idempotencyKey: `race-${randomUUID()}-${i}` }, PARTNER_A.caller),
      ),
    );
    const refused = attempts.filter((attempt): attempt is PromiseRejectedResult => attempt.status === 'rejected');
    expect(attempts.filter((attempt) => attempt.status === 'fulfilled')).toHaveLength(3);
    // Refused for what is left (REFUND_EXCEEDS_CAPTURED) while the third is still on its way, or for the payment's
    // state once the third has made it REFUNDED (INVALID_STATE): which depends on when each one takes the lock.
    for (const attempt of refused) expect([ErrorCode.REFUND_EXCEEDS_CAPTURED, ErrorCode.INVALID_STATE]).toContain((attempt.reason as AppError).extensions['code']);
    expect(refused).toHaveLength(3);
    const [row] = await db.ledger.paymentsByIds([payment.id]);
    expect(row?.status).toBe('REFUNDED');
    expect(await db.ledger.transaction((tx) => db.ledger.succeededRefunds(tx, payment.id))).toBe(300);
  });

  test('one refund key sent six times at once is one refund', async () => {
    const payment = await paid(300);
    const input = { paymentId: payment.id, amount: { amountMinor: 50, currency: 'CNY' as const }, reason: 'once', idempotencyKey: `once-${randomUUID()}` };
    const results = await Promise.allSettled(Array.from({ length: 6 }, () => service().refund(input, PARTNER_A.caller)));
    const ids = new Set(results.map((result) => (result.status === 'fulfilled' ? result.value.id : `refused ${String((result.reason as AppError).extensions?.['code'])}`)));
    expect([...ids]).toHaveLength(1);
    expect(await db.ledger.transaction((tx) => db.ledger.committedRefunds(tx, payment.id))).toBe(50);
  });

  test('the same wallet event delivered six times at once is applied once', async () => {
    const payment = await created();
    const event = { eventId: `evt_${randomUUID()}`, type: 'payment.succeeded' as const, paymentId: payment.id, amountMinor: payment.amountMinor, currency: 'CNY' };
    const outcomes = await Promise.all(Array.from({ length: 6 }, () => service().applyWalletEvent(event)));
    expect(outcomes.sort()).toEqual(['applied', ...Array(5).fill('duplicate')]);
    expect((await steps(payment.id)).map((step) => step[1])).toEqual(['REQUIRES_ACTION', 'PROCESSING', 'SUCCEEDED']);
  });
});
