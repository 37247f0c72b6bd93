// Applies an owner's migrations in order, once each, recording them in its schema.
// Several processes may start together against one server: an advisory lock
// held for the transaction makes them take turns.
import type { Database, PostgresExtension, Queryable } from './database';

export interface Migration {
  /** Stable, ordered name, e.g. `001_merchants`; never edited once released. */
  id: string;
  sql: string;
  /**
   * Extensions the SQL uses, created in schema `public` (once per database, so
   * every owner's schema finds them there) before it runs. The SQL names their
   * objects with `public.`, since PGlite's search path is the owner's schema alone.
   */
  extensions?: readonly PostgresExtension[];
}

/** Every extension the migrations use: the database must be opened with them (`DatabaseOptions.extensions`). */
export function extensionsOf(migrations: readonly Migration[]): PostgresExtension[] {
  return [...new Set(migrations.flatMap((migration) => migration.extensions ?? []))];
}

export async function migrate(db: Database, schema: string, migrations: readonly Migration[]): Promise<void> {
  await db.transaction(async (tx) => {
    await tx.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`${schema}.schema_migrations`]);
    await tx.exec(
      `CREATE TABLE IF NOT EXISTS ${schema}.schema_migrations (id text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())`,
    );
    const applied = new Set(
      (await tx.query<{ id: string }>(`SELECT id FROM ${schema}.schema_migrations`)).map((row) => row.id),
    );
    for (const migration of migrations) {
      if (applied.has(migration.id)) continue;
      for (const extension of migration.extensions ?? []) await createExtension(tx, extension);
      await tx.exec(migration.sql);
      await tx.query(`INSERT INTO ${schema}.schema_migrations (id) VALUES ($1)`, [migration.id]);
    }
  });
}

/**
 * An extension belongs to the whole database, not to one schema: owners that
 * migrate at the same time (one server, several subgraphs or test schemas)
 * take turns creating it, so the second finds it made instead of colliding.
 */
async function createExtension(tx: Queryable, extension: PostgresExtension): Promise<void> {
  await tx.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`create extension ${extension}`]);
  await tx.exec(`CREATE EXTENSION IF NOT EXISTS ${extension} WITH SCHEMA public`);
}
