import type { MutationResolvers } from '../__generated__/resolvers';
import { closePaymentTool, openPaymentTool } from '../enrolments';
import { requireOwnMerchant } from '../ownership';

export const Mutation: MutationResolvers = {
  openPaymentTool: (_parent, args, context) => {
    requireOwnMerchant(context.caller, args.merchantId);
    return openPaymentTool(args, context);
  },
  closePaymentTool: (_parent, args, context) => {
    requireOwnMerchant(context.caller, args.merchantId);
    return closePaymentTool(args, context);
  },
};
