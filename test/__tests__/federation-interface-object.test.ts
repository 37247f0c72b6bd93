// An @interfaceObject subgraph knows an interface's entities by key only; the
// subgraph that owns the interface tells their concrete type. When it cannot
// (no such entity there), the object's type is unknown: a field error at the
// field that returned the object, not a silent null.
import { ErrorCode } from '@interop/kit';
import { startFederation, type Federation } from '@interop/testing/federation-fixture';
import { errorsOf } from '@interop/testing/operation';

const MEDIA: Readonly<Record<string, { __typename: 'Book' | 'Film'; id: string; title: string; author?: string; director?: string }>> = {
  b1: { __typename: 'Book', id: 'b1', title: 'Dune', author: 'Herbert' },
  f1: { __typename: 'Film', id: 'f1', title: 'Alien', director: 'Scott' },
};
/** Reviewed, but unknown to the library that owns Media. */
const UNKNOWN = 'x1';

let graph: Federation;

beforeAll(async () => {
  graph = await startFederation([
    {
      name: 'library',
      typeDefs: /* GraphQL */ `
        extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key"])
        type Query {
          media(id: ID!): Media
        }
        interface Media @key(fields: "id") {
          id: ID!
          title: String!
        }
        type Book implements Media @key(fields: "id") {
          id: ID!
          title: String!
          author: String!
        }
        type Film implements Media @key(fields: "id") {
          id: ID!
          title: String!
          director: String!
        }
      `,
      resolvers: {
        Query: { media: (_: unknown, { id }: { id: string }) => MEDIA[id] ?? null },
        Media: { __resolveReference: ({ id }: { id: string }) => MEDIA[id] ?? null },
      },
    },
    {
      name: 'reviews',
      typeDefs: /* GraphQL */ `
        extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key", "@interfaceObject"])
        type Query {
          pick: Media
          featured: [Media]
          shortlist: [Media!]!
        }
        type Media @key(fields: "id") @interfaceObject {
          id: ID!
          stars: Int!
        }
      `,
      resolvers: {
        Query: {
          pick: () => ({ id: UNKNOWN }),
          featured: () => ['b1', UNKNOWN, 'f1'].map((id) => ({ id })),
          shortlist: () => ['b1', UNKNOWN].map((id) => ({ id })),
        },
        Media: { __resolveReference: ({ id }: { id: string }) => ({ id }), stars: () => 4 },
      },
    },
  ]);
});

afterAll(async () => {
  await graph?.stop();
});

test('__typename of an object no subgraph can type is an error at the field that returned it', async () => {
  const response = await graph.query('{ pick { __typename id stars } }');
  expect(response.data).toEqual({ pick: null });
  expect(errorsOf(response)).toEqual([{ code: ErrorCode.INTERNAL_SERVER_ERROR, path: ['pick'] }]);
});

test('a type condition on an object no subgraph can type is an error, not an answer as if the condition failed', async () => {
  const response = await graph.query('{ pick { id stars ... on Book { author } } }');
  expect(response.data).toEqual({ pick: null });
  expect(errorsOf(response)).toEqual([{ code: ErrorCode.INTERNAL_SERVER_ERROR, path: ['pick'] }]);
});

test('in a nullable list, only the item no subgraph can type is null, with an error at its index', async () => {
  const response = await graph.query('{ featured { __typename id stars } }');
  expect(response.data).toEqual({
    featured: [{ __typename: 'Book', id: 'b1', stars: 4 }, null, { __typename: 'Film', id: 'f1', stars: 4 }],
  });
  expect(errorsOf(response)).toEqual([{ code: ErrorCode.INTERNAL_SERVER_ERROR, path: ['featured', 1] }]);
  // Nothing in this selection needs the concrete type, so nothing asks for it and nothing fails.
  const untyped = await graph.query('{ featured { id stars } }');
  expect(untyped.errors).toBeUndefined();
  expect(untyped.data).toEqual({ featured: ['b1', UNKNOWN, 'f1'].map((id) => ({ id, stars: 4 })) });
});

test('in a [T!]! list, the item no subgraph can type nulls the list up to data, with an error at its index', async () => {
  const response = await graph.query('{ shortlist { __typename id } }');
  expect(response.data).toBeNull();
  expect(errorsOf(response)).toEqual([{ code: ErrorCode.INTERNAL_SERVER_ERROR, path: ['shortlist', 1] }]);
});
