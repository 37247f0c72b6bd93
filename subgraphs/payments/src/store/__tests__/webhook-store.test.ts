/** @backend-contract the webhook store on each engine: its SQL, row types, leases and SKIP LOCKED claims */
// The webhook store's contract over a real database (PGlite, or PostgreSQL
// when DATABASE_URL is set): rows keep the engine's types; endpoints are seen
// and changed only through their scope; the outbox queues each event for the
// endpoints that take it; deliveries page newest first; claims are leased, in
// a payment's version order, and never shared between claimers; attempts move
// deliveries and disable an endpoint after a run of failures.
import { randomUUID } from 'node:crypto';
import type { Database, Queryable, SqlParam } from '@interop/kit/db';
import { newPayment, openLedger, type TestLedger } from '../../__tests__/test-context';
import { recordWebhookEvents, type WireEventType } from '../webhook-outbox';
import {
  WebhookStore,
  type AttemptOutcome,
  type ClaimedDelivery,
  type EndpointScope,
  type NewEndpoint,
  type WebhookDeliveryRow,
  type WebhookEndpointRow,
} from '../webhook-store';

const iso = expect.stringMatching(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
const LEASE_MS = 60_000;

let target: TestLedger;
let db: Database;
let store: WebhookStore;

beforeAll(async () => {
  target = await openLedger();
  db = target.ledger.db;
  store = new WebhookStore(db);
});

afterAll(async () => {
  await target?.drop();
});

beforeEach(async () => {
  // claimDue and queueStats read the whole queue: nothing an earlier test left pending may be due in this one.
  await db.exec(`UPDATE webhook_delivery SET status = 'FAILED', next_attempt_at = NULL, finished_at = clock_timestamp() WHERE status = 'PENDING'`);
});

const fresh = (prefix: string) => `${prefix}_${randomUUID().replace(/-/g, '')}`;

/** A partner and a merchant no other test uses, so a test's payments reach only its own endpoints. */
const owners = () => ({ partnerId: fresh('partner'), merchantId: fresh('m') });

const ids = (rows: readonly { id: string }[]) => rows.map((row) => row.id);

function endpoint(partnerId: string, fields: Partial<NewEndpoint> = {}): Promise<WebhookEndpointRow> {
  return store.insertEndpoint({
    id: fresh('we'),
    partnerId,
    merchantId: null,
    merchantConsole: false,
    url: `https://hooks.example.com/${fresh('to')}`,
    description: null,
    events: ['payment.created'],
    secret: fresh('whsec'),
    ...fields,
  });
}

/** A payment; its creation writes payment.created (version 1) and payment.requires_action (2) to the outbox. */
async function pay(partnerId: string, merchantId: string): Promise<string> {
  const row = await target.ledger.insertPayment({ ...newPayment(), partnerId, merchantId }, 'test');
  if (!row) throw new Error('payment not created');
  return row.id;
}

const deliveriesOf = (endpointId: string): Promise<WebhookDeliveryRow[]> => store.deliveries(endpointId, { first: 100, afterKey: null });

/** Moves deliveries' next attempt to `seconds` from now (overdue when negative), as time passing would. */
async function dueIn(deliveryIds: readonly string[], seconds: number): Promise<void> {
  await db.query(`UPDATE webhook_delivery SET next_attempt_at = clock_timestamp() + $2::integer * interval '1 second' WHERE id = ANY($1)`, [[...deliveryIds], seconds]);
}

const delivered = (fields: Partial<AttemptOutcome> = {}): AttemptOutcome => ({
  at: new Date(),
  statusCode: 200,
  durationMs: 5,
  responseExcerpt: 'ok',
  error: null,
  delivered: true,
  retryAt: null,
  ...fields,
});
const retried = (retryAt: Date, fields: Partial<AttemptOutcome> = {}) => delivered({ statusCode: 503, responseExcerpt: 'busy', delivered: false, retryAt, ...fields });
const givenUp = () => delivered({ statusCode: 500, responseExcerpt: 'down', delivered: false, retryAt: null });

/** `tx` as a Database, so a store's statements run in it and hold its row locks until it ends. */
const within = (tx: Queryable): Database => ({
  engine: db.engine,
  query: <Row extends object>(sql: string, params?: readonly SqlParam[]) => tx.query<Row>(sql, params),
  exec: (sql) => tx.exec(sql),
  transaction: (work) => work(tx),
  close: async () => undefined,
});

/** Whether `promise` settles within `ms` (its own outcome is left to whoever awaits it). */
async function settlesWithin(promise: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), ms)));
  try {
    return await Promise.race([promise.then(() => true, () => true), late]);
  } finally {
    clearTimeout(timer);
  }
}

test('an endpoint reads back as inserted, with the engine giving numbers, booleans, arrays, nulls and ISO timestamps', async () => {
  const { partnerId, merchantId } = owners();
  const before = Date.now();
  const input: NewEndpoint = {
    id: fresh('we'),
    partnerId,
    merchantId: null,
    merchantConsole: false,
    url: 'https://hooks.example.com/plain',
    description: null,
    events: ['payment.created', 'refund.failed'],
    secret: 'whsec_plain',
  };
  const plain = await store.insertEndpoint(input);
  expect(plain).toStrictEqual({
    ...input,
    seq: expect.any(Number),
    status: 'ENABLED',
    disabledReason: null,
    previousSecret: null,
    previousSecretExpiresAt: null,
    consecutiveFailures: 0,
    createdAt: iso,
  });
  expect(Date.parse(plain.createdAt)).toBeGreaterThanOrEqual(before - 5_000);
  expect(Date.parse(plain.createdAt)).toBeLessThanOrEqual(Date.now() + 5_000);

  const console = await endpoint(partnerId, { merchantId, merchantConsole: true, description: 'the shop', events: ['payment.succeeded'] });
  expect(console).toMatchObject({ merchantId, merchantConsole: true, description: 'the shop', events: ['payment.succeeded'] });
  expect(console.seq).toBeGreaterThan(plain.seq);
  // A read gives what the insert returned.
  expect(await store.endpoint({ partnerId }, plain.id)).toStrictEqual(plain);
  expect(await store.endpoint({ partnerId }, console.id)).toStrictEqual(console);
});

test('a partner lists its own endpoints oldest first, and reads none of another partner', async () => {
  const mine = fresh('partner');
  const theirs = fresh('partner');
  const first = await endpoint(mine);
  const second = await endpoint(mine);
  const third = await endpoint(mine);
  const other = await endpoint(theirs);
  expect(ids(await store.listEndpoints({ partnerId: mine }))).toEqual([first.id, second.id, third.id]);
  expect(ids(await store.listEndpoints({ partnerId: theirs }))).toEqual([other.id]);
  expect(await store.endpoint({ partnerId: theirs }, first.id)).toBeNull();
  expect(await store.endpoint({ partnerId: mine }, other.id)).toBeNull();
  expect(await store.endpoint({ partnerId: mine }, fresh('we'))).toBeNull();
});

test('a merchant console sees the endpoints confined to its merchants, whichever partner made them, oldest first, and no others', async () => {
  const { partnerId, merchantId } = owners();
  // Sorts before merchantId, so an index walked merchant by merchant would give its endpoint first.
  const elsewhereId = fresh('a');
  const confined = await endpoint(partnerId, { merchantId });
  const unconfined = await endpoint(partnerId);
  const fromConsole = await endpoint(fresh('console'), { merchantId, merchantConsole: true });
  const elsewhere = await endpoint(partnerId, { merchantId: elsewhereId });
  // The console changes what it sees, as the partner does.
  expect(await store.updateEndpoint({ merchantIds: [merchantId] }, confined.id, { description: 'by the console' })).toMatchObject({ id: confined.id, description: 'by the console' });
  expect(ids(await store.listEndpoints({ merchantIds: [merchantId] }))).toEqual([confined.id, fromConsole.id]);
  expect(ids(await store.listEndpoints({ merchantIds: [merchantId, elsewhereId] }))).toEqual([confined.id, fromConsole.id, elsewhere.id]);
  expect(await store.listEndpoints({ merchantIds: [] })).toEqual([]);
  expect(await store.endpoint({ merchantIds: [merchantId] }, fromConsole.id)).toStrictEqual(fromConsole);
  expect(await store.endpoint({ merchantIds: [merchantId] }, unconfined.id)).toBeNull();
  expect(await store.endpoint({ merchantIds: [merchantId] }, elsewhere.id)).toBeNull();
});

test('update, rotate and delete through a scope that does not see the endpoint answer null or false and change nothing', async () => {
  const { partnerId, merchantId } = owners();
  const mine = await endpoint(partnerId, { merchantId });
  await pay(partnerId, merchantId);
  const strangers: EndpointScope[] = [{ partnerId: fresh('partner') }, { merchantIds: [fresh('m')] }];
  for (const stranger of strangers) {
    expect(await store.updateEndpoint(stranger, mine.id, { url: 'https://elsewhere.example.com', enabled: false })).toBeNull();
    expect(await store.rotateSecret(stranger, mine.id, 'whsec_stolen', 0)).toBeNull();
    expect(await store.deleteEndpoint(stranger, mine.id)).toBe(false);
  }
  expect(await store.endpoint({ partnerId }, mine.id)).toStrictEqual(mine);
  expect((await deliveriesOf(mine.id)).map((delivery) => delivery.status)).toEqual(['PENDING']);
});

test('an update changes only what it names; off gives a reason and fails what was pending, on clears the reason and the failure run', async () => {
  const { partnerId, merchantId } = owners();
  const scope = { partnerId };
  const created = await endpoint(partnerId, { description: 'first', events: ['payment.created', 'payment.requires_action'] });
  await pay(partnerId, merchantId);

  const moved = await store.updateEndpoint(scope, created.id, { url: 'https://hooks.example.com/moved' });
  expect(moved).toStrictEqual({ ...created, url: 'https://hooks.example.com/moved' });
  // An explicit null clears the description; an absent field keeps its value.
  const retyped = await store.updateEndpoint(scope, created.id, { events: ['payment.canceled'], description: null });
  expect(retyped).toStrictEqual({ ...moved, events: ['payment.canceled'], description: null });

  // Editing an enabled endpoint leaves its run of failures alone.
  await db.query('UPDATE webhook_endpoint SET consecutive_failures = 2 WHERE id = $1', [created.id]);
  expect(await store.updateEndpoint(scope, created.id, { description: 'edited' })).toMatchObject({ status: 'ENABLED', consecutiveFailures: 2 });

  const off = await store.updateEndpoint(scope, created.id, { enabled: false });
  expect(off).toMatchObject({ status: 'DISABLED', disabledReason: expect.any(String), consecutiveFailures: 2, description: 'edited' });
  expect((await deliveriesOf(created.id)).map((delivery) => [delivery.status, delivery.nextAttemptAt])).toEqual([
    ['FAILED', null],
    ['FAILED', null],
  ]);
  expect(await store.claimDue(10, LEASE_MS)).toEqual([]);

  const on = await store.updateEndpoint(scope, created.id, { enabled: true });
  expect(on).toStrictEqual({ ...off, status: 'ENABLED', disabledReason: null, consecutiveFailures: 0 });
  // What was given up stays given up.
  expect((await deliveriesOf(created.id)).map((delivery) => delivery.status)).toEqual(['FAILED', 'FAILED']);
});

test('a deleted endpoint is gone from every read and change, its pending deliveries fail, and it is queued nothing more', async () => {
  const { partnerId, merchantId } = owners();
  const scope = { partnerId };
  const gone = await endpoint(partnerId, { events: ['payment.created', 'payment.canceled'] });
  const kept = await endpoint(partnerId);
  const paymentId = await pay(partnerId, merchantId);
  const [pending] = await deliveriesOf(gone.id);

  expect(await store.deleteEndpoint(scope, gone.id)).toBe(true);
  expect(ids(await store.listEndpoints(scope))).toEqual([kept.id]);
  expect(await store.endpoint(scope, gone.id)).toBeNull();
  expect(await store.updateEndpoint(scope, gone.id, { enabled: true })).toBeNull();
  expect(await store.rotateSecret(scope, gone.id, fresh('whsec'), 60)).toBeNull();
  expect(await store.deleteEndpoint(scope, gone.id)).toBe(false);
  // Its history stays, given up.
  expect((await deliveriesOf(gone.id)).map((delivery) => [delivery.id, delivery.status])).toEqual([[pending?.id, 'FAILED']]);
  await target.ledger.transition(paymentId, 'CANCELED', 'test');
  expect(await deliveriesOf(gone.id)).toHaveLength(1);
  expect(await store.redeliver(pending?.event.id ?? '', [gone.id])).toEqual([]);
  // The partner's other endpoint is untouched.
  expect(ids(await store.claimDue(10, LEASE_MS))).toEqual(ids(await deliveriesOf(kept.id)));
});

test('a rotation signs with the new secret first and the old one until its window ends; a window of 0 drops the old at once', async () => {
  const { partnerId, merchantId } = owners();
  const scope = { partnerId };
  const { id, secret: first } = await endpoint(partnerId);
  /** The secrets the next delivery to the endpoint is signed with. */
  const signingSecrets = async () => {
    await pay(partnerId, merchantId);
    const claimed = await store.claimDue(10, LEASE_MS);
    expect(claimed).toHaveLength(1);
    return claimed[0]?.secrets;
  };
  expect(await signingSecrets()).toEqual([first]);

  const before = Date.now();
  const rotated = await store.rotateSecret(scope, id, 'whsec_second', 3600);
  expect(rotated).toMatchObject({ secret: 'whsec_second', previousSecret: first, previousSecretExpiresAt: iso });
  const windowEnds = Date.parse(rotated?.previousSecretExpiresAt ?? '');
  expect(windowEnds).toBeGreaterThanOrEqual(before + 3_600_000 - 5_000);
  expect(windowEnds).toBeLessThanOrEqual(Date.now() + 3_600_000 + 5_000);
  expect(await store.endpoint(scope, id)).toStrictEqual(rotated);
  expect(await signingSecrets()).toEqual(['whsec_second', first]);

  await db.query(`UPDATE webhook_endpoint SET previous_secret_expires_at = clock_timestamp() - interval '1 second' WHERE id = $1`, [id]);
  expect((await store.endpoint(scope, id))?.previousSecretExpiresAt).toBeNull();
  expect(await signingSecrets()).toEqual(['whsec_second']);

  // The secret a rotation keeps is the one it replaces.
  expect(await store.rotateSecret(scope, id, 'whsec_third', 60)).toMatchObject({ secret: 'whsec_third', previousSecret: 'whsec_second', previousSecretExpiresAt: iso });
  expect(await signingSecrets()).toEqual(['whsec_third', 'whsec_second']);
  expect(await store.rotateSecret(scope, id, 'whsec_fourth', 0)).toMatchObject({ secret: 'whsec_fourth', previousSecret: null, previousSecretExpiresAt: null });
  expect(await signingSecrets()).toEqual(['whsec_fourth']);
});

test("an endpoint's deliveries come newest first in keyset pages of `first` rows and one more, each with its event as written", async () => {
  const { partnerId, merchantId } = owners();
  const { id } = await endpoint(partnerId, { events: ['payment.created', 'payment.requires_action', 'payment.canceled'] });
  // Another endpoint taking the same events: its deliveries are not this one's.
  await endpoint(partnerId, { events: ['payment.created', 'payment.requires_action', 'payment.canceled'] });
  const first = await pay(partnerId, merchantId);
  const second = await pay(partnerId, merchantId);
  await target.ledger.transition(first, 'CANCELED', 'test');

  const all = await store.deliveries(id, { first: 10, afterKey: null });
  expect(all.map((delivery) => [delivery.event.paymentId, delivery.event.paymentVersion, delivery.event.type])).toEqual([
    [first, 3, 'payment.canceled'],
    [second, 2, 'payment.requires_action'],
    [second, 1, 'payment.created'],
    [first, 2, 'payment.requires_action'],
    [first, 1, 'payment.created'],
  ]);
  const [newest] = all;
  expect(newest).toStrictEqual({
    seq: expect.any(Number),
    id: expect.stringMatching(/^whd_[0-9a-f]{32}$/),
    endpointId: id,
    status: 'PENDING',
    nextAttemptAt: iso,
    attemptCount: 0,
    createdAt: iso,
    event: {
      id: expect.stringMatching(/^evt_[0-9a-f]{32}$/),
      type: 'payment.canceled',
      createdAt: iso,
      paymentId: first,
      paymentVersion: 3,
      partnerId,
      merchantId,
      payload: expect.any(String),
    },
  });
  // The payload is the payment as the change left it.
  expect(JSON.parse(newest?.event.payload ?? '')).toMatchObject({
    payment: { id: first, status: 'CANCELED', amount: { amountMinor: 100, currency: 'CNY' }, refundedAmount: { amountMinor: 0, currency: 'CNY' }, merchantId, refunds: [] },
  });
  expect(JSON.parse(all[4]?.event.payload ?? '')).toMatchObject({ payment: { id: first, status: 'REQUIRES_ACTION' } });

  // Each page has `first` rows and the first of the next, which only says whether it exists; the next page starts after the last row shown.
  const page1 = await store.deliveries(id, { first: 2, afterKey: null });
  expect(ids(page1)).toEqual(ids(all.slice(0, 3)));
  const page2 = await store.deliveries(id, { first: 2, afterKey: page1[1]?.seq ?? 0 });
  expect(ids(page2)).toEqual(ids(all.slice(2, 5)));
  const page3 = await store.deliveries(id, { first: 2, afterKey: page2[1]?.seq ?? 0 });
  expect(ids(page3)).toEqual(ids(all.slice(4)));
  expect(ids(await store.deliveries(id, { first: 0, afterKey: null }))).toEqual(ids(all.slice(0, 1)));
  expect(await store.deliveries(fresh('we'), { first: 10, afterKey: null })).toEqual([]);
});

test('the outbox numbers a payment’s events and queues each for every enabled endpoint taking it: its partner’s, confined to its merchant or not, and its merchant’s consoles', async () => {
  const { partnerId, merchantId } = owners();
  const events: WireEventType[] = ['payment.created', 'payment.requires_action', 'payment.processing', 'payment.succeeded', 'payment.canceled'];
  const receiving = [
    await endpoint(partnerId, { events }),
    await endpoint(partnerId, { events, merchantId }),
    await endpoint(fresh('console'), { events, merchantId, merchantConsole: true }),
  ];
  const createdOnly = await endpoint(partnerId, { events: ['payment.created'] });
  const unreached = [
    await endpoint(partnerId, { events, merchantId: fresh('m') }),
    await endpoint(fresh('console'), { events, merchantId: fresh('m'), merchantConsole: true }),
    await endpoint(fresh('partner'), { events }),
    // Confined to the merchant but not a console: only its own partner's payments.
    await endpoint(fresh('partner'), { events, merchantId }),
  ];
  const off = await endpoint(partnerId, { events });
  await store.updateEndpoint({ partnerId }, off.id, { enabled: false });
  const deleted = await endpoint(partnerId, { events });
  await store.deleteEndpoint({ partnerId }, deleted.id);

  const paymentId = await pay(partnerId, merchantId);
  await target.ledger.transition(paymentId, 'PROCESSING', 'test');
  await target.ledger.transition(paymentId, 'SUCCEEDED', 'test');

  const queued = async (endpointId: string) => (await deliveriesOf(endpointId)).reverse().map((delivery) => delivery.event);
  const told = ['1 payment.created', '2 payment.requires_action', '3 payment.processing', '4 payment.succeeded'];
  const versions = (rows: { paymentVersion: number; type: string }[]) => rows.map((event) => `${event.paymentVersion} ${event.type}`);
  for (const each of receiving) expect(versions(await queued(each.id))).toEqual(told);
  expect(versions(await queued(createdOnly.id))).toEqual(['1 payment.created']);
  for (const each of [...unreached, off, deleted]) expect(await queued(each.id)).toEqual([]);
  // One event per change, whichever endpoints it went to, carrying the payment as that change left it.
  const [partnerWide, , console] = await Promise.all(receiving.map((each) => queued(each.id)));
  expect(ids(console ?? [])).toEqual(ids(partnerWide ?? []));
  expect((partnerWide ?? []).map((event) => (JSON.parse(event.payload) as { payment: { status: string } }).payment.status)).toEqual([
    'REQUIRES_ACTION',
    'REQUIRES_ACTION',
    'PROCESSING',
    'SUCCEEDED',
  ]);

  // Numbering goes on from the payment's last event, in the order the types are given; the count is of deliveries queued.
  expect(await target.ledger.transaction((tx) => recordWebhookEvents(tx, paymentId, ['payment.canceled', 'payment.created']))).toBe(receiving.length * 2 + 1);
  expect(versions(await queued(createdOnly.id))).toEqual(['1 payment.created', '6 payment.created']);
  expect(versions(await queued(receiving[0]?.id ?? '')).slice(4)).toEqual(['5 payment.canceled', '6 payment.created']);
  expect(await target.ledger.transaction((tx) => recordWebhookEvents(tx, paymentId, []))).toBe(0);
});

test('claimDue takes the longest-due deliveries first, up to its limit, each held for its lease, and again once a lease lapses', async () => {
  const { partnerId, merchantId } = owners();
  const hooks = await endpoint(partnerId);
  for (let i = 0; i < 4; i += 1) await pay(partnerId, merchantId);
  const listed = await deliveriesOf(hooks.id);
  const [d4, d3, d2, d1] = ids(listed);
  if (!d1 || !d2 || !d3 || !d4) throw new Error('expected four deliveries');
  // Made due in an order unlike that of their creation and of these updates, so neither storage order puts d3 and d1 first.
  await dueIn([d4], -60);
  await dueIn([d2], 3600);
  await dueIn([d1], -1800);
  await dueIn([d3], -3600);

  const first = await store.claimDue(2, LEASE_MS);
  expect(ids(first).sort()).toEqual([d1, d3].sort());
  const listedD3 = listed.find((delivery) => delivery.id === d3);
  expect(first.find((claimed) => claimed.id === d3)).toStrictEqual({
    id: d3,
    endpointId: hooks.id,
    attempts: 0,
    createdAt: listedD3?.createdAt,
    url: hooks.url,
    secrets: [hooks.secret],
    event: listedD3?.event,
    // No later event of its payment waits for it.
    blocksLater: false,
  });

  // d2 is not due yet; the claimed are held.
  expect(ids(await store.claimDue(10, LEASE_MS))).toEqual([d4]);
  expect(await store.claimDue(10, LEASE_MS)).toEqual([]);
  for (const delivery of (await deliveriesOf(hooks.id)).filter((row) => row.id !== d2)) {
    expect(delivery).toMatchObject({ status: 'PENDING', attemptCount: 0 });
    const held = Date.parse(delivery.nextAttemptAt ?? '') - Date.now();
    expect(held).toBeGreaterThan(LEASE_MS - 10_000);
    expect(held).toBeLessThanOrEqual(LEASE_MS + 1_000);
  }

  // A claimer that died mid-attempt: once its lease is over, the delivery is due again, for one claimer.
  await dueIn([d1], -1);
  expect(ids(await store.claimDue(10, LEASE_MS))).toEqual([d1]);
  expect(await store.claimDue(10, LEASE_MS)).toEqual([]);
});

test('nothing is claimed for an endpoint that is disabled or deleted, even a delivery left pending', async () => {
  const { partnerId, merchantId } = owners();
  const on = await endpoint(partnerId);
  const off = await endpoint(partnerId);
  const gone = await endpoint(partnerId);
  await pay(partnerId, merchantId);
  // Turned off behind the store's back (it fails what is pending as it turns one off), as a race could leave it.
  await db.query(`UPDATE webhook_endpoint SET status = 'DISABLED' WHERE id = $1`, [off.id]);
  await db.query('UPDATE webhook_endpoint SET deleted = true WHERE id = $1', [gone.id]);
  expect((await store.claimDue(10, LEASE_MS)).map((claimed) => claimed.endpointId)).toEqual([on.id]);
});

test("a payment's later event waits while an earlier one is pending for the same endpoint, and goes once that is delivered or given up", async () => {
  const { partnerId, merchantId } = owners();
  const events: WireEventType[] = ['payment.created', 'payment.requires_action'];
  const one = await endpoint(partnerId, { events });
  const two = await endpoint(partnerId, { events });
  const p = await pay(partnerId, merchantId);
  const q = await pay(partnerId, merchantId);
  const names = new Map([
    [one.id, 'one'],
    [two.id, 'two'],
    [p, 'p'],
    [q, 'q'],
  ]);
  const claim = async () =>
    (await store.claimDue(10, LEASE_MS)).map((claimed) => ({
      claimed,
      key: `${names.get(claimed.endpointId)} ${names.get(claimed.event.paymentId)} v${claimed.event.paymentVersion}`,
    }));
  const keys = (claims: { key: string }[]) => claims.map((claim) => claim.key).sort();

  const firsts = await claim();
  expect(keys(firsts)).toEqual(['one p v1', 'one q v1', 'two p v1', 'two q v1']);
  const firstOf = (key: string): ClaimedDelivery => {
    const found = firsts.find((claim) => claim.key === key)?.claimed;
    if (!found) throw new Error(`${key} not claimed`);
    return found;
  };

  // Delivered at one: p's next event goes to one; two still waits on its own.
  await store.recordAttempt(firstOf('one p v1'), delivered(), 5);
  expect(keys(await claim())).toEqual(['one p v2']);
  // Given up at two: the next goes all the same.
  expect(await store.recordAttempt(firstOf('two p v1'), givenUp(), 5)).toEqual({ status: 'FAILED', disabled: false, next: null });
  expect(keys(await claim())).toEqual(['two p v2']);
  // Retried, q's first event is due again and its second still waits behind it.
  await store.recordAttempt(firstOf('one q v1'), retried(new Date(Date.now() - 1_000)), 5);
  expect(keys(await claim())).toEqual(['one q v1']);
});

test("recording a delivered event can claim its payment's next one for the same endpoint, as claimDue would, and nothing else", async () => {
  const { partnerId, merchantId } = owners();
  const events: WireEventType[] = ['payment.created', 'payment.requires_action', 'payment.canceled'];
  const hooks = await endpoint(partnerId, { events });
  const other = await endpoint(partnerId, { events });
  const p = await pay(partnerId, merchantId);
  await target.ledger.transition(p, 'CANCELED', 'test');
  const claimedAt = (await store.claimDue(10, LEASE_MS)).filter((claimed) => claimed.endpointId === hooks.id);
  const [created] = claimedAt;
  expect(claimedAt).toHaveLength(1);
  expect(created).toMatchObject({ blocksLater: true, event: { type: 'payment.created', paymentVersion: 1 } });

  // Delivered: version 2 comes back claimed, with all claimDue gives, and held for the lease; version 3 still waits on it.
  const first = await store.recordAttempt(created!, delivered(), 5, LEASE_MS);
  expect(first).toMatchObject({ status: 'DELIVERED', disabled: false });
  const second = first.next;
  const [fromClaimDue] = (await deliveriesOf(hooks.id)).filter((row) => row.event.paymentVersion === 2);
  expect(second).toStrictEqual({
    id: fromClaimDue?.id,
    endpointId: hooks.id,
    attempts: 0,
    createdAt: iso,
    url: hooks.url,
    secrets: [hooks.secret],
    blocksLater: true,
    event: fromClaimDue?.event,
  });
  expect(fromClaimDue?.nextAttemptAt).not.toBeNull();
  expect(Date.parse(fromClaimDue!.nextAttemptAt!)).toBeGreaterThan(Date.now() + LEASE_MS / 2);
  expect((await store.claimDue(10, LEASE_MS)).filter((claimed) => claimed.endpointId === hooks.id)).toEqual([]);

  // A retry or a give-up claims nothing; nor does a recording that asks for nothing.
  const retriedNow = await store.recordAttempt(second!, retried(new Date(Date.now() - 1_000)), 5, LEASE_MS);
  expect(retriedNow).toEqual({ status: 'PENDING', disabled: false, next: null });
  const [again] = (await store.claimDue(10, LEASE_MS)).filter((claimed) => claimed.endpointId === hooks.id);
  expect(again).toMatchObject({ id: second!.id, attempts: 1 });
  expect(await store.recordAttempt(again!, delivered(), 5)).toEqual({ status: 'DELIVERED', disabled: false, next: null });
  const [third] = (await store.claimDue(10, LEASE_MS)).filter((claimed) => claimed.endpointId === hooks.id);
  expect(third).toMatchObject({ blocksLater: false, event: { type: 'payment.canceled', paymentVersion: 3 } });
  // The last event of the payment: nothing follows it.
  expect(await store.recordAttempt(third!, delivered(), 5, LEASE_MS)).toEqual({ status: 'DELIVERED', disabled: false, next: null });
  // The other endpoint's deliveries were never touched: its first is claimable, its next still waits.
  expect((await deliveriesOf(other.id)).map((row) => [row.event.paymentVersion, row.status, row.attemptCount])).toEqual([
    [3, 'PENDING', 0],
    [2, 'PENDING', 0],
    [1, 'PENDING', 0],
  ]);
});

test('the next event is not claimed with a recording when it is not due, its endpoint is off, or another claimer holds it', async () => {
  const { partnerId, merchantId } = owners();
  const events: WireEventType[] = ['payment.created', 'payment.requires_action'];
  const hooks = await endpoint(partnerId, { events });
  const firstClaim = async () => {
    const p = await pay(partnerId, merchantId);
    const [created] = (await store.claimDue(10, LEASE_MS)).filter((claimed) => claimed.event.paymentId === p);
    if (!created) throw new Error('nothing claimed');
    const [next] = (await deliveriesOf(hooks.id)).filter((row) => row.event.paymentId === p && row.event.paymentVersion === 2);
    return { created, nextId: next!.id };
  };

  const later = await firstClaim();
  await dueIn([later.nextId], 60);
  expect((await store.recordAttempt(later.created, delivered(), 5, LEASE_MS)).next).toBeNull();

  const held = await firstClaim();
  await db.transaction(async (tx) => {
    // Another claimer's hold: on PostgreSQL the recording skips the locked row; PGlite runs one statement at a time, so the hold is a lease.
    if (db.engine === 'postgres') await tx.query('SELECT 1 FROM webhook_delivery WHERE id = $1 FOR UPDATE', [held.nextId]);
    else await tx.query(`UPDATE webhook_delivery SET next_attempt_at = clock_timestamp() + interval '1 minute' WHERE id = $1`, [held.nextId]);
    if (db.engine === 'postgres') expect((await store.recordAttempt(held.created, delivered(), 5, LEASE_MS)).next).toBeNull();
  });
  if (db.engine !== 'postgres') expect((await store.recordAttempt(held.created, delivered(), 5, LEASE_MS)).next).toBeNull();

  const off = await firstClaim();
  await store.updateEndpoint({ partnerId }, hooks.id, { enabled: false });
  expect(await store.recordAttempt(off.created, delivered(), 5, LEASE_MS)).toEqual({ status: 'DELIVERED', disabled: false, next: null });
});

test("a new payment's statement claims all its deliveries for a hand with room, each as claimDue would give it", async () => {
  const { partnerId, merchantId } = owners();
  const both = await endpoint(partnerId, { events: ['payment.created', 'payment.requires_action'] });
  const second = await endpoint(partnerId, { events: ['payment.requires_action'] });
  const taken: ClaimedDelivery[][] = [];
  const hand = { reserve: jest.fn(() => LEASE_MS), take: jest.fn((claimed: readonly ClaimedDelivery[]) => void taken.push([...claimed])), release: jest.fn() };
  const queued = jest.fn();
  const stopTelling = target.ledger.onDeliveriesQueued(queued);
  const stopHanding = target.ledger.handDeliveriesTo(hand);
  try {
    const p = await pay(partnerId, merchantId);
    expect(hand.reserve).toHaveBeenCalledTimes(1);
    expect(hand.release).not.toHaveBeenCalled();
    expect(queued).not.toHaveBeenCalled();
    const [claimed] = taken;
    // Every delivery; payment.created to the endpoint taking both holds back its payment.requires_action.
    expect(claimed?.map((delivery) => [delivery.endpointId, delivery.event.type, delivery.blocksLater]).sort()).toEqual(
      [
        [both.id, 'payment.created', true],
        [both.id, 'payment.requires_action', false],
        [second.id, 'payment.requires_action', false],
      ].sort(),
    );
    // As claimDue gives a delivery: every field, and the event as the table holds it.
    const rows = [...(await deliveriesOf(both.id)), ...(await deliveriesOf(second.id))];
    for (const delivery of claimed ?? []) {
      const row = rows.find((candidate) => candidate.id === delivery.id);
      const [owner] = await store.listEndpoints({ partnerId }).then((all) => all.filter((candidate) => candidate.id === delivery.endpointId));
      expect(delivery).toStrictEqual({ id: row?.id, endpointId: owner?.id, attempts: 0, createdAt: row?.createdAt, url: owner?.url, secrets: [owner?.secret], blocksLater: delivery.blocksLater, event: row?.event });
      expect(Date.parse(row!.nextAttemptAt!)).toBeGreaterThan(Date.now() + LEASE_MS / 2);
    }
    // Held for the lease: claimDue finds none of them, even once the first is delivered.
    expect((await store.claimDue(10, LEASE_MS)).filter((delivery) => delivery.event.paymentId === p)).toEqual([]);
    const created = claimed!.find((delivery) => delivery.endpointId === both.id && delivery.event.type === 'payment.created')!;
    expect(await store.recordAttempt(created, delivered(), 5, LEASE_MS)).toMatchObject({ status: 'DELIVERED', next: null });
    expect((await store.claimDue(10, LEASE_MS)).filter((delivery) => delivery.event.paymentId === p)).toEqual([]);

    // A key taken already (p's: newPayment keys each payment by its id): nothing written, the room is given back.
    expect(await target.ledger.insertPayment({ ...newPayment(), partnerId, merchantId, idempotencyKey: `key-${p}` }, 'test')).toBeNull();
    expect(hand.release).toHaveBeenCalledTimes(1);
    expect(hand.take).toHaveBeenCalledTimes(1);

    // No room: nothing claimed, the worker is told, and claimDue finds the first deliveries.
    hand.reserve.mockReturnValue(null as never);
    const later = await pay(partnerId, merchantId);
    expect(queued).toHaveBeenCalledTimes(1);
    expect((await store.claimDue(10, LEASE_MS)).filter((delivery) => delivery.event.paymentId === later).map((delivery) => delivery.event.type).sort()).toEqual(['payment.created', 'payment.requires_action']);
  } finally {
    stopHanding();
    stopTelling();
  }
});

test('claimers racing over one database, in two stores or one, never claim a delivery twice', async () => {
  const { partnerId, merchantId } = owners();
  const hooks = await endpoint(partnerId);
  await Promise.all(Array.from({ length: 12 }, () => pay(partnerId, merchantId)));
  const queued = ids(await deliveriesOf(hooks.id));
  expect(queued).toHaveLength(12);

  const stores = [store, new WebhookStore(db)];
  const rounds = await Promise.all(Array.from({ length: 8 }, (_, i) => stores[i % 2]?.claimDue(3, LEASE_MS) ?? []));
  const claimed = [...rounds.flat(), ...(await store.claimDue(20, LEASE_MS))].map((delivery) => delivery.id);
  expect(claimed.sort()).toEqual([...queued].sort());
});

test('a claimer skips the deliveries another holds in an open transaction, without waiting for it to end', async () => {
  const { partnerId, merchantId } = owners();
  const hooks = await endpoint(partnerId);
  for (let i = 0; i < 3; i += 1) await pay(partnerId, merchantId);
  const [newest, middle, oldest] = ids(await deliveriesOf(hooks.id));
  if (!newest || !middle || !oldest) throw new Error('expected three deliveries');
  await dueIn([oldest], -120);
  await dueIn([middle], -60);

  let rival: Promise<ClaimedDelivery[]> = Promise.resolve([]);
  let rivalDoneMeanwhile = false;
  const held = await db.transaction(async (tx) => {
    const mine = await new WebhookStore(within(tx)).claimDue(2, LEASE_MS);
    rival = new WebhookStore(db).claimDue(10, LEASE_MS);
    // PGlite is one session, which the transaction holds to its end: there the rival can only run after it. On
    // PostgreSQL it runs beside it, and must neither wait for the rows held (as FOR UPDATE alone would) nor take them.
    if (db.engine === 'postgres') rivalDoneMeanwhile = await settlesWithin(rival, 3_000);
    return mine;
  });
  expect(ids(held).sort()).toEqual([middle, oldest].sort());
  expect(ids(await rival)).toEqual([newest]);
  expect(rivalDoneMeanwhile).toBe(db.engine === 'postgres');
});

test('recordAttempt keeps a retried delivery pending until its time, ends it once delivered, and keeps every attempt as recorded', async () => {
  const { partnerId, merchantId } = owners();
  const hooks = await endpoint(partnerId);
  await pay(partnerId, merchantId);
  // Only deliveries given up count against an endpoint: retries leave its run as it is, a delivery ends it.
  await db.query('UPDATE webhook_endpoint SET consecutive_failures = 2 WHERE id = $1', [hooks.id]);
  const [claimed] = await store.claimDue(10, LEASE_MS);
  if (!claimed) throw new Error('nothing claimed');

  const retryAt = new Date(Date.now() + 3_600_000);
  const busy = retried(retryAt, { at: new Date(Date.now() - 3_000), durationMs: 42 });
  expect(await store.recordAttempt(claimed, busy, 3)).toEqual({ status: 'PENDING', disabled: false, next: null });
  expect((await deliveriesOf(hooks.id))[0]).toMatchObject({ status: 'PENDING', attemptCount: 1, nextAttemptAt: retryAt.toISOString() });
  expect(await store.claimDue(10, LEASE_MS)).toEqual([]);

  await dueIn([claimed.id], -1);
  const [second] = await store.claimDue(10, LEASE_MS);
  expect(second).toMatchObject({ id: claimed.id, attempts: 1, createdAt: claimed.createdAt });
  const refused = retried(new Date(Date.now() - 1_000), { at: new Date(Date.now() - 2_000), statusCode: null, responseExcerpt: null, error: 'connect ECONNREFUSED', durationMs: 0 });
  expect(await store.recordAttempt(claimed, refused, 3)).toEqual({ status: 'PENDING', disabled: false, next: null });
  expect((await store.endpoint({ partnerId }, hooks.id))?.consecutiveFailures).toBe(2);

  const [third] = await store.claimDue(10, LEASE_MS);
  expect(third).toMatchObject({ id: claimed.id, attempts: 2 });
  const ok = delivered({ at: new Date(Date.now() - 1_000), retryAt: new Date(Date.now() + 3_600_000) });
  expect(await store.recordAttempt(claimed, ok, 3)).toEqual({ status: 'DELIVERED', disabled: false, next: null });
  expect((await deliveriesOf(hooks.id))[0]).toMatchObject({ status: 'DELIVERED', attemptCount: 3, nextAttemptAt: null });
  expect((await store.endpoint({ partnerId }, hooks.id))?.consecutiveFailures).toBe(0);

  // An attempt that ends after its delivery was settled (its lease lapsed, another process delivered it) is kept, and moves nothing.
  const late = givenUp();
  expect(await store.recordAttempt(claimed, late, 1)).toEqual({ status: 'FAILED', disabled: false, next: null });
  expect((await deliveriesOf(hooks.id))[0]).toMatchObject({ status: 'DELIVERED', attemptCount: 3 });
  expect(await store.endpoint({ partnerId }, hooks.id)).toMatchObject({ status: 'ENABLED', consecutiveFailures: 0 });

  const row = (outcome: AttemptOutcome) => ({
    deliveryId: claimed.id,
    at: outcome.at.toISOString(),
    statusCode: outcome.statusCode,
    durationMs: outcome.durationMs,
    responseExcerpt: outcome.responseExcerpt,
    error: outcome.error,
  });
  expect(await store.attemptsByDeliveryIds([claimed.id])).toStrictEqual([[row(busy), row(refused), row(ok), row(late)]]);
});

test('recordDelivered records each attempt in order, ends the deliveries still pending and their endpoints\' runs, and gives back the claims of those not sent', async () => {
  const { partnerId, merchantId } = owners();
  const hooks = await endpoint(partnerId, { events: ['payment.created', 'payment.requires_action'] });
  const other = await endpoint(partnerId, { events: ['payment.created', 'payment.requires_action'] });
  await db.query('UPDATE webhook_endpoint SET consecutive_failures = 2 WHERE id = ANY($1)', [[hooks.id, other.id]]);
  const p = await pay(partnerId, merchantId);
  const q = await pay(partnerId, merchantId);
  const ofHooks = (await deliveriesOf(hooks.id)).reverse();
  const ofOther = (await deliveriesOf(other.id)).reverse();
  const [first, next] = ofHooks.filter((row) => row.event.paymentId === p);
  const [otherFirst, otherNext] = ofOther.filter((row) => row.event.paymentId === q);
  const [failedMeanwhile] = ofOther.filter((row) => row.event.paymentId === p);
  if (!first || !next || !otherFirst || !otherNext || !failedMeanwhile) throw new Error('expected the deliveries of two payments to two endpoints');
  // All claimed, as a new payment's statement claims them; one has failed since (as its endpoint's switch would).
  await dueIn([first.id, next.id, otherFirst.id, otherNext.id], 60);
  await db.query(`UPDATE webhook_delivery SET status = 'FAILED', next_attempt_at = NULL, finished_at = clock_timestamp() WHERE id = $1`, [failedMeanwhile.id]);

  const attempt = (deliveryId: string, secondsAgo: number) => ({ deliveryId, at: new Date(Date.now() - secondsAgo * 1000), statusCode: 200, durationMs: secondsAgo, responseExcerpt: secondsAgo > 2 ? null : 'ok' });
  const attempts = [attempt(first.id, 4), attempt(next.id, 3), attempt(otherFirst.id, 2), attempt(failedMeanwhile.id, 1)];
  await store.recordDelivered(attempts, [otherNext.id]);

  const status = async (endpointId: string) => new Map((await deliveriesOf(endpointId)).map((row) => [row.id, row]));
  const [hooksNow, otherNow] = [await status(hooks.id), await status(other.id)];
  for (const id of [first.id, next.id]) expect(hooksNow.get(id)).toMatchObject({ status: 'DELIVERED', attemptCount: 1, nextAttemptAt: null });
  expect(otherNow.get(otherFirst.id)).toMatchObject({ status: 'DELIVERED', attemptCount: 1 });
  expect(otherNow.get(failedMeanwhile.id)).toMatchObject({ status: 'FAILED', attemptCount: 0 });
  // Given back: due now, and claimDue finds it, its payment's first delivered.
  expect(Date.parse(otherNow.get(otherNext.id)!.nextAttemptAt!)).toBeLessThanOrEqual(Date.now() + 1000);
  expect((await store.claimDue(10, LEASE_MS)).map((delivery) => delivery.id)).toContain(otherNext.id);
  for (const id of [hooks.id, other.id]) expect((await store.endpoint({ partnerId }, id))?.consecutiveFailures).toBe(0);
  // Every attempt as sent, the late one included.
  expect(await store.attemptsByDeliveryIds(attempts.map((row) => row.deliveryId))).toStrictEqual(
    attempts.map((row) => [{ ...row, at: row.at.toISOString(), error: null }]),
  );
  // Nothing given: nothing changes.
  await store.recordDelivered([], []);
});

test('deliveries given up in a row disable the endpoint at the limit, failing what it still had pending; a delivery between starts the run again', async () => {
  const { partnerId, merchantId } = owners();
  const scope = { partnerId };
  const hooks = await endpoint(partnerId);
  const bystander = await endpoint(partnerId);
  for (let i = 0; i < 5; i += 1) await pay(partnerId, merchantId);
  const claimed = (await store.claimDue(20, LEASE_MS)).filter((delivery) => delivery.endpointId === hooks.id);
  const [a, b, c, d, e] = claimed;
  if (!a || !b || !c || !d || !e) throw new Error('expected five claims');

  expect(await store.recordAttempt(a, givenUp(), 2)).toEqual({ status: 'FAILED', disabled: false, next: null });
  expect(await store.recordAttempt(b, delivered(), 2)).toEqual({ status: 'DELIVERED', disabled: false, next: null });
  expect(await store.recordAttempt(c, givenUp(), 2)).toEqual({ status: 'FAILED', disabled: false, next: null });
  expect(await store.endpoint(scope, hooks.id)).toMatchObject({ status: 'ENABLED', consecutiveFailures: 1, disabledReason: null });
  expect(await store.recordAttempt(d, givenUp(), 2)).toEqual({ status: 'FAILED', disabled: true, next: null });
  const disabled = await store.endpoint(scope, hooks.id);
  expect(disabled).toMatchObject({ status: 'DISABLED', consecutiveFailures: 2, disabledReason: expect.any(String) });

  // e was in flight: it failed with its endpoint, and its attempt, ending now, moves nothing.
  const statusOfE = async () => (await deliveriesOf(hooks.id)).find((row) => row.id === e.id);
  expect(await statusOfE()).toMatchObject({ status: 'FAILED', nextAttemptAt: null });
  expect(await store.recordAttempt(e, delivered(), 2)).toEqual({ status: 'DELIVERED', disabled: false, next: null });
  expect(await statusOfE()).toMatchObject({ status: 'FAILED', attemptCount: 0 });
  expect(await store.endpoint(scope, hooks.id)).toMatchObject({ status: 'DISABLED', consecutiveFailures: 2 });
  expect(new Set((await deliveriesOf(bystander.id)).map((row) => row.status))).toEqual(new Set(['PENDING']));

  // Its partner's later edit keeps the reason it was disabled for, which is not the one a partner's own switch gives.
  expect(await store.updateEndpoint(scope, hooks.id, { description: 'looked at' })).toMatchObject({ status: 'DISABLED', disabledReason: disabled?.disabledReason });
  const paused = await store.updateEndpoint(scope, bystander.id, { enabled: false });
  expect(paused?.disabledReason).toEqual(expect.any(String));
  expect(paused?.disabledReason).not.toBe(disabled?.disabledReason);
});

test('redeliver makes one new delivery, due now, per endpoint named that had the event; FAILED at once to a disabled one; none to others', async () => {
  const { partnerId, merchantId } = owners();
  const first = await endpoint(partnerId);
  const second = await endpoint(partnerId);
  const never = await endpoint(partnerId, { events: ['payment.canceled'] });
  await pay(partnerId, merchantId);
  const [original] = await deliveriesOf(first.id);
  if (!original) throw new Error('no delivery');
  const eventId = original.event.id;
  for (const claimed of await store.claimDue(10, LEASE_MS)) await store.recordAttempt(claimed, delivered(), 3);

  const again = await store.redeliver(eventId, [first.id, never.id]);
  expect(again).toStrictEqual([
    { seq: expect.any(Number), id: expect.stringMatching(/^whd_/), endpointId: first.id, status: 'PENDING', nextAttemptAt: iso, attemptCount: 0, createdAt: iso, event: original.event },
  ]);
  const [redelivery] = again;
  expect(redelivery?.id).not.toBe(original.id);
  expect(Date.parse(redelivery?.nextAttemptAt ?? '')).toBeLessThanOrEqual(Date.now() + 1_000);
  expect(ids(await store.claimDue(10, LEASE_MS))).toEqual(ids(again));

  // The event has now gone to `first` twice: still one new delivery each.
  const twice = await store.redeliver(eventId, [first.id, second.id]);
  expect(twice.map((delivery) => delivery.endpointId).sort()).toEqual([first.id, second.id].sort());
  const toFirst = twice.find((delivery) => delivery.endpointId === first.id);
  expect(ids(await deliveriesOf(first.id))).toEqual([toFirst?.id, redelivery?.id, original.id]);

  await store.updateEndpoint({ partnerId }, second.id, { enabled: false });
  expect(await store.redeliver(eventId, [second.id])).toMatchObject([{ endpointId: second.id, status: 'FAILED', nextAttemptAt: null, event: { id: eventId } }]);
  expect(await store.redeliver(fresh('evt'), [first.id])).toEqual([]);
  expect(await store.redeliver(eventId, [])).toEqual([]);
});

test('attemptsByDeliveryIds answers one list per id asked, in the order asked, each oldest first', async () => {
  const { partnerId, merchantId } = owners();
  const hooks = await endpoint(partnerId);
  await pay(partnerId, merchantId);
  await pay(partnerId, merchantId);
  const [second, first] = ids(await deliveriesOf(hooks.id));
  if (!first || !second) throw new Error('expected two deliveries');
  const start = Date.now() - 10_000;
  const later = new Date(Date.now() + 3_600_000);
  const a = retried(later, { at: new Date(start) });
  const b = retried(later, { at: new Date(start + 1_000), statusCode: 502 });
  const c = retried(later, { at: new Date(start + 2_000), statusCode: 504 });
  await store.recordAttempt({ id: first, endpointId: hooks.id }, a, 5);
  await store.recordAttempt({ id: second, endpointId: hooks.id }, b, 5);
  await store.recordAttempt({ id: first, endpointId: hooks.id }, c, 5);

  const codes = (lists: { statusCode: number | null; deliveryId: string }[][]) => lists.map((list) => list.map((attempt) => `${attempt.deliveryId === first ? 'first' : 'second'} ${attempt.statusCode}`));
  expect(codes(await store.attemptsByDeliveryIds([second, fresh('whd'), first]))).toEqual([['second 502'], [], ['first 503', 'first 504']]);
  expect(codes(await store.attemptsByDeliveryIds([first, first]))).toEqual([
    ['first 503', 'first 504'],
    ['first 503', 'first 504'],
  ]);
  expect(await store.attemptsByDeliveryIds([])).toEqual([]);
});

test('queueStats counts what is pending, the age of the oldest pending event and the longest wait past due; zeros with nothing pending', async () => {
  expect(await store.queueStats()).toStrictEqual({ pending: 0, oldestPendingEventAgeSeconds: 0, oldestDueWaitSeconds: 0 });
  const { partnerId, merchantId } = owners();
  const hooks = await endpoint(partnerId);
  await pay(partnerId, merchantId);
  const [old] = await deliveriesOf(hooks.id);
  if (!old) throw new Error('no delivery');
  await db.query(`UPDATE webhook_event SET created_at = clock_timestamp() - interval '2 hours' WHERE id = $1`, [old.event.id]);
  // Pending but not due yet: nothing has waited past its time.
  await dueIn([old.id], 3600);
  const notDue = await store.queueStats();
  expect(notDue).toStrictEqual({ pending: 1, oldestPendingEventAgeSeconds: expect.any(Number), oldestDueWaitSeconds: 0 });
  expect(notDue.oldestPendingEventAgeSeconds).toBeGreaterThanOrEqual(7200);
  expect(notDue.oldestPendingEventAgeSeconds).toBeLessThan(7260);

  await pay(partnerId, merchantId);
  const [recent] = await deliveriesOf(hooks.id);
  if (!recent) throw new Error('no delivery');
  await dueIn([recent.id], -1800);
  const waiting = await store.queueStats();
  expect(waiting).toStrictEqual({ pending: 2, oldestPendingEventAgeSeconds: expect.any(Number), oldestDueWaitSeconds: expect.any(Number) });
  expect(waiting.oldestPendingEventAgeSeconds).toBeGreaterThanOrEqual(7200);
  expect(waiting.oldestDueWaitSeconds).toBeGreaterThanOrEqual(1800);
  expect(waiting.oldestDueWaitSeconds).toBeLessThan(1860);

  // Settled, the old one leaves the queue however old its event.
  await store.recordAttempt(old, delivered(), 3);
  const after = await store.queueStats();
  expect(after).toMatchObject({ pending: 1 });
  expect(after.oldestPendingEventAgeSeconds).toBeLessThan(60);
  await store.recordAttempt(recent, givenUp(), 3);
  expect(await store.queueStats()).toStrictEqual({ pending: 0, oldestPendingEventAgeSeconds: 0, oldestDueWaitSeconds: 0 });
});
