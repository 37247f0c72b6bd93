// Following a payment's status: what pages depend on (`PaymentWatcher`), and
// what every way of following reads (`PaymentDetails`). `watchPayment`
// (watch-payment.ts) is the demo's: live, polling when live is lost.
import { graphql } from '../gql';
import type { PaymentDetailsFragment, PaymentStatus } from '../gql/graphql';

export const PaymentDetails = graphql(`
  fragment PaymentDetails on Payment {
    id
    status
    reference
    channel
    createdAt
    updatedAt
    amount {
      amountMinor
      currency
      formatted
    }
    refundedAmount {
      amountMinor
      formatted
    }
    nextAction {
      type
      url
      qrCode
      expiresAt
    }
    platform {
      id
      name
    }
    merchant {
      id
      name
    }
    tool {
      id
      name
    }
    events {
      fromStatus
      toStatus
      at
      cause
    }
  }
`);

export type PaymentSnapshot = PaymentDetailsFragment;

/** How changes reach the page: pushed by the graph as they happen, or asked for every second. */
export type WatchMode = 'live' | 'polling';

export interface PaymentListener {
  /** Every answer, changed or not; null when the graph has no payment with that id. */
  next(payment: PaymentSnapshot | null): void;
  /** A failed attempt; the watcher keeps trying. */
  error(error: unknown): void;
  /** How the watcher follows the payment now; a watcher that follows it live may move to polling. */
  mode?(mode: WatchMode): void;
}

/** Starts following payment `id`; the returned function stops it. */
export type PaymentWatcher = (id: string, listener: PaymentListener) => () => void;

/** Statuses the buyer waits through; after them only a merchant's refund changes anything. */
export function isWaiting(status: PaymentStatus): boolean {
  return status === 'REQUIRES_ACTION' || status === 'PROCESSING';
}
