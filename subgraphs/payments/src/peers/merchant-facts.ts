// Merchants' facts as a checkout reads them (status, eligibility, name, the
// tools each merchant opened on each platform it sells on), asked of
// merchants: each merchant through `_entities`, as the @requires on
// Storefront.paymentOptions carries them, or all of them a page at a time.
import { LRUCache } from 'lru-cache';
import { dependencyUnavailable } from '@interop/kit';
import type { SubgraphClient } from '@interop/kit/server';
import { entitiesById, type FactsSource } from '@interop/kit/peers';
import type { StorefrontFacts } from '@interop/domain';
import type { MerchantCheckoutFactsFragment, MerchantFactsPageQuery } from '../__generated__/merchants-peer';
import { MERCHANT_FACTS_PAGE_SIZE, merchantCheckoutFacts, merchantFactsPage } from '../peer-fragments/merchants';

/** What the checkout reads of a merchant: its name, status and eligibility, and the tools it opened on each platform it sells on. */
export interface MerchantFacts {
  name: string | null;
  status: StorefrontFacts['merchantStatus'];
  eligible: boolean;
  /** By platform id; one map for every merchant with the same storefronts and opt-ins. */
  enrolledToolIds: ReadonlyMap<string, readonly string[]>;
}

/**
 * Storefront maps by their content, shared between merchants: payments may
 * hold a hundred thousand merchants, most of them with one of a few
 * combinations of platforms and opt-ins.
 */
const sharedStorefronts = new LRUCache<string, ReadonlyMap<string, readonly string[]>>({ max: 10_000 });

function storefrontsOf(storefronts: NonNullable<MerchantCheckoutFactsFragment['storefronts']>): ReadonlyMap<string, readonly string[]> {
  const entries = storefronts.map((storefront) => [storefront.platform.id, storefront.enrolledTools.map((tool) => tool.id)] as const);
  const key = JSON.stringify(entries);
  let shared = sharedStorefronts.get(key);
  if (!shared) {
    shared = new Map(entries);
    sharedStorefronts.set(key, shared);
  }
  return shared;
}

/**
 * Merchants answers a null status, eligibility or storefront list only with
 * an error, which has already failed the call; a bare null is as unusable.
 */
function merchantFacts(id: string, entity: MerchantCheckoutFactsFragment): MerchantFacts {
  if (entity.status === null || entity.eligible === null) throw dependencyUnavailable('merchants', new Error(`Merchant ${id} came without its status`));
  if (!entity.storefronts) throw dependencyUnavailable('merchants', new Error(`Merchant ${id} came without its storefronts`));
  return { name: entity.name, status: entity.status, eligible: entity.eligible, enrolledToolIds: storefrontsOf(entity.storefronts) };
}

export function merchantFactsSource(merchants: SubgraphClient): FactsSource<MerchantFacts> {
  const pageQuery = `${merchantFactsPage}\n${merchantCheckoutFacts.text}`;
  return {
    fetch: entitiesById(merchants, merchantCheckoutFacts, merchantFacts),
    async page(after) {
      const { merchants: page } = await merchants.request<MerchantFactsPageQuery>(pageQuery, { first: MERCHANT_FACTS_PAGE_SIZE, after });
      if (!page) throw dependencyUnavailable('merchants', new Error('A page of merchants came without them'));
      return {
        entries: page.edges.map(({ node }) => [node.id, merchantFacts(node.id, node)] as const),
        next: page.pageInfo.hasNextPage ? page.pageInfo.endCursor : null,
      };
    },
  };
}
