import type { WebhookDeliveryResolvers, WebhookEndpointResolvers, WebhookEventResolvers } from '../__generated__/resolvers';
import { enumOfWire } from '../webhooks/event-types';

export const WebhookEndpoint: WebhookEndpointResolvers = {
  events: ({ events }) => events.map(enumOfWire),
};

export const WebhookDelivery: WebhookDeliveryResolvers = {
  attempts: ({ attempts }) => attempts,
};

export const WebhookEvent: WebhookEventResolvers = {
  type: ({ type }) => enumOfWire(type),
};
