// A gateway with a warm-up runs its queries through its engine before /ready
// answers 200: every run reaches the subgraphs its plan needs (the response
// cache answers none), none is counted or logged as a client's request, an
// operation that fails stops alone, `maxSeconds` bounds the whole, a new
// supergraph is warmed again, and a stop cuts a warm-up short.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { encodeCursor } from '@interop/kit/server';
import { startGatewayFor, startGraph, supergraphFor, type Graph } from '@interop/testing/harness';
import { expectEventually } from '@interop/testing/processes';
import { startProxy, type Proxy } from '@interop/testing/proxy';
import { scratchDir } from '@interop/testing/scratch-dir';

let graph: Graph;
let proxy: Proxy;

beforeAll(async () => {
  graph = await startGraph({ merchantCount: 120 });
  proxy = await startProxy(graph.subgraphs.merchants.url);
});

afterAll(async () => {
  await proxy?.stop();
  await graph?.stop();
});

beforeEach(() => {
  proxy.requests.length = 0;
  proxy.gate = undefined;
  proxy.delayMs = 0;
});

const PAGE = /* GraphQL */ `query MerchantPage($after: String) {
  platform(id: "taobao") { merchants(first: 20, after: $after) { edges { node { id storefronts { paymentOptions { tool { id } } } } } } }
}`;

/** The merchants page requests `proxy` forwarded. */
const pagesThrough = (through: Proxy) => through.requests.filter((request) => request.body.includes('merchants(')).length;

async function readiness(url: string): Promise<{ status: number; body: { status: string } }> {
  const response = await fetch(new URL('/ready', url));
  return { status: response.status, body: (await response.json()) as { status: string } };
}

test('ready only once warmed: each run reaches the subgraphs with its variables in turn, and none is cached, counted or logged', async () => {
  let open!: () => void;
  proxy.gate = new Promise((resolve) => (open = resolve));
  const gateway = await startGatewayFor(
    graph,
    { merchants: proxy.url },
    { warmUp: { operations: [{ query: PAGE, variables: [{}, { after: encodeCursor(40) }] }, { query: '{ noSuchField }' }], requests: 10, maxSeconds: 30 } },
  );
  try {
    // Merchants holds the page's first run: the gateway serves, but is not ready.
    expect(await readiness(gateway.url)).toEqual({ status: 503, body: { status: 'warming', subgraphs: {} } });
    open();
    expect(await gateway.warmedUp).toEqual([
      { operation: 'MerchantPage', runs: 10 },
      { operation: '{ noSuchField }', runs: 1, stoppedBy: 'GRAPHQL_VALIDATION_FAILED' },
    ]);
    expect((await readiness(gateway.url)).status).toBe(200);
    // The gateway's other requests to merchants (its fact stream) carry no GraphQL body.
    expect(pagesThrough(proxy)).toBe(10);
    const afters = proxy.requests
      .filter((request) => request.body !== '')
      .map((request) => JSON.parse(request.body) as { query: string; variables?: { after?: string } })
      .filter((body) => body.query.includes('merchants('))
      .map((body) => body.variables?.after ?? null);
    expect(afters).toEqual(Array.from({ length: 10 }, (_, run) => (run % 2 ? encodeCursor(40) : null)));
    expect((await gateway.metrics.requests.get()).values).toEqual([]);
    expect((await gateway.metrics.responseCache.get()).values).toEqual([]);
  } finally {
    await gateway.stop();
  }
});

test('maxSeconds ends a slow warm-up, and the gateway is ready after it', async () => {
  proxy.delayMs = 100;
  const started = performance.now();
  const gateway = await startGatewayFor(graph, { merchants: proxy.url }, { warmUp: { operations: [{ query: PAGE }], requests: 10_000, maxSeconds: 1 } });
  try {
    const [page] = await gateway.warmedUp;
    expect(page!.stoppedBy).toBeUndefined();
    expect(page!.runs).toBeGreaterThan(1);
    expect(page!.runs).toBeLessThan(20);
    expect(performance.now() - started).toBeLessThan(5_000);
    expect((await readiness(gateway.url)).status).toBe(200);
  } finally {
    await gateway.stop();
  }
});

test('a stop cuts the warm-up short', async () => {
  proxy.gate = new Promise(() => {});
  const gateway = await startGatewayFor(graph, { merchants: proxy.url }, { warmUp: { operations: [{ query: PAGE }], requests: 100, maxSeconds: 30 }, drainMs: 200 });
  await gateway.stop();
  const [page] = await gateway.warmedUp;
  expect(page!.runs).toBeLessThanOrEqual(1);
});

test('a new supergraph is warmed again, while the gateway goes on serving', async () => {
  const file = join(scratchDir('gateway-warm-up-'), 'supergraph.graphql');
  const direct = Object.fromEntries(Object.values(graph.subgraphs).map((subgraph) => [subgraph.name, subgraph.url]));
  writeFileSync(file, supergraphFor(direct));
  const gateway = await startGatewayFor(graph, {}, { supergraphPath: file, warmUp: { operations: [{ query: PAGE }], requests: 5, maxSeconds: 30 } });
  try {
    expect(await gateway.warmedUp).toEqual([{ operation: 'MerchantPage', runs: 5 }]);
    expect(pagesThrough(proxy)).toBe(0);
    // The same graph with merchants behind the proxy: the warm-up of the new one reaches it.
    writeFileSync(file, supergraphFor({ ...direct, merchants: proxy.url }));
    await expectEventually(async () => pagesThrough(proxy), 5, 20_000);
    expect((await readiness(gateway.url)).status).toBe(200);
  } finally {
    await gateway.stop();
  }
});
