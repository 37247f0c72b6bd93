// One SQL interface over two engines: embedded PGlite (the default, nothing to
// install) and a PostgreSQL server through `pg` when DATABASE_URL is set. Each
// subgraph keeps its tables in its own PostgreSQL schema, so subgraphs sharing
// one server still own their data alone.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Extension, PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import { inSpan } from '../tracing';
import { asDatabaseError } from './connection-loss';
import { createPgPool } from './pg-pool';
import { bootPglite } from './pglite-boot';
import { PreparedStatements, type ProtocolPglite } from './pglite-statements';
import { postgresStatement } from './postgres-statements';

export type SqlParam = string | number | boolean | null | Date | readonly (string | number | null)[];

export interface Queryable {
  /** Runs one parameterised statement and returns its rows. */
  query<Row extends object>(sql: string, params?: readonly SqlParam[]): Promise<Row[]>;
  /** Runs a script of several statements without parameters (migrations, seeding). */
  exec(sql: string): Promise<void>;
}

export interface Database extends Queryable {
  readonly engine: 'pglite' | 'postgres';
  /** Runs `work` in one transaction on one connection: committed when it resolves, rolled back when it throws. */
  transaction<T>(work: (tx: Queryable) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

/**
 * PostgreSQL extensions an owner's schema may use. A PostgreSQL server needs
 * them installed (they ship with its contrib package); PGlite loads each from
 * its own bundle, which it can only do when the database is opened.
 */
export type PostgresExtension = 'pg_trgm';

// PGlite's contrib modules are ESM only, so they load by import(), each only when asked for.
const PGLITE_EXTENSIONS: Readonly<Record<PostgresExtension, () => Promise<Extension>>> = {
  pg_trgm: async () => (await import('@electric-sql/pglite/contrib/pg_trgm')).pg_trgm,
};

export interface DatabaseOptions {
  /** PostgreSQL schema holding this owner's tables, e.g. `merchants`. */
  schema: string;
  /** Connection string of a PostgreSQL server; without it PGlite is used. */
  url?: string | undefined;
  /** Folder for PGlite's files; without it PGlite keeps everything in memory. */
  dataDir?: string | undefined;
  /** PGlite's `shared_buffers` (see bootPglite); PostgreSQL's default unless given. Ignored with a URL or a PGlite handed over. */
  pgliteSharedBuffers?: string | undefined;
  /** Connections in the pool, for PostgreSQL only. */
  poolSize?: number;
  /** How the connections name themselves to the server (pg_stat_activity); the schema unless given. A URL's `application_name` wins. */
  applicationName?: string;
  /** Extensions the schema's migrations create (see `Migration.extensions`): PGlite must load them before they can be. */
  extensions?: readonly PostgresExtension[];
  /**
   * A PGlite already open, with the extensions loaded, to keep the schema in
   * instead of opening one: closing the database leaves it open. Whoever
   * shares one this way uses it for one schema at a time, because the schema
   * is chosen by the connection's search_path. Ignored with a URL; with it,
   * `dataDir` is.
   */
  pglite?: SharedPglite | undefined;
}

/** What the database needs of a PGlite it is handed (see `DatabaseOptions.pglite`): its SQL calls, and what named statements run on. */
export type SharedPglite = Pick<PGlite, 'query' | 'exec' | 'transaction'> & ProtocolPglite;

const identifier = /^[a-z_][a-z0-9_]*$/;

/** Each session's setting: one plan per prepared statement, made once (see plans.ts). */
const PLAN_CACHE_MODE = 'force_generic_plan';

export async function openDatabase(options: DatabaseOptions): Promise<Database> {
  if (!identifier.test(options.schema)) throw new Error(`Invalid schema name: ${options.schema}`);
  const db = options.url
    ? openPostgres(options.url, options.schema, options.poolSize ?? 10, options.applicationName ?? options.schema)
    : await openPglite(options);
  await createSchema(db, options.schema);
  return traced(connectionLossUnavailable(db), options.schema);
}

/**
 * CREATE SCHEMA IF NOT EXISTS does not guard against itself: two sessions that
 * both find the schema missing both create it, and one fails on
 * pg_namespace's unique index. Replicas starting together on one server take
 * turns under an advisory lock instead, and the later ones find it there.
 */
async function createSchema(db: Database, schema: string): Promise<void> {
  // `schema` is a checked identifier, so it is spelled into the statements as it is in CREATE SCHEMA.
  await db.transaction((tx) => tx.exec(`SELECT pg_advisory_xact_lock(hashtext('${schema}.create_schema')); CREATE SCHEMA IF NOT EXISTS ${schema}`));
}

/** Every statement and transaction whose connection was lost fails with DEPENDENCY_UNAVAILABLE, once, here. */
function connectionLossUnavailable(db: Database): Database {
  const mapped = <T>(run: () => Promise<T>) =>
    run().catch((error: unknown) => {
      throw asDatabaseError(error);
    });
  return {
    engine: db.engine,
    query: (sql, params) => mapped(() => db.query(sql, params)),
    exec: (sql) => mapped(() => db.exec(sql)),
    transaction: (work) => mapped(() => db.transaction(work)),
    close: () => db.close(),
  };
}

/** Each statement and transaction as a span of the request's trace. */
function traced(db: Database, schema: string): Database {
  const attributes = (sql: string) => ({ 'db.system': 'postgresql', 'db.namespace': schema, 'db.query.text': sql.slice(0, 500) });
  return {
    engine: db.engine,
    query: (sql, params) => inSpan('db.query', attributes(sql), () => db.query(sql, params)),
    exec: (sql) => inSpan('db.exec', attributes(sql), () => db.exec(sql)),
    transaction: (work) => inSpan('db.transaction', { 'db.system': 'postgresql', 'db.namespace': schema }, () => db.transaction(work)),
    close: () => db.close(),
  };
}

/** A PGlite of the owner's own: in memory, or in its sub-folder of `dataDir`, with the extensions its migrations need. */
async function createPglite(options: DatabaseOptions): Promise<PGlite> {
  let dataDir: string | undefined;
  if (options.dataDir) {
    dataDir = join(options.dataDir, options.schema);
    mkdirSync(dataDir, { recursive: true });
  }
  const extensions = Object.fromEntries(
    await Promise.all((options.extensions ?? []).map(async (name) => [name, await PGLITE_EXTENSIONS[name]()] as const)),
  );
  return (await bootPglite({ dataDir, extensions, sharedBuffers: options.pgliteSharedBuffers })).pglite;
}

async function openPglite(options: DatabaseOptions): Promise<Database> {
  // A PGlite it was handed stays open when this closes: only its own is closed.
  let own: PGlite | undefined;
  const client: SharedPglite = options.pglite ?? (own = await createPglite(options));
  // PGlite's pages live in this process's memory (its files in the OS cache),
  // so a random read costs what a sequential one does. With the server's
  // default cost of 4 the planner hash-joins a whole table where an index
  // lookup per key is cheaper (a page's storefronts: 3.5 ms against 2.1 ms at
  // 5,000 merchants). 1.1 is the usual setting for storage
  // without seeks. Plans are kept per statement (see plans.ts).
  await client.exec(`CREATE SCHEMA IF NOT EXISTS ${options.schema}; SET search_path TO ${options.schema}; SET random_page_cost = 1.1; SET plan_cache_mode = ${PLAN_CACHE_MODE}`);
  const statements = new PreparedStatements(client);
  return {
    engine: 'pglite',
    async query<Row extends object>(sql: string, params: readonly SqlParam[] = []) {
      return (await statements.run<Row>(sql, params, false)) ?? (await client.query<Row>(sql, params as unknown[])).rows;
    },
    async exec(sql: string) {
      await client.exec(sql);
    },
    async transaction<T>(work: (tx: Queryable) => Promise<T>) {
      return client.transaction((tx) =>
        work({
          async query<Row extends object>(sql: string, params: readonly SqlParam[] = []) {
            return (await statements.run<Row>(sql, params, true)) ?? (await tx.query<Row>(sql, params as unknown[])).rows;
          },
          async exec(sql: string) {
            await tx.exec(sql);
          },
        }),
      );
    },
    async close() {
      // A PGlite it was handed outlives this database: what this prepared in its session goes.
      if (own) await own.close();
      else await statements.release();
    },
  };
}

function openPostgres(url: string, schema: string, max: number, applicationName: string): Database {
  // search_path is set per connection at connect time, so every pooled
  // connection sees only this owner's schema (and `public` for extensions);
  // plans are kept per statement (see plans.ts).
  const pool = createPgPool({ connectionString: url, max, options: `-c search_path=${schema},public -c plan_cache_mode=${PLAN_CACHE_MODE}`, application_name: applicationName });
  return {
    engine: 'postgres',
    async query<Row extends object>(sql: string, params: readonly SqlParam[] = []) {
      const result = await pool.query<Row & pg.QueryResultRow>(postgresStatement(sql, params as unknown[]));
      return result.rows;
    },
    async exec(sql: string) {
      await pool.query(sql);
    },
    async transaction<T>(work: (tx: Queryable) => Promise<T>) {
      const client = await pool.connect();
      // A connection the server dropped mid-transaction fails the query in
      // flight (or the next); it is then closed, never handed out again.
      let broken: unknown;
      const onError = (error: unknown) => {
        broken ??= error;
      };
      client.on('error', onError);
      try {
        await client.query('BEGIN');
        const result = await work({
          async query<Row extends object>(sql: string, params: readonly SqlParam[] = []) {
            return (await client.query<Row & pg.QueryResultRow>(postgresStatement(sql, params as unknown[]))).rows;
          },
          async exec(sql: string) {
            await client.query(sql);
          },
        });
        await client.query('COMMIT');
        return result;
      } catch (error) {
        await client.query('ROLLBACK').catch((rollbackError: unknown) => {
          broken ??= rollbackError;
        });
        throw error;
      } finally {
        client.off('error', onError);
        // A connection that failed or could not roll back is closed, never handed out again.
        client.release(broken === undefined ? undefined : broken instanceof Error ? broken : true);
      }
    },
    async close() {
      await pool.end();
    },
  };
}
