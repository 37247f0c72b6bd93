/** @backend-contract a lost connection on each engine */
// A database connection lost mid-transaction: the server terminates the
// pool's backends under load; the process lives on, each transaction either
// commits whole or fails with DEPENDENCY_UNAVAILABLE and leaves nothing, and
// the pool serves new transactions on fresh connections. The load test needs
// a PostgreSQL server (DATABASE_URL, as in CI); which errors count as a lost
// connection, and a connection terminated as the pool hands it out (against a
// scripted server), are checked everywhere.
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { createServer, type AddressInfo, type Socket } from 'node:net';
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

/** A PostgreSQL wire message: type byte, length, body. */
function message(type: string, body: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeInt32BE(body.length + 4);
  return Buffer.concat([Buffer.from(type), length, body]);
}

const cstring = (text: string) => Buffer.from(`${text}\0`);
const AUTHENTICATION_OK = message('R', Buffer.alloc(4));
const READY = message('Z', Buffer.from('I'));
const TERMINATED = message('E', Buffer.concat([...['SFATAL', 'VFATAL', 'C57P01', 'Mterminating connection due to administrator command'].map(cstring), Buffer.alloc(1)]));

/**
 * Just enough of a PostgreSQL server: the first connection answers every
 * simple query; every later one is terminated the moment it is ready, both
 * messages in one write, as a backend terminated during its start sends them.
 */
async function terminatingServer() {
  const sockets = new Set<Socket>();
  let connections = 0;
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => {});
    const healthy = connections === 0;
    connections += 1;
    let buffer = Buffer.alloc(0);
    let started = false;
    socket.on('data', (chunk: Buffer) => {
      buffer = Buffer.concat([buffer, chunk]);
      for (;;) {
        if (!started) {
          if (buffer.length < 4 || buffer.length < buffer.readInt32BE(0)) return;
          buffer = buffer.subarray(buffer.readInt32BE(0));
          started = true;
          if (!healthy) return void socket.end(Buffer.concat([AUTHENTICATION_OK, READY, TERMINATED]));
          socket.write(Buffer.concat([AUTHENTICATION_OK, READY]));
          continue;
        }
        if (buffer.length < 5 || buffer.length < 1 + buffer.readInt32BE(1)) return;
        const type = String.fromCharCode(buffer[0] ?? 0);
        const sql = buffer.subarray(5, 1 + buffer.readInt32BE(1) - 1).toString();
        buffer = buffer.subarray(1 + buffer.readInt32BE(1));
        if (type === 'X') return void socket.end();
        if (type === 'Q') socket.write(Buffer.concat([message('C', cstring(sql.split(' ')[0] ?? '')), READY]));
      }
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return {
    url: `postgres://test@127.0.0.1:${(server.address() as AddressInfo).port}/test`,
    async stop() {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

test('a connection terminated as the pool hands it out fails its transaction with DEPENDENCY_UNAVAILABLE, not the process', async () => {
  const server = await terminatingServer();
  const db = await openDatabase({ schema: 'fake', url: server.url });
  try {
    // The first transaction takes the idle connection; the second opens one that is terminated as it becomes ready.
    const [first, second] = await Promise.allSettled([db.transaction(async () => 'kept'), db.transaction(async () => 'lost')]);
    expect(first).toEqual({ status: 'fulfilled', value: 'kept' });
    expect(second.status === 'rejected' && codeOf(second.reason)).toBe(ErrorCode.DEPENDENCY_UNAVAILABLE);
  } finally {
    await db.close();
    await server.stop();
  }
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
      // Reads outside transactions share the pool, so connections change hands while they are terminated.
      const reads = ids.map(() => db.query('SELECT count(*) FROM purchase').then(() => 'ok', (error: unknown) => codeOf(error)));
      while (settled < 30) await sleep(2);
      expect(await terminateBackends()).toBeGreaterThan(0);
      // Again while the pool opens new connections in their place.
      for (let round = 0; round < 5; round += 1) {
        await sleep(10);
        await terminateBackends();
      }
      const outcomes = await Promise.allSettled(runs);
      for (const read of await Promise.all(reads)) expect([ErrorCode.DEPENDENCY_UNAVAILABLE, 'ok']).toContain(read);

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
