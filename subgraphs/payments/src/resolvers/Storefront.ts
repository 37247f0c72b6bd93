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
  paymentOptions: (storefront, _args, context) => {
    const facts = storefront as RequiredFacts;
    // No options are guessed without a fact: the field is null, naming the owner that did not give it.
    const platformId = facts.platform?.id;
    if (!platformId) throw dependencyUnavailable('merchants');
    const status = facts.merchant?.status;
    const eligible = facts.merchant?.eligible;
    const enrolledTools = facts.enrolledTools;
    if (!status || eligible == null || !enrolledTools) throw dependencyUnavailable('merchants');
    const merchantFacts = { merchantStatus: status, merchantEligible: eligible, enrolledToolIds: enrolledTools.map((tool) => tool.id) };
    // Rules held are read at once, so each of a page's storefronts waits on one promise (the request's catalogue), not a chain.
    const held = context.peers.heldCheckoutRules(platformId);
    if (held) return checkoutOptions(context.loaders, held, merchantFacts);
    return context.peers.checkoutRules(platformId).then((rules) => checkoutOptions(context.loaders, rules, merchantFacts));
  },
};
