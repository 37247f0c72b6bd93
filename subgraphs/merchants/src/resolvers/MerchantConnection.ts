import type { MerchantConnectionResolvers } from '../__generated__/resolvers';

export const MerchantConnection: MerchantConnectionResolvers = {
  // Counting scans every match, so it runs only when a client selects totalCount.
  totalCount: (connection) => connection.totalCount(),
};
