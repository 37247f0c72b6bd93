// A PostgreSQL database of a test's or a bench run's own, on a server it was
// given, for processes that must share one.
import { randomBytes } from 'node:crypto';
import pg from 'pg';

export interface ScratchDatabase {
  name: string;
  /** The server's URL with this database in its path, for processes to connect to. */
  url: URL;
  /** Connected to the server (not to this database), e.g. to terminate this database's backends. */
  admin: pg.Client;
  /** Drops the database, whoever is still connected to it, and disconnects `admin`. */
  drop(): Promise<void>;
}

/**
 * A database of its own on the server `serverUrl` names, for a test's or a
 * bench run's processes to share: what happens to it touches nothing else.
 */
export async function scratchDatabase(serverUrl: string): Promise<ScratchDatabase> {
  const name = `interop_test_${randomBytes(5).toString('hex')}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    name,
    url,
    admin,
    async drop() {
      await admin.query(`DROP DATABASE ${name} WITH (FORCE)`);
      await admin.end();
    },
  };
}
