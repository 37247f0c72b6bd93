// What every merchants resolver receives: the store, the peers it asks for
// facts, and this request's loaders.
import { createLoaders, type MerchantsLoaders } from './loaders';
import type { PeerFacts } from './peers';
import type { MerchantsStore } from './store/merchants-store';

export interface MerchantsContext {
  store: MerchantsStore;
  peers: PeerFacts;
  loaders: MerchantsLoaders;
}

export function createContext(store: MerchantsStore, peers: PeerFacts): MerchantsContext {
  return { store, peers, loaders: createLoaders(store) };
}
