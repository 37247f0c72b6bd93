// What payments asks commerce about its entities; typed by `npm run codegen`
// against commerce's schema (`../__generated__/commerce-peer.ts`).
import { entityFragment } from '@interop/kit/server';
import type { PlatformCheckoutFactsFragment } from '../__generated__/commerce-peer';

/** A platform's name and checkout rules. */
export const platformCheckoutFacts = entityFragment<PlatformCheckoutFactsFragment>(/* GraphQL */ `
  fragment PlatformCheckoutFacts on Platform {
    name
    acceptedPaymentTools {
      tool {
        id
      }
      status
      requiresMerchantOptIn
      checkoutRank
    }
  }
`);

/** Every platform's checkout facts, for holding them all (see held-facts): a handful, so one page. */
export const platformFactsAll = /* GraphQL */ `
  query PlatformFactsAll {
    platforms {
      id
      ...PlatformCheckoutFacts
    }
  }
`;
