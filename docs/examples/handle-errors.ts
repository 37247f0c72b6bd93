import { InteropError, InteropTransportError, type InteropClient, type NewPayment, type PaymentStatus } from '@interop/sdk';

export type Attempt =
  // FAILED when the wallet did not take it: start again with a new attempt (a new key).
  | { outcome: 'started'; paymentId: string; status: PaymentStatus }
  | { outcome: 'refused'; code: string; reason?: string }
  | { outcome: 'try-later'; idempotencyKey: string | undefined };

/** Starts a payment and turns every way it can fail into something the checkout page can act on. */
export async function tryToPay(interop: InteropClient, input: NewPayment): Promise<Attempt> {
  try {
    const payment = await interop.initiatePayment(input);
    return { outcome: 'started', paymentId: payment.id, status: payment.status };
  } catch (error) {
    // Retries are spent: offer to try again later with the same key, which cannot pay twice.
    if (error instanceof InteropTransportError) return { outcome: 'try-later', idempotencyKey: error.idempotencyKey };
    if (!(error instanceof InteropError)) throw error;
    switch (error.code) {
      case 'PAYMENT_TOOL_NOT_ACCEPTED':
      case 'MERCHANT_SUSPENDED':
      case 'INVALID_AMOUNT':
      case 'AMOUNT_OVER_LIMIT':
        // `reason` is the UnavailableReason `checkout` gives for the tool: show another tool or amount.
        return { outcome: 'refused', code: error.code, reason: String(error.extensions['reason'] ?? '') };
      case 'DEPENDENCY_UNAVAILABLE':
      case 'SUBGRAPH_UNAVAILABLE':
      case 'GATEWAY_TIMEOUT':
      case 'RATE_LIMITED':
        return { outcome: 'try-later', idempotencyKey: error.idempotencyKey };
      default:
        throw error; // a bug on our side (BAD_USER_INPUT, FORBIDDEN, ...): let it reach the logs
    }
  }
}
