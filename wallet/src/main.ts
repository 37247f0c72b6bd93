// Entry point: `tsx wallet/src/main.ts`, configured by the environment.
import { createLogger, runMain } from '@interop/kit';
import { stopOnSignals } from '@interop/kit/server';
import { readWalletConfig } from './config';
import { startWallet } from './server';
import { openWalletDatabase } from './store';

runMain(async () => {
  const config = readWalletConfig();
  const secrets = config.walletSecrets();
  const db = await openWalletDatabase(config.storage());
  const wallet = await startWallet({
    port: config.WALLET_PORT,
    host: config.SUBGRAPH_HOST,
    secret: secrets.secret,
    acceptedSecrets: secrets.accepted,
    db,
    closeDb: true,
  });
  stopOnSignals(wallet, createLogger('wallet'));
});
