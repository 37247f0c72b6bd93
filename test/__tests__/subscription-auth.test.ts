// Subscriptions authenticate as queries do: the gateway's authenticator reads
// the credentials (from a WebSocket's connection_init payload or an SSE
// request's headers), and the payments subgraph lets a partner read only its
// own payments, so a partner follows only its own. Bad credentials are
// refused before anything runs; a payment the caller may not read refuses
// the subscription with the code the same query gets over HTTP.
import { NetworkError } from 'graphql-sse';
import type { RunningGateway } from '@interop/gateway';
import { startGatewayFor, startGraph, type Graph, type GraphQLResponse } from '@interop/testing/harness';
import { PARTNER_A, PARTNER_B } from '@interop/testing/identities';
import { freshKey, merchantWhere, OPTED_IN_TO_WECHAT_ON_TAOBAO } from '@interop/testing/payments-helpers';
import { ending, firstOutcome, PAYMENT_UPDATED, readUntil, sseClient, statusOf, wsClient } from '@interop/testing/subscription-helpers';

let graph: Graph;
let gateway: RunningGateway;
let paymentOfA: string;

async function post<TData>(query: string, variables: Record<string, unknown>, apiKey?: string): Promise<GraphQLResponse<TData>> {
  const response = await fetch(gateway.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(apiKey ? { 'x-api-key': apiKey } : {}) },
    body: JSON.stringify({ query, variables }),
  });
  return { status: response.status, headers: response.headers, ...((await response.json()) as object) };
}

/** The codes of an errors array; anything else (a result that should have been a refusal) as it is, for the failure message. */
const codesOf = (errors: unknown) => (Array.isArray(errors) ? errors.map((error: { extensions?: { code?: string } }) => error.extensions?.code) : [errors]);

beforeAll(async () => {
  graph = await startGraph({ merchantCount: 100 });
  gateway = await startGatewayFor(graph);
  const merchantId = await merchantWhere(graph, OPTED_IN_TO_WECHAT_ON_TAOBAO);
  const created = await post<{ initiatePayment: { id: string } }>(
    'mutation ($input: InitiatePaymentInput!) { initiatePayment(input: $input) { id } }',
    {
      input: {
        platformId: 'taobao',
        merchantId,
        paymentToolId: 'wechat-pay',
        amount: { amountMinor: 12_345, currency: 'CNY' },
        reference: 'order-auth',
        idempotencyKey: freshKey('auth'),
      },
    },
    PARTNER_A.key,
  );
  const id = created.data?.initiatePayment.id;
  if (!id) throw new Error(JSON.stringify(created.errors));
  paymentOfA = id;
});

afterAll(async () => {
  await gateway?.stop();
  await graph?.stop();
});

test('the owner follows its payment over WebSocket, with its key in connection_init', async () => {
  const client = wsClient(gateway, { connectionParams: { 'x-api-key': PARTNER_A.key } });
  try {
    const [first] = await readUntil(client.iterate({ query: PAYMENT_UPDATED, variables: { id: paymentOfA } }), () => true);
    expect(first?.errors).toBeUndefined();
    expect(statusOf(first ?? {})).toBe('REQUIRES_ACTION');
  } finally {
    await client.dispose();
  }
});

test('the owner follows its payment over SSE, with its key in the request headers', async () => {
  const client = sseClient(gateway, { 'x-api-key': PARTNER_A.key });
  try {
    const [first] = await readUntil(client.iterate({ query: PAYMENT_UPDATED, variables: { id: paymentOfA } }), () => true);
    expect(statusOf(first ?? {})).toBe('REQUIRES_ACTION');
  } finally {
    client.dispose();
  }
});

test('another partner is refused with FORBIDDEN, over WebSocket and SSE', async () => {
  const ws = wsClient(gateway, { connectionParams: { headers: { 'X-Api-Key': PARTNER_B.key } } });
  const sse = sseClient(gateway, { 'x-api-key': PARTNER_B.key });
  try {
    expect(codesOf(await firstOutcome(ws.iterate({ query: PAYMENT_UPDATED, variables: { id: paymentOfA } })))).toEqual(['FORBIDDEN']);
    const refusal = (await firstOutcome(sse.iterate({ query: PAYMENT_UPDATED, variables: { id: paymentOfA } }))) as { data?: unknown; errors?: unknown };
    expect(codesOf(refusal.errors ?? [])).toEqual(['FORBIDDEN']);
    expect(refusal.data ?? null).toBeNull();
  } finally {
    await ws.dispose();
    sse.dispose();
  }
});

test('a subscriber without credentials is refused with the code the same query gets over HTTP', async () => {
  const overHttp = await post<{ payment: unknown }>('query ($id: ID!) { payment(id: $id) { status } }', { id: paymentOfA });
  const httpCodes = (overHttp.errors ?? []).map((error) => error.extensions?.['code']);
  expect(overHttp.data?.payment ?? null).toBeNull();
  expect(httpCodes.length).toBe(1);
  expect(['UNAUTHENTICATED', 'FORBIDDEN']).toContain(httpCodes[0]);
  const client = wsClient(gateway, { connectionParams: null });
  try {
    expect(codesOf(await firstOutcome(client.iterate({ query: PAYMENT_UPDATED, variables: { id: paymentOfA } })))).toEqual(httpCodes);
  } finally {
    await client.dispose();
  }
});

test('bad credentials close the WebSocket with 4401 UNAUTHENTICATED before anything runs', async () => {
  let closed: { code: number; reason: string } | undefined;
  const client = wsClient(gateway, { connectionParams: { authorization: 'Bearer nonsense', 'x-api-key': 'key-nobody' }, onClosed: (event) => (closed = event) });
  try {
    expect(await ending(client.iterate({ query: PAYMENT_UPDATED, variables: { id: paymentOfA } }))).toMatchObject({ code: 4401, reason: 'UNAUTHENTICATED' });
    expect(closed).toEqual({ code: 4401, reason: 'UNAUTHENTICATED' });
  } finally {
    await client.dispose();
  }
});

test('bad credentials over SSE are answered 401 with UNAUTHENTICATED', async () => {
  const client = sseClient(gateway, { 'x-api-key': 'key-nobody' });
  try {
    const refusal = await ending(client.iterate({ query: PAYMENT_UPDATED, variables: { id: paymentOfA } }));
    expect(refusal).toBeInstanceOf(NetworkError);
    const response = (refusal as NetworkError<Response>).response;
    expect(response?.status).toBe(401);
    expect(codesOf(((await response?.json()) as { errors: unknown }).errors)).toEqual(['UNAUTHENTICATED']);
  } finally {
    client.dispose();
  }
});
