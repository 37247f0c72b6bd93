import type { RefundResolvers } from '../__generated__/resolvers';

export const Refund: RefundResolvers = {
  payment: async ({ paymentId }, _args, { loaders }) => {
    const payment = await loaders.payment.load(paymentId);
    // A refund row references its payment (foreign key), so a miss is a bug.
    if (!payment) throw new Error(`Refund of unknown payment ${paymentId}`);
    return payment;
  },
  amount: ({ amountMinor, currency }) => ({ amountMinor, currency }),
};
