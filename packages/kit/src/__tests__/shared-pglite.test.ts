// Owners may keep their schemas in one PGlite they are handed, in turn: each
// sees its own tables, and closing one leaves the PGlite open for the next,
// without the statements it prepared there.
import type { PGlite } from '@electric-sql/pglite';
import { openOwnedDatabase } from '../db/open-owned';
import type { Migration } from '../db/migrate';
import { bootPglite } from '../db/pglite-boot';

let pglite: PGlite;
beforeAll(async () => {
  ({ pglite } = await bootPglite());
});
afterAll(async () => {
  await pglite.close();
});

const items: Migration = { id: '001_items', sql: `CREATE TABLE item (id integer PRIMARY KEY); INSERT INTO item VALUES (1);` };
const ids = (rows: { id: number }[]) => rows.map((row) => row.id);

test('a schema in a PGlite it was handed is migrated there, sees only its own tables, and closing it leaves the PGlite open', async () => {
  const first = await openOwnedDatabase({ schema: 'first', migrations: [items], pglite });
  await first.exec('INSERT INTO item VALUES (2)');
  expect(ids(await first.query('SELECT id FROM item ORDER BY id'))).toEqual([1, 2]);
  await first.close();

  // Had `first`'s table been visible, 001's INSERT would have failed on the primary key.
  const second = await openOwnedDatabase({ schema: 'second', migrations: [items], pglite });
  expect(ids(await second.query('SELECT id FROM item ORDER BY id'))).toEqual([1]);
  await second.close();

  const tables = await pglite.query<{ schema: string }>(`SELECT table_schema AS schema FROM information_schema.tables WHERE table_name = 'item' ORDER BY 1`);
  expect(tables.rows.map((row) => row.schema)).toEqual(['first', 'second']);
  expect((await pglite.query('SELECT 1 AS open')).rows).toEqual([{ open: 1 }]);
});

test('closing a database on a PGlite it was handed deallocates the statements it prepared there, and only those', async () => {
  const prepared = async () => (await pglite.query<{ statement: string }>('SELECT statement FROM pg_prepared_statements ORDER BY 1')).rows.map((row) => row.statement);
  try {
    await pglite.query('PREPARE kept AS SELECT 1');
    const visits: Migration = { id: '001_visits', sql: `CREATE TABLE visit (id integer PRIMARY KEY); INSERT INTO visit VALUES (1);` };
    const db = await openOwnedDatabase({ schema: 'visiting', migrations: [visits], pglite });
    await db.query('SELECT id FROM visit WHERE id = $1', [1]);
    await db.transaction((tx) => tx.query('SELECT count(*) FROM visit WHERE id > $1', [0]));
    expect(await prepared()).toEqual(expect.arrayContaining(['SELECT id FROM visit WHERE id = $1', 'SELECT count(*) FROM visit WHERE id > $1']));
    await db.close();
    expect(await prepared()).toEqual(['PREPARE kept AS SELECT 1']);
  } finally {
    await pglite.query('DEALLOCATE kept');
  }
});

test('a database whose statements the session already dropped still closes', async () => {
  const db = await openOwnedDatabase({ schema: 'dropped', migrations: [items], pglite });
  expect(ids(await db.query('SELECT id FROM item WHERE id = $1', [1]))).toEqual([1]);
  await pglite.query('DEALLOCATE ALL');
  await expect(db.close()).resolves.toBeUndefined();
  expect((await pglite.query('SELECT count(*)::int AS count FROM pg_prepared_statements')).rows).toEqual([{ count: 0 }]);
});
