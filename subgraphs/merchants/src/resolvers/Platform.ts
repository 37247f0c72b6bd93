import type { PlatformResolvers } from '../__generated__/resolvers';
import { asksForStorefronts, searchMerchants } from '../merchant-search';

export const Platform: PlatformResolvers = {
  // Commerce owns platforms; the gateway only sends ids it resolved there.
  __resolveReference: ({ id }) => ({ id }),
  // Asked only where Storefront.platform provides it.
  name: ({ id }, _args, { peers }) => peers.platformName(id),
  merchants: ({ id }, args, context, info) =>
    searchMerchants({ ...args, platformId: id, checkPlatform: false, withStorefronts: asksForStorefronts(info) }, context),
};
