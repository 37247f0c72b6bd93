// Turns the owners' facts into checkout options with the shared rule, adding
// the one fact payments owns: whether each tool is taking payments.
import { effectiveOptions, type AcceptanceFacts, type StorefrontFacts } from '@interop/domain';
import type { PaymentsLoaders } from './loaders';
import type { PaymentOptionRow } from './store/types';

export async function checkoutOptions(
  loaders: PaymentsLoaders,
  acceptances: readonly AcceptanceFacts[],
  storefront: StorefrontFacts,
): Promise<PaymentOptionRow[]> {
  const tools = await loaders.tool.loadMany(acceptances.map((acceptance) => acceptance.toolId));
  const operational = new Set<string>();
  for (const tool of tools) {
    if (tool instanceof Error) throw tool;
    if (tool && tool.operationalStatus !== 'SUSPENDED') operational.add(tool.id);
  }
  return effectiveOptions(acceptances, storefront, (toolId) => operational.has(toolId));
}
