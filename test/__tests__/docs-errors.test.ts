// docs/errors.md's table of codes is written from the schema: the committed
// page is current, and the table follows the schema when the schema changes.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ERROR_CODES } from '@interop/sdk';
import { errorCodeTable, TABLE_END, TABLE_START, withErrorTable } from '../../scripts/error-table';
import { ROOT } from '../harness';
import { finished, runTs } from '../processes';

const supergraph = readFileSync(join(ROOT, 'supergraph.graphql'), 'utf8');

test('the committed docs/errors.md is what npm run docs writes', async () => {
  const result = await finished(runTs('scripts/docs.ts', ['--check']));
  expect(result.code).toBe(0);
});

test('the table has one row per code of the schema, in its order, each marked retried or not', () => {
  const rows = errorCodeTable(supergraph).split('\n').slice(2);
  expect(rows.map((row) => /^\| `([A-Z_]+)` \|/.exec(row)?.[1])).toEqual([...ERROR_CODES]);
  const retried = rows.filter((row) => row.endsWith('| yes |')).map((row) => /`([A-Z_]+)`/.exec(row)?.[1]);
  expect(retried.sort()).toEqual(['DEPENDENCY_UNAVAILABLE', 'GATEWAY_TIMEOUT', 'RATE_LIMITED', 'SUBGRAPH_UNAVAILABLE']);
});

test('a changed description changes the table; the prose around it stays', () => {
  const changed = supergraph.replace(/("""\s*The operation is not valid GraphQL syntax)/, '$1 (changed)');
  expect(changed).not.toBe(supergraph);
  const page = `# Errors\n\nBefore.\n\n${TABLE_START}\n| stale |\n${TABLE_END}\n\nAfter.\n`;
  const written = withErrorTable(page, errorCodeTable(changed));
  expect(written).toContain('The operation is not valid GraphQL syntax (changed)');
  expect(written).not.toContain('| stale |');
  expect(written.startsWith('# Errors\n\nBefore.\n\n')).toBe(true);
  expect(written.endsWith(`${TABLE_END}\n\nAfter.\n`)).toBe(true);
  expect(withErrorTable(written, errorCodeTable(changed))).toBe(written);
});

test('a page without the markers, or a code without a description, is an error, not a silent skip', () => {
  expect(() => withErrorTable('# Errors\n', errorCodeTable(supergraph))).toThrow();
  const undescribed = supergraph.replace(/"""\s*The operation is not valid GraphQL syntax[^"]*"""\s*/, '');
  expect(() => errorCodeTable(undescribed)).toThrow();
});
