/** @backend-contract the merchants store on each engine: its rows, batch reads, filters with their keyset pages, and enrolment moves under their row lock */
// The merchants store's contract, the same on PGlite and on PostgreSQL: its
// rows and their exact types, batch reads answering in the order asked, every
// merchant filter alone and combined against the tables with its keyset pages
// and count, and enrolment moves with their history, listeners and row lock.
// (enrolments.test.ts has the demo data's histories, one lifecycle walk and migration 002.)
import { merchantMayUse, toolReach, type AcceptanceFacts, type AcceptanceStatus, type ToolReach } from '@interop/domain';
import type { Database } from '@interop/kit/db';
import type { PageRequest } from '@interop/kit/server';
import { openTestMerchantsStore } from '@interop/testing/harness';
import { PLATFORM_STORES } from '../demo-data';
import { MerchantsStore, type EnrolmentStorefront, type MerchantFilter } from '../merchants-store';
import type { EnrolmentEventRow, EnrolmentKey, EnrolmentStatus, MerchantRow, StorefrontRow } from '../types';

const MERCHANT_COUNT = 200;
/** The generated merchants, then one store for each platform that sells its own goods. */
const ALL_MERCHANTS = MERCHANT_COUNT + PLATFORM_STORES.length;
const merchantId = (seq: number) => `m${String(seq).padStart(7, '0')}`;
const UNKNOWN_MERCHANT_ID = merchantId(ALL_MERCHANTS + 1);

let store: MerchantsStore;
let drop: () => Promise<void>;

beforeAll(async () => {
  ({ store, drop } = await openTestMerchantsStore(MERCHANT_COUNT));
});

afterAll(async () => {
  await drop?.();
});

const STATUSES: readonly EnrolmentStatus[] = ['REQUESTED', 'PENDING_REVIEW', 'ACTIVE', 'INACTIVE'];
/** The lifecycle's moves, written out here so the store is held to them rather than to its own table. */
const ALLOWED = new Set(['none>REQUESTED', 'REQUESTED>PENDING_REVIEW', 'REQUESTED>INACTIVE', 'PENDING_REVIEW>ACTIVE', 'PENDING_REVIEW>INACTIVE', 'ACTIVE>INACTIVE', 'INACTIVE>REQUESTED']);
const allowed = (from: EnrolmentStatus | null, to: EnrolmentStatus) => ALLOWED.has(`${from ?? 'none'}>${to}`);
/** The shortest allowed path from no enrolment to each status. */
const PATH_TO: Readonly<Record<EnrolmentStatus, readonly EnrolmentStatus[]>> = {
  REQUESTED: ['REQUESTED'],
  PENDING_REVIEW: ['REQUESTED', 'PENDING_REVIEW'],
  ACTIVE: ['REQUESTED', 'PENDING_REVIEW', 'ACTIVE'],
  INACTIVE: ['REQUESTED', 'INACTIVE'],
};
const ISO_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

function at<T>(list: readonly T[], index: number): T {
  const item = list[index];
  if (item === undefined) throw new Error(`nothing at ${index}`);
  return item;
}

const on = (platformId: string) => `EXISTS (SELECT 1 FROM storefront s WHERE s.merchant_seq = m.seq AND s.platform_id = '${platformId}')`;
const NO_ENROLMENT = 'NOT EXISTS (SELECT 1 FROM enrolment e WHERE e.merchant_seq = m.seq)';
/** An active, eligible merchant that has opened nothing: a clean subject for moves. */
const FRESH = `m.status = 'ACTIVE' AND m.eligible AND ${NO_ENROLMENT}`;

/** Merchants a test writes to or relies on, so that no two tests share one. */
const claimed = new Set<number>();

/** The first merchant not yet claimed for which `where` (SQL on merchant `m`) holds. */
async function claim(where: string): Promise<{ seq: number; id: string }> {
  const rows = await store.db.query<{ seq: number; id: string }>(`SELECT m.seq, m.id FROM merchant m WHERE ${where} ORDER BY m.seq`);
  const row = rows.find((candidate) => !claimed.has(candidate.seq));
  if (!row) throw new Error(`no unclaimed merchant where ${where}`);
  claimed.add(row.seq);
  return row;
}

/** Moves an enrolment along `path`, every step of which must be taken. */
async function walk(storefront: EnrolmentStorefront, toolId: string, path: readonly EnrolmentStatus[]): Promise<void> {
  for (const status of path) expect(await store.moveEnrolment(storefront, toolId, status)).toBe(status);
}

/** Whether `part` is `whole` with some items left out, the rest in the same order. */
function isSubsequence<T>(part: readonly T[], whole: readonly T[]): boolean {
  let next = 0;
  for (const item of whole) if (next < part.length && part[next] === item) next += 1;
  return next === part.length;
}

/** An enrolment's events straight from the table, oldest first, each instant as ISO 8601 in UTC. */
async function eventsInTable(key: EnrolmentKey): Promise<EnrolmentEventRow[]> {
  const rows = await store.db.query<{ status: EnrolmentStatus; ms: number }>(
    `SELECT status, floor(extract(epoch FROM at) * 1000)::float8 AS ms FROM enrolment_event
     WHERE merchant_seq = $1 AND platform_id = $2 AND tool_id = $3 ORDER BY seq`,
    [key.merchantSeq, key.platformId, key.toolId],
  );
  return rows.map((row) => ({ status: row.status, at: new Date(row.ms).toISOString() }));
}

/** The merchants' tables as plain data: the oracle the store's reads are checked against. */
interface Tables {
  /** In key order. */
  merchants: MerchantRow[];
  /** Each merchant's storefronts as the store should read them, by platform id. */
  storefronts: Map<number, StorefrontRow[]>;
}

async function readTables(): Promise<Tables> {
  const [merchants, storefronts, active] = await Promise.all([
    store.db.query<MerchantRow>('SELECT seq, id, name, status, eligible, category, city FROM merchant ORDER BY seq'),
    store.db.query<{ merchant_seq: number; platform_id: string; day: number }>(`SELECT merchant_seq, platform_id, opened_on - DATE '1970-01-01' AS day FROM storefront`),
    store.db.query<{ merchant_seq: number; platform_id: string; tool_id: string }>(`SELECT merchant_seq, platform_id, tool_id FROM enrolment WHERE status = 'ACTIVE'`),
  ]);
  const idOf = new Map(merchants.map((merchant) => [merchant.seq, merchant.id]));
  const bySeq = new Map<number, StorefrontRow[]>();
  for (const row of storefronts) {
    const id = idOf.get(row.merchant_seq) ?? '';
    const tools = active.filter((e) => e.merchant_seq === row.merchant_seq && e.platform_id === row.platform_id).map((e) => e.tool_id);
    const list = bySeq.get(row.merchant_seq) ?? [];
    list.push({
      id: `${id}:${row.platform_id}`,
      merchantSeq: row.merchant_seq,
      merchantId: id,
      platformId: row.platform_id,
      openedOn: new Date(row.day * 86_400_000).toISOString().slice(0, 10),
      enrolledToolIds: tools.sort(),
    });
    bySeq.set(row.merchant_seq, list);
  }
  for (const list of bySeq.values()) list.sort((a, b) => (a.platformId < b.platformId ? -1 : 1));
  return { merchants, storefronts: bySeq };
}

/** The rules a reach stands for: open to all is LIVE without opt-in, open with opt-in is LIVE with it; elsewhere no rule. */
function rulesOf(toolId: string, reach: ToolReach): Map<string, AcceptanceFacts> {
  const rule = (requiresMerchantOptIn: boolean): AcceptanceFacts => ({ toolId, status: 'LIVE', requiresMerchantOptIn, checkoutRank: 1 });
  return new Map([...reach.openToAll.map((p) => [p, rule(false)] as const), ...reach.openWithOptIn.map((p) => [p, rule(true)] as const)]);
}

/** What a list with `filter` must hold, in key order, by the domain's checkout rule applied to every storefront. */
function expectedList(tables: Tables, filter: MerchantFilter): MerchantRow[] {
  const rules = filter.accepts && rulesOf(filter.accepts.toolId, filter.accepts.reach);
  return tables.merchants.filter((merchant) => {
    const storefronts = tables.storefronts.get(merchant.seq) ?? [];
    if (filter.platformId !== undefined && !storefronts.some((s) => s.platformId === filter.platformId)) return false;
    if (filter.nameContains !== undefined && !merchant.name.toLowerCase().includes(filter.nameContains.toLowerCase())) return false;
    if (!rules) return true;
    return storefronts.some((s) => {
      const rule = rules.get(s.platformId);
      return rule !== undefined && merchantMayUse(rule, { merchantStatus: merchant.status, merchantEligible: merchant.eligible, enrolledToolIds: s.enrolledToolIds });
    });
  });
}

/**
 * Every page of a list, `first` rows at a time, each read after the last key
 * of the page before (the cursor toPage gives), with listMerchantsWithStorefronts
 * beside listMerchants on each page. Returns the rows the pages show.
 */
async function everyPage(tables: Tables, filter: MerchantFilter, first: number): Promise<MerchantRow[]> {
  const shown: MerchantRow[] = [];
  let afterKey: number | null = null;
  let peeked: MerchantRow | undefined;
  for (let pages = 0; pages <= ALL_MERCHANTS; pages += 1) {
    const page: PageRequest = { first, afterKey };
    const [rows, withStorefronts] = await Promise.all([store.listMerchants(filter, page), store.listMerchantsWithStorefronts(filter, page)]);
    expect(withStorefronts.merchants).toEqual(rows);
    // All of each merchant's storefronts, not only those on a platform the filter names.
    expect(withStorefronts.storefronts).toEqual(rows.map((row) => tables.storefronts.get(row.seq) ?? []));
    expect(rows.length).toBeLessThanOrEqual(first + 1);
    // The row past a page, read only to learn that another page follows, is that page's first.
    if (peeked) expect(rows[0]).toEqual(peeked);
    shown.push(...rows.slice(0, first));
    if (rows.length <= first) return shown;
    peeked = at(rows, first);
    afterKey = at(rows, first - 1).seq;
  }
  throw new Error('the pages never ended');
}

describe('rows as the store returns them', () => {
  test('a merchant: its seven columns, seq a number and eligible a boolean, the same from every read', async () => {
    const [youku] = PLATFORM_STORES;
    const seq = MERCHANT_COUNT + 1;
    const row: MerchantRow = { seq, id: merchantId(seq), name: youku?.name ?? '', status: 'ACTIVE', eligible: true, category: 'DIGITAL_CONTENT', city: youku?.city ?? '' };
    expect(await store.merchantsByIds([row.id])).toStrictEqual([row]);
    expect((await store.merchantsWithStorefrontsByIds([row.id]))[0]?.merchant).toStrictEqual(row);
    expect(await store.listMerchants({ platformId: 'youku' }, { first: 5, afterKey: null })).toStrictEqual([row]);
    expect((await store.listMerchantsWithStorefronts({ nameContains: 'youku' }, { first: 5, afterKey: null })).merchants).toStrictEqual([row]);

    const [suspended] = await store.db.query<{ id: string }>(`SELECT id FROM merchant WHERE status = 'SUSPENDED' AND NOT eligible ORDER BY seq LIMIT 1`);
    const [read] = await store.merchantsByIds([suspended?.id ?? '']);
    expect(read).toStrictEqual({
      seq: expect.any(Number),
      id: suspended?.id,
      name: expect.any(String),
      status: 'SUSPENDED',
      eligible: false,
      category: expect.any(String),
      city: expect.any(String),
    });
    expect(Number.isInteger(read?.seq)).toBe(true);
  });

  test('a storefront: its id, its merchant’s seq and id, openedOn as YYYY-MM-DD and its opted-in tools, the same from every read', async () => {
    const seq = MERCHANT_COUNT + 1;
    const youku: StorefrontRow = { id: `${merchantId(seq)}:youku`, merchantSeq: seq, merchantId: merchantId(seq), platformId: 'youku', openedOn: '2015-01-01', enrolledToolIds: [] };
    expect(await store.storefrontsByKeys([{ merchantId: youku.merchantId, platformId: 'youku' }])).toStrictEqual([youku]);
    expect(await store.storefrontsByMerchantIds([youku.merchantId])).toStrictEqual([[youku]]);
    expect((await store.merchantsWithStorefrontsByIds([youku.merchantId]))[0]?.storefronts).toStrictEqual([youku]);
    expect((await store.listMerchantsWithStorefronts({ platformId: 'youku' }, { first: 5, afterKey: null })).storefronts).toStrictEqual([[youku]]);

    // Meituan's merchants opened in the Alipay app on the day Meituan did: a date, never a timestamp shifted by a time zone.
    const [inAlipay] = await store.db.query<{ id: string }>(`SELECT m.id FROM merchant m WHERE ${on('alipay-app')} ORDER BY m.seq LIMIT 1`);
    const key = { merchantId: inAlipay?.id ?? '', platformId: 'alipay-app' };
    const [byKey] = await store.storefrontsByKeys([key]);
    expect(byKey?.openedOn).toBe('2024-09-04');
    const [withMerchant] = await store.merchantsWithStorefrontsByIds([key.merchantId]);
    expect(withMerchant?.storefronts.find((s) => s.platformId === 'alipay-app')).toStrictEqual(byKey);
  });

  test('an enrolment and its history: statuses as text, times as ISO 8601 UTC with milliseconds, the instants the tables hold', async () => {
    const demo = await claim(
      `m.status = 'ACTIVE' AND EXISTS (SELECT 1 FROM enrolment e WHERE e.merchant_seq = m.seq AND e.platform_id = 'taobao' AND e.tool_id = 'wechat-pay' AND e.status = 'ACTIVE')`,
    );
    const opened = await claim(`${FRESH} AND ${on('taobao')}`);
    const demoKey = { merchantSeq: demo.seq, platformId: 'taobao', toolId: 'wechat-pay' };
    const openedKey = { merchantSeq: opened.seq, platformId: 'taobao', toolId: 'wechat-pay' };
    // One written by the store now, at microsecond precision, beside one the demo data wrote.
    await walk({ ...openedKey, merchantId: opened.id }, 'wechat-pay', PATH_TO.PENDING_REVIEW);

    const histories = await store.enrolmentHistories([demoKey, openedKey]);
    expect(histories).toStrictEqual([await eventsInTable(demoKey), await eventsInTable(openedKey)]);
    for (const event of histories.flat()) {
      expect(Object.keys(event).sort()).toEqual(['at', 'status']);
      expect(event.at).toMatch(ISO_UTC);
    }
    const enrolments = await store.enrolmentsByStorefronts([demoKey, openedKey]);
    expect(enrolments).toStrictEqual([
      [{ merchantSeq: demo.seq, platformId: 'taobao', toolId: 'wechat-pay', status: 'ACTIVE', since: at(histories, 0).at(-1)?.at }],
      [{ merchantSeq: opened.seq, platformId: 'taobao', toolId: 'wechat-pay', status: 'PENDING_REVIEW', since: at(histories, 1).at(-1)?.at }],
    ]);
  });
});

describe('batch reads answer one value per key, in the order asked', () => {
  test('merchantsByIds and merchantsWithStorefrontsByIds: null for an unknown id, a repeated id answered each time, nothing for no ids', async () => {
    const tables = await readTables();
    const ids = [merchantId(150), 'nope', merchantId(7), merchantId(150), UNKNOWN_MERCHANT_ID, merchantId(ALL_MERCHANTS), ''];
    const expected = ids.map((id) => tables.merchants.find((merchant) => merchant.id === id) ?? null);
    expect(expected.filter((row) => row !== null)).toHaveLength(4);

    expect(await store.merchantsByIds(ids)).toStrictEqual(expected);
    const withStorefronts = await store.merchantsWithStorefrontsByIds(ids);
    expect(withStorefronts).toStrictEqual(expected.map((row) => row && { merchant: row, storefronts: tables.storefronts.get(row.seq) ?? [] }));
    expect(await store.merchantsByIds([])).toEqual([]);
    expect(await store.merchantsWithStorefrontsByIds([])).toEqual([]);
  });

  test('storefrontsByMerchantIds: each merchant’s storefronts by platform id, [] for an unknown merchant, a repeated id answered each time', async () => {
    const tables = await readTables();
    const many = tables.merchants.find((merchant) => (tables.storefronts.get(merchant.seq)?.length ?? 0) >= 3);
    const one = tables.merchants.find((merchant) => tables.storefronts.get(merchant.seq)?.length === 1);
    if (!many || !one) throw new Error('expected merchants with three storefronts and with one');
    const ids = [many.id, 'nope', one.id, many.id, UNKNOWN_MERCHANT_ID];
    expect(await store.storefrontsByMerchantIds(ids)).toStrictEqual(ids.map((id) => tables.storefronts.get(tables.merchants.find((m) => m.id === id)?.seq ?? -1) ?? []));
    expect(await store.storefrontsByMerchantIds([])).toEqual([]);
  });

  test('storefrontsByKeys: pairs matched as given, null for a merchant not on that platform or unknown, a repeated key answered each time', async () => {
    const tables = await readTables();
    const platformsOf = (merchant: MerchantRow) => (tables.storefronts.get(merchant.seq) ?? []).map((s) => s.platformId);
    // Two merchants each on a platform the other is not on: crossing their keys names no storefront.
    const pairs = tables.merchants.flatMap((a) =>
      tables.merchants.flatMap((b) => {
        const onlyA = platformsOf(a).find((p) => !platformsOf(b).includes(p));
        const onlyB = platformsOf(b).find((p) => !platformsOf(a).includes(p));
        return onlyA && onlyB && a.seq < b.seq ? [{ a, b, onlyA, onlyB }] : [];
      }),
    );
    const { a, b, onlyA, onlyB } = at(pairs, 0);
    const keys = [
      { merchantId: b.id, platformId: onlyB },
      { merchantId: a.id, platformId: onlyB },
      { merchantId: a.id, platformId: onlyA },
      { merchantId: b.id, platformId: onlyA },
      { merchantId: 'nope', platformId: onlyA },
      { merchantId: a.id, platformId: 'nope' },
      { merchantId: b.id, platformId: onlyB },
    ];
    const storefrontOf = (merchant: MerchantRow, platformId: string) => tables.storefronts.get(merchant.seq)?.find((s) => s.platformId === platformId) ?? null;
    expect(await store.storefrontsByKeys(keys)).toStrictEqual([storefrontOf(b, onlyB), null, storefrontOf(a, onlyA), null, null, null, storefrontOf(b, onlyB)]);
    expect(await store.storefrontsByKeys([])).toEqual([]);
  });
});

describe('a storefront with enrolments in every status', () => {
  let merchant: { seq: number; id: string };
  let taobao: EnrolmentStorefront;
  let jd: EnrolmentStorefront;
  const unknown: EnrolmentStorefront = { merchantSeq: 999_999, merchantId: 'nobody', platformId: 'taobao' };

  beforeAll(async () => {
    merchant = await claim(`${FRESH} AND ${on('taobao')} AND ${on('jd')} AND (SELECT count(*) FROM storefront s WHERE s.merchant_seq = m.seq) = 2`);
    taobao = { merchantSeq: merchant.seq, merchantId: merchant.id, platformId: 'taobao' };
    jd = { merchantSeq: merchant.seq, merchantId: merchant.id, platformId: 'jd' };
    // Opened out of tool-id order, so that only sorting puts them in it.
    await walk(taobao, 'wechat-pay', PATH_TO.ACTIVE);
    await walk(taobao, 'e-cny', PATH_TO.PENDING_REVIEW);
    await walk(taobao, 'unionpay-quickpass', PATH_TO.REQUESTED);
    await walk(taobao, 'alipay', PATH_TO.ACTIVE);
    await walk(taobao, 'hebao', [...PATH_TO.ACTIVE, 'INACTIVE']);
    await walk(jd, 'jd-pay', PATH_TO.ACTIVE);
  });

  test('enrolledToolIds: only ACTIVE enrolments, sorted by tool id, of that platform only, in the order asked, a repeated key answered each time; [] where none', async () => {
    const elsewhere = { merchantSeq: merchant.seq, merchantId: merchant.id, platformId: 'ele-me' };
    expect(await store.enrolledToolIds([taobao, unknown, jd, elsewhere, taobao])).toStrictEqual([['alipay', 'wechat-pay'], [], ['jd-pay'], [], ['alipay', 'wechat-pay']]);
    expect(await store.enrolledToolIds([jd, taobao])).toStrictEqual([['jd-pay'], ['alipay', 'wechat-pay']]);
    expect(await store.enrolledToolIds([])).toEqual([]);
  });

  test('every read of its storefronts carries the same opted-in tools', async () => {
    const tables = await readTables();
    const storefronts = tables.storefronts.get(merchant.seq) ?? [];
    expect(storefronts.map((s) => [s.platformId, s.enrolledToolIds])).toEqual([
      ['jd', ['jd-pay']],
      ['taobao', ['alipay', 'wechat-pay']],
    ]);
    const page = { first: 0, afterKey: merchant.seq - 1 };
    expect(await store.storefrontsByMerchantIds([merchant.id])).toStrictEqual([storefronts]);
    expect(await store.storefrontsByKeys(storefronts.map((s) => ({ merchantId: merchant.id, platformId: s.platformId })))).toStrictEqual(storefronts);
    expect((await store.merchantsWithStorefrontsByIds([merchant.id]))[0]?.storefronts).toStrictEqual(storefronts);
    expect((await store.listMerchantsWithStorefronts({}, page)).storefronts).toStrictEqual([storefronts]);
    expect((await store.listMerchantsWithStorefronts({ platformId: 'jd' }, page)).storefronts).toStrictEqual([storefronts]);
  });

  test('enrolmentsByStorefronts: every enrolment whatever its status, sorted by tool id, since its last change; [] where none', async () => {
    const [onTaobao, none, onJd] = await store.enrolmentsByStorefronts([taobao, unknown, jd]);
    expect(onTaobao?.map((e) => [e.toolId, e.status])).toEqual([
      ['alipay', 'ACTIVE'],
      ['e-cny', 'PENDING_REVIEW'],
      ['hebao', 'INACTIVE'],
      ['unionpay-quickpass', 'REQUESTED'],
      ['wechat-pay', 'ACTIVE'],
    ]);
    expect(none).toEqual([]);
    expect(onJd?.map((e) => [e.toolId, e.status])).toEqual([['jd-pay', 'ACTIVE']]);
    expect(await store.enrolmentsByStorefronts([jd, taobao, jd])).toStrictEqual([onJd, onTaobao, onJd]);
    for (const enrolment of [...(onTaobao ?? []), ...(onJd ?? [])]) {
      const events = await eventsInTable(enrolment);
      expect(enrolment).toStrictEqual({ merchantSeq: merchant.seq, platformId: enrolment.platformId, toolId: enrolment.toolId, status: events.at(-1)?.status, since: events.at(-1)?.at });
    }
    expect(await store.enrolmentsByStorefronts([])).toEqual([]);
  });
});

/** WeChat Pay's rules in the story: opt-in on Taobao, open to all on JD and Ele.me, not open on Kaola (a pilot) or Damai (switched off). */
const wechatRule = (platformId: string, status: AcceptanceStatus, requiresMerchantOptIn: boolean) => ({ platformId, toolId: 'wechat-pay', status, requiresMerchantOptIn, checkoutRank: 2 });
const WECHAT_RULES = [
  wechatRule('taobao', 'ROLLING_OUT', true),
  wechatRule('jd', 'LIVE', false),
  wechatRule('ele-me', 'LIVE', false),
  wechatRule('kaola', 'PILOT', true),
  wechatRule('damai', 'SUSPENDED', false),
];
const WECHAT = { toolId: 'wechat-pay', reach: toolReach(WECHAT_RULES) };
/** A merchant on none of WeChat Pay's open-to-all platforms: only an opt-in can make it accept the tool. */
const OPT_IN_ONLY = `NOT ${on('jd')} AND NOT ${on('ele-me')}`;
/** A name the generator never makes: every character ILIKE treats specially, which the filter must take literally. */
const WILDCARD_NAME = 'Peony 50%_Off\\Tea House';

describe('merchant lists and counts', () => {
  /** Merchants whose place in a WeChat Pay list the checkout rule decides, by name. */
  const subjects: Record<string, { seq: number; id: string }> = {};

  beforeAll(async () => {
    const taobaoOf = ({ seq, id }: { seq: number; id: string }) => ({ merchantSeq: seq, merchantId: id, platformId: 'taobao' });
    const optedIn = await claim(`${FRESH} AND ${on('taobao')} AND ${OPT_IN_ONLY}`);
    await walk(taobaoOf(optedIn), 'wechat-pay', PATH_TO.ACTIVE);
    const closedAfterOptIn = await claim(`${FRESH} AND ${on('taobao')} AND ${OPT_IN_ONLY}`);
    await walk(taobaoOf(closedAfterOptIn), 'wechat-pay', [...PATH_TO.ACTIVE, 'INACTIVE']);
    // The store does not check eligibility when it moves an enrolment: the subgraph does, before it.
    const ineligibleOptedIn = await claim(`m.status = 'ACTIVE' AND NOT m.eligible AND ${NO_ENROLMENT} AND ${on('taobao')} AND ${OPT_IN_ONLY}`);
    await walk(taobaoOf(ineligibleOptedIn), 'wechat-pay', PATH_TO.ACTIVE);
    const optedInWhereNotOpen = await claim(`${FRESH} AND ${on('kaola')} AND ${OPT_IN_ONLY}`);
    await walk({ merchantSeq: optedInWhereNotOpen.seq, merchantId: optedInWhereNotOpen.id, platformId: 'kaola' }, 'wechat-pay', PATH_TO.ACTIVE);
    const optedInToAnotherTool = await claim(`${FRESH} AND ${on('taobao')} AND ${OPT_IN_ONLY}`);
    await walk(taobaoOf(optedInToAnotherTool), 'alipay', PATH_TO.ACTIVE);
    Object.assign(subjects, {
      optedIn,
      closedAfterOptIn,
      ineligibleOptedIn,
      optedInWhereNotOpen,
      optedInToAnotherTool,
      suspendedOptedIn: await claim(
        `m.status = 'SUSPENDED' AND ${OPT_IN_ONLY} AND EXISTS (SELECT 1 FROM enrolment e WHERE e.merchant_seq = m.seq AND e.tool_id = 'wechat-pay' AND e.status = 'ACTIVE')`,
      ),
      openToAll: await claim(`${FRESH} AND ${on('jd')}`),
      ineligibleOpenToAll: await claim(`m.status = 'ACTIVE' AND NOT m.eligible AND ${on('jd')}`),
      suspendedOpenToAll: await claim(`m.status = 'SUSPENDED' AND ${on('jd')}`),
      onlyWhereSwitchedOff: await claim(`m.status = 'ACTIVE' AND ${on('damai')} AND NOT ${on('taobao')} AND ${OPT_IN_ONLY}`),
    });
    const wildcardName = await claim(`m.status = 'ACTIVE'`);
    await store.db.query('UPDATE merchant SET name = $1 WHERE seq = $2', [WILDCARD_NAME, wildcardName.seq]);
  });

  test('a tool keeps exactly the active merchants on a platform open to all, or eligible and ACTIVE-enrolled where opt-in is required', async () => {
    const kept = new Set((await store.listMerchants({ accepts: WECHAT }, { first: ALL_MERCHANTS, afterKey: null })).map((merchant) => merchant.id));
    expect(Object.fromEntries(Object.entries(subjects).map(([name, subject]) => [name, kept.has(subject.id)]))).toEqual({
      optedIn: true,
      closedAfterOptIn: false,
      ineligibleOptedIn: false,
      optedInWhereNotOpen: false,
      optedInToAnotherTool: false,
      suspendedOptedIn: false,
      openToAll: true,
      // Eligibility is the condition for opening a tool, so it matters only where the merchant must open it.
      ineligibleOpenToAll: true,
      suspendedOpenToAll: false,
      onlyWhereSwitchedOff: false,
    });
    expect(await store.countMerchants({ accepts: WECHAT })).toBe(kept.size);
  });

  const OPT_IN_ON_TAOBAO = { toolId: 'wechat-pay', reach: { openToAll: [], openWithOptIn: ['taobao'] } };
  const NOWHERE = { toolId: 'wechat-pay', reach: { openToAll: [], openWithOptIn: [] } };
  const CASES: [string, MerchantFilter, 'all' | 'some' | 'none'][] = [
    ['no filter', {}, 'all'],
    ['a platform', { platformId: 'taobao' }, 'some'],
    ['a platform only its own store sells on', { platformId: 'youku' }, 'some'],
    ['a platform nobody sells on', { platformId: 'nope' }, 'none'],
    ['a tool', { accepts: WECHAT }, 'some'],
    ['a tool taken only with opt-in', { accepts: OPT_IN_ON_TAOBAO }, 'some'],
    ['a tool no platform takes', { accepts: NOWHERE }, 'none'],
    ['a name, in another case', { nameContains: 'tEA sHOP' }, 'some'],
    ['a name holding %', { nameContains: '50%' }, 'some'],
    ['a name holding _', { nameContains: '%_o' }, 'some'],
    ['a name holding \\', { nameContains: 'f\\t' }, 'some'],
    ['% that no name holds', { nameContains: 'a%e' }, 'none'],
    ['_ that no name holds', { nameContains: 'Jade_' }, 'none'],
    ['a platform and a tool', { platformId: 'jd', accepts: WECHAT }, 'some'],
    ['a platform and a tool taken there with opt-in', { platformId: 'taobao', accepts: OPT_IN_ON_TAOBAO }, 'some'],
    ['a platform and a name', { platformId: 'taobao', nameContains: 'golden' }, 'some'],
    ['a tool and a name', { accepts: WECHAT, nameContains: 'TEA' }, 'some'],
    ['a platform, a tool and a name', { platformId: 'taobao', accepts: WECHAT, nameContains: 'an' }, 'some'],
  ];

  test.each(CASES)('%s: pages in key order show each match once, none skipped, and the count agrees', async (_name, filter, size) => {
    const tables = await readTables();
    const expected = expectedList(tables, filter);
    if (size === 'all') expect(expected).toHaveLength(ALL_MERCHANTS);
    if (size === 'none') expect(expected).toEqual([]);
    if (size === 'some') expect([expected.length > 0, expected.length < ALL_MERCHANTS]).toEqual([true, true]);

    // About three pages, so every filter is read from a cursor too.
    expect(await everyPage(tables, filter, Math.max(1, Math.ceil(expected.length / 3)))).toStrictEqual(expected);
    expect(await store.countMerchants(filter)).toBe(expected.length);
    // One row more than asked, never more: a page of all of them has nothing past it, a page one short has the last one past it.
    expect(await store.listMerchants(filter, { first: expected.length, afterKey: null })).toStrictEqual(expected);
    if (expected.length > 0) expect(await store.listMerchants(filter, { first: expected.length - 1, afterKey: null })).toStrictEqual(expected);
  });

  test('a page starts strictly after its key, whether or not that key is on the list, and holds first + 1 rows while there are that many', async () => {
    const tables = await readTables();
    const filters: MerchantFilter[] = [{}, { platformId: 'jd' }, { accepts: WECHAT }, { nameContains: 'golden' }, { platformId: 'taobao', accepts: OPT_IN_ON_TAOBAO }];
    const afterKeys = [null, 0, ...Array.from({ length: 13 }, (_, i) => i * 17 + 1), ALL_MERCHANTS, ALL_MERCHANTS + 50];
    for (const filter of filters) {
      const list = expectedList(tables, filter);
      for (const afterKey of afterKeys) {
        for (const first of [0, 4]) {
          const rows = await store.listMerchants(filter, { first, afterKey });
          expect({ filter, afterKey, first, ids: rows.map((row) => row.id) }).toEqual({
            filter,
            afterKey,
            first,
            ids: list.filter((merchant) => afterKey === null || merchant.seq > afterKey).slice(0, first + 1).map((merchant) => merchant.id),
          });
        }
      }
    }
  });
});

describe('moveEnrolment', () => {
  test('from every status to every status: an allowed move returns the new status, records it and is heard; a refused one returns the status unchanged and leaves no trace', async () => {
    const subject = await claim(`${FRESH} AND ${on('taobao')}`);
    const storefront = { merchantSeq: subject.seq, merchantId: subject.id, platformId: 'taobao' };
    // The store takes any tool id, so one storefront holds every case, each under a tool id of its own.
    const cases = [null, ...STATUSES].flatMap((from) => STATUSES.map((to) => ({ from, to, toolId: `${from ?? 'none'}-to-${to}`.toLowerCase().replaceAll('_', '-') })));
    for (const { from, toolId } of cases) if (from) await walk(storefront, toolId, PATH_TO[from]);
    const keys = cases.map(({ toolId }) => ({ ...storefront, toolId }));
    const before = await store.enrolmentHistories(keys);

    const heard: unknown[] = [];
    const stop = store.onEnrolmentChange((change) => heard.push(change));
    const returned: (EnrolmentStatus | null)[] = [];
    try {
      for (const { to, toolId } of cases) returned.push(await store.moveEnrolment(storefront, toolId, to));
    } finally {
      stop();
    }

    const after = await store.enrolmentHistories(keys);
    const [enrolments = []] = await store.enrolmentsByStorefronts([storefront]);
    const outcome = cases.map(({ from, to, toolId }, i) => ({
      move: `${from ?? 'none'}>${to}`,
      returned: returned[i],
      status: enrolments.find((e) => e.toolId === toolId)?.status ?? null,
      recorded: at(after, i).slice(at(before, i).length).map((event) => event.status),
    }));
    expect(outcome).toEqual(
      cases.map(({ from, to }) => {
        const now = allowed(from, to) ? to : from;
        return { move: `${from ?? 'none'}>${to}`, returned: now, status: now, recorded: allowed(from, to) ? [to] : [] };
      }),
    );
    expect(heard).toEqual(cases.filter(({ from, to }) => allowed(from, to)).map(({ to, toolId }) => ({ storefront, toolId, status: to })));
    cases.forEach((_, i) => expect(at(after, i).slice(0, at(before, i).length)).toEqual(at(before, i)));
    for (const enrolment of enrolments) expect(enrolment.since).toBe(at(after, cases.findIndex((c) => c.toolId === enrolment.toolId)).at(-1)?.at);
  });

  test('a listener hears each committed change once, with its storefront, tool and new status; one that has stopped hears nothing more', async () => {
    const subject = await claim(`${FRESH} AND ${on('taobao')}`);
    const storefront = { merchantSeq: subject.seq, merchantId: subject.id, platformId: 'taobao' };
    const heard: { status: EnrolmentStatus; readThen: Promise<EnrolmentStatus | undefined> }[] = [];
    const alsoHeard: unknown[] = [];
    // What a reader sees once told: a change heard before it committed would read as the old status on PostgreSQL.
    const stop = store.onEnrolmentChange((change) =>
      heard.push({ status: change.status, readThen: store.enrolmentsByStorefronts([change.storefront]).then(([list]) => list?.find((e) => e.toolId === change.toolId)?.status) }),
    );
    const stopOther = store.onEnrolmentChange((change) => alsoHeard.push(change));
    try {
      await store.moveEnrolment(storefront, 'wechat-pay', 'PENDING_REVIEW');
      await store.moveEnrolment(storefront, 'wechat-pay', 'REQUESTED');
      await store.moveEnrolment(storefront, 'wechat-pay', 'REQUESTED');
      stopOther();
      await store.moveEnrolment(storefront, 'wechat-pay', 'INACTIVE');
      await store.moveEnrolment(storefront, 'wechat-pay', 'ACTIVE');
    } finally {
      stop();
      stopOther();
    }
    await store.moveEnrolment(storefront, 'wechat-pay', 'REQUESTED');

    expect(heard.map((change) => change.status)).toEqual(['REQUESTED', 'INACTIVE']);
    expect(await Promise.all(heard.map((change) => change.readThen))).toEqual(['REQUESTED', 'INACTIVE']);
    expect(alsoHeard).toEqual([{ storefront, toolId: 'wechat-pay', status: 'REQUESTED' }]);
  });

  test('a move that fails as it commits is not heard, and leaves neither its status nor its event', async () => {
    const subject = await claim(`${FRESH} AND ${on('taobao')}`);
    const storefront = { merchantSeq: subject.seq, merchantId: subject.id, platformId: 'taobao' };
    // A check deferred to COMMIT fails these moves after the store has made them inside its transaction.
    await store.db.exec(`
      CREATE FUNCTION refuse_at_commit() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'refused at commit'; END $$;
      CREATE CONSTRAINT TRIGGER refuse_at_commit AFTER INSERT ON enrolment_event DEFERRABLE INITIALLY DEFERRED FOR EACH ROW
        WHEN (NEW.tool_id = 'refused-first' OR (NEW.tool_id = 'refused-review' AND NEW.status = 'PENDING_REVIEW'))
        EXECUTE FUNCTION refuse_at_commit();
    `);
    const heard: unknown[] = [];
    const stop = store.onEnrolmentChange((change) => heard.push(change));
    try {
      await expect(store.moveEnrolment(storefront, 'refused-first', 'REQUESTED')).rejects.toThrow();
      expect(await store.moveEnrolment(storefront, 'refused-review', 'REQUESTED')).toBe('REQUESTED');
      await expect(store.moveEnrolment(storefront, 'refused-review', 'PENDING_REVIEW')).rejects.toThrow();
    } finally {
      stop();
      await store.db.exec('DROP TRIGGER refuse_at_commit ON enrolment_event; DROP FUNCTION refuse_at_commit()');
    }
    expect(heard).toEqual([{ storefront, toolId: 'refused-review', status: 'REQUESTED' }]);
    const [enrolments] = await store.enrolmentsByStorefronts([storefront]);
    expect(enrolments?.map((e) => [e.toolId, e.status])).toEqual([['refused-review', 'REQUESTED']]);
    const histories = await store.enrolmentHistories(['refused-first', 'refused-review'].map((toolId) => ({ ...storefront, toolId })));
    expect(histories.map((events) => events.map((event) => event.status))).toEqual([[], ['REQUESTED']]);
  });

  test('concurrent moves of one enrolment take turns: no two succeed from the same status, and its history stays a path the lifecycle allows', async () => {
    const subject = await claim(`${FRESH} AND ${on('taobao')}`);
    const storefront = { merchantSeq: subject.seq, merchantId: subject.id, platformId: 'taobao' };
    const races: { toolId: string; from: EnrolmentStatus | null; moves: EnrolmentStatus[] }[] = [
      ...['close-1', 'close-2', 'close-3'].map((toolId) => ({ toolId, from: 'ACTIVE' as const, moves: ['INACTIVE', 'INACTIVE', 'INACTIVE'] as EnrolmentStatus[] })),
      ...['reopen-1', 'reopen-2'].map((toolId) => ({ toolId, from: 'INACTIVE' as const, moves: ['REQUESTED', 'REQUESTED', 'REQUESTED'] as EnrolmentStatus[] })),
      ...['first-1', 'first-2', 'first-3'].map((toolId) => ({ toolId, from: null, moves: ['REQUESTED', 'REQUESTED', 'REQUESTED', 'REQUESTED'] as EnrolmentStatus[] })),
      { toolId: 'review-or-close', from: 'PENDING_REVIEW', moves: ['ACTIVE', 'INACTIVE', 'ACTIVE', 'INACTIVE'] },
      { toolId: 'request-or-close', from: 'REQUESTED', moves: ['PENDING_REVIEW', 'INACTIVE', 'PENDING_REVIEW', 'INACTIVE'] },
    ];
    for (const { toolId, from } of races) if (from) await walk(storefront, toolId, PATH_TO[from]);
    const keys = races.map(({ toolId }) => ({ ...storefront, toolId }));
    const before = await store.enrolmentHistories(keys);

    // Two stores on one database, as two replicas are: their moves meet only at the row lock.
    const stores = [store, new MerchantsStore(store.db)];
    const heard: string[][] = stores.map(() => []);
    const stops = stores.map((each, s) => each.onEnrolmentChange((change) => at(heard, s).push(`${change.toolId}>${change.status}`)));
    let returned: (EnrolmentStatus | null)[][];
    try {
      returned = await Promise.all(
        races.map(({ toolId, moves }) => Promise.all(moves.map((to, m) => at(stores, m % stores.length).moveEnrolment(storefront, toolId, to)))),
      );
    } finally {
      for (const stop of stops) stop();
    }

    const after = await store.enrolmentHistories(keys);
    const [enrolments = []] = await store.enrolmentsByStorefronts([storefront]);
    races.forEach(({ toolId, from }, i) => {
      const recorded = at(after, i).slice(at(before, i).length).map((event) => event.status);
      const path = [from, ...recorded];
      expect({ toolId, illegal: recorded.filter((to, step) => !allowed(at(path, step), to)) }).toEqual({ toolId, illegal: [] });
      expect(recorded.length).toBeGreaterThan(0);
      // Every committed move is heard once, by the store that made it, each store's in the order they committed.
      const changes = recorded.map((status) => `${toolId}>${status}`);
      const heardHere = heard.map((list) => list.filter((change) => change.startsWith(`${toolId}>`)));
      expect(heardHere.flat().sort()).toEqual([...changes].sort());
      for (const list of heardHere) expect({ toolId, inOrder: isSubsequence(list, changes) }).toEqual({ toolId, inOrder: true });
      expect(enrolments.find((e) => e.toolId === toolId)?.status).toBe(recorded.at(-1));
      // Each call answers a status the enrolment passed through.
      for (const status of at(returned, i)) expect(path).toContain(status);
    });
  });

  test('a commit whose answer reaches the store late is still heard before the next move of that enrolment the store makes', async () => {
    const subject = await claim(`${FRESH} AND ${on('taobao')}`);
    const storefront = { merchantSeq: subject.seq, merchantId: subject.id, platformId: 'taobao' };
    await walk(storefront, 'late-answer', PATH_TO.PENDING_REVIEW);
    // The first transaction's answer is held until the second has committed, or for a second if the second waits its turn.
    let secondCommitted!: () => void;
    const second = new Promise<void>((resolve) => (secondCommitted = resolve));
    let transactions = 0;
    const late: Database = {
      ...store.db,
      async transaction(work) {
        const which = ++transactions;
        const result = await store.db.transaction(work);
        if (which === 1) await Promise.race([second, new Promise((resolve) => setTimeout(resolve, 1_000).unref())]);
        else secondCommitted();
        return result;
      },
    };
    const lateStore = new MerchantsStore(late);
    const heard: EnrolmentStatus[] = [];
    const stop = lateStore.onEnrolmentChange((change) => heard.push(change.status));
    try {
      const moves = await Promise.all([lateStore.moveEnrolment(storefront, 'late-answer', 'ACTIVE'), lateStore.moveEnrolment(storefront, 'late-answer', 'INACTIVE')]);
      expect(moves).toEqual(['ACTIVE', 'INACTIVE']);
    } finally {
      stop();
    }
    const [history = []] = await store.enrolmentHistories([{ ...storefront, toolId: 'late-answer' }]);
    expect(history.map((event) => event.status).slice(PATH_TO.PENDING_REVIEW.length)).toEqual(['ACTIVE', 'INACTIVE']);
    expect(heard).toEqual(['ACTIVE', 'INACTIVE']);
  });

  test('enrolmentHistories: each enrolment’s changes oldest first, apart from its storefront’s other enrolments, in the order asked, a repeated key answered each time; a reopened one keeps its past', async () => {
    const subject = await claim(`${FRESH} AND ${on('taobao')} AND ${on('jd')}`);
    const taobao = { merchantSeq: subject.seq, merchantId: subject.id, platformId: 'taobao' };
    const jd = { merchantSeq: subject.seq, merchantId: subject.id, platformId: 'jd' };
    // Interleaved, so that the events in table order are not grouped by enrolment.
    const steps: [EnrolmentStorefront, string, EnrolmentStatus][] = [
      [taobao, 'wechat-pay', 'REQUESTED'],
      [jd, 'wechat-pay', 'REQUESTED'],
      [taobao, 'alipay', 'REQUESTED'],
      [taobao, 'wechat-pay', 'PENDING_REVIEW'],
      [jd, 'wechat-pay', 'INACTIVE'],
      [taobao, 'wechat-pay', 'ACTIVE'],
      [taobao, 'wechat-pay', 'INACTIVE'],
      [jd, 'wechat-pay', 'REQUESTED'],
      [taobao, 'wechat-pay', 'REQUESTED'],
    ];
    for (const [storefront, toolId, to] of steps) expect(await store.moveEnrolment(storefront, toolId, to)).toBe(to);
    const keys: EnrolmentKey[] = [
      { ...taobao, toolId: 'wechat-pay' },
      { merchantSeq: 999_999, platformId: 'taobao', toolId: 'wechat-pay' },
      { ...jd, toolId: 'wechat-pay' },
      { ...taobao, toolId: 'alipay' },
      { ...jd, toolId: 'alipay' },
      { ...taobao, toolId: 'wechat-pay' },
    ];
    const histories = await store.enrolmentHistories(keys);
    expect(histories.map((events) => events.map((event) => event.status))).toEqual([
      ['REQUESTED', 'PENDING_REVIEW', 'ACTIVE', 'INACTIVE', 'REQUESTED'],
      [],
      ['REQUESTED', 'INACTIVE', 'REQUESTED'],
      ['REQUESTED'],
      [],
      ['REQUESTED', 'PENDING_REVIEW', 'ACTIVE', 'INACTIVE', 'REQUESTED'],
    ]);
    expect(histories).toStrictEqual(await Promise.all(keys.map(eventsInTable)));
    for (const events of histories) {
      const times = events.map((event) => Date.parse(event.at));
      expect(times).toEqual([...times].sort((a, b) => a - b));
    }
    expect(await store.enrolmentHistories([])).toEqual([]);

    // A demo enrolment closed long ago, opened again now: its past stays as it was, the new request after it.
    const closed = await claim(`EXISTS (SELECT 1 FROM enrolment e WHERE e.merchant_seq = m.seq AND e.platform_id = 'taobao' AND e.tool_id = 'wechat-pay' AND e.status = 'INACTIVE')`);
    const key = { merchantSeq: closed.seq, platformId: 'taobao', toolId: 'wechat-pay' };
    const [past = []] = await store.enrolmentHistories([key]);
    expect(await store.moveEnrolment({ ...key, merchantId: closed.id }, 'wechat-pay', 'REQUESTED')).toBe('REQUESTED');
    const [now = []] = await store.enrolmentHistories([key]);
    expect(now.slice(0, past.length)).toStrictEqual(past);
    expect(now.slice(past.length).map((event) => event.status)).toEqual(['REQUESTED']);
    expect(Date.parse(now.at(-1)?.at ?? '')).toBeGreaterThan(Date.parse(past.at(-1)?.at ?? ''));
  });
});

describe('each merchant’s storefronts as pages read them follow every change to their tables', () => {
  /** What every read that carries a merchant's storefronts gives for `merchant`, and what the tables hold. */
  async function readsOf(merchant: { seq: number; id: string }): Promise<{ reads: StorefrontRow[][]; tables: StorefrontRow[] }> {
    const tables = (await readTables()).storefronts.get(merchant.seq) ?? [];
    const [withStorefronts] = await store.merchantsWithStorefrontsByIds([merchant.id]);
    const page = await store.listMerchantsWithStorefronts({}, { first: 0, afterKey: merchant.seq - 1 });
    return { reads: [withStorefronts?.storefronts ?? [], page.storefronts[0] ?? []], tables };
  }

  async function expectInStep(merchant: { seq: number; id: string }): Promise<StorefrontRow[]> {
    const { reads, tables } = await readsOf(merchant);
    expect(reads).toStrictEqual([tables, tables]);
    return tables;
  }

  test('a storefront opened, moved to another day and closed, and its enrolments with it', async () => {
    const merchant = await claim(`${FRESH} AND ${on('taobao')} AND NOT ${on('youku')}`);
    await store.db.query(`INSERT INTO storefront (merchant_seq, platform_id, opened_on) VALUES ($1, 'youku', DATE '2020-02-02')`, [merchant.seq]);
    expect((await expectInStep(merchant)).map((s) => [s.platformId, s.openedOn])).toContainEqual(['youku', '2020-02-02']);
    await walk({ merchantSeq: merchant.seq, merchantId: merchant.id, platformId: 'youku' }, 'alipay', PATH_TO.ACTIVE);
    expect((await expectInStep(merchant)).find((s) => s.platformId === 'youku')?.enrolledToolIds).toEqual(['alipay']);
    await store.db.query(`UPDATE storefront SET opened_on = DATE '2021-03-03' WHERE merchant_seq = $1 AND platform_id = 'youku'`, [merchant.seq]);
    expect((await expectInStep(merchant)).find((s) => s.platformId === 'youku')?.openedOn).toBe('2021-03-03');
    // Its enrolment goes with it (ON DELETE CASCADE): both statements refresh the merchant.
    await store.db.query(`DELETE FROM storefront WHERE merchant_seq = $1 AND platform_id = 'youku'`, [merchant.seq]);
    expect((await expectInStep(merchant)).map((s) => s.platformId)).not.toContain('youku');
  });

  test('a merchant whose last storefront closed reads none', async () => {
    const merchant = await claim(`${FRESH} AND (SELECT count(*) FROM storefront s WHERE s.merchant_seq = m.seq) = 1`);
    await store.db.query('DELETE FROM storefront WHERE merchant_seq = $1', [merchant.seq]);
    expect(await expectInStep(merchant)).toEqual([]);
  });

  test('two enrolments of one merchant changed in overlapping transactions: the later sees the earlier, neither change is lost', async () => {
    const merchant = await claim(`${FRESH} AND ${on('taobao')}`);
    const taobao = { merchantSeq: merchant.seq, merchantId: merchant.id, platformId: 'taobao' };
    await walk(taobao, 'alipay', PATH_TO.PENDING_REVIEW);
    await walk(taobao, 'wechat-pay', PATH_TO.PENDING_REVIEW);
    const activate = `UPDATE enrolment SET status = 'ACTIVE' WHERE merchant_seq = $1 AND platform_id = 'taobao' AND tool_id = $2`;
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let firstDone!: () => void;
    const firstChanged = new Promise<void>((resolve) => (firstDone = resolve));
    const first = store.db.transaction(async (tx) => {
      await tx.query(activate, [merchant.seq, 'alipay']);
      firstDone();
      await held;
    });
    await firstChanged;
    // On PostgreSQL the second runs beside the first until its trigger waits for the merchant the first
    // holds; on PGlite it waits for the first's transaction as a whole.
    const second = store.db.transaction((tx) => tx.query(activate, [merchant.seq, 'wechat-pay']));
    if (store.db.engine === 'postgres') await waitForLockWait(store.db, activate);
    release();
    await Promise.all([first, second]);
    expect((await expectInStep(merchant)).find((s) => s.platformId === 'taobao')?.enrolledToolIds).toEqual(['alipay', 'wechat-pay']);
  });
});

/** Until a session running `statement` waits for a lock (at most 5 s). */
async function waitForLockWait(db: Database, statement: string): Promise<void> {
  const deadline = Date.now() + 5000;
  while (Date.now() < deadline) {
    const [row] = await db.query<{ waiting: number }>(
      `SELECT count(*)::int AS waiting FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock' AND query = $1`,
      [statement],
    );
    if ((row?.waiting ?? 0) > 0) return;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error('no session waited for a lock');
}
