/** @backend-contract durability after SIGKILL on each engine */
// The payments subgraph as real processes: an acknowledged payment survives
// SIGKILL (on the engine the environment names), two processes sharing one PostgreSQL database create exactly
// one payment for concurrent calls with one key, and a process whose database
// connections are terminated under load lives on.
import pg from 'pg';
import { scratchDatabase } from '@interop/testing/scratch-database';
import { postSigned, startGraph, type Graph } from '@interop/testing/harness';
import { decide, freshKey, merchantWhere, OPTED_IN_TO_WECHAT_ON_TAOBAO, startPaymentsProcess } from '@interop/testing/payments-helpers';
import { freePort } from '@interop/testing/processes';
import { scratchDir } from '@interop/testing/scratch-dir';

let graph: Graph;
let merchantId: string;

beforeAll(async () => {
  graph = await startGraph({ merchantCount: 100 });
  merchantId = await merchantWhere(graph, OPTED_IN_TO_WECHAT_ON_TAOBAO);
});

afterAll(async () => {
  await graph?.stop();
});

const paymentsProcess = (port: number, env: Record<string, string | undefined>) => startPaymentsProcess(graph, port, env);

const INITIATE = /* GraphQL */ `mutation ($input: InitiatePaymentInput!) { initiatePayment(input: $input) { id status } }`;
const PAYMENT = /* GraphQL */ `query ($id: ID!) { payment(id: $id) { id status reference } }`;

function input(idempotencyKey: string) {
  return {
    platformId: 'taobao',
    merchantId,
    paymentToolId: 'wechat-pay',
    amount: { amountMinor: 8_800, currency: 'CNY' },
    reference: 'durable-order',
    idempotencyKey,
  };
}

test('a payment the API acknowledged is still there after SIGKILL and a restart, and can still be paid', async () => {
  // On the engine the environment names (CI runs the suite without DATABASE_URL and with it, so on both):
  // a database of its own on that server, else PGlite under a DATA_DIR of its own.
  const scratch = databaseUrl ? await scratchDatabase(databaseUrl) : undefined;
  try {
    await acknowledgedPaymentSurvivesSigkill(
      scratch ? { DATABASE_URL: scratch.url.toString() } : { DATA_DIR: scratchDir('payments-durable-'), DATABASE_URL: undefined },
    );
  } finally {
    await scratch?.drop();
  }
}, 120_000);

async function acknowledgedPaymentSurvivesSigkill(env: Record<string, string | undefined>): Promise<void> {
  const port = await freePort();
  const first = await paymentsProcess(port, env);
  const created = await postSigned<{ initiatePayment: { id: string; status: string } }>(first, INITIATE, { input: input(freshKey('durable')) });
  expect(created.errors).toBeUndefined();
  const id = created.data?.initiatePayment.id ?? '';
  first.child.kill('SIGKILL');
  expect((await first.exit).signal).toBe('SIGKILL');

  const second = await paymentsProcess(port, env);
  try {
    const found = await postSigned<{ payment: { id: string; status: string; reference: string } }>(second, PAYMENT, { id });
    expect(found.data?.payment).toEqual({ id, status: 'REQUIRES_ACTION', reference: 'durable-order' });
    // The wallet's webhook reaches the restarted process and settles the payment.
    expect(await decide(graph, id, 'approve')).toBe(200);
    await graph.wallet.webhooks.idle();
    const paid = await postSigned<{ payment: { status: string } }>(second, PAYMENT, { id });
    expect(paid.data?.payment.status).toBe('SUCCEEDED');
  } finally {
    second.child.kill('SIGTERM');
    expect((await second.exit).code).toBe(0);
  }
}

const databaseUrl = process.env.DATABASE_URL;
if (databaseUrl) {
  // Two processes need a server they share; PGlite belongs to one process, so this runs where DATABASE_URL is set (CI does).
  test('two payments processes on one PostgreSQL database create one payment for 50 concurrent calls with one key', async () => {
    const { name, url, admin } = await scratchDatabase(databaseUrl);
    const processes = [await paymentsProcess(await freePort(), { DATABASE_URL: url.toString() })];
    processes.push(await paymentsProcess(await freePort(), { DATABASE_URL: url.toString() }));
    try {
      const key = freshKey('two-processes');
      const responses = await Promise.all(
        Array.from({ length: 50 }, (_, i) => postSigned<{ initiatePayment: { id: string } }>(processes[i % 2]!, INITIATE, { input: input(key) })),
      );
      for (const response of responses) expect(response.errors).toBeUndefined();
      expect(new Set(responses.map((response) => response.data?.initiatePayment.id)).size).toBe(1);
      const db = new pg.Client({ connectionString: url.toString() });
      await db.connect();
      const { rows } = await db.query<{ count: number }>('SELECT count(*)::int AS count FROM payments.payment WHERE idempotency_key = $1', [key]);
      await db.end();
      expect(rows[0]?.count).toBe(1);
    } finally {
      for (const { child, exit } of processes) {
        child.kill('SIGTERM');
        await exit;
      }
      await admin.query(`DROP DATABASE ${name}`);
      await admin.end();
    }
  }, 120_000);

  test('a process whose database connections are terminated under 200 concurrent initiatePayment lives on: DEPENDENCY_UNAVAILABLE or success, nothing half-written, later calls succeed', async () => {
    // A database of its own, so terminating its backends touches no other test's connections.
    const { name, url, admin, drop } = await scratchDatabase(databaseUrl);
    const payments = await paymentsProcess(await freePort(), { DATABASE_URL: url.toString() });
    const terminate = () => admin.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()', [name]);
    try {
      let answered = 0;
      const calls = Array.from({ length: 200 }, (_, i) =>
        postSigned<{ initiatePayment: { id: string } }>(payments, INITIATE, { input: input(freshKey(`terminated-${i}`)) }).finally(() => (answered += 1)),
      );
      while (answered < 20) await new Promise((resolve) => setTimeout(resolve, 5));
      expect((await terminate()).rowCount).toBeGreaterThan(0);
      // Again while the pool opens connections in place of the terminated ones.
      for (let round = 0; round < 3; round += 1) {
        await new Promise((resolve) => setTimeout(resolve, 50));
        await terminate();
      }
      const responses = await Promise.all(calls);
      const codes = responses.flatMap((response) => (response.errors ?? []).map((error) => error.extensions?.code));
      for (const code of codes) expect(code).toBe('DEPENDENCY_UNAVAILABLE');
      for (const response of responses) expect(response.errors === undefined).toBe(Boolean(response.data?.initiatePayment?.id));

      const db = new pg.Client({ connectionString: url.toString() });
      await db.connect();
      // Every payment has its creation event and ends at the status its last event names.
      const { rows } = await db.query<{ id: string; status: string; created: number; last: string | null }>(
        `SELECT p.id, p.status,
           (SELECT count(*)::int FROM payments.payment_event e WHERE e.payment_id = p.id AND e.from_status IS NULL) AS created,
           (SELECT e.to_status FROM payments.payment_event e WHERE e.payment_id = p.id ORDER BY e.seq DESC LIMIT 1) AS last
         FROM payments.payment p`,
      );
      await db.end();
      for (const row of rows) expect({ id: row.id, created: row.created, last: row.last }).toEqual({ id: row.id, created: 1, last: row.status });
      const acknowledged = responses.flatMap((response) => (response.data?.initiatePayment ? [response.data.initiatePayment.id] : []));
      expect(rows.map((row) => row.id)).toEqual(expect.arrayContaining(acknowledged));

      const later = await Promise.all(Array.from({ length: 10 }, () => postSigned<{ initiatePayment: { id: string } }>(payments, INITIATE, { input: input(freshKey('after-termination')) })));
      for (const response of later) expect(response.errors).toBeUndefined();
      expect(payments.child.exitCode).toBeNull();
    } finally {
      payments.child.kill('SIGTERM');
      const exit = await payments.exit;
      await drop();
      expect(exit.stderr).not.toMatch(/Unhandled 'error' event/);
      expect(exit.code).toBe(0);
    }
  }, 120_000);
}
