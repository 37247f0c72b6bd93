// The operation measure on its own, on documents the text limits and
// validation would refuse first: it must stay linear and never loop.
import { buildSchema, getOperationAST, parse } from 'graphql';
import { DEFAULT_OPERATION_LIMITS, limitsVerdicts, measureOperation, operationLimitsPlugin } from '../operation-limits';

const schema = buildSchema(`
  type Query { tools: [Tool!]! tool: Tool }
  type Tool { id: ID! name: String related(first: Int): ToolConnection }
  type ToolConnection { edges: [ToolEdge!]! }
  type ToolEdge { node: Tool! }
`);

const measure = (query: string, limits = DEFAULT_OPERATION_LIMITS) => {
  const document = parse(query, { noLocation: true });
  return measureOperation(schema, document, getOperationAST(document)!, {}, limits)?.extensions['code'] ?? null;
};

const doubling = (levels: number, leaf: string) =>
  [...Array.from({ length: levels }, (_, i) => `fragment F${i} on Tool { ...F${i + 1} ...F${i + 1} }`), `fragment F${levels} on Tool { ${leaf} }`].join('\n');
const chain = (length: number) =>
  [...Array.from({ length }, (_, i) => `fragment C${i} on Tool { ...C${i + 1} }`), `fragment C${length} on Tool { id }`].join('\n');

test('fragments spreading the next twice, 1,000 levels, are measured at once and refused as too expensive', () => {
  const started = performance.now();
  expect(measure(`{ tool { ...F0 } }\n${doubling(1000, 'id')}`)).toBe('OPERATION_TOO_EXPENSIVE');
  expect(performance.now() - started).toBeLessThan(1000);
});

test('a chain of 20,000 fragments is walked without recursion', () => {
  expect(measure(`{ tool { ...C0 } }\n${chain(20_000)}`)).toBeNull();
});

test('fragments spreading each other round are not followed round', () => {
  expect(measure('{ tool { ...A } } fragment A on Tool { id ...B } fragment B on Tool { name ...A }')).toBeNull();
  expect(measure('{ tool { ...A } } fragment A on Tool { ...A }')).toBeNull();
});

test('a fragment counts wherever it is spread: its depth from the spread, its cost times the lists above', () => {
  const deep = 'fragment D on Tool { related { edges { node { related { edges { node { id } } } } } } }';
  expect(measure(`{ tool { ...D } } ${deep}`, { ...DEFAULT_OPERATION_LIMITS, maxDepth: 8 })).toBeNull();
  expect(measure(`{ tool { related { edges { node { ...D } } } } } ${deep}`, { ...DEFAULT_OPERATION_LIMITS, maxDepth: 8 })).toBe('OPERATION_TOO_DEEP');
  expect(measure('{ tools { ...N } } fragment N on Tool { name }', { ...DEFAULT_OPERATION_LIMITS, maxCost: 10 })).toBe('OPERATION_TOO_EXPENSIVE');
  expect(measure('{ tool { ...N } } fragment N on Tool { name }', { ...DEFAULT_OPERATION_LIMITS, maxCost: 10 })).toBeNull();
});

test('a fragment spread right inside a connection counts its edges once', () => {
  const limits = { ...DEFAULT_OPERATION_LIMITS, maxCost: 60 };
  // 1 (tool) + 1 (related) + 5 edges + 5 nodes + 5 ids + ... within 60 only if edges do not multiply again.
  expect(measure('{ tool { related(first: 5) { ...E } } } fragment E on ToolConnection { edges { node { id name } } }', limits)).toBeNull();
  expect(measure('{ tool { related(first: 5) { edges { node { id name } } } } }', limits)).toBeNull();
});

test('aliases count once per spread of the fragment holding them', () => {
  const limits = { ...DEFAULT_OPERATION_LIMITS, maxAliases: 3 };
  expect(measure('{ tool { ...A ...A } } fragment A on Tool { a: id }', limits)).toBeNull();
  expect(measure('{ a: tool { ...A } b: tool { ...A } } fragment A on Tool { a: id b: name }', limits)).toBe('TOO_MANY_ALIASES');
});

test('the plugin keeps a verdict per document and per value of the variables that size lists, and only those', async () => {
  const plugin = operationLimitsPlugin(limitsVerdicts({ ...DEFAULT_OPERATION_LIMITS, maxCost: 1_000 }));
  const document = parse('query Q($n: Int, $note: String) { tool { name(note: $note) related(first: $n) { edges { node { related(first: $n) { edges { node { id } } } } } } } }', { noLocation: true });
  const operation = getOperationAST(document)!;
  const noted = buildSchema(`
    type Query { tool: Tool }
    type Tool { id: ID! name(note: String): String related(first: Int): ToolConnection }
    type ToolConnection { edges: [ToolEdge!]! }
    type ToolEdge { node: Tool! }
  `);
  const check = async (variables: Record<string, unknown>) => {
    const hooks = await plugin.requestDidStart!({} as never);
    try {
      await hooks!.didResolveOperation!({ operation, document, schema: noted, request: { variables } } as never);
      return null;
    } catch (error) {
      return (error as { extensions: { code: string } }).extensions.code;
    }
  };
  // Refused first, before any measure passed: the refusal says nothing about other values.
  expect(await check({ n: 100, note: 'a' })).toBe('OPERATION_TOO_EXPENSIVE');
  expect(await check({ n: 5, note: 'b' })).toBeNull();
  expect(await check({ n: 100, note: 'c' })).toBe('OPERATION_TOO_EXPENSIVE');
  // A variable that sizes no list does not change the verdict, whatever its values.
  for (let i = 0; i < 100; i += 1) expect(await check({ n: 5, note: `x${i}` })).toBeNull();
  expect(await check({ n: 40, note: 'd' })).toBe('OPERATION_TOO_EXPENSIVE');
});
