// The fact changes a request made travel in its answer: noted while it runs,
// written as an extension, read back by the gateway, malformed ones ignored.
import { ApolloServer } from '@apollo/server';
import { FACTS_CHANGED_EXTENSION, factsChangedIn, factsChangedInAnswer, noteFactsChanged } from '../events/facts-in-answer';
import { requestScope } from '../request-scope';

const server = new ApolloServer({
  typeDefs: 'type Query { ok: Boolean } type Mutation { change(times: Int!): Boolean }',
  resolvers: {
    Mutation: {
      change: async (_: unknown, { times }: { times: number }) => {
        await Promise.resolve();
        for (let i = 0; i < times; i++) noteFactsChanged(`change-${i}`);
        return true;
      },
    },
  },
  plugins: [factsChangedInAnswer()],
});

beforeAll(() => server.start());
afterAll(() => server.stop());

async function extensionsOf(query: string) {
  const response = await requestScope.run({ requestId: 'r' }, () => server.executeOperation({ query }));
  if (response.body.kind !== 'single') throw new Error('expected a single result');
  return response.body.singleResult.extensions;
}

test('an answer names the changes its request made, and only then', async () => {
  expect(factsChangedIn(await extensionsOf('mutation { change(times: 2) }'))).toEqual(['change-0', 'change-1']);
  expect(await extensionsOf('mutation { change(times: 0) }')).toBeUndefined();
  expect(await extensionsOf('{ ok }')).toBeUndefined();
});

test('what is not a list of change ids is ignored, and a long list is cut', () => {
  expect(factsChangedIn(undefined)).toEqual([]);
  expect(factsChangedIn({ [FACTS_CHANGED_EXTENSION]: 'change-0' })).toEqual([]);
  expect(factsChangedIn({ [FACTS_CHANGED_EXTENSION]: [1, null, {}, '', 'x'.repeat(101), 'has space', 'ok-1'] })).toEqual(['ok-1']);
  const many = Array.from({ length: 1000 }, (_, i) => `c${i}`);
  expect(factsChangedIn({ [FACTS_CHANGED_EXTENSION]: many })).toHaveLength(100);
});
