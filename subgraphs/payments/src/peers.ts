// The facts payments needs from the subgraphs that own them, asked for over
// HTTP. The merchant's facts mirror the @requires on Storefront.paymentOptions;
// the platform's rules, which that @requires names only by their version, are
// kept here by version, so a root-field answer and a federated one feed the
// checkout rule the same input.
import DataLoader from 'dataloader';
import { LRUCache } from 'lru-cache';
import { badUserInput, dependencyUnavailable } from '@interop/kit';
import type { SubgraphClient } from '@interop/kit/server';
import type { AcceptanceFacts, StorefrontFacts } from '@interop/domain';
import type { PlatformCheckoutFactsFragment } from './__generated__/commerce-peer';
import type { MerchantCheckoutFactsFragment } from './__generated__/merchants-peer';
import { platformCheckoutFacts } from './peer-fragments/commerce';
import { merchantCheckoutFacts } from './peer-fragments/merchants';

export interface CheckoutFacts {
  acceptances: AcceptanceFacts[];
  /** Null when the merchant has no storefront on the platform. */
  storefront: StorefrontFacts | null;
  names: DisplayNames;
}

/** What a buyer reads instead of ids; null where the owner has no name. */
export interface DisplayNames {
  platformName: string | null;
  merchantName: string | null;
}

interface PlatformEntity {
  name: string | null;
  acceptedPaymentTools: AcceptanceFacts[];
}

/** Versions of platforms' rules kept: a handful of platforms, each changing its rules a few times a year. */
const RULE_VERSIONS_KEPT = 1024;

interface MerchantEntity {
  name: string | null;
  status: StorefrontFacts['merchantStatus'];
  eligible: boolean;
}

/** Merchants answers a null status or eligibility only with an error, which has already failed the call; a bare null is as unusable. */
function merchantEntity(id: string, entity: MerchantCheckoutFactsFragment): MerchantEntity {
  if (entity.status === null || entity.eligible === null) throw dependencyUnavailable('merchants', new Error(`Merchant ${id} came without its status`));
  return { name: entity.name, status: entity.status, eligible: entity.eligible };
}

interface StorefrontKey {
  merchantId: string;
  platformId: string;
}

/** A merchant's facts and the tools it opened on one platform; null when the merchant, or its storefront there, does not exist. */
interface MerchantOnPlatform {
  merchant: MerchantEntity | null;
  enrolledToolIds: string[] | null;
}

export class PeerFacts {
  // Calls in one tick, from one request or many, share one request per owner.
  // No cache: facts are asked fresh for every call.
  private readonly platforms = new DataLoader((ids: readonly string[]) => this.fetchPlatforms(ids), { cache: false });
  private readonly storefronts = new DataLoader((keys: readonly StorefrontKey[]) => this.fetchStorefronts(keys), { cache: false });
  // A platform's rules by the version commerce names them with (a digest of their content): a version
  // kept is never stale, so the checkout of a storefront, whose @requires carries only the version, asks
  // commerce for rules only when they changed.
  private readonly rulesByVersion = new LRUCache<string, AcceptanceFacts[]>({ max: RULE_VERSIONS_KEPT });

  constructor(
    private readonly commerce: SubgraphClient,
    private readonly merchants: SubgraphClient,
  ) {}

  /**
   * Both owners are asked at once; either failing fails the whole answer
   * (DEPENDENCY_UNAVAILABLE). `argumentPrefix` places the ids in the caller's
   * input, e.g. `input.` for `input.platformId`.
   */
  async checkoutFacts(platformId: string, merchantId: string, argumentPrefix = ''): Promise<CheckoutFacts> {
    const [platform, found] = await Promise.all([this.platforms.load(platformId), this.storefronts.load({ merchantId, platformId })]);
    if (!platform) throw badUserInput(`${argumentPrefix}platformId`, `No platform has id ${platformId}.`);
    if (!found.merchant) throw badUserInput(`${argumentPrefix}merchantId`, `No merchant has id ${merchantId}.`);
    return {
      acceptances: platform.acceptedPaymentTools,
      storefront: found.enrolledToolIds
        ? { merchantStatus: found.merchant.status, merchantEligible: found.merchant.eligible, enrolledToolIds: found.enrolledToolIds }
        : null,
      names: { platformName: platform.name ?? null, merchantName: found.merchant.name ?? null },
    };
  }

  /** The platform's and the merchant's names, asked of their owners; null for one that is unknown. Throws DEPENDENCY_UNAVAILABLE. */
  async displayNames(platformId: string, merchantId: string): Promise<DisplayNames> {
    const [platform, found] = await Promise.all([this.platforms.load(platformId), this.storefronts.load({ merchantId, platformId })]);
    return { platformName: platform?.name ?? null, merchantName: found.merchant?.name ?? null };
  }

  /**
   * The platform's rules at `version`, as kept from an earlier answer of
   * commerce's or else asked of it now. Rules commerce changed since the
   * version was read are newer, not wrong: those are answered.
   */
  async checkoutRules(platformId: string, version: string): Promise<AcceptanceFacts[]> {
    const kept = this.rulesByVersion.get(rulesKey(platformId, version));
    if (kept) return kept;
    const platform = await this.platforms.load(platformId);
    if (!platform) throw dependencyUnavailable('commerce', new Error(`Platform ${platformId} is unknown to commerce`));
    return platform.acceptedPaymentTools;
  }

  /** Each platform once per batch, however many calls asked for it. */
  private async fetchPlatforms(ids: readonly string[]): Promise<(PlatformEntity | null)[]> {
    const unique = [...new Set(ids)];
    const entities = await this.commerce.entities(platformCheckoutFacts, unique.map((id) => ({ __typename: 'Platform', id })));
    const byId = new Map(
      unique.map((id, index) => {
        const entity = entities[index];
        if (!entity) return [id, null];
        // As for merchants' statuses (merchantEntity).
        if (!entity.acceptedPaymentTools) throw dependencyUnavailable('commerce', new Error(`Platform ${id} came without its rules`));
        const acceptedPaymentTools = entity.acceptedPaymentTools.map(toAcceptanceFacts);
        this.rulesByVersion.set(rulesKey(id, entity.checkoutRulesVersion), acceptedPaymentTools);
        return [id, { name: entity.name, acceptedPaymentTools }];
      }),
    );
    return ids.map((id) => byId.get(id) ?? null);
  }

  /**
   * One `_entities` call for every merchant asked, each with its storefronts:
   * an unknown merchant is null, one that does not sell on the platform has no
   * storefront there.
   */
  private async fetchStorefronts(keys: readonly StorefrontKey[]): Promise<MerchantOnPlatform[]> {
    const merchantIds = [...new Set(keys.map((key) => key.merchantId))];
    const entities = await this.merchants.entities(merchantCheckoutFacts, merchantIds.map((id) => ({ __typename: 'Merchant', id })));
    const found = new Map(merchantIds.map((id, index) => [id, entities[index] ?? null]));
    return keys.map(({ merchantId, platformId }) => {
      const entity = found.get(merchantId);
      if (!entity) return { merchant: null, enrolledToolIds: null };
      // As for its status: merchants answers a null list only with an error, which has already failed the call.
      if (!entity.storefronts) throw dependencyUnavailable('merchants', new Error(`Merchant ${merchantId} came without its storefronts`));
      const storefront = entity.storefronts.find((candidate) => candidate.platform.id === platformId);
      return { merchant: merchantEntity(merchantId, entity), enrolledToolIds: storefront ? storefront.enrolledTools.map((tool) => tool.id) : null };
    });
  }
}

const rulesKey = (platformId: string, version: string) => `${platformId}\n${version}`;

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
