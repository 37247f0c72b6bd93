// Turns the owners' facts into a checkout with the shared rule, adding what
// payments owns: every tool, whether it is taking payments, its limits and its
// channels. checkoutOptions, Storefront.paymentOptions, checkout and
// initiatePayment all come through here.
import { decideCheckout, type AcceptanceFacts, type CheckoutContext, type StorefrontFacts, type ToolFacts } from '@interop/domain';
import type { Channel, CheckoutRow, NextActionType, PaymentOptionRow, PaymentToolRow } from './store/types';

export function toolFacts(tool: PaymentToolRow): ToolFacts {
  return {
    toolId: tool.id,
    operational: tool.operationalStatus !== 'SUSPENDED',
    perPaymentMinMinor: tool.perPaymentMinMinor,
    perPaymentMaxMinor: tool.perPaymentMaxMinor,
    channels: tool.channels,
  };
}

/** Where a checkout reads the tool catalogue: a request's loaders, or the store. */
export interface ToolCatalogue {
  catalogue(): Promise<readonly PaymentToolRow[]>;
}

/**
 * What the rule reads of a catalogue, and its tools by id, derived once per
 * catalogue a request loaded; and the options already decided with it, by the
 * rules and the storefront's facts (a page's hundred storefronts share a few
 * combinations of status, eligibility and opt-ins).
 */
interface CatalogueFacts {
  facts: ToolFacts[];
  byId: ReadonlyMap<string, PaymentToolRow>;
  optionsByRules: WeakMap<readonly AcceptanceFacts[], Map<string, PaymentOptionRow[]>>;
}
const catalogueFacts = new WeakMap<readonly PaymentToolRow[], CatalogueFacts>();

function factsOf(catalogue: readonly PaymentToolRow[]): CatalogueFacts {
  let derived = catalogueFacts.get(catalogue);
  if (!derived) {
    derived = { facts: catalogue.map(toolFacts), byId: new Map(catalogue.map((tool) => [tool.id, tool])), optionsByRules: new WeakMap() };
    catalogueFacts.set(catalogue, derived);
  }
  return derived;
}

/** Everything of a storefront's facts the rule reads without an amount or channel. */
const storefrontKey = (storefront: StorefrontFacts | null) =>
  storefront ? `${storefront.merchantStatus}\n${storefront.merchantEligible}\n${storefront.enrolledToolIds.join(',')}` : '';

// Each option carries its tool, so `tool` on hundreds of options is a field read, not a load each.
const withTools = <Option extends { toolId: string }>(options: readonly Option[], byId: CatalogueFacts['byId']) =>
  options.map((option) => ({ ...option, tool: byId.get(option.toolId) }));

/** The checkout at one storefront; a null storefront (the merchant does not sell there) makes every tool unavailable. */
export async function checkout(
  tools: ToolCatalogue,
  acceptances: readonly AcceptanceFacts[],
  storefront: StorefrontFacts | null,
  checkoutContext: CheckoutContext = {},
): Promise<CheckoutRow> {
  const { facts, byId } = factsOf(await tools.catalogue());
  const decision = decideCheckout(acceptances, storefront, facts, checkoutContext);
  return { available: withTools(decision.available, byId), unavailable: withTools(decision.unavailable, byId) };
}

/**
 * The options with no amount and no channel: exactly `checkout(...).available`.
 * A page asks this of a hundred storefronts with one catalogue, so what the
 * catalogue gives the rule is derived once for all of them, and each
 * combination of rules and storefront facts is decided once.
 */
export function checkoutOptions(tools: ToolCatalogue, acceptances: readonly AcceptanceFacts[], storefront: StorefrontFacts | null): Promise<PaymentOptionRow[]> {
  // A step of a promise, not an async function: a page calls this for each of a hundred storefronts.
  return tools.catalogue().then((catalogue) => optionsDecided(catalogue, acceptances, storefront));
}

function optionsDecided(catalogue: readonly PaymentToolRow[], acceptances: readonly AcceptanceFacts[], storefront: StorefrontFacts | null): PaymentOptionRow[] {
  const derived = factsOf(catalogue);
  let decided = derived.optionsByRules.get(acceptances);
  if (!decided) {
    decided = new Map();
    derived.optionsByRules.set(acceptances, decided);
  }
  const key = storefrontKey(storefront);
  let options = decided.get(key);
  if (!options) {
    options = withTools(decideCheckout(acceptances, storefront, derived.facts).available, derived.byId);
    decided.set(key, options);
  }
  // Each caller gets its own list; the options in it are shared and never changed.
  return [...options];
}

/**
 * The next action a payment with the tool takes on `channel`. Without a
 * channel: the tool's action on WEB where it works on the web, else on its
 * first channel. Null when the tool does not work on `channel` (the checkout
 * rule refuses that first).
 */
export function nextActionOn(tool: PaymentToolRow, channel: Channel | null): NextActionType | null {
  if (channel) return tool.channels.find((entry) => entry.channel === channel)?.nextActionType ?? null;
  return (tool.channels.find((entry) => entry.channel === 'WEB') ?? tool.channels[0])?.nextActionType ?? null;
}
