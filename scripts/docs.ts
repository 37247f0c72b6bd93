// `npm run docs` writes every file made from error-codes.yaml: the table of
// docs/errors.md, the schema's `enum ErrorCode` (subgraphs/error-codes.graphql),
// the SDK's list, and kit's and the gateway's constants. `--check` fails when
// one of them is stale.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { errorCodeSchema, gatewayModule, kitModule, readErrorCodes, ROOT, sdkModule, SOURCE } from './error-codes';
import { errorCodeTable, withErrorTable } from './error-table';

const { values } = parseArgs({ options: { check: { type: 'boolean', default: false } } });

const SCHEMA_FILE = 'subgraphs/error-codes.graphql';

const codes = readErrorCodes();
/** Each file, and what it should hold given what it holds now (docs/errors.md keeps its prose). */
const outputs: [path: string, wanted: (current: string) => string][] = [
  ['docs/errors.md', (current) => withErrorTable(current, errorCodeTable(codes))],
  [SCHEMA_FILE, () => errorCodeSchema(codes)],
  ['packages/sdk/src/__generated__/error-codes.ts', () => sdkModule(codes)],
  ['packages/kit/src/__generated__/error-codes.ts', () => kitModule(codes)],
  ['gateway/src/__generated__/error-codes.ts', () => gatewayModule(codes)],
];

const stale: string[] = [];
for (const [path, wanted] of outputs) {
  const file = join(ROOT, path);
  let current = '';
  try {
    current = readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT' || path === 'docs/errors.md') throw error;
  }
  const next = wanted(current);
  if (next === current) continue;
  stale.push(path);
  if (!values.check) writeFileSync(file, next);
}

if (stale.length === 0) {
  process.stdout.write(`Every file made from ${SOURCE} is up to date.\n`);
} else if (values.check) {
  process.stderr.write(`Stale, against ${SOURCE}: ${stale.join(', ')}. Run npm run docs and commit the result.\n`);
  process.exit(1);
} else {
  process.stdout.write(`Wrote ${stale.join(', ')}.\n`);
  // The supergraph is composed from the schema file, so it follows only when composed again.
  if (stale.includes(SCHEMA_FILE)) process.stdout.write('The schema\'s ErrorCode changed: run npm run compose too.\n');
}
