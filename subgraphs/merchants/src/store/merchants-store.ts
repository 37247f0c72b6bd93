// The merchants subgraph's data: merchants, their storefronts and the tools
// they opened, in SQL (PGlite or PostgreSQL). Batch methods answer in key
// order, one query per DataLoader batch (`= ANY($1)` on indexed columns).
import type { PageRequest } from '@interop/kit/server';
import { queryPlannedPerCall, rowsPerKey, type Database, type Queryable, type SqlParam } from '@interop/kit/db';
import type { ToolReach } from '@interop/domain';
import { canMove, type EnrolmentStatus } from '../enrolment-lifecycle';
import { storefrontId } from './storefront-id';
import type { EnrolmentEventRow, EnrolmentKey, EnrolmentRow, MerchantRow, MerchantWithStorefronts, StorefrontRow } from './types';

/** A storefront as the enrolment tables key it. */
export interface StorefrontKey {
  merchantSeq: number;
  platformId: string;
}

/** A storefront as its enrolments' changes name it: by its key, and its merchant by the public id. */
export interface EnrolmentStorefront extends StorefrontKey {
  merchantId: string;
}

const ISO = `'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'`;
const storefrontKey = (s: StorefrontKey) => `${s.merchantSeq}:${s.platformId}`;
const dbStorefrontKey = (row: { merchant_seq: number; platform_id: string }) => `${row.merchant_seq}:${row.platform_id}`;
const storefrontParams = (storefronts: readonly StorefrontKey[]) => [storefronts.map((s) => s.merchantSeq), storefronts.map((s) => s.platformId)];
const enrolmentKey = (e: EnrolmentKey) => `${e.merchantSeq}:${e.platformId}:${e.toolId}`;

async function insertEnrolmentEvent(tx: Queryable, key: readonly (string | number)[], status: EnrolmentStatus): Promise<void> {
  await tx.query(
    'INSERT INTO enrolment_event (merchant_seq, platform_id, tool_id, status, at) VALUES ($1, $2, $3, $4, clock_timestamp())',
    [...key, status],
  );
}

/** Which merchants a list keeps. */
export interface MerchantFilter {
  platformId?: string | undefined;
  /** Keeps merchants a buyer can pay with `toolId` now: see `toolReach` in @interop/domain. */
  accepts?: { toolId: string; reach: ToolReach } | undefined;
  /** Keeps merchants whose name holds this text, in any case; `%`, `_` and `\` stand for themselves. */
  nameContains?: string | undefined;
}

/** An ILIKE pattern that finds `text` anywhere, its wildcard and escape characters taken literally. */
export const containsPattern = (text: string) => `%${text.replace(/[\\%_]/g, '\\$&')}%`;

const MERCHANT_COLUMNS = 'm.seq, m.id, m.name, m.status, m.eligible, m.category, m.city';

interface StorefrontDbRow {
  merchant_seq: number;
  merchant_id: string;
  platform_id: string;
  opened_on: string;
  enrolled_tool_ids: string[];
}

/** The tools the storefront aliased `storefront` has opted into (its ACTIVE enrolments), sorted, as an SQL array. */
const enrolledToolIds = (storefront: string) => `ARRAY(SELECT e.tool_id FROM enrolment e
  WHERE e.merchant_seq = ${storefront}.merchant_seq AND e.platform_id = ${storefront}.platform_id AND e.status = 'ACTIVE'
  ORDER BY e.tool_id)`;

/**
 * A storefront and, in the same statement, the tools it has opted into (its
 * ACTIVE enrolments, by tool id): every storefront a request reaches is read
 * with what the checkout rule needs of it, in one round trip per batch.
 */
const STOREFRONT_COLUMNS = `s.merchant_seq, m.id AS merchant_id, s.platform_id, to_char(s.opened_on, 'YYYY-MM-DD') AS opened_on,
  ${enrolledToolIds('s')} AS enrolled_tool_ids`;

/**
 * The same storefronts of merchant `m`, as one JSON array beside the merchant's
 * row: a page reads its merchants and their storefronts in one statement. The
 * array is kept built in merchant_storefronts by migration 004's triggers
 * (a merchant with no row there has none). (A date in JSON is always
 * YYYY-MM-DD, whatever the session's DateStyle.)
 */
const STOREFRONTS_OF_MERCHANT = `coalesce((SELECT ms.storefronts FROM merchant_storefronts ms WHERE ms.merchant_seq = m.seq), '[]') AS storefronts`;

interface StorefrontJson {
  platformId: string;
  openedOn: string;
  enrolledToolIds: string[];
}

/**
 * An enrolment's status changed (committed): which merchants accept which
 * tools may have changed. A promise the listener returns is awaited before the
 * move resolves (it must not reject).
 */
export type EnrolmentChangeListener = (change: { storefront: EnrolmentStorefront; toolId: string; status: EnrolmentStatus }) => unknown;

export class MerchantsStore {
  private readonly enrolmentListeners = new Set<EnrolmentChangeListener>();
  /** Per enrolment, the end of the last move asked of this store (see moveEnrolment). */
  private readonly moveTurns = new Map<string, Promise<void>>();

  constructor(readonly db: Database) {}

  /**
   * Calls `listener` after every committed enrolment status change this store
   * made, one enrolment's changes in the order they committed, and waits for
   * what it returns before the move resolves: a change announced by then has
   * left before the caller answers; returns the function that stops it.
   */
  onEnrolmentChange(listener: EnrolmentChangeListener): () => void {
    this.enrolmentListeners.add(listener);
    return () => {
      this.enrolmentListeners.delete(listener);
    };
  }

  /** `merchantsByIds`, each merchant with its storefronts as `storefrontsByMerchantIds` reads them, in one statement. */
  async merchantsWithStorefrontsByIds(ids: readonly string[]): Promise<(MerchantWithStorefronts | null)[]> {
    const rows = await this.db.query<MerchantRowWithStorefronts>(`SELECT ${MERCHANT_COLUMNS}, ${STOREFRONTS_OF_MERCHANT} FROM merchant m WHERE m.id = ANY($1)`, [ids]);
    const byId = new Map(rows.map((row) => [row.id, withStorefronts(row)]));
    return ids.map((id) => byId.get(id) ?? null);
  }

  async merchantsByIds(ids: readonly string[]): Promise<(MerchantRow | null)[]> {
    const rows = await this.db.query<MerchantRow>(`SELECT ${MERCHANT_COLUMNS} FROM merchant m WHERE m.id = ANY($1)`, [ids]);
    const byId = new Map(rows.map((row) => [row.id, row]));
    return ids.map((id) => byId.get(id) ?? null);
  }

  /** Each merchant's storefronts, by platform id, each with the tools it has opted into. */
  async storefrontsByMerchantIds(merchantIds: readonly string[]): Promise<StorefrontRow[][]> {
    const rows = await this.db.query<StorefrontDbRow>(
      `SELECT ${STOREFRONT_COLUMNS}
       FROM merchant m JOIN storefront s ON s.merchant_seq = m.seq
       WHERE m.id = ANY($1) ORDER BY s.platform_id`,
      [merchantIds],
    );
    return rowsPerKey(merchantIds, rows.map(toStorefront), (row) => row.merchantId);
  }

  /** Storefronts by merchant and platform, each with the tools it has opted into; null where the merchant has none there. */
  async storefrontsByKeys(keys: readonly { merchantId: string; platformId: string }[]): Promise<(StorefrontRow | null)[]> {
    const rows = await this.db.query<StorefrontDbRow>(
      `SELECT ${STOREFRONT_COLUMNS}
       FROM unnest($1::text[], $2::text[]) AS k(merchant_id, platform_id)
       JOIN merchant m ON m.id = k.merchant_id
       JOIN storefront s ON s.merchant_seq = m.seq AND s.platform_id = k.platform_id`,
      [keys.map((key) => key.merchantId), keys.map((key) => key.platformId)],
    );
    const byId = new Map(rows.map((row) => [storefrontId(row.merchant_id, row.platform_id), toStorefront(row)]));
    return keys.map((key) => byId.get(storefrontId(key.merchantId, key.platformId)) ?? null);
  }

  // The keyed reads below join distinct keys: rowsPerKey hands a key's rows to every place it was asked, so a key
  // repeated in the join would read its rows twice over.

  /** The tools each storefront has opened and whose enrolment is ACTIVE (the only status that counts as opted in), sorted by tool id. */
  async enrolledToolIds(storefronts: readonly StorefrontKey[]): Promise<string[][]> {
    const rows = await this.db.query<{ merchant_seq: number; platform_id: string; tool_id: string }>(
      `SELECT e.merchant_seq, e.platform_id, e.tool_id
       FROM (SELECT DISTINCT * FROM unnest($1::int[], $2::text[])) AS k(merchant_seq, platform_id)
       JOIN enrolment e ON e.merchant_seq = k.merchant_seq AND e.platform_id = k.platform_id
       WHERE e.status = 'ACTIVE'
       ORDER BY e.tool_id`,
      storefrontParams(storefronts),
    );
    return rowsPerKey(storefronts.map(storefrontKey), rows, dbStorefrontKey).map((group) => group.map((row) => row.tool_id));
  }

  /** Every enrolment of each storefront whatever its status, with the time of its last change, sorted by tool id. */
  async enrolmentsByStorefronts(storefronts: readonly StorefrontKey[]): Promise<EnrolmentRow[][]> {
    const rows = await this.db.query<EnrolmentRow>(
      `SELECT e.merchant_seq AS "merchantSeq", e.platform_id AS "platformId", e.tool_id AS "toolId", e.status,
              to_char(last.at AT TIME ZONE 'UTC', ${ISO}) AS since
       FROM (SELECT DISTINCT * FROM unnest($1::int[], $2::text[])) AS k(merchant_seq, platform_id)
       JOIN enrolment e ON e.merchant_seq = k.merchant_seq AND e.platform_id = k.platform_id
       CROSS JOIN LATERAL (
         SELECT v.at FROM enrolment_event v
         WHERE v.merchant_seq = e.merchant_seq AND v.platform_id = e.platform_id AND v.tool_id = e.tool_id
         ORDER BY v.seq DESC LIMIT 1) AS last
       ORDER BY e.tool_id`,
      storefrontParams(storefronts),
    );
    return rowsPerKey(storefronts.map(storefrontKey), rows, storefrontKey);
  }

  /** Each enrolment's status changes, oldest first. */
  async enrolmentHistories(enrolments: readonly EnrolmentKey[]): Promise<EnrolmentEventRow[][]> {
    const rows = await this.db.query<EnrolmentEventRow & { key: string }>(
      `SELECT v.merchant_seq || ':' || v.platform_id || ':' || v.tool_id AS key, v.status,
              to_char(v.at AT TIME ZONE 'UTC', ${ISO}) AS at
       FROM (SELECT DISTINCT * FROM unnest($1::int[], $2::text[], $3::text[])) AS k(merchant_seq, platform_id, tool_id)
       JOIN enrolment_event v ON v.merchant_seq = k.merchant_seq AND v.platform_id = k.platform_id AND v.tool_id = k.tool_id
       ORDER BY v.seq`,
      [enrolments.map((e) => e.merchantSeq), enrolments.map((e) => e.platformId), enrolments.map((e) => e.toolId)],
    );
    return rowsPerKey(enrolments.map(enrolmentKey), rows, (row) => row.key).map((group) => group.map(({ status, at }) => ({ status, at })));
  }

  /**
   * Moves the storefront's enrolment of a tool to `to` when its status allows
   * it (enrolment-lifecycle), recording the change and its time, in one
   * transaction under the enrolment's row lock. A first REQUESTED creates the
   * enrolment. Returns the status afterwards: `to`, or the unchanged status
   * (null for no enrolment) when the move is not allowed.
   */
  async moveEnrolment(storefront: EnrolmentStorefront, toolId: string, to: EnrolmentStatus): Promise<EnrolmentStatus | null> {
    // The row lock orders moves in the database, but two connections' commits
    // can reach this process in either order: moves of one enrolment made here
    // take turns, so its listeners hear them in the order they committed.
    const turn = JSON.stringify([storefront.merchantSeq, storefront.platformId, toolId]);
    const previous = this.moveTurns.get(turn);
    const move = (previous ?? Promise.resolve()).then(() => this.moveEnrolmentNow(storefront, toolId, to));
    const done = move.then(
      () => undefined,
      () => undefined,
    );
    this.moveTurns.set(turn, done);
    try {
      return await move;
    } finally {
      if (this.moveTurns.get(turn) === done) this.moveTurns.delete(turn);
    }
  }

  private async moveEnrolmentNow(storefront: EnrolmentStorefront, toolId: string, to: EnrolmentStatus): Promise<EnrolmentStatus | null> {
    const key = [storefront.merchantSeq, storefront.platformId, toolId];
    let moved = false;
    const after = await this.db.transaction(async (tx): Promise<EnrolmentStatus | null> => {
      const lock = () =>
        tx.query<{ status: EnrolmentStatus }>(
          'SELECT status FROM enrolment WHERE merchant_seq = $1 AND platform_id = $2 AND tool_id = $3 FOR UPDATE',
          key,
        );
      let [current] = await lock();
      if (!current && to === 'REQUESTED') {
        const [created] = await tx.query<{ status: EnrolmentStatus }>(
          `INSERT INTO enrolment (merchant_seq, platform_id, tool_id, opened_at, status)
           VALUES ($1, $2, $3, clock_timestamp(), 'REQUESTED')
           ON CONFLICT DO NOTHING RETURNING status`,
          key,
        );
        if (created) {
          await insertEnrolmentEvent(tx, key, 'REQUESTED');
          moved = true;
          return 'REQUESTED';
        }
        // Another call created it meanwhile: carry on from what it did.
        [current] = await lock();
      }
      const from = current?.status ?? null;
      if (!canMove(from, to)) return from;
      await tx.query('UPDATE enrolment SET status = $4 WHERE merchant_seq = $1 AND platform_id = $2 AND tool_id = $3', [...key, to]);
      await insertEnrolmentEvent(tx, key, to);
      moved = true;
      return to;
    });
    if (moved) await Promise.all([...this.enrolmentListeners].map((listener) => listener({ storefront, toolId, status: to })));
    return after;
  }

  /** One page in key order, fetching one row more than asked to learn whether another page follows. */
  async listMerchants(filter: MerchantFilter, page: PageRequest): Promise<MerchantRow[]> {
    return this.pageRows<MerchantRow>(filter, page, MERCHANT_COLUMNS);
  }

  /** `listMerchants`, and each merchant's storefronts as `storefrontsByMerchantIds` reads them, in one statement. */
  async listMerchantsWithStorefronts(filter: MerchantFilter, page: PageRequest): Promise<{ merchants: MerchantRow[]; storefronts: StorefrontRow[][] }> {
    const rows = await this.pageRows<MerchantRowWithStorefronts>(filter, page, `${MERCHANT_COLUMNS}, ${STOREFRONTS_OF_MERCHANT}`);
    const read = rows.map(withStorefronts);
    return { merchants: read.map((row) => row.merchant), storefronts: read.map((row) => row.storefronts) };
  }

  async countMerchants(filter: MerchantFilter): Promise<number> {
    const query = new FilteredMerchants(filter);
    const [row] = await this.queryFiltered<{ count: number }>(filter, `SELECT count(*)::int AS count ${query.sql()}`, query.params);
    return row?.count ?? 0;
  }

  /**
   * A page's rows. On PGlite they are read back as one JSON array the
   * database builds in key order: PGlite decodes every field of every row in
   * JavaScript, and a page of 51 merchants with their storefronts cost the
   * merchants process about 1.3 ms of CPU as rows against 0.9 ms as one text
   * that JSON.parse reads. On PostgreSQL the rows cost the merchants process
   * no more than the text did, and building the array cost the server more.
   */
  private async pageRows<Row extends { seq: number }>(filter: MerchantFilter, page: PageRequest, columns: string): Promise<Row[]> {
    const [sql, params] = pageStatement(filter, page, columns);
    if (this.db.engine !== 'pglite') return this.queryFiltered<Row>(filter, sql, params);
    const [answer] = await this.queryFiltered<{ rows: string }>(filter, `SELECT coalesce(json_agg(r ORDER BY r.seq), '[]')::text AS rows FROM (${sql}) r`, params);
    return JSON.parse(answer?.rows ?? '[]') as Row[];
  }

  /**
   * How many merchants a name pattern or a tool's reach keeps decides the best
   * plan (a short pattern reads no trigram index well): such a search is
   * planned for its values on every call, where a platform's page by cursor
   * keeps one plan (kit's plans.ts).
   */
  private queryFiltered<Row extends object>(filter: MerchantFilter, sql: string, params: readonly SqlParam[]): Promise<Row[]> {
    const searches = filter.accepts !== undefined || filter.nameContains !== undefined;
    return searches ? queryPlannedPerCall<Row>(this.db, sql, params) : this.db.query<Row>(sql, params);
  }
}

/**
 * FROM and WHERE for a merchant filter, with numbered parameters. With a
 * platform the scan walks that platform's storefront index in merchant order,
 * so a page deep in the list costs what the first page costs. A name filter
 * reads the trigram index on names (migration 003), which serves ILIKE.
 */
class FilteredMerchants {
  readonly params: SqlParam[] = [];
  private readonly conditions: string[] = [];
  private readonly from: string;

  constructor(filter: MerchantFilter) {
    if (filter.platformId === undefined) {
      this.from = 'FROM merchant m';
    } else {
      this.from = 'FROM storefront s JOIN merchant m ON m.seq = s.merchant_seq';
      const platformId = filter.platformId;
      this.where((p) => `s.platform_id = ${p(platformId)}`);
    }
    if (filter.accepts) {
      // The merchant side of the checkout rule (merchantMayUse in @interop/domain):
      // an active merchant, on a platform open to all, or eligible and opted in
      // (an ACTIVE enrolment) where opt-in is required.
      const { toolId, reach } = filter.accepts;
      this.where(
        (p) => `m.status = 'ACTIVE' AND (
          EXISTS (SELECT 1 FROM storefront a WHERE a.merchant_seq = m.seq AND a.platform_id = ANY(${p(reach.openToAll)}))
          OR (m.eligible AND EXISTS (
            SELECT 1 FROM enrolment e
            WHERE e.merchant_seq = m.seq AND e.tool_id = ${p(toolId)} AND e.platform_id = ANY(${p(reach.openWithOptIn)})
              AND e.status = 'ACTIVE')))`,
      );
    }
    if (filter.nameContains !== undefined) {
      const pattern = containsPattern(filter.nameContains);
      this.where((p) => `m.name ILIKE ${p(pattern)}`);
    }
  }

  param(value: SqlParam): string {
    this.params.push(value);
    return `$${this.params.length}`;
  }

  where(condition: (param: (value: SqlParam) => string) => string): void {
    this.conditions.push(condition((value) => this.param(value)));
  }

  sql(): string {
    return `${this.from}${this.conditions.length ? ` WHERE ${this.conditions.join(' AND ')}` : ''}`;
  }
}

/** A page of merchants in key order with `columns`, one row more than asked to learn whether another page follows. */
function pageStatement(filter: MerchantFilter, page: PageRequest, columns: string): [string, SqlParam[]] {
  const query = new FilteredMerchants(filter);
  const key = filter.platformId === undefined ? 'm.seq' : 's.merchant_seq';
  if (page.afterKey !== null) {
    const after = page.afterKey;
    query.where((p) => `${key} > ${p(after)}`);
    // The same bound on the merchant side: the planner joins the two in key
    // order, and without it walks every merchant before the cursor.
    if (key !== 'm.seq') query.where((p) => `m.seq > ${p(after)}`);
  }
  return [`SELECT ${columns} ${query.sql()} ORDER BY ${key} LIMIT ${query.param(page.first + 1)}`, query.params];
}

type MerchantRowWithStorefronts = MerchantRow & { storefronts: StorefrontJson[] };

/** A merchant's row and its storefronts, from a row that read them as JSON beside it. */
function withStorefronts({ storefronts, ...merchant }: MerchantRowWithStorefronts): MerchantWithStorefronts {
  return {
    merchant,
    storefronts: storefronts.map((storefront) =>
      toStorefront({ merchant_seq: merchant.seq, merchant_id: merchant.id, platform_id: storefront.platformId, opened_on: storefront.openedOn, enrolled_tool_ids: storefront.enrolledToolIds }),
    ),
  };
}

function toStorefront(row: StorefrontDbRow): StorefrontRow {
  return {
    id: storefrontId(row.merchant_id, row.platform_id),
    merchantSeq: row.merchant_seq,
    merchantId: row.merchant_id,
    platformId: row.platform_id,
    openedOn: row.opened_on,
    enrolledToolIds: row.enrolled_tool_ids,
  };
}
