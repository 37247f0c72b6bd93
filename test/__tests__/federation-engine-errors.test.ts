// Subgraph errors through the plan executor, against stock @apollo/gateway on
// the same subgraphs: an error on an entity's field is reported at the
// client's path of every place that holds the entity (sent once, however many
// places hold it), errors in root fields keep their path, and a subgraph that
// is down costs only the fields it owns. Fields here are nullable, where stock
// is right, so both gateways must write the same data.
import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import { GatewayErrorCode } from '@interop/gateway';
import { ErrorCode } from '@interop/kit';
import { startDifferential, type Differential } from '@interop/testing/differential';
import { errorsOf } from '@interop/testing/operation';

const NAMES: Readonly<Record<string, string>> = { p1: 'Kettle', p2: 'Lamp', p3: 'Desk', p4: 'Chair', p5: 'Rug' };
/** Its price source is down: pricing answers its price with an error. */
const PRICE_FAILS = 'p4';
/** Pricing cannot look it up at all: the whole entity is an error. */
const LOOKUP_FAILS = 'p5';

let differential: Differential;

const unavailable = (what: string) => new GraphQLError(`${what} is unavailable`, { extensions: { code: ErrorCode.DEPENDENCY_UNAVAILABLE } });

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
          feed: [FeedItem]
        }
        union FeedItem = Notice | Product
        type Notice {
          text: String
        }
        type Product @key(fields: "id") {
          id: ID!
          name: String
        }
      `,
      resolvers: {
        Query: {
          product: (_: unknown, { id }: { id: string }) => (NAMES[id] ? { id } : null),
          products: (_: unknown, { ids }: { ids: string[] }) => ids.map((id) => (NAMES[id] ? { id } : null)),
          shelves: () => [[{ id: 'p4' }, { id: 'p1' }], [{ id: 'p2' }, null, { id: 'p4' }], []],
          feed: () => [{ text: 'Opening hours' }, { id: 'p1' }, { text: 'Sale' }, { id: 'p4' }, null, { id: 'p4' }],
        },
        FeedItem: { __resolveType: (item: { text?: string }) => (item.text === undefined ? 'Product' : 'Notice') },
        Product: { name: ({ id }: { id: string }) => NAMES[id] },
      },
    },
    {
      name: 'pricing',
      typeDefs: /* GraphQL */ `
        extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key"])
        type Query {
          rates: [Rate]
        }
        type Rate {
          currency: String
          value: Float
        }
        type Product @key(fields: "id") {
          id: ID!
          price: Int
          offers: [Offer]
        }
        type Offer {
          seller: String
          amount: Int
        }
      `,
      resolvers: {
        Query: { rates: () => [{ currency: 'CNY', value: 1 }, { currency: 'HKD', value: null }, { currency: 'USD', value: 7.1 }] },
        Rate: {
          value: (rate: { currency: string; value: number | null }) => {
            if (rate.value === null) throw unavailable(`${rate.currency} rate`);
            return rate.value;
          },
        },
        Product: {
          // Async, so one entity's failure is its own: an error at _entities.i, the others resolved.
          __resolveReference: async ({ id }: { id: string }) => {
            if (id === LOOKUP_FAILS) throw unavailable('price lookup');
            return { id };
          },
          price: ({ id }: { id: string }) => {
            if (id === PRICE_FAILS) throw unavailable('price source');
            return Number(id.slice(1)) * 10;
          },
          offers: ({ id }: { id: string }) => [
            { seller: 'a', amount: id === PRICE_FAILS ? null : 1 },
            { seller: 'b', amount: 2 },
          ],
        },
        Offer: {
          amount: (offer: { amount: number | null }) => {
            if (offer.amount === null) throw unavailable('offer');
            return offer.amount;
          },
        },
      },
    },
    {
      name: 'inventory',
      typeDefs: /* GraphQL */ `
        extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key"])
        type Query {
          warehouses: [String]
        }
        type Product @key(fields: "id") {
          id: ID!
          inStock: Boolean
        }
      `,
      resolvers: {
        Query: { warehouses: () => ['Ningbo', 'Yiwu'] },
        Product: { inStock: ({ id }: { id: string }) => id !== 'p2' },
      },
    },
  ]);
});

afterAll(async () => {
  await differential?.stop();
});

beforeEach(() => {
  differential.forgetRequests();
});

interface Answer {
  data?: Record<string, unknown> | null;
  errors?: GraphQLFormattedError[];
}

/** Both gateways' answers, parsed; the same data written as the same JSON text. */
async function bothAnswer(query: string): Promise<{ ours: Answer; stock: Answer }> {
  const answers = await differential.answers(query);
  const parsed = { ours: JSON.parse(answers.ours.text) as Answer, stock: JSON.parse(answers.stock.text) as Answer };
  expect(JSON.stringify(parsed.ours.data)).toBe(JSON.stringify(parsed.stock.data));
  return parsed;
}

/** Errors as code and path, in a stable order. */
const sorted = (answer: Answer) => errorsOf(answer).sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));

const sentTo = (name: string) => differential.sentTo(name);

const DEPENDENCY_UNAVAILABLE = ErrorCode.DEPENDENCY_UNAVAILABLE;

test('an error in a root field keeps its path; the rest of the list answers', async () => {
  const { ours, stock: theirs } = await bothAnswer('{ rates { currency value } }');
  expect(ours.data).toEqual({ rates: [{ currency: 'CNY', value: 1 }, { currency: 'HKD', value: null }, { currency: 'USD', value: 7.1 }] });
  expect(sorted(ours)).toEqual(sorted(theirs));
  expect(errorsOf(ours)).toEqual([{ code: DEPENDENCY_UNAVAILABLE, path: ['rates', 1, 'value'] }]);
});

test('an error on an entity\'s field is at the client\'s path of each place holding the entity, which is sent once', async () => {
  const query = '{ products(ids: ["p1", "p4", "p2", "p4", "p9", "p4"]) { id name price } }';
  expect(differential.planner.features(query).flattenPaths).toEqual(['products.@']);
  const { ours, stock: theirs } = await bothAnswer(query);
  expect(sorted(ours)).toEqual(sorted(theirs));
  expect(sorted(ours)).toEqual([1, 3, 5].map((i) => ({ code: DEPENDENCY_UNAVAILABLE, path: ['products', i, 'price'] })));
  expect(sentTo('pricing')).toHaveLength(1);
  expect(sentTo('pricing')[0]!.variables['representations']).toEqual(['p1', 'p4', 'p2'].map((id) => ({ __typename: 'Product', id })));
});

test('errors deep inside an entity, in lists of lists, map to each place holding it', async () => {
  const query = '{ shelves { name price offers { seller amount } } }';
  expect(differential.planner.features(query).flattenPaths).toEqual(['shelves.@.@']);
  const { ours, stock: theirs } = await bothAnswer(query);
  expect(sorted(ours)).toEqual(sorted(theirs));
  expect(sorted(ours)).toEqual([
    { code: DEPENDENCY_UNAVAILABLE, path: ['shelves', 0, 0, 'offers', 0, 'amount'] },
    { code: DEPENDENCY_UNAVAILABLE, path: ['shelves', 0, 0, 'price'] },
    { code: DEPENDENCY_UNAVAILABLE, path: ['shelves', 1, 2, 'offers', 0, 'amount'] },
    { code: DEPENDENCY_UNAVAILABLE, path: ['shelves', 1, 2, 'price'] },
  ]);
  expect(sentTo('pricing')[0]!.variables['representations']).toEqual(['p4', 'p1', 'p2'].map((id) => ({ __typename: 'Product', id })));
});

test('entity errors in a list where some items are not entities go to the items that are (stock counts every item)', async () => {
  const query = '{ feed { ... on Product { id price } ... on Notice { text } } }';
  const { ours } = await bothAnswer(query);
  expect(ours.data).toEqual({ feed: [{ text: 'Opening hours' }, { id: 'p1', price: 10 }, { text: 'Sale' }, { id: 'p4', price: null }, null, { id: 'p4', price: null }] });
  expect(sorted(ours)).toEqual([3, 5].map((i) => ({ code: DEPENDENCY_UNAVAILABLE, path: ['feed', i, 'price'] })));
});

test('an entity the subgraph could not resolve is an error at each place holding it; its other fields still answer', async () => {
  const query = `{ products(ids: ["${LOOKUP_FAILS}", "p1", "${LOOKUP_FAILS}"]) { id name price inStock } }`;
  const { ours, stock: theirs } = await bothAnswer(query);
  expect(ours.data).toEqual({
    products: [
      { id: LOOKUP_FAILS, name: 'Rug', price: null, inStock: true },
      { id: 'p1', name: 'Kettle', price: 10, inStock: true },
      { id: LOOKUP_FAILS, name: 'Rug', price: null, inStock: true },
    ],
  });
  expect(sorted(ours)).toEqual(sorted(theirs));
  expect(sorted(ours)).toEqual([0, 2].map((i) => ({ code: DEPENDENCY_UNAVAILABLE, path: ['products', i] })));
});

test('a subgraph that is down: SUBGRAPH_UNAVAILABLE, its fields null, and the rest of the answer', async () => {
  await differential.graph.subgraphs['inventory']!.stop();
  const { ours, stock: theirs } = await bothAnswer('{ warehouses product(id: "p1") { name price inStock } products(ids: ["p2", "p4"]) { id inStock } }');
  expect(ours.data).toEqual({
    warehouses: null,
    product: { name: 'Kettle', price: 10, inStock: null },
    products: [
      { id: 'p2', inStock: null },
      { id: 'p4', inStock: null },
    ],
  });
  expect(errorsOf(ours).map((error) => error.code)).toEqual([GatewayErrorCode.SUBGRAPH_UNAVAILABLE, GatewayErrorCode.SUBGRAPH_UNAVAILABLE, GatewayErrorCode.SUBGRAPH_UNAVAILABLE]);
  expect(theirs.errors).toHaveLength(3);
});

