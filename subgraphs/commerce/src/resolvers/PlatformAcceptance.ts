import type { PlatformAcceptanceResolvers } from '../__generated__/resolvers';
import { requirePlatform } from './require-platform';

export const PlatformAcceptance: PlatformAcceptanceResolvers = {
  platform: ({ platformId }, _args, { loaders }) => requirePlatform(loaders, platformId),
  tool: ({ toolId }) => ({ id: toolId }),
};
