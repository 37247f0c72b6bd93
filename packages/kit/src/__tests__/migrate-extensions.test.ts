/** @backend-contract migrations on each engine */
// Migrations that use a PostgreSQL extension: PGlite loads it when the
// database is opened with the migrations' extensions, the migration creates it
// in `public`, and owners migrating one server at once (several services, or
// several test schemas) each get it without colliding.
import { randomBytes } from 'node:crypto';
import { openDatabase, type Database } from '../db/database';
import { extensionsOf, migrate, type Migration } from '../db/migrate';

const trigramIndex: Migration = {
  id: '001_words',
  extensions: ['pg_trgm'],
  sql: `CREATE TABLE word (id integer PRIMARY KEY, text text NOT NULL);
        CREATE INDEX word_trigrams ON word USING gin (text public.gin_trgm_ops);
        INSERT INTO word VALUES (1, 'Jade Tea Shop'), (2, 'Golden Inn');`,
};

/** The plan for a contains search, with the planner barred from reading the table or walking an ordered index. */
async function containsPlan(db: Database, text: string): Promise<string> {
  const rows = await db.transaction(async (tx) => {
    await tx.exec('SET LOCAL enable_seqscan = off; SET LOCAL enable_indexscan = off');
    return tx.query<{ 'QUERY PLAN': string }>('EXPLAIN SELECT id FROM word WHERE text ILIKE $1', [`%${text}%`]);
  });
  return rows.map((row) => row['QUERY PLAN']).join('\n');
}

test('the extensions of a list of migrations, each once', () => {
  expect(extensionsOf([trigramIndex, { id: '002_plain', sql: 'SELECT 1' }, { ...trigramIndex, id: '003_again' }])).toEqual(['pg_trgm']);
});

test('on PGlite, a migration creates the extension it names and its index serves ILIKE', async () => {
  const db = await openDatabase({ schema: 'words', extensions: extensionsOf([trigramIndex]) });
  try {
    await migrate(db, 'words', [trigramIndex]);
    expect(await db.query('SELECT id FROM word WHERE text ILIKE $1', ['%TEA sh%'])).toEqual([{ id: 1 }]);
    expect(await containsPlan(db, 'tea sh')).toMatch(/Bitmap Index Scan on word_trigrams/);
    expect(await db.query("SELECT extnamespace::regnamespace::text AS schema FROM pg_extension WHERE extname = 'pg_trgm'")).toEqual([{ schema: 'public' }]);
  } finally {
    await db.close();
  }
});

const databaseUrl = process.env.DATABASE_URL;
if (databaseUrl) {
  test('on PostgreSQL, owners migrating at once each find the one extension', async () => {
    const schemas = Array.from({ length: 4 }, () => `words_test_${randomBytes(6).toString('hex')}`);
    const dbs = await Promise.all(schemas.map((schema) => openDatabase({ schema, url: databaseUrl, poolSize: 2 })));
    try {
      await Promise.all(dbs.map((db, index) => migrate(db, schemas[index]!, [trigramIndex])));
      for (const db of dbs) expect(await containsPlan(db, 'tea sh')).toMatch(/Bitmap Index Scan on word_trigrams/);
    } finally {
      await Promise.all(dbs.map(async (db, index) => {
        await db.exec(`DROP SCHEMA ${schemas[index]} CASCADE`);
        await db.close();
      }));
    }
  });
}
