// Databases for tests: each test store in a schema of its own, on the
// PostgreSQL server DATABASE_URL names or in a PGlite leased from the jest
// worker's pool (packages/testing/src/worker-pglites), and removed again when the test is done.
import { randomBytes } from 'node:crypto';
import type { QueryOptions, Transaction } from '@electric-sql/pglite';
import type { Database, SharedPglite, StorageOptions } from '@interop/kit/db';
import { WORKER_PGLITES, type WorkerPglites } from './worker-pglites';

/**
 * Where a test store keeps its tables: a fresh schema on DATABASE_URL's
 * server, or in a PGlite leased from the worker's pool (packages/testing/src/worker-pglites),
 * or, outside jest's environment, a PGlite of its own. `drop` removes the
 * schema again and returns a leased PGlite.
 */
async function testDatabase(owner: string): Promise<{ storage: StorageOptions & { schema: string }; drop(db: Database): Promise<void>; abandon(): Promise<void> }> {
  const databaseUrl = process.env.DATABASE_URL || undefined;
  const pool = (globalThis as { [WORKER_PGLITES]?: WorkerPglites })[WORKER_PGLITES];
  if (!databaseUrl && !pool) return { storage: { schema: owner }, drop: (db) => db.close(), abandon: async () => undefined };
  const schema = `${owner}_test_${randomBytes(6).toString('hex')}`;
  const lease = databaseUrl ? undefined : await pool?.lease();
  const leased = lease && fromThisSandbox(lease.pglite);
  return {
    storage: { databaseUrl, schema, pglite: leased?.pglite },
    async drop(db) {
      let dropped = false;
      try {
        await db.exec(`DROP SCHEMA ${schema} CASCADE`);
        dropped = true;
      } finally {
        await db.close();
        // Whatever still holds this store (a timer that outlived its server)
        // must not reach the next store the PGlite serves, whose schema is
        // then on the search path: from here on it is refused.
        leased?.revoke();
        await lease?.release(dropped);
      }
    },
    // A store that failed to open may have left half a schema: its PGlite is not lent again.
    abandon: async () => {
      leased?.revoke();
      await lease?.release(false);
    },
  };
}

/** Opens a store in a test database (see testDatabase); if opening fails, the database is handed back. */
export async function openTestStore<T>(owner: string, open: (storage: StorageOptions & { schema: string }) => Promise<T>, dbOf: (opened: T) => Database): Promise<{ opened: T; schema: string; drop(): Promise<void> }> {
  const target = await testDatabase(owner);
  let opened: T;
  try {
    opened = await open(target.storage);
  } catch (error) {
    await target.abandon();
    throw error;
  }
  return { opened, schema: target.storage.schema, drop: () => target.drop(dbOf(opened)) };
}

/**
 * A leased PGlite lives outside the test file's sandbox (packages/testing/src/jest/environment),
 * where this sandbox's Dates are not Dates and its Errors are not ours: Dates
 * go in as the ISO text PGlite itself would send, and errors come back as
 * this sandbox's Errors with the same fields (a PostgreSQL error's `code`).
 * Once revoked, every statement is refused.
 */
function fromThisSandbox(pglite: SharedPglite): { pglite: SharedPglite; revoke(): void } {
  let revoked = false;
  const refuseIfRevoked = () => {
    if (revoked) throw new Error('This test database was dropped: its PGlite now serves another store.');
  };
  const params = (values: unknown[] | undefined) => values?.map((value) => (value instanceof Date ? value.toISOString() : value));
  const ours = (error: unknown): never => {
    if (error instanceof Error || typeof error !== 'object' || error === null) throw error;
    const { message, stack } = error as { message?: unknown; stack?: unknown };
    throw Object.assign(new Error(String(message)), error, { stack });
  };
  const queries = (on: Pick<SharedPglite, 'query' | 'exec'>): Pick<SharedPglite, 'query' | 'exec'> => ({
    query: async <T>(sql: string, values?: unknown[], options?: QueryOptions) => {
      refuseIfRevoked();
      return on.query<T>(sql, params(values), options).catch(ours);
    },
    exec: async (sql, options) => {
      refuseIfRevoked();
      return on.exec(sql, options).catch(ours);
    },
  });
  return {
    pglite: {
      ...queries(pglite),
      transaction: async (work) => {
        refuseIfRevoked();
        return pglite.transaction((tx) => work(Object.assign(Object.create(tx) as Transaction, queries(tx)))).catch(ours);
      },
      // Named statements (kit's pglite-statements) go through the protocol; their values arrive serialised as text.
      execProtocolStream: async (message, options) => {
        refuseIfRevoked();
        return pglite.execProtocolStream(message, options).catch(ours);
      },
      runExclusive: (work) => pglite.runExclusive(work),
      _runExclusiveTransaction: (work) => pglite._runExclusiveTransaction(work),
      parsers: pglite.parsers,
      serializers: pglite.serializers,
    },
    revoke: () => {
      revoked = true;
    },
  };
}
