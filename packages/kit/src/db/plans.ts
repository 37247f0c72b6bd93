// Every statement is planned once per session and that plan kept for each
// later call (openDatabase sets plan_cache_mode = force_generic_plan): right
// for a lookup by key or a page by cursor, whose best plan is the same for
// any values. PostgreSQL's own choice (`auto`) keeps planning such statements
// on every call whenever a plan for the values looks cheaper than the kept
// one, which for `id = ANY($1)` it always does (it assumes ten keys, where a
// call has one): a merchant looked up by id cost PGlite 0.26 ms planned per
// call against 0.11 ms on its kept plan. A search whose best plan does depend
// on its values (how many merchants a name pattern or a tool's reach keeps)
// is planned for them on every call instead, here.
import type { Database, SqlParam } from './database';

/** Runs one statement planned for these values, not on the session's kept plan. */
export function queryPlannedPerCall<Row extends object>(db: Pick<Database, 'transaction'>, sql: string, params: readonly SqlParam[]): Promise<Row[]> {
  return db.transaction(async (tx) => {
    await tx.exec('SET LOCAL plan_cache_mode = force_custom_plan');
    return tx.query<Row>(sql, params);
  });
}
