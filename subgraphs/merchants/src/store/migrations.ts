// The merchants schema. Released migrations are never edited; add a new one.
import type { Migration } from '@interop/kit/db';

export const migrations: readonly Migration[] = [
  {
    id: '001_merchants',
    sql: `
      CREATE TABLE merchant (
        seq integer PRIMARY KEY,
        id text NOT NULL UNIQUE,
        name text NOT NULL,
        status text NOT NULL CHECK (status IN ('ACTIVE', 'SUSPENDED')),
        eligible boolean NOT NULL,
        category text NOT NULL,
        city text NOT NULL
      );
      CREATE TABLE storefront (
        merchant_seq integer NOT NULL REFERENCES merchant (seq) ON DELETE CASCADE,
        platform_id text NOT NULL,
        opened_on date NOT NULL,
        PRIMARY KEY (merchant_seq, platform_id)
      );
      -- Merchants of one platform in key order: keyset pages of Platform.merchants.
      CREATE INDEX storefront_by_platform ON storefront (platform_id, merchant_seq);
      CREATE TABLE enrolment (
        merchant_seq integer NOT NULL,
        platform_id text NOT NULL,
        tool_id text NOT NULL,
        opened_at timestamptz NOT NULL,
        PRIMARY KEY (merchant_seq, platform_id, tool_id),
        FOREIGN KEY (merchant_seq, platform_id) REFERENCES storefront (merchant_seq, platform_id) ON DELETE CASCADE
      );
      -- Merchants that opened a tool: the opt-in half of the accepts-tool filter.
      CREATE INDEX enrolment_by_tool ON enrolment (tool_id, platform_id, merchant_seq);
      CREATE TABLE seed_state (
        id integer PRIMARY KEY CHECK (id = 1),
        version integer NOT NULL,
        merchant_count integer NOT NULL
      );
    `,
  },
  {
    // Enrolments get a status like a capability, with the time of each change.
    // Rows from 001 were live opt-ins: they become ACTIVE, with the path they
    // took recorded at the time they were opened (their review time is unknown).
    id: '002_enrolment_status',
    sql: `
      ALTER TABLE enrolment ADD COLUMN status text NOT NULL DEFAULT 'ACTIVE'
        CHECK (status IN ('REQUESTED', 'PENDING_REVIEW', 'ACTIVE', 'INACTIVE'));
      ALTER TABLE enrolment ALTER COLUMN status DROP DEFAULT;
      CREATE TABLE enrolment_event (
        seq integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        merchant_seq integer NOT NULL,
        platform_id text NOT NULL,
        tool_id text NOT NULL,
        status text NOT NULL CHECK (status IN ('REQUESTED', 'PENDING_REVIEW', 'ACTIVE', 'INACTIVE')),
        at timestamptz NOT NULL,
        FOREIGN KEY (merchant_seq, platform_id, tool_id) REFERENCES enrolment (merchant_seq, platform_id, tool_id) ON DELETE CASCADE
      );
      CREATE INDEX enrolment_event_by_enrolment ON enrolment_event (merchant_seq, platform_id, tool_id, seq);
      INSERT INTO enrolment_event (merchant_seq, platform_id, tool_id, status, at)
      SELECT e.merchant_seq, e.platform_id, e.tool_id, step.status, e.opened_at
      FROM enrolment e CROSS JOIN (VALUES (1, 'REQUESTED'), (2, 'PENDING_REVIEW'), (3, 'ACTIVE')) AS step(n, status)
      ORDER BY e.merchant_seq, e.platform_id, e.tool_id, step.n;
      -- Only ACTIVE enrolments count as opted in: the opt-in half of the accepts-tool filter reads this index.
      DROP INDEX enrolment_by_tool;
      CREATE INDEX enrolment_active_by_tool ON enrolment (tool_id, platform_id, merchant_seq) WHERE status = 'ACTIVE';
    `,
  },
  {
    // Merchants by a piece of their name, any case (`merchants(nameContains:)`):
    // a trigram index answers ILIKE '%text%' without reading every merchant.
    id: '003_merchant_name_search',
    extensions: ['pg_trgm'],
    sql: `
      CREATE INDEX merchant_name_trigrams ON merchant USING gin (name public.gin_trgm_ops);
    `,
  },
];
