// The merchants subgraph's settings: the shared ones (kit `serviceEnv`) and
// how many demo merchants it generates. Read once at start by main.ts.
import { readServiceConfig, serviceEnv, wholeNumber } from '@interop/kit';

export const merchantsEnv = serviceEnv.extend({
  /** How many demo merchants the merchants subgraph generates. */
  MERCHANT_COUNT: wholeNumber(5000, 0, 5_000_000),
});

export const readMerchantsConfig = (source: Record<string, string | undefined> = process.env) => readServiceConfig(merchantsEnv, source);
