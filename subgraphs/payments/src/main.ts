// Entry point: `tsx subgraphs/payments/src/main.ts`, configured by the environment.
import { createLogger, readServiceConfig, runMain, stopOnSignals } from '@interop/kit';
import { startPayments } from './server';

runMain(async () => {
  const config = readServiceConfig();
  const running = await startPayments({
    port: config.PAYMENTS_PORT,
    host: config.SUBGRAPH_HOST,
    commerceUrl: config.peerUrl('commerce'),
    merchantsUrl: config.peerUrl('merchants'),
    peerTimeoutMs: config.PEER_TIMEOUT_MS,
  });
  stopOnSignals(running, createLogger('payments'));
});
