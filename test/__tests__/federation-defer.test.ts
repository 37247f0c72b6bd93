// @defer through the gateway, read by Apollo Client's own defer handling and,
// for the framing, by curl: the primary part comes before a slow deferred
// field, each deferred part is shaped at its path (one item per entity of a
// list), labels go out as the client gave them, a null in a deferred part
// stays within its item, and a client that cannot read parts is refused as
// Apollo Router refuses it.
import { ApolloClient, HttpLink, InMemoryCache, gql, type ObservableQuery } from '@apollo/client';
import { Defer20220824Handler } from '@apollo/client/incremental';
import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { GraphQLError } from 'graphql';
import { GatewayErrorCode } from '@interop/gateway';
import { ErrorCode } from '@interop/kit';
import { startFederation, type Federation } from '@interop/testing/federation-fixture';
import { credentialHeaders } from '@interop/testing/harness';
import { PARTNER_A } from '@interop/testing/identities';
import { finished, spawnInGroup } from '@interop/testing/processes';

const CATALOGS: Readonly<Record<string, string[]>> = { main: ['p1', 'p2', 'p3'], faulty: ['p1', 'p4', 'p3'] };
const PRICE_FAILS = 'p4';
const ACCEPT_PARTS = 'multipart/mixed;deferSpec=20220824,application/json';

/** What price resolvers wait for: a test holds it to make the deferred field slow. */
let slowPrice: Promise<void> = Promise.resolve();
let graph: Federation;
let client: ApolloClient;

beforeAll(async () => {
  graph = await startFederation([
    {
      name: 'catalog',
      typeDefs: /* GraphQL */ `
        extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key"])
        type Query {
          catalog(name: String!): [Product!]!
          product(id: ID!): Product
          shop: Shop
          items: [Item!]!
        }
        interface Item {
          id: ID!
        }
        type Bundle implements Item {
          id: ID!
          size: Int!
        }
        type Shop {
          name: String!
        }
        type Product implements Item @key(fields: "id") {
          id: ID!
          name: String!
        }
      `,
      resolvers: {
        Query: {
          catalog: (_: unknown, { name }: { name: string }) => (CATALOGS[name] ?? []).map((id) => ({ id })),
          product: (_: unknown, { id }: { id: string }) => ({ id }),
          shop: () => ({ name: 'Corner shop' }),
          items: () => [
            { __typename: 'Product', id: 'p1' },
            { __typename: 'Bundle', id: 'b1', size: 2 },
            { __typename: 'Product', id: 'p3' },
          ],
        },
        Item: { __resolveType: ({ __typename }: { __typename: string }) => __typename },
        Product: { name: ({ id }: { id: string }) => `Product ${id}` },
      },
    },
    {
      name: 'pricing',
      typeDefs: /* GraphQL */ `
        extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key"])
        type Product @key(fields: "id") {
          id: ID!
          price: Int!
          reviews: [Review!]!
        }
        type Review {
          body: String!
          stars: Int
        }
      `,
      resolvers: {
        Product: {
          __resolveReference: ({ id }: { id: string }) => ({ id }),
          price: async ({ id }: { id: string }) => {
            await slowPrice;
            if (id === PRICE_FAILS) throw new GraphQLError('price source down', { extensions: { code: ErrorCode.DEPENDENCY_UNAVAILABLE } });
            return Number(id.slice(1)) * 100;
          },
          reviews: ({ id }: { id: string }) => [{ body: `Good ${id}`, stars: 4 }, { body: `Fine ${id}`, stars: null }],
        },
      },
    },
  ]);
  client = new ApolloClient({
    cache: new InMemoryCache(),
    link: new HttpLink({ uri: graph.gateway.url, headers: credentialHeaders(PARTNER_A) }),
    incrementalHandler: new Defer20220824Handler(),
  });
});

afterAll(async () => {
  client?.stop();
  await graph?.stop();
});

/** The results Apollo Client gives a watcher of `query`, as they come, until the last (no longer loading; `complete` when no part failed). */
function watch(query: string): { results: ObservableQuery.Result<Record<string, unknown>>[]; next(count: number): Promise<void>; complete: Promise<ObservableQuery.Result<Record<string, unknown>>> } {
  const results: ObservableQuery.Result<Record<string, unknown>>[] = [];
  const waiters: { count: number; resolve: () => void }[] = [];
  let done!: (result: ObservableQuery.Result<Record<string, unknown>>) => void;
  const complete = new Promise<ObservableQuery.Result<Record<string, unknown>>>((resolve) => (done = resolve));
  const subscription = client.watchQuery<Record<string, unknown>>({ query: gql(query), fetchPolicy: 'no-cache', errorPolicy: 'all' }).subscribe((result) => {
    if (result.loading && result.dataState === 'empty') return;
    results.push(result);
    for (const waiter of waiters) if (results.length >= waiter.count) waiter.resolve();
    if (!result.loading) {
      subscription.unsubscribe();
      done(result);
    }
  });
  return { results, next: (count) => new Promise((resolve) => (results.length >= count ? resolve() : waiters.push({ count, resolve }))), complete };
}

/** The parts of a multipart answer, parsed (the framing itself is checked with curl below). */
async function parts(query: string, variables: Record<string, unknown> = {}): Promise<{ status: number; contentType: string | null; parts: Record<string, unknown>[] }> {
  const response = await fetch(graph.gateway.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: ACCEPT_PARTS, ...credentialHeaders(PARTNER_A) },
    body: JSON.stringify({ query, variables }),
  });
  const text = await response.text();
  const contentType = response.headers.get('content-type');
  if (!contentType?.startsWith('multipart/mixed')) return { status: response.status, contentType, parts: [JSON.parse(text) as Record<string, unknown>] };
  const bodies = text
    .split('\r\n---')
    .map((chunk) => chunk.split('\r\n\r\n')[1])
    .filter((body): body is string => body !== undefined);
  return { status: response.status, contentType, parts: bodies.map((body) => JSON.parse(body) as Record<string, unknown>) };
}

test('Apollo Client gets the primary part while the deferred field is still slow, then the whole answer, equal to the answer without @defer', async () => {
  let release!: () => void;
  slowPrice = new Promise((resolve) => (release = resolve));
  try {
    const watched = watch('{ catalog(name: "main") { id name ... @defer { price } } }');
    await watched.next(1);
    const first = watched.results[0]!;
    expect(first.dataState).toBe('streaming');
    expect(first.loading).toBe(true);
    expect((first.data as { catalog: object[] }).catalog.map((product) => 'price' in product)).toEqual([false, false, false]);
    expect((first.data as { catalog: { name: string }[] }).catalog.map((product) => product.name)).toEqual(['Product p1', 'Product p2', 'Product p3']);
    release();
    const last = await watched.complete;
    expect(last.dataState).toBe('complete');
    const whole = await client.query({ query: gql('{ catalog(name: "main") { id name price } }'), fetchPolicy: 'no-cache' });
    expect(last.data).toEqual(whole.data);
    expect(last.error).toBeUndefined();
  } finally {
    release();
    slowPrice = Promise.resolve();
  }
});

test('a deferred fragment on entities in a list answers one item per entity, at its path', async () => {
  const answer = await parts('{ catalog(name: "main") { id ... @defer { price } } }');
  expect(answer.status).toBe(200);
  expect(answer.parts[0]).toEqual({ data: { catalog: [{ id: 'p1' }, { id: 'p2' }, { id: 'p3' }] }, hasNext: true });
  expect(answer.parts.slice(1)).toEqual([
    {
      incremental: [
        { data: { price: 100 }, path: ['catalog', 0] },
        { data: { price: 200 }, path: ['catalog', 1] },
        { data: { price: 300 }, path: ['catalog', 2] },
      ],
      hasNext: false,
    },
  ]);
});

test('labels go out as the client gave them; an unlabelled part has none; a nested part comes after the part that holds it', async () => {
  const answer = await parts(`{
    shop { ... @defer(label: "shopName") { name } }
    product(id: "p2") {
      name
      ... @defer(label: "details") { price reviews { body ... @defer(label: "stars") { stars } } }
    }
    catalog(name: "main") { ... @defer { name } }
  }`);
  expect(answer.parts[0]).toEqual({ data: { shop: {}, product: { name: 'Product p2' }, catalog: [{}, {}, {}] }, hasNext: true });
  const items = answer.parts.slice(1).flatMap((part) => part.incremental as { label?: string; path: unknown[]; data: unknown }[]);
  expect(answer.parts.at(-1)!.hasNext).toBe(false);
  expect(answer.parts.slice(1, -1).every((part) => part.hasNext === true)).toBe(true);
  expect(items.filter((item) => item.label === 'shopName')).toEqual([{ label: 'shopName', path: ['shop'], data: { name: 'Corner shop' } }]);
  expect(items.filter((item) => item.label === 'details')).toEqual([
    { label: 'details', path: ['product'], data: { price: 200, reviews: [{ body: 'Good p2' }, { body: 'Fine p2' }] } },
  ]);
  expect(items.filter((item) => item.label === 'stars')).toEqual([
    { label: 'stars', path: ['product', 'reviews', 0], data: { stars: 4 } },
    { label: 'stars', path: ['product', 'reviews', 1], data: { stars: null } },
  ]);
  expect(items.filter((item) => item.label === undefined)).toEqual([0, 1, 2].map((i) => ({ path: ['catalog', i], data: { name: `Product p${i + 1}` } })));
  expect(items.findIndex((item) => item.label === 'details')).toBeLessThan(items.findIndex((item) => item.label === 'stars'));
});

test('a deferred fragment under a type condition answers for the objects of that type only', async () => {
  const answer = await parts('{ items { id ... on Product { ... @defer { price } } ... on Bundle @defer(label: "size") { size } } }');
  expect(answer.parts[0]).toEqual({ data: { items: [{ id: 'p1' }, { id: 'b1' }, { id: 'p3' }] }, hasNext: true });
  const items = answer.parts.slice(1).flatMap((part) => part.incremental as unknown[]);
  expect(items).toEqual(
    expect.arrayContaining([
      { data: { price: 100 }, path: ['items', 0] },
      { data: { price: 300 }, path: ['items', 2] },
      { data: { size: 2 }, path: ['items', 1], label: 'size' },
    ]),
  );
  expect(items).toHaveLength(3);
  expect(answer.parts.at(-1)!.hasNext).toBe(false);
});

test('a null in a deferred part stays within its item, with the error at the field; the primary part and other items stand', async () => {
  const answer = await parts('{ catalog(name: "faulty") { id ... @defer(label: "price") { price } } }');
  expect(answer.parts[0]).toEqual({ data: { catalog: [{ id: 'p1' }, { id: 'p4' }, { id: 'p3' }] }, hasNext: true });
  const items = answer.parts.slice(1).flatMap((part) => part.incremental as { data: unknown; path: unknown[]; errors?: { path: unknown[]; extensions: { code: string } }[] }[]);
  expect(items.map(({ data, path }) => ({ data, path }))).toEqual([
    { data: { price: 100 }, path: ['catalog', 0] },
    { data: null, path: ['catalog', 1] },
    { data: { price: 300 }, path: ['catalog', 2] },
  ]);
  expect(items[1]!.errors!.map((error) => ({ code: error.extensions.code, path: error.path }))).toEqual([{ code: ErrorCode.DEPENDENCY_UNAVAILABLE, path: ['catalog', 1, 'price'] }]);
  expect(items[0]!.errors).toBeUndefined();

  const watched = watch('{ catalog(name: "faulty") { id ... @defer { price } } }');
  const last = await watched.complete;
  expect(last.error?.name).toBe('CombinedGraphQLErrors');
  expect((last.data as { catalog: { id: string; price?: number }[] }).catalog.map((product) => product.price)).toEqual([100, undefined, 300]);
});

test('a client that does not accept parts is refused with 406 and DEFER_BAD_HEADER, as Apollo Router refuses it; @defer(if: false) answers in one part', async () => {
  const refused = await graph.query('{ catalog(name: "main") { id ... @defer { price } } }');
  expect(refused.status).toBe(406);
  expect(refused.errors?.map((error) => error.extensions?.code)).toEqual([GatewayErrorCode.DEFER_BAD_HEADER]);
  expect(refused.data).toBeUndefined();

  const variables = { later: false };
  const query = 'query ($later: Boolean!) { catalog(name: "main") { id ... @defer(if: $later) { price } } }';
  const whole = await graph.query(query, variables);
  expect(whole.status).toBe(200);
  expect(whole.data).toEqual({ catalog: [{ id: 'p1', price: 100 }, { id: 'p2', price: 200 }, { id: 'p3', price: 300 }] });
  const inParts = await parts(query, { later: true });
  expect(inParts.contentType).toBe('multipart/mixed; boundary="-"; deferSpec=20220824');
});

test('curl reads the multipart framing Apollo Client and Apollo Router use', async () => {
  const body = JSON.stringify({ query: '{ product(id: "p1") { name ... @defer(label: "price") { price } } }' });
  const headers = Object.entries({ 'content-type': 'application/json', accept: ACCEPT_PARTS, ...credentialHeaders(PARTNER_A) }).flatMap(([name, value]) => ['-H', `${name}: ${value}`]);
  const curl = spawnInGroup('curl', ['-sS', '-N', '-D', '-', ...headers, '--data-binary', body, graph.gateway.url], { stdio: 'pipe' }) as ChildProcessWithoutNullStreams;
  const result = await finished(curl);
  expect(result.code).toBe(0);
  const [head, ...rest] = result.stdout.split('\r\n\r\n');
  const answer = rest.join('\r\n\r\n');
  expect(head).toMatch(/^HTTP\/1\.1 200 /);
  expect(head).toMatch(/\r\ncontent-type: multipart\/mixed; boundary="-"; deferSpec=20220824\r\n/i);
  expect(head).toMatch(/\r\ntransfer-encoding: chunked(\r\n|$)/i);
  expect(answer).toBe(
    [
      '',
      '---',
      'content-type: application/json; charset=utf-8',
      '',
      '{"data":{"product":{"name":"Product p1"}},"hasNext":true}',
      '---',
      'content-type: application/json; charset=utf-8',
      '',
      '{"incremental":[{"data":{"price":100},"path":["product"],"label":"price"}],"hasNext":false}',
      '-----',
      '',
    ].join('\r\n'),
  );
});
