import type { QueryResolvers } from '../__generated__/resolvers';

export const Query: QueryResolvers = {
  platforms: (_parent, _args, { store }) => store.listPlatforms(),
  platform: (_parent, { id }, { loaders }) => loaders.platform.load(id),
};
