import { useEffect, useState } from 'react';
import { watchPayment, type PaymentSnapshot, type PaymentWatcher } from './watch';

export interface WatchedPayment {
  /** undefined until the first answer; null when there is no such payment. */
  payment: PaymentSnapshot | null | undefined;
  /** The last failed attempt, cleared by the next answer. */
  error: unknown;
}

export function usePayment(id: string, watcher: PaymentWatcher = watchPayment): WatchedPayment {
  const [watched, setWatched] = useState<WatchedPayment>({ payment: undefined, error: undefined });
  useEffect(() => {
    setWatched({ payment: undefined, error: undefined });
    return watcher(id, {
      next: (payment) => setWatched({ payment, error: undefined }),
      error: (error) => setWatched((previous) => ({ ...previous, error })),
    });
  }, [id, watcher]);
  return watched;
}
