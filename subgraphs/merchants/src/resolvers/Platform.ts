import type { PlatformResolvers } from '../__generated__/resolvers';
import { searchMerchants } from '../merchant-search';

export const Platform: PlatformResolvers = {
  // Commerce owns platforms; the gateway only sends ids it resolved there.
  __resolveReference: ({ id }) => ({ id }),
  merchants: ({ id }, args, context) => searchMerchants({ ...args, platformId: id, checkPlatform: false }, context),
};
