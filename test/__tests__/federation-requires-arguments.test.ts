// @requires over a field with arguments: the required field is fetched with
// the arguments the @requires names, whatever else the operation selects, and
// two @requires of the same field with different arguments each get their own
// value. The query planner is patched for this (see patches/ and the README).
import { startFederation, type Federation } from '@interop/testing/federation-fixture';

const COMMENTS = ['c1', 'c2', 'c3', 'c4', 'c5'].map((id) => ({ id }));

let graph: Federation;

beforeAll(async () => {
  graph = await startFederation([
    {
      name: 'posts',
      typeDefs: /* GraphQL */ `
        extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key"])
        type Query {
          post(id: ID!): Post
          posts: [Post!]!
        }
        type Post @key(fields: "id") {
          id: ID!
          "The first \`limit\` comments; all of them without a limit."
          comments(limit: Int): [Comment!]!
        }
        type Comment @key(fields: "id") {
          id: ID!
        }
      `,
      resolvers: {
        Query: {
          post: (_: unknown, { id }: { id: string }) => ({ id }),
          posts: () => [{ id: 'p1' }, { id: 'p2' }],
        },
        Post: { comments: (_: unknown, { limit }: { limit?: number | null }) => COMMENTS.slice(0, limit ?? COMMENTS.length) },
      },
    },
    {
      name: 'digest',
      typeDefs: /* GraphQL */ `
        extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key", "@external", "@requires"])
        type Post @key(fields: "id") {
          id: ID!
          comments(limit: Int): [Comment!]! @external
          latestCommentIds: [ID!]! @requires(fields: "comments(limit: 1) { id }")
          latestCommentCount: Int! @requires(fields: "comments(limit: 1) { id }")
          recentCommentIds: [ID!]! @requires(fields: "comments(limit: 3) { id }")
        }
        type Comment @key(fields: "id", resolvable: false) {
          id: ID!
        }
      `,
      // Each field answers from the comments it was given, so a wrong argument shows in the answer.
      resolvers: {
        Post: {
          latestCommentIds: ({ comments }: { comments: { id: string }[] }) => comments.map((comment) => comment.id),
          latestCommentCount: ({ comments }: { comments: { id: string }[] }) => comments.length,
          recentCommentIds: ({ comments }: { comments: { id: string }[] }) => comments.map((comment) => comment.id),
        },
      },
    },
  ]);
});

afterAll(async () => {
  await graph?.stop();
});

test('the operation selecting the required field with other arguments changes neither answer', async () => {
  const response = await graph.query('{ post(id: "p1") { comments(limit: 2) { id } latestCommentIds } }');
  expect(response.errors).toBeUndefined();
  expect(response.data).toEqual({ post: { comments: [{ id: 'c1' }, { id: 'c2' }], latestCommentIds: ['c1'] } });
});

test('the operation selecting the required field without arguments changes neither answer', async () => {
  const response = await graph.query('{ post(id: "p1") { comments { id } latestCommentIds } }');
  expect(response.errors).toBeUndefined();
  expect(response.data).toEqual({ post: { comments: COMMENTS, latestCommentIds: ['c1'] } });
});

test('two @requires of one field with different arguments each get their own value', async () => {
  const response = await graph.query('{ posts { id recentCommentIds latestCommentIds latestCommentCount } }');
  expect(response.errors).toBeUndefined();
  const digest = { recentCommentIds: ['c1', 'c2', 'c3'], latestCommentIds: ['c1'], latestCommentCount: 1 };
  expect(response.data).toEqual({ posts: [{ id: 'p1', ...digest }, { id: 'p2', ...digest }] });
});

test('the required field reaches the owning subgraph once per distinct argument set, never as a response key of the answer', async () => {
  graph.subgraphs['posts']!.requests.length = 0;
  const response = await graph.query('{ post(id: "p1") { recentCommentIds latestCommentIds latestCommentCount } }');
  expect(response.data).toEqual({ post: { recentCommentIds: ['c1', 'c2', 'c3'], latestCommentIds: ['c1'], latestCommentCount: 1 } });
  const sent = graph.subgraphs['posts']!.requests.map((request) => request.query).join('\n');
  expect(sent.match(/comments\(limit:1\)/g)).toHaveLength(1);
  expect(sent.match(/comments\(limit:3\)/g)).toHaveLength(1);
});
