// An in-memory PGlite started from another's image holds what that one held,
// migrations included, and the two go their own ways afterwards.
import { openOwnedDatabase } from '../db/open-owned';
import type { Migration } from '../db/migrate';

const items: Migration = { id: '001_items', sql: `CREATE TABLE item (id integer PRIMARY KEY); INSERT INTO item VALUES (1);` };
const names = (rows: { id: number }[]) => rows.map((row) => row.id);

test('a database opened from an image has its rows and migrations, and changes only itself', async () => {
  const original = await openOwnedDatabase({ schema: 'imaged', migrations: [items] });
  const image = await original.dump!();
  const copy = await openOwnedDatabase({ schema: 'imaged', migrations: [items], image });
  try {
    // Had 001 run again, its INSERT would have failed on the primary key.
    expect(names(await copy.query('SELECT id FROM item ORDER BY id'))).toEqual([1]);
    await copy.exec('INSERT INTO item VALUES (2)');
    expect(names(await copy.query('SELECT id FROM item ORDER BY id'))).toEqual([1, 2]);
    expect(names(await original.query('SELECT id FROM item ORDER BY id'))).toEqual([1]);
  } finally {
    await Promise.all([original.close(), copy.close()]);
  }
});
