import type { MerchantResolvers } from '../__generated__/resolvers';

export const Merchant: MerchantResolvers = {
  __resolveReference: ({ id }, { loaders }) => loaders.merchant.load(id),
  storefronts: ({ id }, _args, { loaders }) => loaders.storefrontsByMerchant.load(id),
  storefront: ({ id }, { platformId }, { loaders }) => loaders.storefront.load({ merchantId: id, platformId }),
};
