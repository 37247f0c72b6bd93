// Opens the database an owner (a subgraph) keeps its data in and brings its
// schema up to date, closing it again if that fails.
import { openDatabase, type Database, type SharedPglite } from './database';
import { extensionsOf, migrate, type Migration } from './migrate';

/** Where an owner keeps its data, as its opener takes it: a server, a PGlite folder, or memory. */
export interface StorageOptions {
  databaseUrl?: string | undefined;
  /** Folder for PGlite; without it (and without a URL) the data lives in memory. */
  dataDir?: string | undefined;
  /** PGlite's `shared_buffers` (see bootPglite). */
  pgliteSharedBuffers?: string | undefined;
  /** PostgreSQL schema; tests use their own so runs never collide. */
  schema?: string;
  /** An open PGlite to keep the schema in (see `DatabaseOptions.pglite`). */
  pglite?: SharedPglite | undefined;
}

export interface OwnedDatabaseOptions extends StorageOptions {
  /** PostgreSQL schema and PGlite sub-folder, e.g. `payments`. */
  schema: string;
  migrations: readonly Migration[];
}

export async function openOwnedDatabase(options: OwnedDatabaseOptions): Promise<Database> {
  const db = await openDatabase({
    schema: options.schema,
    url: options.databaseUrl,
    dataDir: options.dataDir,
    pgliteSharedBuffers: options.pgliteSharedBuffers,
    pglite: options.pglite,
    extensions: extensionsOf(options.migrations),
  });
  try {
    await migrate(db, options.schema, options.migrations);
  } catch (error) {
    await db.close();
    throw error;
  }
  return db;
}
