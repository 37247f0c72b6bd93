// Applies an owner's migrations in order, once each, recording them in its schema.
// Several processes may start together against one server: an advisory lock
// held for the transaction makes them take turns.
import type { Database } from './database';

export interface Migration {
  /** Stable, ordered name, e.g. `001_merchants`; never edited once released. */
  id: string;
  sql: string;
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
      await tx.exec(migration.sql);
      await tx.query(`INSERT INTO ${schema}.schema_migrations (id) VALUES ($1)`, [migration.id]);
    }
  });
}
