import { getOperationAST, parse } from 'graphql';
import { KnownOperations, type KnownOperation } from '../known-operations';

const text = 'query A { a } query B { b }';
const document = parse(text);
const known = (name: string): KnownOperation => ({ key: `hash\n${name}`, queryHash: 'hash', document, operation: getOperationAST(document, name)! });

test('an operation is found by its text and the name the request gave, under the schema it was validated against', () => {
  const operations = new KnownOperations();
  const schema = {};
  operations.reset(schema);
  operations.remember(text, 'A', known('A'), schema);
  expect(operations.find(text, 'A')?.operation.name?.value).toBe('A');
  expect(operations.find(text, 'B')).toBeNull();
  expect(operations.find(text, undefined)).toBeNull();
  expect(operations.find(`${text} `, 'A')).toBeNull();
});

test('a new schema forgets every operation, and one validated against the old schema is not kept', () => {
  const operations = new KnownOperations();
  const before = {};
  const after = {};
  operations.reset(before);
  operations.remember(text, 'A', known('A'), before);
  operations.reset(after);
  expect(operations.find(text, 'A')).toBeNull();
  // Validated before the swap, run after it: Apollo Server answers its repeats until one runs under the new schema.
  operations.remember(text, 'B', known('B'), before);
  expect(operations.find(text, 'B')).toBeNull();
  operations.remember(text, 'B', known('B'), after);
  expect(operations.find(text, 'B')?.operation.name?.value).toBe('B');
});
