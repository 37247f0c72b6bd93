import type { PaymentOptionResolvers } from '../__generated__/resolvers';

export const PaymentOption: PaymentOptionResolvers = {
  tool: async ({ toolId }, _args, { loaders }) => {
    const tool = await loaders.tool.load(toolId);
    // Options are built only from tools found in the store, so a miss is a bug.
    if (!tool) throw new Error(`Payment option names unknown tool ${toolId}`);
    return tool;
  },
};
