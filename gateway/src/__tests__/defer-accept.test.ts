// Which `accept` headers take an answer in parts: only those naming
// multipart/mixed with deferSpec=20220824, as Apollo Router reads them.
import { acceptsDefer } from '../engine/defer';

test.each([
  ['multipart/mixed;deferSpec=20220824,application/json', true],
  ['multipart/mixed; deferSpec=20220824', true],
  ['application/json, multipart/mixed; deferSpec=20220824', true],
  ['application/json;q=0.9, multipart/mixed;q=0.5;deferSpec=20220824', true],
  ['multipart/mixed', false],
  ['*/*', false],
  ['application/json', false],
  ['multipart/mixed;deferSpec=20990101', false],
  ['', false],
])('accept %j takes parts: %s', (accept, expected) => {
  expect(acceptsDefer(accept)).toBe(expected);
});
