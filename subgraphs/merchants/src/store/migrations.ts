// The merchants schema. Released migrations are never edited; add a new one.
import type { Migration } from '@interop/kit';

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
];
