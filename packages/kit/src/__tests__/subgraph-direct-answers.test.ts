// A subgraph answers an operation it has run before without Apollo Server's
// request pipeline, and that answer is Apollo Server's to the byte: status,
// content type, Cache-Control, errors masked or passed, fact changes in the
// extensions. What the direct path cannot answer the same way goes to Apollo.
import { ApolloServer } from '@apollo/server';
import { parse } from 'graphql';
import { badUserInput } from '../errors';
import { noteFactsChanged } from '../events/facts-in-answer';
import { createLogger } from '../logger';
import { serveSubgraph, type RunningSubgraph } from '../subgraph';

const typeDefs = parse(/* GraphQL */ `
  enum CacheControlScope {
    PUBLIC
    PRIVATE
  }
  directive @cacheControl(maxAge: Int, scope: CacheControlScope, inheritMaxAge: Boolean) on FIELD_DEFINITION | OBJECT | INTERFACE | UNION

  type Query {
    greeting(name: String!): String @cacheControl(maxAge: 30)
    private: String @cacheControl(maxAge: 30, scope: PRIVATE)
    failing: String
    refused: String
    items: [Item!]
    named: [Named!]
    strict: Holder
  }
  interface Named {
    name: String
  }
  type Person implements Named {
    name: String
    age: Int
  }
  type Holder {
    must: String!
    other: String
  }
  type Item @key(fields: "id") @cacheControl(maxAge: 60) {
    id: ID!
    label: String
    short: String @cacheControl(maxAge: 5)
  }
  type Mutation {
    change: Boolean
    slow: String
    fast: String
  }
`);

/** The mutation fields in the order they ran. */
const ran: string[] = [];

const resolvers = {
  Query: {
    greeting: (_: unknown, { name }: { name: string }) => `hello ${name}`,
    private: () => 'mine',
    failing: () => {
      throw new Error('password=hunter2');
    },
    refused: () => {
      throw badUserInput('name', 'No such name.');
    },
    items: () => [{ id: 'i1', label: 'one' }],
    named: () => [{ name: 'ada', age: 36 }],
    strict: () => ({ must: null, other: 'kept' }),
  },
  Named: { __resolveType: () => 'Person' },
  Item: {
    __resolveReference: (reference: { id: string }) => (reference.id === 'missing' ? null : { id: reference.id, label: `item ${reference.id}` }),
    short: () => 'brief',
  },
  Mutation: {
    slow: async () => {
      await new Promise((resolve) => setTimeout(resolve, 20));
      ran.push('slow');
      return 'slow';
    },
    fast: () => {
      ran.push('fast');
      return 'fast';
    },
    change: () => {
      noteFactsChanged('change-1');
      return true;
    },
  },
};

let subgraph: RunningSubgraph;
const pipeline = jest.spyOn(ApolloServer.prototype, 'executeHTTPGraphQLRequest');

beforeAll(async () => {
  subgraph = await serveSubgraph({
    definition: { name: 'direct', typeDefs, resolvers },
    logger: createLogger('direct', { level: 'silent' }),
    port: 0,
    host: '127.0.0.1',
    context: () => ({}),
    trust: { signingSecret: 'direct-answers-test-secret', allowUnsigned: true },
  });
});
afterAll(() => subgraph.stop());
beforeEach(() => pipeline.mockClear());

interface Answer {
  status: number;
  contentType: string | null;
  cacheControl: string | null;
  body: string;
}

async function post(body: unknown, headers: Record<string, string> = {}): Promise<Answer> {
  const response = await fetch(subgraph.url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
  return { status: response.status, contentType: response.headers.get('content-type'), cacheControl: response.headers.get('cache-control'), body: await response.text() };
}

/** Sends `body` twice: Apollo Server answers the first, the direct path the second, with the same bytes. */
async function answeredAlikeBothWays(body: unknown): Promise<Answer> {
  const first = await post(body);
  expect(pipeline).toHaveBeenCalledTimes(1);
  const second = await post(body);
  expect(pipeline).toHaveBeenCalledTimes(1);
  expect(second).toEqual(first);
  pipeline.mockClear();
  return second;
}

const GREETING = 'query Greeting($name: String!) { greeting(name: $name) }';

test('a repeated query is answered directly, as Apollo Server answered it, and with new variables too', async () => {
  const answer = await answeredAlikeBothWays({ query: GREETING, operationName: 'Greeting', variables: { name: 'ada' } });
  expect(answer).toMatchObject({ status: 200, cacheControl: 'max-age=30, public' });
  expect(JSON.parse(answer.body)).toEqual({ data: { greeting: 'hello ada' } });
  const other = await post({ query: GREETING, operationName: 'Greeting', variables: { name: 'grace' } });
  expect(pipeline).not.toHaveBeenCalled();
  expect(JSON.parse(other.body)).toEqual({ data: { greeting: 'hello grace' } });
});

test('errors are masked or passed with their codes, and the answer is not cacheable', async () => {
  const failing = await answeredAlikeBothWays({ query: '{ failing greeting(name: "x") }' });
  expect(failing.cacheControl).toBe('no-store');
  const parsed = JSON.parse(failing.body) as { errors: { extensions: { code: string } }[]; data: unknown };
  expect(parsed.errors.map((error) => error.extensions.code)).toEqual(['INTERNAL_SERVER_ERROR']);
  expect(failing.body).not.toContain('hunter2');
  const refused = JSON.parse((await answeredAlikeBothWays({ query: '{ refused }' })).body) as { errors: { extensions: { code: string } }[] };
  expect(refused.errors.map((error) => error.extensions.code)).toEqual(['BAD_USER_INPUT']);
});

test('a null in a non-null field nulls its parent with an error, and abstract types, aliases and @skip run as in graphql-js', async () => {
  for (const skip of [true, false]) {
    // A text of its own each time, so that Apollo Server answers it first.
    const query = `query Skip${skip}($skip: Boolean!) { strict { other must } named { __typename name ... on Person { years: age } } greeting(name: "x") @skip(if: $skip) } # ${skip}`;
    const answer = JSON.parse((await answeredAlikeBothWays({ query, variables: { skip } })).body) as { errors: { path: unknown[] }[]; data: unknown };
    expect(answer.errors.map((error) => error.path)).toEqual([['strict', 'must']]);
    expect(answer.data).toEqual({ strict: null, named: [{ __typename: 'Person', name: 'ada', years: 36 }], ...(skip ? {} : { greeting: 'hello x' }) });
  }
});

test('entities by representation, a private hint, and fact changes in the extensions', async () => {
  const entities = await answeredAlikeBothWays({
    query: 'query($r: [_Any!]!) { _entities(representations: $r) { ... on Item { id label } } }',
    variables: { r: [{ __typename: 'Item', id: 'i7' }, { __typename: 'Item', id: 'missing' }] },
  });
  expect(entities.cacheControl).toBe('max-age=60, public');
  expect(JSON.parse(entities.body)).toEqual({ data: { _entities: [{ id: 'i7', label: 'item i7' }, null] } });
  expect((await answeredAlikeBothWays({ query: '{ private }' })).cacheControl).toBe('max-age=30, private');
  const changed = await answeredAlikeBothWays({ query: 'mutation { change }' });
  expect(JSON.parse(changed.body)).toEqual({ data: { change: true }, extensions: { factsChanged: ['change-1'] } });
});

test('mutation fields run one after another, in the order asked', async () => {
  const answer = await answeredAlikeBothWays({ query: 'mutation { first: slow second: fast third: slow }' });
  expect(JSON.parse(answer.body)).toEqual({ data: { first: 'slow', second: 'fast', third: 'slow' } });
  expect(ran).toEqual(['slow', 'fast', 'slow', 'slow', 'fast', 'slow']);
});

test('what the direct path cannot answer as Apollo Server would is left to Apollo Server', async () => {
  await post({ query: GREETING, operationName: 'Greeting', variables: { name: 'ada' } });
  pipeline.mockClear();
  // Variables that do not fit: Apollo Server refuses them with 400.
  const unfit = await post({ query: GREETING, operationName: 'Greeting', variables: { name: 5 } });
  expect(unfit.status).toBe(400);
  expect((JSON.parse(unfit.body) as { errors: { extensions: { code: string } }[] }).errors[0]!.extensions.code).toBe('BAD_USER_INPUT');
  // A client that takes no JSON, and a persisted query's extension.
  expect((await post({ query: GREETING, operationName: 'Greeting', variables: { name: 'ada' } }, { accept: 'text/plain' })).status).toBe(406);
  await post({ query: GREETING, operationName: 'Greeting', variables: { name: 'ada' }, extensions: { persistedQuery: { version: 1, sha256Hash: 'x'.repeat(64) } } });
  // A field below the root with a shorter hint: only resolving tells the policy.
  const narrowed = { query: '{ items { id short } }' };
  await post(narrowed);
  const again = await post(narrowed);
  expect(again.cacheControl).toBe('max-age=5, public');
  expect(pipeline).toHaveBeenCalledTimes(5);
});

test('the operations kept are bounded: the oldest are forgotten past their count or their texts\' length, and a text too long is never kept', async () => {
  const padded = (i: number, chars: number) => `query Padded${i} { greeting(name: "p${i}") } # ${'x'.repeat(chars)}`;
  const sendTwice = async (query: string) => {
    await post({ query });
    await post({ query });
  };
  for (let i = 0; i < 20; i += 1) await sendTwice(padded(i, 120_000));
  // Twenty texts of 120,000 characters go through Apollo Server once each: the budget holds the most recent.
  expect(pipeline).toHaveBeenCalledTimes(20);
  pipeline.mockClear();
  await post({ query: padded(19, 120_000) });
  expect(pipeline).not.toHaveBeenCalled();
  await post({ query: padded(0, 120_000) });
  expect(pipeline).toHaveBeenCalledTimes(1);
  pipeline.mockClear();
  await sendTwice(padded(99, 200_000));
  expect(pipeline).toHaveBeenCalledTimes(2);
  pipeline.mockClear();
  // Five hundred short texts: the next one pushes out the oldest.
  const short = (i: number) => `query Short${i} { private${i}: private }`;
  for (let i = 0; i < 501; i += 1) await post({ query: short(i) });
  pipeline.mockClear();
  await post({ query: short(500) });
  await post({ query: short(1) });
  expect(pipeline).not.toHaveBeenCalled();
  await post({ query: short(0) });
  expect(pipeline).toHaveBeenCalledTimes(1);
});

test('texts that differ only in their operation\'s name share what was kept: the planner names each subgraph operation after the client\'s', async () => {
  const named = (name: string) => `query ${name}__direct__0($name: String!) { hello: greeting(name: $name) }`;
  const first = await post({ query: named('Checkout'), operationName: 'Checkout__direct__0', variables: { name: 'ada' } });
  expect(pipeline).toHaveBeenCalledTimes(1);
  // Another client's operation of the same shape: answered directly from its first request, and alike.
  const other = await post({ query: named('Basket'), operationName: 'Basket__direct__0', variables: { name: 'ada' } });
  const unnamedInBody = await post({ query: named('Cart'), variables: { name: 'ada' } });
  expect(pipeline).toHaveBeenCalledTimes(1);
  expect([other, unnamedInBody]).toEqual([first, first]);
  // A request naming an operation its text does not hold is Apollo Server's to refuse.
  const mismatch = await post({ query: named('Basket'), operationName: 'Elsewhere', variables: { name: 'ada' } });
  expect(pipeline).toHaveBeenCalledTimes(2);
  expect(mismatch.status).toBe(400);
  // A document of two operations is kept only under the name it was run by: the same name twice is invalid.
  const two = (name: string) => `query ${name} { greeting(name: "x") } query Twice { private }`;
  await post({ query: two('Once'), operationName: 'Once' });
  pipeline.mockClear();
  await post({ query: two('Once'), operationName: 'Once' });
  expect(pipeline).not.toHaveBeenCalled();
  const invalid = await post({ query: two('Twice'), operationName: 'Twice' });
  expect(pipeline).toHaveBeenCalledTimes(1);
  expect((JSON.parse(invalid.body) as { errors: { extensions: { code: string } }[] }).errors[0]!.extensions.code).toBe('GRAPHQL_VALIDATION_FAILED');
});
