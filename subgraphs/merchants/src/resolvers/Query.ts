import type { QueryResolvers } from '../__generated__/resolvers';
import { asksForStorefronts, searchMerchants } from '../merchant-search';

export const Query: QueryResolvers = {
  platform: (_parent, { id }, { peers }) => peers.platform(id),
  merchant: (_parent, { id }, { loaders }) => loaders.merchant.load(id),
  merchants: (_parent, args, context, info) => searchMerchants({ ...args, checkPlatform: true, withStorefronts: asksForStorefronts(info) }, context),
};
