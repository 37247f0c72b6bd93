/** @backend-contract payment events on each bus the environment offers */
// Live payment status through the gateway: the paymentUpdated subscription
// over WebSocket (graphql-ws) and Server-Sent Events (graphql-sse, distinct
// connections; the other transports are in subscription-transports.test.ts), on every
// event bus this environment offers (payments' own stream always; Redis and
// PostgreSQL when REDIS_URL and DATABASE_URL are set), with a second gateway
// following the same payments; then its limits, refusals and shutdown.
import { NetworkError } from 'graphql-sse';
import type { RunningGateway } from '@interop/gateway';
import { availableEventBuses, defaultEventBus, postGraphQL, startGatewayFor, startGraph, type EventBusKind, type Graph } from '@interop/testing/harness';
import { PARTNER_A } from '@interop/testing/identities';
import { codes, decide, freshKey, initiate, merchantWhere, OPTED_IN_TO_WECHAT_ON_TAOBAO, type PaymentView } from '@interop/testing/payments-helpers';
import { ending, PAYMENT_UPDATED, readUntil, sseClient, statusOf, wsClient, type PaymentUpdate } from '@interop/testing/subscription-helpers';

const SETTLED = ['REQUIRES_ACTION', 'PROCESSING', 'SUCCEEDED'];

// One graph per bus, shared by every test that needs that bus (a graph takes a while to start).
const graphs = new Map<EventBusKind, Promise<Graph>>();
function graphOn(bus: EventBusKind): Promise<Graph> {
  let graph = graphs.get(bus);
  if (!graph) {
    graph = startGraph({ merchantCount: 100, eventBus: bus });
    graphs.set(bus, graph);
  }
  return graph;
}

afterAll(async () => {
  await Promise.all([...graphs.values()].map(async (graph) => (await graph).stop()));
});

async function started(graph: Graph, merchantId: string): Promise<PaymentView> {
  const response = await initiate(graph, { merchantId });
  const created = response.data?.initiatePayment;
  if (!created) throw new Error(JSON.stringify(response.errors));
  return created;
}

/** Reads the payment now, approves it in the sandbox wallet, and reads on until it SUCCEEDED. */
async function followApproval(graph: Graph, results: AsyncIterator<{ data?: unknown; errors?: unknown }>, paymentId: string) {
  const first = await readUntil(results, () => true);
  expect(await decide(graph, paymentId, 'approve')).toBe(200);
  return [...first, ...(await readUntil(results, (result) => statusOf(result) === 'SUCCEEDED'))];
}

function expectSettled(results: { data?: unknown; errors?: unknown }[], paymentId: string): void {
  expect(results.map(statusOf)).toEqual(SETTLED);
  for (const result of results) {
    expect(result.errors).toBeUndefined();
    const payment = (result.data as PaymentUpdate).paymentUpdated;
    expect(payment).toMatchObject({ id: paymentId, platform: { name: 'Taobao' }, tool: { name: 'WeChat Pay' } });
    expect(payment.merchant.name).toEqual(expect.any(String));
  }
}

describe.each(availableEventBuses())('payment events over %s', (bus) => {
  let graph: Graph;
  let second: RunningGateway;
  let merchantId: string;

  beforeAll(async () => {
    graph = await graphOn(bus);
    second = await startGatewayFor(graph);
    merchantId = await merchantWhere(graph, OPTED_IN_TO_WECHAT_ON_TAOBAO);
  });

  afterAll(async () => {
    await second?.stop();
  });

  test('over WebSocket: REQUIRES_ACTION, PROCESSING, SUCCEEDED after approval, with fields from every subgraph', async () => {
    const payment = await started(graph, merchantId);
    const client = wsClient(graph.gateway);
    try {
      const results = client.iterate({ query: PAYMENT_UPDATED, variables: { id: payment.id } });
      expectSettled(await followApproval(graph, results, payment.id), payment.id);
      await results.return?.();
    } finally {
      await client.dispose();
    }
  });

  test('over Server-Sent Events: the same three, with the same fields', async () => {
    const payment = await started(graph, merchantId);
    const client = sseClient(graph.gateway);
    try {
      const results = client.iterate({ query: PAYMENT_UPDATED, variables: { id: payment.id } });
      expectSettled(await followApproval(graph, results, payment.id), payment.id);
      await results.return?.();
    } finally {
      client.dispose();
    }
  });

  test('a subscriber on a second gateway hears the changes made through the first', async () => {
    const payment = await started(graph, merchantId);
    const client = wsClient(second);
    try {
      const results = client.iterate({ query: PAYMENT_UPDATED, variables: { id: payment.id } });
      expect(statusOf((await results.next()).value)).toBe('REQUIRES_ACTION');
      // Cancelled through the first gateway: the change reaches the second only by the event bus.
      const cancelled = await graph.query<{ cancelPayment: { status: string } }>(
        'mutation ($id: ID!, $key: String!) { cancelPayment(id: $id, idempotencyKey: $key) { status } }',
        { id: payment.id, key: freshKey('cancel') },
      );
      expect(cancelled.data?.cancelPayment.status).toBe('CANCELED');
      const rest = await readUntil(results, () => false);
      // CANCELED is final: it is delivered, then the subscription completes.
      expect(rest.map(statusOf)).toEqual(['CANCELED']);
    } finally {
      await client.dispose();
    }
  });
});

describe('subscriptions on one gateway', () => {
  let graph: Graph;
  let merchantId: string;

  beforeAll(async () => {
    graph = await graphOn(defaultEventBus());
    merchantId = await merchantWhere(graph, OPTED_IN_TO_WECHAT_ON_TAOBAO);
  });

  test('also served on /graphql, and an alias and fragments shape the result', async () => {
    const payment = await started(graph, merchantId);
    const client = wsClient(graph.gateway, { path: '/graphql' });
    try {
      const results = client.iterate({
        query: `subscription ($id: ID!) { live: paymentUpdated(id: $id) { ...Head state: status } }
                fragment Head on Payment { id amount { formatted } }`,
        variables: { id: payment.id },
      });
      const first = await results.next();
      expect(first.value).toEqual({ data: { live: { id: payment.id, amount: { formatted: '¥123.45' }, state: 'REQUIRES_ACTION' } } });
      await results.return?.();
    } finally {
      await client.dispose();
    }
  });

  test('a payment that does not exist ends the subscription with BAD_USER_INPUT', async () => {
    const client = wsClient(graph.gateway);
    try {
      const errors = await ending(client.iterate({ query: PAYMENT_UPDATED, variables: { id: 'pay_nothing' } }));
      expect((errors as { extensions?: { code?: string } }[]).map((error) => error.extensions?.code)).toEqual(['BAD_USER_INPUT']);
    } finally {
      await client.dispose();
    }
  });

  test('a payment already in a final status is delivered once, then the subscription completes', async () => {
    const payment = await started(graph, merchantId);
    expect(await decide(graph, payment.id, 'decline')).toBe(200);
    await graph.wallet.webhooks.idle();
    const client = sseClient(graph.gateway);
    try {
      const results = await readUntil(client.iterate({ query: PAYMENT_UPDATED, variables: { id: payment.id } }), () => false);
      expect(results.map(statusOf)).toEqual(['FAILED']);
    } finally {
      client.dispose();
    }
  });

  test('an invalid subscription is refused with GRAPHQL_VALIDATION_FAILED over WebSocket, a query over SSE with OPERATION_NOT_SUPPORTED', async () => {
    const client = wsClient(graph.gateway);
    const sse = sseClient(graph.gateway);
    try {
      const invalid = await ending(client.iterate({ query: 'subscription { paymentUpdated(id: "x") { nothing } }' }));
      expect((invalid as { extensions?: { code?: string } }[]).map((error) => error.extensions?.code)).toEqual(['GRAPHQL_VALIDATION_FAILED']);
      // Queries run over WebSocket too (see subscription-transports.test.ts); SSE serves subscriptions only.
      const [query] = await readUntil(sse.iterate({ query: '{ paymentTools { id } }' }), () => false);
      expect((query?.errors ?? []).map((error) => error.extensions?.['code'])).toEqual(['OPERATION_NOT_SUPPORTED']);
    } finally {
      sse.dispose();
      await client.dispose();
    }
  });

  test('a subscription sent as a plain HTTP request is refused with OPERATION_NOT_SUPPORTED', async () => {
    const response = await postGraphQL<Record<string, unknown>>(graph.gateway.url, PAYMENT_UPDATED, { id: 'pay_x' });
    expect(response.status).toBe(400);
    expect(codes(response)).toEqual(['OPERATION_NOT_SUPPORTED']);
  });

  test('a connection holding its limit of subscriptions is refused one more with TOO_MANY_SUBSCRIPTIONS', async () => {
    const gateway = await startGatewayFor(graph, {}, { subscriptionLimits: { maxPerConnection: 2 } });
    const client = wsClient(gateway);
    try {
      const payment = await started(graph, merchantId);
      const held = [1, 2].map(() => client.iterate({ query: PAYMENT_UPDATED, variables: { id: payment.id } }));
      for (const results of held) expect(statusOf((await results.next()).value)).toBe('REQUIRES_ACTION');
      const refused = await ending(client.iterate({ query: PAYMENT_UPDATED, variables: { id: payment.id } }));
      expect(refused).toEqual([expect.objectContaining({ extensions: { code: 'TOO_MANY_SUBSCRIPTIONS', scope: 'connection', limit: 2 } })]);
      // Completing one frees its place.
      await held[0]?.return?.();
      const again = client.iterate({ query: PAYMENT_UPDATED, variables: { id: payment.id } });
      expect(statusOf((await again.next()).value)).toBe('REQUIRES_ACTION');
    } finally {
      await client.dispose();
      await gateway.stop();
    }
  });

  test('a caller holding its limit across connections and transports is refused with TOO_MANY_SUBSCRIPTIONS (429 over SSE)', async () => {
    const gateway = await startGatewayFor(graph, {}, { subscriptionLimits: { maxPerCaller: 1 } });
    const client = wsClient(gateway);
    try {
      const payment = await started(graph, merchantId);
      const held = client.iterate({ query: PAYMENT_UPDATED, variables: { id: payment.id } });
      expect(statusOf((await held.next()).value)).toBe('REQUIRES_ACTION');
      const response = await fetch(`http://127.0.0.1:${gateway.port}/`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'text/event-stream', 'x-api-key': PARTNER_A.key },
        body: JSON.stringify({ query: PAYMENT_UPDATED, variables: { id: payment.id } }),
      });
      expect(response.status).toBe(429);
      const body = (await response.json()) as { errors: { extensions: Record<string, unknown> }[] };
      expect(body.errors.map((error) => error.extensions)).toEqual([{ code: 'TOO_MANY_SUBSCRIPTIONS', scope: 'caller', limit: 1 }]);
    } finally {
      await client.dispose();
      await gateway.stop();
    }
  });

  test('a change committed but never announced (its publisher died in between) reaches the subscriber at the next recheck', async () => {
    const gateway = await startGatewayFor(graph, {}, { subscriptionLimits: { recheckMs: 300 } });
    const payment = await started(graph, merchantId);
    const client = wsClient(gateway);
    try {
      const results = client.iterate({ query: PAYMENT_UPDATED, variables: { id: payment.id } });
      expect(statusOf((await results.next()).value)).toBe('REQUIRES_ACTION');
      // What the ledger commits for a cancel, written past it, so no event is published.
      await graph.stores.ledger.db.transaction(async (tx) => {
        await tx.query("UPDATE payment SET status = 'CANCELED', updated_at = clock_timestamp() WHERE id = $1", [payment.id]);
        await tx.query("INSERT INTO payment_event (payment_id, from_status, to_status, cause) VALUES ($1, 'REQUIRES_ACTION', 'CANCELED', 'test')", [payment.id]);
      });
      // Bounded, so a recheck that never comes fails the test instead of holding it open.
      const unannounced = await Promise.race([
        results.next(),
        new Promise<never>((_, reject) => setTimeout(() => reject(new Error('no recheck within 20 s')), 20_000).unref()),
      ]);
      expect(statusOf(unannounced.value)).toBe('CANCELED');
      expect((await results.next()).done).toBe(true);
    } finally {
      await client.dispose();
      await gateway.stop();
    }
  });

  test('a WebSocket without a subscription is closed when idle', async () => {
    const gateway = await startGatewayFor(graph, {}, { subscriptionLimits: { idleTimeoutMs: 200 } });
    let resolveClosed: (event: { code: number; reason: string }) => void = () => {};
    const closed = new Promise<{ code: number; reason: string }>((resolve) => (resolveClosed = resolve));
    const client = wsClient(gateway, { eager: true, onClosed: (event) => resolveClosed(event) });
    try {
      expect(await closed).toEqual({ code: 1000, reason: 'Idle' });
    } finally {
      await client.dispose();
      await gateway.stop();
    }
  });

  test('stop() closes WebSockets with 1001 and ends SSE streams before draining, and stops quickly', async () => {
    const gateway = await startGatewayFor(graph, {}, { drainMs: 10_000 });
    const payment = await started(graph, merchantId);
    const ws = wsClient(gateway);
    const sse = sseClient(gateway);
    try {
      const overWs = ws.iterate({ query: PAYMENT_UPDATED, variables: { id: payment.id } });
      const overSse = sse.iterate({ query: PAYMENT_UPDATED, variables: { id: payment.id } });
      expect(statusOf((await overWs.next()).value)).toBe('REQUIRES_ACTION');
      expect(statusOf((await overSse.next()).value)).toBe('REQUIRES_ACTION');
      const wsEnding = ending(overWs);
      const sseEnding = ending(overSse);
      const stopStarted = Date.now();
      await gateway.stop();
      expect(Date.now() - stopStarted).toBeLessThan(5_000);
      expect(await wsEnding).toMatchObject({ code: 1001 });
      // Ended without `complete`: graphql-sse clients treat it as a lost connection and reconnect, as WebSocket clients do after 1001.
      expect(await sseEnding).toBeInstanceOf(NetworkError);
    } finally {
      await ws.dispose();
      sse.dispose();
    }
  });
});
