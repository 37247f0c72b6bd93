// Following a payment's status. Pages depend on `PaymentWatcher` only: today it
// asks `payment(id)` about once a second; a graphql-ws subscription
// (`paymentUpdated(id) { ...PaymentDetails }`) can replace `watchPayment`
// without touching them.
import { request } from '../api/client';
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

const FollowPayment = graphql(`
  query FollowPayment($id: ID!) {
    payment(id: $id) {
      ...PaymentDetails
    }
  }
`);

export type PaymentSnapshot = PaymentDetailsFragment;

export interface PaymentListener {
  /** Every answer, changed or not; null when the graph has no payment with that id. */
  next(payment: PaymentSnapshot | null): void;
  /** A failed attempt; the watcher keeps trying. */
  error(error: unknown): void;
}

/** Starts following payment `id`; the returned function stops it. */
export type PaymentWatcher = (id: string, listener: PaymentListener) => () => void;

/** Statuses the buyer waits through; after them only a merchant's refund changes anything. */
export function isWaiting(status: PaymentStatus): boolean {
  return status === 'REQUIRES_ACTION' || status === 'PROCESSING';
}

const INTERVAL_MS = 1000;
const MAX_BACKOFF_MS = 8000;

export const pollPayment: PaymentWatcher = (id, listener) => {
  let stopped = false;
  let failures = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const controller = new AbortController();

  const ask = async () => {
    try {
      const { payment } = await request(FollowPayment, { id }, controller.signal);
      if (stopped) return;
      failures = 0;
      listener.next(payment ?? null);
      if (!payment || !isWaiting(payment.status)) return;
    } catch (error) {
      if (stopped) return;
      failures += 1;
      listener.error(error);
    }
    // The next ask starts after this one ends, so a slow graph is never asked twice at once.
    timer = setTimeout(() => void ask(), failures === 0 ? INTERVAL_MS : Math.min(INTERVAL_MS * 2 ** failures, MAX_BACKOFF_MS));
  };
  void ask();

  return () => {
    stopped = true;
    clearTimeout(timer);
    controller.abort();
  };
};

export const watchPayment: PaymentWatcher = pollPayment;
