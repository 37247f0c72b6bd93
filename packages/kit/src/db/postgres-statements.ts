// Named statements on a PostgreSQL server. node-postgres prepares a statement
// that carries a name once per connection and afterwards only binds and
// executes it, so the server's backend does not parse, analyse and plan the
// same text on every call.
//
// A prepared statement whose result columns change under it (a newer
// replica's migration during a rolling deploy) fails with "cached plan must
// not change result type". The stores name every statement's result columns
// (a `*` only inside a CTE), so a migration that adds columns only makes the
// server plan again; a top-level `SELECT *` or `RETURNING *` would break that.
import type pg from 'pg';
import { MAX_PREPARED_STATEMENTS } from './pglite-statements';

/**
 * One name per text for the whole process, so every connection of every pool
 * maps a name to the same text (node-postgres refuses a name reused for
 * another). Bounded as on PGlite: texts beyond the first
 * MAX_PREPARED_STATEMENTS run unnamed, so no connection prepares without end.
 */
const names = new Map<string, string>();

/** `sql` with `values` as node-postgres runs it: named while there is room for its text. */
export function postgresStatement(sql: string, values: unknown[]): pg.QueryConfig {
  let name = names.get(sql);
  if (name === undefined && names.size < MAX_PREPARED_STATEMENTS) names.set(sql, (name = `interop_${names.size}`));
  return name === undefined ? { text: sql, values } : { name, text: sql, values };
}
