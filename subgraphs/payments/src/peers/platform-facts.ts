// Platforms' facts as a checkout reads them (name and checkout rules), asked
// of commerce: each platform through `_entities`, or all of them at once.
// Every answer's rules are also kept by the version commerce names them with
// (a digest of their content): the @requires on Storefront.paymentOptions
// carries only that version, and a version kept is never stale.
import { LRUCache } from 'lru-cache';
import { dependencyUnavailable } from '@interop/kit';
import type { SubgraphClient } from '@interop/kit/server';
import type { AcceptanceFacts } from '@interop/domain';
import type { PlatformCheckoutFactsFragment, PlatformFactsAllQuery } from '../__generated__/commerce-peer';
import { platformCheckoutFacts, platformFactsAll } from '../peer-fragments/commerce';
import { entitiesById, type FactsSource } from './held-facts';

export interface PlatformFacts {
  name: string | null;
  acceptedPaymentTools: AcceptanceFacts[];
}

/** Versions of platforms' rules kept: a handful of platforms, each changing its rules a few times a year. */
const RULE_VERSIONS_KEPT = 1024;

/** Platforms' rules by the version commerce named them with. */
export class RulesByVersion {
  private readonly kept = new LRUCache<string, AcceptanceFacts[]>({ max: RULE_VERSIONS_KEPT });

  get(platformId: string, version: string): AcceptanceFacts[] | undefined {
    return this.kept.get(rulesKey(platformId, version));
  }

  keep(platformId: string, version: string, rules: AcceptanceFacts[]): void {
    this.kept.set(rulesKey(platformId, version), rules);
  }
}

const rulesKey = (platformId: string, version: string) => `${platformId}\n${version}`;

export function platformFactsSource(commerce: SubgraphClient, versions: RulesByVersion): FactsSource<PlatformFacts> {
  const platformFacts = (id: string, entity: PlatformCheckoutFactsFragment): PlatformFacts => {
    // As for merchants' statuses (merchant-facts).
    if (!entity.acceptedPaymentTools) throw dependencyUnavailable('commerce', new Error(`Platform ${id} came without its rules`));
    const acceptedPaymentTools = entity.acceptedPaymentTools.map(toAcceptanceFacts);
    versions.keep(id, entity.checkoutRulesVersion, acceptedPaymentTools);
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
