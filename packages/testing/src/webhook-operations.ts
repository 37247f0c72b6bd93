// The partner webhook operations tests send through the gateway, and the
// shapes they answer with.
import type { Credentials, Graph, GraphQLResponse } from './harness';

export const ALL_EVENT_TYPES = [
  'PAYMENT_CREATED',
  'PAYMENT_REQUIRES_ACTION',
  'PAYMENT_PROCESSING',
  'PAYMENT_SUCCEEDED',
  'PAYMENT_FAILED',
  'PAYMENT_CANCELED',
  'PAYMENT_EXPIRED',
  'REFUND_SUCCEEDED',
  'REFUND_FAILED',
] as const;

export const WIRE_TYPES = ALL_EVENT_TYPES.map((name) => name.toLowerCase().replace('_', '.'));

const ENDPOINT_FIELDS = 'id url description events merchantId status disabledReason createdAt previousSecretExpiresAt';

export interface EndpointView {
  id: string;
  url: string;
  description: string | null;
  events: string[];
  merchantId: string | null;
  status: 'ENABLED' | 'DISABLED';
  disabledReason: string | null;
  createdAt: string;
  previousSecretExpiresAt: string | null;
}

export interface DeliveryView {
  id: string;
  endpointId: string;
  status: 'PENDING' | 'DELIVERED' | 'FAILED';
  nextAttemptAt: string | null;
  event: { id: string; type: string; paymentId: string; paymentVersion: number; createdAt: string };
  attempts: { at: string; statusCode: number | null; durationMs: number; responseExcerpt: string | null; error: string | null }[];
}

const DELIVERY_FIELDS = 'id endpointId status nextAttemptAt event { id type paymentId paymentVersion createdAt } attempts { at statusCode durationMs responseExcerpt error }';

export const CREATE_ENDPOINT = /* GraphQL */ `mutation ($input: CreateWebhookEndpointInput!) { createWebhookEndpoint(input: $input) { secret endpoint { ${ENDPOINT_FIELDS} } } }`;
export const UPDATE_ENDPOINT = /* GraphQL */ `mutation ($input: UpdateWebhookEndpointInput!) { updateWebhookEndpoint(input: $input) { ${ENDPOINT_FIELDS} } }`;
export const DELETE_ENDPOINT = /* GraphQL */ `mutation ($id: ID!) { deleteWebhookEndpoint(id: $id) }`;
export const ROTATE_SECRET = /* GraphQL */ `mutation ($id: ID!, $window: Int) { rotateWebhookSecret(id: $id, expiresPreviousInSeconds: $window) { secret endpoint { ${ENDPOINT_FIELDS} } } }`;
export const REDELIVER = /* GraphQL */ `mutation ($eventId: ID!, $endpointId: ID) { redeliverWebhookEvent(eventId: $eventId, endpointId: $endpointId) { ${DELIVERY_FIELDS} } }`;
export const ENDPOINTS = /* GraphQL */ `query { webhookEndpoints { ${ENDPOINT_FIELDS} } }`;
export const DELIVERIES = /* GraphQL */ `query ($endpointId: ID!, $first: Int, $after: String) {
  webhookDeliveries(endpointId: $endpointId, first: $first, after: $after) { edges { cursor node { ${DELIVERY_FIELDS} } } pageInfo { hasNextPage endCursor } }
}`;

export interface CreateInput {
  url: string;
  events?: readonly string[];
  description?: string;
  merchantId?: string;
}

export function createEndpoint(graph: Graph, as: Credentials, input: CreateInput): Promise<GraphQLResponse<{ createWebhookEndpoint: { secret: string; endpoint: EndpointView } | null }>> {
  return graph.queryAs(as, CREATE_ENDPOINT, { input: { events: ALL_EVENT_TYPES, ...input } });
}

/** Creates an endpoint and fails the test unless it was. */
export async function endpointFor(graph: Graph, as: Credentials, input: CreateInput): Promise<{ secret: string; endpoint: EndpointView }> {
  const created = await createEndpoint(graph, as, input);
  expect(created.errors).toBeUndefined();
  const payload = created.data?.createWebhookEndpoint;
  if (!payload) throw new Error('no endpoint created');
  return payload;
}

export async function deliveriesOf(graph: Graph, as: Credentials, endpointId: string, first = 100): Promise<DeliveryView[]> {
  const page = await graph.queryAs<{ webhookDeliveries: { edges: { node: DeliveryView }[] } }>(as, DELIVERIES, { endpointId, first });
  expect(page.errors).toBeUndefined();
  return page.data?.webhookDeliveries.edges.map((edge) => edge.node) ?? [];
}

/** Resolves with the endpoint's deliveries once `check` holds over them (polling every 50 ms). */
export async function deliveriesWhen(graph: Graph, as: Credentials, endpointId: string, check: (deliveries: DeliveryView[]) => boolean, timeoutMs = 15_000): Promise<DeliveryView[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const deliveries = await deliveriesOf(graph, as, endpointId);
    if (check(deliveries)) return deliveries;
    if (Date.now() > deadline) throw new Error(`deliveries not as expected in time: ${JSON.stringify(deliveries.map((d) => [d.event.type, d.status, d.attempts.length]))}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
