// The wallet's books on disk: orders, refunds and the webhooks still to
// deliver. PGlite under DATA_DIR by default, PostgreSQL when DATABASE_URL is
// set, like the subgraphs' stores; so a restarted wallet still knows every
// payment and still owes every notification it had not delivered.
import { openOwnedDatabase, type Database, type Migration, type StorageOptions } from '@interop/kit/db';

export const WALLET_SCHEMA = 'wallet';

// Released migrations are never edited; add a new one.
export const migrations: readonly Migration[] = [
  {
    id: '001_wallet',
    sql: `
      CREATE TABLE wallet_order (
        payment_id text PRIMARY KEY,
        tool_id text NOT NULL,
        merchant_id text NOT NULL,
        platform_id text NOT NULL,
        amount_minor integer NOT NULL CHECK (amount_minor > 0),
        currency text NOT NULL,
        reference text NOT NULL,
        -- As payments sent it, so a repeated registration compares equal.
        expires_at text NOT NULL,
        notify_url text NOT NULL,
        status text NOT NULL,
        refunded_minor integer NOT NULL DEFAULT 0,
        created_at timestamptz NOT NULL DEFAULT now()
      );

      CREATE TABLE wallet_refund (
        refund_id text PRIMARY KEY,
        payment_id text NOT NULL REFERENCES wallet_order (payment_id),
        amount_minor integer NOT NULL,
        currency text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      );

      -- Webhooks are queued in the transaction that records the decision, so
      -- none is lost to a crash; each is delivered in order per payment.
      CREATE TABLE webhook_outbox (
        seq integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        event_id text NOT NULL UNIQUE,
        payment_id text NOT NULL REFERENCES wallet_order (payment_id),
        notify_url text NOT NULL,
        body text NOT NULL,
        state text NOT NULL DEFAULT 'PENDING',
        created_at timestamptz NOT NULL DEFAULT now(),
        done_at timestamptz
      );
      CREATE INDEX webhook_outbox_pending ON webhook_outbox (payment_id, seq) WHERE state = 'PENDING';
    `,
  },
  {
    // What the buyer reads on the payment's page instead of ids; null where payments did not send them.
    id: '002_display_names',
    sql: `
      ALTER TABLE wallet_order ADD COLUMN merchant_name text;
      ALTER TABLE wallet_order ADD COLUMN platform_name text;
    `,
  },
];

export function openWalletDatabase(options: StorageOptions = {}): Promise<Database> {
  return openOwnedDatabase({ ...options, schema: options.schema ?? WALLET_SCHEMA, migrations });
}
