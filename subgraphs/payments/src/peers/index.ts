// The facts payments needs from the subgraphs that own them: platforms'
// checkout rules from commerce, merchants' status and opt-ins from merchants.
// With their fact events followed they are held in memory (kit's HeldFacts),
// else asked over HTTP for every checkout. A checkout through a root field
// reads both owners' facts here; Storefront.paymentOptions gets the merchant's
// through its @requires and reads only the platform's rules here.
import { badUserInput, dependencyUnavailable, type Logger } from '@interop/kit';
import type { SharedEventBusConfig } from '@interop/kit/events';
import { SubgraphClient, type SubgraphTrust } from '@interop/kit/server';
import { askedFacts, HeldFacts, heldFactsReport, ownerFactBuses, type FactsReader, type HeldFactsReport, type PeerUrl } from '@interop/kit/peers';
import type { AcceptanceFacts, StorefrontFacts } from '@interop/domain';
import { merchantFactsSource, type MerchantFacts } from './merchant-facts';
import { platformFactsSource, type PlatformFacts } from './platform-facts';

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
    private readonly stopFollowing: () => Promise<void> = async () => {},
  ) {}

  /** Each owner whose facts are held: how many, and how reads were answered. */
  held(): HeldFactsReport[] {
    return [...heldFactsReport('commerce', this.platforms), ...heldFactsReport('merchants', this.merchants)];
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

  /** The platform's checkout rules if they are held now, else undefined (nothing is asked). */
  heldCheckoutRules(platformId: string): AcceptanceFacts[] | undefined {
    return this.platforms.peek(platformId)?.acceptedPaymentTools;
  }

  /** The platform's checkout rules. Throws DEPENDENCY_UNAVAILABLE when commerce does not answer or knows no such platform. */
  async checkoutRules(platformId: string): Promise<AcceptanceFacts[]> {
    const platform = await this.platforms.get(platformId);
    if (!platform) throw dependencyUnavailable('commerce', new Error(`Platform ${platformId} is unknown to commerce`));
    return platform.acceptedPaymentTools;
  }
}

export interface PeerOptions {
  commerceUrl: PeerUrl;
  merchantsUrl: PeerUrl;
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
  const client = (name: string, url: PeerUrl) => new SubgraphClient({ name, url, timeoutMs: options.peerTimeoutMs, from });
  const platformSource = platformFactsSource(client('commerce', options.commerceUrl));
  const merchantSource = merchantFactsSource(client('merchants', options.merchantsUrl));
  if (!held) return new PeerFacts(askedFacts(platformSource), askedFacts(merchantSource));

  const buses = ownerFactBuses(held.facts, options.trust.signingSecret, held.logger);
  const platforms = new HeldFacts({ owner: 'commerce', type: 'Platform', source: platformSource, bus: buses.of(options.commerceUrl), max: PLATFORMS_HELD, logger: held.logger });
  const merchants = new HeldFacts({
    owner: 'merchants',
    type: 'Merchant',
    source: merchantSource,
    bus: buses.of(options.merchantsUrl),
    max: held.merchantsAtMost ?? MERCHANTS_HELD,
    logger: held.logger,
  });
  return new PeerFacts(platforms, merchants, async () => {
    platforms.stop();
    merchants.stop();
    await buses.close();
  });
}

export type { MerchantFacts } from './merchant-facts';
export type { PlatformFacts } from './platform-facts';
