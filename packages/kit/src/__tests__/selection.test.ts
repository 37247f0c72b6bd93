// Reading ahead: whether the selection below a field reaches a path of field
// names, through aliases and both kinds of fragment, at a cost bounded by the
// document.
import { buildSchema, graphql, type GraphQLResolveInfo } from 'graphql';
import { selectsPath } from '../selection';

const schema = buildSchema(`
  type Query { shops: Page }
  type Page { edges: [Edge] total: Int }
  type Edge { node: Shop }
  type Shop { id: ID name: String branches: [Shop] }
`);

/** Runs `query` and returns what `selectsPath` said, in the `shops` resolver, for `path`. */
async function asked(query: string, path: string[]): Promise<boolean> {
  let answer: boolean | undefined;
  const result = await graphql({
    schema,
    source: query,
    rootValue: {
      shops: (_args: unknown, _context: unknown, info: GraphQLResolveInfo) => {
        answer = selectsPath(info, path);
        return null;
      },
    },
  });
  expect(result.errors).toBeUndefined();
  if (answer === undefined) throw new Error('the resolver did not run');
  return answer;
}

const PATH = ['edges', 'node', 'branches'];

test('a path selected directly, under an alias, or through inline and named fragments is asked for', async () => {
  expect(await asked('{ shops { edges { node { branches { id } } } } }', PATH)).toBe(true);
  expect(await asked('{ shops { e: edges { n: node { b: branches { id } } } } }', PATH)).toBe(true);
  expect(await asked('{ shops { ... on Page { edges { node { ... { branches { id } } } } } } }', PATH)).toBe(true);
  expect(await asked('{ shops { ...P } } fragment P on Page { edges { ...E } } fragment E on Edge { node { branches { id } } }', PATH)).toBe(true);
  // Asked in one of two selections of the same field.
  expect(await asked('{ shops { edges { node { id } } edges { node { branches { name } } } } }', PATH)).toBe(true);
});

test('a path that stops short, or that another field holds, is not asked for', async () => {
  expect(await asked('{ shops { edges { node { id name } } total } }', PATH)).toBe(false);
  expect(await asked('{ shops { total } }', PATH)).toBe(false);
  expect(await asked('{ shops { edges { node { branches { id } } } } }', ['edges', 'branches'])).toBe(false);
});

test('a fragment spread many times at one level is read once', async () => {
  const spreads = Array.from({ length: 2000 }, () => '...N').join(' ');
  const query = `{ shops { edges { ${spreads} } } } fragment N on Edge { node { id } }`;
  expect(await asked(query, PATH)).toBe(false);
  expect(await asked(query, ['edges', 'node'])).toBe(true);
});
