// What payments asks merchants about its entities; typed by `npm run codegen`
// against merchants' schema (`../__generated__/merchants-peer.ts`).
import { entityFragment } from '@interop/kit/server';
import type { MerchantCheckoutFactsFragment } from '../__generated__/merchants-peer';

/**
 * The merchant half of the @requires on Storefront.paymentOptions, its name
 * for the buyer, and the tools it opened on each platform it sells on
 * (merchants reads them with the merchant, in one statement).
 */
export const merchantCheckoutFacts = entityFragment<MerchantCheckoutFactsFragment>(/* GraphQL */ `
  fragment MerchantCheckoutFacts on Merchant {
    name
    status
    eligible
    storefronts {
      platform {
        id
      }
      enrolledTools {
        id
      }
    }
  }
`);

/** Every merchant's checkout facts, a page at a time in id order, for holding them all (see held-facts). */
export const MERCHANT_FACTS_PAGE_SIZE = 100;
export const merchantFactsPage = /* GraphQL */ `
  query MerchantFactsPage($first: Int!, $after: String) {
    merchants(first: $first, after: $after) {
      edges {
        node {
          id
          ...MerchantCheckoutFacts
        }
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
`;
