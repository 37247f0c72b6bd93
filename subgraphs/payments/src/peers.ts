// The facts payments needs from the subgraphs that own them, asked for over
// HTTP. The selections mirror the @requires on Storefront.paymentOptions, so a
// root-field answer and a federated one feed the checkout rule the same input.
import { badUserInput, SubgraphClient } from '@interop/kit';
import type { AcceptanceFacts, StorefrontFacts } from '@interop/domain';

export interface CheckoutFacts {
  acceptances: AcceptanceFacts[];
  /** Null when the merchant has no storefront on the platform. */
  storefront: StorefrontFacts | null;
}

interface PlatformEntity {
  acceptedPaymentTools: { tool: { id: string }; status: AcceptanceFacts['status']; requiresMerchantOptIn: boolean; checkoutRank: number }[];
}

interface MerchantEntity {
  status: StorefrontFacts['merchantStatus'];
  eligible: boolean;
  storefront: { enrolledTools: { id: string }[] } | null;
}

export class PeerFacts {
  constructor(
    private readonly commerce: SubgraphClient,
    private readonly merchants: SubgraphClient,
  ) {}

  /** Both owners are asked at once; either failing fails the whole answer (DEPENDENCY_UNAVAILABLE). */
  /** `argumentPrefix` places the ids in the caller's input, e.g. `input.` for `input.platformId`. */
  async checkoutFacts(platformId: string, merchantId: string, argumentPrefix = ''): Promise<CheckoutFacts> {
    const [[platform], [merchant]] = await Promise.all([
      this.commerce.entities<PlatformEntity>(
        'Platform',
        [{ __typename: 'Platform', id: platformId }],
        'acceptedPaymentTools { tool { id } status requiresMerchantOptIn checkoutRank }',
      ),
      this.merchants.entities<MerchantEntity>(
        'Merchant',
        [{ __typename: 'Merchant', id: merchantId }],
        'status eligible storefront(platformId: $platformId) { enrolledTools { id } }',
        { platformId: { type: 'ID!', value: platformId } },
      ),
    ]);
    if (!platform) throw badUserInput(`${argumentPrefix}platformId`, `No platform has id ${platformId}.`);
    if (!merchant) throw badUserInput(`${argumentPrefix}merchantId`, `No merchant has id ${merchantId}.`);
    return {
      acceptances: platform.acceptedPaymentTools.map(toAcceptanceFacts),
      storefront: merchant.storefront
        ? {
            merchantStatus: merchant.status,
            merchantEligible: merchant.eligible,
            enrolledToolIds: merchant.storefront.enrolledTools.map((tool) => tool.id),
          }
        : null,
    };
  }
}

export function toAcceptanceFacts(acceptance: PlatformEntity['acceptedPaymentTools'][number]): AcceptanceFacts {
  return {
    toolId: acceptance.tool.id,
    status: acceptance.status,
    requiresMerchantOptIn: acceptance.requiresMerchantOptIn,
    checkoutRank: acceptance.checkoutRank,
  };
}
