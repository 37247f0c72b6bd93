// A subgraph answer that does not fit the supergraph (null for a non-null
// field) reaches the client as a masked INTERNAL_SERVER_ERROR at the field's
// path, and the details only reach the log: @apollo/gateway's own report of
// it (`extensions.valueCompletion`) never leaves the gateway.
import pino from 'pino';
import type { RunningGateway } from '@interop/gateway';
import { NO_RESPONSE_CACHE, startGatewayFor, startGraph, type Graph } from '@interop/testing/harness';
import { startProxy, type Proxy } from '@interop/testing/proxy';

let graph: Graph;
let gateway: RunningGateway;
let proxy: Proxy;
const logged: { msg?: string; errors?: { message?: string }[]; path?: unknown[] }[] = [];

beforeAll(async () => {
  graph = await startGraph({ merchantCount: 10 });
  proxy = await startProxy(graph.subgraphs.payments.url);
  const logger = pino({ level: 'error' }, { write: (line: string) => void logged.push(JSON.parse(line) as (typeof logged)[number]) });
  gateway = await startGatewayFor(graph, { payments: proxy.url }, { ...NO_RESPONSE_CACHE, logger });
});

afterAll(async () => {
  await gateway?.stop();
  await proxy?.stop();
  await graph?.stop();
});

test('a null for a non-null field from a subgraph is masked, at its path, and logged', async () => {
  proxy.rewrite = () => JSON.stringify({ data: { paymentTools: [{ id: null }] } });
  try {
    const response = await fetch(gateway.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: '{ paymentTools { id } }' }) });
    const text = await response.text();
    const body = JSON.parse(text) as { data?: { paymentTools: unknown }; errors?: { path?: unknown[]; extensions?: { code?: string } }[]; extensions?: unknown };
    expect(text).not.toContain('valueCompletion');
    expect(body.extensions).toBeUndefined();
    expect(body.data?.paymentTools).toBeNull();
    expect(body.errors?.map((error) => error.extensions?.code)).toEqual(['INTERNAL_SERVER_ERROR']);
    expect(body.errors?.[0]?.path?.[0]).toBe('paymentTools');
    // What went wrong is logged at the field's path (the plan executor's shaping; @apollo/gateway's value completion when it runs the plan).
    expect(logged.some((line) => line.path?.[0] === 'paymentTools' || (line.errors ?? []).length > 0)).toBe(true);
  } finally {
    proxy.rewrite = undefined;
  }
});

test('once the subgraph answers properly, so does the gateway', async () => {
  const response = await fetch(gateway.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: '{ paymentTools { id } }' }) });
  const body = (await response.json()) as { data?: { paymentTools: { id: string }[] }; errors?: unknown };
  expect(body.errors).toBeUndefined();
  expect(body.data?.paymentTools.length).toBeGreaterThan(0);
});
