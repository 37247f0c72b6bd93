// A `pg` pool that a dropped connection never takes the process down with.
// The server may end any connection (a restart, pg_terminate_backend, the
// network): `pg` then emits 'error' on that client, and an 'error' without a
// listener ends the process. The pool listens only while a client is idle in
// it; a client it hands out has none until its taker adds one, and a message
// read in the same chunk as the hand-off (a new connection's ReadyForQuery
// followed by FATAL) arrives before the taker runs. So each client gets a
// listener of its own as it is first handed out, for its whole life: the query
// in flight still fails with the error, and the pool discards the client when
// it is released with it.
import pg from 'pg';

export function createPgPool(config: pg.PoolConfig): pg.Pool {
  const pool = new pg.Pool(config);
  // An idle client's error: the pool has already discarded it.
  pool.on('error', () => {});
  // Emitted synchronously as a new client is handed out, before its taker can run.
  pool.on('connect', (client) => {
    client.on('error', () => {});
  });
  return pool;
}
