import type { InteropClient, Payment } from '@interop/sdk';

export interface Order {
  id: string;
  /** Raised only when the buyer starts over (say, with another tool), never on a retry. */
  attempt: number;
  merchantId: string;
  amountMinor: number;
}

/**
 * Pays for an order with a key derived from it, so that this call, repeated
 * after a crash, a restart or from another worker, returns the same payment.
 */
export function payOrder(interop: InteropClient, order: Order, paymentToolId: string): Promise<Payment> {
  return interop.initiatePayment(
    {
      platformId: 'taobao',
      merchantId: order.merchantId,
      paymentToolId,
      amount: { amountMinor: order.amountMinor, currency: 'CNY' },
      reference: order.id,
    },
    { idempotencyKey: `order-${order.id}-attempt-${order.attempt}` },
  );
}
