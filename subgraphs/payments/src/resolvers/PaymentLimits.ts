import type { PaymentLimitsResolvers } from '../__generated__/resolvers';

export const PaymentLimits: PaymentLimitsResolvers = {
  perPaymentMin: (tool) => ({ amountMinor: tool.perPaymentMinMinor, currency: tool.currency }),
  perPaymentMax: (tool) => ({ amountMinor: tool.perPaymentMaxMinor, currency: tool.currency }),
};
