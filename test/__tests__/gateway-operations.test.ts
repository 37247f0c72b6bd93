// Operating the gateway under load: a supergraph hot reload drops no request
// and an invalid file is refused; SIGTERM drains requests in flight; a
// subgraph killed and restarted under load costs only its own fields, for a
// while, and no request hangs.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startGateway } from '@interop/gateway';
import { createLogger } from '@interop/kit';
import { NO_RESPONSE_CACHE, postGraphQL, startGatewayFor, startGraph, supergraphFor, TEST_GATEWAY_OPTIONS, type Graph, useEmbeddedBackends } from '@interop/testing/harness';
import { runLoad } from '@interop/testing/load';
import { startProxy } from '@interop/testing/proxy';
import { finished, freePort, runService, waitForOutput } from '@interop/testing/processes';
import { scratchDir } from '@interop/testing/scratch-dir';

useEmbeddedBackends();

let graph: Graph;
const dir = scratchDir('gateway-ops-');

beforeAll(async () => {
  graph = await startGraph({ merchantCount: 50 });
});

afterAll(async () => {
  await graph?.stop();
});

const routes = (overrides: Record<string, string> = {}) =>
  Object.fromEntries(Object.values(graph.subgraphs).map((subgraph) => [subgraph.name, overrides[subgraph.name] ?? subgraph.url]));

test('a supergraph hot reload under load drops no request; an invalid file is refused and the old schema keeps serving', async () => {
  const file = join(dir, 'reload.graphql');
  const initial = supergraphFor(routes());
  writeFileSync(file, initial);
  const proxy = await startProxy(graph.subgraphs.payments.url);
  // Every request must reach the subgraphs, from either schema.
  const gateway = await startGateway({ supergraphSdl: initial, supergraphPath: file, port: 0, host: '127.0.0.1', logger: createLogger('test'), ...TEST_GATEWAY_OPTIONS, ...NO_RESPONSE_CACHE });
  try {
    let phase = 0;
    const results = await runLoad<{ paymentTools: unknown[] }>({
      url: () => gateway.url,
      query: '{ paymentTools { id } }',
      total: 240,
      concurrency: 6,
      // Dropped is what fails it, not slow: loading a new supergraph holds this process's event loop,
      // which beside a CPU-bound process has kept requests waiting past 5 s.
      deadlineMs: 30_000,
      onProgress: async (done) => {
        if (phase === 0 && done >= 60) {
          phase = 1;
          // Route payments through the proxy: requests after the swap reach it.
          writeFileSync(file, supergraphFor(routes({ payments: proxy.url })));
        } else if (phase === 1 && done >= 150 && proxy.requests.length > 0) {
          phase = 2;
          writeFileSync(file, 'this is not a supergraph');
        }
      },
    });
    expect(phase).toBe(2);
    expect(results.filter((r) => r.failure || r.response?.errors || r.response?.data?.paymentTools.length !== 7)).toEqual([]);
    // After the refused file the proxied schema still serves.
    const seen = proxy.requests.length;
    const after = await postGraphQL<{ paymentTools: unknown[] }>(gateway.url, '{ paymentTools { name } }');
    expect(after.data?.paymentTools).toHaveLength(7);
    expect(proxy.requests.length).toBeGreaterThan(seen);
  } finally {
    await gateway.stop();
    await proxy.stop();
  }
});

test('SIGTERM lets requests in flight finish, then the gateway exits 0', async () => {
  const proxy = await startProxy(graph.subgraphs.payments.url);
  proxy.delayMs = 400;
  const file = join(dir, 'drain.graphql');
  writeFileSync(file, supergraphFor(routes({ payments: proxy.url })));
  const port = await freePort();
  // No warm-up: its requests would reach the slow subgraph too, and this counts only the test's.
  const child = runService('gateway', ['--supergraph', file, '--port', String(port), '--host', '127.0.0.1'], { LOG_LEVEL: 'info', GATEWAY_WARM_UP_REQUESTS: '0' });
  const exit = finished(child);
  try {
    await waitForOutput(child, /gateway listening/);
    const url = `http://127.0.0.1:${port}/`;
    // Distinct queries, so none is shared with another on its way to payments
    // (two aliases of one field are kept: they tell the fields apart).
    const inFlight = Array.from({ length: 8 }, (_, i) => postGraphQL<{ paymentTools: unknown[] }>(url, `{ paymentTools { id name r${i}: name } }`));
    // SIGTERM once every request is in flight at the (slow) subgraph.
    while (proxy.requests.length < 8) await new Promise((resolve) => setTimeout(resolve, 20));
    child.kill('SIGTERM');
    const responses = await Promise.all(inFlight);
    for (const response of responses) expect(response.data?.paymentTools).toHaveLength(7);
    expect((await exit).code).toBe(0);
    await expect(fetch(url)).rejects.toThrow();
  } finally {
    child.kill('SIGKILL');
    await proxy.stop();
  }
});

test('a subgraph process killed under load: no request hangs, other fields answer, and all answers are whole after it restarts', async () => {
  const port = await freePort();
  const commerceEnv = { COMMERCE_PORT: String(port) };
  let commerce = runService('commerce', [], { ...commerceEnv, LOG_LEVEL: 'info' });
  await waitForOutput(commerce, /subgraph listening/);
  // Every request must reach commerce, to meet it killed and restarted.
  const gateway = await startGatewayFor(graph, { commerce: `http://127.0.0.1:${port}/graphql` }, { subgraphTimeoutMs: 1000, ...NO_RESPONSE_CACHE });
  let phase = 'up';
  // Holds new requests while commerce restarts, so every request tagged 'back' started after it was up again.
  let gate: Promise<void> = Promise.resolve();
  try {
    const results = await runLoad<{ paymentTools: unknown[]; platforms: unknown[] | null; merchant: { name: string; storefronts: { platform: { name: string | null } }[] } }>({
      url: () => gateway.url,
      query: '{ paymentTools { id } platforms { id } merchant(id: "m0000001") { name storefronts { platform { name } } } }',
      total: 220,
      concurrency: 5,
      deadlineMs: 5000,
      gate: () => gate,
      tag: () => phase,
      onProgress: async (done) => {
        if (phase === 'up' && done >= 40) {
          phase = 'killed';
          commerce.kill('SIGKILL');
          await finished(commerce);
        } else if (phase === 'killed' && done >= 110) {
          phase = 'restarting';
          gate = (async () => {
            commerce = runService('commerce', [], { ...commerceEnv, LOG_LEVEL: 'info' });
            await waitForOutput(commerce, /subgraph listening/);
            phase = 'back';
          })();
          await gate;
        }
      },
    });
    expect(phase).toBe('back');
    expect(results.filter((r) => r.failure)).toEqual([]);
    for (const { response } of results) {
      expect(response?.data?.paymentTools).toHaveLength(7);
      expect(response?.data?.merchant.name).toEqual(expect.any(String));
    }
    const degraded = results.filter((r) => r.response?.errors?.some((e) => e.extensions?.code === 'SUBGRAPH_UNAVAILABLE' && e.extensions.subgraph === 'commerce'));
    expect(degraded.length).toBeGreaterThan(0);
    const back = results.filter((r) => r.tag === 'back');
    expect(back.length).toBeGreaterThanOrEqual(20);
    for (const { response } of back) {
      expect(response?.errors).toBeUndefined();
      expect(response?.data?.platforms).toHaveLength(10);
      expect(response?.data?.merchant.storefronts.every((s) => s.platform.name !== null)).toBe(true);
    }
  } finally {
    await gateway.stop();
    commerce.kill('SIGTERM');
    await finished(commerce);
  }
}, 120_000);
