// The payments schema. Released migrations are never edited; add a new one.
import type { Migration } from '@interop/kit/db';

export const migrations: readonly Migration[] = [
  {
    id: '001_payments',
    sql: `
      CREATE TABLE payment (
        seq integer GENERATED ALWAYS AS IDENTITY UNIQUE,
        id text PRIMARY KEY,
        platform_id text NOT NULL,
        merchant_id text NOT NULL,
        tool_id text NOT NULL,
        amount_minor integer NOT NULL CHECK (amount_minor > 0),
        currency text NOT NULL,
        status text NOT NULL,
        reference text NOT NULL,
        next_action_type text NOT NULL,
        next_action_url text NOT NULL,
        next_action_qr text,
        expires_at timestamptz NOT NULL,
        idempotency_key text NOT NULL UNIQUE,
        request_hash text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE INDEX payment_by_merchant ON payment (merchant_id, seq);
      CREATE INDEX payment_by_platform ON payment (platform_id, seq);
      -- Only unpaid payments wait for expiry; the partial index stays small.
      CREATE INDEX payment_awaiting_expiry ON payment (expires_at) WHERE status = 'REQUIRES_ACTION';

      CREATE TABLE payment_event (
        seq integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        payment_id text NOT NULL REFERENCES payment (id),
        from_status text,
        to_status text NOT NULL,
        at timestamptz NOT NULL DEFAULT clock_timestamp(),
        cause text NOT NULL
      );
      CREATE INDEX payment_event_by_payment ON payment_event (payment_id, seq);

      CREATE TABLE refund (
        seq integer GENERATED ALWAYS AS IDENTITY UNIQUE,
        id text PRIMARY KEY,
        payment_id text NOT NULL REFERENCES payment (id),
        amount_minor integer NOT NULL CHECK (amount_minor > 0),
        currency text NOT NULL,
        reason text NOT NULL,
        status text NOT NULL,
        idempotency_key text NOT NULL UNIQUE,
        request_hash text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE INDEX refund_by_payment ON refund (payment_id, seq);

      -- Idempotency of cancelPayment: which payment a key cancelled.
      CREATE TABLE cancel_request (
        idempotency_key text PRIMARY KEY,
        payment_id text NOT NULL REFERENCES payment (id),
        created_at timestamptz NOT NULL DEFAULT now()
      );

      -- Wallet events already applied, so a repeated webhook changes nothing.
      CREATE TABLE wallet_event (
        event_id text PRIMARY KEY,
        payment_id text NOT NULL REFERENCES payment (id),
        type text NOT NULL,
        received_at timestamptz NOT NULL DEFAULT now()
      );
    `,
  },
  {
    // The channel a payment was started for (APP, MINI_PROGRAM, WEB, H5); null for payments started without one.
    id: '002_payment_channel',
    sql: `ALTER TABLE payment ADD COLUMN channel text CHECK (channel IN ('APP', 'MINI_PROGRAM', 'WEB', 'H5'));`,
  },
  {
    // The partner that created a payment (or asked for a refund or cancel) owns it, and idempotency
    // keys are per partner, so two partners' keys never collide. Earlier payments belong to no
    // partner (''): only their merchant's console sees them.
    id: '003_partner_ownership',
    sql: `
      ALTER TABLE payment ADD COLUMN partner_id text NOT NULL DEFAULT '';
      ALTER TABLE payment ALTER COLUMN partner_id DROP DEFAULT;
      ALTER TABLE payment DROP CONSTRAINT payment_idempotency_key_key;
      CREATE UNIQUE INDEX payment_idempotency ON payment (partner_id, idempotency_key);
      CREATE INDEX payment_by_partner ON payment (partner_id, seq);

      ALTER TABLE refund ADD COLUMN partner_id text NOT NULL DEFAULT '';
      ALTER TABLE refund ALTER COLUMN partner_id DROP DEFAULT;
      ALTER TABLE refund DROP CONSTRAINT refund_idempotency_key_key;
      CREATE UNIQUE INDEX refund_idempotency ON refund (partner_id, idempotency_key);

      ALTER TABLE cancel_request ADD COLUMN partner_id text NOT NULL DEFAULT '';
      ALTER TABLE cancel_request ALTER COLUMN partner_id DROP DEFAULT;
      ALTER TABLE cancel_request DROP CONSTRAINT cancel_request_pkey;
      ALTER TABLE cancel_request ADD PRIMARY KEY (partner_id, idempotency_key);
    `,
  },
  {
    // Whether the wallet took the payment: false from the insert until it answers, so a payment
    // left unregistered by a crash is found again. Earlier payments were registered before they
    // were returned. checked_at is when a sweep last asked the wallet about it, so processes
    // sharing the table take turns instead of asking twice.
    id: '004_payment_reconciliation',
    sql: `
      ALTER TABLE payment ADD COLUMN registered boolean NOT NULL DEFAULT true;
      ALTER TABLE payment ALTER COLUMN registered SET DEFAULT false;
      ALTER TABLE payment ADD COLUMN checked_at timestamptz;
      CREATE INDEX payment_unsettled ON payment (updated_at) WHERE status IN ('REQUIRES_ACTION', 'PROCESSING');
    `,
  },
  {
    // Partner webhooks. webhook_event is the outbox: written in the transaction of the change it
    // tells of, so a crash loses or invents none; payload is the event's `data` as sent. One
    // webhook_delivery per event and endpoint, claimed by the delivery workers; webhook_attempt
    // records each HTTP request. Endpoints a merchant console created receive every payment to
    // their merchant (as the console sees them), others only their partner's payments.
    id: '005_partner_webhooks',
    sql: `
      CREATE TABLE webhook_endpoint (
        seq integer GENERATED ALWAYS AS IDENTITY UNIQUE,
        id text PRIMARY KEY,
        partner_id text NOT NULL,
        merchant_id text,
        merchant_console boolean NOT NULL DEFAULT false,
        url text NOT NULL,
        description text,
        events text[] NOT NULL,
        status text NOT NULL DEFAULT 'ENABLED' CHECK (status IN ('ENABLED', 'DISABLED')),
        disabled_reason text,
        secret text NOT NULL,
        previous_secret text,
        previous_secret_expires_at timestamptz,
        consecutive_failures integer NOT NULL DEFAULT 0,
        created_at timestamptz NOT NULL DEFAULT clock_timestamp(),
        deleted boolean NOT NULL DEFAULT false
      );
      CREATE INDEX webhook_endpoint_by_partner ON webhook_endpoint (partner_id, seq) WHERE NOT deleted;
      CREATE INDEX webhook_endpoint_by_merchant ON webhook_endpoint (merchant_id, seq) WHERE NOT deleted;

      CREATE TABLE webhook_event (
        seq bigint GENERATED ALWAYS AS IDENTITY UNIQUE,
        id text PRIMARY KEY,
        partner_id text NOT NULL,
        merchant_id text NOT NULL,
        payment_id text NOT NULL REFERENCES payment (id),
        payment_version integer NOT NULL,
        type text NOT NULL,
        payload text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT clock_timestamp(),
        UNIQUE (payment_id, payment_version)
      );

      CREATE TABLE webhook_delivery (
        seq bigint GENERATED ALWAYS AS IDENTITY UNIQUE,
        id text PRIMARY KEY,
        event_id text NOT NULL REFERENCES webhook_event (id),
        endpoint_id text NOT NULL REFERENCES webhook_endpoint (id),
        payment_id text NOT NULL,
        payment_version integer NOT NULL,
        status text NOT NULL DEFAULT 'PENDING' CHECK (status IN ('PENDING', 'DELIVERED', 'FAILED')),
        next_attempt_at timestamptz DEFAULT clock_timestamp(),
        attempts integer NOT NULL DEFAULT 0,
        created_at timestamptz NOT NULL DEFAULT clock_timestamp(),
        finished_at timestamptz
      );
      CREATE INDEX webhook_delivery_due ON webhook_delivery (next_attempt_at) WHERE status = 'PENDING';
      CREATE INDEX webhook_delivery_in_order ON webhook_delivery (endpoint_id, payment_id, payment_version) WHERE status = 'PENDING';
      CREATE INDEX webhook_delivery_by_endpoint ON webhook_delivery (endpoint_id, seq);
      CREATE INDEX webhook_delivery_by_event ON webhook_delivery (event_id);

      CREATE TABLE webhook_attempt (
        seq bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        delivery_id text NOT NULL REFERENCES webhook_delivery (id),
        at timestamptz NOT NULL,
        status_code integer,
        duration_ms integer NOT NULL,
        response_excerpt text CHECK (char_length(response_excerpt) <= 1000),
        error text
      );
      CREATE INDEX webhook_attempt_by_delivery ON webhook_attempt (delivery_id, seq);
    `,
  },
];
