import type { PlatformResolvers } from '../__generated__/resolvers';
import { paymentPage } from './payment-pages';

export const Platform: PlatformResolvers = {
  payments: ({ id }, args, context) => paymentPage({ platformId: id }, args, context),
};
