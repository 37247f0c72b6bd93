// A subgraph's Cache-Control header is the one Apollo's per-field plugin
// gives, for every shape of operation: each operation runs on two servers
// over the same subgraph, one with Apollo's plugin and one with ours, and the
// headers must be equal. Where the root fields decide the policy, no field
// is hooked at all.
import { ApolloServer } from '@apollo/server';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { parse, type GraphQLResolveInfo } from 'graphql';
import { cachePolicyPlugins } from '../cache-policy';

const typeDefs = parse(/* GraphQL */ `
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])

  enum CacheControlScope {
    PUBLIC
    PRIVATE
  }
  directive @cacheControl(maxAge: Int, scope: CacheControlScope, inheritMaxAge: Boolean) on FIELD_DEFINITION | OBJECT | INTERFACE | UNION

  type Query {
    shop(id: ID!): Shop
    shops: [Shop!]!
    note: String @cacheControl(maxAge: 30)
    count: Int
    plain: Plain
    secret: Secret
    listing: Listing
  }

  type Mutation {
    touch: Shop
  }

  type Shop @key(fields: "id") @cacheControl(maxAge: 300) {
    id: ID!
    name: String
    tagline: String @cacheControl(maxAge: 120)
    offers: [Offer!]!
    owner: Owner
    detail: Detail @cacheControl(inheritMaxAge: true)
    plain: Plain
  }

  type Offer @cacheControl(maxAge: 60) {
    label: String
  }

  type Owner @key(fields: "id") @cacheControl(maxAge: 10) {
    id: ID!
    name: String
  }

  type Detail {
    text: String
  }

  type Plain {
    value: String
  }

  type Secret @cacheControl(maxAge: 100, scope: PRIVATE) {
    value: String
  }

  interface Listing @cacheControl(maxAge: 200) {
    title: String
  }

  type Poster implements Listing @cacheControl(maxAge: 20) {
    title: String
    size: Int
  }
`);

/** Whether each Shop.name resolved with Apollo's per-field hint in its info (it is there only when fields are hooked). */
const hooked: boolean[] = [];

const shop = (id: string) =>
  id === 'none'
    ? null
    : { id, name: `shop ${id}`, tagline: 't', offers: id === 'bare' ? [] : [{ label: 'o' }], owner: id === 'bare' ? null : { id: 'o1', name: 'owner' }, detail: { text: 'd' }, plain: { value: 'p' } };

const resolvers = {
  Query: {
    shop: (_: unknown, { id }: { id: string }) => shop(id),
    shops: () => [shop('a'), shop('b')],
    note: () => 'n',
    count: () => 1,
    plain: () => ({ value: 'p' }),
    secret: () => ({ value: 's' }),
    listing: () => ({ __typename: 'Poster', title: 'x', size: 1 }),
  },
  Mutation: { touch: () => shop('a') },
  Shop: {
    __resolveReference: ({ id }: { id: string }) => (id === 'gone' ? null : shop(id)),
    name: (source: { name: string }, _: unknown, __: unknown, info: GraphQLResolveInfo & { cacheControl?: unknown }) => {
      hooked.push(info.cacheControl !== undefined);
      return source.name;
    },
  },
  Owner: { __resolveReference: ({ id }: { id: string }) => ({ id, name: 'owner' }) },
  Listing: { __resolveType: () => 'Poster' },
};

const servers = {
  apollo: new ApolloServer({ schema: buildSubgraphSchema({ typeDefs, resolvers }) }),
  ours: new ApolloServer({ schema: buildSubgraphSchema({ typeDefs, resolvers }), plugins: cachePolicyPlugins() }),
};

beforeAll(() => Promise.all(Object.values(servers).map((server) => server.start())));
afterAll(() => Promise.all(Object.values(servers).map((server) => server.stop())));

async function cacheControl(server: ApolloServer, query: string, variables?: Record<string, unknown>): Promise<string | undefined> {
  const response = await server.executeOperation({ query, ...(variables ? { variables } : {}) });
  return response.http.headers.get('cache-control');
}

const ENTITIES = 'query Entities($r: [_Any!]!) { _entities(representations: $r) { ... on Shop { name } ... on Owner { name } } }';
const ENTITIES_DEEP = 'query Deep($r: [_Any!]!) { _entities(representations: $r) { ... on Shop { name offers { label } } } }';

type Case = [name: string, query: string, variables?: Record<string, unknown>];

const cases: Case[] = [
  ['a root object and its scalars', '{ shop(id: "a") { id name } }'],
  ['a list of root objects', '{ shops { name } }'],
  ['a shorter hint on a nested list', '{ shop(id: "a") { name offers { label } } }'],
  ['a nested list that is empty', '{ shop(id: "bare") { offers { label } } }'],
  ['a nested nullable object that is null', '{ shop(id: "bare") { owner { name } } }'],
  ['a root object that is null, with a shorter hint below it', '{ shop(id: "none") { owner { name } } }'],
  ['a hinted scalar below', '{ shop(id: "a") { tagline } }'],
  ['a field that inherits its parent\'s hint', '{ shop(id: "a") { detail { text } } }'],
  ['an object field with no hint below', '{ shop(id: "a") { plain { value } } }'],
  ['a hinted root scalar', '{ note }'],
  ['a root scalar with no hint', '{ count }'],
  ['a root object with no hint', '{ plain { value } }'],
  ['a private hint', '{ secret { value } }'],
  ['private and public together', '{ shop(id: "a") { name } secret { value } }'],
  ['an interface and its implementation', '{ listing { title ... on Poster { size } } }'],
  ['only __typename', '{ __typename }'],
  ['a skipped root field', 'query Skip($skip: Boolean!) { note @skip(if: $skip) shop(id: "a") { name } }', { skip: true }],
  ['an included root field', 'query Skip($skip: Boolean!) { note @skip(if: $skip) shop(id: "a") { name } }', { skip: false }],
  ['fragments, nested and at the root', '{ ...Root } fragment Root on Query { shop(id: "a") { ...S } } fragment S on Shop { name offers { label } }'],
  ['the same fragment spread twice', '{ shop(id: "a") { ...S } shops { ...S } } fragment S on Shop { name }'],
  ['entities of one type', ENTITIES, { r: [{ __typename: 'Shop', id: 'a' }, { __typename: 'Shop', id: 'b' }] }],
  ['entities of two types', ENTITIES, { r: [{ __typename: 'Shop', id: 'a' }, { __typename: 'Owner', id: 'o1' }] }],
  ['an entity that is not found', ENTITIES, { r: [{ __typename: 'Shop', id: 'gone' }] }],
  ['no entities', ENTITIES, { r: [] }],
  ['entities with a shorter hint below', ENTITIES_DEEP, { r: [{ __typename: 'Shop', id: 'a' }] }],
  ['entities whose nested list is empty', ENTITIES_DEEP, { r: [{ __typename: 'Shop', id: 'bare' }] }],
  ['a mutation', 'mutation { touch { name } }'],
  ['introspection', '{ __schema { queryType { name } } }'],
  ['the subgraph\'s SDL', '{ _service { sdl } }'],
  ['an error', '{ shop(id: "a") { name } missing: shop }'],
];

// A rest parameter, so jest does not take a third argument for a `done` callback.
test.each(cases)('%s: the same Cache-Control as Apollo\'s per-field plugin', async (...[, query, variables]: Case) => {
  const expected = await cacheControl(servers.apollo, query, variables);
  expect(await cacheControl(servers.ours, query, variables)).toBe(expected);
});

test('the cases cover a cacheable answer, an uncacheable one and a private one', async () => {
  const headers = await Promise.all(cases.map(([, query, variables]) => cacheControl(servers.apollo, query, variables)));
  expect(headers).toEqual(expect.arrayContaining(['max-age=300, public', 'max-age=60, public', 'max-age=100, private', 'no-store']));
});

test('where the root fields decide the policy no field is hooked; where a field below could narrow it, every field is', async () => {
  hooked.length = 0;
  expect(await cacheControl(servers.ours, '{ shop(id: "a") { name } }')).toBe('max-age=300, public');
  expect(await cacheControl(servers.ours, ENTITIES, { r: [{ __typename: 'Shop', id: 'a' }] })).toBe('max-age=300, public');
  expect(hooked).toEqual([false, false]);
  hooked.length = 0;
  expect(await cacheControl(servers.ours, '{ shop(id: "none") { owner { name } } shops { name } }')).toBe('max-age=300, public');
  expect(hooked).toEqual([true, true]);
});
