// CI's second pass, on PostgreSQL and Redis, runs what this filter keeps: a
// file leaves it only by saying `@backend-independent` in its leading docblock.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT } from '@interop/testing/processes';

type Filter = (testPaths: string[]) => Promise<{ filtered: string[] }>;
// eslint-disable-next-line @typescript-eslint/no-require-imports -- jest loads the filter the same way
const keepBackendDependent = require(join(ROOT, 'packages/testing/src/jest/backend-dependent.cjs')) as Filter;

test('only files marked @backend-independent in their leading docblock leave the second pass', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'backend-filter-'));
  try {
    const files = {
      marked: '/** @backend-independent it opens no store */\n// what it tests\ntest.todo("x");\n',
      unmarked: '// Opens a store through the harness.\ntest.todo("x");\n',
      // A mark later in the file is not the file's docblock: a mention in a comment must not drop a file.
      mentionedLater: 'import x from "y";\n/** @backend-independent */\ntest.todo("x");\n',
      otherPragma: '/** @jest-environment node */\ntest.todo("x");\n',
    };
    const paths = Object.fromEntries(Object.entries(files).map(([name, text]) => {
      const path = join(dir, `${name}.test.ts`);
      writeFileSync(path, text);
      return [name, path];
    }));
    const { filtered } = await keepBackendDependent(Object.values(paths));
    expect(filtered).toEqual([paths.unmarked, paths.mentionedLater, paths.otherPragma]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
