// Partner webhook endpoints, their deliveries and attempts, in SQL. Deliveries
// are claimed with FOR UPDATE SKIP LOCKED and a lease (next_attempt_at moved
// past the attempt's longest time), so processes sharing the tables never
// send one delivery at once, and one that died mid-attempt leaves it due again
// when the lease ends. A delivery is due only when no earlier event of its
// payment is still pending for its endpoint: a payment's events arrive in order.
import type { PageRequest } from '@interop/kit/server';
import type { Database, Queryable } from '@interop/kit/db';
import type { WireEventType } from './webhook-outbox';

const ISO = (column: string) => `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

export type WebhookEndpointStatus = 'ENABLED' | 'DISABLED';
export type WebhookDeliveryStatus = 'PENDING' | 'DELIVERED' | 'FAILED';

export interface WebhookEndpointRow {
  seq: number;
  id: string;
  partnerId: string;
  merchantId: string | null;
  /** Created by a merchant console: it receives every payment to its merchant, whichever partner started it. */
  merchantConsole: boolean;
  url: string;
  description: string | null;
  events: WireEventType[];
  status: WebhookEndpointStatus;
  disabledReason: string | null;
  secret: string;
  previousSecret: string | null;
  previousSecretExpiresAt: string | null;
  consecutiveFailures: number;
  createdAt: string;
}

export interface WebhookEventRow {
  id: string;
  type: WireEventType;
  createdAt: string;
  paymentId: string;
  paymentVersion: number;
  partnerId: string;
  merchantId: string;
  /** The event's `data`, as JSON text. */
  payload: string;
}

export interface WebhookAttemptRow {
  deliveryId: string;
  at: string;
  statusCode: number | null;
  durationMs: number;
  responseExcerpt: string | null;
  error: string | null;
}

export interface WebhookDeliveryRow {
  seq: number;
  id: string;
  endpointId: string;
  status: WebhookDeliveryStatus;
  nextAttemptAt: string | null;
  attemptCount: number;
  createdAt: string;
  event: WebhookEventRow;
}

/** A delivery the worker holds, with what it needs to send it. */
export interface ClaimedDelivery {
  id: string;
  endpointId: string;
  attempts: number;
  /** When the delivery was created: retries stop `giveUpAfterMs` later. */
  createdAt: string;
  url: string;
  secrets: string[];
  event: WebhookEventRow;
  /** A later event of the same payment waits for this one to the same endpoint (claimable once this one is settled). */
  blocksLater: boolean;
}

const ENDPOINT_COLUMNS = `seq, id, partner_id AS "partnerId", merchant_id AS "merchantId", merchant_console AS "merchantConsole",
  url, description, events, status, disabled_reason AS "disabledReason", secret, previous_secret AS "previousSecret",
  CASE WHEN previous_secret_expires_at > clock_timestamp() THEN ${ISO('previous_secret_expires_at')} END AS "previousSecretExpiresAt",
  consecutive_failures AS "consecutiveFailures", ${ISO('created_at')} AS "createdAt"`;

const EVENT_COLUMNS = (e: string) => `json_build_object('id', ${e}.id, 'type', ${e}.type, 'createdAt', ${ISO(`${e}.created_at`)},
  'paymentId', ${e}.payment_id, 'paymentVersion', ${e}.payment_version, 'partnerId', ${e}.partner_id,
  'merchantId', ${e}.merchant_id, 'payload', ${e}.payload) AS event`;

const DELIVERY_COLUMNS = `d.seq::int AS seq, d.id, d.endpoint_id AS "endpointId", d.status,
  CASE WHEN d.status = 'PENDING' THEN ${ISO('d.next_attempt_at')} END AS "nextAttemptAt",
  d.attempts AS "attemptCount", ${ISO('d.created_at')} AS "createdAt", ${EVENT_COLUMNS('e')}`;

/**
 * What the worker needs of each delivery claimed in `claimed` (a CTE of
 * webhook_delivery rows): its endpoint's URL and current secrets, its event,
 * and whether a later event of its payment waits for it. `written`: the
 * events and deliveries were written by this very statement (its CTEs of
 * those names), which its reads of the tables cannot see.
 */
export const claimedColumnsFrom = (claimed: string, written = false) => `SELECT d.id, d.endpoint_id AS "endpointId", d.attempts, ${ISO('d.created_at')} AS "createdAt", we.url,
         CASE WHEN we.previous_secret IS NOT NULL AND we.previous_secret_expires_at > clock_timestamp()
           THEN ARRAY[we.secret, we.previous_secret] ELSE ARRAY[we.secret] END AS secrets,
         EXISTS (
           SELECT 1 FROM ${written ? 'deliveries' : 'webhook_delivery'} later
           WHERE later.endpoint_id = d.endpoint_id AND later.payment_id = d.payment_id
             AND later.status = 'PENDING' AND later.payment_version > d.payment_version) AS "blocksLater",
         ${EVENT_COLUMNS('e')}
       FROM ${claimed} d JOIN webhook_endpoint we ON we.id = d.endpoint_id JOIN ${written ? 'events' : 'webhook_event'} e ON e.id = d.event_id`;

/**
 * After a `moved` CTE that settled a delivery (the statement's snapshot
 * still shows it pending), `claimed`: its payment's next delivery to the same
 * endpoint, under claimDue's conditions (due, nothing else earlier pending,
 * the endpoint enabled, not held by another claimer), held for $10 ms.
 */
const NEXT_OF_MOVED_CTES = `next_due AS (
           SELECT d.id FROM moved m JOIN webhook_delivery d
             ON d.endpoint_id = m.endpoint_id AND d.payment_id = m.payment_id AND d.payment_version > m.payment_version
           WHERE d.status = 'PENDING' AND d.next_attempt_at <= clock_timestamp()
             AND NOT EXISTS (
               SELECT 1 FROM webhook_delivery earlier
               WHERE earlier.endpoint_id = d.endpoint_id AND earlier.payment_id = d.payment_id AND earlier.id <> m.id
                 AND earlier.status = 'PENDING' AND earlier.payment_version < d.payment_version)
             AND EXISTS (SELECT 1 FROM webhook_endpoint we WHERE we.id = d.endpoint_id AND we.status = 'ENABLED' AND NOT we.deleted)
           ORDER BY d.payment_version
           LIMIT 1
           FOR UPDATE OF d SKIP LOCKED
         ), claimed AS (
           UPDATE webhook_delivery d SET next_attempt_at = clock_timestamp() + $10::integer * interval '1 millisecond'
           FROM next_due WHERE d.id = next_due.id
           RETURNING d.*
         )`;

/** Who may see an endpoint: its partner, or the consoles of the merchant it is confined to. */
export type EndpointScope = { partnerId: string } | { merchantIds: readonly string[] };

export interface NewEndpoint {
  id: string;
  partnerId: string;
  merchantId: string | null;
  merchantConsole: boolean;
  url: string;
  description: string | null;
  events: readonly WireEventType[];
  secret: string;
}

export interface EndpointChange {
  url?: string;
  events?: readonly WireEventType[];
  description?: string | null;
  enabled?: boolean;
}

export interface AttemptOutcome {
  at: Date;
  statusCode: number | null;
  durationMs: number;
  responseExcerpt: string | null;
  error: string | null;
  delivered: boolean;
  /** When to try again; null to give up (FAILED). Ignored when delivered. */
  retryAt: Date | null;
}

/** An attempt that delivered its event: an outcome whose status code is a 2xx. */
export type DeliveredAttempt = Pick<AttemptOutcome, 'at' | 'durationMs' | 'responseExcerpt'> & { deliveryId: string; statusCode: number };

export interface QueueStats {
  pending: number;
  /** Seconds since the oldest pending delivery's event happened; 0 with none. */
  oldestPendingEventAgeSeconds: number;
  /** Seconds the oldest due delivery has waited past its time; 0 with none. */
  oldestDueWaitSeconds: number;
}

function scopeWhere(scope: EndpointScope, param: (value: string | string[]) => string): string {
  return 'partnerId' in scope ? `partner_id = ${param(scope.partnerId)}` : `merchant_id = ANY(${param([...scope.merchantIds])})`;
}

export class WebhookStore {
  constructor(readonly db: Database) {}

  async insertEndpoint(endpoint: NewEndpoint, db: Queryable = this.db): Promise<WebhookEndpointRow> {
    const [row] = await db.query<WebhookEndpointRow>(
      `INSERT INTO webhook_endpoint (id, partner_id, merchant_id, merchant_console, url, description, events, secret)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING ${ENDPOINT_COLUMNS}`,
      [endpoint.id, endpoint.partnerId, endpoint.merchantId, endpoint.merchantConsole, endpoint.url, endpoint.description, [...endpoint.events], endpoint.secret],
    );
    if (!row) throw new Error('INSERT ... RETURNING gave no row');
    return row;
  }

  /** The endpoints `scope` sees, oldest first. */
  async listEndpoints(scope: EndpointScope): Promise<WebhookEndpointRow[]> {
    const params: (string | string[])[] = [];
    const param = (value: string | string[]) => `$${params.push(value)}`;
    return this.db.query<WebhookEndpointRow>(`SELECT ${ENDPOINT_COLUMNS} FROM webhook_endpoint WHERE NOT deleted AND ${scopeWhere(scope, param)} ORDER BY seq`, params);
  }

  /** One endpoint if `scope` sees it; null for a missing one and another's alike. */
  async endpoint(scope: EndpointScope, id: string, db: Queryable = this.db, lock = false): Promise<WebhookEndpointRow | null> {
    const params: (string | string[])[] = [id];
    const param = (value: string | string[]) => `$${params.push(value)}`;
    const [row] = await db.query<WebhookEndpointRow>(
      `SELECT ${ENDPOINT_COLUMNS} FROM webhook_endpoint WHERE id = $1 AND NOT deleted AND ${scopeWhere(scope, param)}${lock ? ' FOR UPDATE' : ''}`,
      params,
    );
    return row ?? null;
  }

  /** Applies `change` to an endpoint `scope` sees; null when it sees none with that id. Turning it off fails what it had pending. */
  updateEndpoint(scope: EndpointScope, id: string, change: EndpointChange): Promise<WebhookEndpointRow | null> {
    return this.db.transaction(async (tx) => {
      const current = await this.endpoint(scope, id, tx, true);
      if (!current) return null;
      const enabled = change.enabled ?? current.status === 'ENABLED';
      const [row] = await tx.query<WebhookEndpointRow>(
        `UPDATE webhook_endpoint SET url = $2, events = $3, description = $4, status = $5,
           disabled_reason = CASE WHEN $5 = 'ENABLED' THEN NULL WHEN status = 'DISABLED' THEN disabled_reason ELSE 'disabled by its partner' END,
           consecutive_failures = CASE WHEN $5 = 'ENABLED' AND status = 'DISABLED' THEN 0 ELSE consecutive_failures END
         WHERE id = $1 RETURNING ${ENDPOINT_COLUMNS}`,
        [
          id,
          change.url ?? current.url,
          [...(change.events ?? current.events)],
          change.description === undefined ? current.description : change.description,
          enabled ? 'ENABLED' : 'DISABLED',
        ],
      );
      if (!enabled) await failPending(tx, id);
      return row ?? null;
    });
  }

  /** Deletes an endpoint `scope` sees (its pending deliveries fail); false when it sees none with that id. */
  deleteEndpoint(scope: EndpointScope, id: string): Promise<boolean> {
    return this.db.transaction(async (tx) => {
      if (!(await this.endpoint(scope, id, tx, true))) return false;
      await tx.query(`UPDATE webhook_endpoint SET deleted = true, status = 'DISABLED', disabled_reason = 'deleted' WHERE id = $1`, [id]);
      await failPending(tx, id);
      return true;
    });
  }

  /** Replaces the secret; the old one keeps signing for `windowSeconds`. Null when `scope` sees no such endpoint. */
  async rotateSecret(scope: EndpointScope, id: string, secret: string, windowSeconds: number): Promise<WebhookEndpointRow | null> {
    return this.db.transaction(async (tx) => {
      if (!(await this.endpoint(scope, id, tx, true))) return null;
      const [row] = await tx.query<WebhookEndpointRow>(
        `UPDATE webhook_endpoint SET previous_secret = CASE WHEN $3::integer > 0 THEN secret END, secret = $2,
           previous_secret_expires_at = CASE WHEN $3::integer > 0 THEN clock_timestamp() + $3::integer * interval '1 second' END
         WHERE id = $1 RETURNING ${ENDPOINT_COLUMNS}`,
        [id, secret, windowSeconds],
      );
      return row ?? null;
    });
  }

  /** An endpoint's deliveries, newest first (keyset on the delivery's order of creation). */
  async deliveries(endpointId: string, page: PageRequest): Promise<WebhookDeliveryRow[]> {
    const params: (string | number)[] = [endpointId];
    const param = (value: string | number) => `$${params.push(value)}`;
    const after = page.afterKey === null ? '' : ` AND d.seq < ${param(page.afterKey)}`;
    return this.db.query<WebhookDeliveryRow>(
      `SELECT ${DELIVERY_COLUMNS} FROM webhook_delivery d JOIN webhook_event e ON e.id = d.event_id
       WHERE d.endpoint_id = $1${after} ORDER BY d.seq DESC LIMIT ${param(page.first + 1)}`,
      params,
    );
  }

  /** Every attempt of each delivery, oldest first, in the order of `ids`. */
  async attemptsByDeliveryIds(ids: readonly string[]): Promise<WebhookAttemptRow[][]> {
    const rows = await this.db.query<WebhookAttemptRow>(
      `SELECT delivery_id AS "deliveryId", ${ISO('at')} AS at, status_code AS "statusCode", duration_ms AS "durationMs",
         response_excerpt AS "responseExcerpt", error
       FROM webhook_attempt WHERE delivery_id = ANY($1) ORDER BY seq`,
      [[...ids]],
    );
    return ids.map((id) => rows.filter((row) => row.deliveryId === id));
  }

  /**
   * New deliveries of an event, due now, to the endpoints among `endpointIds`
   * (seen by the caller) it was sent to before; none when it went to none of
   * them. One to a disabled endpoint is FAILED at once.
   */
  async redeliver(eventId: string, endpointIds: readonly string[]): Promise<WebhookDeliveryRow[]> {
    return this.db.query<WebhookDeliveryRow>(
      `WITH targets AS (
         SELECT DISTINCT d.event_id, d.endpoint_id, d.payment_id, d.payment_version, we.status = 'ENABLED' AS enabled FROM webhook_delivery d
         JOIN webhook_endpoint we ON we.id = d.endpoint_id AND NOT we.deleted
         WHERE d.event_id = $1 AND d.endpoint_id = ANY($2)
       ), created AS (
         -- To a disabled endpoint nothing is sent: that delivery is FAILED from the start, as its pending ones were.
         INSERT INTO webhook_delivery (id, event_id, endpoint_id, payment_id, payment_version, status, next_attempt_at, finished_at)
         SELECT 'whd_' || replace(gen_random_uuid()::text, '-', ''), event_id, endpoint_id, payment_id, payment_version,
           CASE WHEN enabled THEN 'PENDING' ELSE 'FAILED' END,
           CASE WHEN enabled THEN clock_timestamp() END, CASE WHEN enabled THEN NULL ELSE clock_timestamp() END
         FROM targets
         RETURNING *
       )
       SELECT ${DELIVERY_COLUMNS} FROM created d JOIN webhook_event e ON e.id = d.event_id ORDER BY d.seq`,
      [eventId, [...endpointIds]],
    );
  }

  /**
   * Claims up to `limit` deliveries due now whose endpoint is enabled and
   * whose payment has no earlier event pending for the same endpoint; each
   * claim holds for `leaseMs` (longer than an attempt can take).
   */
  async claimDue(limit: number, leaseMs: number): Promise<ClaimedDelivery[]> {
    return this.db.query<ClaimedDelivery>(
      `WITH due AS (
         SELECT d.id FROM webhook_delivery d
         WHERE d.status = 'PENDING' AND d.next_attempt_at <= clock_timestamp()
           AND NOT EXISTS (
             SELECT 1 FROM webhook_delivery earlier
             WHERE earlier.endpoint_id = d.endpoint_id AND earlier.payment_id = d.payment_id
               AND earlier.status = 'PENDING' AND earlier.payment_version < d.payment_version)
           AND EXISTS (SELECT 1 FROM webhook_endpoint we WHERE we.id = d.endpoint_id AND we.status = 'ENABLED' AND NOT we.deleted)
         ORDER BY d.next_attempt_at
         LIMIT $1
         FOR UPDATE OF d SKIP LOCKED
       ), claimed AS (
         UPDATE webhook_delivery d SET next_attempt_at = clock_timestamp() + $2::integer * interval '1 millisecond'
         FROM due WHERE d.id = due.id
         RETURNING d.*
       )
       ${claimedColumnsFrom('claimed')}
       ORDER BY d.payment_id, d.payment_version`,
      [limit, leaseMs],
    );
  }

  /**
   * Records an attempt and where the delivery now stands. A delivery given
   * up adds to its endpoint's run of failures, which disables it at
   * `disableAfter`; a delivered one ends the run. Whether the endpoint was
   * disabled, and, when `claimNextMs` is given and the delivery is
   * delivered, its payment's next event for the same endpoint if that is
   * due now, claimed for `claimNextMs` in the same statement (what claimDue
   * would find next, without a statement of its own).
   */
  async recordAttempt(
    delivery: Pick<ClaimedDelivery, 'id' | 'endpointId'>,
    outcome: AttemptOutcome,
    disableAfter: number,
    claimNextMs?: number,
  ): Promise<{ status: WebhookDeliveryStatus; disabled: boolean; next: ClaimedDelivery | null }> {
    const status: WebhookDeliveryStatus = outcome.delivered ? 'DELIVERED' : outcome.retryAt ? 'PENDING' : 'FAILED';
    const claimNext = status === 'DELIVERED' && claimNextMs !== undefined;
    // The attempt, the delivery's move (only while it is still pending: one failed meanwhile, its endpoint
    // disabled or deleted, stays failed) and, once delivered, the end of its endpoint's run of failures:
    // one statement, atomic by itself, where a transaction took five round trips.
    const settle = async (db: Queryable): Promise<{ moved: boolean; next: ClaimedDelivery | null }> => {
      const params = [delivery.id, outcome.at, outcome.statusCode, outcome.durationMs, outcome.responseExcerpt, outcome.error, status, status === 'PENDING' ? outcome.retryAt : null, delivery.endpointId];
      // Without a next delivery claimed, its columns are null (or absent when none was asked for).
      const [row] = await db.query<{ moved: boolean; id: string | null } & Omit<ClaimedDelivery, 'id'>>(
        `WITH attempt AS (
           INSERT INTO webhook_attempt (delivery_id, at, status_code, duration_ms, response_excerpt, error) VALUES ($1, $2, $3, $4, $5, $6)
         ), moved AS (
           UPDATE webhook_delivery SET attempts = attempts + 1, status = $7,
             next_attempt_at = $8, finished_at = CASE WHEN $7 = 'PENDING' THEN NULL ELSE clock_timestamp() END
           WHERE id = $1 AND status = 'PENDING' RETURNING id, endpoint_id, payment_id, payment_version
         ), run_ended AS (
           UPDATE webhook_endpoint SET consecutive_failures = 0
           WHERE $7 = 'DELIVERED' AND id = $9 AND consecutive_failures <> 0 AND EXISTS (SELECT 1 FROM moved)
         )${claimNext ? `, ${NEXT_OF_MOVED_CTES}` : ''}
         SELECT EXISTS (SELECT 1 FROM moved) AS moved${claimNext ? ', next.*' : ''}
         ${claimNext ? `FROM (SELECT 1) AS one LEFT JOIN (${claimedColumnsFrom('claimed')}) AS next ON true` : ''}`,
        claimNext ? [...params, claimNextMs] : params,
      );
      if (!row) return { moved: false, next: null };
      const { moved, ...next } = row;
      return { moved, next: typeof next.id === 'string' ? (next as ClaimedDelivery) : null };
    };
    if (status !== 'FAILED') {
      const { next } = await settle(this.db);
      return { status, disabled: false, next };
    }
    // A delivery given up adds to its endpoint's run of failures, in the same transaction.
    return this.db.transaction(async (tx) => {
      if (!(await settle(tx)).moved) return { status, disabled: false, next: null };
      const [endpoint] = await tx.query<{ disabled: boolean }>(
        `UPDATE webhook_endpoint SET consecutive_failures = consecutive_failures + 1,
           status = CASE WHEN consecutive_failures + 1 >= $2 THEN 'DISABLED' ELSE status END,
           disabled_reason = CASE WHEN consecutive_failures + 1 >= $2 AND status = 'ENABLED'
             THEN 'disabled after ' || (consecutive_failures + 1) || ' deliveries in a row were given up' ELSE disabled_reason END
         WHERE id = $1 RETURNING status = 'DISABLED' AS disabled`,
        [delivery.endpointId, disableAfter],
      );
      const disabled = endpoint?.disabled ?? false;
      if (disabled) await failPending(tx, delivery.endpointId);
      return { status, disabled, next: null };
    });
  }

  /**
   * Records attempts that delivered their events, in the order given, and
   * hands back the claims on `unsent` (due now again, behind whatever of
   * their payment is still pending), in one statement: what the worker
   * records after sending a payment's claimed events in turn. Each delivery
   * still pending is DELIVERED and ends its endpoint's run of failures; one
   * that failed meanwhile (its endpoint disabled or deleted) stays failed,
   * its attempt recorded all the same. In `db` if given.
   */
  async recordDelivered(attempts: readonly DeliveredAttempt[], unsent: readonly string[] = [], db: Queryable = this.db): Promise<void> {
    await db.query(
      `WITH attempt AS (
         INSERT INTO webhook_attempt (delivery_id, at, status_code, duration_ms, response_excerpt)
         SELECT * FROM unnest($1::text[], $2::timestamptz[], $3::integer[], $4::integer[], $5::text[])
       ), moved AS (
         UPDATE webhook_delivery SET attempts = attempts + 1, status = 'DELIVERED', next_attempt_at = NULL, finished_at = clock_timestamp()
         WHERE id = ANY($1) AND status = 'PENDING' RETURNING endpoint_id
       ), run_ended AS (
         UPDATE webhook_endpoint SET consecutive_failures = 0 WHERE id IN (SELECT endpoint_id FROM moved) AND consecutive_failures <> 0
       )
       UPDATE webhook_delivery SET next_attempt_at = clock_timestamp() WHERE id = ANY($6) AND status = 'PENDING'`,
      [
        attempts.map((attempt) => attempt.deliveryId),
        attempts.map((attempt) => attempt.at.toISOString()),
        attempts.map((attempt) => attempt.statusCode),
        attempts.map((attempt) => attempt.durationMs),
        attempts.map((attempt) => attempt.responseExcerpt),
        [...unsent],
      ],
    );
  }

  async queueStats(): Promise<QueueStats> {
    const [row] = await this.db.query<QueueStats>(
      `SELECT count(*)::int AS pending,
         coalesce(extract(epoch FROM clock_timestamp() - min(e.created_at)), 0)::float8 AS "oldestPendingEventAgeSeconds",
         coalesce(extract(epoch FROM clock_timestamp() - min(d.next_attempt_at) FILTER (WHERE d.next_attempt_at <= clock_timestamp())), 0)::float8 AS "oldestDueWaitSeconds"
       FROM webhook_delivery d JOIN webhook_event e ON e.id = d.event_id WHERE d.status = 'PENDING'`,
    );
    return row ?? { pending: 0, oldestPendingEventAgeSeconds: 0, oldestDueWaitSeconds: 0 };
  }
}

/** Gives up what an endpoint turned off or deleted had pending. */
async function failPending(tx: Queryable, endpointId: string): Promise<void> {
  await tx.query(
    `UPDATE webhook_delivery SET status = 'FAILED', next_attempt_at = NULL, finished_at = clock_timestamp() WHERE endpoint_id = $1 AND status = 'PENDING'`,
    [endpointId],
  );
}
