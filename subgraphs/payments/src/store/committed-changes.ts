// Status changes are announced only once they are committed: a change made
// inside a transaction waits in that transaction's list and is announced after
// COMMIT, and dropped on ROLLBACK, so nobody hears of a change that never was.
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

export class CommittedChanges {
  private readonly pending = new WeakMap<Queryable, PaymentChange[]>();
  private readonly listeners = new Set<PaymentChangeListener>();

  /** Runs `work` in a transaction of `db`; the changes it records are announced after it commits. */
  async transaction<T>(db: Database, work: (tx: Queryable) => Promise<T>): Promise<T> {
    const changes: PaymentChange[] = [];
    const result = await db.transaction((tx) => {
      this.pending.set(tx, changes);
      return work(tx);
    });
    this.announce(changes);
    return result;
  }

  /** Records a change made in `tx`, to announce once `tx` commits. */
  record(tx: Queryable, change: PaymentChange): void {
    const changes = this.pending.get(tx);
    // A transaction opened elsewhere would commit without anyone announcing its changes.
    if (!changes) throw new Error('Payment status changes must be made in PaymentLedger.transaction');
    changes.push(change);
  }

  /** Announces changes already committed (a single statement outside a transaction). */
  announce(changes: readonly PaymentChange[]): void {
    for (const change of changes) for (const listener of this.listeners) listener(change);
  }

  listen(listener: PaymentChangeListener): () => void {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }
}
