/** @backend-independent PGlite is what it tests */
// A new PGlite loads the cluster the first one kept instead of running initdb;
// a data folder with a cluster resumes it; a cached cluster that cannot be
// loaded costs an initdb, never a failed start, and is replaced.
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bootPglite, cachedClusterPath } from '../db/pglite-boot';

// Each test runs initdb once: about 6 s of CPU alone, several times that on a
// machine whose cores another test file saturates (the bench's does).
const INITDB_TIMEOUT_MS = 180_000;

let folder: string;
beforeEach(() => {
  folder = mkdtempSync(join(tmpdir(), 'pglite-boot-'));
});
afterEach(() => rmSync(folder, { recursive: true, force: true }));

test('the first new database runs initdb and keeps its cluster; later ones, in memory or on disk, load it; a data folder with a cluster resumes it', async () => {
  const cacheDir = join(folder, 'cache');
  const first = await bootPglite({ cacheDir });
  expect(first.origin).toBe('initdb');
  await first.pglite.exec('CREATE TABLE kept_out (id integer)');
  await first.pglite.close();
  expect(existsSync(cachedClusterPath(cacheDir))).toBe(true);

  const inMemory = await bootPglite({ cacheDir });
  expect(inMemory.origin).toBe('cache');
  // The cluster was kept as initdb left it, before anything was written to it.
  expect((await inMemory.pglite.query(`SELECT to_regclass('kept_out') AS found`)).rows).toEqual([{ found: null }]);
  await inMemory.pglite.close();

  const dataDir = join(folder, 'data');
  const onDisk = await bootPglite({ dataDir, cacheDir });
  expect(onDisk.origin).toBe('cache');
  await onDisk.pglite.exec('CREATE TABLE item (id integer); INSERT INTO item VALUES (7)');
  await onDisk.pglite.close();

  const resumed = await bootPglite({ dataDir, cacheDir });
  expect(resumed.origin).toBe('existing');
  expect((await resumed.pglite.query('SELECT id FROM item')).rows).toEqual([{ id: 7 }]);
  await resumed.pglite.close();
}, INITDB_TIMEOUT_MS);

test('a cached cluster that cannot be loaded is replaced by a new initdb, on disk too', async () => {
  const cacheDir = join(folder, 'cache');
  mkdirSync(cacheDir);
  writeFileSync(cachedClusterPath(cacheDir), 'not a tar archive of a cluster');

  const dataDir = join(folder, 'data');
  const booted = await bootPglite({ dataDir, cacheDir });
  expect(booted.origin).toBe('initdb');
  expect((await booted.pglite.query('SELECT 1 AS one')).rows).toEqual([{ one: 1 }]);
  await booted.pglite.close();
  expect(existsSync(join(dataDir, 'PG_VERSION'))).toBe(true);

  const again = await bootPglite({ cacheDir });
  expect(again.origin).toBe('cache');
  await again.pglite.close();
}, INITDB_TIMEOUT_MS);

test('with a cache folder it cannot read or write, a new database still starts', async () => {
  // A file where the folder should be: nothing can be read from or written under it.
  const blocked = join(folder, 'blocked');
  writeFileSync(blocked, '');
  const unwritable = await bootPglite({ cacheDir: blocked });
  expect(unwritable.origin).toBe('initdb');
  expect((await unwritable.pglite.query('SELECT 1 AS one')).rows).toEqual([{ one: 1 }]);
  await unwritable.pglite.close();
}, INITDB_TIMEOUT_MS);
