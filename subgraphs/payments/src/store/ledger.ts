// The payments this subgraph owns, in SQL (PGlite or PostgreSQL): payments,
// their status changes, refunds, and the keys and wallet events already
// applied. Every status change and its audit event are written in one
// transaction, guarded by the status the change starts from, so two
// processes sharing one database cannot both apply a change. Each committed
// change is announced to `onChange` listeners (the payment-events publisher),
// and each commit that queued partner webhook deliveries to
// `onDeliveriesQueued` (the delivery worker), except a new payment's, whose
// first deliveries its statement claims and hands to the worker when it has
// room (`handDeliveriesTo`).
import { statusesBefore } from '@interop/domain';
import type { PageRequest } from '@interop/kit/server';
import { queryPlannedPerCall, rowsPerKey, type Database, type Queryable } from '@interop/kit/db';
import { CommittedChanges, type PaymentChangeListener } from './committed-changes';
import { eventOfStatus, outboxCtes, recordWebhookEvents, type WireEventType } from './webhook-outbox';
import { claimedColumnsFrom, type ClaimedDelivery } from './webhook-store';
import type { PaymentEventRow, PaymentRow, PaymentStatus, RefundRow, RefundStatus } from './types';

const PAYMENT_COLUMNS = `seq, id, platform_id AS "platformId", merchant_id AS "merchantId", tool_id AS "toolId",
  amount_minor AS "amountMinor", currency, status, reference,
  next_action_type AS "nextActionType", next_action_url AS "nextActionUrl", next_action_qr AS "nextActionQr", channel,
  to_char(expires_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS "expiresAt",
  partner_id AS "partnerId", idempotency_key AS "idempotencyKey", request_hash AS "requestHash", registered,
  to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS "createdAt",
  to_char(updated_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS "updatedAt"`;

const REFUND_COLUMNS = `id, payment_id AS "paymentId", amount_minor AS "amountMinor", currency, reason, status,
  partner_id AS "partnerId", idempotency_key AS "idempotencyKey", request_hash AS "requestHash",
  to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS "createdAt"`;

/** A payment's version, in SQL: how many status changes it has had (its creation is the first). */
const versionOf = (paymentId: string) => `(SELECT count(*)::int FROM payment_event e WHERE e.payment_id = ${paymentId})`;

export type NewPayment = Omit<PaymentRow, 'seq' | 'status' | 'registered' | 'createdAt' | 'updatedAt'>;
export type NewRefund = Omit<RefundRow, 'status' | 'createdAt'>;

export interface PaymentListFilter {
  merchantId?: string;
  platformId?: string;
  /** Only this partner's payments. */
  partnerId?: string;
  /** Only payments to these merchants. */
  merchantIds?: readonly string[];
  status?: PaymentStatus | undefined;
}

/**
 * The delivery worker, as a new payment's statement meets it: with room, the
 * statement claims the payment's deliveries for this process and hands them
 * over, so they go out without a claim of their own, each endpoint's in turn
 * (a later one only once the one before it was delivered).
 */
export interface DeliveryHand {
  /** Room for the deliveries one statement may claim: how long to claim them for, or null for none now. */
  reserve(): number | null;
  /** What the statement claimed with that room (possibly nothing). */
  take(claimed: readonly ClaimedDelivery[]): void;
  /** The statement wrote nothing: the room is free again. */
  release(): void;
}

export class PaymentLedger {
  private readonly changes = new CommittedChanges();
  private hand: DeliveryHand | undefined;

  constructor(readonly db: Database) {}

  /** A transaction whose status changes are announced once it commits. */
  transaction<T>(work: (tx: Queryable) => Promise<T>): Promise<T> {
    return this.changes.transaction(this.db, work);
  }

  /** Calls `listener` with every status change after it is committed, in commit order within this process. */
  onChange(listener: PaymentChangeListener): () => void {
    return this.changes.listen(listener);
  }

  /** Calls `listener` each time a commit of this process has queued partner webhook deliveries (the delivery worker's cue). */
  onDeliveriesQueued(listener: () => void): () => void {
    return this.changes.listenForDeliveries(listener);
  }

  /** New payments' statements claim their first deliveries for `hand` while it has room (one hand at a time). */
  handDeliveriesTo(hand: DeliveryHand): () => void {
    this.hand = hand;
    return () => {
      if (this.hand === hand) this.hand = undefined;
    };
  }

  async paymentsByIds(ids: readonly string[]): Promise<(PaymentRow | null)[]> {
    const rows = await this.db.query<PaymentRow>(`SELECT ${PAYMENT_COLUMNS} FROM payment WHERE id = ANY($1)`, [ids]);
    const byId = new Map(rows.map((row) => [row.id, row]));
    return ids.map((id) => byId.get(id) ?? null);
  }

  async paymentByIdempotencyKey(partnerId: string, key: string, db: Queryable = this.db): Promise<PaymentRow | null> {
    const [row] = await db.query<PaymentRow>(`SELECT ${PAYMENT_COLUMNS} FROM payment WHERE partner_id = $1 AND idempotency_key = $2`, [partnerId, key]);
    return row ?? null;
  }

  /**
   * Inserts the payment, its creation event and its first partner webhook
   * events; null when the key is taken (the caller reads that payment). One
   * statement, so all are written or none, in one round trip instead of a
   * transaction's five. With room in the delivery hand, the statement also
   * claims the payment's deliveries, and hands them over.
   * In `tx` (a transaction of this ledger's) it claims nothing, and the change
   * and its deliveries are told once `tx` commits.
   */
  async insertPayment(payment: NewPayment, cause: string, tx?: Queryable): Promise<PaymentRow | null> {
    // What a statement in an open transaction claimed would reach the worker before it is committed.
    const claimFor = tx ? null : (this.hand?.reserve() ?? null);
    // The hand whose room this statement holds, if any: it is told what came of it either way.
    const holding = claimFor === null ? undefined : this.hand;
    type Inserted = PaymentRow & { queuedDeliveries: number; claimedDeliveries: ClaimedDelivery[] };
    let inserted: Inserted | undefined;
    try {
      [inserted] = await (tx ?? this.db).query<Inserted>(
        `WITH created AS (
           INSERT INTO payment (id, platform_id, merchant_id, tool_id, amount_minor, currency, status, reference,
             next_action_type, next_action_url, next_action_qr, expires_at, idempotency_key, request_hash, channel, partner_id)
           VALUES ($1, $2, $3, $4, $5, $6, 'REQUIRES_ACTION', $7, $8, $9, $10, $11, $12, $13, $14, $15)
           ON CONFLICT (partner_id, idempotency_key) DO NOTHING
           RETURNING *
         ), creation AS (
           INSERT INTO payment_event (payment_id, from_status, to_status, cause)
           SELECT id, NULL, 'REQUIRES_ACTION', $16 FROM created
         ), ${outboxCtes('created', `ARRAY['payment.created', 'payment.requires_action']`, { firstEvents: true, claimFor: '$17::integer' })},
         claimed AS (SELECT * FROM deliveries WHERE $17::integer IS NOT NULL)
         SELECT ${PAYMENT_COLUMNS}, (SELECT count(*)::int FROM deliveries) AS "queuedDeliveries",
           (SELECT coalesce(json_agg(c), '[]'::json) FROM (${claimedColumnsFrom('claimed', true)}) c) AS "claimedDeliveries"
         FROM created`,
        [
          payment.id,
          payment.platformId,
          payment.merchantId,
          payment.toolId,
          payment.amountMinor,
          payment.currency,
          payment.reference,
          payment.nextActionType,
          payment.nextActionUrl,
          payment.nextActionQr,
          payment.expiresAt,
          payment.idempotencyKey,
          payment.requestHash,
          payment.channel,
          payment.partnerId,
          cause,
          claimFor,
        ],
      );
    } finally {
      if (holding && !inserted) holding.release();
    }
    if (!inserted) return null;
    const { queuedDeliveries, claimedDeliveries, ...row } = inserted;
    // Its creation is the payment's first status change.
    const change = { paymentId: row.id, status: row.status, version: 1, at: row.updatedAt };
    if (tx) {
      this.changes.record(tx, change);
      this.changes.queued(tx, queuedDeliveries);
      return row;
    }
    this.changes.announce([change]);
    // With room, its deliveries were claimed and are handed over; without, the worker is told to look.
    if (holding) holding.take(claimedDeliveries);
    else if (queuedDeliveries > 0) this.changes.deliveriesQueued();
    return row;
  }

  /**
   * Moves a payment to `to` if its status allows it, recording the event, in
   * `tx` or a transaction of its own. Null when the payment is missing or its
   * status does not allow the move (nothing changes then).
   */
  async transition(id: string, to: PaymentStatus, cause: string, tx?: Queryable): Promise<PaymentRow | null> {
    const run = async (db: Queryable) => {
      const [before] = await db.query<{ status: PaymentStatus }>('SELECT status FROM payment WHERE id = $1 FOR UPDATE', [id]);
      if (!before || !statusesBefore(to).includes(before.status)) return null;
      const [row] = await db.query<PaymentRow>(
        `UPDATE payment SET status = $2, updated_at = clock_timestamp() WHERE id = $1 RETURNING ${PAYMENT_COLUMNS}`,
        [id, to],
      );
      if (!row) return null;
      const version = await insertEvent(db, id, before.status, to, cause);
      const webhook = eventOfStatus(to);
      if (webhook) this.changes.queued(db, await recordWebhookEvents(db, id, [webhook]));
      this.changes.record(db, { paymentId: id, status: to, version, at: row.updatedAt });
      return row;
    };
    return tx ? run(tx) : this.transaction(run);
  }

  /**
   * Announces the payment's latest status change again (after `tx` commits,
   * or now without one). For a request repeated after its first try
   * committed a change: that try's process may have died before announcing
   * it, and followers skip versions they already have.
   */
  async announceAgain(paymentId: string, tx?: Queryable): Promise<void> {
    // The status, its time and the version from one snapshot, so the message never pairs one change's version with another's status.
    const [row] = await (tx ?? this.db).query<PaymentRow & { version: number }>(
      `SELECT ${PAYMENT_COLUMNS}, ${versionOf('payment.id')} AS version FROM payment WHERE id = $1`,
      [paymentId],
    );
    if (!row?.version) return;
    const change = { paymentId, status: row.status, version: row.version, at: row.updatedAt };
    if (tx) this.changes.record(tx, change);
    else this.changes.announce([change]);
  }

  /** Locks a payment row for the rest of `tx`. */
  async lockPayment(tx: Queryable, id: string): Promise<PaymentRow | null> {
    const [row] = await tx.query<PaymentRow>(`SELECT ${PAYMENT_COLUMNS} FROM payment WHERE id = $1 FOR UPDATE`, [id]);
    return row ?? null;
  }

  /** Writes a refund's partner webhook event; the caller holds the payment's row lock in `tx`. */
  async recordRefundEvent(tx: Queryable, refund: Pick<RefundRow, 'id' | 'paymentId'>, type: Extract<WireEventType, `refund.${string}`>): Promise<void> {
    this.changes.queued(tx, await recordWebhookEvents(tx, refund.paymentId, [type], refund.id));
  }

  /** Records that the wallet took the payments (in `db`, a transaction, if given). */
  async markRegistered(ids: string | readonly string[], db: Queryable = this.db): Promise<void> {
    await db.query('UPDATE payment SET registered = true WHERE id = ANY($1) AND NOT registered', [typeof ids === 'string' ? [ids] : [...ids]]);
  }

  /**
   * Claims up to `limit` payments to ask the wallet about: unpaid ones past
   * their time, and unsettled ones that waited `staleMs` since their last
   * change. Each claim holds for `staleMs`, and rows another process is
   * claiming are skipped, so processes sharing the table ask once between them.
   */
  async claimDue(staleMs: number, limit: number): Promise<PaymentRow[]> {
    return this.db.query<PaymentRow>(
      `UPDATE payment SET checked_at = clock_timestamp()
       WHERE id IN (
         SELECT id FROM payment
         WHERE status IN ('REQUIRES_ACTION', 'PROCESSING')
           AND (updated_at <= clock_timestamp() - $1::integer * interval '1 millisecond'
             OR (status = 'REQUIRES_ACTION' AND expires_at <= clock_timestamp()))
           AND (checked_at IS NULL OR checked_at <= clock_timestamp() - $1::integer * interval '1 millisecond')
         ORDER BY updated_at
         LIMIT $2
         FOR UPDATE SKIP LOCKED)
       RETURNING ${PAYMENT_COLUMNS}`,
      [staleMs, limit],
    );
  }

  async listPayments(filter: PaymentListFilter, page: PageRequest): Promise<PaymentRow[]> {
    const params: (string | number | string[])[] = [];
    const param = (value: string | number | string[]) => {
      params.push(value);
      return `$${params.length}`;
    };
    const where: string[] = [];
    if (filter.merchantId !== undefined) where.push(`merchant_id = ${param(filter.merchantId)}`);
    if (filter.platformId !== undefined) where.push(`platform_id = ${param(filter.platformId)}`);
    if (filter.partnerId !== undefined) where.push(`partner_id = ${param(filter.partnerId)}`);
    if (filter.merchantIds !== undefined) where.push(`merchant_id = ANY(${param([...filter.merchantIds])})`);
    if (filter.status !== undefined) where.push(`status = ${param(filter.status)}`);
    if (page.afterKey !== null) where.push(`seq < ${param(page.afterKey)}`);
    // How many payments a merchant, partner or status keeps decides the best plan: planned for these values.
    return queryPlannedPerCall<PaymentRow>(
      this.db,
      `SELECT ${PAYMENT_COLUMNS} FROM payment ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
       ORDER BY seq DESC LIMIT ${param(page.first + 1)}`,
      params,
    );
  }

  async eventsByPaymentIds(ids: readonly string[]): Promise<PaymentEventRow[][]> {
    const rows = await this.db.query<PaymentEventRow>(
      `SELECT payment_id AS "paymentId", from_status AS "fromStatus", to_status AS "toStatus",
         to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS at, cause
       FROM payment_event WHERE payment_id = ANY($1) ORDER BY seq`,
      [ids],
    );
    return rowsPerKey(ids, rows, (row) => row.paymentId);
  }

  async refundsByPaymentIds(ids: readonly string[]): Promise<RefundRow[][]> {
    const rows = await this.db.query<RefundRow>(
      `SELECT ${REFUND_COLUMNS} FROM refund WHERE payment_id = ANY($1) ORDER BY seq`,
      [ids],
    );
    return rowsPerKey(ids, rows, (row) => row.paymentId);
  }

  async refundByIdempotencyKey(partnerId: string, key: string, db: Queryable = this.db): Promise<RefundRow | null> {
    const [row] = await db.query<RefundRow>(`SELECT ${REFUND_COLUMNS} FROM refund WHERE partner_id = $1 AND idempotency_key = $2`, [partnerId, key]);
    return row ?? null;
  }

  /** Sum of refunds that took or may still take money back (pending and succeeded). */
  async committedRefunds(tx: Queryable, paymentId: string): Promise<number> {
    const [row] = await tx.query<{ total: number }>(
      `SELECT coalesce(sum(amount_minor), 0)::int AS total FROM refund WHERE payment_id = $1 AND status <> 'FAILED'`,
      [paymentId],
    );
    return row?.total ?? 0;
  }

  async succeededRefunds(tx: Queryable, paymentId: string): Promise<number> {
    const [row] = await tx.query<{ total: number }>(
      `SELECT coalesce(sum(amount_minor), 0)::int AS total FROM refund WHERE payment_id = $1 AND status = 'SUCCEEDED'`,
      [paymentId],
    );
    return row?.total ?? 0;
  }

  /**
   * Inserts a pending refund. The caller holds the payment's row lock and has
   * checked the key; a key used on another payment meanwhile fails the unique
   * constraint rather than being taken twice.
   */
  async insertRefund(tx: Queryable, refund: NewRefund): Promise<RefundRow> {
    const [row] = await tx.query<RefundRow>(
      `INSERT INTO refund (id, payment_id, amount_minor, currency, reason, status, idempotency_key, request_hash, partner_id)
       VALUES ($1, $2, $3, $4, $5, 'PENDING', $6, $7, $8) RETURNING ${REFUND_COLUMNS}`,
      [refund.id, refund.paymentId, refund.amountMinor, refund.currency, refund.reason, refund.idempotencyKey, refund.requestHash, refund.partnerId],
    );
    if (!row) throw new Error('INSERT ... RETURNING gave no row');
    return row;
  }

  async setRefundStatus(tx: Queryable, id: string, status: RefundStatus): Promise<RefundRow> {
    const [row] = await tx.query<RefundRow>(`UPDATE refund SET status = $2 WHERE id = $1 RETURNING ${REFUND_COLUMNS}`, [id, status]);
    if (!row) throw new Error(`Refund ${id} vanished`);
    return row;
  }

  /** Records which payment a cancel key cancelled; the payment id already recorded when the key was used before. */
  async claimCancelKey(tx: Queryable, partnerId: string, key: string, paymentId: string): Promise<string> {
    const [inserted] = await tx.query<{ paymentId: string }>(
      `INSERT INTO cancel_request (partner_id, idempotency_key, payment_id) VALUES ($1, $2, $3)
       ON CONFLICT (partner_id, idempotency_key) DO NOTHING RETURNING payment_id AS "paymentId"`,
      [partnerId, key, paymentId],
    );
    if (inserted) return inserted.paymentId;
    const existing = await this.cancelKeyPayment(partnerId, key, tx);
    if (existing === null) throw new Error(`Cancel key ${key} vanished`);
    return existing;
  }

  async cancelKeyPayment(partnerId: string, key: string, db: Queryable = this.db): Promise<string | null> {
    const [row] = await db.query<{ paymentId: string }>(
      'SELECT payment_id AS "paymentId" FROM cancel_request WHERE partner_id = $1 AND idempotency_key = $2',
      [partnerId, key],
    );
    return row?.paymentId ?? null;
  }

  /** Records a wallet event as applied; false when it already was. */
  async claimWalletEvent(tx: Queryable, eventId: string, paymentId: string, type: string): Promise<boolean> {
    const rows = await tx.query<{ event_id: string }>(
      `INSERT INTO wallet_event (event_id, payment_id, type) VALUES ($1, $2, $3)
       ON CONFLICT (event_id) DO NOTHING RETURNING event_id`,
      [eventId, paymentId, type],
    );
    return rows.length === 1;
  }
}

/** Records a status change; returns how many the payment has had, this one included. */
async function insertEvent(db: Queryable, paymentId: string, from: PaymentStatus | null, to: PaymentStatus, cause: string): Promise<number> {
  // The count beside the insert does not see the row being inserted.
  const [row] = await db.query<{ version: number }>(
    `INSERT INTO payment_event (payment_id, from_status, to_status, cause) VALUES ($1, $2, $3, $4)
     RETURNING ${versionOf('$1')} + 1 AS version`,
    [paymentId, from, to, cause],
  );
  if (!row) throw new Error('INSERT ... RETURNING gave no row');
  return row.version;
}
