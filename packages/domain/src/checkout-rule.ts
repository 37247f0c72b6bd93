// The one rule that decides whether a buyer at merchant M on platform P may pay
// with tool T, and when not, why. Every place that answers that question (the
// checkout with its reasons, checkoutOptions, a storefront's payment options,
// initiatePayment, the merchant search by accepted tool) calls into this
// module, so they cannot disagree.

export type AcceptanceStatus = 'ANNOUNCED' | 'PILOT' | 'ROLLING_OUT' | 'LIVE' | 'SUSPENDED';
export type MerchantStatus = 'ACTIVE' | 'SUSPENDED';
export type Channel = 'APP' | 'MINI_PROGRAM' | 'WEB' | 'H5';
export type NextActionType = 'REDIRECT' | 'QR_CODE';

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
  /** Tools the merchant has opened on this platform whose enrolment is ACTIVE (requested or closed ones do not count). */
  enrolledToolIds: readonly string[];
}

/** Whether the payments subgraph can take payments with the tool right now. */
export type ToolIsOperational = (toolId: string) => boolean;

/** What the payments subgraph knows about one tool. */
export interface ToolFacts {
  toolId: string;
  /** False when the tool is not taking payments (suspended). */
  operational: boolean;
  perPaymentMinMinor: number;
  perPaymentMaxMinor: number;
  /** The channels the tool works in and the next action it takes in each. */
  channels: readonly { channel: Channel; nextActionType: NextActionType }[];
}

/** What the buyer is about to do: both optional; without them nothing is filtered by amount or channel. */
export interface CheckoutContext {
  amountMinor?: number | null | undefined;
  channel?: Channel | null | undefined;
}

export interface EffectiveOption {
  toolId: string;
  rank: number;
  isDefault: boolean;
}

export type UnavailableReason =
  | 'PLATFORM_NOT_ACCEPTING'
  | 'NOT_YET_LIVE'
  | 'TOOL_UNAVAILABLE'
  | 'MERCHANT_SUSPENDED'
  | 'MERCHANT_INELIGIBLE'
  | 'MERCHANT_NOT_OPTED_IN'
  | 'CHANNEL_NOT_SUPPORTED'
  | 'UNDER_LIMIT'
  | 'OVER_LIMIT';

export interface Unavailability {
  reason: UnavailableReason;
  /** One sentence for people; clients branch on `reason`. */
  detail: string;
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

/** Everything one tool's verdict depends on. `acceptance` is undefined where the platform has no rule for the tool. */
interface ToolCase {
  acceptance: AcceptanceFacts | undefined;
  /** Null when the merchant has no storefront on the platform. */
  storefront: StorefrontFacts | null;
  operational: boolean;
  tool: Pick<ToolFacts, 'perPaymentMinMinor' | 'perPaymentMaxMinor' | 'channels'> | null;
  context: CheckoutContext;
}

interface Check {
  reason: UnavailableReason;
  /** A detail when the reason applies, null otherwise. */
  applies(facts: ToolCase): string | null;
}

const yuanFormat = new Intl.NumberFormat('zh-CN', { style: 'currency', currency: 'CNY' });
const yuan = (minor: number) => yuanFormat.format(minor / 100);

/**
 * The reasons in precedence order: a tool that is unavailable for several
 * reasons gets the first. The platform's rule comes first (without it nothing
 * else matters), then the tool's own state (down for everyone), then the
 * merchant (suspended before ineligible before not opted in, since each of
 * the earlier ones makes the later ones moot), then this checkout's channel
 * and amount (what the buyer could change).
 */
const CHECKS: readonly Check[] = [
  {
    reason: 'PLATFORM_NOT_ACCEPTING',
    applies: ({ acceptance, storefront }) => {
      if (!storefront) return 'The merchant does not sell on this platform, so the platform takes no payments for it.';
      if (!acceptance) return 'The platform has no checkout rule for this tool.';
      if (acceptance.status === 'SUSPENDED') return 'The platform accepted this tool before and has switched it off.';
      return null;
    },
  },
  {
    reason: 'NOT_YET_LIVE',
    applies: ({ acceptance }) =>
      acceptance && !isOpenForCheckout(acceptance.status)
        ? `The platform's rule for this tool is ${acceptance.status}: not open at checkout yet.`
        : null,
  },
  {
    reason: 'TOOL_UNAVAILABLE',
    applies: ({ operational }) => (operational ? null : 'The tool is not taking payments right now.'),
  },
  {
    reason: 'MERCHANT_SUSPENDED',
    applies: ({ storefront }) => (storefront?.merchantStatus === 'SUSPENDED' ? 'The merchant is suspended and cannot take payments.' : null),
  },
  {
    // Eligibility matters only where the merchant has to open the tool itself:
    // it is the condition for opening, and a merchant that lost it loses what it opened.
    reason: 'MERCHANT_INELIGIBLE',
    applies: ({ acceptance, storefront }) =>
      acceptance?.requiresMerchantOptIn && storefront && !storefront.merchantEligible
        ? 'The platform asks merchants to open this tool themselves, and this merchant does not meet the rules for opening it.'
        : null,
  },
  {
    reason: 'MERCHANT_NOT_OPTED_IN',
    applies: ({ acceptance, storefront }) =>
      acceptance?.requiresMerchantOptIn && storefront && !storefront.enrolledToolIds.includes(acceptance.toolId)
        ? 'The platform asks merchants to open this tool themselves, and this merchant has no active enrolment.'
        : null,
  },
  {
    reason: 'CHANNEL_NOT_SUPPORTED',
    applies: ({ tool, context: { channel } }) =>
      channel && tool && !tool.channels.some((supported) => supported.channel === channel)
        ? `The tool does not work on the ${channel} channel.`
        : null,
  },
  {
    reason: 'UNDER_LIMIT',
    applies: ({ tool, context: { amountMinor } }) =>
      amountMinor != null && tool && amountMinor < tool.perPaymentMinMinor
        ? `The amount is below the tool's per-payment minimum of ${yuan(tool.perPaymentMinMinor)}.`
        : null,
  },
  {
    reason: 'OVER_LIMIT',
    applies: ({ tool, context: { amountMinor } }) =>
      amountMinor != null && tool && amountMinor > tool.perPaymentMaxMinor
        ? `The amount is above the tool's per-payment maximum of ${yuan(tool.perPaymentMaxMinor)}.`
        : null,
  },
];

/** The reasons a tool can be unavailable, first to last: the first that applies is the one given. */
export const UNAVAILABLE_REASON_PRECEDENCE: readonly UnavailableReason[] = CHECKS.map((check) => check.reason);

/** The reasons about the platform's rule and the merchant: the part the merchant search filters on in SQL. */
const MERCHANT_SIDE: ReadonlySet<UnavailableReason> = new Set([
  'PLATFORM_NOT_ACCEPTING',
  'NOT_YET_LIVE',
  'MERCHANT_SUSPENDED',
  'MERCHANT_INELIGIBLE',
  'MERCHANT_NOT_OPTED_IN',
]);

function firstReason(facts: ToolCase, only?: ReadonlySet<UnavailableReason>): Unavailability | null {
  for (const check of CHECKS) {
    if (only && !only.has(check.reason)) continue;
    const detail = check.applies(facts);
    if (detail !== null) return { reason: check.reason, detail };
  }
  return null;
}

/**
 * Whether a merchant with these facts may take payments with a tool under this
 * rule, ignoring the tool's own state and the checkout's amount and channel:
 * no platform or merchant reason applies. The merchants subgraph's SQL filter
 * for `merchants(acceptsToolId:)` mirrors exactly this.
 */
export function merchantMayUse(acceptance: AcceptanceFacts, storefront: StorefrontFacts): boolean {
  return firstReason({ acceptance, storefront, operational: true, tool: null, context: {} }, MERCHANT_SIDE) === null;
}

export interface CheckoutOption extends EffectiveOption {
  /** The next action the tool takes on the requested channel; null when no channel was asked for. */
  nextActionType: NextActionType | null;
}

export interface UnavailableTool extends Unavailability {
  toolId: string;
}

export interface CheckoutDecision {
  /** Best rank first (ties by tool id); the first is the default. */
  available: CheckoutOption[];
  /** In the order of `tools`. */
  unavailable: UnavailableTool[];
}

const byRank = (a: AcceptanceFacts, b: AcceptanceFacts) => a.checkoutRank - b.checkoutRank || a.toolId.localeCompare(b.toolId);

/**
 * The checkout at one merchant on one platform: every tool in `tools` appears
 * exactly once, available or unavailable with the first reason that applies.
 * Rules for tools not in `tools` are ignored: payments does not know them.
 */
export function decideCheckout(
  acceptances: readonly AcceptanceFacts[],
  storefront: StorefrontFacts | null,
  tools: readonly ToolFacts[],
  context: CheckoutContext = {},
): CheckoutDecision {
  const ruleFor = new Map(acceptances.map((acceptance) => [acceptance.toolId, acceptance]));
  const open: { acceptance: AcceptanceFacts; tool: ToolFacts }[] = [];
  const unavailable: UnavailableTool[] = [];
  for (const tool of tools) {
    const acceptance = ruleFor.get(tool.toolId);
    const verdict = firstReason({ acceptance, storefront, operational: tool.operational, tool, context });
    if (verdict) unavailable.push({ toolId: tool.toolId, ...verdict });
    else if (acceptance) open.push({ acceptance, tool });
  }
  const available = open
    .sort((a, b) => byRank(a.acceptance, b.acceptance))
    .map(({ acceptance, tool }, index) => ({
      toolId: tool.toolId,
      rank: acceptance.checkoutRank,
      isDefault: index === 0,
      nextActionType: context.channel ? (tool.channels.find((c) => c.channel === context.channel)?.nextActionType ?? null) : null,
    }));
  return { available, unavailable };
}

/**
 * The effective checkout options with no amount and no channel, best rank
 * first; the first one is the default. Exactly `decideCheckout(...).available`
 * for the tools the rules name, with only their operational state known.
 */
export function effectiveOptions(
  acceptances: readonly AcceptanceFacts[],
  storefront: StorefrontFacts,
  isOperational: ToolIsOperational,
): EffectiveOption[] {
  const tools = acceptances.map((acceptance) => ({
    toolId: acceptance.toolId,
    operational: isOperational(acceptance.toolId),
    perPaymentMinMinor: 0,
    perPaymentMaxMinor: Number.MAX_SAFE_INTEGER,
    channels: [],
  }));
  return decideCheckout(acceptances, storefront, tools).available.map(({ toolId, rank, isDefault }) => ({ toolId, rank, isDefault }));
}

/**
 * The merchant-side condition of the rule for one tool across platforms, in a
 * form a store can turn into one indexed query: which platforms take the tool
 * from every active merchant, and which only from eligible merchants that
 * opened it (an ACTIVE enrolment).
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
