/** @backend-contract an initiation's key on each engine */
// initiatePayment's idempotency key: a new key is saved without a read
// first, and a key used before gets its payment back whatever would refuse a
// new one now (a tool withdrawn since, owners that do not answer), or
// IDEMPOTENCY_KEY_REUSED for another request; a refusal of a new key saves nothing.
import type { AcceptanceFacts } from '@interop/domain';
import { AppError, ErrorCode } from '@interop/kit';
import type { Queryable } from '@interop/kit/db';
import { PARTNER_A } from '@interop/testing/identities';
import { PaymentService } from '../payment-service';
import type { CheckoutFacts, PeerFacts } from '../peers';
import { PaymentsStore } from '../store/payments-store';
import type { InitiatePaymentInput } from '../__generated__/resolvers';
import { openLedger, stubProvider, type TestLedger } from './test-context';

let db: TestLedger;

beforeAll(async () => {
  db = await openLedger();
});

afterAll(async () => {
  await db?.drop();
});

const ACCEPTED: AcceptanceFacts = { toolId: 'alipay', status: 'LIVE', requiresMerchantOptIn: false, checkoutRank: 1 };

/** Owners whose answer the test decides: the tool accepted, withdrawn, or no answer at all. */
function owners() {
  const state = { answer: 'accepted' as 'accepted' | 'withdrawn' | 'down' };
  const peers = {
    async checkoutFacts(): Promise<CheckoutFacts> {
      if (state.answer === 'down') throw new AppError(ErrorCode.DEPENDENCY_UNAVAILABLE, 'The owners do not answer.');
      return {
        acceptances: state.answer === 'accepted' ? [ACCEPTED] : [{ ...ACCEPTED, status: 'SUSPENDED' }],
        storefront: { merchantStatus: 'ACTIVE', merchantEligible: true, enrolledToolIds: [] },
        names: { platformName: 'Taobao', merchantName: 'A merchant' },
      };
    },
    async displayNames() {
      return { platformName: 'Taobao', merchantName: 'A merchant' };
    },
  } as unknown as PeerFacts;
  return { state, peers };
}

const input = (key: string, amountMinor = 100): InitiatePaymentInput => ({
  platformId: 'taobao',
  merchantId: 'm0000001',
  paymentToolId: 'alipay',
  amount: { amountMinor, currency: 'CNY' },
  reference: 'order-1',
  idempotencyKey: key,
});

/** The statements each initiation runs, by their first words. */
function countingStatements(): { reads: () => number; stop: () => void } {
  let reads = 0;
  const real = db.ledger.db.query.bind(db.ledger.db);
  const spy = jest.spyOn(db.ledger.db, 'query').mockImplementation(((sql: string, params?: readonly unknown[]) => {
    if (/^\s*SELECT\b[\s\S]*\bWHERE partner_id = \$1 AND idempotency_key = \$2/.test(sql)) reads += 1;
    return real(sql, params as never);
  }) as Queryable['query']);
  return { reads: () => reads, stop: () => spy.mockRestore() };
}

test('a new key is saved without reading the key first; its retry reads it and gets the same payment', async () => {
  const { peers } = owners();
  const payments = new PaymentService(db.ledger, new PaymentsStore(), peers, stubProvider(), 900);
  const statements = countingStatements();
  try {
    const first = await payments.initiate(input('key-new'), PARTNER_A.caller);
    expect(statements.reads()).toBe(0);
    const again = await payments.initiate(input('key-new'), PARTNER_A.caller);
    expect(again.id).toBe(first.id);
    expect(statements.reads()).toBe(1);
  } finally {
    statements.stop();
  }
});

test('a retry gets its payment back when the tool was withdrawn since, or the owners do not answer', async () => {
  const { state, peers } = owners();
  const payments = new PaymentService(db.ledger, new PaymentsStore(), peers, stubProvider(), 900);
  const first = await payments.initiate(input('key-kept'), PARTNER_A.caller);
  state.answer = 'withdrawn';
  expect((await payments.initiate(input('key-kept'), PARTNER_A.caller)).id).toBe(first.id);
  await expect(payments.initiate(input('key-other'), PARTNER_A.caller)).rejects.toMatchObject({ extensions: { code: ErrorCode.PAYMENT_TOOL_NOT_ACCEPTED } });
  state.answer = 'down';
  expect((await payments.initiate(input('key-kept'), PARTNER_A.caller)).id).toBe(first.id);
  await expect(payments.initiate(input('key-other'), PARTNER_A.caller)).rejects.toMatchObject({ extensions: { code: ErrorCode.DEPENDENCY_UNAVAILABLE } });
  // Neither refusal saved anything under its key: a later try with it is a new payment.
  state.answer = 'accepted';
  const later = await payments.initiate(input('key-other'), PARTNER_A.caller);
  expect(later.id).not.toBe(first.id);
});

test('a key used for another request is refused with IDEMPOTENCY_KEY_REUSED, whether the request would pass or not', async () => {
  const { state, peers } = owners();
  const payments = new PaymentService(db.ledger, new PaymentsStore(), peers, stubProvider(), 900);
  await payments.initiate(input('key-reused'), PARTNER_A.caller);
  await expect(payments.initiate(input('key-reused', 200), PARTNER_A.caller)).rejects.toMatchObject({ extensions: { code: ErrorCode.IDEMPOTENCY_KEY_REUSED } });
  state.answer = 'down';
  await expect(payments.initiate(input('key-reused', 200), PARTNER_A.caller)).rejects.toMatchObject({ extensions: { code: ErrorCode.IDEMPOTENCY_KEY_REUSED } });
});
