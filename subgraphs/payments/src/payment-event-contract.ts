// What the payments subgraph tells other processes when a payment's status
// changes, as one JSON message on the payment-events bus. `version` counts the
// payment's status changes so far (its creation is 1), so a follower can tell
// a change it has already seen from a new one without reading the payment.
import { z } from '@interop/kit';

export interface PaymentChanged {
  paymentId: string;
  status: string;
  version: number;
  /** When the change was committed (ISO 8601), as the payment's `updatedAt`. */
  at: string;
}

/**
 * Some messages may have been lost (a publish failed): every follower re-reads
 * the payments it follows.
 */
export interface PaymentsResync {
  resync: true;
}

export type PaymentEventMessage = PaymentChanged | PaymentsResync;

/** The channel on Redis, or the NOTIFY channel on PostgreSQL, unless configured otherwise. */
export const PAYMENT_EVENTS_CHANNEL = 'payment_events';

/** Where the payments subgraph serves its own event stream, beside its GraphQL path. */
export const PAYMENT_EVENTS_PATH = '/events/payments';

const changed = z.object({
  paymentId: z.string().min(1).max(200),
  status: z.string().min(1).max(50),
  version: z.number().int().positive(),
  at: z.string().max(50),
});
const resync = z.object({ resync: z.literal(true) });

export const encodePaymentEvent = (message: PaymentEventMessage): string => JSON.stringify(message);

/** The message, or null for text that is not one (it is ignored, never trusted). */
export function decodePaymentEvent(text: string): PaymentEventMessage | null {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return null;
  }
  const parsed = changed.safeParse(value);
  if (parsed.success) return parsed.data;
  return resync.safeParse(value).success ? { resync: true } : null;
}
