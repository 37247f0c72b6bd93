// Entry point: `tsx subgraphs/merchants/src/main.ts`, configured by the environment.
import { createLogger, runMain } from '@interop/kit';
import { stopOnSignals } from '@interop/kit/server';
import { readMerchantsConfig } from './config';
import { openMerchantsStore, startMerchants } from './server';

runMain(async () => {
  const config = readMerchantsConfig();
  const logger = createLogger('merchants');
  const started = Date.now();
  const store = await openMerchantsStore({
    ...config.storage(),
    merchantCount: config.MERCHANT_COUNT,
  });
  logger.info({ engine: store.db.engine, merchants: config.MERCHANT_COUNT, ms: Date.now() - started }, 'store ready');
  const running = await startMerchants({
    port: config.MERCHANTS_PORT,
    host: config.SUBGRAPH_HOST,
    commerceUrl: config.peerUrl('commerce'),
    paymentsUrl: config.peerUrl('payments'),
    peerTimeoutMs: config.PEER_TIMEOUT_MS,
    store,
    closeStore: true,
    events: { redisUrl: config.REDIS_URL, databaseUrl: config.DATABASE_URL },
    factEvents: { redisUrl: config.REDIS_URL, databaseUrl: config.DATABASE_URL },
    trust: config.trust(),
  });
  stopOnSignals(running, logger);
});
