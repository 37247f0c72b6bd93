// A database connection lost mid-transaction: the server terminates the
// pool's backends under load; the process lives on, each transaction either
// commits whole or fails with DEPENDENCY_UNAVAILABLE and leaves nothing, and
// the pool serves new transactions on fresh connections. The loss itself needs
// a PostgreSQL server (DATABASE_URL, as in CI); which errors count as a lost
// connection is checked everywhere.
import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import { openDatabase, type Database } from '../db/database';
import { isConnectionLoss } from '../db/connection-loss';
import { AppError, ErrorCode } from '../errors';

const codeOf = (error: unknown) => (error instanceof AppError ? error.extensions['code'] : String(error));

test('a lost connection is told from a failed statement', () => {
  const withCode = (code: string) => Object.assign(new Error('x'), { code });
  for (const lost of ['57P01', '57P02', '57P03', '08006', '08003', '53300', 'ECONNRESET', 'ECONNREFUSED', 'EPIPE']) {
    expect(isConnectionLoss(withCode(lost))).toBe(true);
  }
  expect(isConnectionLoss(new Error('Connection terminated unexpectedly'))).toBe(true);
  expect(isConnectionLoss(new Error('Client has encountered a connection error and is not queryable'))).toBe(true);
  for (const failed of ['23505', '22021', '40001', '42P01']) expect(isConnectionLoss(withCode(failed))).toBe(false);
  expect(isConnectionLoss(new Error('boom'))).toBe(false);
  expect(isConnectionLoss('Connection terminated')).toBe(false);
});

const databaseUrl = process.env.DATABASE_URL;
if (databaseUrl) {
  describe('connections the server terminates mid-load', () => {
    // The schema names the pool's connections (application_name), so only this test's backends are terminated.
    const name = `db_loss_test_${randomBytes(5).toString('hex')}`;
    let db: Database;

    beforeAll(async () => {
      db = await openDatabase({ schema: name, url: databaseUrl });
      await db.exec(`CREATE TABLE purchase (id text PRIMARY KEY);
        CREATE TABLE purchase_line (purchase_id text NOT NULL REFERENCES purchase, n integer NOT NULL)`);
    });

    afterAll(async () => {
      await db?.exec(`DROP SCHEMA ${name} CASCADE`);
      await db?.close();
    });

    async function terminateBackends(): Promise<number> {
      const admin = new pg.Client({ connectionString: databaseUrl });
      await admin.connect();
      try {
        const { rows } = await admin.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = $1', [name]);
        return rows.length;
      } finally {
        await admin.end();
      }
    }

    /** A purchase and its two lines in one transaction, idle between statements as a request doing work in JavaScript is. */
    const purchase = (id: string) =>
      db.transaction(async (tx) => {
        await tx.query('INSERT INTO purchase (id) VALUES ($1)', [id]);
        await sleep(5);
        await tx.query('INSERT INTO purchase_line (purchase_id, n) VALUES ($1, 1)', [id]);
        await sleep(5);
        await tx.query('INSERT INTO purchase_line (purchase_id, n) VALUES ($1, 2)', [id]);
        return id;
      });

    test('each transaction commits whole or fails with DEPENDENCY_UNAVAILABLE; later ones succeed', async () => {
      const ids = Array.from({ length: 200 }, (_, i) => `p${i}`);
      let settled = 0;
      const runs = ids.map((id) => purchase(id).finally(() => (settled += 1)));
      while (settled < 30) await sleep(2);
      expect(await terminateBackends()).toBeGreaterThan(0);
      await sleep(20);
      await terminateBackends();
      const outcomes = await Promise.allSettled(runs);

      const failed = outcomes.flatMap((outcome, i) => (outcome.status === 'rejected' ? [{ id: ids[i], code: codeOf(outcome.reason) }] : []));
      expect(failed.length).toBeGreaterThan(0);
      expect(new Set(failed.map((failure) => failure.code))).toEqual(new Set([ErrorCode.DEPENDENCY_UNAVAILABLE]));

      const rows = await db.query<{ id: string; lines: number }>(
        'SELECT p.id, (SELECT count(*)::int FROM purchase_line l WHERE l.purchase_id = p.id) AS lines FROM purchase p',
      );
      const committed = new Map(rows.map((row) => [row.id, row.lines]));
      for (const [i, outcome] of outcomes.entries()) {
        if (outcome.status === 'fulfilled') expect(committed.get(ids[i] ?? '')).toBe(2);
        else expect(committed.has(ids[i] ?? '')).toBe(false);
      }
      expect([...committed.values()].every((lines) => lines === 2)).toBe(true);

      const later = await Promise.all(Array.from({ length: 20 }, (_, i) => purchase(`later${i}`)));
      expect(later).toHaveLength(20);
      expect(await db.query('SELECT 1 AS one')).toEqual([{ one: 1 }]);
    });
  });
}
