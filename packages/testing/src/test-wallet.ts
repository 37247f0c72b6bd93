// The wallet under test, with its books in a test database (packages/testing/src/databases)
// rather than a PGlite of its own, which would cost seconds to boot.
import type { Database } from '@interop/kit/db';
import { openWalletDatabase, startWallet, type RunningWallet, type WalletOptions } from '@interop/wallet';
import { openTestStore } from './databases';

/** The wallet's books in a test database; `db` outlives wallets started on it. */
export async function openTestWalletDatabase(): Promise<{ db: Database; drop(): Promise<void> }> {
  const { opened, drop } = await openTestStore('wallet', openWalletDatabase, (db) => db);
  return { db: opened, drop };
}

/** A wallet on books of its own in a test database; stopping it drops them. */
export async function startTestWallet(options: Omit<WalletOptions, 'db' | 'closeDb'>): Promise<RunningWallet> {
  const books = await openTestWalletDatabase();
  try {
    const wallet = await startWallet({ ...options, db: books.db });
    return {
      ...wallet,
      async stop() {
        await wallet.stop();
        await books.drop();
      },
    };
  } catch (error) {
    await books.drop();
    throw error;
  }
}
