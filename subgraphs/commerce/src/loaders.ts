// Per-request DataLoaders over the commerce store: however many platforms or
// tools a query reaches, each kind of lookup costs one store call per tick.
import DataLoader from 'dataloader';
import type { CommerceStore } from './store/commerce-store';

export function createLoaders(store: CommerceStore) {
  return {
    platform: new DataLoader((ids: readonly string[]) => store.platformsByIds(ids)),
    acceptancesByPlatform: new DataLoader((ids: readonly string[]) => store.acceptancesByPlatformIds(ids)),
    acceptancesByTool: new DataLoader((ids: readonly string[]) => store.acceptancesByToolIds(ids)),
    listingsByHost: new DataLoader((ids: readonly string[]) => store.listingsByHostIds(ids)),
    listingsByService: new DataLoader((ids: readonly string[]) => store.listingsByServiceIds(ids)),
  };
}

export type CommerceLoaders = ReturnType<typeof createLoaders>;
