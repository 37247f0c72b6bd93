import type { UnavailableOptionResolvers } from '../__generated__/resolvers';
import { optionTool } from './PaymentOption';

export const UnavailableOption: UnavailableOptionResolvers = {
  tool: ({ toolId, tool }, _args, { loaders }) => tool ?? optionTool(toolId, loaders),
};
