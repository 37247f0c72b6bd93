// The facts merchants needs from their owners: platforms and their names
// (commerce), held in memory while commerce's fact events are heard (kit's
// HeldFacts) and asked of it otherwise; and, asked per request over HTTP, each
// platform's rule for a tool (commerce) and whether the tool exists and takes
// payments (payments).
import { badUserInput, dependencyUnavailable, type Logger } from '@interop/kit';
import type { SharedEventBusConfig } from '@interop/kit/events';
import { SubgraphClient, type SubgraphTrust } from '@interop/kit/server';
import { askedFacts, HeldFacts, heldFactsReport, listedEntities, ownerFactBuses, type FactsReader, type HeldFactsReport, type PeerUrl } from '@interop/kit/peers';
import { toolReach, type AcceptanceStatus, type ToolReach } from '@interop/domain';
import { platformName, platformNamesAll, platformRuleForTool, toolAcceptedOn } from './peer-fragments/commerce';
import { toolOperationalStatus } from './peer-fragments/payments';

/** What merchants holds of a platform: that it exists, and its display name (null where commerce has none). */
export interface PlatformFacts {
  name: string | null;
}

export class PeerFacts {
  constructor(
    private readonly platforms: FactsReader<PlatformFacts>,
    private readonly commerce: SubgraphClient,
    private readonly payments: SubgraphClient,
    private readonly stopFollowing: () => Promise<void> = async () => {},
  ) {}

  /** Commerce's facts as held: how many, and how reads were answered (none when they are asked each time). */
  held(): HeldFactsReport[] {
    return heldFactsReport('commerce', this.platforms);
  }

  /** Stops following commerce's fact events; reads ask it from then on. */
  stop(): Promise<void> {
    return this.stopFollowing();
  }

  /**
   * The platform's display name (Storefront.platform provides it): at once
   * when held, else asked of commerce. Null for a platform commerce does not
   * know. Rejects with DEPENDENCY_UNAVAILABLE as that request does.
   */
  platformName(platformId: string): string | null | Promise<string | null> {
    const held = this.platforms.peek(platformId);
    return held ? held.name : this.platforms.get(platformId).then((platform) => platform?.name ?? null);
  }

  /**
   * The platform, as the reference `Query.platform` answers (shared with
   * commerce, so a page of a platform's merchants starts here): null when
   * commerce knows no such platform. At once when held, else asked of commerce.
   */
  platform(platformId: string): { id: string } | null | Promise<{ id: string } | null> {
    if (this.platforms.peek(platformId)) return { id: platformId };
    return this.platforms.get(platformId).then((platform) => (platform ? { id: platformId } : null));
  }

  /** Fails with BAD_USER_INPUT on `argument` when commerce knows no such platform. */
  async assertPlatformExists(platformId: string, argument: string): Promise<void> {
    const platform = await this.platforms.get(platformId);
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

export interface PeerOptions {
  commerceUrl: PeerUrl;
  paymentsUrl: PeerUrl;
  peerTimeoutMs: number;
  trust: SubgraphTrust;
}

export interface HeldPeerOptions {
  /** Where commerce announces its fact events: the shared bus configured so, else its own stream. */
  facts: Partial<SharedEventBusConfig>;
  logger: Logger;
}

/** Platforms are a handful. */
const PLATFORMS_HELD = 1_000;

/** The peers' facts, asked of them; with `held`, commerce's platforms held while its fact events are heard. */
export function createPeerFacts(options: PeerOptions, held?: HeldPeerOptions): PeerFacts {
  const from = { name: 'merchants', signingSecret: options.trust.signingSecret };
  const commerce = new SubgraphClient({ name: 'commerce', url: options.commerceUrl, timeoutMs: options.peerTimeoutMs, from });
  const payments = new SubgraphClient({ name: 'payments', url: options.paymentsUrl, timeoutMs: options.peerTimeoutMs, from });
  const source = listedEntities(commerce, platformName, { query: platformNamesAll, field: 'platforms' }, (_id, platform): PlatformFacts => ({ name: platform.name }));
  if (!held) return new PeerFacts(askedFacts(source), commerce, payments);
  const buses = ownerFactBuses(held.facts, options.trust.signingSecret, held.logger);
  const platforms = new HeldFacts({ owner: 'commerce', type: 'Platform', source, bus: buses.of(options.commerceUrl), max: PLATFORMS_HELD, logger: held.logger });
  return new PeerFacts(platforms, commerce, payments, async () => {
    platforms.stop();
    await buses.close();
  });
}
