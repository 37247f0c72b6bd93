// The transports beside graphql-ws subscriptions and distinct SSE streams,
// each through a running graph with the client library a user would use:
// Apollo Client's HttpLink alone following a payment over multipart HTTP,
// graphql-ws running queries and mutations as HTTP runs them (credentials,
// request budget, limits), and graphql-sse in single-connection mode.
import { ApolloClient, HttpLink, InMemoryCache, gql, ServerError, CombinedGraphQLErrors, CombinedProtocolErrors } from '@apollo/client';
import { NetworkError } from 'graphql-sse';
import type { RunningGateway } from '@interop/gateway';
import { credentialHeaders, postGraphQL, startGatewayFor, startGraph, type Credentials, type Graph } from '@interop/testing/harness';
import { PARTNER_A, PARTNER_B } from '@interop/testing/identities';
import { codes, decide, freshKey, initiate, merchantWhere, OPTED_IN_TO_WECHAT_ON_TAOBAO, type PaymentView } from '@interop/testing/payments-helpers';
import { ending, PAYMENT_UPDATED, readUntil, sseClient, statusOf, valuesOf, wsClient, type PaymentUpdate } from '@interop/testing/subscription-helpers';

const SETTLED = ['REQUIRES_ACTION', 'PROCESSING', 'SUCCEEDED'];
const MULTIPART_ACCEPT = 'multipart/mixed;boundary=graphql;subscriptionSpec=1.0,application/json;q=0.9';

let graph: Graph;
let merchantId: string;

beforeAll(async () => {
  graph = await startGraph({ merchantCount: 100 });
  merchantId = await merchantWhere(graph, OPTED_IN_TO_WECHAT_ON_TAOBAO);
});

afterAll(async () => {
  await graph?.stop();
});

async function started(): Promise<PaymentView> {
  const response = await initiate(graph, { merchantId });
  const created = response.data?.initiatePayment;
  if (!created) throw new Error(JSON.stringify(response.errors));
  return created;
}

/** Reads the payment now, approves it in the sandbox wallet, and reads on until it SUCCEEDED. */
async function followApproval<T extends { data?: unknown }>(results: AsyncIterator<T>, paymentId: string): Promise<T[]> {
  const first = await readUntil(results, () => true);
  expect(await decide(graph, paymentId, 'approve')).toBe(200);
  return [...first, ...(await readUntil(results, (result) => statusOf(result) === 'SUCCEEDED'))];
}

const codesOf = (errors: readonly { extensions?: Record<string, unknown> }[] | undefined) => (errors ?? []).map((error) => error.extensions?.['code']);

function apolloClient(gateway: RunningGateway, as: Credentials = PARTNER_A): ApolloClient {
  return new ApolloClient({ cache: new InMemoryCache(), link: new HttpLink({ uri: gateway.url, headers: credentialHeaders(as) }) });
}

/** A subscription POSTed as Apollo Client posts it, the response unread. */
function postSubscription(gateway: RunningGateway, paymentId: string, headers: Record<string, string> = {}, signal?: AbortSignal): Promise<Response> {
  return fetch(gateway.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: MULTIPART_ACCEPT, ...credentialHeaders(PARTNER_A), ...headers },
    body: JSON.stringify({ query: PAYMENT_UPDATED, variables: { id: paymentId } }),
    ...(signal ? { signal } : {}),
  });
}

/** The parts of a multipart body (their JSON text) as they arrive; then whether the closing boundary came. */
async function* partsOf(response: Response, boundary = 'graphql'): AsyncGenerator<string, 'closed' | 'cut'> {
  const delimiter = `\r\n--${boundary}`;
  const decoder = new TextDecoder();
  const reader = response.body!.getReader();
  let text = '';
  let taken = 0;
  for (;;) {
    const { value, done } = await reader.read();
    if (value) text += decoder.decode(value, { stream: true });
    // Before the first delimiter: nothing; after the last: a part still coming, or the closing `--`.
    const segments = text.split(delimiter);
    for (; taken + 2 < segments.length; taken += 1) {
      const part = segments[taken + 1]!;
      yield part.slice(part.indexOf('\r\n\r\n') + 4);
    }
    if (done) return segments.at(-1)!.startsWith('--') ? 'closed' : 'cut';
  }
}

describe("Apollo Client's HttpLink, over multipart HTTP", () => {
  test('new HttpLink() alone follows paymentUpdated to SUCCEEDED, with fields from every subgraph', async () => {
    const payment = await started();
    const client = apolloClient(graph.gateway);
    const results = valuesOf<{ data?: unknown; error?: unknown }>(client.subscribe({ query: gql(PAYMENT_UPDATED), variables: { id: payment.id } }));
    try {
      const followed = await followApproval(results, payment.id);
      expect(followed.map(statusOf)).toEqual(SETTLED);
      for (const result of followed) {
        expect(result.error).toBeUndefined();
        expect((result.data as PaymentUpdate).paymentUpdated).toMatchObject({ id: payment.id, platform: { name: 'Taobao' }, tool: { name: 'WeChat Pay' } });
      }
    } finally {
      await results.return?.();
      client.stop();
    }
  });

  test('the answer is multipart/mixed with subscriptionSpec 1.0, never compressed, each result a part with its payload', async () => {
    const payment = await started();
    const abort = new AbortController();
    const response = await postSubscription(graph.gateway, payment.id, { 'accept-encoding': 'gzip, br' }, abort.signal);
    try {
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toBe('multipart/mixed;boundary="graphql";subscriptionSpec="1.0"');
      expect(response.headers.get('content-encoding')).toBeNull();
      const first = await partsOf(response).next();
      expect(JSON.parse(first.value as string)).toEqual({ payload: { data: { paymentUpdated: expect.objectContaining({ id: payment.id, status: 'REQUIRES_ACTION' }) } } });
    } finally {
      abort.abort();
    }
  });

  test("another partner's payment is refused in the stream with FORBIDDEN, as over the other transports", async () => {
    const payment = await started();
    const client = apolloClient(graph.gateway, PARTNER_B);
    const results = valuesOf<{ data?: unknown; error?: unknown }>(client.subscribe({ query: gql(PAYMENT_UPDATED), variables: { id: payment.id } }));
    try {
      const { value } = await results.next();
      expect(value?.data).toBeUndefined();
      expect(CombinedGraphQLErrors.is(value?.error)).toBe(true);
      expect(codesOf((value?.error as CombinedGraphQLErrors).errors)).toEqual(['FORBIDDEN']);
    } finally {
      await results.return?.();
      client.stop();
    }
  });

  test('bad credentials are answered 401 UNAUTHENTICATED before any part', async () => {
    const payment = await started();
    const client = apolloClient(graph.gateway, { 'x-api-key': 'key-nobody' });
    const results = valuesOf<{ data?: unknown; error?: unknown }>(client.subscribe({ query: gql(PAYMENT_UPDATED), variables: { id: payment.id } }));
    try {
      const { value } = await results.next();
      expect(ServerError.is(value?.error)).toBe(true);
      const refusal = value?.error as ServerError;
      expect(refusal.statusCode).toBe(401);
      expect(codesOf((JSON.parse(refusal.bodyText) as { errors: [] }).errors)).toEqual(['UNAUTHENTICATED']);
    } finally {
      await results.return?.();
      client.stop();
    }
  });

  test('an empty part beats while nothing changes, and a caller at its limit is answered 429 TOO_MANY_SUBSCRIPTIONS', async () => {
    const gateway = await startGatewayFor(graph, {}, { subscriptionLimits: { heartbeatMs: 50, maxPerCaller: 1 } });
    const abort = new AbortController();
    try {
      const payment = await started();
      const parts = partsOf(await postSubscription(gateway, payment.id, {}, abort.signal));
      expect(statusOf((JSON.parse((await parts.next()).value as string) as { payload: { data: unknown } }).payload)).toBe('REQUIRES_ACTION');
      expect(JSON.parse((await parts.next()).value as string)).toEqual({});
      const refused = await postSubscription(gateway, payment.id);
      expect(refused.status).toBe(429);
      expect(codesOf(((await refused.json()) as { errors: [] }).errors)).toEqual(['TOO_MANY_SUBSCRIPTIONS']);
    } finally {
      abort.abort();
      await gateway.stop();
    }
  });

  test('a stopping gateway ends the stream without its closing boundary, so Apollo Client reports it rather than completing', async () => {
    const gateway = await startGatewayFor(graph);
    const payment = await started();
    const client = apolloClient(gateway);
    const results = valuesOf<{ data?: unknown; error?: unknown }>(client.subscribe({ query: gql(PAYMENT_UPDATED), variables: { id: payment.id } }));
    try {
      expect(statusOf((await results.next()).value ?? {})).toBe('REQUIRES_ACTION');
      await gateway.stop();
      const { value, done } = await results.next();
      expect(done).toBe(false);
      expect(value?.error).toBeInstanceOf(Error);
      expect(CombinedGraphQLErrors.is(value?.error) || CombinedProtocolErrors.is(value?.error)).toBe(false);
    } finally {
      await results.return?.();
      client.stop();
    }
  });

  test('a subscription POSTed without the multipart accept is still refused with OPERATION_NOT_SUPPORTED', async () => {
    const response = await postGraphQL<Record<string, unknown>>(graph.gateway.url, PAYMENT_UPDATED, { id: 'pay_x' }, PARTNER_A);
    expect(response.status).toBe(400);
    expect(codes(response)).toEqual(['OPERATION_NOT_SUPPORTED']);
  });
});

describe('queries and mutations over graphql-ws', () => {
  const TOOLS = '{ paymentTools { id name } }';
  const INITIATE = `mutation ($input: InitiatePaymentInput!) { initiatePayment(input: $input) { id status } }`;
  const PAYMENT = 'query ($id: ID!) { payment(id: $id) { id status } }';
  const initiateInput = () => ({
    input: {
      platformId: 'taobao',
      merchantId,
      paymentToolId: 'wechat-pay',
      amount: { amountMinor: 12_345, currency: 'CNY' },
      reference: 'order-ws',
      idempotencyKey: freshKey('ws'),
    },
  });

  /** The one result a query or mutation gets; an `error` message (a refusal before it ran) throws its errors. */
  async function over(client: ReturnType<typeof wsClient>, query: string, variables: Record<string, unknown> = {}) {
    const results = await readUntil(client.iterate({ query, variables }), () => false);
    expect(results).toHaveLength(1);
    return results[0] as { data?: Record<string, unknown> | null; errors?: readonly { extensions?: Record<string, unknown> }[] };
  }

  /** The codes an `error` message carried. */
  const refusalOf = async (client: ReturnType<typeof wsClient>, query: string) => codesOf((await ending(client.iterate({ query }))) as []);

  test('a query and a mutation answer as over HTTP, beside a subscription on the same connection', async () => {
    const client = wsClient(graph.gateway);
    try {
      const tools = await over(client, TOOLS);
      expect(tools).toEqual({ data: (await graph.query(TOOLS)).data });
      const created = await over(client, INITIATE, initiateInput());
      expect(created.errors).toBeUndefined();
      const payment = (created.data as { initiatePayment: { id: string; status: string } }).initiatePayment;
      expect(payment.status).toBe('REQUIRES_ACTION');
      const live = client.iterate({ query: PAYMENT_UPDATED, variables: { id: payment.id } });
      expect(statusOf((await live.next()).value)).toBe('REQUIRES_ACTION');
      expect((await over(client, PAYMENT, { id: payment.id })).data).toEqual({ payment: { id: payment.id, status: 'REQUIRES_ACTION' } });
      expect((await graph.query(PAYMENT, { id: payment.id })).data).toEqual({ payment: { id: payment.id, status: 'REQUIRES_ACTION' } });
      await live.return?.();
    } finally {
      await client.dispose();
    }
  });

  test('without credentials each gets the codes HTTP gives it', async () => {
    const payment = await started();
    const client = wsClient(graph.gateway, { connectionParams: null });
    try {
      for (const [query, variables] of [
        [PAYMENT, { id: payment.id }],
        [INITIATE, initiateInput()],
      ] as const) {
        const overHttp = await graph.queryAs(null, query, variables);
        expect(codes(overHttp).length).toBeGreaterThan(0);
        const overWs = await over(client, query, variables);
        expect(codesOf(overWs.errors)).toEqual(codes(overHttp));
        expect(overWs.data ?? null).toEqual(overHttp.data ?? null);
      }
    } finally {
      await client.dispose();
    }
  });

  test('the operation limits hold, before and after parsing, with the codes HTTP gives', async () => {
    const client = wsClient(graph.gateway);
    try {
      const deep = `{ ${'platform(id: "taobao") { '.repeat(10_000)}name${' }'.repeat(10_000)} }`;
      const aliases = `{ ${Array.from({ length: 60 }, (_, i) => `a${i}: paymentTool(id: "alipay") { id }`).join(' ')} }`;
      for (const [query, code] of [
        [deep, 'OPERATION_TOO_DEEP'],
        [aliases, 'TOO_MANY_ALIASES'],
        ['{ paymentTools { id ', 'GRAPHQL_PARSE_FAILED'],
        ['{ paymentTools { nothing } }', 'GRAPHQL_VALIDATION_FAILED'],
      ] as const) {
        expect(codes(await graph.query(query))).toEqual([code]);
        expect(await refusalOf(client, query)).toEqual([code]);
      }
    } finally {
      await client.dispose();
    }
  });

  test('queries over WebSocket spend the same request budget as POSTs; past it they are refused with RATE_LIMITED', async () => {
    const gateway = await startGatewayFor(graph, {}, { rateLimit: { enabled: true, points: 3, anonymousPoints: 3, windowSeconds: 60 } });
    const client = wsClient(gateway);
    try {
      expect((await postGraphQL(gateway.url, TOOLS, {}, PARTNER_A)).status).toBe(200);
      for (let n = 0; n < 2; n += 1) expect((await over(client, TOOLS)).errors).toBeUndefined();
      expect(await refusalOf(client, TOOLS)).toEqual(['RATE_LIMITED']);
      expect((await postGraphQL(gateway.url, TOOLS, {}, PARTNER_A)).status).toBe(429);
    } finally {
      await client.dispose();
      await gateway.stop();
    }
  });
});

describe('graphql-sse in single-connection mode', () => {
  test('follows paymentUpdated to SUCCEEDED over one reserved stream', async () => {
    const payment = await started();
    const client = sseClient(graph.gateway, { 'x-api-key': PARTNER_A.key }, true);
    try {
      const results = client.iterate({ query: PAYMENT_UPDATED, variables: { id: payment.id } });
      const followed = await followApproval(results, payment.id);
      expect(followed.map(statusOf)).toEqual(SETTLED);
      for (const result of followed) expect(result.errors).toBeUndefined();
      await results.return?.();
    } finally {
      client.dispose();
    }
  });

  test("a refused subscription is delivered on the stream with its code, and the stream serves the next", async () => {
    const payment = await started();
    const client = sseClient(graph.gateway, { 'x-api-key': PARTNER_B.key }, true);
    try {
      const [refused] = await readUntil(client.iterate({ query: PAYMENT_UPDATED, variables: { id: payment.id } }), () => false);
      expect(codesOf(refused?.errors as [])).toEqual(['FORBIDDEN']);
      const [invalid] = await readUntil(client.iterate({ query: 'subscription { paymentUpdated(id: "x") { nothing } }' }), () => false);
      expect(codesOf(invalid?.errors as [])).toEqual(['GRAPHQL_VALIDATION_FAILED']);
    } finally {
      client.dispose();
    }
  });

  test("a stream's token serves only the caller that reserved it, and lapses when its stream is not opened", async () => {
    const gateway = await startGatewayFor(graph, {}, { subscriptionLimits: { connectionInitTimeoutMs: 100 } });
    const url = `http://127.0.0.1:${gateway.port}/graphql`;
    try {
      const reserved = await fetch(url, { method: 'PUT', headers: credentialHeaders(PARTNER_A) });
      expect(reserved.status).toBe(201);
      const token = await reserved.text();
      expect(reserved.headers.get('x-graphql-event-stream-token')).toBe(token);
      const asB = await fetch(url, { headers: { accept: 'text/event-stream', 'x-graphql-event-stream-token': token, ...credentialHeaders(PARTNER_B) } });
      expect(asB.status).toBe(404);
      expect(codesOf(((await asB.json()) as { errors: [] }).errors)).toEqual(['BAD_REQUEST']);
      // Nobody opens it: the reservation lapses, and the token finds nothing, even for its owner.
      let status = 0;
      while (status !== 404) {
        const again = await fetch(url, { method: 'DELETE', headers: { 'x-graphql-event-stream-token': token, ...credentialHeaders(PARTNER_A) } });
        await again.arrayBuffer();
        status = again.status;
        if (status !== 404) await new Promise((resolve) => setTimeout(resolve, 50));
      }
      expect(status).toBe(404);
    } finally {
      await gateway.stop();
    }
  });

  test('a stream holding its limit of subscriptions refuses one more with 429 TOO_MANY_SUBSCRIPTIONS', async () => {
    const gateway = await startGatewayFor(graph, {}, { subscriptionLimits: { maxPerConnection: 1 } });
    const client = sseClient(gateway, { 'x-api-key': PARTNER_A.key }, true);
    try {
      const payment = await started();
      const held = client.iterate({ query: PAYMENT_UPDATED, variables: { id: payment.id } });
      expect(statusOf((await held.next()).value)).toBe('REQUIRES_ACTION');
      // graphql-sse's client drops the refusal's body; its status is the refusal.
      const refusal = await ending(client.iterate({ query: PAYMENT_UPDATED, variables: { id: payment.id } }));
      expect(refusal).toBeInstanceOf(NetworkError);
      expect((refusal as NetworkError<Response>).response?.status).toBe(429);
      await held.return?.();
    } finally {
      client.dispose();
      await gateway.stop();
    }
  });
});
