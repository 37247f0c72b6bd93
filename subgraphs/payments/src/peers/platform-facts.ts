// Platforms' facts as a checkout reads them (name and checkout rules), asked
// of commerce: each platform through `_entities`, or all of them at once.
import { dependencyUnavailable } from '@interop/kit';
import type { SubgraphClient } from '@interop/kit/server';
import { entitiesById, type FactsSource } from '@interop/kit/peers';
import type { AcceptanceFacts } from '@interop/domain';
import type { PlatformCheckoutFactsFragment, PlatformFactsAllQuery } from '../__generated__/commerce-peer';
import { platformCheckoutFacts, platformFactsAll } from '../peer-fragments/commerce';

export interface PlatformFacts {
  name: string | null;
  acceptedPaymentTools: AcceptanceFacts[];
}

export function platformFactsSource(commerce: SubgraphClient): FactsSource<PlatformFacts> {
  const platformFacts = (id: string, entity: PlatformCheckoutFactsFragment): PlatformFacts => {
    // As for merchants' statuses (merchant-facts).
    if (!entity.acceptedPaymentTools) throw dependencyUnavailable('commerce', new Error(`Platform ${id} came without its rules`));
    const acceptedPaymentTools = entity.acceptedPaymentTools.map(toAcceptanceFacts);
    return { name: entity.name, acceptedPaymentTools };
  };
  const allQuery = `${platformFactsAll}\n${platformCheckoutFacts.text}`;
  return {
    fetch: entitiesById(commerce, platformCheckoutFacts, platformFacts),
    async page() {
      const { platforms } = await commerce.request<PlatformFactsAllQuery>(allQuery);
      if (!platforms) throw dependencyUnavailable('commerce', new Error('The platforms came without them'));
      return { entries: platforms.map((platform) => [platform.id, platformFacts(platform.id, platform)] as const), next: null };
    },
  };
}

/** A platform's rule for a tool, as commerce answers it to this fragment. */
type PeerAcceptance = NonNullable<PlatformCheckoutFactsFragment['acceptedPaymentTools']>[number];

function toAcceptanceFacts(acceptance: PeerAcceptance): AcceptanceFacts {
  return {
    toolId: acceptance.tool.id,
    status: acceptance.status,
    requiresMerchantOptIn: acceptance.requiresMerchantOptIn,
    checkoutRank: acceptance.checkoutRank,
  };
}
