// Entry point: `tsx subgraphs/commerce/src/main.ts`, configured by the environment.
import { createLogger, readServiceConfig, runMain, serviceEnv } from '@interop/kit';
import { stopOnSignals } from '@interop/kit/server';
import { startCommerce } from './server';

runMain(async () => {
  const config = readServiceConfig(serviceEnv);
  const running = await startCommerce({
    port: config.COMMERCE_PORT,
    host: config.SUBGRAPH_HOST,
    trust: config.trust(),
    events: { redisUrl: config.REDIS_URL, databaseUrl: config.DATABASE_URL },
  });
  stopOnSignals(running, createLogger('commerce'));
});
