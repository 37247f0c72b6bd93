// Requests meant to take the gateway down are refused before any subgraph is
// called, each with its code; the gateway still serves normal queries after.
import { startGraph, startGatewayFor, type Graph } from '../harness';
import type { RunningGateway } from '@interop/gateway';
import { startProxy, type Proxy } from '../proxy';

let graph: Graph;
let gateway: RunningGateway;
let proxies: Proxy[];

beforeAll(async () => {
  graph = await startGraph({ merchantCount: 50 });
  // Every subgraph behind a recording proxy, to prove refused requests reach none of them.
  proxies = await Promise.all(Object.values(graph.subgraphs).map((subgraph) => startProxy(subgraph.url)));
  const names = Object.values(graph.subgraphs).map((subgraph) => subgraph.name);
  gateway = await startGatewayFor(graph, Object.fromEntries(names.map((name, i) => [name, proxies[i]!.url])));
});

afterAll(async () => {
  await gateway?.stop();
  await Promise.all((proxies ?? []).map((proxy) => proxy.stop()));
  await graph?.stop();
});

// GraphQL requests only: the event streams the gateway follows are bodiless GETs.
const forwarded = () => proxies.reduce((sum, proxy) => sum + proxy.requests.filter((request) => request.body.length > 0).length, 0);

async function send(body: string, contentType = 'application/json') {
  const response = await fetch(gateway.url, { method: 'POST', headers: { 'content-type': contentType }, body });
  const text = await response.text();
  let json: { errors?: { extensions?: { code?: string } }[]; data?: unknown } = {};
  try {
    json = JSON.parse(text) as typeof json;
  } catch {
    // Some refusals are not GraphQL responses.
  }
  return { status: response.status, codes: (json.errors ?? []).map((e) => e.extensions?.code), json };
}

const nested = (depth: number) => {
  let selection = 'id';
  for (let i = 0; i < depth; i += 1) selection = `storefronts { merchant { ${selection} } }`;
  return `{ merchant(id: "m0000001") { ${selection} } }`;
};

test.each([
  ['a depth bomb', nested(8), 'OPERATION_TOO_DEEP'],
  ['an alias bomb', `{ ${Array.from({ length: 60 }, (_, i) => `a${i}: paymentTool(id: "alipay") { id }`).join(' ')} }`, 'TOO_MANY_ALIASES'],
  ['too many root fields', `{ ${Array.from({ length: 31 }, () => 'paymentTools { id }').join(' ')} }`, 'TOO_MANY_ROOT_FIELDS'],
  [
    'an expensive query',
    `{ merchants(first: 100) { edges { node { storefronts { platform { acceptedPaymentTools { tool { acceptedOn { platform { name } } } } } } } } } }`,
    'OPERATION_TOO_EXPENSIVE',
  ],
])('%s is refused with its code and reaches no subgraph', async (_name, query, code) => {
  const before = forwarded();
  const response = await send(JSON.stringify({ query }));
  expect(response.status).toBe(400);
  expect(response.codes).toEqual([code]);
  expect(forwarded()).toBe(before);
});

test('the 50-merchant query across three subgraphs stays within the limits', async () => {
  const response = await send(
    JSON.stringify({
      query: '{ platform(id: "taobao") { merchants(first: 50) { edges { node { storefronts { platform { name } paymentOptions { tool { name provider } } } } } } } }',
    }),
  );
  expect(response.status).toBe(200);
  expect(response.codes).toEqual([]);
});

test.each([
  ['malformed JSON', '{"query": ', 'application/json', 400],
  ['a batched array', JSON.stringify([{ query: '{ paymentTools { id } }' }, { query: '{ platforms { id } }' }]), 'application/json', 400],
  ['a body over 1 MiB', JSON.stringify({ query: `{ paymentTools { id } } # ${'x'.repeat(1024 * 1024)}` }), 'application/json', 413],
  ['a simple request without a preflight-proof content type (CSRF)', 'query=%7B%20paymentTools%20%7B%20id%20%7D%20%7D', 'application/x-www-form-urlencoded', 400],
])('%s is refused and reaches no subgraph', async (_name, body, contentType, status) => {
  const before = forwarded();
  expect((await send(body, contentType)).status).toBe(status);
  expect(forwarded()).toBe(before);
});

test.each([
  ['several operations and no operationName', { query: 'query A { platforms { id } } query B { paymentTools { id } }' }],
  ['an operationName the document does not have', { query: 'query A { platforms { id } }', operationName: 'B' }],
])('%s is OPERATION_RESOLUTION_FAILURE (HTTP 400), not an unexpected error, and reaches no subgraph', async (_name, request) => {
  const before = forwarded();
  const response = await send(JSON.stringify(request));
  expect(response.status).toBe(400);
  expect(response.codes).toEqual(['OPERATION_RESOLUTION_FAILURE']);
  expect(forwarded()).toBe(before);
});

test('after all of that the gateway still serves a normal query', async () => {
  const response = await send(JSON.stringify({ query: '{ platform(id: "taobao") { name } }' }));
  expect(response.status).toBe(200);
  expect(response.json.data).toEqual({ platform: { name: 'Taobao' } });
});
