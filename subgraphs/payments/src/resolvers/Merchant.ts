import type { MerchantResolvers } from '../__generated__/resolvers';
import { paymentPage } from './payment-pages';

export const Merchant: MerchantResolvers = {
  payments: ({ id }, args, context) => paymentPage({ merchantId: id }, args, context),
};
