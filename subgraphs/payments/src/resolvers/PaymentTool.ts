import type { PaymentToolResolvers } from '../__generated__/resolvers';
import type { PaymentToolRow } from '../store/types';

export const PaymentTool: PaymentToolResolvers = {
  __resolveReference: ({ id }, { loaders }) => loaders.tool.load(id),
  interoperatesWith: async ({ id }, _args, { loaders }) => {
    const tools = await loaders.tool.loadMany(await loaders.interoperatingToolIds.load(id));
    return tools.filter((tool): tool is PaymentToolRow => tool !== null && !(tool instanceof Error));
  },
  limits: (tool) => tool,
};
