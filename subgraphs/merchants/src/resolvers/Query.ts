import type { QueryResolvers } from '../__generated__/resolvers';
import { searchMerchants } from '../merchant-search';

export const Query: QueryResolvers = {
  merchant: (_parent, { id }, { loaders }) => loaders.merchant.load(id),
  merchants: (_parent, args, context) => searchMerchants({ ...args, checkPlatform: true }, context),
};
