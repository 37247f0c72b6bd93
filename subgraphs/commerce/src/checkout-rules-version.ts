// A platform's checkout rules named by their content. Payments requires this
// digest on Storefront.paymentOptions instead of the rules themselves: the
// rules are the same for every storefront of a platform, so sending them with
// each of a page's hundred storefronts cost the gateway and payments tens of
// kilobytes to write and parse per page, while a digest lets payments keep
// each version of the rules it has seen and still see a changed rule on the
// very next request (a changed rule is a new digest).
import { createHash } from 'node:crypto';
import type { AcceptanceRow } from './store/types';

// Keyed by the rows the store answered: the same rules are digested once, not per request.
const digests = new WeakMap<readonly AcceptanceRow[], string>();

/** What the checkout rule reads of each rule (tool, status, opt-in, rank), digested in the order served. */
export function checkoutRulesVersion(rules: readonly AcceptanceRow[]): string {
  let digest = digests.get(rules);
  if (digest === undefined) {
    const facts = rules.map((rule) => [rule.toolId, rule.status, rule.requiresMerchantOptIn, rule.checkoutRank]);
    digest = createHash('sha256').update(JSON.stringify(facts)).digest('base64url').slice(0, 22);
    digests.set(rules, digest);
  }
  return digest;
}
