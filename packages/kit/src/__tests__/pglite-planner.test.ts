// PGlite keeps its pages in memory, so a few dozen keys are looked up through
// an index rather than by reading the whole table, as a PostgreSQL server on
// fast storage would choose too.
import { openOwnedDatabase } from '../db/open-owned';

test('a join on a few dozen keys reads the joined table by its index, not by a scan of every row', async () => {
  const db = await openOwnedDatabase({
    schema: 'planner',
    migrations: [
      {
        id: '001_shops',
        sql: `
          CREATE TABLE owner (seq integer PRIMARY KEY, id text NOT NULL UNIQUE);
          CREATE TABLE shop (owner_seq integer NOT NULL REFERENCES owner (seq), place text NOT NULL, PRIMARY KEY (owner_seq, place));
          INSERT INTO owner SELECT n, 'o' || n FROM generate_series(1, 5000) AS n;
          INSERT INTO shop SELECT n, p FROM generate_series(1, 5000) AS n, unnest(ARRAY['a', 'b']) AS p;
          ANALYZE owner; ANALYZE shop;`,
      },
    ],
  });
  try {
    const keys = Array.from({ length: 50 }, (_, i) => `o${i * 7 + 1}`);
    const plan = await db.query<{ 'QUERY PLAN': string }>(
      'EXPLAIN SELECT s.owner_seq, s.place FROM owner o JOIN shop s ON s.owner_seq = o.seq WHERE o.id = ANY($1)',
      [keys],
    );
    const lines = plan.map((row) => row['QUERY PLAN']);
    expect(lines.some((line) => /Seq Scan on shop/.test(line))).toBe(false);
    expect(lines.some((line) => /Index (Only )?Scan using shop_pkey/.test(line))).toBe(true);
  } finally {
    await db.close();
  }
});
