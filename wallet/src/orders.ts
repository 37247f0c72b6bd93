// The sandbox wallet's own books: the payments it was asked to collect, what
// the buyer decided, and refunds. Kept in the wallet's database, and each
// decision queues its webhooks in the same transaction, so a restart loses
// neither an order nor a notification.
import type { Database, Queryable } from '@interop/kit/db';
import { queueWebhooks, type WalletEventType } from './webhooks';

export type OrderStatus = 'PENDING' | 'APPROVED' | 'DECLINED' | 'CANCELED';

export interface OrderRequest {
  paymentId: string;
  toolId: string;
  merchantId: string;
  platformId: string;
  amountMinor: number;
  currency: string;
  reference: string;
  expiresAt: string;
  notifyUrl: string;
  /** The names the buyer reads on the payment's page, when payments knew them. */
  merchantName?: string | undefined;
  platformName?: string | undefined;
}

export interface Order extends Omit<OrderRequest, 'merchantName' | 'platformName'> {
  status: OrderStatus;
  refundedMinor: number;
  merchantName: string | null;
  platformName: string | null;
}

/**
 * What makes two registrations the same payment. Where to notify and the
 * names shown are not part of it: a repeated registration may come from
 * another payments process, or after a merchant was renamed.
 */
const SAME_PAYMENT: readonly (keyof OrderRequest & keyof Order)[] = [
  'paymentId',
  'toolId',
  'merchantId',
  'platformId',
  'amountMinor',
  'currency',
  'reference',
  'expiresAt',
];

export interface RefundRequest {
  paymentId: string;
  amountMinor: number;
  currency: string;
}

export type Outcome<T> = { ok: true; value: T } | { ok: false; status: 404 | 409 | 410 | 422; error: string };

const ok = <T>(value: T): Outcome<T> => ({ ok: true, value });
const fail = <T>(status: 404 | 409 | 410 | 422, error: string): Outcome<T> => ({ ok: false, status, error });

const ORDER_COLUMNS = `payment_id AS "paymentId", tool_id AS "toolId", merchant_id AS "merchantId", platform_id AS "platformId",
  amount_minor AS "amountMinor", currency, reference, expires_at AS "expiresAt", notify_url AS "notifyUrl",
  status, refunded_minor AS "refundedMinor", merchant_name AS "merchantName", platform_name AS "platformName"`;

/** What payments is told when it asks: a pending order past its time can no longer be approved, so it reads EXPIRED. */
export function reportedStatus(order: Order, now = Date.now()): OrderStatus | 'EXPIRED' {
  return order.status === 'PENDING' && Date.parse(order.expiresAt) <= now ? 'EXPIRED' : order.status;
}

const EVENTS: Readonly<Record<'APPROVED' | 'DECLINED', readonly WalletEventType[]>> = {
  APPROVED: ['payment.processing', 'payment.succeeded'],
  DECLINED: ['payment.failed'],
};

export class OrderBook {
  constructor(private readonly db: Database) {}

  async get(paymentId: string, db: Queryable = this.db): Promise<Order | undefined> {
    const [order] = await db.query<Order>(`SELECT ${ORDER_COLUMNS} FROM wallet_order WHERE payment_id = $1`, [paymentId]);
    return order;
  }

  /**
   * Registers an order; the same payment again is a no-op, a different one
   * under the same id a conflict. Where to notify is not part of the payment:
   * any payments process may repeat a registration, each naming itself, and
   * the first one named keeps the webhooks.
   */
  async create(request: OrderRequest): Promise<Outcome<Order>> {
    const [inserted] = await this.db.query<Order>(
      `INSERT INTO wallet_order (payment_id, tool_id, merchant_id, platform_id, amount_minor, currency, reference, expires_at, notify_url, status,
                                 merchant_name, platform_name)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 'PENDING', $10, $11)
       ON CONFLICT (payment_id) DO NOTHING RETURNING ${ORDER_COLUMNS}`,
      [
        request.paymentId,
        request.toolId,
        request.merchantId,
        request.platformId,
        request.amountMinor,
        request.currency,
        request.reference,
        request.expiresAt,
        request.notifyUrl,
        request.merchantName ?? null,
        request.platformName ?? null,
      ],
    );
    if (inserted) return ok(inserted);
    const existing = await this.get(request.paymentId);
    if (!existing) return fail(409, 'the order changed while it was registered');
    const same = SAME_PAYMENT.every((key) => existing[key] === request[key]);
    return same ? ok(existing) : fail(409, 'a different order already has this id');
  }

  /**
   * The buyer's decision, with its webhooks queued in the same transaction;
   * deciding the same way twice changes nothing (`changed` is false).
   */
  decide(paymentId: string, decision: 'APPROVED' | 'DECLINED', now = Date.now()): Promise<Outcome<{ order: Order; changed: boolean }>> {
    return this.db.transaction(async (tx) => {
      const order = await this.lock(tx, paymentId);
      if (!order) return fail(404, 'unknown payment');
      if (order.status === decision) return ok({ order, changed: false });
      if (order.status !== 'PENDING') return fail(409, `the payment is already ${order.status.toLowerCase()}`);
      if (Date.parse(order.expiresAt) <= now) return fail(410, 'the payment expired');
      await this.setStatus(tx, paymentId, decision);
      const decided = { ...order, status: decision };
      await queueWebhooks(tx, decided, EVENTS[decision]);
      return ok({ order: decided, changed: true });
    });
  }

  cancel(paymentId: string): Promise<Outcome<Order>> {
    return this.db.transaction(async (tx) => {
      const order = await this.lock(tx, paymentId);
      if (!order) return fail(404, 'unknown payment');
      if (order.status === 'CANCELED') return ok(order);
      if (order.status !== 'PENDING') return fail(409, `the payment is already ${order.status.toLowerCase()}`);
      await this.setStatus(tx, paymentId, 'CANCELED');
      return ok({ ...order, status: 'CANCELED' });
    });
  }

  /** Refunds once per refund id, never more than was paid. */
  refund(refundId: string, request: RefundRequest): Promise<Outcome<RefundRequest>> {
    return this.db.transaction(async (tx) => {
      // The order's lock first, so concurrent refunds of one payment take turns.
      const order = await this.lock(tx, request.paymentId);
      const [existing] = await tx.query<RefundRequest>(
        `SELECT payment_id AS "paymentId", amount_minor AS "amountMinor", currency FROM wallet_refund WHERE refund_id = $1`,
        [refundId],
      );
      if (existing) {
        const same = existing.paymentId === request.paymentId && existing.amountMinor === request.amountMinor;
        return same ? ok(existing) : fail(409, 'a different refund already has this id');
      }
      if (!order) return fail(404, 'unknown payment');
      if (order.status !== 'APPROVED') return fail(409, 'only an approved payment can be refunded');
      if (request.currency !== order.currency || request.amountMinor > order.amountMinor - order.refundedMinor) {
        return fail(422, 'the refund exceeds what is left of the payment');
      }
      await tx.query('UPDATE wallet_order SET refunded_minor = refunded_minor + $2 WHERE payment_id = $1', [order.paymentId, request.amountMinor]);
      await tx.query('INSERT INTO wallet_refund (refund_id, payment_id, amount_minor, currency) VALUES ($1, $2, $3, $4)', [
        refundId,
        request.paymentId,
        request.amountMinor,
        request.currency,
      ]);
      return ok(request);
    });
  }

  private async lock(tx: Queryable, paymentId: string): Promise<Order | undefined> {
    const [order] = await tx.query<Order>(`SELECT ${ORDER_COLUMNS} FROM wallet_order WHERE payment_id = $1 FOR UPDATE`, [paymentId]);
    return order;
  }

  private async setStatus(tx: Queryable, paymentId: string, status: OrderStatus): Promise<void> {
    await tx.query('UPDATE wallet_order SET status = $2 WHERE payment_id = $1', [paymentId, status]);
  }
}
