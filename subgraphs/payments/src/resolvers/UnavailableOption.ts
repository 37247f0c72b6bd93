import type { UnavailableOptionResolvers } from '../__generated__/resolvers';
import { optionTool } from './PaymentOption';

export const UnavailableOption: UnavailableOptionResolvers = {
  tool: ({ toolId }, _args, { loaders }) => optionTool(toolId, loaders),
};
