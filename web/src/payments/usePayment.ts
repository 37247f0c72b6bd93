import { useEffect, useState } from 'react';
import type { PaymentSnapshot, PaymentWatcher, WatchMode } from './watch';
import { watchPayment } from './watch-payment';

export interface WatchedPayment {
  /** undefined until the first answer; null when there is no such payment. */
  payment: PaymentSnapshot | null | undefined;
  /** The last failed attempt, cleared by the next answer. */
  error: unknown;
  /** How changes reach the page; undefined until the watcher says. */
  mode: WatchMode | undefined;
}

/** Follows payment `id` while the page shows it; leaving the page (or another id) ends the following. */
export function usePayment(id: string, watcher: PaymentWatcher = watchPayment): WatchedPayment {
  const [watched, setWatched] = useState<WatchedPayment>({ payment: undefined, error: undefined, mode: undefined });
  useEffect(() => {
    setWatched({ payment: undefined, error: undefined, mode: undefined });
    return watcher(id, {
      next: (payment) => setWatched((previous) => ({ ...previous, payment, error: undefined })),
      error: (error) => setWatched((previous) => ({ ...previous, error })),
      mode: (mode) => setWatched((previous) => ({ ...previous, mode })),
    });
  }, [id, watcher]);
  return watched;
}
