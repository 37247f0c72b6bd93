// Per-request DataLoaders over the merchants store: a page of 50 merchants
// costs one query per kind of lookup, not 50. What one statement already
// read is primed into the loader that would otherwise ask for it again: the
// merchants of a page (`primeMerchants`), and the tools each storefront
// read has opted into, and a merchant's storefronts when a page or a
// reference read them with the merchant (`primeStorefronts`).
//
// What was primed is also held as a value (`HeldLoader.held`): a resolver
// answers with it at once, so a page's hundreds of storefront fields cost
// graphql-js no promise each.
import DataLoader from 'dataloader';
import type { MerchantsStore } from './store/merchants-store';
import type { EnrolmentKey, MerchantRow, StorefrontRow } from './store/types';

/** A DataLoader with the values primed into it this request, readable without waiting. */
export class HeldLoader<K, V> {
  private readonly values = new Map<string, V>();

  constructor(
    private readonly loader: DataLoader<K, V, string>,
    private readonly keyOf: (key: K) => string,
  ) {}

  /** The value primed for `key`, if any (a value only loaded is not held). */
  held(key: K): V | undefined {
    return this.values.get(this.keyOf(key));
  }

  load(key: K): Promise<V> {
    return this.loader.load(key);
  }

  /** As DataLoader's prime: a key already held keeps its value. */
  prime(key: K, value: V): void {
    const cacheKey = this.keyOf(key);
    if (!this.values.has(cacheKey)) this.values.set(cacheKey, value);
    this.loader.prime(key, value);
  }

  /** Forgets `key`, so the next load reads it again. */
  clear(key: K): void {
    this.values.delete(this.keyOf(key));
    this.loader.clear(key);
  }
}

const byId = (id: string) => id;
const byStorefrontId = (storefront: StorefrontRow) => storefront.id;

export function createLoaders(store: MerchantsStore) {
  const merchant = new HeldLoader(new DataLoader((ids: readonly string[]) => store.merchantsByIds(ids)), byId);
  const enrolledToolIds = new HeldLoader(
    new DataLoader((storefronts: readonly StorefrontRow[]) => store.enrolledToolIds(storefronts), { cacheKeyFn: byStorefrontId }),
    byStorefrontId,
  );
  const primeEnrolled = (storefront: StorefrontRow | null) => {
    if (storefront) enrolledToolIds.prime(storefront, [...storefront.enrolledToolIds]);
  };
  const storefrontsByMerchant = new HeldLoader(
    new DataLoader(async (ids: readonly string[]) => {
      const groups = await store.storefrontsByMerchantIds(ids);
      for (const group of groups) group.forEach(primeEnrolled);
      return groups;
    }),
    byId,
  );
  const primeStorefronts = (rows: readonly MerchantRow[], storefronts: readonly StorefrontRow[][]) => {
    rows.forEach((row, i) => {
      const group = storefronts[i] ?? [];
      storefrontsByMerchant.prime(row.id, group);
      group.forEach(primeEnrolled);
    });
  };
  return {
    merchant,
    /**
     * A merchant read with its storefronts in the same statement, for a
     * reference whose selection asks for them (a peer's checkout facts):
     * `storefronts` and `enrolledTools` then ask nothing more.
     */
    merchantWithStorefronts: new DataLoader(async (ids: readonly string[]) => {
      const read = await store.merchantsWithStorefrontsByIds(ids);
      return read.map((found) => {
        if (!found) return null;
        merchant.prime(found.merchant.id, found.merchant);
        primeStorefronts([found.merchant], [found.storefronts]);
        return found.merchant;
      });
    }),
    /** Rows a page or search already read, so their storefronts' `merchant` asks nothing more. */
    primeMerchants(rows: readonly MerchantRow[]) {
      for (const row of rows) merchant.prime(row.id, row);
    },
    /** Each merchant's storefronts, read with its page, so `storefronts` asks nothing more. */
    primeStorefronts,
    storefrontsByMerchant,
    storefront: new DataLoader(
      async (keys: readonly { merchantId: string; platformId: string }[]) => {
        const storefronts = await store.storefrontsByKeys(keys);
        storefronts.forEach(primeEnrolled);
        return storefronts;
      },
      { cacheKeyFn: (key) => `${key.merchantId}:${key.platformId}` },
    ),
    enrolledToolIds,
    enrolments: new DataLoader((storefronts: readonly StorefrontRow[]) => store.enrolmentsByStorefronts(storefronts), {
      cacheKeyFn: (storefront) => storefront.id,
    }),
    enrolmentHistory: new DataLoader((keys: readonly EnrolmentKey[]) => store.enrolmentHistories(keys), {
      cacheKeyFn: (key) => `${key.merchantSeq}:${key.platformId}:${key.toolId}`,
    }),
  };
}

export type MerchantsLoaders = ReturnType<typeof createLoaders>;
