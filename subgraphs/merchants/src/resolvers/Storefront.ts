import { requireMerchantScope } from '@interop/kit/security';
import type { StorefrontResolvers } from '../__generated__/resolvers';
import { parseStorefrontId } from '../store/storefront-id';

export const Storefront: StorefrontResolvers = {
  __resolveReference: ({ id }, { loaders }) => {
    const key = parseStorefrontId(id);
    return key ? loaders.storefront.load(key) : null;
  },
  platform: ({ platformId }) => ({ id: platformId }),
  merchant: async ({ merchantId }, _args, { loaders }) => {
    const merchant = await loaders.merchant.load(merchantId);
    // A storefront row exists only with its merchant (foreign key), so a miss is a bug.
    if (!merchant) throw new Error(`Storefront of unknown merchant ${merchantId}`);
    return merchant;
  },
  enrolledTools: async (storefront, _args, { loaders }) => (await loaders.enrolledToolIds.load(storefront)).map((id) => ({ id })),
  enrolments: (storefront, _args, { loaders, caller }) => {
    requireMerchantScope(caller, storefront.merchantId);
    return loaders.enrolments.load(storefront);
  },
};
