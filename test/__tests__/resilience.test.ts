// The gateway through faults, in one process: a subgraph down, slow, hanging or
// dropping connections; partial answers with codes naming the subgraph;
// retries, shared reads, readiness, metrics and request ids.
import { CommerceStore, startCommerce } from '@interop/commerce';
import type { RunningGateway } from '@interop/gateway';
import { REQUESTS_TO_BE_LABELLED } from '../../gateway/src/request-metrics';
import { postGraphQL, startGraph, startGatewayFor, type Graph } from '@interop/testing/harness';
import { startProxy, type Proxy } from '@interop/testing/proxy';
import { TEST_TRUST } from '@interop/testing/identities';
import { subgraphMetric } from '@interop/testing/payments-helpers';
import { expectEventually } from '@interop/testing/processes';

let graph: Graph;

beforeAll(async () => {
  graph = await startGraph({ merchantCount: 100 });
});

afterAll(async () => {
  await graph?.stop();
});

const MERCHANT = /* GraphQL */ `{
  paymentTools { name }
  merchant(id: "m0000002") { name storefronts { platform { name } paymentOptions { tool { name } } } }
}`;

type MerchantAnswer = {
  paymentTools: { name: string }[];
  merchant: { name: string; storefronts: { platform: { name: string | null }; paymentOptions: { tool: { name: string } }[] | null }[] };
};

function errorsOf(response: { errors?: { extensions?: Record<string, unknown> }[] }) {
  return (response.errors ?? []).map((error) => ({ code: error.extensions?.code, subgraph: error.extensions?.subgraph }));
}

/** Waits until payments and merchants serve nothing they held of commerce's: they no longer hear its fact events. */
async function commerceFactsNoLongerHeld(): Promise<void> {
  for (const subgraph of ['payments', 'merchants'] as const) {
    await expectEventually(async () => (await subgraphMetric(graph, subgraph, `${subgraph}_peer_facts_held`, 'owner')).commerce ?? 0, 0);
  }
}

describe('commerce down', () => {
  test("unaffected fields answer in full; commerce's own are null with SUBGRAPH_UNAVAILABLE, the facts others hold of it with DEPENDENCY_UNAVAILABLE once its events are not heard, each naming commerce; all whole again once it is back", async () => {
    const port = graph.subgraphs.commerce.port;
    await graph.subgraphs.commerce.stop();
    try {
      const tools = await graph.query<{ paymentTools: { name: string }[] }>(`{ paymentTools { name } }`);
      expect(tools.errors).toBeUndefined();
      expect(tools.data?.paymentTools).toHaveLength(7);

      // Its fact events came on its own stream, which ended with it.
      await commerceFactsNoLongerHeld();
      const partial = await graph.query<MerchantAnswer & { platforms: unknown }>(`{ platforms { id } ${MERCHANT.slice(1)}`);
      expect(partial.data?.paymentTools).toHaveLength(7);
      expect(partial.data?.platforms).toBeNull();
      expect(partial.data?.merchant.name).toEqual(expect.any(String));
      for (const storefront of partial.data?.merchant.storefronts ?? []) {
        expect(storefront.platform.name).toBeNull();
        expect(storefront.paymentOptions).toBeNull();
      }
      const errors = (partial.errors ?? []).map((error) => ({ code: error.extensions?.['code'], names: error.extensions?.['subgraph'] ?? error.extensions?.['dependency'] }));
      expect(new Set(errors.map((error) => JSON.stringify(error)))).toEqual(
        new Set([JSON.stringify({ code: 'SUBGRAPH_UNAVAILABLE', names: 'commerce' }), JSON.stringify({ code: 'DEPENDENCY_UNAVAILABLE', names: 'commerce' })]),
      );

      // A platform's page starts in merchants, which answers the root platform from what it holds of commerce.
      const page = await graph.query<{ platform: unknown }>(`{ platform(id: "taobao") { merchants(first: 2) { edges { node { id } } } } }`);
      expect(page.data?.platform).toBeNull();
      expect(page.errors?.map((error) => [error.extensions?.['code'], error.extensions?.['dependency']])).toEqual([['DEPENDENCY_UNAVAILABLE', 'commerce']]);

      const ready = await fetch(new URL('/ready', graph.gateway.url));
      expect(ready.status).toBe(503);
      expect(((await ready.json()) as { subgraphs: Record<string, { ok: boolean }> }).subgraphs.commerce?.ok).toBe(false);
    } finally {
      graph.subgraphs.commerce = await startCommerce({ port, host: '127.0.0.1', store: new CommerceStore(), trust: TEST_TRUST });
    }
    const whole = await graph.query<MerchantAnswer>(MERCHANT);
    expect(whole.errors).toBeUndefined();
    const page = await graph.query<{ platform: { merchants: { edges: unknown[] } } }>(`{ platform(id: "taobao") { merchants(first: 2) { edges { node { id } } } } }`);
    expect(page.errors).toBeUndefined();
    expect(page.data?.platform.merchants.edges).toHaveLength(2);
    expect(whole.data?.merchant.storefronts.every((s) => s.platform.name !== null && s.paymentOptions !== null)).toBe(true);
    expect((await fetch(new URL('/ready', graph.gateway.url))).status).toBe(200);
  });

  test('a gateway started while a subgraph is down serves, and recovers by itself when it returns', async () => {
    const port = graph.subgraphs.commerce.port;
    await graph.subgraphs.commerce.stop();
    let gateway: RunningGateway | undefined;
    try {
      gateway = await startGatewayFor(graph);
      const tools = await postGraphQL<{ paymentTools: unknown[] }>(gateway.url, `{ paymentTools { id } }`);
      expect(tools.data?.paymentTools).toHaveLength(7);
      const down = await postGraphQL(gateway.url, `{ platforms { id } }`);
      expect(errorsOf(down)).toEqual([{ code: 'SUBGRAPH_UNAVAILABLE', subgraph: 'commerce' }]);
      graph.subgraphs.commerce = await startCommerce({ port, host: '127.0.0.1', store: new CommerceStore(), trust: TEST_TRUST });
      const back = await postGraphQL<{ platforms: unknown[] }>(gateway.url, `{ platforms { id } }`);
      expect(back.errors).toBeUndefined();
      expect(back.data?.platforms).toHaveLength(10);
    } finally {
      await gateway?.stop();
    }
  });
});

describe('through a proxy in front of payments', () => {
  let proxy: Proxy;
  let gateway: RunningGateway;

  beforeEach(async () => {
    proxy = await startProxy(graph.subgraphs.payments.url);
    gateway = await startGatewayFor(graph, { payments: proxy.url }, { subgraphTimeouts: { payments: 300 } });
  });

  afterEach(async () => {
    await gateway.stop();
    await proxy.stop();
  });

  test('a slow subgraph hits its timeout: GATEWAY_TIMEOUT naming it, the rest answers, nothing waits longer', async () => {
    proxy.delayMs = 3000;
    const started = Date.now();
    const response = await postGraphQL<{ platforms: unknown[]; paymentTools: unknown }>(gateway.url, `{ platforms { id } paymentTools { id } }`);
    expect(Date.now() - started).toBeLessThan(2000);
    expect(response.data?.platforms).toHaveLength(10);
    expect(errorsOf(response)).toEqual([{ code: 'GATEWAY_TIMEOUT', subgraph: 'payments' }]);
  });

  test('a read whose connection failed is retried once; a mutation never is', async () => {
    proxy.dropNext = 1;
    const read = await postGraphQL<{ paymentTools: unknown[] }>(gateway.url, `{ paymentTools { id } }`);
    expect(read.errors).toBeUndefined();
    expect(read.data?.paymentTools).toHaveLength(7);
    expect(proxy.requests).toHaveLength(2);

    proxy.requests.length = 0;
    proxy.dropNext = 1;
    const write = await postGraphQL(gateway.url, /* GraphQL */ `mutation { cancelPayment(id: "pay_none", idempotencyKey: "k") { id } }`);
    expect(errorsOf(write)).toEqual([{ code: 'SUBGRAPH_UNAVAILABLE', subgraph: 'payments' }]);
    expect(proxy.requests).toHaveLength(1);
  });

  test('identical reads in flight are sent to the subgraph once, though their signed identities name different seconds', async () => {
    // A gateway that waits for payments longer than this describe's: each read is held a second and a half.
    const patient = await startGatewayFor(graph, { payments: proxy.url }, { subgraphTimeouts: { payments: 10_000 } });
    try {
      proxy.delayMs = 1500;
      const read = () => postGraphQL<{ paymentTools: unknown[] }>(patient.url, `{ paymentTools { id name } }`);
      // The first read late in one second, the others in the next: the identity the gateway signs names the second it expires in.
      await new Promise((resolve) => setTimeout(resolve, (1900 - (Date.now() % 1000)) % 1000));
      const first = read();
      await new Promise((resolve) => setTimeout(resolve, 200));
      const responses = await Promise.all([first, ...Array.from({ length: 4 }, read)]);
      for (const response of responses) expect(response.data?.paymentTools).toHaveLength(7);
      expect(proxy.requests).toHaveLength(1);
    } finally {
      await patient.stop();
    }
  });

  test('the request id is returned to the client and passed to the subgraph', async () => {
    const mine = await fetch(gateway.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-request-id': 'client-req-42' },
      body: JSON.stringify({ query: '{ paymentTools { id } }' }),
    });
    expect(mine.headers.get('x-request-id')).toBe('client-req-42');
    expect(proxy.requests.at(-1)?.headers['x-request-id']).toBe('client-req-42');
    const made = await fetch(gateway.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"query":"{ paymentTools { id } }"}' });
    const id = made.headers.get('x-request-id');
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    expect(proxy.requests.at(-1)?.headers['x-request-id']).toBe(id);
  });
});

describe('commerce hanging', () => {
  test("only what the gateway asks of it times out (GATEWAY_TIMEOUT naming it): storefronts answer whole, with the facts of commerce's that merchants and payments read themselves", async () => {
    const proxy = await startProxy(graph.subgraphs.commerce.url);
    // Commerce accepts the connection and never answers, as a stopped (SIGSTOP) process does.
    proxy.delayMs = 60_000;
    const gateway = await startGatewayFor(graph, { commerce: proxy.url }, { subgraphTimeouts: { commerce: 300 } });
    try {
      const response = await postGraphQL<MerchantAnswer & { platforms: unknown }>(gateway.url, `{ platforms { id } ${MERCHANT.slice(1)}`);
      expect(response.data?.platforms).toBeNull();
      expect(errorsOf(response)).toEqual([{ code: 'GATEWAY_TIMEOUT', subgraph: 'commerce' }]);
      expect(response.data?.paymentTools).toHaveLength(7);
      expect(response.data?.merchant.name).toEqual(expect.any(String));
      expect(response.data?.merchant.storefronts.length).toBeGreaterThan(0);
      for (const storefront of response.data?.merchant.storefronts ?? []) {
        expect(storefront.platform.name).toEqual(expect.any(String));
        expect(storefront.paymentOptions).toEqual(expect.any(Array));
      }
    } finally {
      await gateway.stop();
      await proxy.stop();
    }
  });
});

describe('operations endpoints', () => {
  test('/health is alive, /ready lists every subgraph', async () => {
    const health = await fetch(new URL('/health', graph.gateway.url));
    expect(await health.json()).toEqual({ status: 'ok' });
    const ready = await fetch(new URL('/ready', graph.gateway.url));
    expect(ready.status).toBe(200);
    const body = (await ready.json()) as { status: string; subgraphs: Record<string, { ok: boolean }> };
    expect(body.status).toBe('ready');
    expect(Object.keys(body.subgraphs).sort()).toEqual(['commerce', 'merchants', 'payments']);
    for (const subgraph of ['commerce', 'merchants', 'payments'] as const) {
      const own = await fetch(graph.subgraphs[subgraph].url.replace(/\/graphql$/, '/health'));
      expect(((await own.json()) as { status: string }).status).toBe('ok');
      const ownReady = await fetch(graph.subgraphs[subgraph].url.replace(/\/graphql$/, '/ready'));
      expect([subgraph, ownReady.status]).toEqual([subgraph, 200]);
    }
  });

  test('/metrics counts requests by operation, errors by code, subgraph fetches and plan cache hits', async () => {
    const named = /* GraphQL */ `query MetricsProbe { platforms { id } }`;
    // A name is a label of its own from its REQUESTS_TO_BE_LABELLED-th request on (until then `other`): two more after that.
    for (let i = 0; i < REQUESTS_TO_BE_LABELLED + 1; i += 1) await graph.query(named);
    await graph.query(`{ merchants(first: -1) { totalCount } }`);
    const text = await (await fetch(new URL('/metrics', graph.gateway.url))).text();
    expect(text).toMatch(/gateway_requests_total\{operation="MetricsProbe",outcome="ok"\} 2/);
    expect(text).toMatch(/gateway_errors_total\{code="BAD_USER_INPUT"\} [1-9]/);
    expect(text).toMatch(/gateway_request_duration_seconds_bucket\{le="[^"]+",operation="MetricsProbe"\}/);
    expect(text).toMatch(/gateway_subgraph_fetch_duration_seconds_count\{subgraph="commerce",outcome="ok"\} [1-9]/);
    expect(text).toMatch(/gateway_query_plan_cache_total\{result="hit"\} [1-9]/);
    expect(text).toMatch(/gateway_query_plan_cache_total\{result="miss"\} [1-9]/);
  });
});
