// The sandbox wallet's own books: the payments it was asked to collect, what
// the buyer decided, and refunds. Kept in memory: a sandbox that restarts
// forgets unpaid orders, which then expire on the payments side.

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
}

export interface Order extends OrderRequest {
  status: OrderStatus;
  refundedMinor: number;
}

export interface RefundRequest {
  paymentId: string;
  amountMinor: number;
  currency: string;
}

export type Outcome<T> = { ok: true; value: T } | { ok: false; status: 404 | 409 | 410 | 422; error: string };

const ok = <T>(value: T): Outcome<T> => ({ ok: true, value });
const fail = <T>(status: 404 | 409 | 410 | 422, error: string): Outcome<T> => ({ ok: false, status, error });

export class OrderBook {
  private readonly orders = new Map<string, Order>();
  private readonly refunds = new Map<string, RefundRequest>();

  get(paymentId: string): Order | undefined {
    return this.orders.get(paymentId);
  }

  /** Registers an order; the same request again is a no-op, a different one under the same id a conflict. */
  create(request: OrderRequest): Outcome<Order> {
    const existing = this.orders.get(request.paymentId);
    if (existing) {
      const same = (Object.keys(request) as (keyof OrderRequest)[]).every((key) => existing[key] === request[key]);
      return same ? ok(existing) : fail(409, 'a different order already has this id');
    }
    const order: Order = { ...request, status: 'PENDING', refundedMinor: 0 };
    this.orders.set(order.paymentId, order);
    return ok(order);
  }

  /** The buyer's decision; deciding the same way twice changes nothing (`changed` is false). */
  decide(paymentId: string, decision: 'APPROVED' | 'DECLINED', now = Date.now()): Outcome<{ order: Order; changed: boolean }> {
    const order = this.orders.get(paymentId);
    if (!order) return fail(404, 'unknown payment');
    if (order.status === decision) return ok({ order, changed: false });
    if (order.status !== 'PENDING') return fail(409, `the payment is already ${order.status.toLowerCase()}`);
    if (Date.parse(order.expiresAt) <= now) return fail(410, 'the payment expired');
    order.status = decision;
    return ok({ order, changed: true });
  }

  cancel(paymentId: string): Outcome<Order> {
    const order = this.orders.get(paymentId);
    if (!order) return fail(404, 'unknown payment');
    if (order.status === 'CANCELED') return ok(order);
    if (order.status !== 'PENDING') return fail(409, `the payment is already ${order.status.toLowerCase()}`);
    order.status = 'CANCELED';
    return ok(order);
  }

  /** Refunds once per refund id, never more than was paid. */
  refund(refundId: string, request: RefundRequest): Outcome<RefundRequest> {
    const existing = this.refunds.get(refundId);
    if (existing) {
      const same = existing.paymentId === request.paymentId && existing.amountMinor === request.amountMinor;
      return same ? ok(existing) : fail(409, 'a different refund already has this id');
    }
    const order = this.orders.get(request.paymentId);
    if (!order) return fail(404, 'unknown payment');
    if (order.status !== 'APPROVED') return fail(409, 'only an approved payment can be refunded');
    if (request.currency !== order.currency || request.amountMinor > order.amountMinor - order.refundedMinor) {
      return fail(422, 'the refund exceeds what is left of the payment');
    }
    order.refundedMinor += request.amountMinor;
    this.refunds.set(refundId, request);
    return ok(request);
  }
}
