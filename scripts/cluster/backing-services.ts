// The PostgreSQL and Redis servers every replica shares: those DATABASE_URL
// and REDIS_URL name, else this machine's. Checked once before anything
// starts, so a missing server is one clear line, not eight crashing replicas.
import { Redis } from 'ioredis';
import pg from 'pg';

export const MACHINE_DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/test';
export const MACHINE_REDIS_URL = 'redis://127.0.0.1:6379';

export interface BackingServices {
  databaseUrl: string;
  redisUrl: string;
}

export function backingServices(env: NodeJS.ProcessEnv): BackingServices {
  return { databaseUrl: env.DATABASE_URL || MACHINE_DATABASE_URL, redisUrl: env.REDIS_URL || MACHINE_REDIS_URL };
}

/** Rejects, naming the server, when either does not answer. */
export async function checkBackingServices({ databaseUrl, redisUrl }: BackingServices): Promise<void> {
  const database = new pg.Client({ connectionString: databaseUrl, connectionTimeoutMillis: 3000 });
  try {
    await database.connect();
    await database.query('SELECT 1');
  } catch (error) {
    throw new Error(`PostgreSQL at ${redacted(databaseUrl)} does not answer (${describe(error)}); start it or set DATABASE_URL.`, { cause: error });
  } finally {
    await database.end().catch(() => {});
  }
  const redis = new Redis(redisUrl, { lazyConnect: true, maxRetriesPerRequest: 0, connectTimeout: 3000, retryStrategy: () => null });
  redis.on('error', () => {});
  try {
    await redis.connect();
    await redis.ping();
  } catch (error) {
    throw new Error(`Redis at ${redacted(redisUrl)} does not answer (${describe(error)}); start it or set REDIS_URL.`, { cause: error });
  } finally {
    redis.disconnect();
  }
}

/** The URL without its password, for messages. */
export function redacted(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return '(an unparsable URL)';
  }
}

function describe(error: unknown): string {
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' ? code : error instanceof Error ? error.message : String(error);
}
