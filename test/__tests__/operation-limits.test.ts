// Requests meant to take the gateway down are refused before any subgraph is
// called, each with its code; the gateway still serves normal queries after.
import { startGraph, startGatewayFor, type Graph } from '@interop/testing/harness';
import type { RunningGateway } from '@interop/gateway';
import { IDENTITY_HEADER, signIdentity } from '@interop/kit/security';
import { PARTNER_A, TEST_TRUST } from '@interop/testing/identities';
import { startProxy, type Proxy } from '@interop/testing/proxy';
import { firstOutcome, wsClient } from '@interop/testing/subscription-helpers';

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
])('%s is refused as a GraphQL error with BAD_REQUEST and reaches no subgraph', async (_name, body, contentType, status) => {
  const before = forwarded();
  const response = await send(body, contentType);
  expect(response.status).toBe(status);
  expect(response.codes).toEqual(['BAD_REQUEST']);
  expect(forwarded()).toBe(before);
});

test('a path the gateway does not serve is a GraphQL error with BAD_REQUEST', async () => {
  const response = await fetch(new URL('/nowhere', gateway.url));
  expect(response.status).toBe(404);
  expect(((await response.json()) as { errors: { extensions: { code: string } }[] }).errors.map((e) => e.extensions.code)).toEqual(['BAD_REQUEST']);
});

test('a subgraph answers malformed JSON (signed as the gateway signs) as the gateway does', async () => {
  const body = '{"query": ';
  const response = await fetch(graph.subgraphs.payments.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', [IDENTITY_HEADER]: signIdentity(TEST_TRUST.signingSecret, PARTNER_A.caller, 'payments', body) },
    body,
  });
  expect(response.status).toBe(400);
  expect(((await response.json()) as { errors: { extensions: { code: string } }[] }).errors.map((e) => e.extensions.code)).toEqual(['BAD_REQUEST']);
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

// Small texts that once cost time exponential in their size or overflowed the stack.
const doubling = (levels: number, on = 'Query', leaf = '__typename') =>
  [
    ...Array.from({ length: levels }, (_, i) => `fragment E${i} on ${on} { ...E${i + 1} ...E${i + 1} }`),
    `fragment E${levels} on ${on} { ${leaf} }`,
  ].join('\n');
const chain = (length: number, on = 'Query', leaf = '__typename') =>
  [...Array.from({ length }, (_, i) => `fragment C${i} on ${on} { ...C${i + 1} }`), `fragment C${length} on ${on} { ${leaf} }`].join('\n');
const NORMAL = '{ platform(id: "taobao") { name } }';
// Far past any limit; none of these may take long. Generous, for a loaded machine: the documents once took seconds to minutes.
const QUICKLY_MS = 5_000;

test.each([
  ['fragments each spreading the next twice, 27 levels', { query: `{ ...E0 }\n${doubling(26)}` }, 'OPERATION_TOO_EXPENSIVE'],
  ['the same with fields', { query: `{ ...E0 }\n${doubling(26, 'Query', 'paymentTools { id }')}` }, 'OPERATION_TOO_EXPENSIVE'],
  ['the same under first: 0', { query: `{ merchants(first: 0) { edges { node { ...E0 } } } }\n${doubling(26, 'Merchant', 'id')}` }, 'OPERATION_TOO_EXPENSIVE'],
  ['the same inside introspection', { query: `{ __schema { ...E0 } }\n${doubling(26, '__Schema', 'description')}` }, 'OPERATION_TOO_EXPENSIVE'],
  ['a chain of 3,000 fragments', { query: `{ ...C0 }\n${chain(3000)}` }, 'TOO_MANY_FRAGMENTS'],
  ['a chain of 4,000 fragments', { query: `{ ...C0 }\n${chain(4000)}` }, 'TOO_MANY_FRAGMENTS'],
  ['a selection nested 10,000 deep', { query: `{ ${'platform(id: "taobao") { '.repeat(10_000)}name${' }'.repeat(10_000)} }` }, 'OPERATION_TOO_DEEP'],
  ['an aliased selection nested 10,000 deep', { query: `{ ${'a: platform(id: "taobao") { '.repeat(10_000)}name${' }'.repeat(10_000)} }` }, 'OPERATION_TOO_DEEP'],
  ['a list argument nested 10,000 deep', { query: `{ platform(id: ${'['.repeat(10_000)}"x"${']'.repeat(10_000)}) { name } }` }, 'OPERATION_TOO_DEEP'],
  ['an object argument nested 10,000 deep', { query: `{ platform(id: ${'{a: '.repeat(10_000)}1${'}'.repeat(10_000)}) { name } }` }, 'OPERATION_TOO_DEEP'],
  ['5,000 aliases', { query: `{ ${Array.from({ length: 5000 }, (_, i) => `a${i}: __typename`).join(' ')} }` }, 'TOO_MANY_TOKENS'],
  ['5,000 directives', { query: `{ platform(id: "taobao") ${'@include(if: true) '.repeat(5000)} { name } }` }, 'TOO_MANY_TOKENS'],
  ['a chain of fragments spreading themselves round', { query: `{ ...A } fragment A on Query { ...B __typename } fragment B on Query { ...A }` }, 'GRAPHQL_VALIDATION_FAILED'],
])('%s is refused with its code at once, and a normal query beside it still answers', async (_name, request, code) => {
  const before = forwarded();
  const started = performance.now();
  const [response, normal] = await Promise.all([send(JSON.stringify(request)), send(JSON.stringify({ query: NORMAL }))]);
  expect(performance.now() - started).toBeLessThan(QUICKLY_MS);
  expect(response.status).toBe(400);
  expect(response.codes).toEqual([code]);
  expect(normal.status).toBe(200);
  expect(normal.json.data).toEqual({ platform: { name: 'Taobao' } });
  expect(forwarded()).toBeLessThanOrEqual(before + 1);
});

test.each([
  ['a list', `${'['.repeat(100_000)}1${']'.repeat(100_000)}`],
  ['an object', `${'{"a":'.repeat(100_000)}1${'}'.repeat(100_000)}`],
])('variables holding %s nested 100,000 deep are refused with OPERATION_TOO_DEEP', async (_name, value) => {
  const response = await send(`{"query":"query Q($id: ID!) { platform(id: $id) { name } }","variables":{"id":${value}}}`);
  expect(response.status).toBe(400);
  expect(response.codes).toEqual(['OPERATION_TOO_DEEP']);
});

test('a GET is held to the same limits before parsing', async () => {
  const url = new URL(gateway.url);
  url.searchParams.set('query', `{ ${'a{'.repeat(500)}b${'}'.repeat(500)} }`);
  const response = await fetch(url, { headers: { 'apollo-require-preflight': 'true' } });
  expect(response.status).toBe(400);
  expect(((await response.json()) as { errors: { extensions: { code: string } }[] }).errors.map((e) => e.extensions.code)).toEqual(['OPERATION_TOO_DEEP']);
});

test('a chain of as many fragments as the limit allows answers', async () => {
  const response = await send(JSON.stringify({ query: `{ ...C0 }\n${chain(99)}` }));
  expect(response.status).toBe(200);
  expect(response.json.data).toEqual({ __typename: 'Query' });
});

test('the standard introspection query stays within the limits', async () => {
  const { getIntrospectionQuery } = await import('graphql');
  const response = await send(JSON.stringify({ query: getIntrospectionQuery({ descriptions: true, specifiedByUrl: true, directiveIsRepeatable: true, inputValueDeprecation: true }) }));
  expect(response.status).toBe(200);
  expect(response.codes).toEqual([]);
});

test.each([
  ['fragments each spreading the next twice', `subscription { paymentUpdated(id: "p") { ...E0 } }\n${doubling(26, 'Payment', 'id')}`, 'OPERATION_TOO_EXPENSIVE'],
  ['a chain of 3,000 fragments', `subscription { paymentUpdated(id: "p") { ...C0 } }\n${chain(3000, 'Payment', 'id')}`, 'TOO_MANY_FRAGMENTS'],
  ['a selection nested 10,000 deep', `subscription { paymentUpdated(id: "p") { ${'merchant { storefronts { '.repeat(5000)}id${' } }'.repeat(5000)} } }`, 'OPERATION_TOO_DEEP'],
])('a subscription of %s is refused with its code', async (_name, query, code) => {
  // The graph's own gateway: this file's follows payment events through a proxy that does not stream them.
  const client = wsClient(graph.gateway);
  try {
    const started = performance.now();
    const outcome = await firstOutcome(client.iterate({ query }));
    expect(performance.now() - started).toBeLessThan(QUICKLY_MS);
    expect(Array.isArray(outcome) ? outcome.map((error: { extensions?: { code?: string } }) => error.extensions?.code) : outcome).toEqual([code]);
  } finally {
    await client.dispose();
  }
});

test('after all of that the gateway still serves a normal query', async () => {
  const response = await send(JSON.stringify({ query: '{ platform(id: "taobao") { name } }' }));
  expect(response.status).toBe(200);
  expect(response.json.data).toEqual({ platform: { name: 'Taobao' } });
});
