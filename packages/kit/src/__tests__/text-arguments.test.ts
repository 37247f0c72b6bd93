// Where a NUL hides in a field's arguments: found at any depth, named by its
// path, and absent arguments cost no path at all.
import { nulArgumentPath } from '../text-arguments';

it('names the first string holding NUL by its path through inputs and lists', () => {
  expect(nulArgumentPath({ id: 'm1', input: { reference: 'a\u0000b' } })).toBe('input.reference');
  expect(nulArgumentPath({ ids: ['a', 'b', '\u0000'] })).toBe('ids.2');
  expect(nulArgumentPath({ representations: [{ __typename: 'Storefront', id: 'ok' }, { __typename: 'Storefront', id: 'x\u0000' }] })).toBe('representations.1.id');
  expect(nulArgumentPath({ first: 'a\u0000', second: 'b\u0000' })).toBe('first');
});

it('finds none in text without NUL, including escapes that only look like one', () => {
  expect(nulArgumentPath({ id: 'm1', note: '\\u0000', list: [1, null, true, { deep: ['x'] }] })).toBeNull();
  expect(nulArgumentPath({})).toBeNull();
});

it('walks a JSON value nested deeper than the call stack without overflowing', () => {
  let deep: unknown = 'end\u0000';
  for (let i = 0; i < 100_000; i += 1) deep = [deep];
  expect(nulArgumentPath({ value: deep })).toBe(`value${'.0'.repeat(100_000)}`);
});
