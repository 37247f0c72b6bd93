// Status changes, and partner webhook deliveries queued, are told only once
// they are committed: what a transaction did waits in its list and is told
// after COMMIT, and dropped on ROLLBACK, so nobody hears of a change that never was.
import type { Database, Queryable } from '@interop/kit/db';
import type { PaymentStatus } from './types';

export interface PaymentChange {
  paymentId: string;
  status: PaymentStatus;
  /** How many status changes the payment has had, this one included (its creation is 1). */
  version: number;
  /** The payment's `updatedAt` after the change. */
  at: string;
}

export type PaymentChangeListener = (change: PaymentChange) => void;

/** What a transaction has done that is told only once it commits. */
interface Pending {
  changes: PaymentChange[];
  /** Partner webhook deliveries it queued. */
  deliveries: number;
}

export class CommittedChanges {
  private readonly pending = new WeakMap<Queryable, Pending>();
  private readonly listeners = new Set<PaymentChangeListener>();
  private readonly deliveryListeners = new Set<() => void>();

  /** Runs `work` in a transaction of `db`; the changes it records are announced after it commits. */
  async transaction<T>(db: Database, work: (tx: Queryable) => Promise<T>): Promise<T> {
    const pending: Pending = { changes: [], deliveries: 0 };
    const result = await db.transaction((tx) => {
      this.pending.set(tx, pending);
      return work(tx);
    });
    this.announce(pending.changes);
    if (pending.deliveries > 0) this.deliveriesQueued();
    return result;
  }

  /** Records a change made in `tx`, to announce once `tx` commits. */
  record(tx: Queryable, change: PaymentChange): void {
    this.pendingIn(tx).changes.push(change);
  }

  /** Records that `tx` queued `count` partner webhook deliveries, to tell once it commits. */
  queued(tx: Queryable, count: number): void {
    this.pendingIn(tx).deliveries += count;
  }

  /** Announces changes already committed (a single statement outside a transaction). */
  announce(changes: readonly PaymentChange[]): void {
    for (const change of changes) for (const listener of this.listeners) listener(change);
  }

  /** Tells that committed statements queued partner webhook deliveries. */
  deliveriesQueued(): void {
    for (const listener of this.deliveryListeners) listener();
  }

  listen(listener: PaymentChangeListener): () => void {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }

  /** Calls `listener` each time a commit has queued partner webhook deliveries. */
  listenForDeliveries(listener: () => void): () => void {
    this.deliveryListeners.add(listener);
    return () => {
      this.deliveryListeners.delete(listener);
    };
  }

  private pendingIn(tx: Queryable): Pending {
    const pending = this.pending.get(tx);
    // A transaction opened elsewhere would commit without anyone announcing what it did.
    if (!pending) throw new Error('Payment status changes must be made in PaymentLedger.transaction');
    return pending;
  }
}
