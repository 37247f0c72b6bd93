// CI's second pass, on PostgreSQL and Redis, runs what this filter keeps: only
// the files that say `@backend-contract` in their leading docblock.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT } from '@interop/testing/processes';

type Filter = (testPaths: string[]) => Promise<{ filtered: string[] }>;
// eslint-disable-next-line @typescript-eslint/no-require-imports -- jest loads the filter the same way
const keepBackendContracts = require(join(ROOT, 'packages/testing/src/jest/backend-contracts.cjs')) as Filter;

test('only files marked @backend-contract in their leading docblock run in the second pass', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'backend-filter-'));
  try {
    const files = {
      marked: '/** @backend-contract the store on each engine */\n// what it tests\ntest.todo("x");\n',
      markedInLongerDocblock: '/**\n * What it proves.\n *\n * @backend-contract\n */\ntest.todo("x");\n',
      unmarked: '// Runs the whole graph.\ntest.todo("x");\n',
      // A mark later in the file is not the file's docblock: a mention in a comment must not add a file.
      mentionedLater: 'import x from "y";\n/** @backend-contract */\ntest.todo("x");\n',
      otherPragma: '/** @jest-environment node */\ntest.todo("x");\n',
    };
    const paths = Object.fromEntries(Object.entries(files).map(([name, text]) => {
      const path = join(dir, `${name}.test.ts`);
      writeFileSync(path, text);
      return [name, path];
    }));
    const { filtered } = await keepBackendContracts(Object.values(paths));
    expect(filtered).toEqual([paths.marked, paths.markedInLongerDocblock]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('the stores, the buses and the crash tests are in the second pass', async () => {
  const contracts = [
    'subgraphs/payments/src/store/__tests__/ledger.test.ts',
    'packages/kit/src/__tests__/migrate.test.ts',
    'packages/kit/src/__tests__/event-bus.test.ts',
    'gateway/src/__tests__/rate-limit.test.ts',
    'test/__tests__/payment-processes.test.ts',
  ].map((path) => join(ROOT, path));
  const { filtered } = await keepBackendContracts(contracts);
  expect(filtered).toEqual(contracts);
});
