// A non-null field that another subgraph resolves, and that comes back null
// (the entity is unknown there, or its resolver failed), nulls up to the
// nearest nullable parent as the GraphQL spec says, with one error whose path
// names the field.
import { GraphQLError } from 'graphql';
import { ErrorCode } from '@interop/kit';
import { startFederation, type Federation } from '@interop/testing/federation-fixture';
import { errorsOf } from '@interop/testing/operation';

const PRICES: Readonly<Record<string, number>> = { p1: 10, p3: 30 };
const UNKNOWN_TO_PRICING = 'p2';
const PRICE_FAILS = 'p4';

let graph: Federation;

beforeAll(async () => {
  graph = await startFederation([
    {
      name: 'catalog',
      typeDefs: /* GraphQL */ `
        extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key"])
        type Query {
          product(id: ID!): Product
          catalog: Catalog
        }
        type Catalog {
          products: [Product!]!
        }
        type Product @key(fields: "id") {
          id: ID!
        }
      `,
      resolvers: {
        Query: {
          product: (_: unknown, { id }: { id: string }) => ({ id }),
          catalog: () => ({ products: ['p1', UNKNOWN_TO_PRICING, 'p3'].map((id) => ({ id })) }),
        },
      },
    },
    {
      name: 'pricing',
      typeDefs: /* GraphQL */ `
        extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key"])
        type Product @key(fields: "id") {
          id: ID!
          price: Int!
        }
      `,
      resolvers: {
        Product: {
          __resolveReference: ({ id }: { id: string }) => (id === UNKNOWN_TO_PRICING ? null : { id }),
          price: ({ id }: { id: string }) => {
            if (id === PRICE_FAILS) throw new GraphQLError('price source down', { extensions: { code: ErrorCode.DEPENDENCY_UNAVAILABLE } });
            return PRICES[id];
          },
        },
      },
    },
  ]);
});

afterAll(async () => {
  await graph?.stop();
});

test('a non-null field another subgraph resolves as null nulls its parent, with an error at the field', async () => {
  const response = await graph.query(`{ product(id: "${UNKNOWN_TO_PRICING}") { id price } }`);
  expect(response.data).toEqual({ product: null });
  expect(errorsOf(response)).toEqual([{ code: ErrorCode.INTERNAL_SERVER_ERROR, path: ['product', 'price'] }]);
});

test('a null item of a [T!]! list nulls the list and then its nullable parent, with an error at the item\'s field', async () => {
  const response = await graph.query('{ catalog { products { id price } } }');
  expect(response.data).toEqual({ catalog: null });
  expect(errorsOf(response)).toEqual([{ code: ErrorCode.INTERNAL_SERVER_ERROR, path: ['catalog', 'products', 1, 'price'] }]);
});

test('a field the subgraph answered with an error has that error alone, at the field\'s path in the response', async () => {
  const response = await graph.query(`{ product(id: "${PRICE_FAILS}") { id price } }`);
  expect(response.data).toEqual({ product: null });
  expect(errorsOf(response)).toEqual([{ code: ErrorCode.DEPENDENCY_UNAVAILABLE, path: ['product', 'price'] }]);
});

test('an error elsewhere in the response does not hide the error of a field that came back null', async () => {
  const response = await graph.query(`{ failing: product(id: "${PRICE_FAILS}") { price } unknown: product(id: "${UNKNOWN_TO_PRICING}") { price } priced: product(id: "p1") { price } }`);
  expect(response.data).toEqual({ failing: null, unknown: null, priced: { price: 10 } });
  expect(errorsOf(response)).toEqual(
    expect.arrayContaining([
      { code: ErrorCode.DEPENDENCY_UNAVAILABLE, path: ['failing', 'price'] },
      { code: ErrorCode.INTERNAL_SERVER_ERROR, path: ['unknown', 'price'] },
    ]),
  );
  expect(response.errors).toHaveLength(2);
});
