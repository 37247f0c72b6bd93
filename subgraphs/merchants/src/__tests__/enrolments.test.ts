/** @backend-contract the enrolment lifecycle and its migration on each engine */
// Enrolments as a lifecycle: the demo data's history, the moves the store
// allows, that only ACTIVE counts as opted in (enrolledTools and the SQL
// filter alike), and the 002 migration upgrading 001 data in place.
import { extensionsOf, migrate, openDatabase, type Database } from '@interop/kit/db';
import { openTestMerchantsStore } from '@interop/testing/harness';
import { openTestStore } from '@interop/testing/databases';
import { canMove, type EnrolmentStatus } from '../enrolment-lifecycle';
import type { MerchantsStore } from '../server';
import { migrations } from '../store/migrations';
import type { StorefrontRow } from '../store/types';

let store: MerchantsStore;
let drop: () => Promise<void>;

beforeAll(async () => {
  ({ store, drop } = await openTestMerchantsStore(200));
});

afterAll(async () => {
  await drop?.();
});

const STATUSES: readonly EnrolmentStatus[] = ['REQUESTED', 'PENDING_REVIEW', 'ACTIVE', 'INACTIVE'];

/** An ACTIVE, eligible merchant's Taobao storefront with no enrolment at all. */
async function freshStorefront(skip = 0): Promise<StorefrontRow> {
  const [row] = await store.db.query<{ id: string }>(
    `SELECT m.id FROM merchant m JOIN storefront s ON s.merchant_seq = m.seq AND s.platform_id = 'taobao'
     WHERE m.status = 'ACTIVE' AND m.eligible AND NOT EXISTS (SELECT 1 FROM enrolment e WHERE e.merchant_seq = m.seq)
     ORDER BY m.seq OFFSET $1 LIMIT 1`,
    [skip],
  );
  const [storefront] = await store.storefrontsByKeys([{ merchantId: row?.id ?? '', platformId: 'taobao' }]);
  if (!storefront) throw new Error('no fresh Taobao storefront in the demo data');
  return storefront;
}

async function history(storefront: StorefrontRow, toolId = 'wechat-pay') {
  const [events] = await store.enrolmentHistories([{ merchantSeq: storefront.merchantSeq, platformId: storefront.platformId, toolId }]);
  return events ?? [];
}

describe('the lifecycle table', () => {
  test('a new enrolment starts REQUESTED; then PENDING_REVIEW, ACTIVE; any open status can be closed; INACTIVE reopens', () => {
    const moves = [null, ...STATUSES].flatMap((from) => STATUSES.filter((to) => canMove(from, to)).map((to) => `${from ?? 'none'}->${to}`));
    expect(moves).toEqual([
      'none->REQUESTED',
      'REQUESTED->PENDING_REVIEW',
      'REQUESTED->INACTIVE',
      'PENDING_REVIEW->ACTIVE',
      'PENDING_REVIEW->INACTIVE',
      'ACTIVE->INACTIVE',
      'INACTIVE->REQUESTED',
    ]);
  });
});

describe('demo data', () => {
  test('every enrolment has a history from REQUESTED, in time order, ending with its status; most are ACTIVE, some closed', async () => {
    const rows = await store.db.query<{ status: string; path: string[]; times: string[] }>(
      `SELECT e.status, array_agg(v.status ORDER BY v.seq) AS path,
              array_agg(to_char(v.at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US') ORDER BY v.seq) AS times
       FROM enrolment e JOIN enrolment_event v USING (merchant_seq, platform_id, tool_id)
       GROUP BY e.merchant_seq, e.platform_id, e.tool_id, e.status`,
    );
    const [{ count } = { count: -1 }] = await store.db.query<{ count: number }>('SELECT count(*)::int AS count FROM enrolment');
    expect(rows).toHaveLength(count);
    const paths = new Map<string, number>();
    for (const row of rows) {
      expect([...row.times].sort()).toEqual(row.times);
      expect(row.path.at(-1)).toBe(row.status);
      paths.set(row.path.join('>'), (paths.get(row.path.join('>')) ?? 0) + 1);
    }
    expect([...paths.keys()].sort()).toEqual(['REQUESTED>PENDING_REVIEW>ACTIVE', 'REQUESTED>PENDING_REVIEW>ACTIVE>INACTIVE']);
    expect(paths.get('REQUESTED>PENDING_REVIEW>ACTIVE') ?? 0).toBeGreaterThan(paths.get('REQUESTED>PENDING_REVIEW>ACTIVE>INACTIVE') ?? 0);
  });

  test('an enrolment row says when its current status began: the time of its last change', async () => {
    const [storefront] = (
      await store.db.query<{ merchant_seq: number }>(`SELECT merchant_seq FROM enrolment WHERE status = 'INACTIVE' ORDER BY merchant_seq LIMIT 1`)
    ).map((row) => ({ merchantSeq: row.merchant_seq, platformId: 'taobao' }));
    if (!storefront) throw new Error('no closed enrolment in the demo data');
    const [enrolments] = await store.enrolmentsByStorefronts([storefront]);
    const enrolment = enrolments?.find((row) => row.toolId === 'wechat-pay');
    const [events] = await store.enrolmentHistories([{ ...storefront, toolId: 'wechat-pay' }]);
    expect(enrolment).toMatchObject({ toolId: 'wechat-pay', status: 'INACTIVE', since: events?.at(-1)?.at });
    expect(events?.map((event) => event.status)).toEqual(['REQUESTED', 'PENDING_REVIEW', 'ACTIVE', 'INACTIVE']);
  });
});

describe('moveEnrolment', () => {
  test('follows the lifecycle, refuses other moves without a trace, and records each change with its own time', async () => {
    const storefront = await freshStorefront();
    expect(await store.moveEnrolment(storefront, 'wechat-pay', 'ACTIVE')).toBeNull();
    expect(await store.moveEnrolment(storefront, 'wechat-pay', 'INACTIVE')).toBeNull();
    expect(await history(storefront)).toEqual([]);

    expect(await store.moveEnrolment(storefront, 'wechat-pay', 'REQUESTED')).toBe('REQUESTED');
    expect(await store.moveEnrolment(storefront, 'wechat-pay', 'ACTIVE')).toBe('REQUESTED');
    expect(await store.moveEnrolment(storefront, 'wechat-pay', 'PENDING_REVIEW')).toBe('PENDING_REVIEW');
    expect(await store.moveEnrolment(storefront, 'wechat-pay', 'PENDING_REVIEW')).toBe('PENDING_REVIEW');
    expect(await store.moveEnrolment(storefront, 'wechat-pay', 'ACTIVE')).toBe('ACTIVE');
    expect(await store.moveEnrolment(storefront, 'wechat-pay', 'REQUESTED')).toBe('ACTIVE');
    expect(await store.moveEnrolment(storefront, 'wechat-pay', 'INACTIVE')).toBe('INACTIVE');

    const events = await history(storefront);
    expect(events.map((event) => event.status)).toEqual(['REQUESTED', 'PENDING_REVIEW', 'ACTIVE', 'INACTIVE']);
    const times = events.map((event) => Date.parse(event.at));
    expect(times.every((time, i) => i === 0 || time >= (times[i - 1] ?? time))).toBe(true);
  });

  test('concurrent first requests create one enrolment with one REQUESTED', async () => {
    const storefront = await freshStorefront(1);
    const results = await Promise.all(Array.from({ length: 5 }, () => store.moveEnrolment(storefront, 'wechat-pay', 'REQUESTED')));
    expect(results).toEqual(Array(5).fill('REQUESTED'));
    expect((await history(storefront)).map((event) => event.status)).toEqual(['REQUESTED']);
  });

  test.each(['REQUESTED', 'PENDING_REVIEW', 'INACTIVE'] as const)('an enrolment in %s is not opted in: not in enrolledTools, not found by the SQL filter', async (status) => {
    const storefront = await freshStorefront(2 + STATUSES.indexOf(status));
    const path: EnrolmentStatus[] = status === 'INACTIVE' ? ['REQUESTED', 'PENDING_REVIEW', 'ACTIVE', 'INACTIVE'] : status === 'PENDING_REVIEW' ? ['REQUESTED', 'PENDING_REVIEW'] : ['REQUESTED'];
    for (const step of path) await store.moveEnrolment(storefront, 'wechat-pay', step);
    const accepts = { toolId: 'wechat-pay', reach: { openToAll: [], openWithOptIn: ['taobao'] } };
    const found = async () =>
      (await store.listMerchants({ platformId: 'taobao', accepts }, { first: 100, afterKey: storefront.merchantSeq - 1 })).some(
        (merchant) => merchant.id === storefront.merchantId,
      );
    expect(await store.enrolledToolIds([storefront])).toEqual([[]]);
    expect(await found()).toBe(false);
    // Carrying it on to ACTIVE makes it count.
    if (status === 'INACTIVE') await store.moveEnrolment(storefront, 'wechat-pay', 'REQUESTED');
    if (status !== 'PENDING_REVIEW') await store.moveEnrolment(storefront, 'wechat-pay', 'PENDING_REVIEW');
    await store.moveEnrolment(storefront, 'wechat-pay', 'ACTIVE');
    expect(await store.enrolledToolIds([storefront])).toEqual([['wechat-pay']]);
    expect(await found()).toBe(true);
  });
});

describe('migration 002 on a database that 001 filled', () => {
  let db: Database;
  let schema: string;
  let drop: () => Promise<void>;

  beforeAll(async () => {
    ({ opened: db, schema, drop } = await openTestStore(
      'merchants_upgrade',
      (storage) => openDatabase({ schema: storage.schema, url: storage.databaseUrl, pglite: storage.pglite, extensions: extensionsOf(migrations) }),
      (opened) => opened,
    ));
  });

  afterAll(async () => {
    await drop?.();
  });

  test('existing enrolments become ACTIVE, with REQUESTED, PENDING_REVIEW and ACTIVE recorded at their opening time', async () => {
    const [first] = migrations;
    if (!first) throw new Error('no migrations');
    await migrate(db, schema, [first]);
    await db.exec(`
      INSERT INTO merchant (seq, id, name, status, eligible, category, city) VALUES (1, 'm0000001', 'Jade Tea Shop', 'ACTIVE', true, 'GROCERY', 'Hangzhou');
      INSERT INTO storefront (merchant_seq, platform_id, opened_on) VALUES (1, 'taobao', DATE '2020-01-01');
      INSERT INTO enrolment (merchant_seq, platform_id, tool_id, opened_at) VALUES (1, 'taobao', 'wechat-pay', TIMESTAMPTZ '2024-09-05 10:00:00+00');
    `);
    await migrate(db, schema, migrations);
    expect(await db.query('SELECT tool_id, status FROM enrolment')).toEqual([{ tool_id: 'wechat-pay', status: 'ACTIVE' }]);
    const events = await db.query<{ status: string; at: string }>(
      `SELECT status, to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI') AS at FROM enrolment_event ORDER BY seq`,
    );
    expect(events).toEqual(['REQUESTED', 'PENDING_REVIEW', 'ACTIVE'].map((status) => ({ status, at: '2024-09-05 10:00' })));
  });
});
