import type { MutationResolvers } from '../__generated__/resolvers';

export const Mutation: MutationResolvers = {
  initiatePayment: (_parent, { input }, context) => context.payments.initiate(input, context),
  cancelPayment: (_parent, { id, idempotencyKey }, { payments }) => payments.cancel(id, idempotencyKey),
  refundPayment: (_parent, { input }, { payments }) => payments.refund(input),
};
