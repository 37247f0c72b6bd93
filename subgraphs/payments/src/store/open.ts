// Opens the payments ledger: connects and migrates.
import { openOwnedDatabase, type StorageOptions } from '@interop/kit/db';
import { PaymentLedger } from './ledger';
import { migrations } from './migrations';

export const PAYMENTS_SCHEMA = 'payments';

export async function openPaymentLedger(options: StorageOptions): Promise<PaymentLedger> {
  const db = await openOwnedDatabase({ ...options, schema: options.schema ?? PAYMENTS_SCHEMA, migrations });
  return new PaymentLedger(db);
}
