// `npm run gateway -- --supergraph FILE --port N` as a user runs it: serves any
// supergraph file at the URLs in it; every mistake is one line and a non-zero exit.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { composeSupergraph, readSupergraphConfig } from '@interop/gateway';
import { postGraphQL, startGraph, type Graph, useEmbeddedBackends } from '@interop/testing/harness';
import { finished, freePort, ROOT, runTs, waitForOutput } from '@interop/testing/processes';
import { scratchDir } from '@interop/testing/scratch-dir';

useEmbeddedBackends();

const dir = scratchDir('gateway-cli-');

test.each([
  ['an unknown flag', ['--nope']],
  ['a missing supergraph file', ['--supergraph', join(dir, 'missing.graphql'), '--port', '0']],
  ['a port that is not a number', ['--port', 'eighty']],
  ['a malformed --subgraph-url', ['--subgraph-url', 'commerce']],
])('%s: one line on stderr and exit 1', async (_name, args) => {
  const result = await finished(runTs('gateway/src/main.ts', args));
  expect(result.code).toBe(1);
  expect(result.stderr.trim().split('\n')).toHaveLength(1);
});

test('an invalid supergraph file: one line on stderr and exit 1', async () => {
  const file = join(dir, 'invalid.graphql');
  writeFileSync(file, 'type Query { hello: String }\n');
  const result = await finished(runTs('gateway/src/main.ts', ['--supergraph', file, '--port', '0']));
  expect(result.code).toBe(1);
  expect(result.stderr.trim().split('\n')).toHaveLength(1);
});

describe('serving a supergraph file', () => {
  let graph: Graph;

  beforeAll(async () => {
    graph = await startGraph({ merchantCount: 50 });
  });

  afterAll(async () => {
    await graph?.stop();
  });

  test('routes to the URLs written in the file and stops cleanly on SIGTERM', async () => {
    const urls = Object.fromEntries(Object.values(graph.subgraphs).map((subgraph) => [subgraph.name, subgraph.url]));
    const file = join(dir, 'supergraph.graphql');
    writeFileSync(file, composeSupergraph(readSupergraphConfig(join(ROOT, 'supergraph.yaml')), urls));
    const port = await freePort();
    // The repository's gateway.config.yaml, with its warm-up cut to 20 runs of each query.
    const child = runTs('gateway/src/main.ts', ['--supergraph', file, '--port', String(port), '--host', '127.0.0.1'], {
      LOG_LEVEL: 'info',
      GATEWAY_WARM_UP_REQUESTS: '20',
    });
    const exit = finished(child);
    // Logged after `gateway listening`, once the warm-up has run.
    const warmed = JSON.parse(await waitForOutput(child, /\{[^\n]*"msg":"warmed up"[^\n]*\}/)) as { operations: unknown[] };
    expect(warmed.operations).toEqual([
      { operation: 'TaobaoCheckout', runs: 20 },
      { operation: 'MerchantPage', runs: 20 },
      { operation: 'CheckoutOptions', runs: 20 },
    ]);
    expect((await fetch(`http://127.0.0.1:${port}/ready`)).status).toBe(200);
    const response = await postGraphQL<{ platform: { name: string; merchants: { totalCount: number } } }>(
      `http://127.0.0.1:${port}/`,
      /* GraphQL */ `{ platform(id: "taobao") { name merchants { totalCount } } }`,
    );
    expect(response.errors).toBeUndefined();
    expect(response.data?.platform.name).toBe('Taobao');
    child.kill('SIGTERM');
    expect((await exit).code).toBe(0);
  });
});
