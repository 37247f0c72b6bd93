/** @backend-contract rate limits shared through Redis when there is one */
// Who may do what, through the gateway and around it: credentials (API keys
// and JWTs), scopes, payment ownership per partner, merchant consoles, the
// signed identity the subgraphs insist on, and rate limits. Every refusal has
// its code and changes nothing.
import { randomUUID } from 'node:crypto';
import { ANONYMOUS, IDENTITY_HEADER, signIdentity, type Caller } from '@interop/kit/security';
import { postGraphQL, postSigned, startGatewayFor, startGraph, type Graph } from '@interop/testing/harness';
import { ALL_SCOPES, mintToken, PARTNER_A, PARTNER_B, READ_ONLY, TEST_TRUST } from '@interop/testing/identities';
import { approveAndSettle, codes, freshKey, initiate, merchantWhere, OPTED_IN_TO_WECHAT_ON_TAOBAO, paymentRows } from '@interop/testing/payments-helpers';
import { startProxy } from '@interop/testing/proxy';

let graph: Graph;
let merchantId: string;
let paymentOfA: string;

const PAYMENT = /* GraphQL */ `query ($id: ID!) { payment(id: $id) { id status merchant { id } } }`;
const INITIATE = /* GraphQL */ `mutation ($input: InitiatePaymentInput!) { initiatePayment(input: $input) { id status } }`;
const REFUND = /* GraphQL */ `mutation ($input: RefundPaymentInput!) { refundPayment(input: $input) { id status } }`;
const CANCEL = /* GraphQL */ `mutation ($id: ID!, $key: String!) { cancelPayment(id: $id, idempotencyKey: $key) { id status } }`;

const paymentInput = (key = freshKey('auth')) => ({
  platformId: 'taobao',
  merchantId,
  paymentToolId: 'wechat-pay',
  amount: { amountMinor: 5_000, currency: 'CNY' },
  reference: 'auth-order',
  idempotencyKey: key,
});

beforeAll(async () => {
  graph = await startGraph();
  merchantId = await merchantWhere(graph, OPTED_IN_TO_WECHAT_ON_TAOBAO);
  const created = await initiate(graph, { merchantId });
  expect(created.errors).toBeUndefined();
  paymentOfA = created.data!.initiatePayment.id;
});

afterAll(async () => {
  await graph?.stop();
});

describe('credentials at the gateway', () => {
  test('without a credential the public facts answer, and payments are UNAUTHENTICATED with null data', async () => {
    const response = await graph.queryAs<{ platforms: unknown[]; payment: unknown }>(
      null,
      /* GraphQL */ `query ($id: ID!) { platforms { id } payment(id: $id) { id } }`,
      { id: paymentOfA },
    );
    expect(response.status).toBe(200);
    expect(response.data?.platforms).toHaveLength(10);
    expect(response.data?.payment).toBeNull();
    expect(codes(response)).toEqual(['UNAUTHENTICATED']);
  });

  test('an anonymous initiatePayment is UNAUTHENTICATED and creates nothing', async () => {
    const before = await paymentRows(graph);
    const response = await graph.queryAs<{ initiatePayment: unknown }>(null, INITIATE, { input: paymentInput() });
    expect(codes(response)).toEqual(['UNAUTHENTICATED']);
    expect(response.data?.initiatePayment ?? null).toBeNull();
    expect(await paymentRows(graph)).toBe(before);
  });

  test.each([
    ['an unknown API key', { 'x-api-key': 'no-such-key' }],
    ['an unknown bearer key', { authorization: 'Bearer no-such-key' }],
    ['a malformed Authorization header', { authorization: 'Basic dXNlcjpwYXNz' }],
  ])('%s is refused with 401 UNAUTHENTICATED before anything runs', async (_name, headers) => {
    const response = await graph.queryAs(headers, `{ platforms { id } }`);
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toMatch(/^Bearer/);
    expect(codes(response)).toEqual(['UNAUTHENTICATED']);
    expect(response.data ?? null).toBeNull();
  });

  test.each([
    ['expired', { expiresIn: -120 }],
    ['for another audience', { audience: 'someone-else' }],
    ['signed with another secret', { secret: 'a-different-secret-of-at-least-32-bytes' }],
  ])('a JWT %s is 401 UNAUTHENTICATED', async (_name, claims) => {
    const response = await graph.queryAs(await mintToken(claims), `{ platforms { id } }`);
    expect(response.status).toBe(401);
    expect(codes(response)).toEqual(['UNAUTHENTICATED']);
  });

  test('a valid JWT maps its claims to the partner: it sees that partner’s payment', async () => {
    const asA = await graph.queryAs<{ payment: { id: string } }>(await mintToken({ partnerId: 'partner-a' }), PAYMENT, { id: paymentOfA });
    expect(asA.errors).toBeUndefined();
    expect(asA.data?.payment.id).toBe(paymentOfA);
  });
});

describe('scopes and ownership', () => {
  test('without payments:write, initiatePayment is FORBIDDEN, null, and creates nothing', async () => {
    const before = await paymentRows(graph);
    const response = await graph.queryAs<{ initiatePayment: unknown }>(READ_ONLY, INITIATE, { input: paymentInput() });
    expect(codes(response)).toEqual(['FORBIDDEN']);
    expect(response.data?.initiatePayment).toBeNull();
    expect(await paymentRows(graph)).toBe(before);
  });

  test('a denied field is null with FORBIDDEN; the rest of the response stands', async () => {
    const noScopes = await mintToken({ scopes: [] });
    const response = await graph.queryAs<{ payment: unknown; paymentTools: unknown[] }>(noScopes, `query ($id: ID!) { paymentTools { id } payment(id: $id) { id } }`, {
      id: paymentOfA,
    });
    expect(response.data?.paymentTools).toHaveLength(7);
    expect(response.data?.payment).toBeNull();
    expect(codes(response)).toEqual(['FORBIDDEN']);
  });

  test('another partner’s payment is FORBIDDEN to read, cancel or refund, and stays as it was', async () => {
    const read = await graph.queryAs<{ payment: unknown }>(PARTNER_B, PAYMENT, { id: paymentOfA });
    expect(read.data?.payment).toBeNull();
    expect(codes(read)).toEqual(['FORBIDDEN']);

    const cancel = await graph.queryAs<{ cancelPayment: unknown }>(PARTNER_B, CANCEL, { id: paymentOfA, key: freshKey('b-cancel') });
    expect(codes(cancel)).toEqual(['FORBIDDEN']);
    const refund = await graph.queryAs<{ refundPayment: unknown }>(PARTNER_B, REFUND, {
      input: { paymentId: paymentOfA, amount: { amountMinor: 100, currency: 'CNY' }, reason: 'not mine', idempotencyKey: freshKey('b-refund') },
    });
    expect(codes(refund)).toEqual(['FORBIDDEN']);
    const own = await graph.query<{ payment: { status: string } }>(PAYMENT, { id: paymentOfA });
    expect(own.data?.payment.status).toBe('REQUIRES_ACTION');
  });

  test('lists show a partner its own payments only', async () => {
    const ofB = await graph.queryAs<{ initiatePayment: { id: string } }>(PARTNER_B, INITIATE, { input: paymentInput() });
    expect(ofB.errors).toBeUndefined();
    const list = /* GraphQL */ `query ($id: ID!) { merchant(id: $id) { payments(first: 100) { edges { node { id } } } } }`;
    const idsFor = async (who: typeof PARTNER_A) => {
      const response = await graph.queryAs<{ merchant: { payments: { edges: { node: { id: string } }[] } } }>(who, list, { id: merchantId });
      expect(response.errors).toBeUndefined();
      return response.data!.merchant.payments.edges.map((edge) => edge.node.id);
    };
    const seenByA = await idsFor(PARTNER_A);
    const seenByB = await idsFor(PARTNER_B);
    expect(seenByA).toContain(paymentOfA);
    expect(seenByA).not.toContain(ofB.data!.initiatePayment.id);
    expect(seenByB).toEqual([ofB.data!.initiatePayment.id]);
  });

  test('idempotency keys are per partner: the same key from two partners makes two payments', async () => {
    const key = freshKey('shared');
    const a = await graph.queryAs<{ initiatePayment: { id: string } }>(PARTNER_A, INITIATE, { input: paymentInput(key) });
    const b = await graph.queryAs<{ initiatePayment: { id: string } }>(PARTNER_B, INITIATE, { input: paymentInput(key) });
    const again = await graph.queryAs<{ initiatePayment: { id: string } }>(PARTNER_B, INITIATE, { input: paymentInput(key) });
    expect([a.errors, b.errors, again.errors]).toEqual([undefined, undefined, undefined]);
    expect(a.data!.initiatePayment.id).not.toBe(b.data!.initiatePayment.id);
    expect(again.data!.initiatePayment.id).toBe(b.data!.initiatePayment.id);
  });

  test('a merchant console sees every payment to its merchant and refunds it, and nothing of another merchant', async () => {
    const created = await initiate(graph, { merchantId });
    const paid = await approveAndSettle(graph, created.data!.initiatePayment.id);
    expect(paid?.status).toBe('SUCCEEDED');
    const console = await mintToken({ partnerId: `console-${merchantId}`, scopes: [...ALL_SCOPES, `merchant:${merchantId}`] });
    const read = await graph.queryAs<{ payment: { id: string } }>(console, PAYMENT, { id: paid!.id });
    expect(read.data?.payment.id).toBe(paid!.id);
    const refund = await graph.queryAs<{ refundPayment: { status: string } }>(console, REFUND, {
      input: { paymentId: paid!.id, amount: { amountMinor: 1_000, currency: 'CNY' }, reason: 'merchant refund', idempotencyKey: freshKey('console') },
    });
    expect(refund.errors).toBeUndefined();
    expect(refund.data?.refundPayment.status).toBe('SUCCEEDED');

    const other = await merchantWhere(graph, `m.id <> '${merchantId}' AND m.status = 'ACTIVE'`);
    const otherConsole = await mintToken({ partnerId: `console-${other}`, scopes: [...ALL_SCOPES, `merchant:${other}`] });
    const denied = await graph.queryAs<{ payment: unknown }>(otherConsole, PAYMENT, { id: paid!.id });
    expect(codes(denied)).toEqual(['FORBIDDEN']);
    const listed = await graph.queryAs<{ merchant: { payments: unknown } }>(otherConsole, `query ($id: ID!) { merchant(id: $id) { id payments { edges { cursor } } } }`, {
      id: merchantId,
    });
    expect(listed.data?.merchant.payments).toBeNull();
    expect(codes(listed)).toEqual(['FORBIDDEN']);
    const optIn = await graph.queryAs<{ openPaymentTool: unknown }>(
      otherConsole,
      `mutation ($m: ID!) { openPaymentTool(merchantId: $m, platformId: "taobao", paymentToolId: "wechat-pay") { id } }`,
      { m: merchantId },
    );
    expect(codes(optIn)).toEqual(['FORBIDDEN']);
    expect(optIn.data?.openPaymentTool).toBeNull();
  });

  test('opt-in details need merchants:read', async () => {
    const response = await graph.queryAs<{ merchant: { storefront: { enrolledTools: unknown[]; enrolments: unknown } } }>(
      await mintToken({ scopes: ['payments:read'] }),
      `query ($id: ID!) { merchant(id: $id) { storefront(platformId: "taobao") { enrolledTools { id } enrolments { status } } } }`,
      { id: merchantId },
    );
    expect(response.data?.merchant.storefront.enrolledTools).toEqual([{ id: 'wechat-pay' }]);
    expect(response.data?.merchant.storefront.enrolments).toBeNull();
    expect(codes(response)).toEqual(['FORBIDDEN']);
  });
});

describe('the identity header', () => {
  const forged = (caller: Caller, body: string, secret = 'not-the-shared-secret') => signIdentity(secret, caller, 'payments', body);

  test('a client cannot send its own identity header through the gateway', async () => {
    const body = JSON.stringify({ query: PAYMENT, variables: { id: paymentOfA } });
    const response = await fetch(graph.gateway.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', [IDENTITY_HEADER]: forged(PARTNER_A.caller, body, TEST_TRUST.signingSecret) },
      body,
    });
    const answer = (await response.json()) as { data: { payment: unknown }; errors: { extensions: { code: string } }[] };
    expect(answer.data.payment).toBeNull();
    expect(answer.errors.map((error) => error.extensions.code)).toEqual(['UNAUTHENTICATED']);
  });

  test('a subgraph called directly answers only requests the gateway signed', async () => {
    const payments = graph.subgraphs.payments;
    const url = payments.url;
    const query = PAYMENT.replace(' merchant { id }', '');
    const body = JSON.stringify({ query, variables: { id: paymentOfA } });
    const post = (headers: Record<string, string>, sent = body) =>
      fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: sent });

    const unsigned = await post({});
    expect(unsigned.status).toBe(401);
    expect(((await unsigned.json()) as { errors: { extensions: { code: string } }[] }).errors[0]?.extensions.code).toBe('UNAUTHENTICATED');
    expect((await post({ [IDENTITY_HEADER]: forged(PARTNER_A.caller, body) })).status).toBe(401);
    // A real signature for one body does not carry over to another.
    const otherBody = JSON.stringify({ query, variables: { id: 'pay_other' } });
    expect((await post({ [IDENTITY_HEADER]: signIdentity(TEST_TRUST.signingSecret, PARTNER_A.caller, 'payments', otherBody) })).status).toBe(401);
    const expired = signIdentity(TEST_TRUST.signingSecret, PARTNER_A.caller, 'payments', body, Math.floor(Date.now() / 1000) - 3600);
    expect((await post({ [IDENTITY_HEADER]: expired })).status).toBe(401);
    // A real signature for another subgraph does not carry over to this one.
    const forMerchants = signIdentity(TEST_TRUST.signingSecret, PARTNER_A.caller, 'merchants', body);
    expect((await post({ [IDENTITY_HEADER]: forMerchants })).status).toBe(401);

    const signed = await postSigned<{ payment: { id: string } }>(payments, query, { id: paymentOfA });
    expect(signed.status).toBe(200);
    expect(signed.data?.payment.id).toBe(paymentOfA);
    // Signed but anonymous, reaching the payment as an entity: it still needs a credential.
    const entity = await postSigned<{ _entities: unknown[] }>(
      payments,
      'query ($r: [_Any!]!) { _entities(representations: $r) { ... on Payment { status } } }',
      { r: [{ __typename: 'Payment', id: paymentOfA }] },
      ANONYMOUS,
    );
    expect(entity.data?._entities).toEqual([null]);
    expect(codes(entity)).toEqual(['UNAUTHENTICATED']);
    // Signed, but for another partner: ownership holds in the subgraph too.
    const asB = await postSigned<{ payment: unknown }>(payments, query, { id: paymentOfA }, PARTNER_B.caller);
    expect(asB.data?.payment).toBeNull();
    expect(codes(asB)).toEqual(['FORBIDDEN']);
  });
});

describe('a seal names the subgraph it is for', () => {
  test('a request the gateway sealed for payments is refused by merchants and commerce, and still served by payments', async () => {
    const proxy = await startProxy(graph.subgraphs.payments.url);
    const gateway = await startGatewayFor(graph, { payments: proxy.url });
    try {
      const response = await postGraphQL<{ payment: { id: string } }>(gateway.url, PAYMENT.replace(' merchant { id }', ''), { id: paymentOfA }, PARTNER_A);
      expect(response.data?.payment.id).toBe(paymentOfA);
      const sealed = proxy.requests.find((request) => request.headers[IDENTITY_HEADER]);
      if (!sealed) throw new Error('the gateway sent payments no sealed request');
      const replay = (url: string) =>
        fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', [IDENTITY_HEADER]: String(sealed.headers[IDENTITY_HEADER]) }, body: sealed.body });
      for (const other of [graph.subgraphs.merchants.url, graph.subgraphs.commerce.url]) {
        const refused = await replay(other);
        expect(refused.status).toBe(401);
        expect(((await refused.json()) as { errors: { extensions: { code: string } }[] }).errors[0]?.extensions.code).toBe('UNAUTHENTICATED');
      }
      expect((await replay(graph.subgraphs.payments.url)).status).toBe(200);
    } finally {
      await gateway.stop();
      await proxy.stop();
    }
  });
});

describe('rate limits', () => {
  const stores = process.env.REDIS_URL ? ['memory', 'redis'] : ['memory'];

  test.each(stores)('past its budget a key gets 429 RATE_LIMITED with RateLimit headers (%s), and other keys still pass', async (store) => {
    const rateLimit = { enabled: true, points: 3, anonymousPoints: 2, windowSeconds: 60 };
    const redisUrl = store === 'redis' ? process.env.REDIS_URL : undefined;
    // Two gateway processes' worth of limiters: with Redis they share one budget.
    const rateLimitKeyPrefix = `test:${randomUUID()}`;
    const shared = { rateLimit, redisUrl, rateLimitKeyPrefix, responseCacheKeyPrefix: `${rateLimitKeyPrefix}:cache` };
    const first = await startGatewayFor(graph, {}, shared);
    const second = store === 'redis' ? await startGatewayFor(graph, {}, shared) : first;
    const key = { 'x-api-key': PARTNER_A.key };
    try {
      const answers = [];
      for (const gateway of [first, second, first]) answers.push(await postGraphQL(gateway.url, `{ paymentTools { id } }`, {}, key));
      expect(answers.map((answer) => answer.status)).toEqual([200, 200, 200]);
      expect(answers.map((answer) => answer.headers.get('ratelimit-remaining'))).toEqual(['2', '1', '0']);
      expect(answers[0]?.headers.get('ratelimit-limit')).toBe('3');

      const refused = await postGraphQL<Record<string, unknown>>(second.url, `{ paymentTools { id } }`, {}, key);
      expect(refused.status).toBe(429);
      expect(codes(refused)).toEqual(['RATE_LIMITED']);
      expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
      expect(refused.data ?? null).toBeNull();

      const other = await postGraphQL(first.url, `{ paymentTools { id } }`, {}, { 'x-api-key': PARTNER_B.key });
      expect(other.status).toBe(200);
    } finally {
      await first.stop();
      if (second !== first) await second.stop();
    }
  });
});

test('anonymous budgets are per client: X-Forwarded-For names it only when the proxy sending it is trusted', async () => {
  const rateLimit = { enabled: true, points: 100, anonymousPoints: 2, windowSeconds: 60 };
  const behindProxy = await startGatewayFor(graph, {}, { rateLimit, trustedProxies: ['loopback'] });
  const direct = await startGatewayFor(graph, {}, { rateLimit });
  const ask = (url: string, client: string) => postGraphQL<Record<string, unknown>>(url, `{ paymentTools { id } }`, {}, { 'x-forwarded-for': client });
  try {
    // Through a trusted proxy (this test is on loopback), each client has its own two requests.
    expect([(await ask(behindProxy.url, '203.0.113.7')).status, (await ask(behindProxy.url, '203.0.113.7')).status]).toEqual([200, 200]);
    expect(codes(await ask(behindProxy.url, '203.0.113.7'))).toEqual(['RATE_LIMITED']);
    expect((await ask(behindProxy.url, '203.0.113.8')).status).toBe(200);

    // Not trusted: the header changes nothing, and the socket's address runs out of budget.
    expect([(await ask(direct.url, '203.0.113.1')).status, (await ask(direct.url, '203.0.113.2')).status]).toEqual([200, 200]);
    expect((await ask(direct.url, '203.0.113.3')).status).toBe(429);
  } finally {
    await Promise.all([behindProxy.stop(), direct.stop()]);
  }
});

test('introspection is off when configured off (production), and the gateway still serves after every refusal above', async () => {
  const production = await startGatewayFor(graph, {}, { introspection: false });
  try {
    const introspection = await postGraphQL<Record<string, unknown>>(production.url, `{ __schema { types { name } } }`);
    expect(introspection.status).toBe(400);
    expect(codes(introspection)).toEqual(['GRAPHQL_VALIDATION_FAILED']);
  } finally {
    await production.stop();
  }
  const normal = await graph.query<{ paymentTools: unknown[] }>(`{ paymentTools { id } }`);
  expect(normal.data?.paymentTools).toHaveLength(7);
});
