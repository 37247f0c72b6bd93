import type { StorefrontResolvers } from '../__generated__/resolvers';
import { checkoutOptions } from '../checkout';
import { toAcceptanceFacts } from '../peers';

export const Storefront: StorefrontResolvers = {
  // The representation already carries the facts @requires asked the gateway for.
  __resolveReference: (reference) => reference,
  paymentOptions: (storefront, _args, context) => {
    if (!('platform' in storefront)) throw new Error('Storefront representation lacks the @requires facts');
    return checkoutOptions(context, storefront.platform.acceptedPaymentTools.map(toAcceptanceFacts), {
      merchantStatus: storefront.merchant.status,
      merchantEligible: storefront.merchant.eligible,
      enrolledToolIds: storefront.enrolledTools.map((tool) => tool.id),
    });
  },
};
