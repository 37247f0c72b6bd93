import { requireMerchantScope } from '@interop/kit/security';
import type { MutationResolvers } from '../__generated__/resolvers';
import { closePaymentTool, openPaymentTool } from '../enrolments';

export const Mutation: MutationResolvers = {
  openPaymentTool: (_parent, args, context) => {
    requireMerchantScope(context.caller, args.merchantId);
    return openPaymentTool(args, context);
  },
  closePaymentTool: (_parent, args, context) => {
    requireMerchantScope(context.caller, args.merchantId);
    return closePaymentTool(args, context);
  },
};
