import type { StorefrontResolvers } from '../__generated__/resolvers';
import { checkoutOptions } from '../checkout';
import { toAcceptanceFacts } from '../peers';

export const Storefront: StorefrontResolvers = {
  // The representation already carries the facts @requires asked the gateway for.
  __resolveReference: (reference) => reference,
  paymentOptions: (storefront, _args, context) => {
    if (!('platform' in storefront)) throw new Error('Storefront representation lacks the @requires facts');
    const rules = storefront.platform.acceptedPaymentTools;
    const { status, eligible } = storefront.merchant;
    // A fact its owner could not give (that owner's outage is reported by the gateway):
    // no options are guessed without it.
    if (!rules || !status || eligible == null) return null;
    return checkoutOptions(context, rules.map(toAcceptanceFacts), {
      merchantStatus: status,
      merchantEligible: eligible,
      enrolledToolIds: storefront.enrolledTools.map((tool) => tool.id),
    });
  },
};
