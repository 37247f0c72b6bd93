// Per-request DataLoaders over the payments store.
import DataLoader from 'dataloader';
import type { PaymentsStore } from './store/payments-store';

export function createLoaders(store: PaymentsStore) {
  return {
    tool: new DataLoader((ids: readonly string[]) => store.toolsByIds(ids)),
    interoperatingToolIds: new DataLoader((ids: readonly string[]) => store.interoperatingToolIds(ids)),
  };
}

export type PaymentsLoaders = ReturnType<typeof createLoaders>;
