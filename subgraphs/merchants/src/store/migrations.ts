// The merchants schema. Released migrations are never edited; add a new one.
import type { Migration } from '@interop/kit/db';

/** Triggers that refresh merchant_storefronts (migration 004) after every statement that changes `table`. */
const refreshesMerchantStorefronts = (table: string) => `
      CREATE TRIGGER ${table}_added AFTER INSERT ON ${table}
        REFERENCING NEW TABLE AS added FOR EACH STATEMENT EXECUTE FUNCTION merchant_storefronts_changed();
      CREATE TRIGGER ${table}_changed AFTER UPDATE ON ${table}
        REFERENCING OLD TABLE AS removed NEW TABLE AS added FOR EACH STATEMENT EXECUTE FUNCTION merchant_storefronts_changed();
      CREATE TRIGGER ${table}_removed AFTER DELETE ON ${table}
        REFERENCING OLD TABLE AS removed FOR EACH STATEMENT EXECUTE FUNCTION merchant_storefronts_changed();`;

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
  {
    // Each merchant's storefronts, with the tools each has opted into, kept as
    // the JSON a page reads beside the merchant's row. Building it per merchant
    // at read time (a storefront scan and an enrolment scan per storefront)
    // was half of a 50-merchant page's statement. Triggers keep it in step
    // with every change to storefronts and enrolments, in the changing
    // transaction, whichever process or replica makes it.
    id: '004_merchant_storefronts',
    sql: `
      CREATE TABLE merchant_storefronts (
        merchant_seq integer PRIMARY KEY REFERENCES merchant (seq) ON DELETE CASCADE,
        storefronts json NOT NULL
      );
      CREATE FUNCTION refresh_merchant_storefronts(seqs integer[]) RETURNS void
      LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
      BEGIN
        -- Refreshes of one merchant take turns: the one that waited reads, in
        -- its next statement, what the other committed (READ COMMITTED takes
        -- a new snapshot per statement), so neither overwrites the other's.
        PERFORM 1 FROM merchant WHERE seq = ANY(seqs) ORDER BY seq FOR NO KEY UPDATE;
        INSERT INTO merchant_storefronts (merchant_seq, storefronts)
        SELECT m.seq, (
          SELECT coalesce(json_agg(json_build_object(
              'platformId', f.platform_id,
              'openedOn', f.opened_on,
              'enrolledToolIds', ARRAY(SELECT e.tool_id FROM enrolment e
                WHERE e.merchant_seq = f.merchant_seq AND e.platform_id = f.platform_id AND e.status = 'ACTIVE'
                ORDER BY e.tool_id)
            ) ORDER BY f.platform_id), '[]')
          FROM storefront f WHERE f.merchant_seq = m.seq)
        FROM merchant m WHERE m.seq = ANY(seqs)
        ON CONFLICT (merchant_seq) DO UPDATE SET storefronts = EXCLUDED.storefronts;
      END $$;
      -- One refresh per statement, of the merchants its rows belong to (storefront and enrolment both have merchant_seq).
      CREATE FUNCTION merchant_storefronts_changed() RETURNS trigger
      LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
      BEGIN
        IF TG_OP = 'INSERT' THEN
          PERFORM refresh_merchant_storefronts(ARRAY(SELECT DISTINCT merchant_seq FROM added));
        ELSIF TG_OP = 'DELETE' THEN
          PERFORM refresh_merchant_storefronts(ARRAY(SELECT DISTINCT merchant_seq FROM removed));
        ELSE
          PERFORM refresh_merchant_storefronts(ARRAY(SELECT merchant_seq FROM added UNION SELECT merchant_seq FROM removed));
        END IF;
        RETURN NULL;
      END $$;
      ${['storefront', 'enrolment'].map(refreshesMerchantStorefronts).join('\n')}
      SELECT refresh_merchant_storefronts(ARRAY(SELECT seq FROM merchant));
    `,
  },
];
