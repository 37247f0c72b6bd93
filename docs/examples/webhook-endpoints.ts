// Each call is one GraphQL operation through the gateway, with a key that has `payments:write`.
export const WEBHOOK_ENDPOINTS = `query WebhookEndpoints {
  webhookEndpoints { id url events status disabledReason previousSecretExpiresAt }
}`;

export const CREATE_WEBHOOK_ENDPOINT = `mutation CreateWebhookEndpoint($input: CreateWebhookEndpointInput!) {
  createWebhookEndpoint(input: $input) { secret endpoint { id url events status } }
}`;

export const ROTATE_WEBHOOK_SECRET = `mutation RotateWebhookSecret($id: ID!, $expiresPreviousInSeconds: Int) {
  rotateWebhookSecret(id: $id, expiresPreviousInSeconds: $expiresPreviousInSeconds) { secret endpoint { id previousSecretExpiresAt } }
}`;

export const UPDATE_WEBHOOK_ENDPOINT = `mutation UpdateWebhookEndpoint($input: UpdateWebhookEndpointInput!) {
  updateWebhookEndpoint(input: $input) { id url events status disabledReason }
}`;

export const DELETE_WEBHOOK_ENDPOINT = `mutation DeleteWebhookEndpoint($id: ID!) { deleteWebhookEndpoint(id: $id) }`;

export const WEBHOOK_DELIVERIES = `query WebhookDeliveries($endpointId: ID!, $first: Int, $after: String) {
  webhookDeliveries(endpointId: $endpointId, first: $first, after: $after) {
    edges {
      node {
        id status nextAttemptAt
        event { id type paymentId paymentVersion createdAt }
        attempts { at statusCode durationMs error }
      }
    }
    pageInfo { hasNextPage endCursor }
  }
}`;

export const REDELIVER_WEBHOOK_EVENT = `mutation RedeliverWebhookEvent($eventId: ID!, $endpointId: ID) {
  redeliverWebhookEvent(eventId: $eventId, endpointId: $endpointId) { id status }
}`;

export type WebhookEventTypeName =
  | 'PAYMENT_CREATED' | 'PAYMENT_REQUIRES_ACTION' | 'PAYMENT_PROCESSING' | 'PAYMENT_SUCCEEDED' | 'PAYMENT_FAILED'
  | 'PAYMENT_CANCELED' | 'PAYMENT_EXPIRED' | 'REFUND_SUCCEEDED' | 'REFUND_FAILED';

export interface WebhookEndpoint {
  id: string;
  url: string;
  events: WebhookEventTypeName[];
  status: 'ENABLED' | 'DISABLED';
  disabledReason?: string | null;
  previousSecretExpiresAt?: string | null;
}

/** A refusal from the graph: `code` is the error's `extensions.code`. */
export class WebhookApiError extends Error {
  constructor(readonly code: string, message: string) {
    super(message);
  }
}

/** A client for one partner's endpoints: `graphqlUrl` is the gateway's `/graphql`. */
export function webhookEndpoints(graphqlUrl: string, apiKey: string, fetchImpl: typeof fetch = fetch) {
  async function call<T>(query: string, variables: Record<string, unknown> = {}): Promise<T> {
    const response = await fetchImpl(graphqlUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-api-key': apiKey },
      body: JSON.stringify({ query, variables }),
    });
    const answer = (await response.json()) as { data?: T | null; errors?: { message: string; extensions?: { code?: string } }[] };
    const error = answer.errors?.[0];
    if (error || !answer.data) throw new WebhookApiError(error?.extensions?.code ?? `HTTP_${response.status}`, error?.message ?? 'No data in the answer.');
    return answer.data;
  }

  return {
    list: async () => (await call<{ webhookEndpoints: WebhookEndpoint[] }>(WEBHOOK_ENDPOINTS)).webhookEndpoints,
    /** The secret comes only in this answer: store it where your receiver reads it. */
    create: async (input: { url: string; events: WebhookEventTypeName[]; description?: string; merchantId?: string }) =>
      (await call<{ createWebhookEndpoint: { secret: string; endpoint: WebhookEndpoint } }>(CREATE_WEBHOOK_ENDPOINT, { input })).createWebhookEndpoint,
    /** Both secrets sign for `expiresPreviousInSeconds` (a day by default): give the receiver [new, old] meanwhile. */
    rotateSecret: async (id: string, expiresPreviousInSeconds?: number) =>
      (await call<{ rotateWebhookSecret: { secret: string; endpoint: WebhookEndpoint } }>(ROTATE_WEBHOOK_SECRET, { id, expiresPreviousInSeconds })).rotateWebhookSecret,
    update: async (input: { id: string; url?: string; events?: WebhookEventTypeName[]; description?: string; enabled?: boolean }) =>
      (await call<{ updateWebhookEndpoint: WebhookEndpoint }>(UPDATE_WEBHOOK_ENDPOINT, { input })).updateWebhookEndpoint,
    delete: async (id: string) => (await call<{ deleteWebhookEndpoint: string | null }>(DELETE_WEBHOOK_ENDPOINT, { id })).deleteWebhookEndpoint,
    deliveries: async (endpointId: string, first = 20, after?: string) =>
      (await call<{ webhookDeliveries: WebhookDeliveryPage }>(WEBHOOK_DELIVERIES, { endpointId, first, after })).webhookDeliveries,
    redeliver: async (eventId: string, endpointId?: string) =>
      (await call<{ redeliverWebhookEvent: { id: string; status: string }[] | null }>(REDELIVER_WEBHOOK_EVENT, { eventId, endpointId })).redeliverWebhookEvent,
  };
}

export interface WebhookDeliveryPage {
  edges: {
    node: {
      id: string;
      status: 'PENDING' | 'DELIVERED' | 'FAILED';
      nextAttemptAt: string | null;
      event: { id: string; type: WebhookEventTypeName; paymentId: string; paymentVersion: number; createdAt: string };
      attempts: { at: string; statusCode: number | null; durationMs: number; error: string | null }[];
    };
  }[];
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
}
