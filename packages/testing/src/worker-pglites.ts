// The PGlite databases one jest worker keeps for all its test files. Booting
// a PGlite costs over a second of CPU even from the cached cluster (kit's
// pglite-boot, about 5 s more when it runs initdb), while
// migrating and seeding a fresh schema in one already running costs tens of
// milliseconds. So a test store leases a running PGlite, keeps its tables in
// a schema of its own, and drops that schema when it is done, which returns
// the PGlite for the next store, in this file or a later one.
//
// A store chooses its schema by the connection's search_path, so a PGlite
// serves one store at a time: a store that finds none free gets a new one,
// which then stays in the worker's pool. This module lives outside the test
// files' sandboxes (packages/testing/src/jest/environment.ts hands it to each), which is why it
// imports nothing of ours at run time but kit's pglite-boot and
// pglite-settings, which import nothing of ours either (but the pattern of a
// shared_buffers setting, which imports nothing at all).
import type { Extension, PGlite } from '@electric-sql/pglite';
import type { PostgresExtension } from '@interop/kit/db';
import { bootPglite } from '../../../packages/kit/src/db/pglite-boot';
import { TEST_PGLITE_SHARED_BUFFERS } from './pglite-settings';

export const WORKER_PGLITES = Symbol.for('interop.test.workerPglites');

export interface PgliteLease {
  readonly pglite: PGlite;
  /** Hands the PGlite back for the next store; `healthy: false` closes it instead (a store that could not clean up). */
  release(healthy: boolean): Promise<void>;
}

export interface WorkerPglites {
  lease(): Promise<PgliteLease>;
}

// Every extension a migration of ours may create (kit's PostgresExtension), so any store can use any PGlite.
const EXTENSIONS: Readonly<Record<PostgresExtension, () => Promise<Extension>>> = {
  pg_trgm: async () => (await import('@electric-sql/pglite/contrib/pg_trgm')).pg_trgm,
};

async function boot(): Promise<PGlite> {
  const extensions: Record<string, Extension> = Object.fromEntries(
    await Promise.all(Object.entries(EXTENSIONS).map(async ([name, load]) => [name, await load()] as const)),
  );
  return (await bootPglite({ extensions, sharedBuffers: TEST_PGLITE_SHARED_BUFFERS })).pglite;
}

const idle: PGlite[] = [];

export const workerPglites: WorkerPglites = {
  async lease() {
    const pglite = idle.pop() ?? (await boot());
    let released = false;
    return {
      pglite,
      async release(healthy) {
        if (released) return;
        released = true;
        if (healthy) idle.push(pglite);
        else await pglite.close().catch(() => undefined);
      },
    };
  },
};

/**
 * Closes the PGlites no store holds. PostgreSQL inside each keeps timers of
 * its own while it is open, so a process that kept them would not end by
 * itself: jest run in band (a single test file) would wait for them forever.
 */
export async function closeIdlePglites(): Promise<void> {
  await Promise.all(idle.splice(0).map((pglite) => pglite.close().catch(() => undefined)));
}
