// What PostgreSQL holds for the run's payments, read directly: the payments
// per idempotency key, their status histories, and the wallet's side (its
// orders and the webhooks it owed for them).
import pg from 'pg';

export interface LedgerPayment {
  id: string;
  key: string;
  status: string;
  /** Status changes in order, as `FROM>TO` (FROM empty for the creation). */
  history: string[];
}

export interface Ledger {
  payments: LedgerPayment[];
  /** The wallet's orders for these payments (one each, once registered). */
  walletOrders: number;
  /** The wallet's webhooks for these payments, by delivery state. */
  webhooks: Record<string, number>;
  /** Wallet events payments applied: one per webhook delivered, however many times it arrived. */
  appliedWalletEvents: number;
}

export async function readLedger(databaseUrl: string, partnerId: string): Promise<Ledger> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ id: string; key: string; status: string }>(
      'SELECT id, idempotency_key AS key, status FROM payments.payment WHERE partner_id = $1 ORDER BY seq',
      [partnerId],
    );
    const ids = rows.map((row) => row.id);
    const events = await client.query<{ id: string; from: string | null; to: string }>(
      'SELECT payment_id AS id, from_status AS from, to_status AS to FROM payments.payment_event WHERE payment_id = ANY($1) ORDER BY seq',
      [ids],
    );
    const history = new Map<string, string[]>();
    for (const event of events.rows) history.set(event.id, [...(history.get(event.id) ?? []), `${event.from ?? ''}>${event.to}`]);
    const orders = await client.query<{ count: number }>('SELECT count(*)::int AS count FROM wallet.wallet_order WHERE payment_id = ANY($1)', [ids]);
    const webhooks = await client.query<{ state: string; count: number }>(
      'SELECT state, count(*)::int AS count FROM wallet.webhook_outbox WHERE payment_id = ANY($1) GROUP BY state',
      [ids],
    );
    const applied = await client.query<{ count: number }>('SELECT count(*)::int AS count FROM payments.wallet_event WHERE payment_id = ANY($1)', [ids]);
    return {
      payments: rows.map((row) => ({ ...row, history: history.get(row.id) ?? [] })),
      walletOrders: orders.rows[0]?.count ?? 0,
      webhooks: Object.fromEntries(webhooks.rows.map((row) => [row.state, row.count])),
      appliedWalletEvents: applied.rows[0]?.count ?? 0,
    };
  } finally {
    await client.end();
  }
}

/** Demo merchants fit for each part of the run, from the merchants schema. */
export async function pickMerchants(databaseUrl: string): Promise<{ payable: string[]; readable: string[]; notOptedIn: string }> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  const onTaobao = `EXISTS (SELECT 1 FROM merchants.storefront s WHERE s.merchant_seq = m.seq AND s.platform_id = 'taobao')`;
  const ids = async (where: string, limit: number) =>
    (await client.query<{ id: string }>(`SELECT m.id FROM merchants.merchant m WHERE ${where} ORDER BY m.seq LIMIT ${limit}`)).rows.map((row) => row.id);
  try {
    const payable = await ids(
      `m.status = 'ACTIVE' AND m.eligible AND EXISTS (SELECT 1 FROM merchants.enrolment e WHERE e.merchant_seq = m.seq
         AND e.platform_id = 'taobao' AND e.tool_id = 'wechat-pay' AND e.status = 'ACTIVE')`,
      40,
    );
    const readable = await ids(`m.status = 'ACTIVE' AND ${onTaobao}`, 400);
    const [notOptedIn] = await ids(`m.status = 'ACTIVE' AND m.eligible AND ${onTaobao} AND NOT EXISTS (SELECT 1 FROM merchants.enrolment e WHERE e.merchant_seq = m.seq)`, 1);
    if (payable.length === 0 || readable.length === 0 || !notOptedIn) throw new Error('the demo data has no merchants fit for the run');
    return { payable, readable, notOptedIn };
  } finally {
    await client.end();
  }
}

/** The migrations each replicated subgraph's schema records (both replicas ran them at once on a fresh database). */
export async function appliedMigrations(databaseUrl: string): Promise<Record<string, number>> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const counts: Record<string, number> = {};
    for (const schema of ['payments', 'merchants', 'wallet']) {
      counts[schema] = (await client.query<{ count: number }>(`SELECT count(*)::int AS count FROM ${schema}.schema_migrations`)).rows[0]?.count ?? 0;
    }
    return counts;
  } finally {
    await client.end();
  }
}
