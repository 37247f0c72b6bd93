// What payments asks merchants about its entities; typed by `npm run codegen`
// against merchants' schema (`../__generated__/merchants-peer.ts`).
import { entityFragment } from '@interop/kit/server';
import type { MerchantCheckoutFactsFragment, StorefrontCheckoutFactsFragment } from '../__generated__/merchants-peer';

/** The merchant half of the @requires on Storefront.paymentOptions, and its name for the buyer. */
export const merchantCheckoutFacts = entityFragment<MerchantCheckoutFactsFragment>(/* GraphQL */ `
  fragment MerchantCheckoutFacts on Merchant {
    name
    status
    eligible
  }
`);

/** The tools the merchant opened on the storefront's platform. */
export const storefrontCheckoutFacts = entityFragment<StorefrontCheckoutFactsFragment>(/* GraphQL */ `
  fragment StorefrontCheckoutFacts on Storefront {
    enrolledTools {
      id
    }
  }
`);
