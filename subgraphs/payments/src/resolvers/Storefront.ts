import { dependencyUnavailable } from '@interop/kit';
import type { StorefrontResolvers } from '../__generated__/resolvers';
import { checkoutOptions } from '../checkout';
import { toAcceptanceFacts } from '../peers';

type Acceptance = Parameters<typeof toAcceptanceFacts>[0];

/**
 * The @requires facts as the gateway may really send them: a fact whose owner
 * failed or timed out comes as null, or not at all, whatever the SDL says.
 */
interface RequiredFacts {
  platform?: { acceptedPaymentTools?: Acceptance[] | null } | null;
  merchant?: { status?: 'ACTIVE' | 'SUSPENDED' | null; eligible?: boolean | null } | null;
  enrolledTools?: { id: string }[] | null;
}

export const Storefront: StorefrontResolvers = {
  // The representation already carries the facts @requires asked the gateway for.
  __resolveReference: (reference) => reference,
  paymentOptions: (storefront, _args, context) => {
    const facts = storefront as RequiredFacts;
    // No options are guessed without a fact: the field is null, naming the owner that did not give it.
    const rules = facts.platform?.acceptedPaymentTools;
    if (!rules) throw dependencyUnavailable('commerce');
    const status = facts.merchant?.status;
    const eligible = facts.merchant?.eligible;
    const enrolledTools = facts.enrolledTools;
    if (!status || eligible == null || !enrolledTools) throw dependencyUnavailable('merchants');
    return checkoutOptions(context.loaders, rules.map(toAcceptanceFacts), {
      merchantStatus: status,
      merchantEligible: eligible,
      enrolledToolIds: enrolledTools.map((tool) => tool.id),
    });
  },
};
