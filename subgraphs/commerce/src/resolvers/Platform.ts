import type { PlatformResolvers } from '../__generated__/resolvers';

export const Platform: PlatformResolvers = {
  __resolveReference: ({ id }, { loaders }) => loaders.platform.load(id),
  acceptedPaymentTools: ({ id }, _args, { loaders }) => loaders.acceptancesByPlatform.load(id),
  acceptance: async ({ id }, { paymentToolId }, { loaders }) =>
    (await loaders.acceptancesByPlatform.load(id)).find((row) => row.toolId === paymentToolId) ?? null,
  hosts: ({ id }, _args, { loaders }) => loaders.listingsByHost.load(id),
  listedOn: ({ id }, _args, { loaders }) => loaders.listingsByService.load(id),
};
