/** @backend-contract prepared statements on each engine */
// Statements run as named prepared statements, on the engine the environment
// names (a PGlite leased from the worker's pool, or DATABASE_URL's server with
// one connection, so pg_prepared_statements shows the statements the database
// prepared): a text is parsed once and bound again on every later run, with
// the rows an unnamed run gives; transactions, errors and the bound on how
// many texts stay prepared behave as before.
import { openDatabase, queryPlannedPerCall, type Database } from '../db';
import { MAX_PREPARED_STATEMENTS } from '../db/pglite-statements';
import { openTestStore } from '@interop/testing/databases';

/** Runs `work` on a database of its own, dropped afterwards whatever the outcome. */
async function inStore(work: (db: Database) => Promise<void>): Promise<void> {
  const store = await openTestStore(
    'prepared',
    (storage) => openDatabase({ schema: storage.schema, url: storage.databaseUrl, pglite: storage.pglite, poolSize: 1 }),
    (db: Database) => db,
  );
  try {
    await work(store.opened);
  } finally {
    await store.drop();
  }
}

/** How often the session ran `statement` prepared: null when it holds no prepared statement with that text. */
async function preparedRuns(db: Database, statement: string): Promise<number | null> {
  const rows = await db.query<{ runs: number }>('SELECT (generic_plans + custom_plans)::int AS runs FROM pg_prepared_statements WHERE statement = $1', [statement]);
  expect(rows.length).toBeLessThanOrEqual(1);
  return rows[0]?.runs ?? null;
}

const nextTurns = async (turns: number) => {
  for (let i = 0; i < turns; i++) await new Promise((resolve) => setImmediate(resolve));
};

test('a statement run again is prepared once and bound again, its values typed as an unnamed run types them', () =>
  inStore(async (db) => {
    await db.exec(`CREATE TABLE thing (id int PRIMARY KEY, name text, on_sale boolean NOT NULL, facts jsonb, tags text[] NOT NULL, made timestamptz);
      INSERT INTO thing VALUES (1, 'tea', true, '{"kind": "leaf"}', '{a,b}', '2024-09-05T10:00:00Z'),
                               (2, NULL, false, NULL, '{}', NULL),
                               (3, 'rice', true, '[1, 2]', '{c}', '2024-09-06T00:00:00Z')`);
    const sql = 'SELECT id, name, on_sale, facts, tags, made FROM thing WHERE id = ANY($1) AND made IS DISTINCT FROM $2 ORDER BY id';
    const runs = [[1, 2, 3], [2], [3, 1], [1], [2, 3], [1, 2, 3], [3]];
    const answers = [];
    for (const ids of runs) answers.push(await db.query(sql, [ids, new Date('2001-01-01T00:00:00Z')]));

    expect(answers[0]).toEqual([
      { id: 1, name: 'tea', on_sale: true, facts: { kind: 'leaf' }, tags: ['a', 'b'], made: expect.anything() },
      { id: 2, name: null, on_sale: false, facts: null, tags: [], made: null },
      { id: 3, name: 'rice', on_sale: true, facts: [1, 2], tags: ['c'], made: expect.anything() },
    ]);
    const made = answers[0]!.map((row) => (row as { made: Date | null }).made?.toISOString() ?? null);
    expect(made).toEqual(['2024-09-05T10:00:00.000Z', null, '2024-09-06T00:00:00.000Z']);
    expect(answers.map((rows) => rows.map((row) => (row as { id: number }).id))).toEqual(runs.map((ids) => [...ids].sort()));
    expect(await preparedRuns(db, sql)).toBe(runs.length);
  }));

/** How the session planned `statement`'s runs: on its kept (generic) plan, or for each run's values (custom). */
async function plans(db: Database, statement: string): Promise<{ generic: number; custom: number } | undefined> {
  const [row] = await db.query<{ generic: number; custom: number }>(
    'SELECT generic_plans::int AS generic, custom_plans::int AS custom FROM pg_prepared_statements WHERE statement = $1',
    [statement],
  );
  return row;
}

test('a statement keeps the plan made at its first run; a search run through queryPlannedPerCall is planned for its values every time', () =>
  inStore(async (db) => {
    await db.exec(`CREATE TABLE item (id int PRIMARY KEY, tag text NOT NULL); INSERT INTO item SELECT g, 't' || (g % 10) FROM generate_series(1, 100) g`);
    // PostgreSQL's own choice would plan this for every run: it assumes ten keys where each run has one.
    const lookup = 'SELECT tag FROM item WHERE id = ANY($1)';
    for (let id = 1; id <= 8; id++) expect(await db.query(lookup, [[id]])).toEqual([{ tag: `t${id % 10}` }]);
    expect(await plans(db, lookup)).toEqual({ generic: 8, custom: 0 });

    const search = 'SELECT min(id)::int AS id FROM item WHERE tag = $1';
    for (let tag = 0; tag < 8; tag++) expect(await queryPlannedPerCall(db, search, [`t${tag}`])).toEqual([{ id: tag === 0 ? 10 : tag }]);
    expect(await plans(db, search)).toEqual({ generic: 0, custom: 8 });
    // Only for the search: the session keeps its plans afterwards.
    expect(await db.query(lookup, [[9]])).toEqual([{ tag: 't9' }]);
    expect(await plans(db, lookup)).toEqual({ generic: 9, custom: 0 });
  }));

test('a statement in a transaction is part of it, and one run beside the transaction waits for it instead of joining it', () =>
  inStore(async (db) => {
    await db.exec('CREATE TABLE entry (id int PRIMARY KEY)');
    const insert = 'INSERT INTO entry (id) VALUES ($1)';
    let inside!: () => void;
    const begun = new Promise<void>((resolve) => (inside = resolve));
    let letGo!: () => void;
    const held = new Promise<void>((resolve) => (letGo = resolve));
    const undone = db.transaction(async (tx) => {
      await tx.query(insert, [1]);
      inside();
      await held;
      throw new Error('undo');
    });
    await begun;
    const beside = db.query(insert, [2]);
    await nextTurns(5);
    letGo();
    await expect(undone).rejects.toThrow('undo');
    await beside;
    expect(await db.query('SELECT id FROM entry ORDER BY id')).toEqual([{ id: 2 }]);
    expect(await preparedRuns(db, insert)).toBe(2);
  }));

test('a failed statement keeps its code and leaves the database usable; a text that does not parse is not kept', () =>
  inStore(async (db) => {
    await db.exec('CREATE TABLE once (id int PRIMARY KEY)');
    const insert = 'INSERT INTO once (id) VALUES ($1)';
    await db.query(insert, [1]);
    await expect(db.query(insert, [1])).rejects.toMatchObject({ code: '23505' });
    await db.query(insert, [2]);
    await expect(db.transaction((tx) => tx.query(insert, [2]))).rejects.toMatchObject({ code: '23505' });
    expect(await db.query('SELECT id FROM once ORDER BY id')).toEqual([{ id: 1 }, { id: 2 }]);

    const broken = 'SELEC id FROM once WHERE id = $1';
    await expect(db.query(broken, [1])).rejects.toMatchObject({ code: '42601' });
    await expect(db.query(broken, [1])).rejects.toMatchObject({ code: '42601' });
    expect(await preparedRuns(db, broken)).toBeNull();
  }));

test(`beyond ${MAX_PREPARED_STATEMENTS} texts, a new text runs unnamed and still answers`, () =>
  inStore(async (db) => {
    const texts = Array.from({ length: MAX_PREPARED_STATEMENTS + 10 }, (_, i) => `SELECT $1::int + ${i} AS n`);
    for (const [i, text] of texts.entries()) expect(await db.query(text, [1000])).toEqual([{ n: 1000 + i }]);
    const [kept] = await db.query<{ count: number }>(`SELECT count(*)::int AS count FROM pg_prepared_statements WHERE statement LIKE 'SELECT $1::int + %'`);
    expect(kept!.count).toBeGreaterThan(0);
    expect(kept!.count).toBeLessThanOrEqual(MAX_PREPARED_STATEMENTS);
    expect(await preparedRuns(db, texts.at(-1)!)).toBeNull();
  }));
