import type { QueryResolvers } from '../__generated__/resolvers';
import { checkoutOptions } from '../checkout';

export const Query: QueryResolvers = {
  paymentTools: (_parent, _args, { store }) => store.listTools(),
  paymentTool: (_parent, { id }, { loaders }) => loaders.tool.load(id),
  payment: (_parent, { id }, { loaders }) => loaders.payment.load(id),
  checkoutOptions: async (_parent, { platformId, merchantId }, { peers, loaders }) => {
    const facts = await peers.checkoutFacts(platformId, merchantId);
    return facts.storefront ? checkoutOptions(loaders, facts.acceptances, facts.storefront) : [];
  },
};
