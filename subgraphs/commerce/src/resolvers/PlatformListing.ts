import type { PlatformListingResolvers } from '../__generated__/resolvers';
import { requirePlatform } from './require-platform';

export const PlatformListing: PlatformListingResolvers = {
  host: ({ hostId }, _args, { loaders }) => requirePlatform(loaders, hostId),
  service: ({ serviceId }, _args, { loaders }) => requirePlatform(loaders, serviceId),
};
