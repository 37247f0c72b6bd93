// What every commerce resolver receives: the store and this request's loaders.
import { createLoaders, type CommerceLoaders } from './loaders';
import type { CommerceStore } from './store/commerce-store';

export interface CommerceContext {
  store: CommerceStore;
  loaders: CommerceLoaders;
}

export function createContext(store: CommerceStore): CommerceContext {
  return { store, loaders: createLoaders(store) };
}
