import type { QueryResolvers } from '../__generated__/resolvers';
import { checkout, checkoutOptions } from '../checkout';
import { requireAccess } from '../ownership';
import { checkAmount } from '../payment-input';

export const Query: QueryResolvers = {
  paymentTools: (_parent, _args, { store }) => store.listTools(),
  paymentTool: (_parent, { id }, { loaders }) => loaders.tool.load(id),
  payment: async (_parent, { id }, { loaders, caller }) => {
    const payment = await loaders.payment.load(id);
    return payment && requireAccess(caller, payment);
  },
  checkoutOptions: async (_parent, { platformId, merchantId }, context) => {
    const facts = await context.peers.checkoutFacts(platformId, merchantId);
    return checkoutOptions(context.loaders, facts.acceptances, facts.storefront);
  },
  webhookEndpoints: (_parent, _args, { webhooks, caller }) => webhooks.list(caller),
  webhookDeliveries: (_parent, { endpointId, first, after }, { webhooks, caller }) => webhooks.deliveries(endpointId, first, after, caller),
  checkout: async (_parent, { platformId, merchantId, amount, channel }, context) => {
    if (amount) checkAmount(amount, 'amount');
    const facts = await context.peers.checkoutFacts(platformId, merchantId);
    return checkout(context.loaders, facts.acceptances, facts.storefront, { amountMinor: amount?.amountMinor, channel });
  },
};
