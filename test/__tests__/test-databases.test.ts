/** @backend-contract the test databases on each engine */
// The test stores' databases (packages/testing/src/databases): each store sees only its own
// tables, whether its PGlite is leased again from the worker's pool or its
// schema lives on DATABASE_URL's server; a Date goes in as one; and a store
// dropped is refused, so nothing it leaves behind reaches the next one.
import { openDatabase, type Database } from '@interop/kit/db';
import { openTestStore } from '@interop/testing/databases';

const open = () => openTestStore('pooled', (storage) => openDatabase({ schema: storage.schema, url: storage.databaseUrl, pglite: storage.pglite }), (db: Database) => db);

test('a store sees only its own tables, takes Dates, and once dropped is refused', async () => {
  const first = await open();
  await first.opened.exec('CREATE TABLE seen (at timestamptz NOT NULL)');
  const at = new Date('2024-09-05T10:00:00.000Z');
  await first.opened.query('INSERT INTO seen (at) VALUES ($1)', [at]);
  await first.opened.transaction((tx) => tx.query('INSERT INTO seen (at) VALUES ($1)', [at]));
  const [row] = await first.opened.query<{ at: Date; count: number }>('SELECT min(at) AS at, count(*)::int AS count FROM seen');
  expect([row?.at.toISOString(), row?.count]).toEqual([at.toISOString(), 2]);
  await first.drop();
  await expect(first.opened.query('SELECT 1')).rejects.toThrow();

  const second = await open();
  try {
    expect(second.schema).not.toBe(first.schema);
    const tables = await second.opened.query<{ name: string }>(`SELECT table_name AS name FROM information_schema.tables WHERE table_schema = current_schema()`);
    expect(tables).toEqual([]);
  } finally {
    await second.drop();
  }
});

test('a PostgreSQL error keeps its code', async () => {
  const store = await open();
  try {
    await store.opened.exec('CREATE TABLE once (id int PRIMARY KEY)');
    await store.opened.query('INSERT INTO once VALUES (1)');
    await expect(store.opened.query('INSERT INTO once VALUES (1)')).rejects.toMatchObject({ code: '23505' });
    await expect(store.opened.query('INSERT INTO once VALUES (1)')).rejects.toBeInstanceOf(Error);
  } finally {
    await store.drop();
  }
});
