// Booting a new PGlite runs initdb, about 5-7 s of CPU, and yields the same
// cluster every time for one version of PGlite. So the first new database
// keeps that cluster in the user's cache folder, and every later one loads
// it (about 1.3 s) instead. An existing data folder just resumes. The cache
// is only an optimisation: a cluster that cannot be read, loaded or written
// costs the initdb it would have saved, never a failed start.
//
// This module imports nothing of ours, so the test suite's PGlite pool
// (packages/testing/src/worker-pglites.ts), which lives outside jest's module sandboxes, boots
// its databases through it too.
import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { PGlite, type Extension, type PGliteOptions } from '@electric-sql/pglite';

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

function readCachedCluster(path: string): Blob | undefined {
  try {
    return new Blob([readFileSync(path)]);
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
  const { dataDir, extensions = {}, initdb = (create: PGliteOptions) => PGlite.create(create) } = options;
  if (dataDir && existsSync(join(dataDir, 'PG_VERSION'))) return { pglite: await PGlite.create({ dataDir, extensions }), origin: 'existing' };
  const path = cachePathOrNone(options.cacheDir ?? defaultCacheDir());
  const cached = path ? readCachedCluster(path) : undefined;
  if (path && cached) {
    try {
      return { pglite: await PGlite.create({ ...(dataDir ? { dataDir } : {}), extensions, loadDataDir: cached }), origin: 'cache' };
    } catch {
      // A cluster this PGlite cannot load: forgotten, and the half-loaded folder emptied for initdb.
      rmSync(path, { force: true });
      if (dataDir) for (const entry of readdirSync(dataDir)) rmSync(join(dataDir, entry), { recursive: true, force: true });
    }
  }
  // Kept before anything is written to it, so every later database starts as initdb left this one.
  const pglite = await initdb({ ...(dataDir ? { dataDir } : {}), extensions });
  if (path) await keepCluster(pglite, path);
  return { pglite, origin: 'initdb' };
}
