// Opens the payments ledger: connects and migrates.
import { openOwnedDatabase } from '@interop/kit';
import { PaymentLedger } from './ledger';
import { migrations } from './migrations';

export const PAYMENTS_SCHEMA = 'payments';

export interface LedgerOptions {
  databaseUrl?: string | undefined;
  /** Folder for PGlite; without it (and without a URL) the data lives in memory. */
  dataDir?: string | undefined;
  /** PostgreSQL schema; tests use their own so runs never collide. */
  schema?: string;
}

export async function openPaymentLedger(options: LedgerOptions): Promise<PaymentLedger> {
  const db = await openOwnedDatabase({
    schema: options.schema ?? PAYMENTS_SCHEMA,
    migrations,
    databaseUrl: options.databaseUrl,
    dataDir: options.dataDir,
  });
  return new PaymentLedger(db);
}
