// What every payments resolver receives: the store, the peers it asks for
// facts, and this request's loaders.
import { createLoaders, type PaymentsLoaders } from './loaders';
import type { PeerFacts } from './peers';
import type { PaymentsStore } from './store/payments-store';

export interface PaymentsContext {
  store: PaymentsStore;
  peers: PeerFacts;
  loaders: PaymentsLoaders;
}

export function createContext(store: PaymentsStore, peers: PeerFacts): PaymentsContext {
  return { store, peers, loaders: createLoaders(store) };
}
