// What every merchants resolver receives: the store, the peers it asks for
// facts, and this request's loaders.
import type { Caller } from '@interop/kit/security';
import { createLoaders, type MerchantsLoaders } from './loaders';
import type { PeerFacts } from './peers';
import type { MerchantsStore } from './store/merchants-store';

export interface MerchantsContext {
  store: MerchantsStore;
  peers: PeerFacts;
  loaders: MerchantsLoaders;
  /** Who is asking, as the gateway signed it. */
  caller: Caller;
}

export function createContext(store: MerchantsStore, peers: PeerFacts, caller: Caller): MerchantsContext {
  return { store, peers, caller, loaders: createLoaders(store) };
}
