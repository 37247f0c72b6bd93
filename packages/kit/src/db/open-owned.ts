// Opens the database an owner (a subgraph) keeps its data in and brings its
// schema up to date, closing it again if that fails.
import { openDatabase, type Database } from './database';
import { extensionsOf, migrate, type Migration } from './migrate';

export interface OwnedDatabaseOptions {
  /** PostgreSQL schema and PGlite sub-folder, e.g. `payments`. */
  schema: string;
  migrations: readonly Migration[];
  databaseUrl?: string | undefined;
  dataDir?: string | undefined;
}

export async function openOwnedDatabase(options: OwnedDatabaseOptions): Promise<Database> {
  const db = await openDatabase({
    schema: options.schema,
    url: options.databaseUrl,
    dataDir: options.dataDir,
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
