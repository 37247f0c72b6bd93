// Keyset pagination: opaque cursors that round-trip, validated `first` and
// `after`, and pages built from `LIMIT first + 1` rows.
import { AppError, ErrorCode } from '../errors';
import { encodeCursor, MAX_PAGE_SIZE, pageRequest, toPage } from '../pagination';

/** The error `fn` throws, failing the test when it throws nothing. */
function thrownBy(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error('expected a throw');
}

function badInputArgument(fn: () => unknown): unknown {
  const error = thrownBy(fn);
  expect(error).toBeInstanceOf(AppError);
  const extensions = (error as AppError).extensions;
  expect(extensions.code).toBe(ErrorCode.BAD_USER_INPUT);
  return extensions.argument;
}

const base64url = (text: string) => Buffer.from(text, 'utf8').toString('base64url');

describe('cursors', () => {
  test.each([0, 1, 42, 999_999, Number.MAX_SAFE_INTEGER])('key %d round-trips through its cursor', (key) => {
    expect(pageRequest(10, encodeCursor(key))).toEqual({ first: 10, afterKey: key });
  });

  test('cursors are opaque: not the bare key, and distinct per key', () => {
    expect(encodeCursor(7)).not.toBe('7');
    expect(new Set([1, 2, 3, 10, 11].map(encodeCursor)).size).toBe(5);
  });

  test('no cursor starts at the beginning', () => {
    expect(pageRequest(5, null)).toEqual({ first: 5, afterKey: null });
    expect(pageRequest(5, undefined)).toEqual({ first: 5, afterKey: null });
  });

  test.each([
    ['not base64 at all', 'not-a-cursor!'],
    ['an empty string', ''],
    ['the bare key', '5'],
    ['a cursor with another prefix', base64url('x:5')],
    ['a negative key', base64url('k:-1')],
    ['a fractional key', base64url('k:1.5')],
    ['a key past the safe integers', base64url('k:9007199254740993')],
    ['a key with a leading zero', base64url('k:05')],
    ['a key with spaces', base64url('k: 5')],
    ['a prefix without a key', base64url('k:')],
    ['standard base64 padding', `${encodeCursor(5)}=`],
    ['a valid cursor with trailing junk', `${encodeCursor(5)}AA`],
  ])('%s is BAD_USER_INPUT on `after`', (_name, cursor) => {
    expect(badInputArgument(() => pageRequest(10, cursor))).toBe('after');
  });
});

describe('first', () => {
  test('defaults to 20 when not given', () => {
    expect(pageRequest(null, null).first).toBe(20);
    expect(pageRequest(undefined, null).first).toBe(20);
  });

  test('0 and 100 are the bounds', () => {
    expect(MAX_PAGE_SIZE).toBe(100);
    expect(pageRequest(0, null).first).toBe(0);
    expect(pageRequest(100, null).first).toBe(100);
  });

  test.each([-1, 101, 1.5, Number.NaN, Number.POSITIVE_INFINITY])('%d is BAD_USER_INPUT on `first`', (first) => {
    expect(badInputArgument(() => pageRequest(first, null))).toBe('first');
  });
});

describe('toPage', () => {
  const rows = (...keys: number[]) => keys.map((key) => ({ key }));
  const keyOf = (row: { key: number }) => row.key;

  test('the extra row only says that another page follows', () => {
    const page = toPage(rows(4, 7, 9), { first: 2, afterKey: null }, keyOf);
    expect(page.edges).toEqual([
      { cursor: encodeCursor(4), node: { key: 4 } },
      { cursor: encodeCursor(7), node: { key: 7 } },
    ]);
    expect(page.pageInfo).toEqual({ hasNextPage: true, endCursor: encodeCursor(7) });
  });

  test('the last page has no next page and ends at its last row', () => {
    const page = toPage(rows(4, 7), { first: 2, afterKey: null }, keyOf);
    expect(page.edges.map((edge) => edge.node.key)).toEqual([4, 7]);
    expect(page.pageInfo).toEqual({ hasNextPage: false, endCursor: encodeCursor(7) });
    const short = toPage(rows(4), { first: 5, afterKey: null }, keyOf);
    expect(short.pageInfo).toEqual({ hasNextPage: false, endCursor: encodeCursor(4) });
  });

  test('an empty page has a null endCursor', () => {
    expect(toPage(rows(), { first: 5, afterKey: 3 }, keyOf)).toEqual({ edges: [], pageInfo: { hasNextPage: false, endCursor: null } });
  });

  test('first 0 returns no edges but still says whether rows follow', () => {
    expect(toPage(rows(1), { first: 0, afterKey: null }, keyOf)).toEqual({ edges: [], pageInfo: { hasNextPage: true, endCursor: null } });
  });

  test('endCursor continues exactly after the page', () => {
    const all = rows(1, 2, 3, 5, 8, 13, 21);
    const walked: number[] = [];
    let after: string | null = null;
    for (let guard = 0; guard < 10; guard += 1) {
      const request = pageRequest(3, after);
      const fetched = all.filter((row) => request.afterKey === null || row.key > request.afterKey).slice(0, request.first + 1);
      const page = toPage(fetched, request, keyOf);
      walked.push(...page.edges.map((edge) => edge.node.key));
      if (!page.pageInfo.hasNextPage) break;
      after = page.pageInfo.endCursor;
    }
    expect(walked).toEqual([1, 2, 3, 5, 8, 13, 21]);
  });
});
