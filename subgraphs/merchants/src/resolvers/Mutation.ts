import type { MutationResolvers } from '../__generated__/resolvers';
import { closePaymentTool, openPaymentTool } from '../enrolments';

export const Mutation: MutationResolvers = {
  openPaymentTool: (_parent, args, context) => openPaymentTool(args, context),
  closePaymentTool: (_parent, args, context) => closePaymentTool(args, context),
};
