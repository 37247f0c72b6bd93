import type { MutationResolvers } from '../__generated__/resolvers';

export const Mutation: MutationResolvers = {
  initiatePayment: (_parent, { input }, context) => context.payments.initiate(input, context.caller),
  cancelPayment: (_parent, { id, idempotencyKey }, { payments, caller }) => payments.cancel(id, idempotencyKey, caller),
  refundPayment: (_parent, { input }, { payments, caller }) => payments.refund(input, caller),
  createWebhookEndpoint: (_parent, { input }, { webhooks, caller }) => webhooks.create(input, caller),
  updateWebhookEndpoint: (_parent, { input }, { webhooks, caller }) => webhooks.update(input, caller),
  deleteWebhookEndpoint: (_parent, { id }, { webhooks, caller }) => webhooks.delete(id, caller),
  rotateWebhookSecret: (_parent, { id, expiresPreviousInSeconds }, { webhooks, caller }) => webhooks.rotate(id, expiresPreviousInSeconds, caller),
  redeliverWebhookEvent: (_parent, { eventId, endpointId }, { webhooks, caller }) => webhooks.redeliver(eventId, endpointId, caller),
};
