// The gateway's plan executor against stock @apollo/gateway, node kind by node
// kind: the same small subgraphs behind both, the same operation to each, and
// the same JSON text back. Each test first checks the plan has the node it is
// about, so a planner change cannot leave it testing nothing.
import { startDifferential, type Differential } from '@interop/testing/differential';

interface Product {
  id: string;
  name: string;
  category: string;
}
interface Review {
  id: string;
  productId: string;
  body: string;
  stars: number;
  authorId: string;
}

const PRODUCTS: Product[] = [
  { id: 'p1', name: 'Kettle', category: 'kitchen' },
  { id: 'p2', name: 'Lamp', category: 'home' },
  { id: 'p3', name: 'Desk', category: 'office' },
];
const MEDIA = [
  { __typename: 'Book', id: 'b1', title: 'Dune', pages: 412 },
  { __typename: 'Film', id: 'f1', title: 'Alien', minutes: 117 },
];
const REVIEWS: Review[] = [
  { id: 'r1', productId: 'p1', body: 'Boils fast', stars: 5, authorId: 'u1' },
  { id: 'r2', productId: 'p1', body: 'Loud', stars: 2, authorId: 'u2' },
  { id: 'r3', productId: 'p2', body: 'Bright', stars: 4, authorId: 'u1' },
  { id: 'r4', productId: 'b1', body: 'Sandy', stars: 5, authorId: 'u2' },
  { id: 'r5', productId: 'f1', body: 'Tense', stars: 4, authorId: 'u1' },
];
const USERS: Record<string, { id: string; name: string }> = { u1: { id: 'u1', name: 'Ada' }, u2: { id: 'u2', name: 'Lin' } };

/** What mutations change, put back before each gateway runs the same mutation. */
const state = { products: [...PRODUCTS], reviews: [...REVIEWS], journal: [] as string[] };
function resetState(): void {
  state.products = [...PRODUCTS];
  state.reviews = [...REVIEWS];
  state.journal = [];
}

const product = (id: string) => state.products.find((candidate) => candidate.id === id) ?? null;
const reviewsOf = (id: string, first?: number | null) => state.reviews.filter((review) => review.productId === id).slice(0, first ?? undefined);

let differential: Differential;

beforeAll(async () => {
  differential = await startDifferential([
    {
      name: 'catalog',
      typeDefs: /* GraphQL */ `
        extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key"])
        type Query {
          product(id: ID!): Product
          products(ids: [ID!]!): [Product]
          shelves: [[Product]]
          featured(first: Int = 2): [Product!]!
          media: [Media]
          search(term: String!): [SearchResult]
          "The arguments as this subgraph received them."
          echo(filter: Filter, sort: Sort = NAME, ids: [ID!]): String
        }
        input Filter {
          category: String
          tags: [String!] = []
          since: Int = 2020
        }
        enum Sort {
          NAME
          NEWEST
        }
        type Mutation {
          addProduct(name: String!, category: String = "misc"): Product
        }
        interface Media {
          id: ID!
          title: String
        }
        type Book implements Media @key(fields: "id") {
          id: ID!
          title: String
          pages: Int
        }
        type Film implements Media @key(fields: "id") {
          id: ID!
          title: String
          minutes: Int
        }
        union SearchResult = Book | Film | Product
        type Product @key(fields: "id") {
          id: ID!
          name: String
          category: String
        }
      `,
      resolvers: {
        Query: {
          product: (_: unknown, { id }: { id: string }) => product(id),
          products: (_: unknown, { ids }: { ids: string[] }) => ids.map(product),
          shelves: () => [[product('p1'), product('p2')], [], [product('p3'), null, product('p1')]],
          featured: (_: unknown, { first }: { first: number }) => state.products.slice(0, first),
          media: () => MEDIA,
          echo: (_: unknown, args: Record<string, unknown>) => JSON.stringify(args),
          search: (_: unknown, { term }: { term: string }) => [...MEDIA, ...state.products].filter((item) => ('title' in item ? item.title : item.name).toLowerCase().includes(term.toLowerCase())),
        },
        Mutation: {
          addProduct: (_: unknown, { name, category }: { name: string; category: string }) => {
            state.journal.push(`addProduct ${name}`);
            const added = { id: `p${state.products.length + 1}`, name, category };
            state.products.push(added);
            return added;
          },
        },
        Product: { __resolveReference: ({ id }: { id: string }) => product(id) },
        Book: { __resolveReference: ({ id }: { id: string }) => MEDIA.find((item) => item.id === id) },
        Film: { __resolveReference: ({ id }: { id: string }) => MEDIA.find((item) => item.id === id) },
        SearchResult: { __resolveType: (item: { __typename?: string }) => item.__typename ?? 'Product' },
        Media: { __resolveType: (item: { __typename: string }) => item.__typename },
      },
    },
    {
      name: 'reviews',
      typeDefs: /* GraphQL */ `
        extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key"])
        type Query {
          topReviews(first: Int = 2): [Review]
        }
        type Mutation {
          addReview(productId: ID!, body: String!, stars: Int = 3): Review
        }
        interface Media {
          id: ID!
        }
        type Book implements Media @key(fields: "id") {
          id: ID!
          reviews: [Review]
        }
        type Film implements Media @key(fields: "id") {
          id: ID!
          reviews: [Review]
        }
        type Product @key(fields: "id") {
          id: ID!
          reviews(first: Int): [Review]
          rating: Float
        }
        type Review {
          id: ID!
          body: String
          stars: Int
          author: User
          product: Product
          subject: Media
        }
        type User @key(fields: "id", resolvable: false) {
          id: ID!
        }
      `,
      resolvers: {
        Query: { topReviews: (_: unknown, { first }: { first: number }) => [...state.reviews].sort((a, b) => b.stars - a.stars).slice(0, first) },
        Mutation: {
          addReview: (_: unknown, { productId, body, stars }: { productId: string; body: string; stars: number }) => {
            state.journal.push(`addReview ${body}`);
            const added = { id: `r${state.reviews.length + 1}`, productId, body, stars, authorId: 'u1' };
            state.reviews.push(added);
            return added;
          },
        },
        Product: {
          reviews: ({ id }: { id: string }, { first }: { first?: number | null }) => reviewsOf(id, first),
          rating: ({ id }: { id: string }) => {
            const stars = reviewsOf(id).map((review) => review.stars);
            return stars.length ? stars.reduce((a, b) => a + b, 0) / stars.length : null;
          },
        },
        Book: { reviews: ({ id }: { id: string }) => reviewsOf(id) },
        Film: { reviews: ({ id }: { id: string }) => reviewsOf(id) },
        Review: {
          author: (review: Review) => ({ id: review.authorId }),
          product: (review: Review) => (review.productId.startsWith('p') ? { id: review.productId } : null),
          subject: (review: Review) => MEDIA.find((item) => item.id === review.productId) ?? null,
        },
        Media: { __resolveType: (item: { __typename: string }) => item.__typename },
      },
    },
    {
      name: 'users',
      typeDefs: /* GraphQL */ `
        extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key"])
        type Query {
          me: User
        }
        type Mutation {
          rename(name: String!): User
        }
        type User @key(fields: "id") {
          id: ID!
          name: String
        }
      `,
      resolvers: {
        Query: { me: () => USERS['u1'] },
        Mutation: {
          rename: (_: unknown, { name }: { name: string }) => {
            state.journal.push(`rename ${name}`);
            return { id: 'u1', name };
          },
        },
        User: { __resolveReference: ({ id }: { id: string }) => USERS[id] ?? null },
      },
    },
  ]);
});

afterAll(async () => {
  await differential?.stop();
});

beforeEach(() => {
  resetState();
  differential.forgetRequests();
});

/** Both gateways write the same JSON, with no errors, each run from the same state; the data. */
const sameAnswer = (query: string, variables: Record<string, unknown> = {}) => differential.sameAnswer(query, variables, resetState);
const sentTo = (name: string) => differential.sentTo(name);

test('Fetch: one root field from one subgraph, with aliases and __typename', async () => {
  const query = '{ first: product(id: "p1") { __typename id label: name } product(id: "p2") { name category } missing: product(id: "p9") { id } }';
  expect(differential.planner.features(query).nodes).toEqual(new Set(['Fetch']));
  expect(await sameAnswer(query)).toEqual({ first: { __typename: 'Product', id: 'p1', label: 'Kettle' }, product: { name: 'Lamp', category: 'home' }, missing: null });
});

test('Sequence: a root fetch, then entities of its answer, then entities of that answer', async () => {
  const query = '{ product(id: "p1") { name reviews { body author { name } } } }';
  const plan = differential.planner.features(query);
  expect(plan.nodes).toEqual(new Set(['Sequence', 'Fetch', 'Flatten']));
  expect(plan.fetches).toEqual(['catalog', 'reviews', 'users']);
  expect(await sameAnswer(query)).toEqual({
    product: { name: 'Kettle', reviews: [{ body: 'Boils fast', author: { name: 'Ada' } }, { body: 'Loud', author: { name: 'Lin' } }] },
  });
  expect([sentTo('catalog').length, sentTo('reviews').length, sentTo('users').length]).toEqual([1, 1, 1]);
});

test('Parallel: root fields of two subgraphs, then entities of both', async () => {
  const query = '{ featured { name rating } me { name } topReviews(first: 1) { body product { name } } }';
  const plan = differential.planner.features(query);
  expect(plan.nodes).toContain('Parallel');
  const data = await sameAnswer(query);
  expect(data).toEqual({
    featured: [
      { name: 'Kettle', rating: 3.5 },
      { name: 'Lamp', rating: 4 },
    ],
    me: { name: 'Ada' },
    topReviews: [{ body: 'Boils fast', product: { name: 'Kettle' } }],
  });
});

test('Flatten: entities in a list and in a list of lists, nulls and empty lists kept in place', async () => {
  const query = '{ shelves { id name rating reviews(first: 1) { stars } } }';
  const plan = differential.planner.features(query);
  expect(plan.flattenPaths).toEqual(['shelves.@.@']);
  const data = await sameAnswer(query);
  const p1 = { id: 'p1', name: 'Kettle', rating: 3.5, reviews: [{ stars: 5 }] };
  expect(data).toEqual({ shelves: [[p1, { id: 'p2', name: 'Lamp', rating: 4, reviews: [{ stars: 4 }] }], [], [{ id: 'p3', name: 'Desk', rating: null, reviews: [] }, null, p1]] });
});

test('the same entity held in many places is sent once in representations, and each subgraph is asked once per fetch', async () => {
  const query = '{ products(ids: ["p1", "p2", "p1", "p9", "p1"]) { name rating reviews { body author { name } } } }';
  expect(differential.planner.features(query).fetches).toEqual(['catalog', 'reviews', 'users']);
  await sameAnswer(query);
  expect([sentTo('catalog').length, sentTo('reviews').length, sentTo('users').length]).toEqual([1, 1, 1]);
  // p1 three times, p2 once, p9 unknown (null, so not an entity to resolve).
  expect(sentTo('reviews')[0]!.variables['representations']).toEqual(['p1', 'p2'].map((id) => ({ __typename: 'Product', id })));
  // Nine reviews in the answer (p1's two, three times over, and p2's one), by two authors.
  expect(sentTo('users')[0]!.variables['representations']).toEqual(['u1', 'u2'].map((id) => ({ __typename: 'User', id })));
});

test('entities in a list of lists are sent once each, however many lists hold them', async () => {
  const query = '{ shelves { rating } }';
  expect(differential.planner.features(query).flattenPaths).toEqual(['shelves.@.@']);
  await sameAnswer(query);
  expect(sentTo('reviews')).toHaveLength(1);
  expect(sentTo('reviews')[0]!.variables['representations']).toEqual(['p1', 'p2', 'p3'].map((id) => ({ __typename: 'Product', id })));
});

test('aliases: one field under several response names, in root and entity fetches, and __typename aliased', async () => {
  const query = `{
    a: product(id: "p1") { one: reviews(first: 1) { body author { name } } all: reviews { stars author { who: id } } }
    b: product(id: "p1") { t: __typename u: __typename reviews { stars } }
    products(ids: ["p1", "p2"]) { rating: name name: rating }
  }`;
  expect(await sameAnswer(query)).toEqual({
    a: { one: [{ body: 'Boils fast', author: { name: 'Ada' } }], all: [{ stars: 5, author: { who: 'u1' } }, { stars: 2, author: { who: 'u2' } }] },
    b: { t: 'Product', u: 'Product', reviews: [{ stars: 5 }, { stars: 2 }] },
    products: [
      { rating: 'Kettle', name: 3.5 },
      { rating: 'Lamp', name: 4 },
    ],
  });
});

test('Condition: @include and @skip on variables that remove whole fetches', async () => {
  const query = `query Q($withReviews: Boolean!, $brief: Boolean = false) {
    product(id: "p2") { name ... @include(if: $withReviews) { reviews { body author { name } } } }
    me @skip(if: $brief) { name }
  }`;
  const plan = differential.planner.features(query);
  expect(plan.nodes).toContain('Condition');
  expect(await sameAnswer(query, { withReviews: true })).toEqual({ product: { name: 'Lamp', reviews: [{ body: 'Bright', author: { name: 'Ada' } }] }, me: { name: 'Ada' } });
  expect([sentTo('catalog').length, sentTo('reviews').length, sentTo('users').length]).toEqual([1, 1, 2]);
  expect(await sameAnswer(query, { withReviews: false, brief: true })).toEqual({ product: { name: 'Lamp' } });
  expect([sentTo('catalog').length, sentTo('reviews').length, sentTo('users').length]).toEqual([1, 0, 0]);
  expect(await sameAnswer(query, { withReviews: false })).toEqual({ product: { name: 'Lamp' }, me: { name: 'Ada' } });
});

test('Condition inside a fetch: @skip and @include the subgraph applies, on fields and fragments', async () => {
  const query = `query Q($short: Boolean!, $more: Boolean = true) {
    product(id: "p1") { id name @skip(if: $short) category @include(if: $more) ... @include(if: $short) { label: name } }
  }`;
  expect(await sameAnswer(query, { short: true })).toEqual({ product: { id: 'p1', category: 'kitchen', label: 'Kettle' } });
  expect(await sameAnswer(query, { short: false, more: false })).toEqual({ product: { id: 'p1', name: 'Kettle' } });
  expect(await sameAnswer('{ product(id: "p1") { id name @skip(if: true) category @include(if: false) } }')).toEqual({ product: { id: 'p1' } });
});

test('variables with defaults: in the operation, in the schema, and set to null', async () => {
  const query = 'query Q($ids: [ID!]! = ["p2", "p1"], $first: Int = 1, $top: Int) { products(ids: $ids) { name reviews(first: $first) { body } } featured { id } topReviews(first: $top) { id } }';
  expect(await sameAnswer(query)).toEqual({
    products: [
      { name: 'Lamp', reviews: [{ body: 'Bright' }] },
      { name: 'Kettle', reviews: [{ body: 'Boils fast' }] },
    ],
    featured: [{ id: 'p1' }, { id: 'p2' }],
    topReviews: [{ id: 'r1' }, { id: 'r4' }],
  });
  expect(await sameAnswer(query, { ids: ['p3', 'p1'], first: null, top: 0 })).toEqual({
    products: [
      { name: 'Desk', reviews: [] },
      { name: 'Kettle', reviews: [{ body: 'Boils fast' }, { body: 'Loud' }] },
    ],
    featured: [{ id: 'p1' }, { id: 'p2' }],
    topReviews: [],
  });
});

test('variables of input object, enum and list types, with and without defaults, reach the subgraph as stock sends them', async () => {
  const query = 'query Q($filter: Filter, $sort: Sort, $ids: [ID!]) { echo(filter: $filter, sort: $sort, ids: $ids) }';
  const echoed = async (variables: Record<string, unknown>) => JSON.parse((await sameAnswer(query, variables))['echo'] as string) as unknown;
  expect(await echoed({})).toEqual({ sort: 'NAME' });
  expect(await echoed({ filter: {}, sort: 'NEWEST', ids: 'p1' })).toEqual({ filter: { tags: [], since: 2020 }, sort: 'NEWEST', ids: ['p1'] });
  expect(await echoed({ filter: { category: 'home', tags: 'new', since: null }, ids: [1, 'p2'], sort: null })).toEqual({ filter: { category: 'home', tags: ['new'], since: null }, sort: null, ids: ['1', 'p2'] });
  const withDefaults = 'query Q($filter: Filter = { category: "office" }, $sort: Sort = NEWEST) { echo(filter: $filter, sort: $sort) }';
  expect(JSON.parse((await sameAnswer(withDefaults))['echo'] as string)).toEqual({ filter: { category: 'office', tags: [], since: 2020 }, sort: 'NEWEST' });
});

test('an interface across subgraphs: inline fragments per type, __typename, fields from the other subgraph', async () => {
  const query = '{ media { __typename id title ... on Book { pages reviews { stars } } ... on Film { minutes } } topReviews(first: 5) { subject { __typename id title ... on Film { reviews { body } } } } }';
  expect(differential.planner.features(query).nodes).toContain('Flatten');
  const data = await sameAnswer(query);
  expect(data['media']).toEqual([
    { __typename: 'Book', id: 'b1', title: 'Dune', pages: 412, reviews: [{ stars: 5 }] },
    { __typename: 'Film', id: 'f1', title: 'Alien', minutes: 117 },
  ]);
});

test('a union across subgraphs with named fragments, nested and repeated', async () => {
  const query = `
    query Search($term: String!) { search(term: $term) { __typename ...Item ... on Product { ...Priced id } } }
    fragment Item on SearchResult { ... on Media { id title } ... on Book { reviews { ...Rev } } ... on Product { name } }
    fragment Priced on Product { rating reviews(first: 1) { ...Rev } }
    fragment Rev on Review { stars author { id name } }
  `;
  const data = await sameAnswer(query, { term: 'e' });
  expect((data['search'] as { __typename: string }[]).map((item) => item.__typename)).toEqual(['Book', 'Film', 'Product', 'Product']);
  await sameAnswer(query, { term: 'dune' });
});

test('mutations: root fields run one after another, across subgraphs, in the operation\'s order', async () => {
  const query = `mutation {
    a: addProduct(name: "Mug") { id name }
    b: addReview(productId: "p4", body: "Holds tea") { id product { name rating } }
    c: rename(name: "Ada L.") { name }
    d: addProduct(name: "Tray", category: "kitchen") { id category reviews { body } }
  }`;
  const plan = differential.planner.features(query);
  expect(plan.fetches).toEqual(['catalog', 'reviews', 'catalog', 'users', 'catalog', 'reviews']);
  const data = await sameAnswer(query);
  expect(data).toEqual({
    a: { id: 'p4', name: 'Mug' },
    b: { id: 'r6', product: { name: 'Mug', rating: 3 } },
    c: { name: 'Ada L.' },
    d: { id: 'p5', category: 'kitchen', reviews: [] },
  });
  expect(state.journal).toEqual(['addProduct Mug', 'addReview Holds tea', 'rename Ada L.', 'addProduct Tray']);
});

test('introspection beside data, which runs on @apollo/gateway\'s own executor, answers as stock does', async () => {
  const query = '{ __type(name: "SearchResult") { kind possibleTypes { name } } product(id: "p2") { __typename name rating } }';
  expect(await sameAnswer(query)).toEqual({
    __type: { kind: 'UNION', possibleTypes: [{ name: 'Book' }, { name: 'Film' }, { name: 'Product' }] },
    product: { __typename: 'Product', name: 'Lamp', rating: 4 },
  });
});
