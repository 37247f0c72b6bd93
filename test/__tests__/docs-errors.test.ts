// docs/errors.md's table of codes is written from error-codes.yaml: the
// committed page is current, and the table follows the codes when they change.
import { ERROR_CODES } from '@interop/sdk';
import { readErrorCodes, type ErrorCodes } from '../../scripts/error-codes';
import { errorCodeTable, TABLE_END, TABLE_START, withErrorTable } from '../../scripts/error-table';
import { finished, runTs } from '@interop/testing/processes';

const codes = readErrorCodes();

/** `codes` with one code's description replaced. */
function describing(code: string, description: string): ErrorCodes {
  return { ...codes, codes: codes.codes.map((entry) => (entry.code === code ? { ...entry, description } : entry)) };
}

test('the committed docs/errors.md, and every other file made from error-codes.yaml, is what npm run docs writes', async () => {
  const result = await finished(runTs('scripts/docs.ts', ['--check']));
  expect(result.code).toBe(0);
});

test('the table has one row per code, in the source\'s order, each marked retried or not', () => {
  const rows = errorCodeTable(codes).split('\n').slice(2);
  expect(rows.map((row) => /^\| `([A-Z_]+)` \|/.exec(row)?.[1])).toEqual([...ERROR_CODES]);
  const retried = rows.filter((row) => row.endsWith('| yes |')).map((row) => /`([A-Z_]+)`/.exec(row)?.[1]);
  expect(retried.sort()).toEqual(['DEPENDENCY_UNAVAILABLE', 'GATEWAY_TIMEOUT', 'RATE_LIMITED', 'SUBGRAPH_UNAVAILABLE']);
});

test('a changed description changes the table; the prose around it stays', () => {
  const changed = describing('GRAPHQL_PARSE_FAILED', 'The operation is not valid GraphQL syntax (changed).');
  const page = `# Errors\n\nBefore.\n\n${TABLE_START}\n| stale |\n${TABLE_END}\n\nAfter.\n`;
  const written = withErrorTable(page, errorCodeTable(changed));
  expect(written).toContain('The operation is not valid GraphQL syntax (changed).');
  expect(written).not.toContain('| stale |');
  expect(written.startsWith('# Errors\n\nBefore.\n\n')).toBe(true);
  expect(written.endsWith(`${TABLE_END}\n\nAfter.\n`)).toBe(true);
  expect(withErrorTable(written, errorCodeTable(changed))).toBe(written);
});

test('a page without the markers, or a code without a description, is an error, not a silent skip', () => {
  expect(() => withErrorTable('# Errors\n', errorCodeTable(codes))).toThrow();
  expect(() => errorCodeTable(describing('GRAPHQL_PARSE_FAILED', ' '))).toThrow();
});
