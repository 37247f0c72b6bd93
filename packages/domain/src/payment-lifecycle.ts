// The payment lifecycle: its statuses and which may follow which. Every status
// change in the payments subgraph goes through `canMove`, so no path outside
// this table exists.

export type PaymentStatus =
  | 'REQUIRES_ACTION'
  | 'PROCESSING'
  | 'SUCCEEDED'
  | 'FAILED'
  | 'CANCELED'
  | 'EXPIRED'
  | 'PARTIALLY_REFUNDED'
  | 'REFUNDED';

const NEXT: Readonly<Record<PaymentStatus, readonly PaymentStatus[]>> = {
  REQUIRES_ACTION: ['PROCESSING', 'FAILED', 'CANCELED', 'EXPIRED'],
  PROCESSING: ['SUCCEEDED', 'FAILED'],
  SUCCEEDED: ['PARTIALLY_REFUNDED', 'REFUNDED'],
  PARTIALLY_REFUNDED: ['PARTIALLY_REFUNDED', 'REFUNDED'],
  FAILED: [],
  CANCELED: [],
  EXPIRED: [],
  REFUNDED: [],
};

export function canMove(from: PaymentStatus, to: PaymentStatus): boolean {
  return NEXT[from].includes(to);
}

/** Statuses from which `to` can be reached in one step. */
export function statusesBefore(to: PaymentStatus): PaymentStatus[] {
  return (Object.keys(NEXT) as PaymentStatus[]).filter((from) => canMove(from, to));
}

/** Statuses in which captured money can be refunded. */
export const REFUNDABLE: readonly PaymentStatus[] = ['SUCCEEDED', 'PARTIALLY_REFUNDED'];

/** Statuses nothing follows: a payment in one of them never changes again. */
export function finalStatuses(): PaymentStatus[] {
  return (Object.keys(NEXT) as PaymentStatus[]).filter((status) => NEXT[status].length === 0);
}
