// Booting a new PGlite runs initdb, about 5-7 s of CPU, and yields the same
// cluster every time for one version of PGlite. So the first new database
// keeps that cluster in the user's cache folder, and every later one loads
// it (about 2 s of CPU, 1.7 s with 16MB of shared buffers) instead. An
// existing data folder just resumes. The cache is only an optimisation: a
// cluster that cannot be read, loaded or written costs the initdb it would
// have saved, never a failed start.
//
// This module imports nothing of ours but shared-buffers.ts, which imports
// nothing at all, so the test suite's PGlite pool
// (packages/testing/src/worker-pglites.ts), which lives outside jest's module sandboxes, boots
// its databases through it too.
import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, openAsBlob, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { PGlite, type Extension, type PGliteOptions } from '@electric-sql/pglite';
import { SHARED_BUFFERS_PATTERN } from './shared-buffers';

/** Where the cluster came from: the data folder's own, the cache, or initdb. */
export type PgliteOrigin = 'cache' | 'initdb' | 'existing';

export interface PgliteBootOptions {
  /** Folder of the cluster's files; in memory without it. */
  dataDir?: string | undefined;
  extensions?: Record<string, Extension>;
  /** Folder of the cached cluster; the user's cache folder (`defaultCacheDir`) unless given. */
  cacheDir?: string;
  /**
   * Makes a new cluster when none can be loaded: PGlite.create, which runs
   * initdb, unless given. The cache's own tests give one that loads a cluster
   * they already hold, so each fallback costs a load, not an initdb.
   */
  initdb?: (options: PGliteOptions) => Promise<PGlite>;
  /**
   * PostgreSQL's `shared_buffers` for this database (`16MB`, `128MB`): the
   * page cache PostgreSQL keeps inside PGlite's memory, all of it zeroed when
   * it starts. PostgreSQL's own default (128MB) unless given.
   */
  sharedBuffers?: string | undefined;
}

export interface BootedPglite {
  pglite: PGlite;
  origin: PgliteOrigin;
}

/** `$XDG_CACHE_HOME/interop-graph`, or `~/.cache/interop-graph`. */
export function defaultCacheDir(): string {
  return join(process.env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'interop-graph');
}

let installedVersion: string | undefined;

/** The installed PGlite's version, read once: clusters of another version may not load in this one. */
function pgliteVersion(): string {
  if (installedVersion) return installedVersion;
  let dir = dirname(require.resolve('@electric-sql/pglite'));
  for (;;) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest)) {
      const { name, version } = JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string; version?: string };
      if (name === '@electric-sql/pglite' && version) return (installedVersion = version);
    }
    const parent = dirname(dir);
    if (parent === dir) throw new Error('PGlite has no package.json above its entry point');
    dir = parent;
  }
}

/** The file in `cacheDir` that keeps this PGlite version's cluster. */
export function cachedClusterPath(cacheDir: string): string {
  return join(cacheDir, `pglite-${pgliteVersion()}-cluster.tar`);
}

/** No cache where PGlite's version cannot be read (an unusual install): initdb, as without the cache. */
function cachePathOrNone(cacheDir: string): string | undefined {
  try {
    return cachedClusterPath(cacheDir);
  } catch {
    return undefined;
  }
}

// A Blob backed by the file: one read when PGlite unpacks it. A Blob made from
// the file's bytes in memory copies them in and reads them back out in small
// chunks, about 0.25 s more CPU for a 40 MB cluster.
async function readCachedCluster(path: string): Promise<Blob | undefined> {
  try {
    return await openAsBlob(path);
  } catch {
    return undefined;
  }
}

/** Written under a name of its own and renamed, so a reader finds a whole cluster or none, however many write at once. */
async function keepCluster(pglite: PGlite, path: string): Promise<void> {
  try {
    const tar = Buffer.from(await (await pglite.dumpDataDir('none')).arrayBuffer());
    mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
    const partial = `${path}.${randomUUID()}.partial`;
    writeFileSync(partial, tar, { mode: 0o600 });
    renameSync(partial, path);
  } catch {
    // A read-only or full disk: the next new database runs initdb again.
  }
}

/** A running PGlite: resumed from `dataDir` when it holds a cluster, otherwise a new one from the cache or initdb. */
export async function bootPglite(options: PgliteBootOptions = {}): Promise<BootedPglite> {
  const { dataDir, initdb = (create: PGliteOptions) => PGlite.create(create) } = options;
  const started: PGliteOptions = { extensions: options.extensions ?? {}, ...startParams(options.sharedBuffers) };
  if (dataDir && existsSync(join(dataDir, 'PG_VERSION'))) return { pglite: await PGlite.create({ dataDir, ...started }), origin: 'existing' };
  const path = cachePathOrNone(options.cacheDir ?? defaultCacheDir());
  const cached = path ? await readCachedCluster(path) : undefined;
  if (path && cached) {
    try {
      return { pglite: await PGlite.create({ ...(dataDir ? { dataDir } : {}), ...started, loadDataDir: cached }), origin: 'cache' };
    } catch {
      // A cluster this PGlite cannot load: forgotten, and the half-loaded folder emptied for initdb.
      rmSync(path, { force: true });
      if (dataDir) for (const entry of readdirSync(dataDir)) rmSync(join(dataDir, entry), { recursive: true, force: true });
    }
  }
  // Kept before anything is written to it, so every later database starts as initdb left this one.
  const pglite = await initdb({ ...(dataDir ? { dataDir } : {}), ...started });
  if (path) await keepCluster(pglite, path);
  return { pglite, origin: 'initdb' };
}

/** PGlite's own start parameters, with `shared_buffers` when one is given (checked, since it goes to PostgreSQL's command line). */
function startParams(sharedBuffers: string | undefined): Pick<PGliteOptions, 'startParams'> {
  if (sharedBuffers === undefined) return {};
  if (!SHARED_BUFFERS_PATTERN.test(sharedBuffers)) throw new Error(`Invalid shared_buffers: ${sharedBuffers}`);
  return { startParams: [...PGlite.defaultStartParams, '-c', `shared_buffers=${sharedBuffers}`] };
}
