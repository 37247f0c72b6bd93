import { dependencyUnavailable } from '@interop/kit';
import type { StorefrontResolvers } from '../__generated__/resolvers';
import { checkoutOptions } from '../checkout';

/**
 * The @requires facts as the gateway may really send them: a fact whose owner
 * failed or timed out comes as null, or not at all, whatever the SDL says.
 */
interface RequiredFacts {
  platform?: { id?: string | null } | null;
  merchant?: { status?: 'ACTIVE' | 'SUSPENDED' | null; eligible?: boolean | null } | null;
  enrolledTools?: { id: string }[] | null;
}

export const Storefront: StorefrontResolvers = {
  // The representation already carries the facts @requires asked the gateway for.
  __resolveReference: (reference) => reference,
  paymentOptions: async (storefront, _args, context) => {
    const facts = storefront as RequiredFacts;
    // No options are guessed without a fact: the field is null, naming the owner that did not give it.
    const platformId = facts.platform?.id;
    if (!platformId) throw dependencyUnavailable('merchants');
    const status = facts.merchant?.status;
    const eligible = facts.merchant?.eligible;
    const enrolledTools = facts.enrolledTools;
    if (!status || eligible == null || !enrolledTools) throw dependencyUnavailable('merchants');
    return checkoutOptions(context.loaders, await context.peers.checkoutRules(platformId), {
      merchantStatus: status,
      merchantEligible: eligible,
      enrolledToolIds: enrolledTools.map((tool) => tool.id),
    });
  },
};
