import type { PaymentOptionResolvers } from '../__generated__/resolvers';
import type { PaymentsLoaders } from '../loaders';
import type { PaymentToolRow } from '../store/types';

/** A tool an option was built from: options come only from tools found in the store, so a miss is a bug. */
export async function optionTool(toolId: string, loaders: PaymentsLoaders): Promise<PaymentToolRow> {
  const tool = await loaders.tool.load(toolId);
  if (!tool) throw new Error(`Payment option names unknown tool ${toolId}`);
  return tool;
}

export const PaymentOption: PaymentOptionResolvers = {
  tool: ({ toolId, tool }, _args, { loaders }) => tool ?? optionTool(toolId, loaders),
};
