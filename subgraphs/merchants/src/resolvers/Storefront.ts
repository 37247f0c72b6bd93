import { requireMerchantScope } from '@interop/kit/security';
import type { StorefrontResolvers } from '../__generated__/resolvers';
import { parseStorefrontId } from '../store/storefront-id';

export const Storefront: StorefrontResolvers = {
  __resolveReference: ({ id }, { loaders }) => {
    const key = parseStorefrontId(id);
    return key ? loaders.storefront.load(key) : null;
  },
  platform: ({ platformId }) => ({ id: platformId }),
  // What the request already read is answered at once (see loaders); the rest is loaded.
  merchant: ({ merchantId }, _args, { loaders }) => loaders.merchant.held(merchantId) ?? loaders.merchant.load(merchantId).then((merchant) => existing(merchant, merchantId)),
  enrolledTools: (storefront, _args, { loaders }) => {
    const held = loaders.enrolledToolIds.held(storefront);
    return held ? toolRefs(held) : loaders.enrolledToolIds.load(storefront).then(toolRefs);
  },
  enrolments: (storefront, _args, { loaders, caller }) => {
    requireMerchantScope(caller, storefront.merchantId);
    return loaders.enrolments.load(storefront);
  },
};

const toolRefs = (ids: readonly string[]) => ids.map((id) => ({ id }));

/** A storefront row exists only with its merchant (foreign key), so a miss is a bug. */
function existing<T>(merchant: T | null, merchantId: string): T {
  if (!merchant) throw new Error(`Storefront of unknown merchant ${merchantId}`);
  return merchant;
}
