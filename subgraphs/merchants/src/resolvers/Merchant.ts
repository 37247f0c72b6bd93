import { selectsPath } from '@interop/kit/server';
import type { MerchantResolvers } from '../__generated__/resolvers';

export const Merchant: MerchantResolvers = {
  // A reference whose selection reaches its storefronts reads them with the merchant, in one statement.
  __resolveReference: ({ id }, { loaders }, info) => (selectsPath(info, ['storefronts']) ? loaders.merchantWithStorefronts : loaders.merchant).load(id),
  storefronts: ({ id }, _args, { loaders }) => loaders.storefrontsByMerchant.held(id) ?? loaders.storefrontsByMerchant.load(id),
  storefront: ({ id }, { platformId }, { loaders }) => loaders.storefront.load({ merchantId: id, platformId }),
};
