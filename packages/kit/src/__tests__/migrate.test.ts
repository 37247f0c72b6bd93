/** @backend-contract migrations on each engine */
// Migrations on PGlite in memory: each applied once, in order, recorded by id,
// and a failing batch leaves nothing behind. On a PostgreSQL server
// (DATABASE_URL, as in CI), replicas of a service starting together each open
// and migrate its schema at the same moment, and all of them start.
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { openDatabase, type Database } from '../db/database';
import { migrate, type Migration } from '../db/migrate';
import { openOwnedDatabase } from '../db/open-owned';

const SCHEMA = 't';

const first: Migration = {
  id: '001_items',
  sql: `CREATE TABLE item (id integer PRIMARY KEY, name text NOT NULL);
        INSERT INTO item (id, name) VALUES (1, 'first');`,
};
const second: Migration = {
  id: '002_item_colour',
  sql: `ALTER TABLE item ADD COLUMN colour text NOT NULL DEFAULT 'red';
        INSERT INTO item (id, name) VALUES (2, 'second');`,
};

let db: Database;

beforeAll(async () => {
  db = await openDatabase({ schema: SCHEMA });
});

afterAll(async () => {
  await db?.close();
});

const appliedIds = async () =>
  (await db.query<{ id: string }>(`SELECT id FROM ${SCHEMA}.schema_migrations ORDER BY id`)).map((row) => row.id);
const items = () => db.query<{ id: number; name: string; colour: string }>(`SELECT id, name, colour FROM ${SCHEMA}.item ORDER BY id`);

test('opens PGlite in memory with the schema on the search path', async () => {
  expect(db.engine).toBe('pglite');
  expect(await db.query<{ schema: string }>('SELECT current_schema() AS schema')).toEqual([{ schema: SCHEMA }]);
});

test('applies every migration once, in order, and records their ids', async () => {
  await migrate(db, SCHEMA, [first, second]);
  expect(await appliedIds()).toEqual(['001_items', '002_item_colour']);
  expect(await items()).toEqual([
    { id: 1, name: 'first', colour: 'red' },
    { id: 2, name: 'second', colour: 'red' },
  ]);
});

test('a second run is a no-op', async () => {
  // Re-running either script would fail (table exists, duplicate key) or add rows.
  await migrate(db, SCHEMA, [first, second]);
  expect(await appliedIds()).toEqual(['001_items', '002_item_colour']);
  expect(await items()).toHaveLength(2);
});

test('a later release applies only its new migration', async () => {
  const third: Migration = { id: '003_more', sql: `INSERT INTO item (id, name) VALUES (3, 'third');` };
  await migrate(db, SCHEMA, [first, second, third]);
  expect(await appliedIds()).toEqual(['001_items', '002_item_colour', '003_more']);
  expect((await items()).map((row) => row.id)).toEqual([1, 2, 3]);
});

test('a failing migration rolls back the whole run and records nothing', async () => {
  const good: Migration = { id: '004_good', sql: `INSERT INTO item (id, name) VALUES (4, 'fourth');` };
  const bad: Migration = { id: '005_bad', sql: `INSERT INTO no_such_table VALUES (1);` };
  await expect(migrate(db, SCHEMA, [good, bad])).rejects.toThrow();
  expect(await appliedIds()).toEqual(['001_items', '002_item_colour', '003_more']);
  expect((await items()).map((row) => row.id)).toEqual([1, 2, 3]);
  // The database is still usable and the good migration applies once the bad one is gone.
  await migrate(db, SCHEMA, [good]);
  expect(await appliedIds()).toEqual(['001_items', '002_item_colour', '003_more', '004_good']);
});

const databaseUrl = process.env.DATABASE_URL;
if (databaseUrl) {
  // The collision is a matter of timing, so it gets many chances: rounds of replicas, each round a new schema.
  const REPLICAS = 6;
  const ROUNDS = 15;

  test(`${REPLICAS} replicas opening a new schema at once all start, and each migration applies once (${ROUNDS} rounds)`, async () => {
    const admin = new pg.Client({ connectionString: databaseUrl });
    await admin.connect();
    const schemas: string[] = [];
    try {
      for (let round = 0; round < ROUNDS; round += 1) {
        const schema = `replicas_${randomBytes(5).toString('hex')}`;
        schemas.push(schema);
        const opened = await Promise.allSettled(Array.from({ length: REPLICAS }, () => openOwnedDatabase({ schema, migrations: [first, second], databaseUrl })));
        await Promise.all(opened.map((result) => (result.status === 'fulfilled' ? result.value.close() : undefined)));
        expect(opened.filter((result) => result.status === 'rejected')).toEqual([]);
        const applied = await admin.query<{ id: string }>(`SELECT id FROM ${schema}.schema_migrations ORDER BY id`);
        expect(applied.rows.map((row) => row.id)).toEqual(['001_items', '002_item_colour']);
        const items = await admin.query<{ id: number }>(`SELECT id FROM ${schema}.item ORDER BY id`);
        expect(items.rows.map((row) => row.id)).toEqual([1, 2]);
      }
    } finally {
      for (const schema of schemas) await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      await admin.end();
    }
  });
}
