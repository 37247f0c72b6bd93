// Opens the merchants store: connects, migrates, and makes sure the demo data
// matches the configured merchant count.
import { openOwnedDatabase, type StorageOptions } from '@interop/kit/db';
import { ensureDemoData } from './demo-data';
import { MerchantsStore } from './merchants-store';
import { migrations } from './migrations';

export const MERCHANTS_SCHEMA = 'merchants';

export interface StoreOptions extends StorageOptions {
  merchantCount: number;
}

export async function openMerchantsStore(options: StoreOptions): Promise<MerchantsStore> {
  const db = await openOwnedDatabase({ ...options, schema: options.schema ?? MERCHANTS_SCHEMA, migrations });
  try {
    await ensureDemoData(db, options.merchantCount);
  } catch (error) {
    await db.close();
    throw error;
  }
  return new MerchantsStore(db);
}
