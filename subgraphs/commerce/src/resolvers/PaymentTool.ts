import type { PaymentToolResolvers } from '../__generated__/resolvers';

export const PaymentTool: PaymentToolResolvers = {
  // Commerce knows only the id; the payments subgraph resolves the rest.
  __resolveReference: ({ id }) => ({ id }),
  acceptedOn: ({ id }, _args, { loaders }) => loaders.acceptancesByTool.load(id),
};
