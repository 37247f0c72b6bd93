/** @backend-contract registration marks on each engine */
// A new payment's registration is recorded a moment after the wallet took
// it, many payments in one statement; a flush writes what waits (as a stop
// does), and a mark that cannot be written is logged, not thrown.
import { PARTNER_A } from '@interop/testing/identities';
import { PaymentService } from '../payment-service';
import type { PeerFacts } from '../peers';
import { RegistrationMarks } from '../registration-marks';
import { PaymentsStore } from '../store/payments-store';
import { newPayment, openLedger, stubProvider, type TestLedger } from './test-context';

let db: TestLedger;

beforeAll(async () => {
  db = await openLedger();
});

afterAll(async () => {
  await db?.drop();
});

const registered = async (ids: readonly string[]): Promise<boolean[]> => (await db.ledger.paymentsByIds(ids)).map((row) => row?.registered ?? false);

async function unregistered(count: number): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < count; i += 1) {
    const row = await db.ledger.insertPayment(newPayment(), 'test');
    ids.push(row!.id);
  }
  return ids;
}

test('marks wait for the delay and are written in one statement', async () => {
  const ids = await unregistered(3);
  const statements = jest.spyOn(db.ledger.db, 'query');
  const marks = new RegistrationMarks(db.ledger, { warn: jest.fn() }, 50);
  try {
    for (const id of ids) marks.mark(id);
    expect(await registered(ids)).toEqual([false, false, false]);
    // Written by the delay's timer, without a flush.
    const deadline = Date.now() + 5_000;
    while ((await registered(ids)).includes(false) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
    expect(await registered(ids)).toEqual([true, true, true]);
    const updates = statements.mock.calls.filter(([sql]) => /^UPDATE payment SET registered/.test(sql));
    expect(updates).toHaveLength(1);
  } finally {
    statements.mockRestore();
  }
});

test('a flush writes what waits at once, and one that fails is logged', async () => {
  const [id] = await unregistered(1);
  const warn = jest.fn();
  const marks = new RegistrationMarks(db.ledger, { warn }, 60_000);
  marks.mark(id!);
  await marks.flush();
  expect(await registered([id!])).toEqual([true]);

  const failing = jest.spyOn(db.ledger, 'markRegistered').mockRejectedValueOnce(new Error('database gone'));
  try {
    marks.mark(id!);
    await expect(marks.flush()).resolves.toBeUndefined();
    expect(warn).toHaveBeenCalledTimes(1);
  } finally {
    failing.mockRestore();
  }
});

test('initiatePayment with marks answers registered, and the row says so once they are written', async () => {
  const provider = stubProvider();
  const marks = new RegistrationMarks(db.ledger, { warn: jest.fn() }, 60_000);
  const peers = {
    checkoutFacts: async () => ({
      acceptances: [{ toolId: 'alipay', status: 'LIVE', requiresMerchantOptIn: false, checkoutRank: 1 }],
      storefront: { merchantStatus: 'ACTIVE', merchantEligible: true, enrolledToolIds: [] },
      names: { platformName: 'Taobao', merchantName: 'A merchant' },
    }),
  } as unknown as PeerFacts;
  const payments = new PaymentService(db.ledger, new PaymentsStore(), peers, provider, 900, marks);
  const payment = await payments.initiate(
    { platformId: 'taobao', merchantId: 'm0000001', paymentToolId: 'alipay', amount: { amountMinor: 100, currency: 'CNY' }, reference: 'order', idempotencyKey: 'marks-1' },
    PARTNER_A.caller,
  );
  expect(payment.registered).toBe(true);
  expect(provider.registered.map((entry) => entry.paymentId)).toEqual([payment.id]);
  expect(await registered([payment.id])).toEqual([false]);
  await marks.flush();
  expect(await registered([payment.id])).toEqual([true]);
});
