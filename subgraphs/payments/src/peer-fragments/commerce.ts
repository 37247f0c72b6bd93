// What payments asks commerce about its entities; typed by `npm run codegen`
// against commerce's schema (`../__generated__/commerce-peer.ts`).
import { entityFragment } from '@interop/kit/server';
import type { PlatformCheckoutFactsFragment } from '../__generated__/commerce-peer';

/** Mirrors the platform half of the @requires on Storefront.paymentOptions, so both paths feed the checkout rule alike. */
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
