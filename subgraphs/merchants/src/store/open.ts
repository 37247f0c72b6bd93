// Opens the merchants store: connects, migrates, and makes sure the demo data
// matches the configured merchant count.
import { openOwnedDatabase } from '@interop/kit';
import { ensureDemoData } from './demo-data';
import { MerchantsStore } from './merchants-store';
import { migrations } from './migrations';

export const MERCHANTS_SCHEMA = 'merchants';

export interface StoreOptions {
  databaseUrl?: string | undefined;
  /** Folder for PGlite; without it (and without a URL) the data lives in memory. */
  dataDir?: string | undefined;
  merchantCount: number;
  /** PostgreSQL schema; tests use their own so runs never collide. */
  schema?: string;
}

export async function openMerchantsStore(options: StoreOptions): Promise<MerchantsStore> {
  const db = await openOwnedDatabase({
    schema: options.schema ?? MERCHANTS_SCHEMA,
    migrations,
    databaseUrl: options.databaseUrl,
    dataDir: options.dataDir,
  });
  try {
    await ensureDemoData(db, options.merchantCount);
  } catch (error) {
    await db.close();
    throw error;
  }
  return new MerchantsStore(db);
}
