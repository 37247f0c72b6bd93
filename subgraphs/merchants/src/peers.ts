// The facts the merchant search needs from their owners, over HTTP: whether a
// platform exists (commerce), each platform's rule for a tool (commerce) and
// whether the tool exists and takes payments (payments).
import { badUserInput, dependencyUnavailable } from '@interop/kit';
import type { SubgraphClient } from '@interop/kit/server';
import { toolReach, type AcceptanceStatus, type ToolReach } from '@interop/domain';
import { platformId as platformIdFragment, platformRuleForTool, toolAcceptedOn } from './peer-fragments/commerce';
import { toolOperationalStatus } from './peer-fragments/payments';

export class PeerFacts {
  constructor(
    private readonly commerce: SubgraphClient,
    private readonly payments: SubgraphClient,
  ) {}

  /** Fails with BAD_USER_INPUT on `argument` when commerce knows no such platform. */
  async assertPlatformExists(platformId: string, argument: string): Promise<void> {
    const [platform] = await this.commerce.entities(platformIdFragment, [{ __typename: 'Platform', id: platformId }]);
    if (!platform) throw badUserInput(argument, `No platform has id ${platformId}.`);
  }

  /**
   * The platform's rule for a tool, for a merchant opening it: null when the
   * platform has none. BAD_USER_INPUT when the tool does not exist.
   */
  async ruleForOptIn(platformId: string, toolId: string): Promise<{ status: AcceptanceStatus; requiresMerchantOptIn: boolean } | null> {
    const [[tool], [platform]] = await Promise.all([
      this.payments.entities(toolOperationalStatus, [{ __typename: 'PaymentTool', id: toolId }]),
      this.commerce.entities(platformRuleForTool, [{ __typename: 'Platform', id: platformId }], { toolId: { type: 'ID!', value: toolId } }),
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
      this.payments.entities(toolOperationalStatus, [{ __typename: 'PaymentTool', id: toolId }]),
      this.commerce.entities(toolAcceptedOn, [{ __typename: 'PaymentTool', id: toolId }]),
    ]);
    if (!tool) throw badUserInput('acceptsToolId', `No payment tool has id ${toolId}.`);
    // Commerce answers a null list only with an error, which has already failed the call; a bare null is as unusable.
    if (rules && !rules.acceptedOn) throw dependencyUnavailable('commerce', new Error(`Tool ${toolId} came without its rules`));
    if (tool.operationalStatus === 'SUSPENDED' || !rules?.acceptedOn) return { openToAll: [], openWithOptIn: [] };
    return toolReach(
      rules.acceptedOn
        .filter((rule) => onlyPlatformId === undefined || rule.platform.id === onlyPlatformId)
        .map((rule) => ({ ...rule, platformId: rule.platform.id, toolId })),
    );
  }
}
