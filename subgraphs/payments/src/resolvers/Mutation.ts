import type { MutationResolvers } from '../__generated__/resolvers';

export const Mutation: MutationResolvers = {
  initiatePayment: (_parent, { input }, context) => context.payments.initiate(input, context.caller),
  cancelPayment: (_parent, { id, idempotencyKey }, { payments, caller }) => payments.cancel(id, idempotencyKey, caller),
  refundPayment: (_parent, { input }, { payments, caller }) => payments.refund(input, caller),
};
