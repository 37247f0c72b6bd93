// Following a payment as the graph pushes its changes: the paymentUpdated
// subscription, whose first result is the payment now, then one per status
// change. Losing it is reported once; carrying on without it is the caller's.
import { subscribe } from '../api/subscribe';
import { graphql } from '../gql';
import type { PaymentSnapshot } from './watch';

const PaymentUpdates = graphql(`
  subscription PaymentUpdates($id: ID!) {
    paymentUpdated(id: $id) {
      ...PaymentDetails
    }
  }
`);

export interface LiveListener {
  next(payment: PaymentSnapshot): void;
  /** The subscription was refused or its connection dropped; nothing follows. */
  lost(error: unknown): void;
}

/** Starts following payment `id` live; the returned function ends the subscription. */
export function followLive(id: string, listener: LiveListener): () => void {
  return subscribe(
    PaymentUpdates,
    { id },
    {
      next: ({ paymentUpdated }) => listener.next(paymentUpdated),
      error: (error) => listener.lost(error),
      // The graph completes it after a status nothing follows; the page keeps showing that one.
      complete: () => {},
    },
  );
}
