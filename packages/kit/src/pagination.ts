// Relay-style keyset pagination shared by every connection in the graph:
// opaque cursors over an ordered integer key, so a page a million rows deep
// costs what the first page costs.
import { badUserInput } from './errors';

export const MAX_PAGE_SIZE = 100;

export interface PageRequest {
  first: number;
  /** Rows strictly after this key; null starts at the beginning. */
  afterKey: number | null;
}

export interface PageInfo {
  hasNextPage: boolean;
  endCursor: string | null;
}

export interface Page<T> {
  edges: { cursor: string; node: T }[];
  pageInfo: PageInfo;
}

const CURSOR_PREFIX = 'k:';

export function encodeCursor(key: number): string {
  return Buffer.from(`${CURSOR_PREFIX}${key}`, 'utf8').toString('base64url');
}

/** Validates `first` and `after` as given by a client; BAD_USER_INPUT names the wrong one. */
export function pageRequest(first: number | null | undefined, after: string | null | undefined): PageRequest {
  const size = first ?? 20;
  if (!Number.isInteger(size) || size < 0 || size > MAX_PAGE_SIZE) {
    throw badUserInput('first', `first must be between 0 and ${MAX_PAGE_SIZE}.`);
  }
  return { first: size, afterKey: after == null ? null : decodeCursor(after) };
}

function decodeCursor(cursor: string): number {
  const text = Buffer.from(cursor, 'base64url').toString('utf8');
  const key = Number(text.slice(CURSOR_PREFIX.length));
  if (!text.startsWith(CURSOR_PREFIX) || !Number.isSafeInteger(key) || key < 0 || encodeCursor(key) !== cursor) {
    throw badUserInput('after', 'after is not a cursor this API returned.');
  }
  return key;
}

/**
 * Builds a page from rows fetched with `LIMIT first + 1`: the extra row only
 * says whether another page exists.
 */
export function toPage<T>(rows: readonly T[], request: PageRequest, keyOf: (row: T) => number): Page<T> {
  const nodes = rows.slice(0, request.first);
  const edges = nodes.map((node) => ({ cursor: encodeCursor(keyOf(node)), node }));
  return {
    edges,
    pageInfo: { hasNextPage: rows.length > request.first, endCursor: edges.at(-1)?.cursor ?? null },
  };
}
