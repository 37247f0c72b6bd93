// `npm run docs` writes the generated parts of docs/ (the errors table, from
// the schema); `--check` fails when the committed docs are stale.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { errorCodeTable, withErrorTable } from './error-table';

const ROOT = join(__dirname, '..');
const { values } = parseArgs({ options: { check: { type: 'boolean', default: false } } });

const path = join(ROOT, 'docs', 'errors.md');
const current = readFileSync(path, 'utf8');
const wanted = withErrorTable(current, errorCodeTable(readFileSync(join(ROOT, 'supergraph.graphql'), 'utf8')));

if (current === wanted) {
  process.stdout.write('docs/errors.md is up to date.\n');
} else if (values.check) {
  process.stderr.write('docs/errors.md is stale: run npm run docs and commit the result.\n');
  process.exit(1);
} else {
  writeFileSync(path, wanted);
  process.stdout.write('Wrote docs/errors.md.\n');
}
