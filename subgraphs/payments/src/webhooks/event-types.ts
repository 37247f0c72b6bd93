// The event types: GraphQL enum values and the wire strings partners receive.
import type { WebhookEventType } from '../__generated__/resolvers';
import type { WireEventType } from '../store/webhook-outbox';

export type { WireEventType };

export const WIRE_BY_ENUM: Readonly<Record<WebhookEventType, WireEventType>> = {
  PAYMENT_CREATED: 'payment.created',
  PAYMENT_REQUIRES_ACTION: 'payment.requires_action',
  PAYMENT_PROCESSING: 'payment.processing',
  PAYMENT_SUCCEEDED: 'payment.succeeded',
  PAYMENT_FAILED: 'payment.failed',
  PAYMENT_CANCELED: 'payment.canceled',
  PAYMENT_EXPIRED: 'payment.expired',
  REFUND_SUCCEEDED: 'refund.succeeded',
  REFUND_FAILED: 'refund.failed',
};

const ENUM_BY_WIRE = new Map<string, WebhookEventType>(Object.entries(WIRE_BY_ENUM).map(([name, wire]) => [wire, name as WebhookEventType]));

export function enumOfWire(wire: string): WebhookEventType {
  const name = ENUM_BY_WIRE.get(wire);
  if (!name) throw new Error(`Unknown webhook event type ${wire}`);
  return name;
}
