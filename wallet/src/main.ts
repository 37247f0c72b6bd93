// Entry point: `tsx wallet/src/main.ts`, configured by the environment.
import { createLogger, readServiceConfig, runMain, stopOnSignals } from '@interop/kit';
import { startWallet } from './server';

runMain(async () => {
  const config = readServiceConfig();
  const wallet = await startWallet({ port: config.WALLET_PORT, host: config.SUBGRAPH_HOST, secret: config.walletSecret() });
  stopOnSignals(wallet, createLogger('wallet'));
});
