/** @backend-contract fact changes through Redis when there is one */
// The gateway's response cache: public facts are served from it, shared by
// every caller; payments and anything guarded never are; an opt-in change
// empties it at once, in every gateway of the graph. Operations that differ
// only in aliases share one plan and one cached answer.
import { randomUUID } from 'node:crypto';
import type { RunningGateway } from '@interop/gateway';
import { postGraphQL, startGatewayFor, startGraph, type Graph } from '@interop/testing/harness';
import { PARTNER_A, READ_ONLY } from '@interop/testing/identities';
import { merchantWhere } from '@interop/testing/payments-helpers';
import { expectEventually } from '@interop/testing/processes';
import { startProxy } from '@interop/testing/proxy';

let graph: Graph;

beforeAll(async () => {
  graph = await startGraph({ merchantCount: 200 });
});

afterAll(async () => {
  await graph?.stop();
});

const TOOLS = /* GraphQL */ `query Tools { paymentTools { id name } }`;
const CHECKOUT = /* GraphQL */ `query Checkout($m: ID!) {
  checkoutOptions(platformId: "taobao", merchantId: $m) { tool { id } rank }
  merchant(id: $m) { storefront(platformId: "taobao") { enrolledTools { id } } }
}`;
const OPEN = /* GraphQL */ `mutation ($m: ID!) { openPaymentTool(merchantId: $m, platformId: "taobao", paymentToolId: "wechat-pay") { id } }`;
const CLOSE = /* GraphQL */ `mutation ($m: ID!) { closePaymentTool(merchantId: $m, platformId: "taobao", paymentToolId: "wechat-pay") { id } }`;

async function cacheCount(gateway: RunningGateway, result: 'hit' | 'miss'): Promise<number> {
  const { values } = await gateway.metrics.responseCache.get();
  return values.find((value) => value.labels.result === result)?.value ?? 0;
}

async function fetchCount(gateway: RunningGateway): Promise<number> {
  const { values } = await gateway.metrics.fetchLatency.get();
  return values.filter((value) => value.metricName === 'gateway_subgraph_fetch_duration_seconds_count').reduce((sum, value) => sum + value.value, 0);
}

/** Whether WeChat Pay is a checkout option of the merchant on Taobao, and which tools it opened there, as `gateway` answers. */
async function wechatAt(gateway: RunningGateway, merchantId: string) {
  const answer = await postGraphQL<{ checkoutOptions: { tool: { id: string } }[]; merchant: { storefront: { enrolledTools: { id: string }[] } } }>(
    gateway.url,
    CHECKOUT,
    { m: merchantId },
    PARTNER_A,
  );
  expect(answer.errors).toBeUndefined();
  return {
    atCheckout: answer.data?.checkoutOptions.some((option) => option.tool.id === 'wechat-pay'),
    enrolled: answer.data?.merchant.storefront.enrolledTools.map((tool) => tool.id),
  };
}

const NOT_OPTED_IN = `m.status = 'ACTIVE' AND m.eligible AND EXISTS (SELECT 1 FROM storefront s WHERE s.merchant_seq = m.seq AND s.platform_id = 'taobao')
     AND NOT EXISTS (SELECT 1 FROM enrolment e WHERE e.merchant_seq = m.seq)`;

/** Asks until the answer comes from the cache (an answer is stored the second time it is asked). */
async function warm(gateway: RunningGateway, query: string, variables?: Record<string, unknown>) {
  for (let ask = 0; ask < 3; ask++) await postGraphQL(gateway.url, query, variables, PARTNER_A);
}

test('a public answer is stored the second time it is asked, then served without a subgraph fetch to any caller', async () => {
  const gateway = await startGatewayFor(graph);
  try {
    const first = await postGraphQL(gateway.url, TOOLS, undefined, PARTNER_A);
    expect(first.errors).toBeUndefined();
    expect(first.headers.get('cache-control')).toBe('max-age=300, public');
    await postGraphQL(gateway.url, TOOLS, undefined, PARTNER_A);
    expect(await cacheCount(gateway, 'hit')).toBe(0);

    const fetchesBefore = await fetchCount(gateway);
    for (const caller of [PARTNER_A, READ_ONLY, null]) {
      const cached = await postGraphQL(gateway.url, TOOLS, undefined, caller);
      expect(cached.data).toEqual(first.data);
      expect(cached.errors).toBeUndefined();
      expect(cached.headers.get('age')).toMatch(/^\d+$/);
    }
    expect(await cacheCount(gateway, 'hit')).toBe(3);
    expect(await fetchCount(gateway)).toBe(fetchesBefore);
  } finally {
    await gateway.stop();
  }
});

test('payments, guarded fields and refused answers are never cached', async () => {
  const gateway = await startGatewayFor(graph);
  try {
    const merchantId = await merchantWhere(graph, `m.status = 'ACTIVE'`);
    const guarded = [
      { query: `query { merchant(id: "${merchantId}") { payments(first: 1) { edges { node { id } } } } }`, as: PARTNER_A },
      { query: `query { merchant(id: "${merchantId}") { storefront(platformId: "taobao") { enrolments { status } } } }`, as: PARTNER_A },
      // Refused: null with UNAUTHENTICATED, which must not become everyone's answer.
      { query: `query { merchant(id: "${merchantId}") { payments(first: 1) { edges { node { id } } } } }`, as: null },
    ];
    for (const { query, as } of guarded) {
      for (let ask = 0; ask < 3; ask++) {
        const answer = await postGraphQL(gateway.url, query, undefined, as);
        expect(answer.headers.get('cache-control') ?? '').not.toMatch(/public/);
      }
    }
    expect(await cacheCount(gateway, 'hit')).toBe(0);
    expect(await cacheCount(gateway, 'miss')).toBe(9);
  } finally {
    await gateway.stop();
  }
});

test('a merchant opening or closing a tool empties the cache of every gateway at once', async () => {
  const merchantId = await merchantWhere(graph, NOT_OPTED_IN);
  const other = await startGatewayFor(graph);
  try {
    const gateways = [graph.gateway, other];
    for (const gateway of gateways) {
      await warm(gateway, CHECKOUT, { m: merchantId });
      expect(await wechatAt(gateway, merchantId)).toEqual({ atCheckout: false, enrolled: [] });
    }
    const hits = await Promise.all(gateways.map((gateway) => cacheCount(gateway, 'hit')));
    expect(hits.every((count) => count >= 2)).toBe(true);

    // Through one gateway; the other hears of it from merchants.
    expect((await graph.query(OPEN, { m: merchantId })).errors).toBeUndefined();
    for (const gateway of gateways) await expectEventually(() => wechatAt(gateway, merchantId), { atCheckout: true, enrolled: ['wechat-pay'] });

    for (const gateway of gateways) await warm(gateway, CHECKOUT, { m: merchantId });
    expect((await graph.query(CLOSE, { m: merchantId })).errors).toBeUndefined();
    for (const gateway of gateways) await expectEventually(() => wechatAt(gateway, merchantId), { atCheckout: false, enrolled: [] });
  } finally {
    await other.stop();
  }
});

test('the gateway a change went through answers with it at once, whenever the event bus delivers it', async () => {
  const merchantId = await merchantWhere(graph, NOT_OPTED_IN);
  // The change never arrives by the bus: the gateway follows merchants'
  // stream through a proxy that serves GraphQL only, or a channel nobody
  // publishes on. All it knows is what merchants' answers tell it.
  const proxy = await startProxy(graph.subgraphs.merchants.url);
  const gateway = await startGatewayFor(graph, { merchants: proxy.url }, { factEvents: { ...graph.factEvents, channel: `unheard_${randomUUID()}` } });
  try {
    await warm(gateway, CHECKOUT, { m: merchantId });
    expect(await wechatAt(gateway, merchantId)).toEqual({ atCheckout: false, enrolled: [] });
    expect(await cacheCount(gateway, 'hit')).toBeGreaterThanOrEqual(2);

    expect((await postGraphQL(gateway.url, OPEN, { m: merchantId }, PARTNER_A)).errors).toBeUndefined();
    expect(await wechatAt(gateway, merchantId)).toEqual({ atCheckout: true, enrolled: ['wechat-pay'] });

    await warm(gateway, CHECKOUT, { m: merchantId });
    expect((await postGraphQL(gateway.url, CLOSE, { m: merchantId }, PARTNER_A)).errors).toBeUndefined();
    expect(await wechatAt(gateway, merchantId)).toEqual({ atCheckout: false, enrolled: [] });
  } finally {
    await gateway.stop();
    await proxy.stop();
  }
});

test('a read that starts after a change went through never shares the answer of one sent to the subgraph before it', async () => {
  const merchantId = await merchantWhere(graph, NOT_OPTED_IN);
  const proxy = await startProxy(graph.subgraphs.merchants.url);
  const gateway = await startGatewayFor(graph, { merchants: proxy.url });
  const ENROLLED = /* GraphQL */ `query Enrolled($m: ID!) { merchant(id: $m) { storefront(platformId: "taobao") { enrolledTools { id } } } }`;
  const enrolled = async () => {
    const answer = await postGraphQL<{ merchant: { storefront: { enrolledTools: { id: string }[] } } }>(gateway.url, ENROLLED, { m: merchantId }, PARTNER_A);
    expect(answer.errors).toBeUndefined();
    return answer.data?.merchant.storefront.enrolledTools.map((tool) => tool.id);
  };
  try {
    // Identical reads in flight for one caller are shared, whatever second
    // their signed identities name: only the change between them may keep
    // the second from sharing the first.
    proxy.holdReadsMs = 1500;
    const sentBefore = enrolled();
    while (!proxy.requests.some((request) => request.body.includes('enrolledTools'))) await new Promise((resolve) => setTimeout(resolve, 5));
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect((await postGraphQL(gateway.url, OPEN, { m: merchantId }, PARTNER_A)).errors).toBeUndefined();

    expect(await enrolled()).toEqual(['wechat-pay']);
    expect(await sentBefore).toEqual([]);
  } finally {
    await gateway.stop();
    await proxy.stop();
  }
});

test('operations that differ only in aliases share a plan and a cached answer, each answered in its own names', async () => {
  const gateway = await startGatewayFor(graph);
  try {
    const shape = (alias: string) => `{ ${alias}: platform(id: "taobao") { n: name merchants(first: 3) { edges { node { id } } } } }`;
    const planHits = async () => (await gateway.metrics.planCache.get()).values.find((value) => value.labels.result === 'hit')?.value ?? 0;
    const answers = [];
    for (const alias of ['first', 'second', 'third', 'fourth']) {
      const answer = await postGraphQL<Record<string, { n: string; merchants: { edges: unknown[] } }>>(gateway.url, shape(alias), undefined, PARTNER_A);
      expect(answer.errors).toBeUndefined();
      expect(Object.keys(answer.data ?? {})).toEqual([alias]);
      answers.push(answer.data?.[alias]);
    }
    expect(answers[0]?.n).toBe('Taobao');
    expect(answers[0]?.merchants.edges).toHaveLength(3);
    for (const answer of answers) expect(answer).toEqual(answers[0]);
    // Planned once; stored on the second ask; the third and fourth served from the cache.
    expect(await planHits()).toBeGreaterThanOrEqual(1);
    expect(await cacheCount(gateway, 'hit')).toBe(2);

    // A refused field keeps the client's path in its error.
    const merchantId = await merchantWhere(graph, `m.status = 'ACTIVE'`);
    const refused = await postGraphQL<{ who: { paid: unknown } }>(gateway.url, `{ who: merchant(id: "${merchantId}") { paid: payments(first: 1) { edges { node { id } } } } }`, undefined, null);
    expect(refused.data).toEqual({ who: { paid: null } });
    expect(refused.errors?.map((error) => [error.path, error.extensions?.code])).toEqual([[['who', 'paid'], 'UNAUTHENTICATED']]);

    // A validation error points into the text the client sent.
    const text = '{\n  tools: paymentTools { id nope }\n}';
    const invalid = await postGraphQL(gateway.url, text, undefined, PARTNER_A);
    expect(invalid.errors?.map((error) => [error.extensions?.code, error.locations])).toEqual([['GRAPHQL_VALIDATION_FAILED', [{ line: 2, column: 28 }]]]);
  } finally {
    await gateway.stop();
  }
});

// Where the environment has Redis (CI sets REDIS_URL on its second run).
const redisUrl = process.env.REDIS_URL;
if (redisUrl) {
  test('gateways sharing a Redis share their cached answers', async () => {
    const shared = { redisUrl, responseCacheKeyPrefix: `test:${randomUUID()}` };
    const first = await startGatewayFor(graph, {}, shared);
    const second = await startGatewayFor(graph, {}, shared);
    try {
      await postGraphQL(first.url, TOOLS, undefined, PARTNER_A);
      await postGraphQL(first.url, TOOLS, undefined, PARTNER_A);
      // Stored by the first gateway, served by the second on its first ask.
      const fromShared = await postGraphQL(second.url, TOOLS, undefined, PARTNER_A);
      expect(fromShared.errors).toBeUndefined();
      expect(await cacheCount(second, 'hit')).toBe(1);
    } finally {
      await Promise.all([first.stop(), second.stop()]);
    }
  });

  test('a change heard in a mutation\'s answer and again on the bus moves the gateway once: gateways sharing a Redis still share answers', async () => {
    const merchantId = await merchantWhere(graph, NOT_OPTED_IN);
    const shared = { redisUrl, responseCacheKeyPrefix: `test:${randomUUID()}` };
    const through = await startGatewayFor(graph, {}, shared);
    const other = await startGatewayFor(graph, {}, shared);
    try {
      expect((await postGraphQL(through.url, OPEN, { m: merchantId }, PARTNER_A)).errors).toBeUndefined();
      await expectEventually(() => wechatAt(other, merchantId), { atCheckout: true, enrolled: ['wechat-pay'] });
      // The gateway the change went through has heard it on the bus by now too.
      await new Promise((resolve) => setTimeout(resolve, 200));
      await postGraphQL(through.url, TOOLS, undefined, PARTNER_A);
      await postGraphQL(through.url, TOOLS, undefined, PARTNER_A);
      const hitsBefore = await cacheCount(other, 'hit');
      expect((await postGraphQL(other.url, TOOLS, undefined, PARTNER_A)).errors).toBeUndefined();
      expect(await cacheCount(other, 'hit')).toBe(hitsBefore + 1);
    } finally {
      await Promise.all([through.stop(), other.stop()]);
    }
  });
}

