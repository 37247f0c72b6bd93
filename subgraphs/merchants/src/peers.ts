// The facts the merchant search needs from their owners, over HTTP: whether a
// platform exists (commerce), each platform's rule for a tool (commerce) and
// whether the tool exists and takes payments (payments).
import { badUserInput, type SubgraphClient } from '@interop/kit';
import { toolReach, type AcceptanceStatus, type ToolReach } from '@interop/domain';

interface ToolAcceptances {
  acceptedOn: { platform: { id: string }; status: AcceptanceStatus; requiresMerchantOptIn: boolean; checkoutRank: number }[];
}

export class PeerFacts {
  constructor(
    private readonly commerce: SubgraphClient,
    private readonly payments: SubgraphClient,
  ) {}

  /** Fails with BAD_USER_INPUT on `argument` when commerce knows no such platform. */
  async assertPlatformExists(platformId: string, argument: string): Promise<void> {
    const [platform] = await this.commerce.entities<{ id: string }>('Platform', [{ __typename: 'Platform', id: platformId }], 'id');
    if (!platform) throw badUserInput(argument, `No platform has id ${platformId}.`);
  }

  /**
   * The platform's rule for a tool, for a merchant opening it: null when the
   * platform has none. BAD_USER_INPUT when the tool does not exist.
   */
  async ruleForOptIn(platformId: string, toolId: string): Promise<{ status: AcceptanceStatus; requiresMerchantOptIn: boolean } | null> {
    const [[tool], [platform]] = await Promise.all([
      this.payments.entities<{ id: string }>('PaymentTool', [{ __typename: 'PaymentTool', id: toolId }], 'id'),
      this.commerce.entities<{ acceptance: { status: AcceptanceStatus; requiresMerchantOptIn: boolean } | null }>(
        'Platform',
        [{ __typename: 'Platform', id: platformId }],
        'acceptance(paymentToolId: $toolId) { status requiresMerchantOptIn }',
        { toolId: { type: 'ID!', value: toolId } },
      ),
    ]);
    if (!tool) throw badUserInput('paymentToolId', `No payment tool has id ${toolId}.`);
    return platform?.acceptance ?? null;
  }

  /**
   * Where a buyer may pay with the tool now, as platform lists the store can
   * filter on; `onlyPlatformId` narrows it to one platform.
   */
  async reachOfTool(toolId: string, onlyPlatformId?: string): Promise<ToolReach> {
    const [[tool], [rules]] = await Promise.all([
      this.payments.entities<{ operationalStatus: string }>('PaymentTool', [{ __typename: 'PaymentTool', id: toolId }], 'operationalStatus'),
      this.commerce.entities<ToolAcceptances>(
        'PaymentTool',
        [{ __typename: 'PaymentTool', id: toolId }],
        'acceptedOn { platform { id } status requiresMerchantOptIn checkoutRank }',
      ),
    ]);
    if (!tool) throw badUserInput('acceptsToolId', `No payment tool has id ${toolId}.`);
    if (tool.operationalStatus === 'SUSPENDED' || !rules) return { openToAll: [], openWithOptIn: [] };
    return toolReach(
      rules.acceptedOn
        .filter((rule) => onlyPlatformId === undefined || rule.platform.id === onlyPlatformId)
        .map((rule) => ({ ...rule, platformId: rule.platform.id, toolId })),
    );
  }
}
