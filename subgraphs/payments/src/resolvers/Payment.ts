import type { PaymentResolvers } from '../__generated__/resolvers';
import { requireAccess } from '../ownership';
import type { PaymentToolRow } from '../store/types';

export const Payment: PaymentResolvers = {
  __resolveReference: async ({ id }, { loaders, caller }) => {
    const payment = await loaders.payment.load(id);
    return payment && requireAccess(caller, payment);
  },
  platform: ({ platformId }) => ({ id: platformId }),
  merchant: ({ merchantId }) => ({ id: merchantId }),
  tool: async ({ toolId }, _args, { loaders }): Promise<PaymentToolRow> => {
    const tool = await loaders.tool.load(toolId);
    // Payments are only created with tools in the catalogue, which never drops one.
    if (!tool) throw new Error(`Payment names unknown tool ${toolId}`);
    return tool;
  },
  amount: ({ amountMinor, currency }) => ({ amountMinor, currency }),
  refundedAmount: async ({ id, currency }, _args, { loaders }) => {
    const refunds = await loaders.refundsByPayment.load(id);
    const amountMinor = refunds.filter((refund) => refund.status === 'SUCCEEDED').reduce((sum, refund) => sum + refund.amountMinor, 0);
    return { amountMinor, currency };
  },
  // Only an unpaid payment has something left for the buyer to do.
  nextAction: (payment) =>
    payment.status === 'REQUIRES_ACTION'
      ? { type: payment.nextActionType, url: payment.nextActionUrl, qrCode: payment.nextActionQr, expiresAt: payment.expiresAt }
      : null,
  refunds: ({ id }, _args, { loaders }) => loaders.refundsByPayment.load(id),
  events: ({ id }, _args, { loaders }) => loaders.eventsByPayment.load(id),
};
