// Platforms' facts as a checkout reads them (name and checkout rules), asked
// of commerce: each platform through `_entities`, or all of them at once.
import { dependencyUnavailable } from '@interop/kit';
import type { SubgraphClient } from '@interop/kit/server';
import { listedEntities, type FactsSource } from '@interop/kit/peers';
import type { AcceptanceFacts } from '@interop/domain';
import type { PlatformCheckoutFactsFragment } from '../__generated__/commerce-peer';
import { platformCheckoutFacts, platformFactsAll } from '../peer-fragments/commerce';

export interface PlatformFacts {
  name: string | null;
  acceptedPaymentTools: AcceptanceFacts[];
}

export function platformFactsSource(commerce: SubgraphClient): FactsSource<PlatformFacts> {
  return listedEntities(commerce, platformCheckoutFacts, { query: platformFactsAll, field: 'platforms' }, (id, entity): PlatformFacts => {
    // As for merchants' statuses (merchant-facts).
    if (!entity.acceptedPaymentTools) throw dependencyUnavailable('commerce', new Error(`Platform ${id} came without its rules`));
    return { name: entity.name, acceptedPaymentTools: entity.acceptedPaymentTools.map(toAcceptanceFacts) };
  });
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
