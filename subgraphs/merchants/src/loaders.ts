// Per-request DataLoaders over the merchants store: a page of 50 merchants
// costs one query per kind of lookup, not 50.
import DataLoader from 'dataloader';
import type { MerchantsStore } from './store/merchants-store';
import type { EnrolmentKey, StorefrontRow } from './store/types';

export function createLoaders(store: MerchantsStore) {
  return {
    merchant: new DataLoader((ids: readonly string[]) => store.merchantsByIds(ids)),
    storefrontsByMerchant: new DataLoader((ids: readonly string[]) => store.storefrontsByMerchantIds(ids)),
    storefront: new DataLoader(
      (keys: readonly { merchantId: string; platformId: string }[]) => store.storefrontsByKeys(keys),
      { cacheKeyFn: (key) => `${key.merchantId}:${key.platformId}` },
    ),
    enrolledToolIds: new DataLoader((storefronts: readonly StorefrontRow[]) => store.enrolledToolIds(storefronts), {
      cacheKeyFn: (storefront) => storefront.id,
    }),
    enrolments: new DataLoader((storefronts: readonly StorefrontRow[]) => store.enrolmentsByStorefronts(storefronts), {
      cacheKeyFn: (storefront) => storefront.id,
    }),
    enrolmentHistory: new DataLoader((keys: readonly EnrolmentKey[]) => store.enrolmentHistories(keys), {
      cacheKeyFn: (key) => `${key.merchantSeq}:${key.platformId}:${key.toolId}`,
    }),
  };
}

export type MerchantsLoaders = ReturnType<typeof createLoaders>;
