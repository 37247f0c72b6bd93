// A new PGlite loads the cluster the first one kept instead of running initdb;
// a data folder with a cluster resumes it; a cached cluster that cannot be
// loaded costs an initdb, never a failed start, and is replaced.
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PGlite, type PGliteOptions } from '@electric-sql/pglite';
import { bootPglite, cachedClusterPath, type BootedPglite } from '../db/pglite-boot';

// initdb costs about 6 s of CPU, several times that beside other test files.
// The one these tests call is a stand-in that loads a cluster as initdb made
// it (counting its calls): the one this worker's pools boot from, or made by
// initdb on a machine whose cache is empty. bootPglite's own initdb is
// PGlite.create, which every new database runs on such a machine.
const INITDB_TIMEOUT_MS = 180_000;

let folder: string;
let firstCache: string;
let asInitdbMadeIt: Buffer;
let first: BootedPglite;
beforeAll(async () => {
  folder = mkdtempSync(join(tmpdir(), 'pglite-boot-'));
  firstCache = join(folder, 'first-cache');
  const fresh = await bootPglite({ sharedBuffers: '16MB' });
  asInitdbMadeIt = Buffer.from(await (await fresh.pglite.dumpDataDir('none')).arrayBuffer());
  await fresh.pglite.close();
  first = await bootPglite({ cacheDir: firstCache, initdb: standInInitdb().initdb });
}, INITDB_TIMEOUT_MS);
afterAll(async () => {
  await first?.pglite.close().catch(() => undefined);
  rmSync(folder, { recursive: true, force: true });
});

/** Stands in for initdb: a new cluster as initdb made it; counts its calls. */
function standInInitdb(): { initdb: (options: PGliteOptions) => Promise<PGlite>; calls: () => number } {
  let calls = 0;
  return {
    initdb: (options) => {
      calls++;
      return PGlite.create({ ...options, loadDataDir: new Blob([asInitdbMadeIt]) });
    },
    calls: () => calls,
  };
}

test('the first new database runs initdb and keeps its cluster; later ones, in memory or on disk, load it; a data folder with a cluster resumes it', async () => {
  expect(first.origin).toBe('initdb');
  await first.pglite.exec('CREATE TABLE kept_out (id integer)');
  await first.pglite.close();
  expect(existsSync(cachedClusterPath(firstCache))).toBe(true);

  const inMemory = await bootPglite({ cacheDir: firstCache });
  expect(inMemory.origin).toBe('cache');
  // The cluster was kept as initdb left it, before anything was written to it.
  expect((await inMemory.pglite.query(`SELECT to_regclass('kept_out') AS found`)).rows).toEqual([{ found: null }]);
  await inMemory.pglite.close();

  const dataDir = join(folder, 'data-first');
  const onDisk = await bootPglite({ dataDir, cacheDir: firstCache });
  expect(onDisk.origin).toBe('cache');
  await onDisk.pglite.exec('CREATE TABLE item (id integer); INSERT INTO item VALUES (7)');
  await onDisk.pglite.close();

  const resumed = await bootPglite({ dataDir, cacheDir: firstCache });
  expect(resumed.origin).toBe('existing');
  expect((await resumed.pglite.query('SELECT id FROM item')).rows).toEqual([{ id: 7 }]);
  await resumed.pglite.close();
}, INITDB_TIMEOUT_MS);

test('a cached cluster that cannot be loaded is replaced by a new initdb, on disk too', async () => {
  const cacheDir = join(folder, 'corrupt-cache');
  mkdirSync(cacheDir);
  writeFileSync(cachedClusterPath(cacheDir), 'not a tar archive of a cluster');

  const dataDir = join(folder, 'data-corrupt');
  const { initdb, calls } = standInInitdb();
  const booted = await bootPglite({ dataDir, cacheDir, initdb });
  expect(booted.origin).toBe('initdb');
  expect(calls()).toBe(1);
  expect((await booted.pglite.query('SELECT 1 AS one')).rows).toEqual([{ one: 1 }]);
  await booted.pglite.close();
  expect(existsSync(join(dataDir, 'PG_VERSION'))).toBe(true);

  const again = await bootPglite({ cacheDir, initdb });
  expect(again.origin).toBe('cache');
  expect(calls()).toBe(1);
  await again.pglite.close();
}, INITDB_TIMEOUT_MS);

test('with a cache folder it cannot read or write, a new database still starts', async () => {
  // A file where the folder should be: nothing can be read from or written under it.
  const blocked = join(folder, 'blocked');
  writeFileSync(blocked, '');
  const { initdb, calls } = standInInitdb();
  const unwritable = await bootPglite({ cacheDir: blocked, initdb });
  expect(unwritable.origin).toBe('initdb');
  expect(calls()).toBe(1);
  expect((await unwritable.pglite.query('SELECT 1 AS one')).rows).toEqual([{ one: 1 }]);
  await unwritable.pglite.close();
}, INITDB_TIMEOUT_MS);

test('a database starts with the shared buffers it is given, PostgreSQL\'s default without, and refuses a setting that is not a size', async () => {
  const small = await bootPglite({ cacheDir: firstCache, sharedBuffers: '16MB' });
  expect(small.origin).toBe('cache');
  expect((await small.pglite.query('SHOW shared_buffers')).rows).toEqual([{ shared_buffers: '16MB' }]);
  await small.pglite.close();
  const standard = await bootPglite({ cacheDir: firstCache });
  expect((await standard.pglite.query('SHOW shared_buffers')).rows).toEqual([{ shared_buffers: '128MB' }]);
  await standard.pglite.close();
  await expect(bootPglite({ cacheDir: firstCache, sharedBuffers: '16MB -c fsync=off' })).rejects.toThrow();
}, INITDB_TIMEOUT_MS);
