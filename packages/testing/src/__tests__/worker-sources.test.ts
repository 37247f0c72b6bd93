// The sources a jest worker keeps for all its test files (code-cache-runtime):
// a file is read once while it stays as it was, and again once it changes.
import { mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

interface Sources {
  get(filename: string): string | undefined;
  set(filename: string, source: string): unknown;
  clear(): void;
}
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { WorkerSources } = require('../jest/code-cache-runtime.cjs') as { WorkerSources: new (own: Map<string, string>) => Sources };

/** What jest's FileCache does with its map: ask, and on a miss read the file and keep it. */
function readThrough(sources: Sources, filename: string, read: () => string): { source: string; read: boolean } {
  const kept = sources.get(filename);
  if (kept !== undefined) return { source: kept, read: false };
  const source = read();
  sources.set(filename, source);
  return { source, read: true };
}

let folder: string;
beforeAll(() => {
  folder = mkdtempSync(join(tmpdir(), 'worker-sources-'));
});
afterAll(() => rmSync(folder, { recursive: true, force: true }));

test('a later test file gets a file the worker read, unread, until the file changes', () => {
  const file = join(folder, 'module.js');
  writeFileSync(file, 'exports.a = 1;');
  const first = new WorkerSources(new Map());
  expect(readThrough(first, file, () => 'exports.a = 1;')).toEqual({ source: 'exports.a = 1;', read: true });
  first.clear();

  const second = new WorkerSources(new Map());
  expect(readThrough(second, file, () => 'read again')).toEqual({ source: 'exports.a = 1;', read: false });

  // The same size, a new time of change: read again.
  writeFileSync(file, 'exports.a = 2;');
  utimesSync(file, new Date(), new Date(Date.now() + 5_000));
  const third = new WorkerSources(new Map());
  expect(readThrough(third, file, () => 'exports.a = 2;')).toEqual({ source: 'exports.a = 2;', read: true });
  expect(readThrough(new WorkerSources(new Map()), file, () => 'read again')).toEqual({ source: 'exports.a = 2;', read: false });
});

test("the runner's own files (the test file) come first and are never kept for other test files", () => {
  const testFile = join(folder, 'a.test.js');
  writeFileSync(testFile, 'test source on disk');
  const own = new WorkerSources(new Map([[testFile, 'test source as the runner read it']]));
  expect(own.get(testFile)).toBe('test source as the runner read it');
  expect(new WorkerSources(new Map()).get(testFile)).toBeUndefined();
});

test('a file that does not exist is not kept', () => {
  const missing = join(folder, 'missing.js');
  const sources = new WorkerSources(new Map());
  expect(sources.get(missing)).toBeUndefined();
  sources.set(missing, 'made up');
  expect(new WorkerSources(new Map()).get(missing)).toBeUndefined();
});
