// Deterministic demo merchants, generated inside the database with
// generate_series so a million rows take seconds, not minutes. The same count
// always gives the same merchants, storefronts and opt-ins, on PGlite and on
// PostgreSQL alike (md5 is the only source of variety). After them come the
// platforms' own stores, so that every platform of the story has somewhere to pay.
import type { Database } from '@interop/kit/db';

/** Bump when the generator changes, so existing data folders are regenerated. */
export const DEMO_DATA_VERSION = 3;

const ADJECTIVES = [
  'Golden', 'Lucky', 'Jade', 'Red Lantern', 'Silk Road', 'Bamboo', 'Lotus', 'Dragon', 'Phoenix', 'Panda',
  'Harmony', 'Peony', 'Spring', 'Pearl', 'Orchid', 'Sunrise', 'Crane', 'Willow', 'Plum Blossom', 'Mountain',
];

// Category i takes nouns 3i+1..3i+3 (SQL arrays start at 1).
const CATEGORIES: readonly [string, readonly [string, string, string]][] = [
  ['APPAREL', ['Fashion', 'Tailors', 'Silk House']],
  ['ELECTRONICS', ['Digital', 'Electronics', 'Tech Store']],
  ['GROCERY', ['Grocers', 'Fresh Market', 'Tea Shop']],
  ['RESTAURANT', ['Noodle House', 'Dumplings', 'Hotpot']],
  ['HOTEL', ['Hotel', 'Inn', 'Guesthouse']],
  ['BEAUTY', ['Beauty', 'Cosmetics', 'Skincare']],
  ['HOME', ['Home', 'Furniture', 'Ceramics']],
  ['ENTERTAINMENT', ['Live', 'Theatre', 'Concerts']],
];

const CITIES = [
  'Hangzhou', 'Shanghai', 'Beijing', 'Shenzhen', 'Guangzhou', 'Chengdu',
  'Wuhan', 'Nanjing', 'Xi\'an', 'Suzhou', 'Chongqing', 'Tianjin',
];

const sqlArray = (values: readonly string[]) => `ARRAY[${values.map((v) => `'${v.replace(/'/g, "''")}'`).join(', ')}]`;

/** A positive 28-bit hash of (column, salt), the same on every PostgreSQL. */
const hash = (column: string, salt: string) => `('x' || substr(md5(${column}::text || ':${salt}'), 1, 7))::bit(28)::int`;

/**
 * Which platforms a merchant sells on, by category, each with a share of
 * merchants: shops on Taobao, JD and Kaola; restaurants on Ele.me and Meituan
 * Waimai; hotels on Meituan Hotels; shows on Damai.
 */
const STOREFRONT_RULES: readonly { categories: readonly string[]; platformId: string; percent: number }[] = [
  { categories: ['APPAREL', 'ELECTRONICS', 'GROCERY', 'BEAUTY', 'HOME'], platformId: 'taobao', percent: 80 },
  { categories: ['APPAREL', 'ELECTRONICS', 'GROCERY', 'BEAUTY', 'HOME'], platformId: 'jd', percent: 40 },
  { categories: ['APPAREL', 'BEAUTY', 'GROCERY'], platformId: 'kaola', percent: 15 },
  { categories: ['RESTAURANT', 'GROCERY'], platformId: 'ele-me', percent: 70 },
  { categories: ['RESTAURANT'], platformId: 'meituan-waimai', percent: 70 },
  { categories: ['HOTEL'], platformId: 'meituan-hotels', percent: 100 },
  { categories: ['ENTERTAINMENT'], platformId: 'damai', percent: 100 },
  { categories: ['ENTERTAINMENT'], platformId: 'taobao', percent: 30 },
];

/**
 * Platforms whose own store is their storefront: Youku sells its memberships
 * and Shuqi its books, where no generated merchant sells. They follow the
 * generated merchants, one each, in this order.
 */
export const PLATFORM_STORES: readonly { platformId: string; name: string; city: string }[] = [
  { platformId: 'youku', name: 'Youku VIP Membership', city: 'Beijing' },
  { platformId: 'shuqi', name: 'Shuqi Bookstore', city: 'Guangzhou' },
];

/** The day Meituan Waimai and Meituan Hotels opened inside the Alipay app, and with them their merchants. */
const MEITUAN_IN_ALIPAY = '2024-09-04';

/** Share of eligible Taobao merchants that have opened WeChat Pay since the 2024-09-04 opening. */
const WECHAT_ON_TAOBAO_PERCENT = 45;
/** A further share that opened it and closed it again (INACTIVE): not opted in now, but with a history. */
const WECHAT_CLOSED_PERCENT = 5;

export async function ensureDemoData(db: Database, merchantCount: number): Promise<void> {
  await db.transaction(async (tx) => {
    // Several processes may start at once on one server: one generates, the others wait and see it done.
    await tx.query('SELECT pg_advisory_xact_lock(hashtext($1))', ['merchants.seed_state']);
    const [state] = await tx.query<{ version: number; merchant_count: number }>('SELECT version, merchant_count FROM seed_state');
    if (state && state.version === DEMO_DATA_VERSION && state.merchant_count === merchantCount) return;
    await tx.exec('TRUNCATE merchant CASCADE');
    // Each merchant's storefronts JSON is built once at the end, not by the triggers after every statement below.
    await tx.exec('ALTER TABLE storefront DISABLE TRIGGER USER; ALTER TABLE enrolment DISABLE TRIGGER USER');
    await tx.exec(`
      INSERT INTO merchant (seq, id, name, status, eligible, category, city)
      SELECT i,
             'm' || lpad(i::text, 7, '0'),
             (${sqlArray(ADJECTIVES)})[1 + ${hash('i', 'name')} % ${ADJECTIVES.length}] || ' ' ||
               (${sqlArray(CATEGORIES.flatMap(([, nouns]) => nouns))})[1 + (${hash('i', 'category')} % ${CATEGORIES.length}) * 3 + ${hash('i', 'noun')} % 3],
             CASE WHEN ${hash('i', 'status')} % 25 = 0 THEN 'SUSPENDED' ELSE 'ACTIVE' END,
             ${hash('i', 'eligible')} % 10 <> 0,
             (${sqlArray(CATEGORIES.map(([category]) => category))})[1 + ${hash('i', 'category')} % ${CATEGORIES.length}],
             (${sqlArray(CITIES)})[1 + ${hash('i', 'city')} % ${CITIES.length}]
      FROM generate_series(1, ${merchantCount}) AS i`);
    for (const rule of STOREFRONT_RULES) {
      await tx.exec(`
        INSERT INTO storefront (merchant_seq, platform_id, opened_on)
        SELECT m.seq, '${rule.platformId}', DATE '2015-01-01' + ${hash('m.seq', `opened:${rule.platformId}`)} % 3500
        FROM merchant m
        WHERE m.category IN (${rule.categories.map((c) => `'${c}'`).join(', ')})
          AND ${hash('m.seq', `sells:${rule.platformId}`)} % 100 < ${rule.percent}
        ON CONFLICT DO NOTHING`);
    }
    // Every merchant sells somewhere: those no rule placed open on Taobao.
    await tx.exec(`
      INSERT INTO storefront (merchant_seq, platform_id, opened_on)
      SELECT m.seq, 'taobao', DATE '2015-01-01' + m.seq % 3500
      FROM merchant m WHERE NOT EXISTS (SELECT 1 FROM storefront s WHERE s.merchant_seq = m.seq)`);
    // Meituan's restaurants and hotels are reachable inside the Alipay app since Meituan's services opened there.
    await tx.exec(`
      INSERT INTO storefront (merchant_seq, platform_id, opened_on)
      SELECT DISTINCT s.merchant_seq, 'alipay-app', DATE '${MEITUAN_IN_ALIPAY}'
      FROM storefront s WHERE s.platform_id IN ('meituan-waimai', 'meituan-hotels')`);
    for (const [index, store] of PLATFORM_STORES.entries()) {
      const seq = merchantCount + index + 1;
      await tx.query(
        `INSERT INTO merchant (seq, id, name, status, eligible, category, city)
         VALUES ($1, $2, $3, 'ACTIVE', true, 'DIGITAL_CONTENT', $4)`,
        [seq, `m${String(seq).padStart(7, '0')}`, store.name, store.city],
      );
      await tx.query(`INSERT INTO storefront (merchant_seq, platform_id, opened_on) VALUES ($1, $2, DATE '2015-01-01')`, [seq, store.platformId]);
    }
    // Review is automatic in the demo: REQUESTED, PENDING_REVIEW a minute later, ACTIVE within two days.
    const optIn = hash('s.merchant_seq', 'opt-in');
    await tx.exec(`
      INSERT INTO enrolment (merchant_seq, platform_id, tool_id, opened_at, status)
      SELECT s.merchant_seq, 'taobao', 'wechat-pay',
             TIMESTAMPTZ '2024-09-04 00:00:00+08' + (${hash('s.merchant_seq', 'wechat')} % 120) * INTERVAL '1 day'
               + (${hash('s.merchant_seq', 'hour')} % 24) * INTERVAL '1 hour',
             CASE WHEN ${optIn} % 100 < ${WECHAT_ON_TAOBAO_PERCENT} THEN 'ACTIVE' ELSE 'INACTIVE' END
      FROM storefront s JOIN merchant m ON m.seq = s.merchant_seq
      WHERE s.platform_id = 'taobao' AND m.eligible
        AND ${optIn} % 100 < ${WECHAT_ON_TAOBAO_PERCENT + WECHAT_CLOSED_PERCENT}`);
    const reviewed = `(1 + ${hash('e.merchant_seq', 'review')} % 48) * INTERVAL '1 hour'`;
    await tx.exec(`
      INSERT INTO enrolment_event (merchant_seq, platform_id, tool_id, status, at)
      SELECT e.merchant_seq, e.platform_id, e.tool_id, step.status, e.opened_at + step.after
      FROM enrolment e CROSS JOIN LATERAL (VALUES
        (1, 'REQUESTED', INTERVAL '0'),
        (2, 'PENDING_REVIEW', INTERVAL '1 minute'),
        (3, 'ACTIVE', ${reviewed}),
        (4, 'INACTIVE', ${reviewed} + (1 + ${hash('e.merchant_seq', 'closed')} % 60) * INTERVAL '1 day')
      ) AS step(n, status, after)
      WHERE step.n < 4 OR e.status = 'INACTIVE'
      ORDER BY e.merchant_seq, e.platform_id, e.tool_id, step.n`);
    await tx.exec(`SELECT refresh_merchant_storefronts(ARRAY(SELECT seq FROM merchant));
      ALTER TABLE storefront ENABLE TRIGGER USER; ALTER TABLE enrolment ENABLE TRIGGER USER`);
    // Fresh statistics, or the planner would pick plans for empty tables.
    await tx.exec('ANALYZE merchant; ANALYZE storefront; ANALYZE enrolment; ANALYZE enrolment_event; ANALYZE merchant_storefronts');
    await tx.query(
      `INSERT INTO seed_state (id, version, merchant_count) VALUES (1, $1, $2)
       ON CONFLICT (id) DO UPDATE SET version = EXCLUDED.version, merchant_count = EXCLUDED.merchant_count`,
      [DEMO_DATA_VERSION, merchantCount],
    );
  });
}
