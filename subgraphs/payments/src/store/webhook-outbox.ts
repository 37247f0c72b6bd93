// The partner webhooks' transactional outbox: the statements that write a
// payment's events (webhook_event) and their deliveries to every matching
// endpoint (webhook_delivery), spliced into the statement or transaction that
// makes the change, so an event exists if and only if its change committed.
// The payload is the payment as `payment(id)` shows it, read in that same
// statement, after the change. A payment's events are numbered 1, 2, ... in
// the order they happen (its `paymentVersion`), under the payment's row lock
// that every change takes.
import type { Queryable } from '@interop/kit/db';
import type { PaymentStatus } from './types';

export type WireEventType =
  | 'payment.created'
  | 'payment.requires_action'
  | 'payment.processing'
  | 'payment.succeeded'
  | 'payment.failed'
  | 'payment.canceled'
  | 'payment.expired'
  | 'refund.succeeded'
  | 'refund.failed';

/** The event a payment's move to `status` is announced with; null for moves partners learn of otherwise (a refund's). */
export function eventOfStatus(status: PaymentStatus): WireEventType | null {
  switch (status) {
    case 'PROCESSING':
      return 'payment.processing';
    case 'SUCCEEDED':
      return 'payment.succeeded';
    case 'FAILED':
      return 'payment.failed';
    case 'CANCELED':
      return 'payment.canceled';
    case 'EXPIRED':
      return 'payment.expired';
    default:
      return null;
  }
}

const iso = (column: string) => `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

const money = (amount: string, currency: string) => `json_build_object('amountMinor', ${amount}, 'currency', ${currency})`;

/** A refund row `r` as webhooks carry it (SDK WebhookRefund). */
const refundJson = (r: string) =>
  `json_build_object('id', ${r}.id, 'status', ${r}.status, 'amount', ${money(`${r}.amount_minor`, `${r}.currency`)}, 'reason', ${r}.reason, 'createdAt', ${iso(`${r}.created_at`)})`;

/**
 * A payment row `p` as webhooks carry it (SDK WebhookPayment), with its
 * refunds as this statement sees them; `fresh` for a payment this statement
 * creates, which has none.
 */
const paymentJson = (p: string, fresh = false) => `json_build_object(
  'id', ${p}.id, 'status', ${p}.status, 'amount', ${money(`${p}.amount_minor`, `${p}.currency`)},
  'refundedAmount', ${money(fresh ? '0' : `(SELECT coalesce(sum(rs.amount_minor), 0)::int FROM refund rs WHERE rs.payment_id = ${p}.id AND rs.status = 'SUCCEEDED')`, `${p}.currency`)},
  'platformId', ${p}.platform_id, 'merchantId', ${p}.merchant_id, 'paymentToolId', ${p}.tool_id, 'channel', ${p}.channel,
  'reference', ${p}.reference, 'createdAt', ${iso(`${p}.created_at`)}, 'updatedAt', ${iso(`${p}.updated_at`)},
  'refunds', ${fresh ? `'[]'::json` : `(SELECT coalesce(json_agg(${refundJson('ra')} ORDER BY ra.seq), '[]'::json) FROM refund ra WHERE ra.payment_id = ${p}.id)`})`;

const newId = (prefix: string) => `'${prefix}_' || replace(gen_random_uuid()::text, '-', '')`;

/**
 * Three CTEs (`event_payloads`, `events`, `deliveries`) that write one event
 * per type in the array `types` (a SQL expression) for each payment row of
 * `source` (a CTE or table name), and a delivery of each to every enabled
 * endpoint that takes it: the payment's partner's, or a merchant console's,
 * filtered by merchant when the endpoint names one. `refund` is a SQL
 * expression of the refund id for refund events; `firstEvents` says the
 * payment is created in this statement (no earlier events, no refunds).
 * `claimFor`, a SQL expression of milliseconds or NULL: when not NULL, every
 * delivery is claimed for that long as it is written (see ledger's
 * DeliveryHand), for the claimer to send each endpoint's in turn.
 */
export function outboxCtes(source: string, types: string, options: { firstEvents?: boolean; refund?: string; claimFor?: string } = {}): string {
  // A payment's first events need no look at earlier ones: there are none.
  const before = options.firstEvents ? '0' : '(SELECT coalesce(max(e.payment_version), 0) FROM webhook_event e WHERE e.payment_id = p.id)';
  const data = options.refund
    ? `json_build_object('payment', ${paymentJson('p')}, 'refund', (SELECT ${refundJson('rr')} FROM refund rr WHERE rr.id = ${options.refund}))`
    : `json_build_object('payment', ${paymentJson('p', options.firstEvents)})`;
  const due = options.claimFor ? `clock_timestamp() + coalesce(${options.claimFor}, 0) * interval '1 millisecond'` : 'clock_timestamp()';
  // Materialised, so a payment's payload is built once however many events carry it.
  return `event_payloads AS MATERIALIZED (
      SELECT p.id, p.partner_id, p.merchant_id, ${before} AS before, ${data}::text AS payload FROM ${source} p
    ), events AS (
      INSERT INTO webhook_event (id, partner_id, merchant_id, payment_id, payment_version, type, payload)
      SELECT ${newId('evt')}, p.partner_id, p.merchant_id, p.id, p.before + t.n, t.type, p.payload
      FROM event_payloads p CROSS JOIN unnest(${types}) WITH ORDINALITY AS t(type, n)
      RETURNING id, partner_id, merchant_id, payment_id, payment_version, type, payload, created_at
    ), deliveries AS (
      INSERT INTO webhook_delivery (id, event_id, endpoint_id, payment_id, payment_version, next_attempt_at)
      SELECT ${newId('whd')}, ev.id, we.id, ev.payment_id, ev.payment_version, ${due}
      FROM events ev JOIN webhook_endpoint we
        ON NOT we.deleted AND we.status = 'ENABLED' AND ev.type = ANY(we.events)
        AND (we.merchant_id IS NULL OR we.merchant_id = ev.merchant_id)
        AND (we.partner_id = ev.partner_id OR we.merchant_console)
      ORDER BY ev.payment_version, we.seq
      RETURNING *
    )`;
}

/**
 * Writes `types`' events for a payment whose row `tx` holds locked (and the
 * deliveries they fan out to); `refundId` for refund events. How many
 * deliveries were queued.
 */
export async function recordWebhookEvents(tx: Queryable, paymentId: string, types: readonly WireEventType[], refundId?: string): Promise<number> {
  if (types.length === 0) return 0;
  const [row] = await tx.query<{ deliveries: number }>(
    `WITH payment_now AS (SELECT * FROM payment WHERE id = $1),
     ${outboxCtes('payment_now', '$2::text[]', refundId === undefined ? {} : { refund: '$3' })}
     SELECT (SELECT count(*)::int FROM deliveries) AS deliveries`,
    refundId === undefined ? [paymentId, [...types]] : [paymentId, [...types], refundId],
  );
  return row?.deliveries ?? 0;
}
