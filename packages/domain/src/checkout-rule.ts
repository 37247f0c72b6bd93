// The one rule that decides whether a buyer at merchant M on platform P may pay
// with tool T. Every place that answers that question (a storefront's payment
// options, checkoutOptions, the merchant search by accepted tool) calls into
// this module, so they cannot disagree.

export type AcceptanceStatus = 'ANNOUNCED' | 'PILOT' | 'ROLLING_OUT' | 'LIVE' | 'SUSPENDED';
export type MerchantStatus = 'ACTIVE' | 'SUSPENDED';

/** A platform's rule for one tool, as the commerce subgraph states it. */
export interface AcceptanceFacts {
  toolId: string;
  status: AcceptanceStatus;
  requiresMerchantOptIn: boolean;
  checkoutRank: number;
}

/** What the merchants subgraph knows about the merchant's storefront on that platform. */
export interface StorefrontFacts {
  merchantStatus: MerchantStatus;
  /** Meets both the platform's and the tool provider's rules for opening a tool itself. */
  merchantEligible: boolean;
  /** Tools the merchant has opened on this platform. */
  enrolledToolIds: readonly string[];
}

/** Whether the payments subgraph can take payments with the tool right now. */
export type ToolIsOperational = (toolId: string) => boolean;

export interface EffectiveOption {
  toolId: string;
  rank: number;
  isDefault: boolean;
}

/**
 * Statuses under which a platform takes payments with a tool. A rollout covers
 * the merchants it reaches: where the rule asks for opt-in, those that opened
 * the tool; otherwise every merchant on the platform.
 */
const CHECKOUT_STATUSES: ReadonlySet<AcceptanceStatus> = new Set(['LIVE', 'ROLLING_OUT']);

export function isOpenForCheckout(status: AcceptanceStatus): boolean {
  return CHECKOUT_STATUSES.has(status);
}

/**
 * Whether a merchant with these facts may take payments with a tool under this
 * rule, ignoring the tool's own operational state. Eligibility matters only
 * where the merchant has to open the tool itself: it is the condition for
 * opening, and a merchant that lost it loses what it opened.
 */
export function merchantMayUse(acceptance: AcceptanceFacts, storefront: StorefrontFacts): boolean {
  if (!isOpenForCheckout(acceptance.status)) return false;
  if (storefront.merchantStatus !== 'ACTIVE') return false;
  if (!acceptance.requiresMerchantOptIn) return true;
  return storefront.merchantEligible && storefront.enrolledToolIds.includes(acceptance.toolId);
}

/** The effective checkout options, best rank first; the first one is the default. */
export function effectiveOptions(
  acceptances: readonly AcceptanceFacts[],
  storefront: StorefrontFacts,
  isOperational: ToolIsOperational,
): EffectiveOption[] {
  return acceptances
    .filter((acceptance) => merchantMayUse(acceptance, storefront) && isOperational(acceptance.toolId))
    .sort((a, b) => a.checkoutRank - b.checkoutRank || a.toolId.localeCompare(b.toolId))
    .map((acceptance, index) => ({ toolId: acceptance.toolId, rank: acceptance.checkoutRank, isDefault: index === 0 }));
}

/**
 * The merchant-side condition of the rule for one tool across platforms, in a
 * form a store can turn into one indexed query: which platforms take the tool
 * from every active merchant, and which only from eligible merchants that
 * opened it.
 */
export interface ToolReach {
  openToAll: string[];
  openWithOptIn: string[];
}

export function toolReach(acceptances: readonly (AcceptanceFacts & { platformId: string })[]): ToolReach {
  const reach: ToolReach = { openToAll: [], openWithOptIn: [] };
  for (const acceptance of acceptances) {
    if (!isOpenForCheckout(acceptance.status)) continue;
    (acceptance.requiresMerchantOptIn ? reach.openWithOptIn : reach.openToAll).push(acceptance.platformId);
  }
  return reach;
}
