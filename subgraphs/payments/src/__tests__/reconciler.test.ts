/** @backend-contract the reconciler's claims on each engine, two processes sharing one database */
// The reconciler over a real ledger (PGlite, or PostgreSQL when DATABASE_URL
// is set) and a provider in memory: what the wallet reports is applied as its
// webhook would have been, expiry waits for the wallet's word, a payment left
// unregistered is registered, and two processes sharing one database apply
// each change once.
import { randomUUID } from 'node:crypto';
import { createLogger, dependencyUnavailable } from '@interop/kit';
import { PaymentService } from '../payment-service';
import { PaymentsStore } from '../store/payments-store';
import type { PeerFacts } from '../peers';
import { Reconciler } from '../reconciler';
import type { PaymentLedger } from '../store/ledger';
import { openPaymentLedger } from '../store/open';
import type { PaymentRow } from '../store/types';
import { newPayment, openLedger, stubProvider, type StubProvider, type TestLedger } from './test-context';

/** Settling payments never asks the owners of checkout facts; registering one asks them only for the names the wallet shows. */
const NAMES = { platformName: 'Taobao', merchantName: 'Jade Tea Shop' };
let peers: PeerFacts;
const logger = createLogger('test');
const STALE_MS = 60_000;

let db: TestLedger;
let provider: StubProvider;

beforeAll(async () => {
  db = await openLedger();
});

afterAll(async () => {
  await db?.drop();
});

beforeEach(async () => {
  provider = stubProvider();
  peers = { displayNames: async () => NAMES } as Partial<PeerFacts> as PeerFacts;
  // Each test sees only its own payments.
  await db.ledger.db.exec(`UPDATE payment SET status = 'CANCELED' WHERE status IN ('REQUIRES_ACTION', 'PROCESSING')`);
});

function reconciler(ledger: PaymentLedger = db.ledger): Reconciler {
  return new Reconciler(ledger, provider, new PaymentService(ledger, new PaymentsStore(), peers, provider, 900), logger, { staleMs: STALE_MS, batchSize: 4 });
}

/** A registered payment whose last change was an hour ago, so it is due. */
async function waiting(options: { expiresInMs?: number; registered?: boolean } = {}): Promise<PaymentRow> {
  const created = await db.ledger.insertPayment(newPayment(new Date(Date.now() + (options.expiresInMs ?? 900_000)).toISOString()), 'test');
  if (!created) throw new Error('not created');
  if (options.registered ?? true) {
    await db.ledger.markRegistered(created.id);
    provider.states.set(created.id, { status: 'PENDING', amountMinor: created.amountMinor, currency: created.currency });
  }
  await db.ledger.db.query(`UPDATE payment SET updated_at = now() - interval '1 hour' WHERE id = $1`, [created.id]);
  return created;
}

async function current(id: string): Promise<{ status: string; registered: boolean; steps: string[] }> {
  const [row] = await db.ledger.paymentsByIds([id]);
  const [events] = await db.ledger.eventsByPaymentIds([id]);
  return { status: row?.status ?? 'missing', registered: row?.registered ?? false, steps: (events ?? []).map((event) => `${event.toStatus} ${event.cause}`) };
}

test('a payment the wallet approved but never announced is SUCCEEDED through PROCESSING; its late webhook then changes nothing', async () => {
  const payment = await waiting();
  provider.states.set(payment.id, { status: 'APPROVED', amountMinor: 100, currency: 'CNY' });
  expect(await reconciler().sweep()).toEqual(['applied']);
  expect(await current(payment.id)).toEqual({
    status: 'SUCCEEDED',
    registered: true,
    steps: ['REQUIRES_ACTION test', 'PROCESSING reconciled: wallet reports APPROVED', 'SUCCEEDED reconciled: wallet reports APPROVED'],
  });
  const payments = new PaymentService(db.ledger, new PaymentsStore(), peers, provider, 900);
  const late = { eventId: `evt_${randomUUID()}`, paymentId: payment.id, amountMinor: 100, currency: 'CNY' };
  expect(await payments.applyWalletEvent({ ...late, type: 'payment.succeeded' })).toBe('unchanged');
  expect((await current(payment.id)).steps).toHaveLength(3);
  // Settled, it is never asked about again.
  expect(await reconciler().sweep()).toEqual([]);
});

test('a payment declined before its time whose webhook is late ends FAILED, not EXPIRED', async () => {
  const payment = await waiting({ expiresInMs: -1000 });
  provider.states.set(payment.id, { status: 'DECLINED', amountMinor: 100, currency: 'CNY' });
  expect(await reconciler().sweep()).toEqual(['applied']);
  expect((await current(payment.id)).status).toBe('FAILED');
});

test('an unpaid payment past its time expires once the wallet says so, and not while it still takes approvals', async () => {
  const payment = await waiting({ expiresInMs: -1000 });
  // The wallet's clock is behind: it would still take an approval.
  expect(await reconciler().sweep()).toEqual(['unchanged']);
  expect((await current(payment.id)).status).toBe('REQUIRES_ACTION');
  await db.ledger.db.query('UPDATE payment SET checked_at = NULL WHERE id = $1', [payment.id]);
  provider.states.set(payment.id, { status: 'EXPIRED', amountMinor: 100, currency: 'CNY' });
  expect(await reconciler().sweep()).toEqual(['applied']);
  expect((await current(payment.id)).steps).toEqual(['REQUIRES_ACTION test', 'EXPIRED expiry']);
});

test('while the wallet does not answer nothing changes, not even expiry, and the next sweep asks again', async () => {
  const payment = await waiting({ expiresInMs: -1000 });
  provider.states.set(payment.id, { status: 'APPROVED', amountMinor: 100, currency: 'CNY' });
  provider.down = true;
  expect(await reconciler().sweep()).toEqual(['unavailable']);
  expect((await current(payment.id)).status).toBe('REQUIRES_ACTION');
  provider.down = false;
  await db.ledger.db.query('UPDATE payment SET checked_at = NULL WHERE id = $1', [payment.id]);
  expect(await reconciler().sweep()).toEqual(['applied']);
  expect((await current(payment.id)).status).toBe('SUCCEEDED');
});

test('a wallet answer with another amount is not applied', async () => {
  const payment = await waiting();
  provider.states.set(payment.id, { status: 'APPROVED', amountMinor: 1, currency: 'CNY' });
  expect(await reconciler().sweep()).toEqual(['mismatch']);
  expect((await current(payment.id)).status).toBe('REQUIRES_ACTION');
});

test('a payment saved but never registered (the process died in between) is registered; past its time it expires', async () => {
  const unregistered = await waiting({ registered: false });
  const lapsed = await waiting({ registered: false, expiresInMs: -1000 });
  expect((await reconciler().sweep()).sort()).toEqual(['applied', 'registered']);
  expect(provider.registered.map((payment) => payment.paymentId)).toEqual([unregistered.id]);
  expect(provider.registered[0]).toMatchObject({ amountMinor: 100, currency: 'CNY', expiresAt: unregistered.expiresAt, reference: 'order', ...NAMES });
  expect(await current(unregistered.id)).toMatchObject({ status: 'REQUIRES_ACTION', registered: true });
  expect((await current(lapsed.id)).status).toBe('EXPIRED');
});

test('a payment registered while the owners of its names do not answer reaches the wallet with ids alone', async () => {
  peers = {
    displayNames: async () => {
      throw dependencyUnavailable('merchants', new Error('refused'));
    },
  } as Partial<PeerFacts> as PeerFacts;
  const unregistered = await waiting({ registered: false });
  expect(await reconciler().sweep()).toEqual(['registered']);
  expect(provider.registered).toHaveLength(1);
  expect(provider.registered[0]).toMatchObject({ paymentId: unregistered.id, merchantId: 'm0000001', platformId: 'taobao' });
  expect(provider.registered[0]).not.toHaveProperty('merchantName');
  expect(provider.registered[0]).not.toHaveProperty('platformName');
});

test('more due payments than a batch are all reconciled in one sweep', async () => {
  const payments = await Promise.all(Array.from({ length: 9 }, () => waiting()));
  for (const { id } of payments) provider.states.set(id, { status: 'DECLINED', amountMinor: 100, currency: 'CNY' });
  expect(await reconciler().sweep()).toEqual(Array(9).fill('applied'));
});

const databaseUrl = process.env.DATABASE_URL;
if (databaseUrl) {
  // Two processes need a server they share; PGlite belongs to one process.
  test('two processes sweeping one PostgreSQL database at once ask about and apply each payment once', async () => {
    const schema = (await db.ledger.db.query<{ schema: string }>('SELECT current_schema() AS schema'))[0]?.schema ?? '';
    const other = await openPaymentLedger({ databaseUrl, schema });
    try {
      const payments = await Promise.all(Array.from({ length: 12 }, () => waiting()));
      for (const { id } of payments) provider.states.set(id, { status: 'APPROVED', amountMinor: 100, currency: 'CNY' });
      const asked: string[] = [];
      const retrieve = provider.retrieve.bind(provider);
      provider.retrieve = (id) => {
        asked.push(id);
        return retrieve(id);
      };
      const [first, second] = await Promise.all([reconciler().sweep(), reconciler(other).sweep()]);
      expect([...(first ?? []), ...(second ?? [])]).toEqual(Array(12).fill('applied'));
      expect(asked.sort()).toEqual(payments.map((payment) => payment.id).sort());
      for (const { id } of payments) expect((await current(id)).steps).toHaveLength(3);
    } finally {
      await other.db.close();
    }
  });
}
