// The facts payments needs from the subgraphs that own them: platforms'
// checkout rules from commerce, merchants' status and opt-ins from merchants.
// With their fact events followed they are held in memory (held-facts), else
// asked over HTTP for every checkout. They mirror the @requires on
// Storefront.paymentOptions; the platform's rules, which that @requires names
// only by their version, are kept by version too, so a root-field answer and
// a federated one feed the checkout rule the same input.
import { badUserInput, dependencyUnavailable, type Logger } from '@interop/kit';
import { FACT_EVENTS_CHANNEL, FACT_EVENTS_PATH, followSubgraphStream, openSharedEventBus, type EventBus, type SharedEventBusConfig } from '@interop/kit/events';
import { SubgraphClient, type SubgraphTrust } from '@interop/kit/server';
import type { AcceptanceFacts, StorefrontFacts } from '@interop/domain';
import { askedFacts, HeldFacts, type FactsReader, type HeldFactsCounts } from './held-facts';
import { merchantFactsSource, type MerchantFacts } from './merchant-facts';
import { platformFactsSource, RulesByVersion, type PlatformFacts } from './platform-facts';

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

export class PeerFacts {
  constructor(
    private readonly platforms: FactsReader<PlatformFacts>,
    private readonly merchants: FactsReader<MerchantFacts>,
    private readonly rulesByVersion: RulesByVersion,
    private readonly stopFollowing: () => Promise<void> = async () => {},
  ) {}

  /** Each owner whose facts are held: how many, and how reads were answered. */
  held(): { owner: string; size: number; reads: HeldFactsCounts }[] {
    const readers = [
      ['commerce', this.platforms],
      ['merchants', this.merchants],
    ] as const;
    return readers.flatMap(([owner, reader]) => (reader instanceof HeldFacts ? [{ owner, size: reader.size, reads: reader.reads }] : []));
  }

  /** Stops following the owners' fact events; reads ask the owners from then on. */
  stop(): Promise<void> {
    return this.stopFollowing();
  }

  /**
   * Both owners' facts at once; either failing fails the whole answer
   * (DEPENDENCY_UNAVAILABLE). `argumentPrefix` places the ids in the caller's
   * input, e.g. `input.` for `input.platformId`.
   */
  async checkoutFacts(platformId: string, merchantId: string, argumentPrefix = ''): Promise<CheckoutFacts> {
    const [platform, found] = await Promise.all([this.platforms.get(platformId), this.merchants.get(merchantId)]);
    if (!platform) throw badUserInput(`${argumentPrefix}platformId`, `No platform has id ${platformId}.`);
    if (!found) throw badUserInput(`${argumentPrefix}merchantId`, `No merchant has id ${merchantId}.`);
    const enrolledToolIds = found.enrolledToolIds.get(platformId);
    return {
      acceptances: platform.acceptedPaymentTools,
      storefront: enrolledToolIds ? { merchantStatus: found.status, merchantEligible: found.eligible, enrolledToolIds } : null,
      names: { platformName: platform.name ?? null, merchantName: found.name ?? null },
    };
  }

  /** The platform's and the merchant's names; null for one that is unknown. Throws DEPENDENCY_UNAVAILABLE. */
  async displayNames(platformId: string, merchantId: string): Promise<DisplayNames> {
    const [platform, found] = await Promise.all([this.platforms.get(platformId), this.merchants.get(merchantId)]);
    return { platformName: platform?.name ?? null, merchantName: found?.name ?? null };
  }

  /**
   * The platform's rules at `version`, as kept from an earlier answer of
   * commerce's or else asked of it now (a version never seen is newer than
   * what is held). Rules commerce changed since the version was read are
   * newer, not wrong: those are answered.
   */
  async checkoutRules(platformId: string, version: string): Promise<AcceptanceFacts[]> {
    const kept = this.rulesByVersion.get(platformId, version);
    if (kept) return kept;
    const platform = await this.platforms.fresh(platformId);
    if (!platform) throw dependencyUnavailable('commerce', new Error(`Platform ${platformId} is unknown to commerce`));
    return platform.acceptedPaymentTools;
  }
}

/** A URL, or a function giving it when it is known only after start (tests on port 0). */
export type Url = string | (() => string);

export interface PeerOptions {
  commerceUrl: Url;
  merchantsUrl: Url;
  peerTimeoutMs: number;
  trust: SubgraphTrust;
}

export interface HeldPeerOptions {
  /** Where commerce and merchants announce their fact events: the shared bus configured so, else each one's own stream. */
  facts: Partial<SharedEventBusConfig>;
  /** Merchants' facts are held for at most this many (200,000 unless given); a checkout at one not held asks merchants. */
  merchantsAtMost?: number;
  logger: Logger;
}

/** Platforms are a handful. */
const PLATFORMS_HELD = 1_000;
const MERCHANTS_HELD = 200_000;

/** The peers' facts, asked for every checkout; with `held`, held while their owners' fact events are heard. */
export function createPeerFacts(options: PeerOptions, held?: HeldPeerOptions): PeerFacts {
  const from = { name: 'payments', signingSecret: options.trust.signingSecret };
  const client = (name: string, url: Url) => new SubgraphClient({ name, url, timeoutMs: options.peerTimeoutMs, from });
  const rulesByVersion = new RulesByVersion();
  const platformSource = platformFactsSource(client('commerce', options.commerceUrl), rulesByVersion);
  const merchantSource = merchantFactsSource(client('merchants', options.merchantsUrl));
  if (!held) return new PeerFacts(askedFacts(platformSource), askedFacts(merchantSource), rulesByVersion);

  const shared = openSharedEventBus({ ...held.facts, channel: held.facts.channel ?? FACT_EVENTS_CHANNEL }, held.logger);
  const busOf = (url: Url): EventBus =>
    shared ?? followSubgraphStream({ subgraphUrl: () => knownUrl(url), path: FACT_EVENTS_PATH, secret: options.trust.signingSecret }, held.logger);
  const commerceBus = busOf(options.commerceUrl);
  const merchantsBus = busOf(options.merchantsUrl);
  const platforms = new HeldFacts({ owner: 'commerce', type: 'Platform', source: platformSource, bus: commerceBus, max: PLATFORMS_HELD, logger: held.logger });
  const merchants = new HeldFacts({ owner: 'merchants', type: 'Merchant', source: merchantSource, bus: merchantsBus, max: held.merchantsAtMost ?? MERCHANTS_HELD, logger: held.logger });
  return new PeerFacts(platforms, merchants, rulesByVersion, async () => {
    platforms.stop();
    merchants.stop();
    await Promise.all([...new Set([commerceBus, merchantsBus])].map((bus) => bus.close()));
  });
}

/** The URL, or undefined while it is not known (a peer that has not started yet on a port of the OS's choosing). */
function knownUrl(url: Url): string | undefined {
  try {
    return typeof url === 'string' ? url : url();
  } catch {
    return undefined;
  }
}

export type { MerchantFacts } from './merchant-facts';
export type { PlatformFacts } from './platform-facts';
